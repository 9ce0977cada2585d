"""What the build would remove or refuse in a rendered page body, explained before it happens.

Runs on the HTML that MkDocs renders from the Markdown with the site's own extensions (the same HTML the
sanitizer then cleans), so a construct the renderer reads as HTML is seen as HTML here, whatever the
Markdown source looks like. Findings carry the strings to look for in the source, to place them on a line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

from .. import urls
from ..site.sanitize import allowlist, browser_view, is_local, odd_host, url_scheme

DANGEROUS_SCHEMES = frozenset({"javascript", "vbscript", "data"})
_TAG_ADVICE = {
    "script": "网站不运行投稿里的脚本，请删除这段代码；确需交互功能请联系网站维护人员。",
    "iframe": "不能嵌入其他网页或视频播放器，请改成普通链接，例如 [视频标题](https://…)。",
    "frame": "不能嵌入其他网页，请改成普通链接。",
    "frameset": "不能嵌入其他网页，请改成普通链接。",
    "object": "不能嵌入插件或外部内容，请改成普通链接。",
    "embed": "不能嵌入插件或外部内容，请改成普通链接。",
    "applet": "不能嵌入插件或外部内容，请删除。",
    "portal": "不能嵌入其他网页，请改成普通链接。",
    "style": "页面样式由网站主题统一提供，请删除这段样式。",
    "link": "这个标签会改变整个页面的行为，请删除；要链接到别处请用 [文字](地址)。",
    "meta": "这个标签会改变整个页面的行为（例如自动跳转），请删除。",
    "base": "这个标签会改变页面上所有链接的去向，请删除。",
    "template": "页面不使用模板元素，请删除。",
    "noscript": "页面不需要 noscript 元素，请删除。",
    "audio": "不能直接嵌入音频，请改成链接。",
    "video": "不能直接嵌入视频，请改成链接。",
    "foreignobject": "SVG 里不能嵌入网页内容，请把图形导出为 PNG 后再插入。",
}
_FORM_TAGS = frozenset({"form", "input", "button", "select", "textarea", "option", "optgroup", "datalist", "keygen",
                        "output", "fieldset"})
_FORM_ADVICE = "网站不收集任何信息，不能放表单。需要报名或咨询，请写明电话、地址或链接。"
_URL_ATTRIBUTES = frozenset({
    "href", "src", "srcset", "action", "formaction", "poster", "background", "cite", "longdesc", "lowsrc", "dynsrc",
    "data", "codebase", "classid", "archive", "xlink:href", "ping", "manifest", "icon", "profile", "usemap",
    "values", "to", "from", "by",
})
# Fetched as soon as the page loads (an off-site one tells another host who reads the page).
_FETCHED = {("img", "src"), ("img", "srcset"), ("source", "srcset"), ("source", "src")}


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    needles: tuple[str, ...]  # what to look for in the Markdown source to find the line


def scan(body: str, *, page_url: str, exists: Callable[[str], bool], reported: frozenset[str] = frozenset()
         ) -> list[Finding]:
    """Everything in a rendered body that the sanitizer would remove or that would break on the site.

    `page_url` is the page's route (laws/x/); `exists(route)` tells whether a site path is published;
    `reported` holds URLs MkDocs already reported for this page (not reported twice).
    """
    scanner = _Scanner(page_url, exists, reported)
    try:
        scanner.feed(body)
        scanner.close()
    except (AssertionError, ValueError) as exc:  # html.parser gives up on some malformed markup
        scanner.add("unsafe-html", f"无法解析这里的 HTML（{exc}），因此无法确认它是否安全：请改用 Markdown 写法。", "<")
    return scanner.findings


class _Scanner(HTMLParser):
    # Parse <script>/<style> content as markup too, so one unclosed <script> cannot hide the rest.
    CDATA_CONTENT_ELEMENTS = ()
    RCDATA_CONTENT_ELEMENTS = ()

    def __init__(self, page_url: str, exists, reported):
        super().__init__(convert_charrefs=True)
        self.page_url, self.exists, self.reported = page_url, exists, reported
        self.findings: list[Finding] = []
        self.allowed = allowlist()
        self.removed_depth = 0

    def add(self, code: str, message: str, *needles: str) -> None:
        # Raw HTML reaches the rendered page as written, so its start tag is the most exact needle; a URL is
        # found more exactly as a Markdown link's target than on its own.
        tag = (self.get_starttag_text() or "").split("\n")[0]
        linked = [f"]({n}" for n in needles if n and ("/" in n or ":" in n or "." in n)]
        self.findings.append(Finding(code, message, tuple(n for n in (tag, *linked, *needles) if n)))

    def handle_starttag(self, tag, attrs):
        self._start(tag, attrs)
        if tag in ("svg", "math"):
            self.removed_depth += 1

    def handle_startendtag(self, tag, attrs):
        self._start(tag, attrs)

    def handle_endtag(self, tag):
        if tag in ("svg", "math") and self.removed_depth:
            self.removed_depth -= 1

    def _start(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        needle = f"<{tag}"
        if ":" in tag and url_scheme(tag) in DANGEROUS_SCHEMES:  # <javascript:…> written as an autolink
            self.add("unsafe-url", f"不允许 {url_scheme(tag)}: 地址：请删除，或改成 http/https 链接。", tag)
            return
        refused = False
        if tag in _TAG_ADVICE:
            self.add("unsafe-html", f"不允许使用 <{tag}> 标签：{_TAG_ADVICE[tag]}", needle)
            refused = True
        elif tag in _FORM_TAGS and not (tag == "input" and dict(attrs).get("type") == "checkbox"):
            self.add("unsafe-html", f"不允许使用表单元素 <{tag}>：{_FORM_ADVICE}", needle)
            refused = True
        elif tag in ("svg", "math") and not self.removed_depth:
            self.add("html-removed", f"正文里的 <{tag}> 会在构建时被删除（它可以携带脚本）：请把图形导出为 PNG 图片再插入。", needle)
        elif tag not in self.allowed.tags and not self.removed_depth:
            self.add("html-removed", f"<{tag}> 不在网站允许的 HTML 标签之内，构建时会被删除：请改用 Markdown 写法。", needle)
        for name, value in attrs:
            self._attribute(tag, name, value or "", quiet=refused)
        if tag == "img" and not any(name == "alt" for name, _ in attrs):
            self.add("missing-alt", _ALT_ADVICE, "<img")

    def _attribute(self, tag: str, name: str, value: str, quiet: bool = False) -> None:
        """`quiet`: the tag itself is refused, so only dangers are worth a message, not removals."""
        where = f"<{tag}>"
        if name.startswith("on"):
            self.add("unsafe-attribute", f"{where} 里不允许事件属性 {name}=（它会运行脚本）：请删除这个属性。", name)
        elif name == "style":
            if not (tag in ("th", "td") and _only_alignment(value)):
                self.add("unsafe-attribute", f"{where} 里不允许 style 属性（它能遮住页面、隐藏文字或偷偷加载外部内容）："
                         '请删除；图片大小可以写成 { width="300" }，其余排版交给网站主题。', "style")
        elif name == "class":
            for cls in value.split():
                if not self.allowed.class_allowed(cls):
                    if cls.startswith(("md-", "pufa-")) or self.allowed.id_reserved(cls):
                        self.add("reserved-class", f"不能使用样式名“{cls}”：它属于网站主题自己的界面（菜单、对话框、提示条等），"
                                 "放进正文就能冒充网站的界面。请删除。", cls)
                    else:
                        self.add("class-removed", f"样式名“{cls}”不是网站提供的样式，构建时会被删除，不起作用。", cls)
        elif name in ("id", "name") and value and self.allowed.id_reserved(value):
            self.add("reserved-id", f"不能使用 {name}=\"{value}\"：以 {value[:2]}… 开头的名称留给网站自己的功能。"
                     "如果它来自标题（标题会自动生成锚点），请换一种写法。", value)
        elif name in _URL_ATTRIBUTES:
            values = [c.split()[0] for c in value.split(",") if c.split()] if name == "srcset" else [value]
            for url in values:
                self._url(tag, name, url)
        elif not quiet and not self.allowed.attribute_allowed(tag, name) and \
                not (tag == "input" and name in ("type", "checked", "disabled")):
            self.add("html-removed", f"{where} 的属性 {name} 不在网站允许的范围内，构建时会被删除。", name)
        if tag == "img" and name == "alt" and not value.strip():
            # As written: ![  ](…) in Markdown, alt="" in HTML.
            self.add("missing-alt", _ALT_ADVICE, f"![{value}]", f'alt="{value}"', f"alt='{value}'", "![]", "alt=")

    def handle_decl(self, decl):
        self.add("html-removed", "正文里的 <!…> 声明会在构建时被删除。", "<!")

    def _url(self, tag: str, name: str, url: str) -> None:
        label = "图片地址" if name in ("src", "srcset") else "链接地址"
        scheme = url_scheme(url)
        if scheme in DANGEROUS_SCHEMES:
            advice = ("请把图片保存成文件放进 docs/ 目录，再用相对路径引用。" if scheme == "data"
                      else "这种地址会运行脚本，请删除或改成 http/https 链接。")
            self.add("unsafe-url", f"{label}不允许以 {scheme}: 开头：{advice}", url, f"{scheme}:")
            return
        if odd_host(url):
            self.add("unsafe-url", f"{label} {url} 会被浏览器当成另一个网站的地址（//…）：站内链接请写从本文件出发的相对路径。", url)
            return
        if (tag, name) in _FETCHED and not is_local(url):
            self.add("offsite-resource", f"图片不能直接引用其他网站的地址（{url}）：打开页面时会向那个网站发请求，"
                     "境内手机也可能打不开。请把图片下载下来放进 docs/，再用相对路径引用。", url)
            return
        if scheme == "file":
            self.add("unsafe-path", f"不要链接到本机文件（{url}）：请把文件放进 docs/ 目录再用相对路径引用。", url)
            return
        if scheme is not None:
            if scheme not in self.allowed.url_schemes and len(scheme) > 1:
                self.add("url-removed", f"{label}的协议 {scheme}: 不受支持，构建时会被删除：请改用 https:// 链接或站内相对路径。", url)
            elif len(scheme) == 1:
                self.add("unsafe-path", f"{label} {url} 是本机上的路径（{scheme.upper()}: 盘）：请把文件放进 docs/，用相对路径引用。", url)
            return
        view = browser_view(url)
        if not view or view.startswith("#") or view.startswith("//") or url in self.reported:
            return
        if view.startswith("/"):
            self.add("absolute-link", f"{label} {url} 是以“/”开头的绝对路径：网站放在门户网站的子路径下时它会失效。"
                     "请写从本文件出发的相对路径，如 ../laws/x.md。", url)
            return
        target = urls.resolve(self.page_url, view)
        if target is None:
            self.add("unsafe-path", f"{label} {url} 跑到了网站目录之外。请把文件放进 docs/，用不离开 docs/ 的相对路径引用。", url)
        elif not self.exists(target):
            self.add("missing-file", f"找不到{label} {url} 指向的文件。请检查文件名和大小写；路径从本文件所在的文件夹算起，"
                     "文件名里有空格时请整个写在尖括号里：(<图片 1.jpg>)。", url)


_ALT_ADVICE = ("图片缺少说明文字（替代文字）。请在 ![ ] 的方括号里用一句话写图片内容，例如 "
               "![宪法文化公园入口的宪法宣传栏](images/park.jpg)，给看不见图片的读者。")


def _only_alignment(style: str) -> bool:
    declarations = [d.strip() for d in style.split(";") if d.strip()]
    return all(d.split(":", 1)[0].strip().lower() == "text-align" for d in declarations)
