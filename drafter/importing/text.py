"""Pasted text (.txt, .md): text copied from a web page (the five seeds' form) or from a PDF.

Tables come as tab-separated rows, as one cell per line, as markdown pipe tables, or (copied from a PDF) as rows
whose cells are separated by runs of spaces, or by single spaces (split by tables.place_table, which knows the
labels), or out of order as some PDF viewers and tools give them — a row's numbers on the line before its label,
blocks of rows written column by column (tables.place_table reads those from the structure where the table's
totals prove it, and otherwise leaves them with one doubt); headings may carry markdown `#` and `**`; list items `- ` or `• `; a PDF's page numbers (- 3 -) are
dropped. Each line becomes a list of cells for import_lines.
"""
from __future__ import annotations

import re
import unicodedata

from ..report import ReportError
from .pipeline import ImportResult, import_lines
from .tables import is_value

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200e\u200f\u2028\u2029\ufeff]")
_MD_SEPARATOR = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")
# a page number as a PDF prints it and its copied text keeps: — 1 —, - 2 -, －3－ (a bare 3 may be a cell)
PAGE_NUMBER = re.compile(r"^\s*[-—–－]\s*\d{1,4}\s*[-—–－]\s*$")
_RUN = re.compile(r"\s{2,}")


def decode(raw: bytes, path) -> str:
    """The text of a pasted report: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030 (GBK)."""
    if not raw.strip():
        raise ReportError(path, "文件是空的")
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in raw:
        raise ReportError(path, "不是文本文件（可能是图片、压缩包或其他二进制文件），无法读取")
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ReportError(path, "无法识别文件的文字编码（应为UTF-8或GBK文本），无法读取")
    bad = sum(1 for ch in text if unicodedata.category(ch) in ("Cc", "Co", "Cs") and ch not in "\t\r\n")
    if bad > max(3, len(text) // 100):
        raise ReportError(path, "不是文本文件（含有大量乱码或控制字符），无法读取")
    return text


def strip_markdown(s: str) -> str:
    s = s.strip()
    s = re.sub(r"^#{1,6}\s*", "", s)
    s = re.sub(r"^>\s*", "", s)
    s = re.sub(r"^[-*•·]\s+", "", s)
    s = re.sub(r"^\*\*(.*)\*\*$", r"\1", s).strip()
    s = re.sub(r"^__(.*)__$", r"\1", s).strip()
    return s


def text_lines(text: str) -> list[list[str]]:
    out: list[list[str]] = []
    for raw in re.split(r"\r\n|\r|\n", text):
        line = _CONTROL.sub("", raw).replace("\u3000", " ").replace("\xa0", " ")
        st = line.strip()
        if st.startswith("|") and st.endswith("|") and st.count("|") >= 3:
            if _MD_SEPARATOR.match(st):
                continue
            out.append([strip_markdown(c) for c in st[1:-1].split("|")])
        elif "\t" in line:
            out.append([strip_markdown(c) for c in line.split("\t")])
        elif PAGE_NUMBER.match(line):
            continue
        elif _RUN.search(st) and _cells_apart(_RUN.split(st)):
            out.append([strip_markdown(c) for c in _RUN.split(st)])
        else:
            out.append([strip_markdown(line)])
    return out


def _cells_apart(parts: list[str]) -> bool:
    """Parts of a line split at runs of spaces are a table row's cells (text copied from a PDF with its layout):
    one of them is a figure, or there are three or more short ones (a header row); prose with a double space is not."""
    return any(is_value(p.split()[-1]) for p in parts if p.split()) or (len(parts) >= 3 and
                                                                       all(len(p) <= 30 for p in parts))


def read(path, raw: bytes, year: int | None = None) -> ImportResult:
    return import_lines(text_lines(decode(raw, path)), path, year)
