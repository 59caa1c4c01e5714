"""drafter edit FILE [--goto CELL_ID] [--previous LAST] [--read-only]

Exit status: 0 when everything the clerk changed is in a file; 1 when the file was not opened (another editor
has it and the clerk declined) or changes were left unsaved at quit; 2 for a file that cannot be read."""
from __future__ import annotations

import sys
from pathlib import Path

from ..disk import why_not_written
from ..lock import EditLock, Locked, acquire, lock_path


def add_arguments(p):
    p.add_argument("file", metavar="FILE", help="报告文件（.yaml）")
    p.add_argument("--goto", metavar="CELL_ID", help="打开后直接转到此单元格，如 requests.new.natural")
    p.add_argument("--previous", metavar="LAST", help="上年度报告文件（显示上年数字并做跨年度核对）")
    p.add_argument("--read-only", action="store_true", help="只读打开：只查看，不写入任何内容")


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
    return run_editor(path, args.goto, args.previous, read_only=args.read_only)


def ask_read_only(e: Locked) -> str | None:
    """Tell the clerk who has the file open and ask what to do: "read-only", "take-over" (only for a lock of
    another computer or one that names nobody, whose editor cannot be seen from here) or None (do not open)."""
    foreign = e.holder is None or not e.holder.on_this_host()
    lines = [f"drafter：{e.why}。", "  同一文件只能一人修改，否则会互相覆盖。"]
    if not sys.stdin.isatty():
        lines.append("  要只查看，请加 --read-only 以只读方式打开。")
        print("\n".join(lines), file=sys.stderr)
        return None
    lines += ["  Y  以只读方式打开（只查看，不写入任何内容）", "  N  不打开"]
    if foreign:
        lines.append(f"  确定对方已不在编辑（例如那台电脑已关机）时，输入「接管」强行打开（锁文件：{lock_path(e.path).name}）")
    print("\n".join(lines), file=sys.stderr)
    try:
        answer = input("以只读方式打开？[Y/n] ").strip()
    except EOFError:
        return None
    if foreign and answer == "接管":
        return "take-over"
    return "read-only" if answer.lower() in ("", "y", "yes", "是", "好") else None


def run_editor(path, goto: str | None = None, previous: str | None = None, read_only: bool = False) -> int:
    """Open the TUI on `path` (called by `drafter new` at its end) with the file locked for this editor; the lock
    is removed when the editor ends, however it ends: Ctrl+Q, an error, or SIGTERM / SIGHUP / SIGBREAK (the
    changes saved, exit status 128 + the signal's number; only SIGKILL or a power cut leave a stale lock)."""
    from ..tui.app import signals_end_editor
    with signals_end_editor():             # a signal before the editor is up, or after: SystemExit, lock removed
        return _open_locked(Path(path), goto, previous, read_only)


def _open_locked(path: Path, goto: str | None, previous: str | None, read_only: bool) -> int:
    from ..tui.app import run_editor as _run
    lock: EditLock | None = None
    reason, notice = "", None
    if not read_only:
        try:
            lock = acquire(path)
        except Locked as e:
            answer = ask_read_only(e)
            if answer is None:
                return 1
            if answer == "take-over":
                try:
                    lock = acquire(path, take_over_foreign=True)
                except Locked as again:
                    print(f"drafter：{again.why}，未能接管", file=sys.stderr)
                    return 1
                h = e.holder
                notice = (f"已接管 {h.user or '另一位用户'} 在 {h.host or '另一台电脑'} 上打开此文件时留下的锁" if h
                          else "已接管无法识别的锁")
            else:
                read_only, reason = True, "另有编辑正在修改此文件"
        except OSError as e:
            read_only, reason = True, f"文件夹不能写入：{why_not_written(e)}"
        else:
            notice = lock.notice()
    try:
        return _run(path, goto=goto, previous=previous, read_only=read_only, read_only_reason=reason, notice=notice)
    finally:
        if lock is not None:
            lock.release()
