"""Nothing lost: drafter killed (SIGKILL) at random points while it saves leaves the old or the new file, never a broken one."""
import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from drafter.report import Report, load

CHILD = r"""
import sys
from drafter.report import load
path = sys.argv[1]
r = load(path)
print("ready", flush=True)
i = 0
while True:
    i += 1
    r.agency["name"] = "乙镇人民政府" if i % 2 else "甲镇人民政府"
    r.text["problems"] = r.agency["name"] * 20000
    r.figures["requests.new.natural"] = i % 2
    r.save(path)
"""


@pytest.mark.slow
def test_sigkill_while_saving_50_times(tmp_path):
    path = tmp_path / "r.yaml"
    r = Report.new(2021, "甲镇人民政府")
    r.text["problems"] = "甲镇人民政府" * 20000
    r.figures["requests.new.natural"] = 0
    r.save(path)
    rng = random.Random(20261122)
    for _ in range(50):
        p = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE)
        assert p.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0, 0.05))
        p.send_signal(signal.SIGKILL)
        p.wait()
        back = load(path)                          # never a broken file
        name = back.agency_name
        assert name in ("甲镇人民政府", "乙镇人民政府")
        assert back.text["problems"] == name * 20000
        assert back.figures["requests.new.natural"] == (1 if name == "乙镇人民政府" else 0)
        left = sorted(x.name for x in tmp_path.iterdir())
        assert set(left) <= {"r.yaml", "r.yaml.bak", ".r.yaml.tmp", ".r.yaml.bak.tmp"}, left   # fixed names only
    # what a killed save leaves is never taken for a report
    p = subprocess.run([sys.executable, "-m", "drafter.cli", "check", str(tmp_path), "--json"],
                       capture_output=True, timeout=60)
    out = json.loads(p.stdout.decode("utf-8"))
    assert [Path(f["file"]).name for f in out["files"]] == ["r.yaml"] and out["left_out"] == []
    load(path).save(path)                                   # the next save replaces temp files of killed writes
    assert sorted(x.name for x in tmp_path.iterdir()) == ["r.yaml", "r.yaml.bak"]


def test_killed_save_leftovers_replaced(tmp_path):
    """A save killed after writing its temporary file (or its backup link) leaves them under fixed names; the
    next save replaces them, whatever they hold."""
    path = tmp_path / "r.yaml"
    Report.new(2021, "甲镇人民政府").save(path)
    code = ("import os, sys\nfrom drafter import report\n"
            "report.os.replace = lambda a, b: os.kill(os.getpid(), 9)\n"     # killed just before each rename
            "r = report.load(sys.argv[1]); r.agency['name'] = '乙镇人民政府'; r.save(sys.argv[1])\n")
    p = subprocess.run([sys.executable, "-c", code, str(path)], timeout=60)
    assert p.returncode == -signal.SIGKILL
    assert (tmp_path / ".r.yaml.tmp").exists() and (tmp_path / ".r.yaml.bak.tmp").exists()
    assert load(path).agency_name == "甲镇人民政府"
    r = load(path)
    r.agency["name"] = "丙镇人民政府"
    r.save(path)
    assert sorted(x.name for x in tmp_path.iterdir()) == ["r.yaml", "r.yaml.bak"]
    assert load(path).agency_name == "丙镇人民政府"
