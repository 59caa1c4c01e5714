"""Real terminals for the editor's tests: tmux sessions driven from a test, and a patient wait."""
from __future__ import annotations

import os
import subprocess
import time


def tmux(*args) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=True).stdout


def wait_for(pred, what, limit=30.0, show=None):
    """pred()'s first true value, polled every 50 ms; AssertionError naming `what` (and show()) after `limit` s.
    A wait with a generous limit, not a speed test: speed is measured by bench/."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        v = pred()
        if v:
            return v
        time.sleep(0.05)
    raise AssertionError(f"never happened: {what}" + (f"\n{show()}" if show else ""))


class Terminal:
    """A tmux session at 100×30 running `command` in `folder`."""

    def __init__(self, name: str, folder, command: str):
        self.session = f"drafter-{name}-{os.getpid()}"
        tmux("new-session", "-d", "-s", self.session, "-x", "100", "-y", "30", f"cd '{folder}' && {command}")
        tmux("resize-window", "-t", self.session, "-x", "100", "-y", "30")

    def screen(self) -> str:
        return tmux("capture-pane", "-t", self.session, "-p")

    def wait(self, text: str, what: str = "", limit: float = 30.0) -> str:
        """The screen once `text` is on it."""
        def seen():
            s = self.screen()
            return s if text in s else None
        return wait_for(seen, what or f"「{text}」on screen", limit, self.screen)

    def keys(self, *keys: str) -> None:
        tmux("send-keys", "-t", self.session, *keys)

    def child_pid(self) -> int:
        """The process the pane's shell runs (drafter, or a stand-in shell that runs it)."""
        shell = int(tmux("list-panes", "-t", self.session, "-F", "#{pane_pid}").split()[0])
        return int(subprocess.run(["pgrep", "-P", str(shell)], capture_output=True, text=True).stdout.split()[0])

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.session], capture_output=True)
