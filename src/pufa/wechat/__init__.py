"""公众号 syndication: WeChat-ready bundles for each page, and a draft-box push.

- `to_wechat_html`: a page's rendered HTML → inline-styled HTML the WeChat editor keeps (article.py)
- `prepare_body_image`: any image → JPEG/PNG under 1 MB, ≤ 1080 px wide (images.py)
- `draw_cover` / `draw_thumb`: 900×383 title cover and its square (cover.py)
- `check_limits`: Chinese warnings for broken WeChat limits (limits.py)
- `build_bundle` / `write_index`: the per-page folder with preview page and meta.json (bundle.py);
  `site_images` finds a page's image files in the built site
- `push_draft` / `plan_push`: upload what is new into the 草稿箱 (updating the article's earlier
  draft), never publish; or only say what would be sent (push.py)
- `site_url_problem`: why a site_url cannot be the public address the 公众号 links to (golive.py)
"""

from pufa.wechat.article import ArticleHtml, ArticleImage, Reference, THEME_CSS, to_wechat_html
from pufa.wechat.bundle import build_bundle, read_article, site_images, write_index
from pufa.wechat.cover import draw_cover, draw_thumb, missing_glyphs
from pufa.wechat.golive import site_url_problem
from pufa.wechat.images import BodyImage, ImageError, prepare_body_image
from pufa.wechat.limits import check_limits
from pufa.wechat.push import Draft, Plan, PushState, WeChatError, plan_push, push_draft

__all__ = [
    "ArticleHtml",
    "ArticleImage",
    "BodyImage",
    "Draft",
    "ImageError",
    "Plan",
    "PushState",
    "Reference",
    "THEME_CSS",
    "WeChatError",
    "build_bundle",
    "check_limits",
    "draw_cover",
    "draw_thumb",
    "missing_glyphs",
    "plan_push",
    "prepare_body_image",
    "push_draft",
    "read_article",
    "site_images",
    "site_url_problem",
    "to_wechat_html",
    "write_index",
]
