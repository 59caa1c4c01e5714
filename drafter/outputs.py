"""Where a command may write its result: never over one of its inputs, over an existing file only when asked.

`render`, `import`, `summary` and `new` call check_output() before writing; names are printed with shown_path().
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Iterable

from .chinese import terminal_safe
from .report import ReportError

_ESCAPED = re.compile("[\udc80-\udcff]")


class OutputRefused(ReportError):
    """The output file named cannot be written: str() is one Chinese line naming it."""


def check_output(out: Path, inputs: Iterable[Path | str], force: bool = False,
                 template: Path | str | None = None) -> None:
    """Raise OutputRefused when `out` is one of the report files `inputs` or the `template` (whatever the path:
    a link, another spelling, a hard link), is a folder, or already exists and `force` is not given."""
    out = Path(out)
    if out.is_dir():
        raise OutputRefused(shown_path(out), "这是一个文件夹，请在 -o 后写出文件名")
    if not out.exists():            # nothing there (or a link to nothing): no input can be lost
        return
    if template is not None and _same(out, template):
        raise OutputRefused(shown_path(out), "是所用的模板文件，不能覆盖；请用 -o 另取一个文件名")
    for p in inputs:
        if _same(out, p):
            raise OutputRefused(shown_path(out), f"是要读取的报告文件之一（{shown_path(p)}），不能覆盖；"
                                                 "请用 -o 另取一个文件名")
    if not force:
        raise OutputRefused(shown_path(out), "已存在。覆盖它请加 --force，或用 -o 另取一个文件名")


def _same(a: Path | str, b: Path | str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:             # one of them is not there: nothing to write over
        return False


def plain_name(path: Path | str) -> str:
    """A file name as valid text: bytes that are not UTF-8 (kept by the system as lone surrogates) as \\xNN."""
    return _ESCAPED.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", os.fspath(path))


def shown_path(path: Path | str) -> str:
    """A file name for a terminal: non-UTF-8 bytes as \\xNN, control and escape characters as visible codes."""
    return terminal_safe(plain_name(path)).replace("\n", "\\n")
