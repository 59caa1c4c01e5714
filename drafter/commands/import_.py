"""drafter import FILE [-o OUT.yaml] [--year Y]: a published report (.pdf, .docx, .html, pasted text) → drafter file."""
from __future__ import annotations

import sys
from pathlib import Path


def add_arguments(p):
    p.add_argument("file", metavar="FILE", help="已发布的报告：.pdf、.docx、.html，或复制网页、PDF得到的文本文件（.txt）")
    p.add_argument("-o", "--output", metavar="OUT.yaml", help="导入后的报告文件（默认：<机关名称>-<年度>.yaml）")
    p.add_argument("--year", type=int, help="报告年度（标题中没有年度时使用）")
    p.add_argument("--force", action="store_true", help="目标文件已存在时覆盖（已发布的原文永远不会被覆盖）")


def run(args) -> int:
    from ..importing import import_file
    from ..outputs import check_output, shown_path
    from ..report import ReportError, name_problem

    res = import_file(Path(args.file), args.year)
    report = res.report
    out = Path(args.output or f"{report.agency_name or '报告'}-{report.year}.yaml")
    if out.suffix.lower() not in (".yaml", ".yml"):
        print(f"drafter：导入结果是drafter文件，请用 .yaml 作为文件名后缀（{shown_path(out)}）", file=sys.stderr)
        return 2
    check_output(out, [args.file], args.force)
    why = name_problem(report.agency_name)
    if why:     # a name the file could not be read back with: left for the clerk to fill in
        res.doubts.append({"cells": ["agency.name"], "message": f"标题中的机关名称未带入（{why}），请在编辑界面填写"})
        report.extra["doubts"] = res.doubts
        report.agency["name"] = ""
    try:
        report.save(out)
    except OSError as e:
        raise ReportError(out, f"无法写入（{e.strerror}）") from None
    n = sum(1 for v in report.figures.values() if v is not None)
    print(f"已导入 {args.file} → {out}：{report.title}（{report.format}年格式，读到{n}/{len(report.figures)}个数字）")
    if res.doubts:
        print(f"存疑{len(res.doubts)}处（已记入文件的 doubts，请对照原文核对）：")
        for i, d in enumerate(res.doubts, 1):
            print(f"  {i}. {d['message']}")
    else:
        print("没有存疑之处。")
    print(f"下一步：drafter check {out}")
    return 0
