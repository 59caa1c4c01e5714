"""Placing the figures of a published table into the format's cells.

One algorithm serves every reader: a table arrives as a sequence of lines, each a list of cell strings.
A .docx or .html table gives one line per table row (each printed cell once, merged cells once); pasted web text
gives tab-separated rows, or one cell per line (the flattened token stream). Row labels, group labels and headers
are recognised from the format data (labels.py); the values that follow a row label belong to that row.
Text copied out of a PDF may give a table out of order (numbers before their labels, blocks of rows written
column by column, a row's numbers among header fragments): then the values are read from the structure alone
(_structure), where the format's totals prove every cell, and what nothing proves is left with one doubt per table.
The importer never invents a number: what it cannot place with certainty stays missing and becomes a doubt.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from ..formats import load_format
from ..numbers import NumberError, format_number, parse_number
from ..rules import cell_id, lines, rules_of_kind, sum_plan
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
    stream: list[str] = field(default_factory=list)     # every value in the order printed ("" for a dash)
    where: list[int] = field(default_factory=list)      # the line of each value of `stream`
    lost: list[str] = field(default_factory=list)       # values the scan could not give a row
    broken: set[int] = field(default_factory=set)       # rows whose values are interrupted by other text, or go
                                                        # on over another line when the row is full


def _scan(tl: TableLabels, lines: list[list[str]], doubts: list, out: Placed) -> _Scan:
    rows = tl.rows
    implicit = len(rows) == 1 and not rows[0].label       # table `appeals`: one data row, no label
    sc = _Scan()
    current: int | None = None
    group: list[str] | None = None          # values after a group label that no row label followed
    gap = False                             # text came after the current row's values
    only: int | None = None                 # the one row of one cell under the caption last seen
    split = [[x for c in cells for x in split_cell(tl, c.strip())] for cells in lines]
    alone = _alone(tl, split)
    for number, texts in enumerate(split):
        seg: list[str] | None = None
        shown = [t for t in texts if t]
        if not shown:
            continue
        if implicit and current is None and sc.started and 0 not in sc.rows and any(map(is_value, shown)) \
                and all(is_value(t) or is_blank(t) for t in shown):
            current, seg = 0, []            # the data row of 四 (no label): a blank first cell keeps its place
            sc.rows[0] = [[seg]]
        for t in texts:
            if t == "" or is_blank(t):
                if t and sc.started:
                    sc.stream.append("")
                    sc.where.append(number)
                if seg is not None:
                    seg.append("")
                continue
            if is_value(t):
                sc.stream.append(t)
                sc.where.append(number)
                if current is None and group is not None:
                    group.append(t)
                    continue
                if current is None and implicit and sc.started and 0 not in sc.rows:
                    current = 0
                    sc.rows[0] = [[]]
                if current is None and only is not None and not any(
                        x for occ in sc.rows.get(only, []) for seg_ in occ for x in seg_):
                    current = only      # a caption over one cell (第二十条第（五）项 行政许可): the value is its
                    sc.rows.setdefault(only, []).append([])
                if current is None:
                    sc.lost.append(t)
                    continue
                if gap and any(x for seg_ in sc.rows[current][-1] for x in seg_):
                    sc.broken.add(current)
                gap = False
                if seg is None:
                    if sum(1 for seg_ in sc.rows[current][-1] for x in seg_ if x) >= len(rows[current].cells):
                        sc.broken.add(current)      # the row is full: a later line's values are another row's
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
                current, group, gap = idx, None, False
                sc.how[idx] = kind_
                seg = []
                sc.rows.setdefault(idx, []).append([seg])
                sc.started = True
                continue
            gap = True
            if tl.is_group(t):
                current, seg, group = None, None, []
                sc.stray.append((t, group))
                sc.started = True
                continue
            if tl.is_header(t) or tl.caption(t):
                if tl.caption(t) and not implicit:
                    current, seg, group = None, None, None
                    only = alone.get(number)
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


def _captioned(tl: TableLabels) -> dict[str, list[int]]:
    """The rows under each caption of the table (第二十条第（五）项 → 行政许可), by the caption's key."""
    out: dict[str, list[int]] = {}
    cap: str | None = None
    where = {c.id: i for i, r in enumerate(tl.rows) for c in r.cells}
    for g in tl.table.grid:
        if g.role == "caption":
            cap = key(g.text)
            out.setdefault(cap, [])
        elif g.cell and cap is not None and where.get(g.cell) is not None and where[g.cell] not in out[cap]:
            out[cap].append(where[g.cell])
    return out


