"""drafter summary FILES…|DIR -o 汇总.docx|.xlsx|.html [--previous-dir DIR] [--title T] [--year Y] [--force]"""
from __future__ import annotations

import sys
from pathlib import Path


def add_arguments(p):
    p.add_argument("files", nargs="+", metavar="FILE|DIR", help="各单位的报告文件，或存放报告文件的文件夹")
    p.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="汇总结果：.docx（Word）、.xlsx（Excel）或 .html（网页）")
    p.add_argument("--previous-dir", metavar="DIR", help="上年度报告所在文件夹：逐一比对，并列出缺报单位")
    p.add_argument("--title", help="汇总表标题（默认：<年度>年政府信息公开工作年度报告数据汇总）")
    p.add_argument("--year", type=int, help="汇总年度：其他年度的文件列为未计入（不指定时，年度不一致则不汇总）")
    p.add_argument("--force", action="store_true", help="输出文件已存在时覆盖（输入的报告文件永远不会被覆盖）")
    p.add_argument("--jobs", type=int, metavar="N", help="同时读取文件的进程数（默认：全部处理器核心）")


def _refuse_output(out: Path, inputs: list[Path], force: bool) -> str | None:
    """Why `out` may not be written (Chinese), or None: never over an input, over another file only with --force."""
    from ..outputs import OutputRefused, check_output
    try:
        check_output(out, inputs, force)
    except OutputRefused as e:
        return str(e)
    return None


def run(args) -> int:
    from ..chinese import terminal_safe as t
    from ..summary import WRITERS, SummaryError, summarise, write
    from .check import expand, scan

    out = Path(args.output)
    if out.suffix.lower() not in WRITERS:
        print(f"drafter：不支持的输出格式「{t(out.suffix or out.name)}」：请用 .docx、.xlsx 或 .html", file=sys.stderr)
        return 2
    if not out.parent.is_dir():
        print(f"drafter：输出文件夹{t(out.parent)}不存在", file=sys.stderr)
        return 2
    files, skipped = scan(args.files)
    if not files:
        print("drafter：没有找到报告文件（.yaml）", file=sys.stderr)
        return 2
    previous: list[Path] = []
    if args.previous_dir:
        if not Path(args.previous_dir).is_dir():
            print(f"drafter：上年度文件夹{t(args.previous_dir)}不存在", file=sys.stderr)
            return 2
        previous = expand([args.previous_dir])
    why = _refuse_output(out, files + previous, args.force)
    if why:
        print(f"drafter：{t(why)}", file=sys.stderr)
        return 2
    if args.jobs is not None and args.jobs < 1:
        print("drafter：--jobs 应为正整数", file=sys.stderr)
        return 2
    try:
        s = summarise(files, previous, year=args.year, title=args.title, jobs=args.jobs, skipped=skipped)
        write(s, out)
    except SummaryError as exc:
        print(f"drafter：{t(exc)}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"drafter：无法写入{t(out)}（{exc.strerror}）", file=sys.stderr)
        return 2
    print(t(s.headline()))
    for e in s.left_out:
        print(t(f"  未计入  {e.path}：{e.left_out}"))
    for e in s.with_errors:
        print(t(f"  有错误  {e.name}（{e.path}）：错误{e.errors}个，提醒{e.warnings}个（已计入）"))
    if s.not_summed:
        print(f"  {len(s.not_summed)}个汇总格不完整（有单位空白或填写无效），已标「*」")
    for f in s.findings:
        print(t(f"  汇总表核对  {f.message}"))
    if s.missing:
        print(t(f"  缺报单位（{len(s.missing)}个）：{'、'.join(s.missing)}"))
    print(f"已写入 {t(out)}")
    return 1 if s.with_errors else 0
