"""Published reports built for the importer tests, drawn independently of drafter's renderer.

`report_blocks(report, variant)` lays a Report out as a published page would: title, narrative paragraphs, headings,
the three tables as grids (GridCell r, c, rs, cs) and the 落款. `build_docx` writes it with python-docx (real
w:gridSpan / w:vMerge merges), `build_html` as a saved web page (rowspan / colspan, <br>, nested divs, scripts).
Variants draw the tables differently from drafter's template:
  spaced       labels and headers with spaces inside (结 果 维 持)
  split_head   the requests header not merged: 申请人情况 and 法人或其他组织 repeated in every column they cover
  extra_col    an empty column inserted after the labels
  nested       the whole report inside a one-cell layout table (tables nested in a table)
"""
from __future__ import annotations

import html as _html
from decimal import Decimal

from drafter.dates import chinese_date
from drafter.formats import GridCell
from drafter.numbers import format_number
from drafter.report import Report

NUM = "一二三四五六七八九十"


def _value(report: Report, cell_id: str) -> str:
    v = report.figures.get(cell_id)
    if v is None:
        return ""
    if isinstance(v, Decimal):
        return format(v, "f")
    return format_number(v)


def table_grid(report: Report, tid: str, variant: str = "") -> tuple[list[GridCell], int, int]:
    t = report.fmt.tables[tid]
    grid = []
    for g in t.grid:
        text = _value(report, g.cell) if g.cell else g.text
        if variant == "spaced" and not g.cell and text:
            text = " ".join(text) if len(text) <= 6 else text.replace("、", "、 ", 1)
        grid.append(GridCell(g.r, g.c, g.rs, g.cs, text, g.cell, g.role))
    n_rows, n_cols = t.n_rows, t.n_cols
    if variant == "split_head" and tid == "requests":
        out = []
        for g in grid:
            if g.role == "header" and g.cs > 1:
                out += [GridCell(g.r, g.c + k, g.rs, 1, g.text, None, g.role) for k in range(g.cs)]
            else:
                out.append(g)
        grid = out
    if variant == "extra_col":
        label_cols = min(g.c for g in grid if g.cell)
        out = []
        for g in grid:
            if g.c >= label_cols:
                out.append(GridCell(g.r, g.c + 1, g.rs, g.cs, g.text, g.cell, g.role))
            elif g.c + g.cs > label_cols:       # a caption across the whole width grows by one
                out.append(GridCell(g.r, g.c, g.rs, g.cs + 1, g.text, g.cell, g.role))
            else:
                out.append(g)
        covered = {(r, c) for g in out for r in range(g.r, g.r + g.rs) for c in range(g.c, g.c + g.cs)}
        for r in range(n_rows):
            if (r, label_cols) not in covered:
                out.append(GridCell(r, label_cols, 1, 1, "", None, "blank"))
        grid, n_cols = out, n_cols + 1
    return grid, n_rows, n_cols


def report_blocks(report: Report, variant: str = "") -> list[tuple]:
    """[('p', text) | ('h', text) | ('table', grid, n_rows, n_cols)] in printed order."""
    fmt = report.fmt
    out: list[tuple] = [("h", report.title)]
    for para in report.text["intro"].split("\n"):
        if para:
            out.append(("p", para))
    for s in fmt.sections:
        out.append(("h", s.heading))
        if s.id == "overview":
            for i, part in enumerate(report.text["overview"]):
                if part["title"]:
                    out.append(("p", f"（{NUM[i]}）{part['title']}"))
                out += [("p", b) for b in part["body"].split("\n") if b]
        elif s.id in fmt.tables:
            out.append(("table",) + table_grid(report, s.id, variant))
        else:
            out += [("p", b) for b in report.text[s.id].split("\n") if b]
    out.append(("p", report.agency["name"]))
    if report.signed_on:
        out.append(("p", chinese_date(report.signed_on)))
    return out


# ---- .docx -------------------------------------------------------------------------------------
def _docx_table(container, grid, n_rows, n_cols):
    tbl = container.add_table(rows=n_rows, cols=n_cols)
    tbl.style = "Table Grid"
    for g in grid:
        cell = tbl.cell(g.r, g.c)
        if g.rs > 1 or g.cs > 1:
            cell = cell.merge(tbl.cell(g.r + g.rs - 1, g.c + g.cs - 1))
        cell.text = g.text
    return tbl


def build_docx(report: Report, path, variant: str = "") -> None:
    import docx

    d = docx.Document()
    body = d
    if variant == "nested":
        frame = d.add_table(rows=1, cols=1)
        body = frame.cell(0, 0)
    for b in report_blocks(report, variant):
        if b[0] == "table":
            _docx_table(body, *b[1:])
            body.add_paragraph("")
        else:
            body.add_paragraph(b[1])
    d.save(str(path))


# ---- .html -------------------------------------------------------------------------------------
def _html_table(grid, n_rows, n_cols) -> str:
    rows: list[list[GridCell]] = [[] for _ in range(n_rows)]
    for g in grid:
        rows[g.r].append(g)
    out = ["<table border='1' cellspacing='0'>"]
    for row in rows:
        out.append("<tr>")
        for g in sorted(row, key=lambda g: g.c):
            attrs = (f" rowspan='{g.rs}'" if g.rs > 1 else "") + (f" colspan=\"{g.cs}\"" if g.cs > 1 else "")
            out.append(f"<td{attrs}><p style='text-align:center'><span>{_html.escape(g.text)}</span></p></td>")
        out.append("</tr>")
    out.append("</table>")
    return "\n".join(out)


def build_html(report: Report, variant: str = "", charset: str = "utf-8") -> bytes:
    parts = [f"<!DOCTYPE html><html><head><meta charset=\"{charset}\"><title>{_html.escape(report.title)}_门户网站</title>",
             "<style>p{margin:0} td{border:1px solid}</style>",
             "<script>var s='<p>不是正文</p>'; document.write(s);</script></head><body>",
             "<div class='nav'><a href='/'>首页</a> &gt; <a href='#'>政府信息公开</a></div>",
             "<div class='article'><div class='content'>"]
    if variant == "nested":
        parts.append("<table width='100%'><tr><td>")
    for b in report_blocks(report, variant):
        if b[0] == "table":
            parts.append("<div class='tbl'>" + _html_table(*b[1:]) + "</div>")
        elif b[0] == "h":
            parts.append(f"<h3><strong>{_html.escape(b[1])}</strong></h3>")
        else:
            parts.append(f"<p style='text-indent:2em'>{_html.escape(b[1])}</p>")
    if variant == "nested":
        parts.append("</td></tr></table>")
    parts.append("</div></div><div class='footer'><script>footer()</script></div></body></html>")
    return "\n".join(parts).encode(charset)
