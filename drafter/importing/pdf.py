"""Reading a published report from a PDF (as Word's or WPS's PDF export writes it), with pdfplumber.

The PDF's own layout is read, page by page: tables from their ruling lines and rects (pdfplumber's table finder;
a merged cell once, a blank cell as '', cell text joined over its lines), and every other character grouped into
printed lines by position, then into paragraphs by first-line indent and short last lines. Gaps wider than two
characters split a line into cells (a table printed without rules). Page numbers (— 1 —, -2-, 第3页) and lines
repeated at the same place on several pages (running headers, footers) are dropped. The result is the importers'
lines (see importing/__init__.py): tables broken across pages, with or without their header repeated, join up in
tables.place_table as one sequence of rows.

Hostile files: the file size (safety.MAX_FILE), pages (MAX_PAGES), characters and graphic objects per page, the
size of every decompressed stream (MAX_STREAM, enforced while inflating) and the time (MAX_SECONDS, between pages)
are bounded; a broken, encrypted or scanned PDF is refused with one Chinese line.
"""
from __future__ import annotations

import io
import logging
import re
import statistics
import time
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from . import safety
from .docx import join_pieces
from .pipeline import ImportResult, Lines, import_lines

MAX_PAGES = 300
MAX_CHARS = 60_000            # characters on one page
MAX_OBJECTS = 60_000          # lines, rects and curves on one page
MAX_STREAM = 32 * 1024 * 1024  # one decompressed stream
MAX_SECONDS = 120.0
GAP = 0.9                     # a gap wider than this many characters parts two cells (a table without rules)

_PAGE_NUMBER = re.compile(r"^[\s\-—–－_·•.]*(第\s*)?\d{1,4}(\s*页)?(\s*/\s*共?\s*\d{1,4}\s*页?)?[\s\-—–－_·•.]*$")


class _BoundedZlib:
    """zlib for pdfminer's stream decoding, refusing any stream that inflates beyond MAX_STREAM."""
    error = zlib.error
    decompressobj = staticmethod(zlib.decompressobj)

    @staticmethod
    def decompress(data: bytes) -> bytes:
        d = zlib.decompressobj()
        out = d.decompress(data, MAX_STREAM)
        if d.unconsumed_tail:
            raise _TooBig()
        return out


class _TooBig(Exception):
    pass


def _pdfplumber():
    import pdfminer.pdftypes
    import pdfplumber
    pdfminer.pdftypes.zlib = _BoundedZlib       # type: ignore[assignment]
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    return pdfplumber


@dataclass
class _Item:
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    cells: list[str]
    table: bool = False


def _lines_of_chars(chars: list[dict]) -> list[_Item]:
    """Characters grouped into printed lines (a digit set a point lower stays on its line), split at wide gaps."""
    chars = sorted((c for c in chars if c.get("text", "").strip()), key=lambda c: (c["top"], c["x0"]))
    rows: list[list[dict]] = []
    for c in chars:
        size = float(c.get("size") or 10)
        for row in reversed(rows[-3:]):
            r0 = row[0]
            if abs(c["top"] - r0["top"]) <= max(2.0, 0.35 * size) or \
                    abs(c["bottom"] - r0["bottom"]) <= max(2.0, 0.35 * size):
                row.append(c)
                break
        else:
            rows.append([c])
    out = []
    for row in rows:
        row.sort(key=lambda c: c["x0"])
        size = statistics.median(float(c.get("size") or 10) for c in row)
        cells, cur, last = [], "", None
        for c in row:
            if last is not None:
                gap = c["x0"] - last["x1"]
                if gap > GAP * size:
                    cells.append(cur)
                    cur = ""
                elif gap > 0.25 * size and re.match(r"[A-Za-z0-9]", c["text"]) and re.search(r"[A-Za-z0-9.]$", cur):
                    cur += " "
            cur += c["text"]
            last = c
        cells.append(cur)
        out.append(_Item(min(c["top"] for c in row), max(c["bottom"] for c in row), row[0]["x0"],
                         row[-1]["x1"], size, cells))
    return out


def _table_rows(table) -> list[list[str]]:
    rows = []
    for row in table.extract():
        cells = [join_pieces((c or "").split("\n")) for c in row if c is not None]
        if any(cells):
            rows.append(cells)
    return rows


def _inside(c: dict, boxes: list[tuple]) -> bool:
    x, y = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
    return any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)


def _page_items(page) -> list[_Item]:
    chars = page.chars
    tables = []
    for t in page.find_tables():
        rows = _table_rows(t)
        if rows and max(len(r) for r in rows) >= 2:
            tables.append((t.bbox, rows))
    boxes = [b for b, _ in tables]
    items = _lines_of_chars([c for c in chars if not _inside(c, boxes)])
    for b, rows in tables:
        items.append(_Item(b[1], b[3], b[0], b[2], 0.0, [], table=True))
        items[-1].cells = rows       # type: ignore[assignment]
    items.sort(key=lambda i: i.top)
    return items


