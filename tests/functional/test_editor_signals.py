"""The editor ended by a signal (issue 13): SIGTERM (a kill, a shutdown) and SIGHUP (the terminal window closed) end
`drafter edit` as Ctrl+Q does, without asking: what the clerk typed is in the file (or, where it cannot be written,
in a copy beside it), the lock is gone, the exit status is 128 + the signal's number.

Real processes in tmux; the hangup is a real one (the tmux session, i.e. the terminal, is closed)."""
import os
import shutil
import signal
import sys
import time
from pathlib import Path

import pytest
from terminal import Terminal, wait_for

from drafter.lock import lock_path
from drafter.report import load

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "青山镇-2021.yaml"

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None or not hasattr(signal, "SIGHUP"),
                                reason="tmux and POSIX signals")

# a login shell's part at a hangup: pass SIGHUP on to the job, then report how it ended
SHELL = r"""
import signal, subprocess, sys
job = subprocess.Popen(sys.argv[2:])
signal.signal(signal.SIGHUP, lambda *a: job.send_signal(signal.SIGHUP))
code = job.wait()
open(sys.argv[1], "w", encoding="utf-8").write(str(code))
"""




EDIT = f"{sys.executable} -m drafter.cli edit 青山镇-2021.yaml --goto requests.new.natural"


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def type_seven(t: Terminal, sample: Path) -> None:
    t.wait("行：一、本年新收", "the editor open at requests.new.natural")
    assert lock_path(sample).exists()
    assert load(sample).figures["requests.new.natural"] != 7
    t.keys("7")
    wait_for(lambda: "本行总计：" in t.screen() and load(sample).figures["requests.new.natural"] == 7,
             "the value typed", show=t.screen)


def test_sigterm_ends_the_editor_with_the_value_saved_and_no_lock(sample):
    t = Terminal("sigterm", sample.parent, f"{EDIT}; echo EXIT=$?; sleep 120")
    try:
        type_seven(t, sample)
        os.kill(t.child_pid(), signal.SIGTERM)
        screen = t.wait("EXIT=", "the editor ended")
        assert f"EXIT={128 + signal.SIGTERM}" in screen, screen
        assert "drafter：收到SIGTERM，编辑器已关闭；修改都已保存" in screen
        assert "Traceback" not in screen
        assert not lock_path(sample).exists()
        assert load(sample).figures["requests.new.natural"] == 7
    finally:
        t.close()


def test_terminal_closed_ends_the_editor_with_the_value_saved_and_no_lock(sample, tmp_path):
    """The terminal window closed: tmux closes the pseudo-terminal, the shell passes SIGHUP on to the editor, which
    can no longer write to its screen."""
    status = tmp_path / "status"
    t = Terminal("sighup", sample.parent, f"exec {sys.executable} -c '{SHELL}' {status} {EDIT}")
    try:
        type_seven(t, sample)
        pid = t.child_pid()
        t.close()
        wait_for(lambda: status.exists() and status.read_text(encoding="utf-8"), "the editor ended")
        assert int(status.read_text(encoding="utf-8")) == 128 + signal.SIGHUP
        assert gone(pid)
        assert not lock_path(sample).exists()
        assert load(sample).figures["requests.new.natural"] == 7
    finally:
        t.close()


def test_sighup_with_a_change_not_written_keeps_it_beside_the_file(sample):
    """Another program changed the file, so the editor's change waits for the clerk's answer: SIGHUP then leaves
    the other program's file as it is and puts the clerk's version beside it."""
    t = Terminal("sighup-conflict", sample.parent, f"{EDIT}; echo EXIT=$?; sleep 120")
    try:
        t.wait("行：一、本年新收", "the editor open")
        r = load(sample)
        r.figures["requests.new.research"] = 42
        r.save(sample)
        theirs = sample.read_bytes()
        t.keys("7")
        t.wait("另存我的版本（K）", "the editor asks what to do with the outside change")
        os.kill(t.child_pid(), signal.SIGHUP)
        screen = t.wait("EXIT=", "the editor ended")
        assert f"EXIT={128 + signal.SIGHUP}" in screen, screen
        assert "drafter：收到SIGHUP，编辑器已关闭；修改未能写入「青山镇-2021.yaml」，已另存为" in screen
        assert sample.read_bytes() == theirs
        copies = [p for p in sample.parent.iterdir() if "（未保存的修改 " in p.name]
        assert len(copies) == 1
        mine = load(copies[0])
        assert mine.figures["requests.new.natural"] == 7 and mine.figures["requests.new.research"] != 42
        assert not lock_path(sample).exists()
    finally:
        t.close()


def test_nohup_is_respected(sample):
    """A signal ignored when the editor starts (nohup) stays ignored: SIGHUP does not end it; Ctrl+Q does."""
    t = Terminal("nohup", sample.parent, f"trap '' HUP; {EDIT}; echo EXIT=$?; sleep 120")
    try:
        t.wait("行：一、本年新收", "the editor open")
        pid = t.child_pid()
        os.kill(pid, signal.SIGHUP)
        time.sleep(1.0)
        assert not gone(pid) and lock_path(sample).exists()
        t.keys("C-q")
        assert "EXIT=0" in t.wait("EXIT=", "the editor ended")
        assert not lock_path(sample).exists()
    finally:
        t.close()


def test_sigterm_before_the_editor_is_up_ends_with_128_plus_n(sample):
    """A signal while the second editor asks whether to open read-only (no event loop yet): exit status 143 at
    once, no traceback, and the first editor's lock stays its own."""
    a = Terminal("first", sample.parent, f"{EDIT}; echo EXIT=$?; sleep 120")
    b = None
    try:
        a.wait("行：一、本年新收", "the first editor open")
        held = lock_path(sample).read_bytes()
        b = Terminal("second", sample.parent, f"{EDIT}; echo EXIT=$?; sleep 120")
        b.wait("以只读方式打开？", "the second editor asks")
        os.kill(b.child_pid(), signal.SIGTERM)
        screen = b.wait("EXIT=", "the second editor ended")
        assert f"EXIT={128 + signal.SIGTERM}" in screen and "Traceback" not in screen, screen
        assert lock_path(sample).read_bytes() == held
        a.keys("C-q")
        assert "EXIT=0" in a.wait("EXIT=", "the first editor ended")
        assert not lock_path(sample).exists()
    finally:
        a.close()
        if b is not None:
            b.close()
