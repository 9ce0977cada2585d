"""Whether `site_url` can be the site's public address, which every 公众号 article depends on.

The 阅读原文 link of every draft is a page under `site_url`, and when an article is pasted into the
公众号 editor, the editor fetches each image from its absolute URL under `site_url`. A placeholder,
a local or private address, or plain http therefore breaks the WeChat channel without any error
at build time. `pufa check` and every WeChat preview page show the reason given here.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

# Names that can never be a public website: reserved for documentation and testing (RFC 2606,
# RFC 6761) or for the local network (RFC 6762, mDNS).
RESERVED_SUFFIXES = ("example", "invalid", "test", "localhost", "local")
RESERVED_DOMAINS = ("example.com", "example.net", "example.org")


def site_url_problem(site_url: str | None) -> str | None:
    """Why `site_url` cannot be the public https address, in Chinese; None when it can."""
    url = (site_url or "").strip()
    if not url:
        return _say("没有设置 site_url")
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".").lower()
    if parts.scheme.lower() not in ("http", "https") or not host:
        return _say(f"site_url（{url}）不是完整的网址")
    if any(host == name or host.endswith("." + name) for name in RESERVED_SUFFIXES + RESERVED_DOMAINS):
        return _say(f"site_url 的域名 {host} 是保留给举例、测试或本机、局域网使用的名称，公网上访问不到")
    if _is_ip(host):
        return _say(f"site_url 用的是 IP 地址 {host}，不是域名")
    if "." not in host:
        return _say(f"site_url 的主机名 {host} 只能在内部网络里访问")
    if parts.scheme.lower() != "https":
        return _say(f"site_url（{url}）不是 https 地址")
    return None


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _say(reason: str) -> str:
    return (f"{reason}。公众号文章的“阅读原文”链接和编辑器粘贴时抓取的图片都用这个地址，"
            "上线前请在 mkdocs.yml 里把 site_url 改成网站正式的 https 地址，再重新构建。")
