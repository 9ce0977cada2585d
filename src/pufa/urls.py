"""Every URL the site publishes, one function per route: the only place a URL pattern is written.

Routes are site-relative (no leading slash; `laws/x/` for a page, `calendar.ics` for a file), the form
MkDocs' `url` template filter turns into a link relative to the current page. `absolute()` and
`webcal()` make them into addresses for feeds, calendars and WeChat. A generated page's Markdown source
path (which MkDocs needs to place it) comes from its route by `source_of()`.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote, urlsplit

from .content import vocabulary

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")

HOME = ""
SITEMAP = "sitemap/"
SEARCH = "search/"
LAWS = "laws/"
EVENTS = "events/"
PLACES = "parks/"
CALENDAR_ICS = "calendar.ics"
PLACES_GEOJSON = "places.geojson"
MATERIALS_JSON = "api/materials.json"
WECHAT = "wechat/"  # one bundle folder per article
WECHAT_INDEX = "wechat/index.json"
DOWNLOADS = "downloads/"  # lecturers' packs and slide decks
API = "api/"
SEARCH_BUNDLE = "pagefind/"
IMAGES = "assets/images/"  # resized copies of content images
ASSETS = "assets/pufa/"  # pufa's own scripts, styles and vendored libraries
FEED_SECTIONS = ("", LAWS, EVENTS)  # a feed.xml and an atom.xml for the site and for each of these sections

# Where the theme and the build write their own files: nothing from docs/ may land there.
RESERVED_FOLDERS = (ASSETS, "assets/javascripts/", "assets/stylesheets/", SEARCH_BUNDLE, WECHAT, DOWNLOADS, API,
                    SEARCH, SITEMAP)
RESERVED_FILES = (*(f"{s}{name}" for s in FEED_SECTIONS for name in ("feed.xml", "atom.xml")), CALENDAR_ICS,
                  PLACES_GEOJSON, "sitemap.xml", "sitemap.xml.gz", "404.html", "robots.txt")


def law(slug: str) -> str:
    return f"laws/{slug}/"


def lecture(topic: str, audience: str) -> str:
    """A 讲稿: the topic's folder and the audience's id (laws/anti-telecom-fraud/school/)."""
    return f"laws/{topic}/{vocabulary.ids('audiences')[audience]}/"


def questions(topic: str) -> str:
    """A topic's question bank, which is its self-test page (laws/anti-telecom-fraud/questions/)."""
    return f"laws/{topic}/questions/"


def paper(topic: str) -> str:
    """A topic's printable test paper and answer key, drawn from its bank."""
    return f"laws/{topic}/paper/"


def event(slug: str) -> str:
    return f"events/{slug}/"


def place(slug: str) -> str:
    return f"parks/{slug}/"


def month(year: int, number: int) -> str:
    return f"events/{year}/{number:02d}/"


def audience(name: str) -> str:
    return f"laws/for/{vocabulary.ids('audiences')[name]}/"


def topic(name: str) -> str:
    return f"laws/topics/{vocabulary.ids('topics')[name]}/"


def place_kind(name: str) -> str:
    return f"parks/kinds/{vocabulary.ids('place_kinds')[name]}/"


def event_ics(slug: str) -> str:
    return f"events/{slug}.ics"


def pack(slug: str) -> str:
    return f"{DOWNLOADS}{slug}.zip"


def slides(topic: str, audience: str) -> str:
    """A 讲稿's editable slide deck: downloads/slides/anti-telecom-fraud-school.pptx."""
    return f"{DOWNLOADS}slides/{topic}-{vocabulary.ids('audiences')[audience]}.pptx"


def wechat(slug: str) -> str:
    return f"{WECHAT}{slug}/"


def feed(section: str = "") -> str:
    """RSS for the whole site ("") or a section ("laws/", "events/")."""
    return f"{section}feed.xml"


def atom(section: str = "") -> str:
    return f"{section}atom.xml"


def source_of(route: str) -> str:
    """The Markdown path MkDocs gives a page at `route` (with directory URLs): laws/for/school/ → laws/for/school.md."""
    return (route.rstrip("/") or "index") + ".md"


def absolute(site_url: str, route: str) -> str:
    """The public address of a route: site_url (with or without its trailing slash) joined with it."""
    return site_url.rstrip("/") + "/" + route


def webcal(site_url: str, route: str) -> str:
    """A webcal:// address, which phone calendars open as a subscription."""
    parts = urlsplit(absolute(site_url, route))
    return f"webcal://{parts.netloc}{parts.path}"


def resolve(page: str, href: str) -> str | None:
    """The site path that a relative `href` on the page at route `page` points to, or None when it leaves
    the site's root. Read as a browser and a file server read it: query and fragment dropped, percent-escapes
    decoded (repeatedly, so %252e%252e is caught too), backslashes taken as slashes, dot segments resolved.
    A path starting with "/" is taken from the site's root."""
    path = href.split("#", 1)[0].split("?", 1)[0].replace("\\", "/")
    for _ in range(3):
        decoded = unquote(path).replace("\\", "/")
        if decoded == path:
            break
        path = decoded
    if "\x00" in path:
        return None
    folder = page if page.endswith("/") else posixpath.dirname(page)
    base = "" if path.startswith("/") or not folder else folder.rstrip("/") + "/"
    joined = posixpath.normpath(posixpath.join(base, path.lstrip("/")) or ".")
    if joined in ("..", "/") or joined.startswith(("../", "/")):
        return None
    return "" if joined == "." else joined


def own_route(page: str, src: str) -> str | None:
    """The site path of a reference to one of the site's own files (an <img src>, say), or None for an empty
    reference, one that names a scheme (https:, data:, javascript:) or a host (//…), or one that leaves the
    site: what pufa may read from the built site to embed elsewhere (packs, slides)."""
    if not src or src.startswith("//") or _SCHEME.match(src):
        return None
    return resolve(page, src)


def asset(name: str) -> str:
    """One of pufa's own browser assets (scripts, styles, vendored libraries)."""
    return f"{ASSETS}{name}"
