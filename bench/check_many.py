"""Checking many files against loading them (issue 7): the checker must cost less than reading the YAML.

Generates `files` drafter files (format 2021, consistent, distinct agencies) into a temporary folder, then times
  load:    drafter.report.load of every file (read, decode, parse, build the Report)
  check:   drafter.checks.check of every loaded Report (and again against last year's report)
  summary: drafter.summary.summarise over all the files (load + check + sum), no output file
and prints one JSON object. `run()` returns the same dict for bench/run.py.

    .venv/bin/python bench/check_many.py [--files 10000] [--distinct 1000]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "support"))   # tests/support/gen.py: random consistent reports

from gen import random_report, random_reports  # noqa: E402

from drafter.checks import check, errors  # noqa: E402
from drafter.report import load  # noqa: E402
from drafter.summary import summarise  # noqa: E402


def write_files(folder: Path, files: int, distinct: int, seed: int) -> list[Path]:
    """`files` files from `distinct` generated reports; each copy gets its own agency name (no duplicates)."""
    rng = random.Random(seed)
    reports = random_reports(rng, "2021", 2022, distinct)
    texts = [(r.agency_name, r.dumps()) for r in reports]
    paths = []
    for i in range(files):
        name, text = texts[i % distinct]
        copy = i // distinct
        if copy:
            text = text.replace(f"name: {name}", f"name: {name}{copy:03d}", 1)
        p = folder / f"{i:05d}.yaml"
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    return paths


def run(files: int = 10_000, distinct: int = 1_000, seed: int = 1, summary: bool = True) -> dict:
    with tempfile.TemporaryDirectory(prefix="drafter-bench-") as tmp:
        t0 = time.perf_counter()
        paths = write_files(Path(tmp), files, distinct, seed)
        t_gen = time.perf_counter() - t0
        previous = random_report(random.Random(seed + 1), "2021", 2021, "上年镇人民政府")

        t0 = time.perf_counter()
        reports = [load(p) for p in paths]
        t_load = time.perf_counter() - t0

        t0 = time.perf_counter()
        findings = [check(r) for r in reports]
        t_check = time.perf_counter() - t0

        t0 = time.perf_counter()
        for r in reports:
            check(r, previous)
        t_check_prev = time.perf_counter() - t0

        n_errors = sum(len(errors(f)) for f in findings)
        out = {
            "bench": "check_many",
            "files": files,
            "distinct_reports": distinct,
            "cpus": os.cpu_count(),
            "generate_s": round(t_gen, 3),
            "load_s": round(t_load, 3),
            "check_s": round(t_check, 3),
            "check_with_previous_s": round(t_check_prev, 3),
            "load_files_per_s": round(files / t_load, 1),
            "check_files_per_s": round(files / t_check, 1),
            "check_with_previous_files_per_s": round(files / t_check_prev, 1),
            "check_over_load": round(t_check / t_load, 3),
            "check_cheaper_than_load": t_check < t_load,
            "errors_found": n_errors,   # the files are consistent: 0
        }
        if summary:
            t0 = time.perf_counter()
            s = summarise(paths)
            t_sum = time.perf_counter() - t0
            out["summary_s"] = round(t_sum, 3)
            out["summary_files_per_s"] = round(files / t_sum, 1)
            out["summary_included"] = len(s.included)
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--files", type=int, default=10_000)
    p.add_argument("--distinct", type=int, default=1_000, help="distinct generated reports (the rest are copies)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--no-summary", action="store_true", help="skip timing drafter.summary.summarise")
    a = p.parse_args(argv)
    res = run(a.files, min(a.distinct, a.files), a.seed, not a.no_summary)
    print(json.dumps(res, ensure_ascii=False))
    return 0 if res["check_cheaper_than_load"] and res["errors_found"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
