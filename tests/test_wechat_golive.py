"""site_url_problem: why an address cannot be the public site the 公众号 links to and fetches from."""

from __future__ import annotations

import pytest

from pufa.cli import main
from pufa.wechat.golive import site_url_problem


@pytest.mark.parametrize(("url", "words"), [
    ("", "没有设置 site_url"),
    (None, "没有设置 site_url"),
    ("https://pufa.zaoyang.example/", "pufa.zaoyang.example"),
    ("https://pufa.invalid/", "公网上访问不到"),
    ("https://site.test/", "公网上访问不到"),
    ("http://localhost:8000/", "localhost"),
    ("https://www.example.com/pufa/", "www.example.com"),
    ("http://127.0.0.1:8000/", "IP 地址 127.0.0.1"),
    ("https://[2001:db8::1]/", "IP 地址 2001:db8::1"),
    ("https://intranet/", "内部网络"),
    ("http://pufa.zaoyang.gov.cn/", "不是 https"),
    ("pufa.zaoyang.gov.cn", "不是完整的网址"),
])
def test_addresses_that_cannot_be_public_say_why(url, words):
    problem = site_url_problem(url)
    assert problem and words in problem
    assert "阅读原文" in problem and "mkdocs.yml" in problem  # what depends on it, and where to fix it


@pytest.mark.parametrize("url", ["https://pufa.zaoyang.gov.cn/", "https://www.zyzf.gov.cn/pufa/",
                                 "https://notexample.com/", "https://pufa.zaoyang.gov.cn"])
def test_a_public_https_address_passes(url):
    assert site_url_problem(url) is None


def test_pufa_check_warns_at_the_site_url_line(tmp_path, capsys):
    from conftest import make_site
    root = make_site(tmp_path / "s", site_url="https://pufa.county.example/")
    mkdocs = root / "mkdocs.yml"
    line = next(n for n, text in enumerate(mkdocs.read_text("utf-8").split("\n"), 1) if text.startswith("site_url:"))
    assert main(["--root", str(root), "check"]) == 0  # a warning, not an error
    out = [l for l in capsys.readouterr().out.splitlines() if l.startswith("mkdocs.yml")]
    assert len(out) == 1 and out[0].startswith(f"mkdocs.yml:{line}: 警告：site_url 的域名 pufa.county.example")
    assert main(["--root", str(root), "check", "--format", "github"]) == 0
    assert f"::warning file=mkdocs.yml,line={line},title=pufa site-url::" in capsys.readouterr().out
    mkdocs.write_text(mkdocs.read_text("utf-8").replace("https://pufa.county.example/", "https://pufa.county.gov.cn/"), "utf-8")
    assert main(["--root", str(root), "check"]) == 0
    assert not [l for l in capsys.readouterr().out.splitlines() if l.startswith("mkdocs.yml")]
