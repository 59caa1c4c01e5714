"""What this machine offers the batch commands (drafter check DIR, drafter summary): one place for it."""
from __future__ import annotations

import os


def usable_cpus() -> int:
    """The cores this process may use (its affinity where the OS has one; Windows and macOS: every core)."""
    try:
        return len(os.sched_getaffinity(0))     # type: ignore[attr-defined,unused-ignore]
    except AttributeError:
        return os.cpu_count() or 1