def _alone(tl: TableLabels, split: list[list[str]]) -> dict[int, int]:
    """Lines with a caption over one row of one cell (第二十条第（五）项 行政许可) that the text follows with exactly
    one value before the next caption or the end: that value is the cell's, wherever its label is printed."""
    out: dict[int, int] = {}
    marks: list[tuple[int, list[int], int]] = []     # (line, rows under the caption, values after it)
    for number, texts in enumerate(split):
        for t in texts:
            if t and tl.caption(t):
                marks.append((number, _captioned(tl).get(key(t), []), 0))
            elif t and is_value(t) and marks:
                line, under, n = marks[-1]
                marks[-1] = (line, under, n + 1)
    for line, under, n in marks:
        if n == 1 and len(under) == 1 and len(tl.rows[under[0]].cells) == 1:
            out[line] = under[0]
    return out


_VALUES_TAIL = re.compile(r"^(.*?\S)((?:\s+[+\-]?\d[\d,]*(?:\.\d+)?(?:万元|万|元|件|条|个|项|次)?)+)$")
# a label whose first value is glued to it (pypdf's layout mode: 5.要求行政机关确认或重新出具0  0  0)
_GLUED = re.compile(r"^(.*[^\W\d_])(\d[\d,]*(?:\.\d+)?(?:\s+[+\-]?\d[\d,]*(?:\.\d+)?)*)$")
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
    g = _GLUED.match(s)
    if g and tl.match_row(g.group(1))[1] in ("exact", "prefix"):
        return [g.group(1)] + g.group(2).split()
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
    chosen = {i: _chosen(tl, i, occs, doubts) for i, occs in sc.rows.items()}
    raw: dict[int, list[str | None]] = {i: list(_fit(occ, len(rows[i].cells))) for i, occ in chosen.items()}
    disorder = _disordered(tl, sc, raw)
    left: list[str] = []            # cells the text gives out of order, that no reading places with certainty
    as_one: dict[str, list[str]] = {}
    whole = None
    if disorder:
        whole, as_one = _structure(fid, tid, tl, sc)
        if whole is not None:
            raw = whole
        else:   # no single reading: only rows printed whole on their label's line whose own totals agree
            raw = {i: _on_label_line(fid, tid, rows[i], chosen[i]) for i in raw}
        left += [c.id for i, seq in raw.items() for c, t in zip(rows[i].cells, seq, strict=False) if t is None]
    covered: set[int] = set()       # rows of a group printed as one row: said once, by the group
    if disorder:
        groups = [(label, under, as_one.get(label)) for _, label, under in _strays(tl, sc)]
    else:
        groups = [(label, [i for i, r in enumerate(rows) if i not in sc.rows and any(
            key(g).startswith(key(label)) for g in r.groups)], values) for label, values in sc.stray if values]
    for label, under, values in groups:
        covered |= set(under)
        if not values:
            left += [c.id for i in under for c in rows[i].cells]
            continue
        add_doubt(doubts, [c.id for i in under for c in rows[i].cells],
                  f"{tl.table.heading}：原文「{label}」作为一行印出数字（{' '.join(values)}），本年格式中它分为"
                  f"{len(under) or '几'}行，无法确定各数属于哪一行，未导入，请按原文填写")
    if whole is None:
        for number in sc.lost:
            add_doubt(doubts, [], f"{tl.table.heading}：表格中有位置不明的数字「{number}」，未导入")
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
        if disorder and len(seq) == n and all(t is None for t in seq):
            continue
        shown = [t for t in seq if t]
        all_zero = bool(shown) and all(not _is_nonzero(t) for t in shown)
        if len(seq) == n:
            for c, t in zip(row.cells, seq, strict=True):
                if t is None:
                    continue
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
        if disorder:
            left += ids
            continue
        if all_zero and (len(seq) > n or not nonzero):
            for c in row.cells:
                out.figures[c.id] = parse_value("0", c)[0]
            why = (f"原文给出{len(shown)}个数（应为{n}个），都是0" if len(seq) > n else
                   f"原文只有{len(shown)}个数（应为{n}个），都是0，且全表没有非零数")
            add_doubt(doubts, ids, f"{where}{why}，整行{n}格已按0填入，请核对原文")
            continue
        add_doubt(doubts, ids, f"{where}原文有{len(shown)}个数（应为{n}个）：{' '.join(t for t in shown if t)}，"
                               f"无法确定对应哪几格，整行未填写")
    if left:
        add_doubt(doubts, list(dict.fromkeys(left)), OUT_OF_ORDER.format(table=tl.table.heading, n=len(set(left))))
    if blanks:
        add_doubt(doubts, [c.id for c in blanks], f"{tl.table.heading}：{blank_cells(tl, blanks, raw)}空白，按0计？"
                                                  "（已按空白导入，未填写）")
    return out


