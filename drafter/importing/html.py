"""Reading a published report from an .html page saved from a government website.

The page is decoded (BOM, then <meta charset>, then UTF-8, then GB18030, which covers GBK and GB2312), parsed by
the standard library's tolerant HTMLParser into a small tree (implicit closes of p, td, tr; scripts, styles and
other non-text elements dropped; nesting and size bounded by safety.py), and turned into the importers' lines:
every block (p, div, h1…, li, <br>-separated run) a line of one cell, every table row a line of its printed cells,
with rowspan / colspan resolved on the same grid as the .docx reader (importing/docx.py Grid).
"""
from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser
from pathlib import Path

from ..chinese import clean_text
from . import safety
from .docx import CellIn, Grid, join_pieces
from .safety import Budget

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
        "basefont", "frame", "keygen"}
DROP = {"script", "style", "noscript", "template", "title", "iframe", "object", "svg", "math", "select", "textarea",
        "canvas", "audio", "video", "map", "nav"}
BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "section", "article",
         "header", "footer", "nav", "aside", "blockquote", "pre", "center", "form", "address", "fieldset", "figure",
         "figcaption", "main", "hr", "caption", "body", "html", "tr", "td", "th", "tbody", "thead", "tfoot"}
_CELL = {"td", "th"}
_SECTION = {"tbody", "thead", "tfoot"}
_WS = re.compile(r"[ \t\n\r\f]+")
_GB = {"gb2312", "gbk", "x-gbk", "gb_2312-80", "gb-2312", "cp936", "ms936", "windows-936", "euc-cn", "gb18030",
       "x-euc-cn", "hz-gb-2312"}


