"""drafter new --year YEAR [--from LAST] [-o FILE] [--name 机关名称] [--level township] [--no-edit]"""
from __future__ import annotations

import sys
from pathlib import Path


def add_arguments(p):
    p.add_argument("--year", type=int, required=True, help="报告年度，如2021")
    p.add_argument("--from", dest="source", metavar="LAST",
                   help="上年度报告：drafter文件（.yaml）、已发布报告的.docx或.pdf、网页另存的.html或复制的网页、PDF文本")
    p.add_argument("-o", "--output", metavar="FILE", help="新报告文件（默认：<机关名称>-<年度>.yaml）")
    p.add_argument("--name", help="机关名称（不从上年报告带入时必填）")
    p.add_argument("--level", default=None, choices=["township", "county", "city", "province", "department"],
                   help="机关层级（默认township，乡镇/街道）")
    p.add_argument("--no-edit", action="store_true", help="只生成文件，不打开编辑界面")
    p.add_argument("--force", action="store_true", help="目标文件已存在时覆盖")


def read_last(path: Path):
    """Last year's report from a drafter file or a published report; returns (Report, doubts)."""
    from ..report import ReportError, load
    if path.suffix.lower() in (".yaml", ".yml"):
        return load(path), []
    try:
        from ..importing import import_file
    except ImportError:  # pragma: no cover - the importer ships with drafter
        raise ReportError(path, "无法读取此类文件") from None
    res = import_file(path)
    return res.report, list(res.doubts)


def run(args) -> int:
    from ..carry import carry_forward, describe
    from ..formats import UnknownFormat, format_for_year
    from ..outputs import check_output, shown_path
    from ..report import Report, ReportError, name_problem

    try:
        format_for_year(args.year)
    except UnknownFormat:
        print(f"drafter：没有适用于{args.year}年的报告格式（2019年起）", file=sys.stderr)
        return 2
    if args.name is not None and name_problem(args.name):
        print(f"drafter：--name：{name_problem(args.name)}", file=sys.stderr)
        return 2
    if args.source:
        last, doubts = read_last(Path(args.source))
        if last.year >= args.year:
            print(f"drafter：上年报告是{last.year}年度的，不能带入{args.year}年度报告", file=sys.stderr)
            return 2
        report = carry_forward(last, args.year)
        if args.name:
            report.agency["name"] = args.name
        if args.level:
            report.agency["level"] = args.level
        if doubts:
            report.extra["import_doubts"] = doubts
    else:
        if not args.name:
            print("drafter：请用 --name 填写机关名称，或用 --from 指定上年度报告", file=sys.stderr)
            return 2
        report = Report.new(args.year, args.name, args.level or "township")
        doubts = []
    out = Path(args.output or f"{report.agency_name or '报告'}-{args.year}.yaml")
    if out.exists() and not args.force:
        print(f"drafter：{shown_path(out)} 已存在。打开它请用 drafter edit {shown_path(out)}；重新生成请加 --force",
              file=sys.stderr)
        return 2
    check_output(out, [args.source] if args.source else [], force=True)     # never over last year's report
    try:
        report.save(out)
    except OSError as e:
        raise ReportError(out, f"无法写入（{e.strerror}）") from None
    print(f"已新建 {out}：{report.title}（{report.format}年格式）")
    for line in describe(report):
        print("  " + line)
    for d in doubts:
        print("  存疑：" + (d.get("message", "") if isinstance(d, dict) else str(d)))
    if args.no_edit or not sys.stdin.isatty():
        return 0
    from .edit import run_editor
    return int(run_editor(out) or 0)
