"""Reading a published report (pasted web text, .docx, .html, .pdf) into a Report, with a list of doubts.

Every reader turns its file into a sequence of lines, each a list of cell strings: a paragraph is a line of one
cell, a table row a line of its cells (text pasted from a web page gives tab-separated rows, or one cell per line;
text copied from a PDF gives cells separated by runs of spaces). `pipeline.import_lines` does the rest for all of
them in named phases: title, year, agency, 落款, the narrative sections and the tables (tables.place_table).
Whatever cannot be placed with certainty is a doubt {cells: [...], message: 中文}, printed by `drafter import` and
kept in the file under `doubts`.
"""
from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

from ..report import ReportError
from .agency import parse_date
from .pipeline import ImportResult, import_lines
from .prose import join_broken, overview_parts, split_title
from .tables import place_rows, place_table, place_tokens

__all__ = ["ImportResult", "import_file", "import_lines", "join_broken", "overview_parts", "parse_date",
           "place_rows", "place_table", "place_tokens", "split_title"]

_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def import_file(path, year: int | None = None) -> ImportResult:
    """Read a published report; raises ReportError (one Chinese line) when the file is not one."""
    from .safety import MAX_FILE, check_size, sniff
    path = Path(path)
    try:
        if path.is_file() and path.stat().st_size > MAX_FILE:
            check_size(path, path.stat().st_size)
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ReportError(path, "文件不存在") from None
    except IsADirectoryError:
        raise ReportError(path, "这是一个文件夹，不是报告文件") from None
    except OSError as e:
        raise ReportError(path, f"无法读取（{e.strerror}）") from None
    suffix = path.suffix.lower()
    kind = sniff(raw)       # by content: the extension may lie
    reader: ModuleType
    if raw[:8] == _DOC or (suffix == ".doc" and kind == "binary"):
        raise ReportError(path, "这是旧版Word文件（.doc），请在Word或WPS中另存为.docx后再导入")
    elif b"%PDF-" in raw[:1024] or (suffix == ".pdf" and kind == "binary"):
        reader = _reader("pdf", path, "PDF文件")
    elif kind == "zip" or (kind == "binary" and suffix == ".docx"):
        reader = _reader("docx", path, ".docx文件（Word）")
    elif kind == "html" or (kind == "binary" and suffix in (".html", ".htm")):
        reader = _reader("html", path, "网页文件（.html）")
    else:
        reader = _reader("text", path, "文本文件")
    return reader.read(path, raw, year)


def _reader(name: str, path: Path, what: str) -> ModuleType:
    try:
        return importlib.import_module(f"drafter.importing.{name}")
    except ModuleNotFoundError as e:
        if e.name != f"drafter.importing.{name}" and name != "pdf":
            raise
        raise ReportError(path, f"暂不能读取{what}（缺少读取它的组件{e.name}），"
                                "请复制报告全文，粘贴到文本文件后再导入") from None