# ---- bytes → text ------------------------------------------------------------------------------
def _declared(raw: bytes) -> str | None:
    m = re.search(rb"<meta[^>]{0,300}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_:.\-]{2,40})", raw[:8192], re.I)
    if not m:
        m = re.search(rb"^<\?xml[^>]{0,200}encoding\s*=\s*[\"']([A-Za-z0-9_.\-]{2,40})", raw[:512])
    if not m:
        return None
    name = m.group(1).decode("ascii").lower()
    if name in _GB:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode(path, raw: bytes) -> str:
    safety.check_size(path, raw, safety.MAX_HTML)
    if not raw.strip():
        safety.refuse(path, "文件是空的")
    text = None
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if raw.startswith(bom):
            text = raw[len(bom):].decode(enc, errors="replace")
            break
    if text is None:
        if b"\x00" in raw[:65536]:
            safety.refuse(path, "不是网页文件（是图片、压缩包或其他二进制文件），无法读取")
        declared = _declared(raw)
        for enc in dict.fromkeys(filter(None, (declared, "utf-8", "gb18030"))):
            try:
                text = raw.decode(enc)
                break
            except (UnicodeDecodeError, LookupError):
                continue
        if text is None:
            text = raw.decode(declared or "gb18030", errors="replace")
    sample = text[:200_000]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\r\n\f") or ch == "\ufffd")
    if bad > max(8, len(sample) // 50):
        safety.refuse(path, "不是网页文件（含有大量乱码或二进制内容），无法读取")
    return text


# ---- text → tree -------------------------------------------------------------------------------
class Node:
    __slots__ = ("tag", "attrs", "children")

    def __init__(self, tag: str, attrs: dict | None = None):
        self.tag = tag
        self.attrs = attrs or {}
        self.children: list = []


class _Builder(HTMLParser):
    def __init__(self, path):
        super().__init__(convert_charrefs=True)
        self.path = path
        self.root = Node("#root")
        self.stack = [self.root]
        self.drop = 0
        self.count = 0

    def _open(self, tag: str, attrs: dict) -> Node:
        node = Node(tag, attrs)
        self.stack[-1].children.append(node)
        self.count += 1
        if self.count > safety.MAX_HTML_ELEMENTS:
            safety.refuse(self.path, f"网页的元素过多（超过{safety.MAX_HTML_ELEMENTS}个），不像是一份年度报告")
        return node

    def _close_to(self, names: set, stop: set) -> None:
        """Pop to the nearest open element in `names`, not crossing one in `stop` (nor looking beyond 64 levels)."""
        for i in range(len(self.stack) - 1, max(len(self.stack) - 65, 0), -1):
            t = self.stack[i].tag
            if t in names:
                del self.stack[i:]
                return
            if t in stop:
                return

    def handle_starttag(self, tag, attrs):
        if self.drop:
            if tag in DROP and tag not in VOID:
                self.drop += 1
            return
        if tag in DROP:
            self.drop = 1
            return
        if tag == "p":
            self._close_to({"p"}, {"table", "td", "th", "div", "li"})
        elif tag in _CELL:
            self._close_to(_CELL, {"table", "tr"})
            if self.stack[-1].tag in {"table"} | _SECTION:
                self.stack.append(self._open("tr", {}))
        elif tag == "tr":
            self._close_to({"tr"}, {"table"})
        elif tag in _SECTION:
            self._close_to(_SECTION, {"table"})
        elif tag == "li":
            self._close_to({"li"}, {"ul", "ol", "table"})
        keep = {k: v for k, v in attrs if k in ("rowspan", "colspan")}
        node = self._open(tag, keep)
        if tag not in VOID:
            self.stack.append(node)
            if len(self.stack) > safety.MAX_DEPTH:
                safety.refuse(self.path, f"网页的嵌套层数过多（超过{safety.MAX_DEPTH}层），已拒绝读取")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and not self.drop and self.stack[-1].tag == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if self.drop:
            if tag in DROP:
                self.drop -= 1
            return
        if tag == "br":                      # </br> is a <br>
            self._open("br", {})
            return
        stop = {"table"} if tag in _CELL | {"tr"} | _SECTION else set()
        self._close_to({tag}, stop)

    def handle_data(self, data):
        if not self.drop and data:
            self.stack[-1].children.append(data)


def parse(path, text: str) -> Node:
    b = _Builder(path)
    try:
        b.feed(text)
        b.close()
    except safety.ReportError:
        raise
    except (AssertionError, ValueError, IndexError, RecursionError):
        safety.refuse(path, "网页文件已损坏，无法解析")
    return b.root


# ---- tree → lines -----------------------------------------------------------------------------
class _Lines:
    def __init__(self, path):
        self.path = path
        self.budget = Budget(path)

    def flow(self, node: Node, depth: int = 0) -> list[list[str]]:
        out: list[list[str]] = []
        buf: list[str] = []

        def flush():
            s = clean_text(_WS.sub(" ", "".join(buf)).replace("\xa0", " ").replace("\u3000", " ")).strip()
            buf.clear()
            if s:
                out.append([s])
                self.budget.line()

        def walk(n: Node, pre: bool):
            for ch in n.children:
                if isinstance(ch, str):
                    if pre:
                        for i, part in enumerate(ch.split("\n")):
                            if i:
                                flush()
                            buf.append(part)
                    else:
                        buf.append(ch)
                elif ch.tag == "br":
                    flush()
                elif ch.tag == "table":
                    flush()
                    out.extend(self.table(ch, depth + 1).lines(self.budget))
                elif ch.tag in BLOCK:
                    flush()
                    walk(ch, pre or ch.tag == "pre")
                    flush()
                else:
                    walk(ch, pre)

        walk(node, False)
        flush()
        return out

    def _rows(self, table: Node) -> list[Node]:
        rows = []
        for ch in table.children:
            if isinstance(ch, Node):
                if ch.tag == "tr":
                    rows.append(ch)
                elif ch.tag in _SECTION:
                    rows += [r for r in ch.children if isinstance(r, Node) and r.tag == "tr"]
        return rows

    def table(self, table: Node, depth: int) -> Grid:
        self.budget.table_depth(depth)
        taken: set[tuple[int, int]] = set()
        cells: list[CellIn] = []
        rows = self._rows(table)
        n = len(rows)
        for r, tr in enumerate(rows):
            c = 0
            for td in tr.children:
                if not isinstance(td, Node) or td.tag not in _CELL:
                    continue
                while (r, c) in taken:
                    c += 1
                cs = safety.span(td.attrs.get("colspan"))
                rs = min(safety.span(td.attrs.get("rowspan")), n - r)
                if c + cs > safety.MAX_COLS:
                    break
                self.budget.cell(cs * rs)
                for i in range(r, r + rs):
                    for k in range(c, c + cs):
                        taken.add((i, k))
                cells.append(self.cell(td, r, c, cs, rs, depth))
                c += cs
        return Grid(cells, n)

    def cell(self, td: Node, r: int, c: int, cs: int, rs: int, depth: int) -> CellIn:
        lines = self.flow(td, depth)
        text = join_pieces([" ".join(x for x in ln if x) for ln in lines])
        if _has_table(td) or (len(lines) >= 2 and len(text) > 150):
            return CellIn(text if not _has_table(td) else "", r, c, cs, rs, flow=lines)
        return CellIn(text, r, c, cs, rs)


def _has_table(node: Node) -> bool:
    stack = [node]
    while stack:
        n = stack.pop()
        for ch in n.children:
            if isinstance(ch, Node):
                if ch.tag == "table":
                    return True
                stack.append(ch)
    return False


def html_lines(path, raw: bytes) -> list[list[str]]:
    """The lines of a saved web page (see module doc); ReportError when it is not one."""
    root = parse(path, decode(path, raw))
    return _Lines(path).flow(root)


def html_tables(path, raw: bytes) -> list[list[list[str]]]:
    """Every outermost table as a full grid of strings (merged cells once, other positions empty)."""
    root = parse(path, decode(path, raw))
    rd, out, stack = _Lines(path), [], [root]
    while stack:
        n = stack.pop(0)
        for ch in n.children:
            if isinstance(ch, Node) and ch.tag == "table":
                out.append(rd.table(ch, 1).rows())
            elif isinstance(ch, Node):
                stack.append(ch)
    return out


def read(path, raw: bytes, year: int | None = None):
    from . import import_lines
    return import_lines(html_lines(Path(path), raw), path, year)