def _repeated(pages: list[list[_Item]]) -> set[tuple[int, str]]:
    """(rounded top, text) of short lines printed at the same place on more than a third of the pages."""
    if len(pages) < 3:
        return set()
    seen: Counter = Counter()
    for items in pages:
        seen.update({(round(i.top / 4), "".join(i.cells)) for i in items if not i.table and len("".join(i.cells)) < 60})
    return {k for k, n in seen.items() if n >= max(2, len(pages) // 3 + 1)}


def _paragraphs(items: list[_Item], left: float, right: float) -> Lines:
    """Printed lines of prose into paragraphs: a line starts one when it is indented, or when the line before it
    ended short of the right margin; lines split into several cells stay lines of their own."""
    out: Lines = []
    open_para = False
    for it in items:
        if len(it.cells) > 1:
            out.append(it.cells)
            open_para = False
            continue
        text = it.cells[0].strip()
        indented = it.x0 > left + 0.8 * it.size
        if open_para and not indented and out:
            out[-1] = [join_pieces([out[-1][0], text])]
        else:
            out.append([text])
        open_para = it.x1 >= right - 1.5 * it.size
    return out


def pdf_lines(path, raw: bytes) -> Lines:
    """The lines of a PDF (see module doc); ReportError when it is not a readable PDF with text."""
    safety.check_size(path, raw)
    pdfplumber = _pdfplumber()
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.psparser import PSException
    started = time.monotonic()
    pages: list[list[_Item]] = []
    images = 0
    try:
        with pdfplumber.open(io.BytesIO(raw)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                safety.refuse(path, f"PDF的页数过多（{len(pdf.pages)}页，上限{MAX_PAGES}页），不像是一份年度报告")
            for page in pdf.pages:
                if time.monotonic() - started > MAX_SECONDS:
                    safety.refuse(path, f"读取PDF超过{int(MAX_SECONDS)}秒，已停止（文件过于复杂，不像是一份年度报告）")
                objs = page.objects
                if len(objs.get("char", ())) > MAX_CHARS:
                    safety.refuse(path, f"PDF第{page.page_number}页的文字过多，不像是一份年度报告")
                if sum(len(objs.get(k, ())) for k in ("line", "rect", "curve")) > MAX_OBJECTS:
                    safety.refuse(path, f"PDF第{page.page_number}页的图形过多，不像是一份年度报告")
                images += len(objs.get("image", ()))
                pages.append(_page_items(page))
                page.close()
    except safety.ReportError:
        raise
    except (PDFPasswordIncorrect, PDFEncryptionError):
        safety.refuse(path, "PDF文件设置了密码或加密，请先取消密码（或另存为不加密的PDF）后再导入")
    except _TooBig:
        safety.refuse(path, f"PDF内部的数据解压后超过{MAX_STREAM // (1024 * 1024)}MB，可能是压缩炸弹，已拒绝读取")
    except MemoryError:
        safety.refuse(path, "PDF文件过于复杂，读取时内存不足，已停止")
    except RecursionError:
        safety.refuse(path, "PDF文件的结构嵌套过深，已拒绝读取")
    except (PSException, ValueError, TypeError, KeyError, IndexError, AttributeError, AssertionError, OSError,
            zlib.error, EOFError, NotImplementedError, ZeroDivisionError, OverflowError) as e:
        safety.refuse(path, f"PDF文件已损坏，无法读取（{type(e).__name__}）")
    except Exception as e:      # pdfminer raises its own exception classes from deep inside; the clerk gets a line
        if type(e).__module__.split(".")[0] not in ("pdfminer", "pdfplumber", "pypdfium2"):
            raise
        inner = [e, e.__cause__, e.__context__, *[a for a in e.args if isinstance(a, BaseException)]]
        if any(isinstance(x, (PDFPasswordIncorrect, PDFEncryptionError)) for x in inner):
            safety.refuse(path, "PDF文件设置了密码或加密，请先取消密码（或另存为不加密的PDF）后再导入")
        if any(isinstance(x, _TooBig) for x in inner):
            safety.refuse(path, f"PDF内部的数据解压后超过{MAX_STREAM // (1024 * 1024)}MB，可能是压缩炸弹，已拒绝读取")
        safety.refuse(path, f"PDF文件已损坏，无法读取（{type(e).__name__}）")
    if not any(it.cells for items in pages for it in items):
        if images:
            safety.refuse(path, "这是扫描件（PDF的每页都是图片，没有文字层），无法读取其中的文字；"
                                "请找到原来的Word文件或网页，或用文字识别（OCR）转成文字后再导入")
        safety.refuse(path, "PDF文件中没有文字")
    return _join_pages(pages)


def _join_pages(pages: list[list[_Item]]) -> Lines:
    repeated = _repeated(pages)
    prose = [it for items in pages for it in items if not it.table and len(it.cells) == 1]
    left = Counter(round(it.x0) for it in prose).most_common(1)[0][0] if prose else 0.0
    right = statistics.quantiles([it.x1 for it in prose], n=10)[-1] if len(prose) >= 2 else 1e9
    out: Lines = []
    run: list[_Item] = []
    for items in pages:
        for it in items:
            text = "" if it.table else "".join(it.cells)
            if not it.table and (_PAGE_NUMBER.match(text) or (round(it.top / 4), text) in repeated):
                continue
            if it.table:
                out += _paragraphs(run, left, right)
                run = []
                out += it.cells      # type: ignore[arg-type]
            else:
                run.append(it)
    out += _paragraphs(run, left, right)
    return out


def read(path, raw: bytes, year: int | None = None) -> ImportResult:
    return import_lines(pdf_lines(Path(path), raw), path, year)
