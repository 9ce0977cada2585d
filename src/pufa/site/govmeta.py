"""What a government website must carry (《政府网站发展指引》): the footer's identifiers and the <head> metadata
(column, title, date, source, keywords) that provincial 集约化 and inspection systems read."""

from __future__ import annotations

from urllib.parse import urlsplit

from ..content.records import Event, LawTopic, Lecture, Place, QuestionBank

ASSIGNED = "待分配"


def identifiers(extra_gov: dict | None, host: str, site_url: str | None) -> dict[str, str]:
    """The footer's government identifiers (mkdocs.yml extra.gov); one not yet issued reads （待分配）.
    `host` is the 主办单位 shown when extra.gov names none."""
    gov = dict(extra_gov or {})
    issued = lambda key: gov.get(key) not in (None, "", ASSIGNED)  # noqa: E731
    return {
        "host": gov.get("host") or host,
        "contact": gov["contact"] if issued("contact") else "（待分配）",
        "site_code": gov["site_code"] if issued("site_code") else "",
        "site_code_text": gov["site_code"] if issued("site_code") else "（待分配）",
        "icp": gov["icp"] if issued("icp") else "ICP备案号：（待分配）",
        "icp_url": gov.get("icp_url") or "https://beian.miit.gov.cn/",
        "psb": gov["psb"] if issued("psb") else "公安机关备案号：（待分配）",
        "psb_url": gov.get("psb_url") or "https://beian.mps.gov.cn/",
        "conac_image": gov.get("conac_image", ""),
        "conac_url": gov["conac_url"] if issued("conac_url") else "https://bszs.conac.cn/",
        "conac_alt": "党政机关网站标识" + ("" if issued("conac_url") else "（待分配）"),
        "correction_url": gov.get("correction_url") or "https://zfwzzc.www.gov.cn/",
        "site_domain": gov.get("site_domain") or (urlsplit(site_url).hostname if site_url else "") or "",
    }


def head(page, nav, record, content, publisher: str) -> dict[str, str]:
    """The <head> metadata government sites carry (《政府网站发展指引》): column, title, date, source, keywords."""
    section = ((page.url if page else None) or "").split("/")[0]
    items = nav.items if nav is not None and page is not None else []
    column = next((item.title for item in items if item.url is not None and item.url.split("/")[0] == section), "")
    title = record.title if record else ((page.title if page else "") or "")
    keywords = []
    if isinstance(record, LawTopic):
        keywords = [*record.topics, record.law.short_name]
    elif isinstance(record, Lecture):
        topic = content.law(record.topic)
        keywords = ([*topic.topics, topic.law.short_name] if topic else []) + [record.audience]
    elif isinstance(record, QuestionBank):
        topic = content.law(record.topic)
        keywords = ([topic.law.short_name] if topic else []) + ["知识测试"]
    elif isinstance(record, Event):
        keywords = list(record.audiences)
    elif isinstance(record, Place):
        keywords = [record.kind]
    keywords = list(dict.fromkeys([*keywords, column] if record else []))
    return {
        "column": column or title or "页面不存在",
        "title": title or "页面不存在",
        "published": record.published.strftime("%Y-%m-%d %H:%M") if record and record.published else "",
        "source": (record.author if record and record.author else publisher),
        "keywords": ",".join(k for k in keywords if k),
    }
