"""Checking many files against loading them (issue 7): the checker must cost less than reading the YAML.

Generates `files` drafter files (format 2021, consistent, distinct agencies) into a temporary folder, then times
  load:    drafter.report.load of every file (read, decode, parse, build the Report)
  check:   drafter.checks.check of every loaded Report (and again against last year's report)
  summary: drafter.summary.summarise over all the files (load + check + sum), no output file
and prints one JSON object. `run()` returns the same dict for bench/run.py.

  province: `drafter check DIR --json` and `drafter summary DIR -o 汇总.xlsx` as new processes (--province):
           wall time and peak memory of the process tree (a pool's workers included); --samples: on copies of the
           bundled real reports (longer texts, import doubts, their own errors) instead of generated ones

    .venv/bin/python bench/check_many.py [--files 10000] [--distinct 1000] [--province [--samples]]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
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


# ---- province scale: the commands as a clerk runs them ------------------------------------------------------------
BASELINE = {   # before issue 13: 10,000 files, one process, the pure-Python YAML constructor
    "files": 10_000, "load_files_per_s": 457.6, "check_files_per_s": 1484.0, "summary_s": 39.0}


def _tree_rss_kb(root: int) -> int | None:
    """Resident memory of process `root` and all its descendants (kB), from /proc; None where there is no /proc."""
    try:
        names = os.listdir("/proc")
    except OSError:
        return None
    parent, rss = {}, {}
    for n in names:
        if not n.isdigit():
            continue
        try:
            with open(f"/proc/{n}/stat", encoding="utf-8") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{n}/status", encoding="utf-8") as f:
                kb = next((int(line.split()[1]) for line in f if line.startswith("VmRSS:")), 0)
        except (OSError, ValueError, IndexError):
            continue
        parent[int(n)], rss[int(n)] = ppid, kb
    total = 0
    for pid in rss:
        p = pid
        while p and p != root:
            p = parent.get(p, 0)
        if p == root:
            total += rss[pid]
    return total


def timed_process(argv: list[str]) -> dict:
    """Wall time of a new process, its output, and its peak memory: the whole process tree (the pool's workers
    included) sampled every 50 ms, and the largest single process (getrusage, where the system has it)."""
    try:
        import resource
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
    except ImportError:  # pragma: no cover - Windows
        resource = None  # type: ignore[assignment]
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    peak: list[int] = []

    def sample():
        while p.poll() is None:
            kb = _tree_rss_kb(p.pid)
            if kb is not None:
                peak.append(kb)
            time.sleep(0.05)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = p.communicate()
    wall = time.perf_counter() - t0
    sampler.join()
    out = {"s": round(wall, 3), "returncode": p.returncode, "stdout": stdout, "stderr": stderr,
           "peak_tree_rss_mb": round(max(peak) / 1024, 1) if peak else None}
    if resource is not None:
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        out["peak_largest_process_mb"] = round(after.ru_maxrss / 1024, 1)
        # CPU seconds of the process and its pool's workers: what the work costs whatever else the machine runs
        out["cpu_s"] = round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 3)
    return out


def write_sample_files(folder: Path, files: int) -> list[Path]:
    """`files` copies of the bundled samples (real published reports, imported: their own text, their doubts, the
    errors they print), each with its own agency name."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples").glob("*.yaml"))]
    paths = []
    for i in range(files):
        text = texts[i % len(texts)]
        at = text.index("\n  name: ") + len("\n  name: ")
        end = text.index("\n", at)
        p = folder / f"{i:05d}.yaml"
        p.write_text(f"{text[:end]}{i:05d}{text[end:]}", encoding="utf-8")
        paths.append(p)
    return paths


def province(files: int = 20_000, distinct: int = 1_000, seed: int = 1, summary: bool = True,
             samples: bool = False) -> dict:
    """`drafter check DIR --json` and `drafter summary DIR -o 汇总.xlsx` on `files` generated files (`samples`: copies
    of the bundled real reports): new processes, as a province office runs them, with wall time and peak memory;
    beside the figures of before issue 13."""
    drafter = [sys.executable, "-m", "drafter.cli"]
    with tempfile.TemporaryDirectory(prefix="drafter-province-") as tmp:
        folder = Path(tmp) / "province"
        folder.mkdir()
        t0 = time.perf_counter()
        if samples:
            write_sample_files(folder, files)
        else:
            write_files(folder, files, distinct, seed)
        out: dict = {"bench": "province", "files": files, "cpus": os.cpu_count(),
                     "reports": "bundled samples (real texts)" if samples else "generated",
                     "generate_s": round(time.perf_counter() - t0, 3)}
        c = timed_process(drafter + ["check", str(folder), "--json"])
        res = json.loads(c["stdout"].decode("utf-8"))
        assert c["returncode"] in ((0, 1) if samples else (0,)) and res["summary"]["files"] == files \
            and (samples or res["summary"]["errors"] == 0), c["stderr"][-2000:]
        out.update({"check_s": c["s"], "check_files_per_s": round(files / c["s"], 1),
                    "check_cpu_s": c.get("cpu_s"), "check_peak_tree_rss_mb": c["peak_tree_rss_mb"],
                    "check_peak_largest_process_mb": c.get("peak_largest_process_mb")})
        if summary:
            s = timed_process(drafter + ["summary", str(folder), "-o", str(Path(tmp) / "汇总.xlsx")])
            assert s["returncode"] in (0, 1) and (Path(tmp) / "汇总.xlsx").exists(), s["stderr"][-2000:]
            out.update({"summary_s": s["s"], "summary_files_per_s": round(files / s["s"], 1), "summary_cpu_s": s.get("cpu_s"),
                        "summary_peak_tree_rss_mb": s["peak_tree_rss_mb"]})
        # issue 13's targets for 20,000 files on 2 cores, and what the CPU time gives on idle cores (the wall time
        # includes whatever else the machine runs: load_average below)
        at_scale = files >= 20_000            # a smaller run is mostly start-up: no verdict
        cores = min(os.cpu_count() or 1, 2)
        out["targets_for_20000_files_2_cores"] = {"check_s": 10, "summary_s": 20}
        out["check_met"] = c["s"] <= 10 if at_scale else None
        out["check_cpu_s_over_2_cores"] = round(c["cpu_s"] / cores, 2) if c.get("cpu_s") is not None else None
        if summary:
            out["summary_met"] = s["s"] <= 20 if at_scale else None
            out["summary_cpu_s_over_2_cores"] = round(s["cpu_s"] / cores, 2) if s.get("cpu_s") is not None else None
        out["before_issue_13"] = BASELINE
        out["load_average"] = os.getloadavg()[0] if hasattr(os, "getloadavg") else None   # other work meanwhile
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--files", type=int, default=10_000)
    p.add_argument("--distinct", type=int, default=1_000, help="distinct generated reports (the rest are copies)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--no-summary", action="store_true", help="skip timing drafter.summary.summarise")
    p.add_argument("--province", action="store_true",
                   help="time the commands instead: `drafter check DIR` and `drafter summary DIR` as new processes")
    p.add_argument("--samples", action="store_true", help="--province on copies of the bundled real reports")
    a = p.parse_args(argv)
    if a.province:
        print(json.dumps(province(a.files, min(a.distinct, a.files), a.seed, not a.no_summary, a.samples),
                         ensure_ascii=False))
        return 0
    res = run(a.files, min(a.distinct, a.files), a.seed, not a.no_summary)
    print(json.dumps(res, ensure_ascii=False))
    return 0 if res["check_cheaper_than_load"] and res["errors_found"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
