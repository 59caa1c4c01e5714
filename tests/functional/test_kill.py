"""Nothing lost: drafter killed (SIGKILL) at random points while it saves leaves the old or the new file, never a broken one."""
import random
import signal
import subprocess
import sys
import time

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
    load(path).save(path)                                   # the next save clears temp files of killed writes
    assert sorted(x.name for x in tmp_path.iterdir()) == ["r.yaml", "r.yaml.bak"]
