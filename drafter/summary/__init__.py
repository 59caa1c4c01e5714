"""Many agencies' reports → one county summary: the three tables summed, every file's findings,
the files left out and why, and the agencies missing against last year's set.

What counts (the same in every output, stated in POLICY):
- a file that cannot be read, is of another year or format, or repeats an agency already counted is left out;
- a file with errors is still summed, and listed as 「有错误」 with its findings;
- a cell a file leaves blank, or fills with a value of the wrong kind (a negative count, a fraction in a count
  cell), adds nothing to that cell's sum; the summed cell is marked 「*」 and the agencies are named.
Each summed cell is the sum of that same cell over the files, totals included (the towns' own totals, as published);
the summed tables are then checked with the same rules, so a town's broken total shows up there too.
Counts stay int, 万元 amounts Decimal: nothing passes through float.

The package by job: model (Entry, Summary, the printed lines), batch (reading and checking files on every core),
sums (which files count, the sums), and one writer each: page (HTML), excel (.xlsx), word (.docx).
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..files import atomic_write
from .excel import XLSX_TOP, to_xlsx, xlsx_sheet_name
from .model import MARK, NO_NAME, POLICY, SEVERITY, Entry, Summary, SummaryError, finding_rows, missing_lines
from .page import to_html
from .sums import sum_figures, summarise
from .word import to_docx

__all__ = ["MARK", "NO_NAME", "POLICY", "SEVERITY", "WRITERS", "XLSX_TOP", "Entry", "Summary", "SummaryError",
           "finding_rows", "missing_lines", "sum_figures", "summarise", "to_docx", "to_html", "to_xlsx", "write",
           "xlsx_sheet_name"]

WRITERS: dict[str, Callable[[Summary], str | bytes]] = {
    ".html": to_html, ".htm": to_html, ".xlsx": to_xlsx, ".docx": to_docx}


def write(s: Summary, path: str | Path) -> Path:
    """Write the summary as .docx, .xlsx or .html (by the file's extension), atomically."""
    path = Path(path)
    fn = WRITERS.get(path.suffix.lower())
    if fn is None:
        raise SummaryError(f"不支持的输出格式「{path.suffix or path.name}」：请用 .docx、.xlsx 或 .html")
    atomic_write(path, fn(s), keep_backup=False)
    return path
