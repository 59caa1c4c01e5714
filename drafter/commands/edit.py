"""drafter edit FILE [--goto CELL_ID] [--previous LAST]"""
from __future__ import annotations

import sys
from pathlib import Path


def add_arguments(p):
    p.add_argument("file", metavar="FILE", help="报告文件（.yaml）")
    p.add_argument("--goto", metavar="CELL_ID", help="打开后直接转到此单元格，如 requests.new.natural")
    p.add_argument("--previous", metavar="LAST", help="上年度报告文件（显示上年数字并做跨年度核对）")


def check_target(report, target: str) -> str | None:
    """A Chinese message when --goto names nothing in this report, else None."""
    if target in report.fmt.cells or target in ("agency.name", "agency.level", "agency.signed_on", "text.intro",
                                                "text.problems", "text.other"):
        return None
    parts = target.split(".")
    if len(parts) == 3 and parts[:2] == ["text", "overview"] and parts[2].isdigit() \
            and int(parts[2]) < len(report.overview()):
        return None
    return f"{report.format}年格式中没有「{target}」这一项（单元格编号如 requests.new.natural）"


def run(args) -> int:
    from ..report import load
    path = Path(args.file)
    report = load(path)                       # ReportError → exit status 2 with a Chinese line
    if args.previous:
        load(args.previous)
    if args.goto:
        msg = check_target(report, args.goto)
        if msg:
            print(f"drafter：{msg}", file=sys.stderr)
            return 2
    return run_editor(path, args.goto, args.previous)


def run_editor(path, goto: str | None = None, previous: str | None = None) -> int:
    """Open the TUI on `path` (called by `drafter new` at its end)."""
    from ..tui.app import run_editor as _run
    return _run(path, goto=goto, previous=previous)
