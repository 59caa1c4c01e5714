"""Reading a published report from a PDF (as Word's or WPS's PDF export writes it), with pdfplumber.

The PDF's own layout is read, page by page: tables from their ruling lines and rects (pdfplumber's table finder;
a merged cell once, a blank cell as '', cell text joined over its lines), and every other character grouped into
printed lines by position, then into paragraphs by first-line indent, short last lines and size.

Tables printed without ruling lines, or with only some (only horizontal rules, only the frame, a three-line table,
frame and column rules; a web page printed by a browser), are read by position (_borderless): a line that ends in
figures set apart like cells is a table row; rows of figures with the label lines between them form a block; the
figure columns are where the figures stand, completed by the header cells above (or the columns of the same table
on the page before, for a table broken across pages without its header) when those show columns no figure fills.
Each row becomes one line: its label pieces (a label wrapped above and below its figures, pieces of a group label
printed vertically beside it) and one cell per column, '' where blank; a label line that starts a row label but
has no figures of its own is a row printed all blank. Where a figure's column is in doubt the row is given as
printed, and tables.place_table leaves it with a doubt.

Page numbers (— 1 —, -2-, 第3页) and lines repeated at the same place on several pages (running headers, footers)
are dropped. The result is the importers' lines (see importing/__init__.py): tables broken across pages, with or
without their header repeated, join up in tables.place_table as one sequence of rows.

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
from functools import lru_cache
from pathlib import Path

from ..formats import all_formats
from . import safety
from .docx import join_pieces
from .labels import HEADING_RE, TableLabels, key, match_heading, table_labels
from .pipeline import ImportResult, Lines, import_lines
from .tables import is_blank, is_value

MAX_PAGES = 300
MAX_CHARS = 60_000            # characters on one page
MAX_OBJECTS = 60_000          # lines, rects and curves on one page
MAX_STREAM = 32 * 1024 * 1024  # one decompressed stream
MAX_SECONDS = 120.0
GAP = 0.9                     # outside a table, a gap wider than this many characters parts two cells

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


def _char_rows(chars: list[dict]) -> list[list[dict]]:
    """Characters grouped into printed lines (a digit set a point lower stays on its line), each sorted by x."""
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
    for row in rows:
        row.sort(key=lambda c: c["x0"])
    return rows


def _size(row: list[dict]) -> float:
    return statistics.median(float(c.get("size") or 10) for c in row)


@dataclass
class _Piece:
    x0: float
    x1: float
    text: str


def _pieces(row: list[dict], gap: float, split_from: float = -1e9) -> list[_Piece]:
    """A printed line split where the space between two characters is wider than `gap` characters (right of
    `split_from` only; left of it, wider than GAP)."""
    size = _size(row)
    out: list[_Piece] = []
    cur, last, start = "", None, 0.0
    for c in row:
        if last is not None:
            space = c["x0"] - last["x1"]
            if space > (gap if c["x0"] > split_from else GAP) * size:
                out.append(_Piece(start, last["x1"], cur))
                cur = ""
            elif space > 0.25 * size and re.match(r"[A-Za-z0-9]", c["text"]) and re.search(r"[A-Za-z0-9.]$", cur) \
                    and not (c["text"].isdigit() and cur[-1].isdigit()):     # a justified line spreads 12 apart
                cur += " "
        if not cur:
            start = c["x0"]
        cur += c["text"]
        last = c
    out.append(_Piece(start, last["x1"], cur))      # type: ignore[index]
    return out


def _item(row: list[dict]) -> _Item:
    return _Item(min(c["top"] for c in row), max(c["bottom"] for c in row), row[0]["x0"], row[-1]["x1"], _size(row),
                 [p.text for p in _pieces(row, GAP)])


def _table_rows(table) -> list[list[str]]:
    rows = []
    for row in table.extract():
        cells = [join_pieces((c or "").split("\n")) for c in row if c is not None]
        if any(cells):
            rows.append(cells)
    return rows


def _stacked(table) -> bool:
    """A table found from ruling lines that lacks some of its rules (only the frame and some column rules): a cell
    holds several figures (of several rows or columns); the table is read by position instead."""
    return any(sum(is_value(x) for x in (c or "").split()) >= 2 for row in table.extract() for c in row)


def _inside(c: dict, boxes: list[tuple]) -> bool:
    x, y = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
    return any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)


def _ruled_tables(page) -> list[tuple[tuple, list[list[str]], list[tuple]]]:
    """(bbox, rows, cell boxes) of the tables that the page's ruling lines draw."""
    tables = []
    for t in page.find_tables():
        rows = _table_rows(t)
        if rows and max(len(r) for r in rows) >= 2 and not _stacked(t):
            tables.append((t.bbox, rows, list(t.cells)))
    return tables