OUT_OF_ORDER = ("{table}：表格的文字从PDF中复制出来时次序已乱（数字没有按表格的行和列排列），有{n}格无法确定属于"
                "哪一行哪一列，未填写。请直接导入PDF文件本身，可按表格的版面读出这些数字")


def _disordered(tl: TableLabels, sc: _Scan, raw: dict) -> bool:
    """The text gives this table's values out of order (text copied from a PDF that wrote the table column by column
    or in blocks): values the scan could give no row, values of a row interrupted by other text, or a row given
    the values of two rows or more (several rows' values after one label; one cell too many is a web page's
    misaligned row, read as before)."""
    return bool(sc.lost or sc.broken or any(len(seq) >= 2 * len(tl.rows[i].cells) for i, seq in raw.items()))


def _strays(tl: TableLabels, sc: _Scan) -> list[tuple[int, str, list[int]]]:
    """Groups printed as one row of their own (the 2019 row （六）其他处理 in a 2021 table): (position, label, the
    format's rows under it), the position being the first of those rows."""
    out: list[tuple[int, str, list[int]]] = []
    for label, _values in sc.stray:
        under = [i for i, r in enumerate(tl.rows) if any(key(g).startswith(key(label)) for g in r.groups)]
        if not under or any(i in sc.rows for i in under) or any(u == under for _, _, u in out):
            continue
        if len({len(tl.rows[i].cells) for i in under}) != 1:
            continue
        out.append((under[0], label, under))
    return out


_CAP = 200          # distinct readings kept at most; more and nothing is certain


def _structure(fid: str, tid: str, tl: TableLabels, sc: _Scan
               ) -> tuple[dict[int, list[str | None]] | None, dict[str, list[str]]]:
    """The table's values read from the structure alone, when the text gives them out of order.

    The rows the text prints (their labels, in the format's order, and a group printed as one row) must take
    exactly the values printed. The text is read as consecutive blocks of rows, each block written column by column
    (a block of one row: row by row), as pdftotext and pdfminer write a table; values on one line of text are in
    one row. Every way of cutting the values into such blocks whose rows satisfy their row totals, and whose whole
    satisfies the column totals and identities of the format (一+二 = 三（七）+四), is a reading. A cell is placed
    only where every reading gives the same value; a table with no totals (二) only when there is one reading.
    Returns the rows' values (None for a cell not certain) and the values of each group printed as one row where
    all are certain; (None, {}) when no reading fits."""
    checks = _checks(fid, tid)
    strays = _strays(tl, sc)
    printed: list[tuple[int, int | None, list[str]]] = [
        (i, i, [c.id for c in tl.rows[i].cells]) for i in sc.rows]
    printed += [(pos, None, [c.id for c in tl.rows[under[0]].cells]) for pos, _, under in strays]
    printed.sort(key=lambda p: p[0])
    extra = {pos: [c.id for i in under[1:] for c in tl.rows[i].cells] for pos, _, under in strays}
    values = sc.stream
    widths = [len(ids) for _, _, ids in printed]
    if not printed or sum(widths) != len(values):
        return None, {}
    offs = [0]
    for w in widths:
        offs.append(offs[-1] + w)

    def verified(ids: list[str], seq: list[str], zero: list[str]) -> bool:
        have = {x: _num(t) for x, t in zip(ids, seq, strict=True)}
        have.update((x, Decimal(0)) for x in zero)
        return _hold(checks, have)

    n = len(printed)
    memo: dict[int, set[tuple[str, ...]]] = {n: {()}}
    for a in range(n - 1, -1, -1):
        found: set[tuple[str, ...]] = set()
        for b in range(a + 1, n + 1):
            if widths[b - 1] != widths[a]:
                break
            k, w = b - a, widths[a]
            block = values[offs[a]:offs[b]]
            if b < n and sc.where[offs[b] - 1] == sc.where[offs[b]]:
                continue        # values on one line of text are in one printed row
            if k > 1 and any(sc.where[j] == sc.where[j + 1] for j in range(offs[a], offs[b] - 1)):
                continue        # a block written column by column has one value a line
            flat = tuple(block[c * k + r] for r in range(k) for c in range(w))
            ids = [x for p in printed[a:b] for x in p[2]]
            zero = [x for p in printed[a:b] if p[1] is None for x in extra[p[0]]]
            if not verified(ids, list(flat), zero):
                continue
            found |= {flat + rest for rest in memo[b]}
            if len(found) > _CAP:
                return None, {}
        memo[a] = found
    every = [x for p in printed for x in p[2]]
    zero_all = [x for p in printed if p[1] is None for x in extra[p[0]]]
    readings = [r for r in memo[0] if verified(every, list(r), zero_all)]
    if not readings or (not checks and len(readings) > 1):
        return None, {}
    out: dict[int, list[str | None]] = {}
    as_one: dict[str, list[str]] = {}
    labels = {pos: label for pos, label, _ in strays}
    for (pos, i, ids), a in zip(printed, offs, strict=False):
        seq = [readings[0][a + j] if all(r[a + j] == readings[0][a + j] for r in readings) else None
               for j in range(len(ids))]
        if i is not None:
            out[i] = seq
        elif all(t is not None for t in seq):
            as_one[labels[pos]] = [t or "-" for t in seq if t is not None]
    return out, as_one


