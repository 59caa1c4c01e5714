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


def place_table(fid: str, tid: str, lines: list[list[str]], doubts: list) -> Placed:
    """Figures of table `tid` from its lines (each a list of cell strings); doubts are appended to `doubts`."""
    tl: TableLabels = table_labels(fid, tid)
    rows = tl.rows
    implicit = len(rows) == 1 and not rows[0].label       # table `appeals`: one data row, no label
    segs: dict[int, list[list[str]]] = {}
    how: dict[int, str] = {}
    out = Placed()
    current: int | None = None
    started = False
    for cells in lines:
        seg: list[str] | None = None
        texts = [c.strip() for c in cells]
        if not any(texts):
            continue
        prose = " ".join(t for t in texts if t)
        for t in texts:
            if t == "" or is_blank(t):
                if seg is not None:
                    seg.append("")
                continue
            if is_value(t):
                if current is None and implicit and started and 0 not in segs:
                    current = 0
                    segs[0] = []
                if current is None:
                    add_doubt(doubts, [], f"{tl.table.heading}：表格中有位置不明的数字「{t}」，未导入")
                    continue
                if seg is None:
                    seg = []
                    segs[current].append(seg)
                seg.append(t)
                started = True
                continue
            idx, kind_ = tl.match_row(t, None if current is None else current + 1)
            if kind_ == "exact" or (idx is not None and not tl.is_header(t) and not tl.is_group(t)):
                if idx in segs:
                    add_doubt(doubts, [c.id for c in rows[idx].cells],
                              f"{tl.table.heading}：「{rows[idx].name}」这一行出现了两次，只按第一次读取")
                    current = None
                    seg = None
                    continue
                if kind_ == "fuzzy":
                    add_doubt(doubts, [c.id for c in rows[idx].cells],
                              f"{tl.table.heading}：原文的行「{t}」按「{rows[idx].label}」读取，请核对")
                current, how[idx] = idx, kind_
                segs[idx] = []
                seg = []
                segs[idx].append(seg)
                started = True
                continue
            if tl.is_group(t) or tl.is_header(t) or tl.caption(t):
                if tl.caption(t) and not implicit:
                    current, seg = None, None
                started = True
                continue
            if current is not None and how.get(current) == "prefix" and key(rows[current].label).endswith(key(t)):
                continue      # the rest of a label split over lines (seed 000: 5. 属于三类内部事务 / 信息)
            if len(key(prose)) >= 20 or (not started and prose.endswith("。")):
                if prose not in out.narrative:
                    out.narrative.append(prose)
                break
            add_doubt(doubts, [], f"{tl.table.heading}：表格中有无法识别的文字「{t}」，未导入")
    out.found = started
    if not started:
        return out
    raw: dict[int, list[str]] = {}
    for i, ss in segs.items():
        seq: list[str] = []
        for s in ss:
            seq += _strip_ends(s)
        raw[i] = seq
    nonzero = any(_is_nonzero(t) for seq in raw.values() for t in seq if t)
    for i, row in enumerate(rows):
        ids = [c.id for c in row.cells]
        n = len(row.cells)
        where = f"{tl.table.heading}：" + (f"「{row.name}」" if row.label else "")
        if i not in raw:
            add_doubt(doubts, ids, f"{where}{'这一行' if row.label else '数字'}在原文中没有找到，未填写")
            continue
        seq = raw[i]
        shown = [t for t in seq if t]
        all_zero = bool(shown) and all(not _is_nonzero(t) for t in shown)
        if len(seq) == n:
            blanks = []
            for c, t in zip(row.cells, seq):
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
            if blanks:
                add_doubt(doubts, [c.id for c in blanks],
                          f"{where}{'、'.join(col_name(c) for c in blanks)}：原文此格为空，未填写")
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
    return out


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
