"""Reading a published report from a .docx (drafter's own rendering or anyone's Word file).

The document becomes the importers' intermediate form (see importing/__init__.py): a sequence of lines, each a list
of cell strings. A paragraph is a line of one cell (a paragraph broken with Shift+Enter gives several lines); a table
row is a line of its printed cells: each merged cell once (w:gridSpan, w:vMerge resolved on a grid), columns that are
empty from top to bottom dropped. A cell that holds a nested table, or a table of one column (a layout frame),
is read as running text: its paragraphs and tables become lines of their own. Text boxes, deleted revisions and
field codes are ignored. The zip and the XML are read within the limits of safety.py.
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from ..chinese import clean_text, cn_number
from . import safety
from .safety import Budget

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


# subtrees whose text is not the paragraph's: text boxes, drawings, deleted revisions, field codes, fallbacks
_SKIP = {_w("txbxContent"), _w("del"), _w("delText"), _w("instrText"), _w("drawing"), _w("pict"), _w("object"),
         _w("moveFrom"), _w("footnoteReference"), _w("endnoteReference"), f"{{{MC}}}Fallback", _w("rPr"), _w("pPr")}
_BREAK = {_w("br"), _w("cr")}
_TAB = {_w("tab"), _w("ptab")}
_BLOCK_CONTAINERS = {_w("sdt"), _w("sdtContent"), _w("customXml"), _w("ins"), _w("moveTo"), f"{{{MC}}}AlternateContent",
                     f"{{{MC}}}Choice", _w("smartTag")}


# ---- tables on a grid, shared with html.py -------------------------------------------------------
@dataclass
class CellIn:
    """One printed cell of a source table, placed on the table's grid."""
    text: str
    row: int
    col: int
    cs: int = 1
    rs: int = 1
    flow: list | None = None      # the cell's own lines, when it is read as running text


def join_pieces(pieces: list[str]) -> str:
    """Text pieces of one cell (its paragraphs, lines) joined: CJK without space, Latin and digits with one."""
    out = ""
    for p in pieces:
        p = re.sub(r"\s+", " ", p).strip()
        if not p:
            continue
        if out and re.search(r"[A-Za-z0-9]$", out) and re.match(r"[A-Za-z0-9]", p) and not _number_wrapped(out, p):
            out += " "
        out += p
    return out


def _number_wrapped(before: str, after: str) -> bool:
    """A number of Chinese text broken by a line's end (2020年1 / 2月): its digits go on without a space."""
    m, n = re.search(r"(\D?)\d+$", before), re.match(r"\d+(\D?)", after)
    return bool(m and n) and any("\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"
                                 for ch in (m.group(1), n.group(1)) if ch)  # type: ignore[union-attr]


class Grid:
    """A table's cells on a grid: `rows()` the full grid (merged text once, other positions ''), `printed()`."""

    def __init__(self, cells: list[CellIn], n_rows: int):
        self.cells = cells
        self.n_rows = n_rows
        self.n_cols = max((c.col + c.cs for c in cells), default=0)

    def rows(self) -> list[list[str]]:
        g = [[""] * self.n_cols for _ in range(self.n_rows)]
        for c in self.cells:
            g[c.row][c.col] = c.text
        return g

    def alive(self) -> list[bool]:
        alive = [False] * self.n_cols
        for c in self.cells:
            if c.text.strip() or c.flow:
                for k in range(c.col, c.col + c.cs):
                    alive[k] = True
        return alive

    def lines(self, budget: Budget) -> list[list[str]]:
        """The intermediate form: per row, the printed cells in order (flow cells as their own lines)."""
        alive = self.alive()
        by_row: list[list[CellIn]] = [[] for _ in range(self.n_rows)]
        for c in self.cells:
            by_row[c.row].append(c)
        single = self.n_cols <= 1 or sum(alive) <= 1
        out: list[list[str]] = []
        for row in by_row:
            row.sort(key=lambda c: c.col)
            flat = [c for c in row if c.flow is None and not single and any(alive[c.col:c.col + c.cs])]
            if any(c.text.strip() for c in flat):
                out.append([c.text for c in flat])
                budget.line()
            for c in row:
                if c.flow is not None:
                    out += c.flow
                elif single and c.text.strip():
                    out.append([c.text])
                    budget.line()
        return out


