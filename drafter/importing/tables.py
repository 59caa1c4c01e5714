"""Placing the figures of a published table into the format's cells.

One algorithm serves every reader: a table arrives as a sequence of lines, each a list of cell strings.
A .docx or .html table gives one line per table row (each printed cell once, merged cells once); pasted web text
gives tab-separated rows, or one cell per line (the flattened token stream). Row labels, group labels and headers
are recognised from the format data (labels.py); the values that follow a row label belong to that row.
The importer never invents a number: what it cannot place with certainty stays missing and becomes a doubt.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from ..numbers import NumberError, format_number, parse_number
from .labels import TableLabels, key, table_labels

_VALUE_RE = re.compile(r"^[+\-]?\d[\d,]*(\.\d+)?(万元|万|元|件|条|个|项|次)?$")
_DASHES = {"-", "—", "——", "–", "/", "／", "－", "\\"}


def add_doubt(doubts: list, cells, message: str) -> None:
    d = {"cells": list(cells), "message": message}
    if d not in doubts:
        doubts.append(d)


def is_value(text: str) -> bool:
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).replace("−", "-")
    return bool(_VALUE_RE.match(s))


def is_blank(text: str) -> bool:
    return text.strip() == "" or re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)) in _DASHES


def parse_value(text: str, cell) -> tuple[object, str | None]:
    """(value, None) or (value, note) or (None, reason): a printed figure read for `cell`."""
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    if cell.kind == "amount" and s.endswith("元") and not s.endswith("万元"):
        try:
            yuan = parse_number(s[:-1], "amount")
        except NumberError as e:
            return None, str(e)
        wan = (Decimal(yuan) / Decimal(10000)).normalize()
        if wan == wan.to_integral_value():
            wan = wan.quantize(Decimal(1))
        return wan, f"原文为「{text.strip()}」，已换算为{format_number(wan)}万元"
    try:
        return parse_number(s, cell.kind), None
    except NumberError as e:
        return None, str(e)


@dataclass
class Placed:
    figures: dict = field(default_factory=dict)      # cell id -> value (only cells the text gave)
    narrative: list[str] = field(default_factory=list)  # prose found in the table's region
    found: bool = False                               # any row, header or value of this table was seen


def _strip_ends(seg: list[str]) -> list[str]:
    a, b = 0, len(seg)
    while a < b and seg[a] == "":
        a += 1
    while b > a and seg[b - 1] == "":
        b -= 1
    return seg[a:b]


Occurrence = list[list[str]]          # the cell strings after one printed occurrence of a row label, line by line


@dataclass
class _Scan:
    """What scanning a table's lines found: every occurrence of every row, and the values of group labels printed
    as a row of their own (the 2019 single row （六）其他处理 in a report of the 2021 format)."""
    rows: dict[int, list[Occurrence]] = field(default_factory=dict)
    how: dict[int, str] = field(default_factory=dict)
    stray: list[tuple[str, list[str]]] = field(default_factory=list)
    started: bool = False


def _scan(tl: TableLabels, lines: list[list[str]], doubts: list, out: Placed) -> _Scan:
    rows = tl.rows
    implicit = len(rows) == 1 and not rows[0].label       # table `appeals`: one data row, no label
    sc = _Scan()
    current: int | None = None
    group: list[str] | None = None          # values after a group label that no row label followed
    for cells in lines:
        seg: list[str] | None = None
        texts = [x for c in cells for x in split_cell(tl, c.strip())]
        shown = [t for t in texts if t]
        if not shown:
            continue
        for t in texts:
            if t == "" or is_blank(t):
                if seg is not None:
                    seg.append("")
                continue
            if is_value(t):
                if current is None and group is not None:
                    group.append(t)
                    continue
                if current is None and implicit and sc.started and 0 not in sc.rows:
                    current = 0
                    sc.rows[0] = [[]]
                if current is None:
                    add_doubt(doubts, [], f"{tl.table.heading}：表格中有位置不明的数字「{t}」，未导入")
                    continue
                if seg is None:
                    seg = []
                    sc.rows[current][-1].append(seg)
                seg.append(t)
                sc.started = True
                continue
            idx, kind_ = tl.match_row(t, None if current is None else current + 1)
            if idx is not None and (kind_ == "exact" or (not tl.is_header(t) and not tl.is_group(t))):
                if kind_ == "fuzzy":
                    add_doubt(doubts, [c.id for c in rows[idx].cells],
                              f"{tl.table.heading}：原文的行「{t}」按「{rows[idx].label}」读取，请核对")
                current, group = idx, None
                sc.how[idx] = kind_
                seg = []
                sc.rows.setdefault(idx, []).append([seg])
                sc.started = True
                continue
            if tl.is_group(t):
                current, seg, group = None, None, []
                sc.stray.append((t, group))
                sc.started = True
                continue
            if tl.is_header(t) or tl.caption(t):
                if tl.caption(t) and not implicit:
                    current, seg, group = None, None, None
                sc.started = True
                continue
            if not key(t):
                continue      # punctuation alone: a piece of a vertical label (、)
            if current is not None and sc.how.get(current) == "prefix" and key(t) in key(rows[current].label):
                continue      # the rest of a label split over lines (seed 000: 5. 属于三类内部事务 / 信息)
            if tl.is_fragment(t):
                continue      # a piece of a group label printed vertically or split at a page break (果, 法提供)
            prose = " ".join(shown)
            if len(shown) == 1 and (len(key(prose)) >= 20 or (not sc.started and prose.endswith("。"))):
                if prose not in out.narrative:
                    out.narrative.append(prose)
                break
            add_doubt(doubts, [], f"{tl.table.heading}：表格中有无法识别的文字「{t}」，未导入")
    return sc


_VALUES_TAIL = re.compile(r"^(.*?\S)((?:\s+[+\-]?\d[\d,]*(?:\.\d+)?(?:万元|万|元|件|条|个|项|次)?)+)$")
_VALUES = re.compile(r"^[+\-]?\d[\d,]*(?:\.\d+)?(?:\s+[+\-]?\d[\d,]*(?:\.\d+)?)+$")


def split_cell(tl: TableLabels, text: str) -> list[str]:
    """A cell of text copied from a PDF that holds several cells apart by single spaces: `21 0 0` → three values;
    `一、本年新收政府信息公开申请数量 21 0 0 0 0 0 21` → the label and its values (only when the words before the
    numbers are a label of this table, so prose that ends in a number stays whole)."""
    s = unicodedata.normalize("NFKC", text).strip()
    if _VALUES.match(s):
        return s.split()
    m = _VALUES_TAIL.match(s)
    if m and _known(tl, m.group(1)):
        return _words(tl, m.group(1)) + m.group(2).split()
    return _words(tl, text)


def _words(tl: TableLabels, text: str) -> list[str]:
    s = unicodedata.normalize("NFKC", text).strip()
    words = s.split()
    if len(words) > 1 and not _known(tl, s, fuzzy=False) and all(is_value(w) or _known(tl, w) for w in words):
        return words              # cells apart by one space: 三、本年 （一）予以公开, 结果 结果 其他 尚未
    return [text]


def _known(tl: TableLabels, text: str, fuzzy: bool = True) -> bool:
    """Text a table prints: a row label or the start or a piece of one, a group label or a piece, a header."""
    k = key(text)
    idx, how = tl.match_row(text)
    return bool(k) and ((idx is not None and (fuzzy or how != "fuzzy")) or tl.is_group(text) or tl.is_header(text)
                        or tl.is_fragment(text) or (len(k) >= 4 and any(k in rk for rk in tl.row_keys)))


def _fit(occ: Occurrence, n: int) -> list[str]:
    """The values of one occurrence, blank cells in their place: as printed when that gives the row's cells,
    else without blanks before the first value (a label over two columns), after the last, or around each line."""
    full = [t for seg in occ for t in seg]
    lead = full[next((i for i, t in enumerate(full) if t), len(full)):]
    tail = full[:len(full) - next((i for i, t in enumerate(reversed(full)) if t), 0)] if any(full) else []
    each = [t for seg in occ for t in _strip_ends(seg)]
    for cand in (full, lead, tail, each):
        if len(cand) == n:
            return cand
    if len(lead) > n and all(t == "" for t in lead[n:]):
        return lead[:n]
    return each


def _chosen(tl: TableLabels, i: int, occs: list[Occurrence], doubts: list) -> Occurrence:
    """Of the occurrences of a row label, the one that carries numbers (a heading line repeating the label
    comes first, with none); the first of several that carry numbers, with a doubt."""
    with_values = [o for o in occs if any(t for seg in o for t in seg)]
    if len(with_values) > 1:
        row = tl.rows[i]
        add_doubt(doubts, [c.id for c in row.cells],
                  f"{tl.table.heading}：「{row.name}」这一行出现了两次，只按第一次读取")
    return with_values[0] if with_values else occs[0]


def place_table(fid: str, tid: str, lines: list[list[str]], doubts: list) -> Placed:
    """Figures of table `tid` from its lines (each a list of cell strings); doubts are appended to `doubts`."""
    tl: TableLabels = table_labels(fid, tid)
    rows = tl.rows
    out = Placed()
    sc = _scan(tl, lines, doubts, out)
    out.found = sc.started
    if not sc.started:
        return out
    covered: set[int] = set()       # rows of a group printed as one row: said once, by the group
    for label, values in sc.stray:
        if values:
            under = [i for i, r in enumerate(rows) if i not in sc.rows and any(
                key(g).startswith(key(label)) for g in r.groups)]
            covered |= set(under)
            add_doubt(doubts, [c.id for i in under for c in rows[i].cells],
                      f"{tl.table.heading}：原文「{label}」作为一行印出数字（{' '.join(values)}），本年格式中它分为"
                      f"{len(under) or '几'}行，无法确定各数属于哪一行，未导入，请按原文填写")
    raw = {i: _fit(_chosen(tl, i, occs, doubts), len(rows[i].cells)) for i, occs in sc.rows.items()}
    nonzero = any(_is_nonzero(t) for seq in raw.values() for t in seq if t)
    blanks: list = []
    for i, row in enumerate(rows):
        ids = [c.id for c in row.cells]
        n = len(row.cells)
        where = f"{tl.table.heading}：" + (f"「{row.name}」" if row.label else "")
        if i not in raw:
            if i in covered:
                continue
            add_doubt(doubts, ids, f"{where}{'这一行' if row.label else '数字'}在原文中没有找到，未填写")
            continue
        seq = raw[i]
        shown = [t for t in seq if t]
        all_zero = bool(shown) and all(not _is_nonzero(t) for t in shown)
        if len(seq) == n:
            for c, t in zip(row.cells, seq, strict=True):
                if t == "":
                    blanks.append(c)
                    continue
                v, note = parse_value(t, c)
                if v is None:
                    add_doubt(doubts, [c.id], f"{where}{col_name(c)}：原文「{t}」无法读取（{note}），未填写")
                    continue
                out.figures[c.id] = v
                if note:
                    add_doubt(doubts, [c.id], f"{where}{col_name(c)}：{note}")
            continue
        if not shown:
            add_doubt(doubts, ids, f"{where}{'这一行' if row.label else ''}原文没有数字，未填写")
            continue
        if all_zero and (len(seq) > n or not nonzero):
            for c in row.cells:
                out.figures[c.id] = parse_value("0", c)[0]
            why = (f"原文给出{len(shown)}个数（应为{n}个），都是0" if len(seq) > n else
                   f"原文只有{len(shown)}个数（应为{n}个），都是0，且全表没有非零数")
            add_doubt(doubts, ids, f"{where}{why}，整行{n}格已按0填入，请核对原文")
            continue
        add_doubt(doubts, ids, f"{where}原文有{len(shown)}个数（应为{n}个）：{' '.join(shown)}，"
                               f"无法确定对应哪几格，整行未填写")
    if blanks:
        add_doubt(doubts, [c.id for c in blanks], f"{tl.table.heading}：{blank_cells(tl, blanks, raw)}空白，按0计？"
                                                  "（已按空白导入，未填写）")
    return out


def blank_cells(tl: TableLabels, blanks: list, raw: dict[int, list[str]]) -> str:
    """The blank cells of a table in few words: whole columns (法人或其他组织各列), whole rows, then single cells."""
    blank = {c.id for c in blanks}
    read = [c for i in raw if len(raw[i]) == len(tl.rows[i].cells) for c in tl.rows[i].cells]
    parts: list[str] = []
    done: set[str] = set()
    by_col: dict[str, list] = {}
    for c in read:
        by_col.setdefault(".".join(c.id.split(".")[-1:]) if c.row_label else c.id, []).append(c)
    cols = [k for k, cs in by_col.items() if len(cs) > 1 and all(c.id in blank for c in cs)]
    parents: dict[str, list[str]] = {}
    for k in cols:
        labels = [n.label for n in by_col[k][0].col_path if n.label]
        parents.setdefault(labels[-2] if len(labels) > 1 else "", []).append(k)
    for parent, ks in parents.items():
        siblings = {k for k, cs in by_col.items()
                    if [n.label for n in cs[0].col_path if n.label][-2:-1] == [parent]} if parent else set()
        if parent and siblings and siblings <= set(ks):
            parts.append(f"「{parent}」各列")
        else:
            parts += [f"「{col_name(by_col[k][0])}」列" for k in ks]
        for k in ks:
            done |= {c.id for c in by_col[k]}
    for i, row in enumerate(tl.rows):
        ids = [c.id for c in row.cells]
        if i in raw and len(ids) > 1 and all(x in blank for x in ids) and not all(x in done for x in ids):
            parts.append(f"「{row.name}」整行")
            done |= set(ids)
    rest = [c for c in blanks if c.id not in done]
    if rest:
        names = "、".join(f"「{c.row_label + '／' if c.row_label else ''}{col_name(c)}」" for c in rest[:4])
        parts.append(("另有" if parts else "") + (names if len(rest) <= 4 else f"{len(rest)}格（{names}等）"))
    return "、".join(parts)


def place_rows(fid: str, tid: str, rows: list[list[str]], doubts: list) -> Placed:
    """A table as a .docx or .html reader gives it: one list of cell strings per printed row."""
    return place_table(fid, tid, rows, doubts)


def place_tokens(fid: str, tid: str, tokens: list[str], doubts: list) -> Placed:
    """A table flattened into a stream of cell strings (one cell per line of pasted text)."""
    return place_table(fid, tid, [[t] for t in tokens], doubts)


def col_name(c) -> str:
    """The column as printed, e.g. 未经复议直接起诉／尚未审结 (the innermost label alone is ambiguous in `appeals`)."""
    labels = [n.label for n in c.col_path if n.label]
    return "／".join(labels[-2:]) if len(labels) > 1 and not c.row_label else labels[-1]


def _is_nonzero(t: str) -> bool:
    digits = re.sub(r"[^\d]", "", unicodedata.normalize("NFKC", t))
    return bool(digits) and set(digits) != {"0"}
