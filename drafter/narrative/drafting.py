"""Drafting: sentences stated from the figures, in the register of published reports; every table label in them
comes from drafter.formats."""
from __future__ import annotations

import re

from ..formats import load_format
from ..numbers import format_number
from ..report import Report
from .reader import verb_of
from .text import normalise


# ---- drafting -----------------------------------------------------------------------------------
class DraftError(ValueError):
    """A draft that cannot be made yet; str() is one Chinese line for the clerk."""


def _topics() -> list[str]:
    # the national vocabulary of 总体情况's sub-parts (2021 format data), also used for 2019 reports
    return load_format("2021").section("overview").topics


def draft_keys(fid: str) -> list[str]:
    topics = _topics()
    keys = [f"overview:{topics[0]}", f"overview:{topics[1]}", "appeals"]
    if load_format(fid).section("overview").topics:
        keys.append("other:fee")     # 六's 信息处理费 statement, 2021 format
    return keys


def we(report: Report) -> str:
    """How the agency names itself: 我镇, 我乡, 本街道, 本机关."""
    name = normalise(report.agency_name)
    for suffix, word in (("街道办事处", "本街道"), ("镇人民政府", "我镇"), ("镇政府", "我镇"),
                         ("乡人民政府", "我乡"), ("乡政府", "我乡")):
        if name.endswith(suffix):
            return word
    return "本机关"


def _label(s: str) -> str:
    """A row label without its enumerator or note: （二）部分公开（区分处理的…） → 部分公开, 1.属于国家秘密 → 属于国家秘密."""
    s = re.sub(r"^(?:[（(][一二三四五六七八九十]+[）)]|\d+[.．、]|[一二三四五六七八九十]+、)", "", s)
    return re.sub(r"[（(][^（）()]*[）)]$", "", s) or s


def _need(report: Report, ids, what: str) -> dict:
    missing = [i for i in ids if report.figures.get(i) is None]
    if missing:
        raise DraftError(f"{what}还有{len(missing)}项数字未填写，填完后才能起草这段文字")
    return {i: report.figures[i] for i in ids}


def _n(v) -> str:
    return format_number(v)


def draft_requests(report: Report) -> str:
    fmt = report.fmt
    req = fmt.tables["requests"]
    f = _need(report, [c.id for c in req.cells], fmt.section("requests").heading)
    cols = [c for c in req.col_ids if c != "total"]
    year, w = report.year, we(report)
    new, co = f[req.cell("new", "total").id], f[req.cell("carried_over", "total").id]
    total, cf = f[req.cell("total", "total").id], f[req.cell("carried_forward", "total").id]
    out = []
    if new:
        by = [(req.cell("new", c).col_path[-1].name, f[req.cell("new", c).id]) for c in cols]
        by = [(n, v) for n, v in by if v]
        if len(by) == 1:
            who = f"申请人均为{by[0][0]}"
        else:
            who = "其中" + "、".join(f"{n}提出申请{_n(v)}件" for n, v in by)
        out.append(f"{year}年，{w}共收到政府信息公开申请{_n(new)}件，{who}。")
    else:
        out.append(f"{year}年，{w}未收到政府信息公开申请。")
    out.append(f"上年结转政府信息公开申请{_n(co)}件。" if co else "无上年结转的政府信息公开申请。")
    if total:
        items = []
        root = req.cell("total", "total").row_path[0]     # 三、本年度办理结果
        for node in root.children:
            if node.role == "total":
                continue
            if node.children:
                subs = [(_label(ch.label), f[f"requests.{node.key}.{ch.key}.total"]) for ch in node.children]
                n = sum(v for _, v in subs)
                if n:
                    detail = "、".join(f"{lab}{_n(v)}件" for lab, v in subs if v)
                    items.append(f"{_label(node.label)}{_n(n)}件（{detail}）")
            else:
                n = f[f"requests.{node.key}.total"]
                if n:
                    items.append(f"{_label(node.label)}{_n(n)}件")
        out.append(f"本年度办结政府信息公开申请{_n(total)}件，其中" + "，".join(items) + "。")
    elif new or co:
        out.append("本年度尚无办结的政府信息公开申请。")
    if cf:
        out.append(f"结转下年度继续办理的政府信息公开申请{_n(cf)}件。")
    elif new or co:
        out.append("无结转下年度继续办理的政府信息公开申请。")
    return "".join(out)