# ---- the .docx --------------------------------------------------------------------------------
def _main_part(path, zf) -> str:
    names = set(zf.namelist())
    if "_rels/.rels" in names:
        rels = safety.parse_xml(path, safety.read_member(path, zf, "_rels/.rels", 1024 * 1024), "_rels/.rels")
        for rel in rels.iter(f"{{{_REL}}}Relationship"):
            if rel.get("Type") == _DOC_REL and rel.get("TargetMode") != "External":
                target = posixpath.normpath(rel.get("Target", "").lstrip("/"))
                if target in names:
                    return target
    if "word/document.xml" in names:
        return "word/document.xml"
    safety.refuse(path, "这个压缩文件里没有Word文档正文（word/document.xml），不是.docx文件")


_TIANGAN = "甲乙丙丁戊己庚辛壬癸"


def _roman(n: int) -> str:
    out = ""
    for v, r in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
                 (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out, n = out + r, n - v
    return out


def number_text(n: int, fmt: str) -> str:
    """A list counter in a w:numFmt (the formats Chinese reports use; others as decimal)."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographDigital",
               "japaneseCounting", "taiwaneseCounting", "taiwaneseCountingThousand"):
        return cn_number(n) if 0 < n < 100 else str(n)
    if fmt == "ideographTraditional":
        return _TIANGAN[(n - 1) % 10]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(d) + 0xFEE0) for d in str(n))
    if fmt in ("upperLetter", "lowerLetter") and n >= 1:
        s = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return s if fmt == "upperLetter" else s.lower()
    if fmt in ("upperRoman", "lowerRoman") and 1 <= n < 4000:
        return _roman(n) if fmt == "upperRoman" else _roman(n).lower()
    return str(n)


class Numbering:
    """Word's automatic list numbers (numbering.xml, styles.xml), so that an auto-numbered 一、总体情况 reads as typed."""

    def __init__(self, numbering=None, styles=None):
        self.levels: dict[str, dict[int, tuple[str, str, int, str]]] = {}   # abstract -> ilvl -> fmt, text, start, suff
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}               # numId -> abstract, start overrides
        self.style_num: dict[str, tuple[str | None, int | None]] = {}
        self.based: dict[str, str] = {}
        self.count: dict[str, list] = {}
        self.started: set[str] = set()
        if numbering is not None:
            for a in numbering.iter(_w("abstractNum")):
                lv = {}
                for el in a.iter(_w("lvl")):
                    ilvl = _int(el.get(_w("ilvl")), 0)
                    lv[ilvl] = (_val(el, "numFmt") or "decimal", _val(el, "lvlText") or "",
                                _int(_val(el, "start"), 1), _val(el, "suff") or "tab")
                self.levels[a.get(_w("abstractNumId"), "")] = lv
            for n in numbering.iter(_w("num")):
                over = {}
                for o in n.iter(_w("lvlOverride")):
                    so = o.find(_w("startOverride"))
                    if so is not None:
                        over[_int(o.get(_w("ilvl")), 0)] = _int(so.get(_w("val")), 1)
                self.nums[n.get(_w("numId"), "")] = (_val(n, "abstractNumId") or "", over)
        if styles is not None:
            for st in styles.iter(_w("style")):
                sid = st.get(_w("styleId"), "")
                np_ = st.find(f"{_w('pPr')}/{_w('numPr')}")
                if np_ is not None:
                    self.style_num[sid] = (_val(np_, "numId"), _int(_val(np_, "ilvl"), None))
                b = _val(st, "basedOn")
                if b:
                    self.based[sid] = b

    def _style(self, sid: str | None) -> tuple[str | None, int | None]:
        for _ in range(10):
            if sid is None:
                break
            if sid in self.style_num:
                return self.style_num[sid]
            sid = self.based.get(sid)
        return None, None

    def label(self, p) -> str:
        if not self.nums:
            return ""
        ppr = p.find(_w("pPr"))
        if ppr is None:
            return ""
        np_ = ppr.find(_w("numPr"))
        num_id, ilvl = (_val(np_, "numId"), _int(_val(np_, "ilvl"), None)) if np_ is not None else (None, None)
        if num_id is None or ilvl is None:
            s_num, s_ilvl = self._style(_val(ppr, "pStyle"))
            num_id = num_id if num_id is not None else s_num
            ilvl = ilvl if ilvl is not None else s_ilvl
        ilvl = min(max(ilvl or 0, 0), 8)
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        abstract, over = self.nums[num_id]
        levels = self.levels.get(abstract, {})
        if ilvl not in levels:
            return ""
        count = self.count.setdefault(abstract, [None] * 9)
        if num_id not in self.started:
            self.started.add(num_id)
            for k, v in over.items():
                if 0 <= k < 9:
                    count[k] = v - 1
        fmt, text, start, suff = levels[ilvl]
        count[ilvl] = (count[ilvl] if count[ilvl] is not None else start - 1) + 1
        for k in range(ilvl + 1, 9):
            count[k] = None
        if fmt in ("bullet", "none") or not text:
            return ""

        def sub(m):
            k = int(m.group(1)) - 1
            if not 0 <= k < 9 or k not in levels:
                return ""
            f, _, st, _ = levels[k]
            return number_text(count[k] if count[k] is not None else st, f)
        lab = re.sub(r"%([1-9])", sub, text)
        return lab + ("" if suff == "nothing" else " ")


