"""WeChat tables in a real Chromium at a phone's 375 px: tokens stay whole, wide tables scroll.

A hotline like 12338, a date or a URL split over two lines is misread; a table squeezed into the
column turns Chinese text into one character per line. The converted article is laid out in a
375 px viewport with WeChat's 16 px side margins, the way the 公众号 shows it.
"""

from __future__ import annotations

import pytest

from pufa.wechat.article import to_wechat_html

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>table</title>
<style>body{{margin:0;padding:0 16px}}</style></head><body>{article}</body></html>"""
NARROW = ("<table><thead><tr><th>渠道</th><th>用途</th><th>来源</th></tr></thead><tbody>"
          "<tr><td>12338</td><td>妇联妇女维权服务热线，咨询法律、婚姻家庭、心理问题，反映权益受侵害情况</td>"
          '<td><a href="http://www.gdwomen.org.cn/">广东省妇联网站：12338妇女热线</a></td></tr>'
          "<tr><td>0710-6212345</td><td>2024年3月15日起，工作日 8:30-17:30 接听</td><td>枣阳市司法局</td></tr>"
          "</tbody></table>")
WIDE = ("<table><tr>" + "".join(f"<th>第{i}栏</th>" for i in range(1, 8)) + "</tr><tr>"
        "<td>2024-03-15</td><td>12348</td><td>https://flk.npc.gov.cn/detail.html</td><td>公共法律服务</td>"
        "<td>免费法律咨询和法律援助指引</td><td>3.5%</td><td>枣阳市司法局</td></tr></table>")

# For every whole token: how many line boxes its text occupies.
TOKEN_LINES = """() => [...document.querySelectorAll('span')].filter(s => s.style.whiteSpace === 'nowrap').map(s => {
  const range = document.createRange(); range.selectNodeContents(s);
  const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
  return [s.textContent, tops.size];
})"""
WRAPPERS = """() => [...document.querySelectorAll('table')].map(t => {
  const wrap = t.parentElement;
  const cells = [...t.querySelectorAll('td,th')].map(c => c.getBoundingClientRect().width);
  const before = wrap.scrollLeft; wrap.scrollLeft = 80; const moved = wrap.scrollLeft - before; wrap.scrollLeft = 0;
  return {client: wrap.clientWidth, scroll: wrap.scrollWidth, narrowest: Math.min(...cells), moved,
          body: document.body.scrollWidth, overflow: getComputedStyle(wrap).overflowX};
})"""


@pytest.fixture(scope="module")
def page(browser):
    html = to_wechat_html(NARROW + "<p>正文。</p>" + WIDE, page_url="https://pufa.example.cn/laws/x/",
                          site_url="https://pufa.example.cn/").html
    context = browser.new_context(viewport=PHONE)
    tab = context.new_page()
    tab.route("**/*", lambda route: route.abort())
    tab.set_content(PAGE.format(article=html))
    yield tab
    context.close()


def test_numbers_dates_and_urls_stay_on_one_line(page):
    lines = dict(page.evaluate(TOKEN_LINES))
    for token in ("12338", "0710-6212345", "2024年3月15日", "8:30-17:30",
                  "2024-03-15", "12348", "https://flk.npc.gov.cn/detail.html", "3.5%"):
        assert lines.get(token) == 1, (token, lines)


def test_a_narrow_table_fits_and_a_wide_one_scrolls_in_its_wrapper(page):
    narrow, wide = page.evaluate(WRAPPERS)
    assert narrow["client"] == 343 and narrow["scroll"] <= narrow["client"]  # three columns fit the phone
    assert wide["overflow"] == "auto" and wide["scroll"] > wide["client"] and wide["moved"] > 0
    # Not squeezed: every column keeps at least 4 characters (14 px type) plus its padding.
    assert wide["narrowest"] >= 4 * 14
    assert wide["body"] <= 375  # only the table's own wrapper scrolls, never the whole article
