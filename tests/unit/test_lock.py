"""One editor per file: the lock file beside a drafter file (drafter/lock.py)."""
import json
import os
import subprocess
import sys

import pytest

from drafter import lock as lockmod
from drafter.lock import Locked, acquire, lock_path, pid_alive, read_holder


def dead_pid() -> int:
    """The id of a process that has ended (and been reaped)."""
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def write_lock(path, **fields):
    d = {"program": "drafter", "host": lockmod.this_host(), "pid": os.getpid(), "user": "张三",
         "since": "2026-11-29T08:30:00+08:00", "token": "t0"}
    d.update(fields)
    lock_path(path).write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")


def test_lock_file_holds_host_pid_user_time_as_utf8_json(tmp_path):
    path = tmp_path / "青山镇-2021.yaml"
    path.write_text("year: 2021\n", encoding="utf-8")
    lk = acquire(path)
    assert lk.lock == tmp_path / ".~lock.青山镇-2021.yaml#"
    d = json.loads(lk.lock.read_bytes().decode("utf-8"))
    assert d["host"] == lockmod.this_host()
    assert d["pid"] == os.getpid()
    assert d["user"] == lockmod.this_user()
    assert d["since"][:4].isdigit() and "T" in d["since"]
    assert lk.notice() is None
    lk.release()
    assert not lk.lock.exists()


def test_second_acquire_says_who_and_since_when(tmp_path):
    path = tmp_path / "r.yaml"
    write_lock(path)                                   # this process: alive
    with pytest.raises(Locked) as e:
        acquire(path)
    h = e.value.holder
    assert h is not None and h.pid == os.getpid()
    # the time is shown in local time; compute the expectation the same way
    assert e.value.why == f"「r.yaml」正由 张三 在 {lockmod.this_host()} 上编辑（进程 {os.getpid()}，自 {h.since_text()}起）"
    assert lock_path(path).exists()                    # never removed by the refused editor


def test_stale_lock_of_a_dead_process_is_taken_over_with_a_notice(tmp_path):
    path = tmp_path / "r.yaml"
    pid = dead_pid()
    assert not pid_alive(pid)
    write_lock(path, pid=pid)
    lk = acquire(path)
    assert lk.taken_over is not None and lk.taken_over.pid == pid
    assert f"进程 {pid}" in lk.notice() and "接管" in lk.notice()
    assert read_holder(lk.lock).pid == os.getpid()
    lk.release()


def test_lock_of_another_host_is_never_taken_over_silently(tmp_path):
    path = tmp_path / "r.yaml"
    write_lock(path, host="PC-财务室-01", pid=dead_pid())      # its pid means nothing here
    with pytest.raises(Locked) as e:
        acquire(path)
    assert "在 PC-财务室-01 上编辑" in e.value.why
    assert read_holder(lock_path(path)).host == "PC-财务室-01"
    lk = acquire(path, take_over_foreign=True)                    # only on the clerk's word
    assert lk.taken_over.host == "PC-财务室-01"
    lk.release()


def test_unreadable_lock_is_not_taken_over(tmp_path):
    path = tmp_path / "r.yaml"
    lock_path(path).write_bytes(b"\xff\xfe garbage")
    with pytest.raises(Locked) as e:
        acquire(path)
    assert e.value.holder is None and "无法识别" in e.value.why


def test_release_never_removes_another_editors_lock(tmp_path):
    path = tmp_path / "r.yaml"
    lk = acquire(path)
    write_lock(path, token="someone-else")            # replaced meanwhile (taken over on another machine)
    lk.release()
    assert read_holder(lock_path(path)).token == "someone-else"


def test_lock_in_a_folder_that_cannot_be_written_raises_oserror(tmp_path):
    # root ignores permission bits: a folder that does not exist fails the same way for everyone
    with pytest.raises(OSError):
        acquire(tmp_path / "gone" / "r.yaml")
    under_a_file = tmp_path / "plain"
    under_a_file.write_text("x", encoding="utf-8")
    with pytest.raises(OSError):
        acquire(under_a_file / "r.yaml")


RACER = r"""
import sys, time
from drafter.lock import Locked, acquire
path, start = sys.argv[1], float(sys.argv[2])
while time.time() < start:
    pass
try:
    lk = acquire(path)
except Locked:
    print("locked", flush=True)
else:
    print("got", flush=True)
    sys.stdin.read()
    lk.release()
"""


def test_eight_processes_racing_for_one_stale_lock_one_wins(tmp_path):
    path = tmp_path / "r.yaml"
    write_lock(path, pid=dead_pid())
    import time
    start = time.time() + 1.0
    procs = [subprocess.Popen([sys.executable, "-c", RACER, str(path), str(start)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True) for _ in range(8)]
    try:
        answers = [p.stdout.readline().strip() for p in procs]
    finally:
        for p in procs:
            p.communicate("")
    assert sorted(answers) == ["got"] + ["locked"] * 7
    assert not lock_path(path).exists()                # the winner released it at its end
