"""The `pufa` command: check content, start a new page or a new county site, build, serve, push to WeChat."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from .content import vocabulary
from .problems import gitlab_report

NEW_KINDS = {"law": "laws", "event": "events", "place": "parks", "lecture": "laws", "questions": "laws"}
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def check(args) -> int:
    from .checks import check_project
    from .clock import build_today
    from .project import open_project
    root = Path(args.root)
    project = open_project(root / args.config_file)
    problems = project if isinstance(project, list) else check_project(project, build_today()).problems
    if args.format == "gitlab":
        Path(args.output).write_text(gitlab_report(problems), "utf-8")
    for found in problems:
        print(found.github() if args.format == "github" else found.format())
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    if args.format == "text":
        if errors or warnings:
            print(f"\n共发现 {errors} 个错误、{warnings} 个警告。", file=sys.stderr)
        else:
            print("检查通过：没有发现问题。", file=sys.stderr)
    return 1 if errors else 0


def new(args) -> int:
    from .scaffold import new_page
    return new_page(Path(args.root), args.docs, args.kind, args.slug, args.audience)


def init(args) -> int:
    from .site_init import init_site
    return init_site(args)


def build(args) -> int:
    from .release.build import build_site
    if args.drafts:
        os.environ["PUFA_DRAFTS"] = "1"
    return build_site(config_file=str(Path(args.root) / args.config_file), site_dir=args.site_dir)


def serve(args) -> int:
    from .site.serve import serve_site
    return serve_site(config_file=str(Path(args.root) / args.config_file), dev_addr=args.dev_addr)


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


def arguments() -> argparse.ArgumentParser:
    """The command line, with every subcommand (also read by the test that checks the CI templates' commands)."""
    parser = argparse.ArgumentParser(prog="pufa", description="普法网站生成器")
    parser.add_argument("--root", default=".", help="网站根目录，也就是 mkdocs.yml 所在的文件夹（默认当前目录）")
    parser.add_argument("--docs", default="docs", help="内容目录（相对于根目录，默认 docs）")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("check", help="检查网站的全部内容和设置，一次列出全部问题")
    p.add_argument("--format", choices=["text", "github", "gitlab"], default="text",
                   help="text：文件:行号: 说明；github：GitHub Actions 批注；gitlab：GitLab 代码质量报告（写入 --output）")
    p.add_argument("--output", default="gl-code-quality-report.json", help="--format gitlab 时报告写到哪里")
    p.add_argument("-f", "--config-file", default="mkdocs.yml")
    p.set_defaults(func=check)

    p = sub.add_parser("new", help="按模板新建一篇内容（草稿）")
    p.add_argument("kind", choices=sorted(NEW_KINDS), help="law（法律专题）、lecture（讲稿）、questions（题库）、event（活动）或 place（阵地）")
    p.add_argument("slug", help="网址名：小写英文、数字和连字符；讲稿和题库写所属专题的网址名")
    p.add_argument("audience", nargs="?", default="", help="讲稿的宣讲对象：" + "、".join(vocabulary.names("audiences")) + "（只用于 lecture）")
    p.set_defaults(func=new)

    p = sub.add_parser("init", help="为一个新的县（市、区）生成一个可以直接构建的普法网站")
    p.add_argument("directory", help="新网站的文件夹（不存在会新建；已有文件不会被覆盖）")
    p.add_argument("--county", help="县级行政区全称，如 宜城市")
    p.add_argument("--short-name", help="简称，如 宜城")
    p.add_argument("--code", help="6 位行政区划代码")
    p.add_argument("--prefecture", help="所属地级市（州、盟），如 某某市")
    p.add_argument("--province", help="所属省（自治区、直辖市）")
    p.add_argument("--publisher", help="主办单位，如 宜城市司法局")
    p.add_argument("--site-url", help="网站的正式网址，如 https://pufa.example.gov.cn/")
    p.add_argument("--towns", help="乡镇级行政区，用逗号分隔")
    p.add_argument("--bbox", help="地区范围：南,西,北,东（WGS-84 度），如 31.5,112.0,31.9,112.6")
    p.add_argument("--yes", action="store_true", help="不提问：没给的值写成“待填写”")
    p.set_defaults(func=init)

    p = sub.add_parser("build", help="构建网站（先在临时目录构建并校验，成功后才替换）")
    p.add_argument("-f", "--config-file", default="mkdocs.yml")
    p.add_argument("-d", "--site-dir", default=None)
    p.add_argument("--drafts", action="store_true", help="预览：草稿也构建进去（给拉取请求的预览用，不要发布）")
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
    return parser


def main(argv: list[str] | None = None) -> int:
    args = arguments().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
