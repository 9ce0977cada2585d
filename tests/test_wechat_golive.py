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
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: 枣阳普法\n# 正式地址\nsite_url: 'https://pufa.zaoyang.example/'  # 占位\n",
                                         "utf-8")
    assert main(["--root", str(tmp_path), "check"]) == 0  # a warning, not an error
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 and out[0].startswith("mkdocs.yml:3: 警告：site_url 的域名 pufa.zaoyang.example")
    assert main(["--root", str(tmp_path), "check", "--format", "github"]) == 0
    assert capsys.readouterr().out.startswith("::warning file=mkdocs.yml,line=3,title=pufa site-url::")
    (tmp_path / "mkdocs.yml").write_text("site_name: 枣阳普法\nsite_url: https://pufa.zaoyang.gov.cn/\n", "utf-8")
    assert main(["--root", str(tmp_path), "check"]) == 0
    assert capsys.readouterr().out == ""
