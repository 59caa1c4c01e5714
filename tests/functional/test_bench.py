"""bench/run.py runs end to end at a tiny size (no timing assertions: speed is measured by `make bench` only), and
the libyaml save it led to writes exactly what the pure emitter writes."""
import json
import random
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import run as bench  # noqa: E402
from gen import random_reports  # noqa: E402

from drafter.report import Report, _Dumper, load  # noqa: E402

NUMBERS = ["check_ms", "load_ms", "check_vs_load", "render_ms", "render_base_ms", "render_ratio", "import_docx_ms",
           "keystroke_ms", "keystroke_base_ms", "keystroke_ratio", "keystroke_work_ms", "keystroke_work_base_ms",
           "keystroke_work_ratio", "keystroke_idle_ms", "keystroke_idle_base_ms", "keystroke_idle_ratio",
           "startup_ms", "startup_base_ms", "startup_ratio", "startup_work_ms", "startup_work_base_ms",
           "startup_work_ratio", "process_import_ms",
           "process_import_base_ms", "process_import_ratio", "files_per_s", "load_files_per_s"]


def test_run_tiny(tmp_path):
    before = bench.SAMPLE.read_bytes()
    out = bench.run(repeat=1, files=12)
    json.dumps(out, ensure_ascii=False)                 # one JSON object
    for k in NUMBERS:
        assert isinstance(out[k], (int, float)) and out[k] > 0, (k, out[k])
    assert out["files"] == 12
    assert set(out["targets"]) == set(out["met"]) == {"check_ms", "keystroke_ratio", "startup_ratio", "render_ratio"}
    assert all(isinstance(v, bool) for v in out["met"].values())
    assert bench.SAMPLE.read_bytes() == before          # the benchmark types into a copy, never the sample


def test_main_prints_one_json_object():
    p = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--repeat", "1", "--files", "5"],
                       capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["bench"] == "drafter" and out["files"] == 5 and "met" in out


def _pure(r: Report) -> str:
    return yaml.dump(r.to_dict(), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)


def test_fast_save_writes_what_the_pure_emitter_writes():
    reports = random_reports(random.Random(5), "2021", 2022, 30) + random_reports(random.Random(6), "2019", 2020, 10)
    reports.append(load(ROOT / "samples" / "青山镇-2021.yaml"))
    typed = ["{{ x }}", "{% if %}", "<b>&amp;", "'\"", "😀表情", "a\tb", "第一行\n第二行\n", "末尾空格 \n", " 开头空格",
             "x\u2028y", "\u200b零宽", "- 横线", ": 冒号", "#井号", "yes", "null", "0012", "1:30", "0x10", "a\r\nb",
             "\x85nel", "\ufeffbom", "\n", "\n\n开头空行", "C:\\Users\\x", "长" * 3000, "\U0010fffd", "\x07", "~",
             "2022-01-28", "1.0", ".inf", "多段\n\n第二段", "  缩进\n第二行", "\ud800"]
    for r in reports:
        for w in [None] + typed:
            if w is not None:
                r.text["problems"] = w
                r.agency["name"] = w
                r.text["intro"] = w + "\n第二行"
            assert r.dumps() == _pure(r), repr(w)
