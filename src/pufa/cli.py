"""The `pufa` command: check content, start a new page, build and serve the site."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from importlib import resources
from pathlib import Path

from .checks import check_site, settings_from_mkdocs, site_url_problems
from .content.records import SHANGHAI

NEW_KINDS = {"law": "laws", "event": "events", "place": "parks"}


def check(args) -> int:
    root = Path(args.root)
    settings = settings_from_mkdocs(root / "mkdocs.yml")
    _, problems = check_site(root / args.docs, prefix=args.docs, settings=settings)
    problems = sorted(problems + site_url_problems(root / "mkdocs.yml"))
    for problem in problems:
        print(problem.github() if args.format == "github" else problem.format())
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    if args.format != "github":
        if errors or warnings:
            print(f"\n共发现 {errors} 个错误、{warnings} 个警告。", file=sys.stderr)
        else:
            print("检查通过：没有发现问题。", file=sys.stderr)
    return 1 if errors else 0


def new(args) -> int:
    import re
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", args.slug):
        print(f"网址名 {args.slug} 不对：只能用小写英文字母、数字和连字符“-”，例如 anti-telecom-fraud。", file=sys.stderr)
        return 2
    target = Path(args.root) / args.docs / NEW_KINDS[args.kind] / f"{args.slug}.md"
    if target.exists():
        print(f"{target.as_posix()} 已经存在，没有覆盖。", file=sys.stderr)
        return 1
    template = resources.files("pufa").joinpath("templates", f"{args.kind}.md").read_text("utf-8")
    today = dt.datetime.now(SHANGHAI).date().isoformat()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(template.format(slug=args.slug, today=today), "utf-8")
    print(f"已创建 {target.as_posix()}（草稿）。把“待填写”的地方改好，把 draft 改成 false，再运行 pufa check。")
    return 0


def build(args) -> int:
    from .build import build_site
    return build_site(config_file=args.config_file, site_dir=args.site_dir)


def serve(args) -> int:
    from mkdocs.commands import serve as mkdocs_serve
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    mkdocs_serve.serve(config_file=args.config_file, dev_addr=args.dev_addr, livereload=True)
    return 0


def wechat_push(args) -> int:
    """Send one built bundle to the 公众号 草稿箱 (or, with --dry-run, show what would be sent).
    It never publishes or mass-sends."""
    from .wechat import WeChatError, plan_push, push_draft
    from .wechat.push import PushState
    appid, secret = os.environ.get("PUFA_WECHAT_APPID", ""), os.environ.get("PUFA_WECHAT_SECRET", "")
    bundle = Path(args.site_dir) / "wechat" / args.slug
    if not (bundle / "meta.json").is_file():
        print(f"找不到 {bundle.as_posix()}：请先运行 pufa build 生成网站，并确认网址名 {args.slug} 写对了。", file=sys.stderr)
        return 1
    state_file = Path(args.state_file) if args.state_file else Path(args.root) / ".pufa" / "wechat-state.json"
    try:
        plan = plan_push(bundle, appid=appid, state=PushState(state_file))
        if args.dry_run:
            print(plan.describe())
            return 0
        if not appid or not secret:
            print("缺少公众号凭据：请设置环境变量 PUFA_WECHAT_APPID 和 PUFA_WECHAT_SECRET（在公众平台“设置与开发 → 基本配置”"
                  "查看，不要写进仓库）。", file=sys.stderr)
            return 2
        for warning in plan.warnings:
            print(f"注意：{warning}", file=sys.stderr)
        draft = push_draft(bundle, appid=appid, secret=secret, state_file=state_file,
                           api_base=os.environ.get("PUFA_WECHAT_API_BASE", "https://api.weixin.qq.com"))
    except WeChatError as exc:
        print(f"推送失败：{exc.message}", file=sys.stderr)
        return 1
    done = "已更新草稿箱里的原草稿" if draft.updated else "已放入公众号草稿箱"
    print(f"{done}（media_id：{draft.media_id}，本次上传 {draft.uploads} 个文件）。"
          "请登录公众平台，在“草稿箱”里预览、审核后再由人工发布。")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pufa", description="普法网站生成器")
    parser.add_argument("--root", default=".", help="仓库根目录（默认当前目录）")
    parser.add_argument("--docs", default="docs", help="内容目录（相对于根目录，默认 docs）")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("check", help="检查 docs/ 里所有内容，一次列出全部问题")
    p.add_argument("--format", choices=["text", "github"], default="text",
                   help="text：文件:行号: 说明；github：GitHub Actions 批注")
    p.set_defaults(func=check)

    p = sub.add_parser("new", help="按模板新建一篇内容（草稿）")
    p.add_argument("kind", choices=sorted(NEW_KINDS), help="law（法律专题）、event（活动）或 place（阵地）")
    p.add_argument("slug", help="网址名：小写英文、数字和连字符")
    p.set_defaults(func=new)

    p = sub.add_parser("build", help="构建网站（先在临时目录构建并校验，成功后才替换）")
    p.add_argument("-f", "--config-file", default="mkdocs.yml")
    p.add_argument("-d", "--site-dir", default=None)
    p.set_defaults(func=build)

    p = sub.add_parser("serve", help="本地预览（含草稿），默认 http://127.0.0.1:8000/")
    p.add_argument("-f", "--config-file", default="mkdocs.yml")
    p.add_argument("-a", "--dev-addr", default="127.0.0.1:8000")
    p.set_defaults(func=serve)

    p = sub.add_parser("wechat", help="公众号：把文章放入草稿箱（只放草稿，不会发布或群发）")
    wechat_sub = p.add_subparsers(dest="wechat_command", required=True)
    push = wechat_sub.add_parser("push", help="把 site/wechat/<网址名>/ 推送到公众号草稿箱")
    push.add_argument("slug", help="文章的网址名，如 anti-telecom-fraud")
    push.add_argument("-d", "--site-dir", default="site", help="构建好的网站目录（默认 site）")
    push.add_argument("--dry-run", action="store_true", help="只显示将要发送的内容，不连接微信")
    push.add_argument("--state-file", default=None,
                      help="推送记录（已上传的图片、封面和草稿编号），默认 .pufa/wechat-state.json")
    push.set_defaults(func=wechat_push)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