def _num(t: str) -> Decimal | None:
    if t == "":
        return Decimal(0)
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", t))
    s = re.sub(r"(万元|万|元|件|条|个|项|次)$", "", s).replace(",", "")
    try:
        return Decimal(s)
    except ArithmeticError:
        return None


@lru_cache(maxsize=None)
def _checks(fid: str, tid: str) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """The format's sums and identities of table `tid`, each as (left cells, right cells) of left sum = right sum:
    a row or column total and its parts, 一+二 = 三（七）+四 per column."""
    plan: list[tuple[tuple[str, ...], tuple[str, ...]]] = [((t,), p) for t, p in sum_plan(fid)
                                                             if t.startswith(tid + ".")]
    table = load_format(fid).tables[tid]
    for rule in rules_of_kind(fid, "identity"):
        if rule["table"] == tid:
            for _, line in lines(table, rule["each"]):
                plan.append((tuple(cell_id(table, rule["each"], line, k) for k in rule["left"]),
                             tuple(cell_id(table, rule["each"], line, k) for k in rule["right"])))
    return tuple(plan)


def _hold(checks, have: dict[str, Decimal | None]) -> bool:
    """Every check whose cells are all in `have` holds (a value that is not a number fails)."""
    for left, right in checks:
        if all(x in have for x in left) and all(x in have for x in right):
            got = [have[x] for x in (*left, *right)]
            if any(v is None for v in got):
                return False
            if sum(got[:len(left)]) != sum(got[len(left):]):   # type: ignore[arg-type]
                return False
    return True


def _on_label_line(fid: str, tid: str, row, occ: Occurrence) -> list[str | None]:
    """A row's values when they are all on its label's line and its own totals agree; else all None."""
    seq: list[str | None] = list(_fit(occ[:1], len(row.cells))) if row.label and occ else []
    return seq if _sums_hold(fid, tid, row, seq) else [None] * len(row.cells)


def _sums_hold(fid: str, tid: str, row, seq: list) -> bool:
    """The row's own totals (a total and its parts all in this row) agree with what the text gives."""
    if len(seq) != len(row.cells) or any(t is None for t in seq):
        return False
    return _hold(_checks(fid, tid), {c.id: _num(t) for c, t in zip(row.cells, seq, strict=True)})


def blank_cells(tl: TableLabels, blanks: list, raw: dict[int, list[str | None]]) -> str:
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
