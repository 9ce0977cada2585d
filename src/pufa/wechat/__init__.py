"""公众号 syndication: WeChat-ready bundles for each page, and a draft-box push.

- `to_wechat_html`: a page's rendered HTML → inline-styled HTML the WeChat editor keeps (article.py)
- `prepare_body_image`: any image → JPEG/PNG under 1 MB, ≤ 1080 px wide (images.py)
- `draw_cover` / `draw_thumb`: 900×383 title cover and its square (cover.py)
- `check_limits`: Chinese warnings for broken WeChat limits (limits.py)
- `build_bundle` / `write_index`: the per-page folder with preview page and meta.json (bundle.py);
  `site_images` finds a page's image files in the built site
- `push_draft`: upload a bundle into the 草稿箱, never publish (push.py)
"""

from pufa.wechat.article import ArticleHtml, ArticleImage, Reference, THEME_CSS, to_wechat_html
from pufa.wechat.bundle import build_bundle, site_images, write_index
from pufa.wechat.cover import draw_cover, draw_thumb, missing_glyphs
from pufa.wechat.images import BodyImage, ImageError, prepare_body_image
from pufa.wechat.limits import check_limits
from pufa.wechat.push import Draft, WeChatError, push_draft

__all__ = [
    "ArticleHtml",
    "ArticleImage",
    "BodyImage",
    "Draft",
    "ImageError",
    "Reference",
    "THEME_CSS",
    "WeChatError",
    "build_bundle",
    "check_limits",
    "draw_cover",
    "draw_thumb",
    "missing_glyphs",
    "prepare_body_image",
    "push_draft",
    "site_images",
    "to_wechat_html",
    "write_index",
]
