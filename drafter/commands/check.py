"""drafter check FILES…|DIR [--previous LAST] [--previous-dir DIR] [--json] [--jobs N]

A folder is searched for drafter files (*.yaml, *.yml, any case); every entry that looks like one is checked or
listed as left out with its reason. One unreadable file is one result, and the batch goes on. Many files are
checked by a pool of processes (one per core), chunked, the results printed in file order.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from ..machine import gc_paused, usable_cpus

SUFFIXES = (".yaml", ".yml")
POOL_FROM = 400         # files: below this a pool costs more than it saves
CHUNK = 100             # files a worker checks per task


def add_arguments(p):
    p.add_argument("files", nargs="+", metavar="FILE|DIR", help="报告文件，或存放报告文件的文件夹")
    p.add_argument("--previous", metavar="LASTYEAR", help="上年度的报告文件（用于跨年度核对）")
    p.add_argument("--previous-dir", metavar="DIR", help="上年度报告所在文件夹，按机关名称逐一配对")
    p.add_argument("--json", action="store_true", help="以JSON输出")
    p.add_argument("--jobs", type=int, metavar="N", help="同时检查的进程数（默认：文件多时每个处理器一个）")


def looks_like_report(name: str) -> bool:
    return os.path.splitext(name)[1].lower() in SUFFIXES


def scan(paths) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The files to check (files named, and those inside folders named, in a stable order) and the entries of the
    folders that look like drafter files but are left out, each with the reason in Chinese. Links to missing
    files and link loops are files to check: reading them says what is wrong."""
    files: list[Path] = []
    left_out: list[tuple[Path, str]] = []
    for top in map(Path, paths):
        if not top.is_dir():
            files.append(top)
            continue
        found: list[str] = []
        for folder, dirs, names in os.walk(top, onerror=lambda e: left_out.append(_unreadable_folder(e))):
            for d in dirs:
                if looks_like_report(d) and os.path.islink(os.path.join(folder, d)):
                    left_out.append((Path(folder, d), "链接指向一个文件夹，未检查（不进入链接的文件夹）"))
            for n in names:
                if not looks_like_report(n):
                    continue
                if n.startswith("."):
                    left_out.append((Path(folder, n), "隐藏文件（名称以「.」开头），未检查"))
                else:
                    found.append(os.path.join(folder, n))
        # in the order of Path's own comparison (its parts; without case on Windows), each key made once
        found.sort(key=lambda f: os.path.normcase(f).split(os.sep))
        files += map(Path, found)
    return files, sorted(left_out)


def _unreadable_folder(e: OSError) -> tuple[Path, str]:
    why = "没有读取权限" if isinstance(e, PermissionError) else str(e.strerror or e)
    return Path(e.filename or ""), f"文件夹无法打开（{why}），其中的文件未检查"


def expand(paths) -> list[Path]:
    """The files to check of scan() (for commands that do not list what was left out)."""
    return scan(paths)[0]


def check_one(path: Path, previous=None, previous_index=None) -> dict:
    from ..checks import check
    from ..outputs import plain_name
    from ..report import ReportError, agency_key, load
    name = plain_name(path)
    try:
        report = load(path)
    except ReportError as e:
        where = name + (f" 第{e.line}行" if e.line else "") + (f" 「{e.key}」" if e.key else "")
        return {"file": name, "unreadable": f"{where}：{e.detail}", "reason": e.detail, "line": e.line,
                "key": e.key, "findings": []}
    prev = previous
    if prev is None and previous_index is not None:
        prev = previous_index.get(agency_key(report.agency_name))
        if prev is not None and prev.year != report.year - 1:
            prev = None
    findings = check(report, prev)
    res = {"file": name, "agency": report.agency_name, "year": report.year, "format": report.format,
           "findings": [f.as_dict() for f in findings]}
    if previous_index is not None:
        res["previous"] = plain_name(prev.path) if prev is not None and prev.path is not None else None
    return res


# ---- many files: a process pool ----------------------------------------------------------------
_POOL_STATE: tuple = (None, None)


def _init_worker(previous, previous_index) -> None:
    global _POOL_STATE
    _POOL_STATE = (previous, previous_index)


def _check_chunk(paths: list[str]) -> list[dict]:
    with gc_paused():
        return [check_one(Path(p), *_POOL_STATE) for p in paths]


