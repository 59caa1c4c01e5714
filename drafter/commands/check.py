"""drafter check FILES…|DIR [--previous LAST] [--previous-dir DIR] [--json]"""
from __future__ import annotations

import json
import sys
from pathlib import Path

SEVERITY = {"error": "错误", "warning": "提醒"}


def add_arguments(p):
    p.add_argument("files", nargs="+", metavar="FILE|DIR", help="报告文件，或存放报告文件的文件夹")
    p.add_argument("--previous", metavar="LASTYEAR", help="上年度的报告文件（用于跨年度核对）")
    p.add_argument("--previous-dir", metavar="DIR", help="上年度报告所在文件夹，按机关名称逐一配对")
    p.add_argument("--json", action="store_true", help="以JSON输出")


def expand(paths) -> list[Path]:
    """Files named, and the drafter files (.yaml/.yml) inside folders named, in a stable order."""
    out = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(q for q in p.rglob("*") if q.suffix in (".yaml", ".yml") and q.is_file()
                          and not q.name.startswith("."))
        else:
            out.append(p)
    return out


def check_one(path: Path, previous=None, previous_index=None) -> dict:
    from ..checks import check
    from ..report import ReportError, agency_key, load
    try:
        report = load(path)
    except ReportError as e:
        return {"file": str(path), "unreadable": str(e), "findings": []}
    prev = previous
    if prev is None and previous_index is not None:
        prev = previous_index.get(agency_key(report.agency_name))
        if prev is not None and prev.year != report.year - 1:
            prev = None
    findings = check(report, prev)
    res = {"file": str(path), "agency": report.agency_name, "year": report.year, "format": report.format,
           "findings": [f.as_dict() for f in findings]}
    if previous_index is not None:
        res["previous"] = str(prev.path) if prev is not None else None
    return res


def counts(res: dict) -> tuple[int, int]:
    e = sum(1 for f in res["findings"] if f["severity"] == "error")
    return e, len(res["findings"]) - e


def run(args) -> int:
    from ..report import index_by_agency, load
    files = expand(args.files)
    if not files:
        print("drafter：没有找到报告文件（.yaml）", file=sys.stderr)
        return 2
    previous = load(args.previous) if args.previous else None
    prev_index = index_by_agency(expand([args.previous_dir]))[0] if args.previous_dir else None
    results = [check_one(f, previous, prev_index) for f in files]
    unreadable = sum(1 for r in results if "unreadable" in r)
    n_err = sum(counts(r)[0] for r in results)
    n_warn = sum(counts(r)[1] for r in results)
    with_err = sum(1 for r in results if counts(r)[0])
    if args.json:
        if len(results) == 1 and len(args.files) == 1 and not Path(args.files[0]).is_dir():
            out = results[0]
        else:
            out = {"files": results, "summary": {"files": len(results), "with_errors": with_err,
                                                  "errors": n_err, "warnings": n_warn, "unreadable": unreadable}}
        json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for r in results:
            print_result(r)
        if len(results) > 1:
            print(f"共{len(results)}个文件：{with_err}个有错误，错误{n_err}个，提醒{n_warn}个"
                  + (f"，{unreadable}个无法读取" if unreadable else ""))
    if unreadable:
        return 2
    return 1 if n_err else 0


def print_result(r: dict) -> None:
    if "unreadable" in r:
        print(f"drafter：{r['unreadable']}", file=sys.stderr)
        return
    e, w = counts(r)
    head = f"{r['agency'] or '（未填机关名称）'} {r['year']}年度（{r['file']}）"
    if not r["findings"]:
        print(f"{head}：未发现问题")
        return
    print(f"{head}：错误{e}个，提醒{w}个")
    for f in r["findings"]:
        mark = SEVERITY[f["severity"]] + ("（已确认）" if f.get("confirmed") else "")
        print(f"  {mark}  {f['message']}")
        print(f"        单元格：{'、'.join(f['cells'][:8])}{' …' if len(f['cells']) > 8 else ''}")