def _val(el, name: str) -> str | None:
    ch = el.find(_w(name)) if el is not None else None
    return None if ch is None else ch.get(_w("val"))


def _int(v, default):
    try:
        return int(v)
    except (TypeError, ValueError):
        return default


class _Reader:
    def __init__(self, path, numbering: Numbering | None = None):
        self.path = path
        self.budget = Budget(path)
        self.numbering = numbering or Numbering()

    # paragraphs
    def para_lines(self, p) -> list[str]:
        """A paragraph's text, split at manual line breaks."""
        lines, cur = [], []
        stack = [iter(p)]
        while stack:
            el = next(stack[-1], None)
            if el is None:
                stack.pop()
                continue
            tag = el.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == _w("t"):
                cur.append(el.text or "")
            elif tag in _TAB:
                cur.append(" ")
            elif tag in _BREAK:
                lines.append("".join(cur))
                cur = []
            elif tag == _w("noBreakHyphen"):
                cur.append("-")
            elif len(el):
                stack.append(iter(el))
        lines.append("".join(cur))
        label = self.numbering.label(p)
        if label:
            lines[0] = label + lines[0]
        return [clean_text(s).replace("\t", " ") for s in lines]

    # block content: body, cell, sdtContent
    def blocks(self, parent, depth: int) -> list[list[str]]:
        out: list[list[str]] = []
        stack = [iter(parent)]
        while stack:
            el = next(stack[-1], None)
            if el is None:
                stack.pop()
                continue
            if el.tag == _w("p"):
                for s in self.para_lines(el):
                    out.append([s])
                    self.budget.line()
            elif el.tag == _w("tbl"):
                out += self.table(el, depth + 1).lines(self.budget)
            elif el.tag in _BLOCK_CONTAINERS:
                if len(stack) > 20:
                    safety.refuse(self.path, "文档结构嵌套层数过多，已拒绝读取")
                stack.append(iter(el))
        return out

    def table(self, tbl, depth: int) -> Grid:
        self.budget.table_depth(depth)
        cells: list[CellIn] = []
        open_v: dict[int, CellIn] = {}      # grid column -> the vMerge origin above
        r = 0
        for tr in self._children(tbl, "tr"):
            c = 0
            trpr = tr.find(_w("trPr"))
            if trpr is not None:
                gb = trpr.find(_w("gridBefore"))
                if gb is not None and str(gb.get(_w("val"))).isdigit():
                    c = min(int(gb.get(_w("val"))), safety.MAX_SPAN)
            for tc in self._children(tr, "tc"):
                self.budget.cell()
                pr = tc.find(_w("tcPr"))
                cs, vm = 1, None
                if pr is not None:
                    gs = pr.find(_w("gridSpan"))
                    if gs is not None:
                        cs = safety.span(gs.get(_w("val")))
                    v = pr.find(_w("vMerge"))
                    if v is not None:
                        vm = v.get(_w("val")) or "continue"
                if c + cs > safety.MAX_COLS:
                    break
                hm = pr.find(_w("hMerge")) if pr is not None else None
                if hm is not None and hm.get(_w("val")) != "restart" and cells and cells[-1].row == r \
                        and cells[-1].col + cells[-1].cs == c:       # Word 97-style horizontal merge
                    cells[-1].cs += cs
                    c += cs
                    continue
                if vm == "continue" and c in open_v and open_v[c].row + open_v[c].rs == r:
                    open_v[c].rs += 1
                    c += cs
                    continue
                cell = self.cell(tc, r, c, cs, depth)
                cells.append(cell)
                for k in range(c, c + cs):
                    open_v.pop(k, None)
                if vm == "restart":
                    open_v[c] = cell
                c += cs
            r += 1
            self.budget.line()
        return Grid(cells, r)

    def cell(self, tc, r: int, c: int, cs: int, depth: int) -> CellIn:
        has_table = any(True for _ in tc.iter(_w("tbl")))
        lines = self.blocks(tc, depth)
        if has_table:
            return CellIn("", r, c, cs, flow=lines)
        text = join_pieces([" ".join(x for x in ln if x) for ln in lines])
        if len(lines) >= 2 and len(text) > 150:      # a frame cell holding running text
            return CellIn(text, r, c, cs, flow=[ln for ln in lines if any(x.strip() for x in ln)])
        return CellIn(text, r, c, cs)

    def _children(self, el, name: str):
        """Direct children `name`, looking through content controls and custom XML wrappers."""
        want = _w(name)
        stack = [iter(el)]
        while stack:
            ch = next(stack[-1], None)
            if ch is None:
                stack.pop()
                continue
            if ch.tag == want:
                yield ch
            elif ch.tag in _BLOCK_CONTAINERS and len(stack) < 20:
                stack.append(iter(ch))