def check_files(files: list[Path], previous=None, previous_index=None, jobs: int | None = None):
    """check_one() of every file, in order; in a pool of `jobs` processes (default: one per core when there are
    enough files to gain from it)."""
    if jobs is None:
        jobs = usable_cpus() if len(files) >= POOL_FROM else 1
    jobs = max(1, min(jobs, (len(files) + CHUNK - 1) // CHUNK))
    if jobs == 1:
        for f in files:
            yield check_one(f, previous, previous_index)
        return
    from concurrent.futures import ProcessPoolExecutor

    # the first file here: formats, rules and rule kinds are then loaded once, and forked workers inherit them
    yield check_one(files[0], previous, previous_index)
    chunks = [[os.fspath(f) for f in files[i:i + CHUNK]] for i in range(1, len(files), CHUNK)]
    from concurrent.futures.process import BrokenProcessPool
    done = 0
    pool = ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(previous, previous_index))
    try:
        for part in pool.map(_check_chunk, chunks):
            done += 1
            yield from part
    except BrokenProcessPool:       # a worker died (killed, out of memory): the rest here, one by one
        for chunk in chunks[done:]:
            for name in chunk:
                yield check_one(Path(name), previous, previous_index)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)   # output closed early (| head), Ctrl+C: no more work


def counts(res: dict) -> tuple[int, int]:
    e = sum(1 for f in res["findings"] if f["severity"] == "error")
    return e, len(res["findings"]) - e


def run(args) -> int:
    from ..outputs import plain_name
    from ..report import load
    files, left_out = scan(args.files)
    if not files:
        say("drafter：没有找到报告文件（.yaml）", sys.stderr)
        for p, why in left_out:
            say(f"  未检查  {plain_name(p)}：{why}", sys.stderr)
        return 2
    previous = load(args.previous) if args.previous else None
    prev_index = None
    if args.previous_dir:
        from ..summary.batch import index_previous
        prev_index = index_previous(expand([args.previous_dir]), jobs=args.jobs)[0]
    results = []
    for r in check_files(files, previous, prev_index, args.jobs):
        results.append(r)
        if not args.json:
            print_result(r)
    unreadable = sum(1 for r in results if "unreadable" in r)
    n_err = sum(counts(r)[0] for r in results)
    n_warn = sum(counts(r)[1] for r in results)
    with_err = sum(1 for r in results if counts(r)[0])
    if args.json:
        if len(results) == 1 and len(args.files) == 1 and not Path(args.files[0]).is_dir():
            out = results[0]
        else:
            out = {"files": results,
                   "left_out": [{"file": plain_name(p), "reason": why} for p, why in left_out],
                   "summary": {"files": len(results), "with_errors": with_err, "errors": n_err,
                               "warnings": n_warn, "unreadable": unreadable, "left_out": len(left_out)}}
        write_json(out)
    else:
        for p, why in left_out:
            say(f"未检查  {plain_name(p)}：{why}")
        if len(results) > 1 or left_out:
            say(f"共{len(results)}个文件：{with_err}个有错误，错误{n_err}个，提醒{n_warn}个"
                + (f"，{unreadable}个无法读取" if unreadable else "")
                + (f"；另有{len(left_out)}项未检查（见上）" if left_out else ""))
    if unreadable:
        return 2
    return 1 if n_err else 0


def _json_text(obj, depth: int = 0) -> str:
    """obj as JSON with its dicts and lists laid out one member a line down to two levels (a folder's results: one
    file a line), each member written by the C encoder (json's indent= takes the pure-Python one: a province's
    20,000 results cost a second)."""
    pad, inner = " " * depth, " " * (depth + 1)
    if depth < 2 and isinstance(obj, dict) and obj:
        return "{\n" + ",\n".join(f"{inner}{json.dumps(str(k), ensure_ascii=False)}: {_json_text(v, depth + 1)}"
                                   for k, v in obj.items()) + f"\n{pad}}}"
    if depth < 2 and isinstance(obj, list) and obj:
        return "[\n" + ",\n".join(inner + _json_text(v, depth + 1) for v in obj) + f"\n{pad}]"
    return json.dumps(obj, ensure_ascii=False)


def write_json(obj) -> None:
    """One JSON document, always valid UTF-8 whatever the console's code page (a lone surrogate as \\udcxx)."""
    data = (_json_text(obj) + "\n").encode("utf-8", "backslashreplace")
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is not None:
        buffer.write(data)
        buffer.flush()
    else:
        sys.stdout.write(data.decode("utf-8"))


def say(line: str, stream=None) -> None:
    """One line of text output: control and escape characters shown as codes, never sent to the terminal."""
    if not line.isprintable():      # (terminal_safe changes only characters that are not printable)
        from ..chinese import terminal_safe
        line = terminal_safe(line)
    print(line, file=stream or sys.stdout)


def print_result(r: dict) -> None:
    if "unreadable" in r:
        say(f"drafter：{r['unreadable']}", sys.stderr)
        return
    e, w = counts(r)
    head = f"{r['agency'] or '（未填机关名称）'} {r['year']}年度（{r['file']}）"
    if not r["findings"]:
        say(f"{head}：未发现问题")
        return
    say(f"{head}：错误{e}个，提醒{w}个")
    from ..checks import SEVERITY

    for f in r["findings"]:
        mark = SEVERITY[f["severity"]] + ("（已确认）" if f.get("confirmed") else "")
        say(f"  {mark}  {f['message']}")
        say(f"        单元格：{'、'.join(f['cells'][:8])}{' …' if len(f['cells']) > 8 else ''}")
