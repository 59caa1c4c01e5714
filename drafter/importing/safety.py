"""Limits that keep the importers safe with hostile files: bounded time and memory, one Chinese line on refusal.

A .docx is a zip: members are checked by their declared sizes (and ratio) before anything is inflated, then read
in chunks with a hard cap, since a declared size may lie. XML is parsed by lxml without DTDs, entities or network,
with libxml2's own depth and size limits (huge_tree=False). Documents are bounded in size, depth and element count.
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib
from typing import NoReturn

from lxml import etree

from ..report import ReportError

MAX_FILE = 50 * 1024 * 1024          # any input file
MAX_MEMBERS = 2000                   # zip members
MAX_XML = 25 * 1024 * 1024           # one XML part, uncompressed
MAX_TOTAL = 200 * 1024 * 1024        # all members declared, uncompressed
MAX_RATIO = 200                      # uncompressed / compressed, for members above 1 MB
MAX_HTML = 10 * 1024 * 1024          # an .html page
MAX_ELEMENTS = 2_000_000             # elements in one XML part or page
MAX_DEPTH = 256                      # element nesting in an .html page (libxml2's default for XML)
MAX_HTML_ELEMENTS = 200_000          # elements of an .html page
MAX_TABLE_DEPTH = 6                  # tables nested in tables
MAX_LINES = 50_000                   # paragraphs and table rows of a document
MAX_CELLS = 200_000                  # table cells of a document
MAX_SPAN = 100                       # gridSpan / colspan / rowspan
MAX_COLS = 200                       # grid columns of one table
_CHUNK = 64 * 1024


def refuse(path, message: str) -> NoReturn:
    raise ReportError(path, message)


def check_size(path, raw: bytes | int, limit: int = MAX_FILE) -> None:
    n = raw if isinstance(raw, int) else len(raw)
    if n > limit:
        refuse(path, f"文件太大（{n // (1024 * 1024)}MB，上限{limit // (1024 * 1024)}MB），不像是一份年度报告")


def open_zip(path, raw: bytes, what: str = "Word文件（.docx）") -> zipfile.ZipFile:
    """The zip in `raw`, checked by its directory: member count, declared sizes, compression ratio."""
    check_size(path, raw)
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError, NotImplementedError):
        refuse(path, f"不是有效的{what}：文件已损坏，或只是改了扩展名")
    if len(infos) > MAX_MEMBERS:
        refuse(path, f"文件内部的部件过多（{len(infos)}个），不像是{what}，已拒绝读取")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            refuse(path, f"文件内部的「{info.filename[:60]}」压缩比异常（可能是压缩炸弹），已拒绝读取")
    if total > MAX_TOTAL:
        refuse(path, f"文件解压后过大（{total // (1024 * 1024)}MB），可能是压缩炸弹，已拒绝读取")
    return zf


def read_member(path, zf: zipfile.ZipFile, name: str, limit: int = MAX_XML) -> bytes:
    """A member's bytes, refused before inflation by its declared size and while inflating by a hard cap."""
    try:
        info = zf.getinfo(name)
    except KeyError:
        refuse(path, f"文件内部缺少「{name}」，不是完整的Word文件")
    if info.flag_bits & 0x1:
        refuse(path, "文件已加密（设置了打开密码），请在Word中取消密码后再导入")
    if info.file_size > limit:
        refuse(path, f"文件内部的「{name}」过大（{info.file_size // (1024 * 1024)}MB），已拒绝读取")
    out = bytearray()
    try:
        with zf.open(info) as f:
            while True:
                chunk = f.read(_CHUNK)
                if not chunk:
                    break
                out += chunk
                if len(out) > limit:
                    refuse(path, f"文件内部的「{name}」解压后超过{limit // (1024 * 1024)}MB（与声明的大小不符），"
                                 "可能是压缩炸弹，已拒绝读取")
    except ReportError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError):
        refuse(path, f"文件已损坏：无法解压「{name}」")
    return bytes(out)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                           dtd_validation=False, remove_comments=True, remove_pis=True, collect_ids=False)


def parse_xml(path, data: bytes, name: str) -> etree._Element:
    """The root of an XML part; refuses DTDs and entity declarations, bounds element count."""
    head = data[:4096]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in data[:65536]:
        refuse(path, f"文件内部的「{name}」含有DTD或实体声明（Word文件不会有），已拒绝读取")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as e:
        msg = str(e)
        if "depth" in msg.lower() or "huge" in msg.lower():
            refuse(path, f"文件内部的「{name}」嵌套层数过多，已拒绝读取")
        refuse(path, f"文件已损坏：「{name}」不是有效的XML")
    except (ValueError, etree.LxmlError):
        refuse(path, f"文件已损坏：「{name}」不是有效的XML")
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        refuse(path, f"文件内部的「{name}」含有DTD或实体声明（Word文件不会有），已拒绝读取")
    n = 0
    for el in root.iter():
        if not isinstance(el.tag, str):   # entity references left unresolved
            refuse(path, f"文件内部的「{name}」含有实体引用，已拒绝读取")
        n += 1
        if n > MAX_ELEMENTS:
            refuse(path, f"文件内部的「{name}」元素过多（超过{MAX_ELEMENTS}个），已拒绝读取")
    return root


class Budget:
    """Counts lines and cells as a reader produces them; refuses a document beyond the limits."""

    def __init__(self, path):
        self.path = path
        self.lines = 0
        self.cells = 0

    def line(self, n: int = 1) -> None:
        self.lines += n
        if self.lines > MAX_LINES:
            refuse(self.path, f"文档的段落和表格行过多（超过{MAX_LINES}个），不像是一份年度报告")

    def cell(self, n: int = 1) -> None:
        self.cells += n
        if self.cells > MAX_CELLS:
            refuse(self.path, f"文档的表格单元格过多（超过{MAX_CELLS}个），不像是一份年度报告")

    def table_depth(self, depth: int) -> None:
        if depth > MAX_TABLE_DEPTH:
            refuse(self.path, f"表格嵌套层数过多（超过{MAX_TABLE_DEPTH}层），已拒绝读取")


def span(value, default: int = 1) -> int:
    """A span attribute as an int in 1..MAX_SPAN (garbage → default)."""
    try:
        v = int(str(value).strip().split(".")[0])
    except (TypeError, ValueError):
        return default
    return min(max(v, 1), MAX_SPAN)


_HTML_RE = re.compile(r"<\s*(!doctype\s+html|html|head|body|meta|table|div|p|title)[\s>/]", re.I)


def sniff(raw: bytes) -> str:
    """What a file is by its content: 'zip' | 'html' | 'text' | 'binary' (the name's extension may lie)."""
    if raw[:4] == b"PK\x03\x04" or raw[:4] == b"PK\x05\x06":
        return "zip"
    head = raw[:65536]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        text = head.decode("utf-16", errors="replace")
    else:
        if b"\x00" in head:
            return "binary"
        text = head.decode("utf-8", errors="replace")
        if text.count("\ufffd") > 8:
            text = head.decode("gb18030", errors="replace")
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\r\n\f") or ch == "\ufffd")
    if bad > max(8, len(text) // 50):
        return "binary"
    start = text.lstrip("\ufeff \t\r\n")[:1]
    if start == "<" and _HTML_RE.search(text[:4096]) or re.search(r"<\s*(html|table)[\s>]", text, re.I):
        return "html"
    return "text"