def docx_lines(path, raw: bytes) -> list[list[str]]:
    """The lines of a .docx (see module doc); ReportError when it is not a readable Word document."""
    zf = safety.open_zip(path, raw)
    name = _main_part(path, zf)
    root = safety.parse_xml(path, safety.read_member(path, zf, name), name)
    if root.tag == "{http://purl.oclc.org/ooxml/wordprocessingml/main}document":
        safety.refuse(path, "这是「Strict Open XML」格式的Word文件，请在Word中另存为「Word文档（*.docx）」后再导入")
    if root.tag != _w("document"):
        safety.refuse(path, "这个文件不是Word文档（.docx）的正文")
    body = root.find(_w("body"))
    if body is None:
        return []
    return _Reader(path, _numbering(path, zf, name)).blocks(body, 0)


def _numbering(path, zf, main: str) -> Numbering:
    """The list definitions next to the main part (a missing part: no automatic numbers)."""
    parts = []
    for name in ("numbering.xml", "styles.xml"):
        member = posixpath.join(posixpath.dirname(main), name)
        if member in zf.namelist():
            parts.append(safety.parse_xml(path, safety.read_member(path, zf, member, 5 * 1024 * 1024), member))
        else:
            parts.append(None)
    return Numbering(*parts)


def docx_tables(path, raw: bytes) -> list[list[list[str]]]:
    """Every top-level table as a full grid of strings (merged cells once, other positions empty)."""
    zf = safety.open_zip(path, raw)
    name = _main_part(path, zf)
    root = safety.parse_xml(path, safety.read_member(path, zf, name), name)
    body = root.find(_w("body"))
    rd = _Reader(path)
    return [] if body is None else [rd.table(t, 1).rows() for t in rd._children(body, "tbl")]


def read(path, raw: bytes, year: int | None = None):
    from . import import_lines
    return import_lines(docx_lines(Path(path), raw), path, year)
