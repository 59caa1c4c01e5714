"""The summary as one HTML page: drafter/html_templates/summary.html.j2 (autoescape), the tables by drafter.html."""
from __future__ import annotations

import datetime as dt

from ..html import grid_rows, render_template
from .model import MARK, POLICY, SEVERITY, Summary, missing_lines


def to_html(s: Summary) -> str:
    fmt = s.fmt
    notes = {cid: "未计入：" + "、".join(names) for cid, names in s.not_summed.items()}
    tables = [{"id": sec.id, "heading": sec.heading, "rows": grid_rows(fmt.tables[sec.id], s.cell_text, notes)}
              for sec in fmt.sections if sec.id in fmt.tables]
    entries = []
    for i, e in enumerate(s.entries, 1):
        entries.append({
            "n": i, "name": e.name if e.readable else "", "path": str(e.path), "status": e.status,
            "errors": e.errors, "warnings": e.warnings, "left_out": e.left_out,
            "cls": "left" if e.left_out else ("errors" if e.errors else ""),
            "findings": [f"{SEVERITY[f.severity]}：{f.message}" for f in e.findings]})
    return render_template(
        "summary.html.j2", title=s.title, tables=tables, entries=entries, mark=MARK, policy=POLICY,
        meta=f"{s.headline()}格式：{fmt.notice}。生成日期：{dt.date.today().isoformat()}。",
        not_summed=s.not_summed_lines(), own_findings=[f.message for f in s.findings],
        left_out=[f"{e.path}：{e.left_out}" for e in s.left_out], missing=missing_lines(s))
