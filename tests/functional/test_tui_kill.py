"""Nothing typed is lost: drafter edit runs in a real terminal (tmux), a value is typed, the process is killed with
SIGKILL, and the file holds the value."""
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from terminal import tmux, wait_for

from drafter.report import load

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "青山镇-2021.yaml"

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")




def gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")


def test_type_then_sigkill(tmp_path):
    path = tmp_path / "青山镇-2021.yaml"
    shutil.copy(SAMPLE, path)
    before = load(path).figures
    new = before["requests.new.natural"]
    assert new != 7
    session = f"drafter-kill-{os.getpid()}"
    cmd = f"cd {tmp_path} && exec {sys.executable} -m drafter.cli edit {path.name} --goto requests.new.natural"
    tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "30", cmd)
    try:
        tmux("resize-window", "-t", session, "-x", "100", "-y", "30")
        pid = int(tmux("list-panes", "-t", session, "-F", "#{pane_pid}").split()[0])
        screen = lambda: tmux("capture-pane", "-t", session, "-p")   # noqa: E731
        try:
            wait_for(lambda: "行：一、本年新收" in screen() and "列：申请人情况／自然人" in screen(),
                     "the editor opened at requests.new.natural")
        except AssertionError:
            raise AssertionError("the editor did not open at requests.new.natural:\n" + screen()) from None
        tmux("send-keys", "-t", session, "7")
        wait_for(lambda: load(path).figures["requests.new.natural"] == 7, "the typed value saved")
        r = load(path)
        assert r.figures["requests.new.total"] == before["requests.new.total"] - new + 7
        left = 7 + before["requests.carried_over.natural"]
        right = before["requests.total.natural"] + before["requests.carried_forward.natural"]
        msg = f"自然人列：一+二={left}，三（七）+四={right}，相差{abs(left - right)}"
        wait_for(lambda: msg in screen(), "the identity message on screen")
        os.kill(pid, signal.SIGKILL)
        wait_for(lambda: gone(pid), "the editor gone")
        back = load(path)
        assert back.figures["requests.new.natural"] == 7
        assert back.figures["requests.new.total"] == r.figures["requests.new.total"]
        assert back.text == load(SAMPLE).text
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
