"""drafter render FILE [-o OUT] [--draft] [--template T.docx] [--to docx|html|pdf]"""
from __future__ import annotations

import sys
from pathlib import Path

SUFFIX = {"docx": ".docx", "html": ".html", "pdf": ".pdf"}


def add_arguments(p):
    p.add_argument("file", metavar="FILE", help="报告文件（.yaml）")
    p.add_argument("-o", "--out", metavar="OUT", help="输出文件（默认：报告文件旁的「<机关名称><年度>年政府信息公开工作年度报告.docx」）")
    p.add_argument("--draft", action="store_true", help="仍有错误时也生成，并在页眉和标题标注「草稿」")
    p.add_argument("--template", metavar="T.docx", help="使用本省（市）的Word模板（须保留各单元格占位符）")
    p.add_argument("--to", choices=sorted(SUFFIX), help="输出格式：docx（默认）、html（网站发布）、pdf（需LibreOffice）")
    p.add_argument("--force", action="store_true", help="输出文件已存在时覆盖（报告文件本身永远不会被覆盖）")


def run(args) -> int:
    from ..render import discard_template_child, warm_template_child

    if args.template and args.to != "html" and Path(args.template).is_file():
        warm_template_child()           # its Python loads while the report is read and checked
    try:
        return _run(args)
    finally:
        discard_template_child()        # when the report was refused before it was rendered


def _run(args) -> int:
    from ..checks import SEVERITY, blocking, check
    from ..render import (
        RenderError,
        default_name,
        missing_placeholders,
        render_docx,
        render_html,
        render_pdf,
        template_path,
    )
    from ..report import atomic_write, load

    report = load(args.file)
    to = args.to
    if to is None:
        suffix = Path(args.out).suffix.lower() if args.out else ""
        to = next((k for k, v in SUFFIX.items() if v == suffix), "docx")
    out = Path(args.out) if args.out else Path(args.file).resolve().parent / default_name(report, SUFFIX[to])
    if args.template and to == "html":
        print("drafter：--template 只用于Word和PDF，网页不使用模板", file=sys.stderr)
        return 2

    errs = blocking(check(report, report.previous()), report.format)
    if errs and not args.draft:
        print(f"drafter：{report.agency_name or '（未填机关名称）'} {report.year}年度报告还有{len(errs)}处须改正，"
              "不能生成正式文件：", file=sys.stderr)
        for f in errs:
            print(f"  {SEVERITY[f.severity]}  {f.message}", file=sys.stderr)
        print("改正后再生成；如需先看效果，请加 --draft 生成草稿。", file=sys.stderr)
        return 1

    try:
        if args.template:
            template_path(report.format, args.template)
            missing = missing_placeholders(args.template, report.fmt)
            if missing and len(missing) < len(report.fmt.cells):   # none at all: render refuses it
                print(f"drafter：提醒：模板中缺少{len(missing)}个单元格占位符，这些数字不会出现在文件中："
                      + "、".join(missing[:6]) + ("……" if len(missing) > 6 else ""), file=sys.stderr)
        from ..outputs import check_output
        check_output(out, [args.file], args.force, template=args.template)    # never over the report or template
        if to == "html":
            try:
                atomic_write(out, render_html(report, args.draft), keep_backup=False)
            except OSError as e:
                raise RenderError(f"无法写入「{out}」：{e.strerror or e}") from None
        elif to == "pdf":
            render_pdf(report, out, args.draft, args.template)
        else:
            render_docx(report, out, args.draft, args.template)
    except RenderError as e:
        print(f"drafter：{e}", file=sys.stderr)
        return 2
    kind = "草稿" if args.draft else "正式文件"
    print(f"已生成{kind}：{out}" + (f"（有{len(errs)}处未改正）" if errs else ""))
    return 0
