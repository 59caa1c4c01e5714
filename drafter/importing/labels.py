"""Label matching for the importers, derived from the format data (never a label written in code).

Published reports print the format's labels with variations: full-width or half-width brackets and digits,
`1、` for `1.`, spaces inside words (`结 果 维 持`), labels split over lines (`本年新` / `制作数量`), straight or
curly quotes. Everything is compared on a key: NFKC, no whitespace, no punctuation.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from ..formats import Cell, Format, Table, load_format

_PUNCT = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+|[^\w]+|_+")
NUMERALS = "一二三四五六七八九十"
# a Chinese section number at the start of a heading: 一、 二. 三， 四．
HEADING_RE = re.compile(rf"^([{NUMERALS}]{{1,2}})\s*[、.．,，:：]\s*(\S.*)$")
# a sub-part marker: （一） (一) 一、 is not one of them
PART_RE = re.compile(rf"^\s*[（(]\s*([{NUMERALS}]{{1,2}})\s*[)）]\s*")
# any numbering at the start of a paragraph: （一） 一、 1. 1、 （1） ① 一是
MARKER_RE = re.compile(rf"^\s*(?:[（(]\s*[{NUMERALS}\d]{{1,2}}\s*[)）]|[{NUMERALS}]{{1,2}}\s*[、.．]|\d{{1,2}}\s*[、.．](?!\d)"
                       rf"|[①-⑳]|[{NUMERALS}]是)")


def key(text: str) -> str:
    """The comparison key of a label: NFKC, no whitespace, no punctuation (digits, letters and CJK stay)."""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", str(text)))


def similar(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


@dataclass
class PrintedRow:
    """One printed row of a table: its innermost label (may be '') and its value cells in printed order."""
    label: str
    cells: list[Cell]
    groups: tuple[str, ...] = ()      # labels of the enclosing row groups (三、本年度办理结果, （三）不予公开)
    block: str | None = None

    @property
    def name(self) -> str:
        return "／".join(filter(None, [self.block, self.label])) or "数据行"


@dataclass
class TableLabels:
    table: Table
    rows: list[PrintedRow]
    row_keys: dict[str, int]          # label key -> index into rows
    group_keys: set[str]
    header_text: str                  # keys of every caption, header and corner text, concatenated
    header_keys: set[str]
    caption_keys: dict[str, str] = field(default_factory=dict)   # caption key -> caption

    def match_row(self, text: str, expected: int | None = None) -> tuple[int | None, str]:
        """Index of the row whose label `text` is, and how: 'exact' | 'prefix' | 'fuzzy' | ''."""
        k = key(text)
        if not k:
            return None, ""
        if k in self.row_keys:
            return self.row_keys[k], "exact"
        if len(k) >= 4:
            pre = [i for lk, i in self.row_keys.items() if lk.startswith(k)]
            if len(pre) == 1:
                return pre[0], "prefix"
            if expected is not None and expected in pre:
                return expected, "prefix"
            best, score = None, 0.0
            for lk, i in self.row_keys.items():
                s = similar(k, lk)
                if s > score:
                    best, score = i, s
            if score >= 0.8:
                return best, "fuzzy"
        return None, ""

    def is_group(self, text: str) -> bool:
        k = key(text)
        return bool(k) and (k in self.group_keys or any(g.startswith(k) and len(k) >= 4 for g in self.group_keys))

    def is_fragment(self, text: str) -> bool:
        """A piece of a group label (printed vertically, or split at a page break: 果, 法提供, 三、本)."""
        k = key(text)
        return bool(k) and any(k in g for g in self.group_keys)

    def is_header(self, text: str) -> bool:
        """A caption, column header or corner text, or a piece of one (headers are split over lines and cells)."""
        k = key(text)
        if not k:
            return False
        return k in self.header_keys or k in self.header_text

    def caption(self, text: str) -> str | None:
        return self.caption_keys.get(key(text))


def printed_rows(table: Table) -> list[PrintedRow]:
    out: list[PrintedRow] = []
    seen: dict[tuple, PrintedRow] = {}
    for c in table.cells:
        ident = (c.block, c.row_path)
        row = seen.get(ident)
        if row is None:
            labels = [n.label for n in c.row_path if n.label]
            row = PrintedRow(labels[-1] if labels else "", [], tuple(labels[:-1]), c.block)
            seen[ident] = row
            out.append(row)
        row.cells.append(c)
    return out


@lru_cache(maxsize=None)
def table_labels(fid: str, tid: str) -> TableLabels:
    table = load_format(fid).tables[tid]
    rows = printed_rows(table)
    row_keys = {key(r.label): i for i, r in enumerate(rows) if r.label}
    group_keys = {key(g) for r in rows for g in r.groups}
    heads = [g.text for g in table.grid if g.role in ("corner", "caption", "header") and g.text]
    if table.raw.get("row_header"):
        heads.append(table.raw["row_header"])
    header_keys = {key(h) for h in heads}
    captions = {key(g.text): g.text for g in table.grid if g.role == "caption"}
    return TableLabels(table, rows, row_keys, group_keys, "|".join(key(h) for h in heads), header_keys, captions)


@dataclass(frozen=True)
class SectionHeading:
    index: int          # position in fmt.sections
    id: str
    number: str         # 一 二 …
    rest: str           # the words after 一、


def section_headings(fmt: Format) -> list[SectionHeading]:
    out = []
    for i, s in enumerate(fmt.sections):
        m = HEADING_RE.match(s.heading)
        out.append(SectionHeading(i, s.id, m.group(1), m.group(2)) if m else SectionHeading(i, s.id, "", s.heading))
    return out


def match_heading(text: str, fmt: Format) -> tuple[SectionHeading | None, str]:
    """The section a heading line opens, and the heading's own words; (None, '') for other lines.

    `### 一、政府信息公开总体情况`, `五、存在的主要问题及改进措施` and `二、政府信息公开工作情况` (seed 000's extra 二)
    are headings; a long paragraph that starts with 一、 is not."""
    t = text.strip()
    m = HEADING_RE.match(t)
    if not m or len(key(t)) > 40:
        return None, ""
    number, rest = m.group(1), m.group(2).strip()
    rk = key(rest)
    if not rk or re.search(r"[。；;]", rest[:-1]):
        return None, ""
    for h in section_headings(fmt):
        if h.number != number:
            continue
        hk = key(h.rest)
        if hk in rk or rk in hk or similar(rk, hk) >= 0.5:
            return h, rest
    return None, ""