def _page_items(page, prev: _Carry | None = None) -> tuple[list[_Item], _Carry | None]:
    """The page's lines and tables; `prev` (what a borderless table broken at the end of the page before leaves to
    this page) and the same for this page."""
    chars = page.chars
    tables = _ruled_tables(page)
    boxes = [b for b, _, _ in tables]
    # a header ruled cell by cell above figures printed without rules: its cells show the columns
    ruled_heads = [(b[3], [_Piece(c[0] + 0.5, c[2] - 0.5, "") for c in cells])
                   for b, rows, cells in tables if not any(is_value(x) for r in rows for x in r)]
    items, last = _borderless(_char_rows([c for c in chars if not _inside(c, boxes)]), prev, ruled_heads)
    for b, rows, _ in tables:
        items.append(_Item(b[1], b[3], b[0], b[2], 0.0, [], table=True))
        items[-1].cells = rows       # type: ignore[assignment]
        last = None
    items.sort(key=lambda i: i.top)
    return items, last


# ---- tables printed without ruling lines (or with some only): read by position ------------------------------
@dataclass
class _Carry:
    """What the end of a page leaves to a borderless table continued on the next: the figure columns of a table
    broken across the pages, or header lines printed last on the page with the figures on the next."""
    cols: list[tuple[float, float]] | None
    heads: list[_Piece]

FINE = 0.25        # inside a table, a gap wider than this many characters parts two cells (cells set close)


