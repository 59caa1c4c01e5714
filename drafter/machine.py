"""What this machine offers the batch commands (drafter check DIR, drafter summary): one place for it."""
from __future__ import annotations

import gc
import os
from contextlib import contextmanager
from typing import Iterator


def usable_cpus() -> int:
    """The cores this process may use (its affinity where the OS has one; Windows and macOS: every core)."""
    try:
        return len(os.sched_getaffinity(0))     # type: ignore[attr-defined,unused-ignore]
    except AttributeError:
        return os.cpu_count() or 1


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector paused over a batch's chunk of files: reading a file leaves no reference cycles,
    and the collector's passes over the parser's objects cost about 5% of the batch."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