def draft_appeals(report: Report) -> str:
    fmt = report.fmt
    ap = fmt.tables["appeals"]
    f = _need(report, [c.id for c in ap.cells], fmt.section("appeals").heading)
    year, w = report.year, we(report)
    review_node = ap.cell("review", "total").col_path[0]
    lit_node = ap.cell("litigation_direct", "total").col_path[0]

    def outcomes(group):
        parts = [(c.col_label, f[c.id]) for c in ap.cells if c.row == group and c.col != "total" and f[c.id]]
        return "（" + "、".join(f"{lab}{_n(v)}件" for lab, v in parts) + "）" if parts else ""

    r, lit = f["appeals.review.total"], f["appeals.litigation_direct.total"] + f["appeals.litigation_after_review.total"]
    if not r and not lit:
        return f"{year}年，{w}未发生因政府信息公开被申请{review_node.label}、提起{lit_node.label}的情况。"
    s = f"{year}年，{w}"
    s += f"因政府信息公开被申请{review_node.label}{_n(r)}件{outcomes('review')}；" if r else \
        f"未发生因政府信息公开被申请{review_node.label}的情况；"
    if lit:
        subs = []
        for g in ("litigation_direct", "litigation_after_review"):
            n = f[f"appeals.{g}.total"]
            if n:
                subs.append(f"{ap.cell(g, 'total').col_path[1].name}{_n(n)}件{outcomes(g)}")
        s += f"因政府信息公开被提起{lit_node.label}{_n(lit)}件，其中" + "，".join(subs) + "。"
    else:
        s += f"未发生因政府信息公开被提起{lit_node.label}的情况。"
    return s


def draft_active(report: Report) -> str:
    fmt = report.fmt
    act = fmt.tables["active"]
    f = _need(report, [c.id for c in act.cells], fmt.section("active").heading)
    year, w = report.year, we(report)
    township = report.agency.get("level") == "township"
    clauses = []
    rows = dict(act.rows())
    # 第二十条第（一）项: documents (规章 only when not a township, or when the table holds any)
    doc_block = act.cells[0].block
    for row, cells in rows.items():
        if cells[0].block != doc_block:
            continue
        if row == "rules" and township and not any(f[c.id] for c in cells):
            continue
        first, rest = cells[0], cells[1:]
        s = f"{verb_of(first.col_label)}{first.row_label}{_n(f[first.id])}件"
        s += "".join(f"、{verb_of(c.col_label)}{_n(f[c.id])}件" for c in rest)
        clauses.append(s)
    out = [f"{year}年，{w}" + "；".join(clauses) + "。"] if clauses else []
    # 处理决定 of 第二十条第（五）（六）项
    dec = [c for c in act.cells if c.col == "decisions"]
    nonzero = [c for c in dec if f[c.id]]
    if nonzero:
        out.append("本年度作出" + "、".join(f"{c.row_label}{verb_of(c.col_label)}{_n(f[c.id])}件" for c in nonzero)
                   + "。")
    elif dec:
        out.append("本年度未作出" + "、".join(c.row_label for c in dec) + verb_of(dec[0].col_label) + "。")
    # 第二十条第（八）项 fees, 第二十条第（九）项 procurement
    for row in ("fees", "procurement"):
        if row not in rows:
            continue
        cells = rows[row]
        byc = {c.col: c for c in cells}
        label = cells[0].row_label
        if "amount" in byc and row == "fees":
            a = f[byc["amount"].id]
            out.append(f"本年度收取{label}{_n(a)}{byc['amount'].unit}。" if a else f"本年度未收取{label}。")
        elif row == "fees":
            p, ch = f[byc["prev_items"].id], f[byc["change"].id]
            change = f"+{ch}" if ch > 0 else str(ch)
            out.append(f"{label}{byc['prev_items'].col_label}{_n(p)}项，{byc['change'].col_label}{change}项。")
        else:
            n, a = f[byc["projects"].id], f[byc["amount"].id]
            out.append(f"开展{label}{_n(n)}项，{byc['amount'].col_label}{_n(a)}{byc['amount'].unit}。" if n or a
                       else f"本年度未开展{label}。")
    return "".join(out)


def draft_fee(report: Report) -> str:
    return f"{report.year}年，{we(report)}未收取信息处理费。"


def drafts(report: Report) -> dict[str, str]:
    """The drafted sentences of `report` whose figures are complete, keyed by where they go:
    'overview:主动公开', 'overview:依申请公开', 'appeals' (placed after the 依申请公开 sentences), and
    'other:fee' (2021 format)."""
    out = {}
    for key in draft_keys(report.format):
        try:
            out[key] = draft(report, key)
        except DraftError:
            pass
    return out


def draft(report: Report, key: str) -> str:
    """One drafted paragraph; DraftError when a figure it states is still blank."""
    topics = _topics()
    if key not in draft_keys(report.format):
        raise DraftError(f"没有「{key}」这段起草文字")
    if key == f"overview:{topics[0]}":
        return draft_active(report)
    if key == f"overview:{topics[1]}":
        return draft_requests(report)
    if key == "appeals":
        return draft_appeals(report)
    return draft_fee(report)