@dataclass
class _Row:
    chars: list[dict]
    top: float
    bottom: float
    size: float
    label: list[_Piece]               # pieces before the figures (a value row), or every piece (any other row)
    values: list[_Piece]              # the figures (and dashes) that end the line; [] for any other row
    lone: bool = False                # one figure alone on its line (or a page number): only inside a block

    @property
    def mid(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def text(self) -> str:
        return "".join(c["text"] for c in self.chars)


def _row(chars: list[dict]) -> _Row:
    """A printed line, with the figures that end it set apart as cells (a table row), if it has any: two or more,
    or one after a short label well apart from it (prose ends in a number too, but after a long line)."""
    size = _size(chars)
    top, bottom = min(c["top"] for c in chars), max(c["bottom"] for c in chars)
    fine = _pieces(chars, FINE)
    k = len(fine)
    while k and (is_value(fine[k - 1].text) or _dash(fine[k - 1].text)):
        k -= 1
    label, values = fine[:k], fine[k:]
    text = "".join(p.text for p in fine)
    if not any(is_value(v.text) for v in values) or len(key("".join(
            p.text for p in label))) > 30:
        return _Row(chars, top, bottom, size, _pieces(chars, GAP), [])
    if len(values) == 1 and label and (values[0].x0 - label[-1].x1 < 0.45 * size or len(label) > 2
                                       or len(key("".join(p.text for p in label))) > 16):
        return _Row(chars, top, bottom, size, _pieces(chars, GAP), [])     # prose that ends in a number
    lone = not label and sum(is_value(v.text) for v in values) == 1 and bool(_PAGE_NUMBER.match(text))
    return _Row(chars, top, bottom, size, label, values, lone)


def _dash(text: str) -> bool:
    return is_blank(text) and bool(text.strip())


def _overlap(a: _Piece | tuple, b: _Piece | tuple, slack: float = 0.0) -> bool:
    ax0, ax1 = (a.x0, a.x1) if isinstance(a, _Piece) else a
    bx0, bx1 = (b.x0, b.x1) if isinstance(b, _Piece) else b
    return ax0 <= bx1 + slack and bx0 <= ax1 + slack


def _clusters(pieces: list[_Piece], slack: float) -> list[tuple[float, float]]:
    """The x-ranges of the columns that pieces of text fill: pieces that overlap share a column."""
    cols: list[list[float]] = []
    for p in sorted(pieces, key=lambda p: p.x0):
        if cols and p.x0 <= cols[-1][1] + slack:
            cols[-1][1] = max(cols[-1][1], p.x1)
        else:
            cols.append([p.x0, p.x1])
    return [(a, b) for a, b in cols]


def _columns(rows: list[_Row], heads: list[_Piece], prev: list | None) -> list[tuple[float, float]] | None:
    """The figure columns of a block of value rows: where its figures stand, completed by the header cells above
    them (or the columns of the same table on the page before) when those show columns that no figure fills. None
    when two figures of one line fall in one column (then the line is read as printed)."""
    size = statistics.median(r.size for r in rows)
    cols = _clusters([v for r in rows for v in r.values], 0.1 * size)
    if any(sum(_overlap(v, c) for v in r.values) > 1 for r in rows for c in cols):
        return None
    edge = max((p.x1 for r in rows for p in r.label), default=-1e9)
    leaves: list[_Piece] = []
    for p in sorted((h for h in heads if h.x0 > edge), key=lambda p: p.x1 - p.x0):
        if not any(_overlap(p, q) for q in leaves):
            leaves.append(p)
    for other in ([(p.x0, p.x1) for p in leaves], prev or []):
        if len(other) > len(cols):
            grid = _same_grid(cols, sorted(other), size, edge)
            if grid is not None:
                return grid
    return cols


def _same_grid(cols: list[tuple[float, float]], other: list[tuple[float, float]], size: float,
               edge: float) -> list[tuple[float, float]] | None:
    """`other` (header cells, or the columns on the page before) widened to hold the figure columns, when every
    figure column belongs to exactly one of them and no two to one: under it, centred or flush with it; or (figures
    set flush left under centred headers, as a browser prints a web table) between its neighbours' text and no
    other's. None when any figure column is in doubt."""
    grid = [list(o) for o in other]
    taken: set[int] = set()
    for c in cols:
        hit = [k for k, o in enumerate(other) if _overlap(c, o)]
        if len(hit) == 1 and (abs((c[0] + c[1]) / 2 - sum(other[hit[0]]) / 2) < 0.75 * size
                              or abs(c[0] - other[hit[0]][0]) < 0.5 * size or abs(c[1] - other[hit[0]][1]) < 0.5 * size):
            k = hit[0]
        else:
            fits = [k for k in range(len(other)) if c[0] >= (other[k - 1][1] if k else edge)
                    and c[1] <= (other[k + 1][0] if k + 1 < len(other) else 1e9)]
            if len(fits) != 1:
                return None
            k = fits[0]
        if k in taken:
            return None
        taken.add(k)
        grid[k] = [min(grid[k][0], c[0]), max(grid[k][1], c[1])]
    if any(_overlap(tuple(a), tuple(b)) for a, b in zip(grid, grid[1:], strict=False)):
        return None
    return [(a, b) for a, b in grid]


def _heading_like(r: _Row) -> bool:
    text = "".join(p.text for p in r.label)
    return len(r.label) == 1 and (bool(HEADING_RE.match(text)) or len(key(text)) > 30)


def _left_of(r: _Row, left: float) -> bool:
    """A line of label text only: every piece ends before the figures start (a wrapped label, a group label
    such as 三、本年 printed vertically) and it is not a section heading, a table's caption or column header."""
    if r.values or not all(p.x1 <= left + 0.2 * r.size for p in r.label):
        return False
    text = "".join(p.text for p in r.label)
    return len(key(text)) <= 30 and not _not_label(text)


@lru_cache(maxsize=256)
def _not_label(text: str) -> bool:
    """A section heading of a format (四、政府信息公开行政复议…), or a caption or column header of a table
    (第二十条第（五）项, 信息内容) that is not also the start of a row label."""
    if any(match_heading(text, f)[0] is not None for f in all_formats()):
        return True
    k = key(text)
    return len(k) >= 4 and any(tl.caption(text) or k in tl.header_keys for tl in _all_labels()) and \
        not _starts_row(text)


def _borderless(char_rows: list[list[dict]], prev: _Carry | None,
                ruled_heads: list[tuple[float, list[_Piece]]] | None = None) -> tuple[list[_Item], _Carry | None]:
    """The page's printed lines, where lines of figures set apart like table cells (and the header and label lines
    around them) become a table: one line per row of figures, with its label pieces (wrapped lines, pieces of a
    group label beside it) and one cell per column of the block, '' where the column is blank. Returns the items
    and what the page leaves to the next (_Carry)."""
    rows = [_row(r) for r in char_rows]
    used: set[int] = set()
    items: list[_Item] = []
    last_cols: list | None = None
    i = 0
    while i < len(rows):
        if not rows[i].values or i in used or rows[i].lone and not any(
                0 <= n < len(rows) and not rows[n].values and abs(rows[n].mid - rows[i].mid) < 3 * rows[i].size
                and any(_starts_row(p.text) for p in rows[n].label) for n in (i - 1, i + 1)):
            i += 1          # one figure alone on a line starts a table only beside a row label wrapped around it
            continue
        # a block: rows of figures, with only label lines (left of the figures) between them
        members, j, k = [i], i, i + 1
        while k < len(rows):
            r = rows[k]
            if r.values and not (r.lone and (not is_value(r.text) or r.top - rows[k - 1].bottom > 3 * r.size or
                                             k == len(rows) - 1 or     # the page's last line: its number
                                             not any(_overlap(r.values[0], v, 0.2 * r.size)
                                                     for m in members for v in rows[m].values))):
                members.append(k)
                j = k
            elif _left_of(r, min(v.x0 for m in members for v in rows[m].values)) and \
                    r.top - rows[k - 1].bottom < 3 * r.size:
                members.append(k)
            else:
                break
            k += 1
        while members[-1] > j:        # label lines after the last row of figures: only those close to it
            members.pop()
        k = j + 1
        left = min(v.x0 for m in members for v in rows[m].values)
        while k < len(rows) and _left_of(rows[k], left) and not re.search(r"[。；;]$", rows[k].text) and \
                rows[k].top - rows[k - 1].bottom < 1.5 * rows[k].size:
            members.append(k)
            k += 1
        # label lines just above the first row of figures, then header lines above those: close, no heading
        h = i - 1
        while h >= 0 and h not in used and _left_of(rows[h], left) and \
                rows[min(members)].top - rows[h].bottom < 1.5 * rows[h].size:
            members.append(h)
            h -= 1
        heads: list[int] = []
        while h >= 0 and h not in used and not rows[h].values and not _heading_like(rows[h]) and \
                not re.search(r"[。；;]$", rows[h].text) and \
                rows[heads[-1] if heads else min(members)].top - rows[h].bottom < 3.5 * rows[h].size:
            heads.append(h)
            h -= 1
        heads.reverse()
        members.sort()
        value_rows = [rows[m] for m in members if rows[m].values]
        edge = max((p.x1 for r in value_rows for p in r.label), default=-1e9)
        head_pieces = [p for h in heads for p in _pieces(rows[h].chars, FINE, edge)]
        top = min(rows[m].top for m in heads + members)
        head_pieces += [p for bottom, ps in ruled_heads or [] if -1 <= top - bottom < 3.5 * value_rows[0].size for p in ps]
        if not items and prev:       # the page's first table: perhaps continued from the page before
            cols = _columns(value_rows, head_pieces + [p for p in prev.heads if p.x0 > edge], prev.cols)
        else:
            cols = _columns(value_rows, head_pieces, None)
        lines: Lines = [[p.text for p in _pieces(rows[h].chars, FINE, edge)] for h in heads]
        lines += _block_lines([rows[m] for m in members], cols)
        items.append(_Item(min(rows[m].top for m in heads + members), max(rows[m].bottom for m in members),
                           0.0, 0.0, 0.0, [], table=True))
        items[-1].cells = lines      # type: ignore[assignment]
        used |= set(heads) | set(members)
        last_cols = cols if all(_PAGE_NUMBER.match(rows[x].text) or _left_of(rows[x], left)
                                for x in range(k, len(rows))) else None
        i = k
    items += [_item(r.chars) for n, r in enumerate(rows) if n not in used]
    # header lines printed last on the page, their figures on the next
    tail = [n for n, r in enumerate(rows) if not _PAGE_NUMBER.match(r.text)]
    heads = []
    while tail and tail[-1] not in used and not rows[tail[-1]].values and not _heading_like(rows[tail[-1]]) and \
            not re.search(r"[。；;]$", rows[tail[-1]].text) and \
            (not heads or rows[heads[-1]].top - rows[tail[-1]].bottom < 3.5 * rows[tail[-1]].size):
        heads.append(tail.pop())
    if last_cols is None and not heads:      # a page left blank (but for its number) passes the table on
        return items, prev if all(_PAGE_NUMBER.match(r.text) for r in rows) else None
    return items, _Carry(last_cols, [p for h in heads for p in _pieces(rows[h].chars, FINE)])


def _label_order(pieces: list[tuple[float, _Piece]], start: float | None) -> list[str]:
    """Label pieces of one row in reading order: pieces left of where the row labels start (a group label, printed
    beside them) first, then the rest top to bottom (a label wrapped over lines)."""
    if start is None:
        start = max(pieces, key=lambda tp: len(tp[1].text))[1].x0 if pieces else 0.0
    order = sorted(pieces, key=lambda tp: (tp[1].x1 > start + 1.0, tp[0], tp[1].x0))
    return [p.text for _, p in order]


@lru_cache(maxsize=1)
def _all_labels() -> list[TableLabels]:
    return [table_labels(f.id, tid) for f in all_formats() for tid in f.tables]


@lru_cache(maxsize=1024)
def _starts_row(text: str) -> bool:
    """The text is a row label of some table of some format, the start of one (a label wrapped over lines), or
    close to one (the placing reads it as that row)."""
    return any(tl.match_row(text)[0] is not None for tl in _all_labels())


def _block_lines(rows: list[_Row], cols: list[tuple[float, float]] | None) -> Lines:
    """One line per row of the block: its label lines (a label wrapped above and below its figures, pieces of a
    vertical group label beside it), then its figures in their columns ('' where blank). A label line that starts
    a row label belongs to a row of figures without a label of its own; else it is a row whose cells are all blank."""
    texts = {n: [p.text for p in (r.label if r.values else _pieces(r.chars, FINE))] for n, r in enumerate(rows)}
    starts = {n for n in texts if any(_starts_row(t) for t in texts[n])}
    anchors = [n for n, r in enumerate(rows) if r.values]
    taken: dict[int, int] = {}          # row of figures without a label -> the label line that starts its label
    for n in sorted((n for n in starts if not rows[n].values), key=lambda n: min(
            (abs(rows[a].mid - rows[n].mid) for a in anchors), default=1e9)):
        near = min(anchors, key=lambda a: abs(rows[a].mid - rows[n].mid), default=None)
        between = near is not None and not any(min(n, near) < m < max(n, near) for m in starts | set(anchors))
        if near is not None and near not in starts and near not in taken and between:
            taken[near] = n
        else:
            anchors.append(n)            # a row printed with every cell blank
    anchors.sort()
    own: dict[int, list[int]] = {a: [a] for a in anchors}
    for a, n in taken.items():
        own[a].append(n)
    placed = set(anchors) | set(taken.values())
    for n in range(len(rows)):
        if n not in placed:
            a = min(anchors, key=lambda a: (abs(rows[a].mid - rows[n].mid), a < n))
            own[a].append(n)
    first = Counter(round(rows[a].label[-1].x0) for a in anchors if rows[a].values and rows[a].label).most_common(1)
    start = float(first[0][0]) if first and first[0][1] >= 3 else None
    out: Lines = []
    for a in anchors:
        label = _label_order([(rows[n].top, p) for n in own[a]
                              for p in (rows[n].label if rows[n].values else _pieces(rows[n].chars, FINE))], start)
        vals = rows[a].values
        if cols is None:
            out.append(label + [v.text for v in vals])
            continue
        slots = []
        for c in cols:
            hit = [v.text for v in vals if _overlap(v, c)]
            slots.append(hit[0] if hit else "")
        out.append(label + slots)
    return out


def _repeated(pages: list[list[_Item]]) -> set[tuple[int, str]]:
    """(rounded top, text) of short lines printed at the same place on more than a third of the pages."""
    if len(pages) < 3:
        return set()
    seen: Counter = Counter()
    for items in pages:
        seen.update({(round(i.top / 4), "".join(i.cells)) for i in items if not i.table and len("".join(i.cells)) < 60})
    return {k for k, n in seen.items() if n >= max(2, len(pages) // 3 + 1)}


def _paragraphs(items: list[_Item], left: float, right: float) -> Lines:
    """Printed lines of prose into paragraphs: a line starts one when it is indented, when the line before it
    ended short of the right margin, or when its size differs (a title); lines split into cells stay lines."""
    out: Lines = []
    open_para = False
    size = 0.0
    for it in items:
        if len(it.cells) > 1:
            out.append(it.cells)
            open_para = False
            continue
        text = it.cells[0].strip()
        indented = it.x0 > left + 0.8 * it.size
        if open_para and not indented and out and abs(it.size - size) <= 0.5:    # a title is set larger
            out[-1] = [join_pieces([out[-1][0], text])]
        else:
            out.append([text])
        open_para = it.x1 >= right - 1.5 * it.size
        size = it.size
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
            cols = None
            for page in pdf.pages:
                if time.monotonic() - started > MAX_SECONDS:
                    safety.refuse(path, f"读取PDF超过{int(MAX_SECONDS)}秒，已停止（文件过于复杂，不像是一份年度报告）")
                objs = page.objects
                if len(objs.get("char", ())) > MAX_CHARS:
                    safety.refuse(path, f"PDF第{page.page_number}页的文字过多，不像是一份年度报告")
                if sum(len(objs.get(k, ())) for k in ("line", "rect", "curve")) > MAX_OBJECTS:
                    safety.refuse(path, f"PDF第{page.page_number}页的图形过多，不像是一份年度报告")
                images += len(objs.get("image", ()))
                items, cols = _page_items(page, cols)
                pages.append(items)
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
    starts = Counter(round(it.x0) for it in prose)      # the margin: the leftmost start shared by many lines (short
    left = min((x for x, n in starts.items() if n >= max(2, len(prose) // 10)),   # paragraphs: most lines indented)
               default=starts.most_common(1)[0][0] if prose else 0.0)
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
