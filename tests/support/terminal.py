"""Real terminals for the editor's tests: tmux sessions driven from a test, and a patient wait."""
from __future__ import annotations

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
