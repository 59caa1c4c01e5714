"""Many agencies' reports → one county summary: the three tables summed, every file's findings,
the files left out and why, and the agencies missing against last year's set.

What counts (the same in every output, stated in POLICY):
- a file that cannot be read, is of another year or format, or repeats an agency already counted is left out;
- a file with errors is still summed, and listed as 「有错误」 with its findings;
- a cell a file leaves blank, or fills with a value of the wrong kind (a negative count, a fraction in a count
  cell), adds nothing to that cell's sum; the summed cell is marked 「*」 and the agencies are named.
Each summed cell is the sum of that same cell over the files, totals included (the towns' own totals, as published);
the summed tables are then checked with the same rules, so a town's broken total shows up there too.
Counts stay int, 万元 amounts Decimal: nothing passes through float.
"""
from __future__ import annotations

import datetime as dt
import html
import io
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .checks import Finding, check, value_ok
from .chinese import clean_text
from .formats import Format, Table, UnknownFormat, format_for_year, load_format
from .numbers import format_number
from .report import Report, ReportError, agency_key, atomic_write, index_by_agency, load

POLICY = ("有错误的报告仍计入汇总，在文件清单中标明「有错误」并列出问题；无法读取、年度或格式不同、"
          "与已计入文件机关名称相同的文件不计入。某单位空白或填写无效的单元格不计入该格合计，该格标「*」。")
MARK = "*"
NO_NAME = "（未填机关名称）"
SEVERITY = {"error": "错误", "warning": "提醒"}


class SummaryError(Exception):
    """Files that cannot be summed together; str() is one Chinese line."""


@dataclass
class Entry:
    """One input file and what became of it."""
    path: Path
    agency: str = ""
    year: int | None = None
    format: str | None = None
    findings: list[Finding] = field(default_factory=list)
    previous: Path | str | None = None     # last year's report it was checked against
    left_out: str | None = None            # why it is not summed (Chinese), None if summed
    not_summed: list[str] = field(default_factory=list)  # its blank or invalid cells
    report: Report | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        return self.agency or NO_NAME

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors

    @property
    def status(self) -> str:
        if self.left_out:
            return "未计入"
        return "计入（有错误）" if self.errors else "计入"


@dataclass
class Summary:
    format: str
    year: int
    title: str
    figures: dict                      # cell id -> int | Decimal | None (None: no file gave a value)
    not_summed: dict[str, list[str]]   # cell id -> agencies whose value there was blank or invalid
    entries: list[Entry]               # every input file, in input order
    findings: list[Finding]            # the summed tables' own arithmetic
    previous_agencies: list[str] | None = None   # last year's set (None: not given)
    missing: list[str] | None = None             # last year's agencies without a report this year
    new_agencies: list[str] | None = None        # this year's agencies not in last year's set
    previous_left_out: list[tuple[str, str]] = field(default_factory=list)  # (file, why) of last year's files

    @property
    def fmt(self) -> Format:
        return load_format(self.format)

    @property
    def included(self) -> list[Entry]:
        return [e for e in self.entries if not e.left_out]

    @property
    def left_out(self) -> list[Entry]:
        return [e for e in self.entries if e.left_out]

    @property
    def with_errors(self) -> list[Entry]:
        return [e for e in self.included if e.errors]

    def display(self, cid: str) -> str:
        """The summed cell as printed: the figure, marked when some file's value there was not summed."""
        v = self.figures.get(cid)
        return format_number(v) + (MARK if cid in self.not_summed else "")

    def headline(self) -> str:
        n = len(self.included)
        s = f"汇总{n}个单位的报告（共{len(self.entries)}个文件"
        if self.left_out:
            s += f"，{len(self.left_out)}个未计入"
        s += "）"
        if self.with_errors:
            s += f"，其中{len(self.with_errors)}个有错误"
        if self.missing:
            s += f"；与上年相比缺报{len(self.missing)}个单位"
        return s + "。"

    def not_summed_lines(self) -> list[str]:
        cells = self.fmt.cells
        return [f"{cells[cid].full_label}：{'、'.join(names)}空白或填写无效，未计入"
                for cid, names in self.not_summed.items()]


# ---- summing -----------------------------------------------------------------------------------
def _group_name(year: int, fid: str) -> str:
    return f"{year}年度（{load_format(fid).notice}格式）"


def summarise(paths, previous_paths=(), year: int | None = None, title: str | None = None) -> Summary:
    """Read, check and sum the drafter files `paths`.

    `previous_paths`: last year's files, paired by agency name for the cross-year checks and the missing list.
    `year`: the year to sum; files of other years are then left out instead of refused.
    Raises SummaryError when the files are of several years or formats and `year` is not given, or when no
    file can be summed."""
    entries: list[Entry] = []
    for p in paths:
        p = Path(p)
        try:
            r = load(p)
        except ReportError as e:
            entries.append(Entry(p, left_out=f"无法读取：{e.detail}"))
            continue
        entries.append(Entry(p, r.agency_name, r.year, r.format, report=r))
    readable = [e for e in entries if e.report is not None]
    if not readable:
        raise SummaryError(f"没有可以汇总的报告：{len(entries)}个文件都无法读取" if entries else "没有要汇总的报告文件")

    if year is None:
        groups = Counter((e.year, e.format) for e in readable)
        if len(groups) > 1:
            parts = []
            for (y, fid), n in groups.most_common():
                files = [e.path.name for e in readable if (e.year, e.format) == (y, fid)]
                shown = "、".join(files[:3]) + ("等" if len(files) > 3 else "")
                parts.append(f"{_group_name(y, fid)}{n}份（{shown}）")
            raise SummaryError("不能汇总：报告的年度或格式不一致——" + "；".join(parts)
                               + "。请只汇总同一年度、同一格式的报告，或用 --year 指定汇总年度")
        year, fid = next(iter(groups))
    else:
        try:
            fid = format_for_year(year)
        except UnknownFormat:
            raise SummaryError(f"没有适用于{year}年的报告格式（2019年起）") from None
    fmt = load_format(fid)

    counted: dict[str, Entry] = {}
    for e in readable:
        if e.year != year:
            e.left_out = f"年度为{e.year}，不是汇总年度{year}"
        elif e.format != fid:
            e.left_out = f"使用{load_format(e.format).notice}格式，汇总用{fmt.notice}格式"
        else:
            key = agency_key(e.agency)
            first = counted.get(key) if key else None
            if first is not None:
                e.left_out = f"机关名称与已计入的{first.path.name}相同（{first.name}），只计入一份"
            elif key:
                counted[key] = e
    included = [e for e in entries if not e.left_out]
    if not included:
        raise SummaryError(f"没有{year}年度的报告可以汇总")

    # last year's set
    prev_index: dict[str, Report] | None = None
    previous_left_out: list[tuple[str, str]] = []
    if previous_paths:
        prev_index, previous_left_out = index_by_agency(previous_paths, year - 1)

    for e in included:
        prev = prev_index.get(agency_key(e.agency)) if prev_index else None
        if prev is not None:
            e.previous = prev.path
        else:
            prev = e.report.previous()
            if prev is not None:
                e.previous = "文件内嵌的上年数据"
        e.findings = check(e.report, prev)

    figures, not_summed = sum_figures(fmt, included)
    title = title or f"{year}{fmt.title_suffix}数据汇总"
    s = Summary(fid, year, title, figures, not_summed, entries, _own_findings(fid, year, figures),
                previous_left_out=previous_left_out)
    if prev_index is not None:
        this_year = {agency_key(e.agency) for e in entries if e.report is not None and e.year == year}
        s.previous_agencies = [r.agency_name for r in prev_index.values()]
        s.missing = [r.agency_name for k, r in prev_index.items() if k not in this_year]
        s.new_agencies = [e.name for e in included if agency_key(e.agency) not in prev_index]
    return s


def sum_figures(fmt: Format, entries: list[Entry]) -> tuple[dict, dict[str, list[str]]]:
    """Every cell summed over the entries' reports; (figures, not summed: cell id -> agencies)."""
    figures: dict = {}
    not_summed: dict[str, list[str]] = {}
    for cid, cell in fmt.cells.items():
        total = Decimal(0) if cell.kind == "amount" else 0
        any_value = False
        for e in entries:
            v = e.report.figures.get(cid)
            if v is None or not value_ok(fmt.id, cell, v):
                not_summed.setdefault(cid, []).append(e.name)
                e.not_summed.append(cid)
                continue
            total += v
            any_value = True
        figures[cid] = total if any_value else None
    return figures, not_summed


def _own_findings(fid: str, year: int, figures: dict) -> list[Finding]:
    """The arithmetic rules on the summed tables (errors only; blanks are marked instead)."""
    r = Report(fid, year, {"name": "汇总", "level": "county"}, None, {}, dict(figures))
    tables = set(load_format(fid).tables)
    return [f for f in check(r) if f.severity == "error" and f.section in tables and f.rule != "value.missing"]


# ---- the printed table, for every output ---------------------------------------------------------
def grid_text(s: Summary, table: Table) -> list[tuple[object, str]]:
    """(GridCell, text) of every cell of the printed table, row by row."""
    return [(g, s.display(g.cell) if g.cell else g.text) for g in sorted(table.grid, key=lambda g: (g.r, g.c))]


def finding_rows(s: Summary) -> list[dict]:
    """One row per finding of a summed file."""
    out = []
    for e in s.entries:
        for f in e.findings:
            out.append({"agency": e.name, "file": str(e.path), "severity": SEVERITY[f.severity]
                        + ("（已确认）" if f.confirmed else ""), "rule": f.rule, "cells": "、".join(f.cells),
                        "message": f.message})
    return out


# ---- HTML --------------------------------------------------------------------------------------
_CSS = """
body{font-family:"FangSong","仿宋","仿宋_GB2312","SimSun",serif;margin:2em auto;max-width:70em;line-height:1.5}
h1{font-size:1.5em;text-align:center}h2{font-size:1.15em;font-family:"SimHei","黑体",sans-serif;margin-top:1.6em}
table{border-collapse:collapse;width:100%;margin:.5em 0}
td,th{border:1px solid #000;padding:.2em .35em;text-align:center;vertical-align:middle;font-size:.9em}
td.value{font-variant-numeric:tabular-nums}td.label{text-align:left}
td.incomplete{background:#fff3c4}tr.errors td{background:#fde2e2}tr.left td{color:#666}
.note,.policy{font-size:.9em}ul.findings{margin:.2em 0 .2em 1em;padding:0;font-size:.85em;text-align:left}
"""


def _e(text) -> str:
    return html.escape(_clean(text), quote=True)


def _html_table(s: Summary, table: Table) -> str:
    out = ['<table class="grid">']
    row = -1
    for g, text in grid_text(s, table):
        if g.r != row:
            if row >= 0:
                out.append("</tr>")
            out.append("<tr>")
            row = g.r
        attrs = ""
        if g.rs > 1:
            attrs += f' rowspan="{g.rs}"'
        if g.cs > 1:
            attrs += f' colspan="{g.cs}"'
        cls = g.role
        if g.cell:
            cls += " incomplete" if g.cell in s.not_summed else ""
            attrs += f' data-cell="{_e(g.cell)}"'
            if g.cell in s.not_summed:
                attrs += f' title="{_e("未计入：" + "、".join(s.not_summed[g.cell]))}"'
        out.append(f'<td class="{cls}"{attrs}>{_e(text)}</td>')
    out.append("</tr></table>")
    return "".join(out)


def to_html(s: Summary) -> str:
    fmt = s.fmt
    p = ['<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">',
         f"<title>{_e(s.title)}</title><style>{_CSS}</style></head><body>",
         f"<h1>{_e(s.title)}</h1>",
         f'<p class="meta">{_e(s.headline())}格式：{_e(fmt.notice)}。生成日期：{dt.date.today().isoformat()}。</p>',
         f'<p class="policy">说明：{_e(POLICY)}</p>']
    for sec in fmt.sections:
        if sec.id in fmt.tables:
            p.append(f"<h2>{_e(sec.heading)}</h2>")
            p.append(_html_table(s, fmt.tables[sec.id]))
    if s.not_summed:
        p.append(f'<p class="note">带{MARK}的格不完整：</p><ul class="note">')
        p += [f"<li>{_e(line)}</li>" for line in s.not_summed_lines()]
        p.append("</ul>")
    if s.findings:
        p.append("<h2>汇总表核对</h2><ul>")
        p += [f"<li>{_e(f.message)}</li>" for f in s.findings]
        p.append("</ul>")
    p.append("<h2>文件清单</h2><table><tr><th>序号</th><th>机关名称</th><th>文件</th><th>状态</th>"
             "<th>错误</th><th>提醒</th><th>问题</th></tr>")
    for i, e in enumerate(s.entries, 1):
        cls = ' class="left"' if e.left_out else (' class="errors"' if e.errors else "")
        items = "".join(f"<li>{_e(SEVERITY[f.severity])}：{_e(f.message)}</li>" for f in e.findings)
        detail = f'<ul class="findings">{items}</ul>' if items else ""
        if e.left_out:
            detail = _e(e.left_out)
        p.append(f"<tr{cls}><td>{i}</td><td>{_e(e.name if e.report else '')}</td><td>{_e(e.path)}</td>"
                 f"<td>{_e(e.status)}</td><td>{e.errors}</td><td>{e.warnings}</td>"
                 f'<td class="label">{detail}</td></tr>')
    p.append("</table>")
    if s.left_out:
        p.append("<h2>未计入的文件</h2><ul>")
        p += [f"<li>{_e(e.path)}：{_e(e.left_out)}</li>" for e in s.left_out]
        p.append("</ul>")
    p.append("<h2>缺报单位（与上年相比）</h2>")
    p.append("".join(f"<p>{_e(line)}</p>" for line in missing_lines(s)))
    p.append("</body></html>\n")
    return "".join(p)


def missing_lines(s: Summary) -> list[str]:
    if s.missing is None:
        return ["未提供上年度报告（--previous-dir），无法比对缺报单位。"]
    lines = [f"上年度共{len(s.previous_agencies)}个单位，本年度缺报{len(s.missing)}个"
             + ("：" + "、".join(s.missing) if s.missing else "。")]
    if s.new_agencies:
        lines.append(f"本年度新增{len(s.new_agencies)}个：" + "、".join(s.new_agencies))
    for f, why in s.previous_left_out:
        lines.append(f"上年度文件{f}未用于比对：{why}")
    return lines


# ---- Excel -------------------------------------------------------------------------------------
XLSX_TOP = 3    # the printed table starts on this row of its sheet (title on 1, heading on 2)


def xlsx_sheet_name(heading: str) -> str:
    bad = '[]:*?/\\'
    return "".join("-" if ch in bad else ch for ch in heading)[:31]


def to_xlsx(s: Summary) -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    bold = Font(bold=True)
    yellow = PatternFill("solid", fgColor="FFF3C4")
    red = PatternFill("solid", fgColor="FDE2E2")
    wb = Workbook()
    wb.remove(wb.active)
    fmt = s.fmt
    for sec in fmt.sections:
        table = fmt.tables.get(sec.id)
        if table is None:
            continue
        ws = wb.create_sheet(xlsx_sheet_name(sec.heading))
        _put(ws, 1, 1, s.title).font = Font(bold=True, size=14)
        _put(ws, 2, 1, sec.heading).font = bold
        for g in table.grid:
            r, c = XLSX_TOP + g.r, 1 + g.c
            for rr in range(r, r + g.rs):
                for cc in range(c, c + g.cs):
                    ws.cell(rr, cc).border = box
            cell = ws.cell(r, c)
            if g.cell:
                v = s.figures.get(g.cell)
                cell.value = _xlsx_number(v)
                cell.alignment = centre
                if g.cell in s.not_summed:
                    cell.fill = yellow
                    cell.comment = Comment(_clean("未计入（空白或填写无效）：" + "、".join(s.not_summed[g.cell])), "drafter")
            else:
                _put(ws, r, c, g.text)
                cell.alignment = left if g.role == "label" and g.cs == 1 and table.id == "requests" else centre
                if g.role in ("header", "caption", "corner"):
                    cell.font = bold
            if g.rs > 1 or g.cs > 1:
                ws.merge_cells(start_row=r, start_column=c, end_row=r + g.rs - 1, end_column=c + g.cs - 1)
        widths = _column_widths(table)
        for c, w in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(c)].width = w
        row = XLSX_TOP + table.n_rows + 1
        if any(cid in s.not_summed for cid in (c.id for c in table.cells)):
            _put(ws, row, 1, "带黄色底纹（批注中列出单位）的格不完整：有单位空白或填写无效，未计入。")
            row += 1
        for f in s.findings:
            if f.section == table.id:
                _put(ws, row, 1, "汇总表核对：" + f.message)
                row += 1

    ws = wb.create_sheet("文件清单")
    _append(ws, [s.title])
    _append(ws, [s.headline()])
    _append(ws, ["说明：" + POLICY])
    _append(ws, ["序号", "机关名称", "文件", "状态", "错误", "提醒", "比对的上年报告", "未计入原因", "空白或无效的单元格"])
    for c in ws[4]:
        c.font = bold
    for i, e in enumerate(s.entries, 1):
        _append(ws, [i, e.name if e.report else "", str(e.path), e.status, e.errors, e.warnings,
                   str(e.previous or ""), e.left_out or "", "、".join(e.not_summed)])
        if e.errors and not e.left_out:
            for c in ws[ws.max_row]:
                c.fill = red
    for col, w in zip("ABCDEFGHI", (6, 24, 40, 14, 6, 6, 30, 40, 40)):
        ws.column_dimensions[col].width = w

    ws = wb.create_sheet("问题明细")
    _append(ws, ["机关名称", "文件", "类别", "规则", "单元格", "说明"])
    for c in ws[1]:
        c.font = bold
    for f in finding_rows(s):
        _append(ws, [f["agency"], f["file"], f["severity"], f["rule"], f["cells"], f["message"]])
    for col, w in zip("ABCDEF", (24, 40, 10, 22, 40, 80)):
        ws.column_dimensions[col].width = w

    ws = wb.create_sheet("缺报单位")
    if s.missing is None:
        _append(ws, missing_lines(s)[:1])
    else:
        _append(ws, ["与上年相比", "机关名称"])
        for c in ws[1]:
            c.font = bold
        for name in s.missing:
            _append(ws, ["缺报", name])
        for name in s.new_agencies or ():
            _append(ws, ["新增", name])
        for f, why in s.previous_left_out:
            _append(ws, ["上年文件未用于比对", f"{f}：{why}"])
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 60

    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _put(ws, r: int, c: int, value):
    """A cell written literally: control characters dropped, a leading = kept as text, never a formula."""
    cell = ws.cell(r, c)
    if isinstance(value, str):
        cell.value = _clean(value)
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


def _append(ws, values) -> None:
    r = ws.max_row + 1 if ws.max_row > 1 or ws.cell(1, 1).value is not None else 1
    for c, v in enumerate(values, 1):
        _put(ws, r, c, v)


def _xlsx_number(v):
    if isinstance(v, Decimal):
        # Excel holds 15 significant digits: an amount beyond that is written as text, never rounded
        digits = len(v.as_tuple().digits)
        return v if digits <= 15 else format_number(v)
    return v


def _column_widths(table: Table) -> list[float]:
    if table.id == "requests":
        return [6, 6, 34] + [9] * (table.n_cols - 3)
    if table.id == "appeals":
        return [8] * table.n_cols
    return [22] + [8] * (table.n_cols - 1)


# ---- Word --------------------------------------------------------------------------------------
def to_docx(s: Summary) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)

    def font(run, name: str, size: float, bold: bool = False):
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.name = name
        rpr = run._element.get_or_add_rPr()
        rfonts = rpr.find(qn("w:rFonts"))
        if rfonts is None:
            rfonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.insert(0, rfonts)
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
            rfonts.set(qn(attr), name)

    def para(text: str, name="仿宋_GB2312", size=16, bold=False, align=None, indent=True):
        p = doc.add_paragraph()
        if align is not None:
            p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Pt(size * 2)
        font(p.add_run(_docx_text(text)), name, size, bold)
        return p

    para(s.title, "方正小标宋简体", 22, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    para(s.headline() + f"格式：{s.fmt.notice}。")
    para("说明：" + POLICY, size=12)
    fmt = s.fmt
    for section in fmt.sections:
        table = fmt.tables.get(section.id)
        if table is None:
            continue
        para(section.heading, "黑体", 16, indent=False)
        size = 8 if table.id == "appeals" else 9
        t = doc.add_table(rows=table.n_rows, cols=table.n_cols)
        t.style = "Table Grid"
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        t.autofit = False
        for j, w in enumerate(_docx_widths(table)):
            t.columns[j].width = Mm(w)
            for cell in t.columns[j].cells:
                cell.width = Mm(w)
        for g, text in grid_text(s, table):
            cell = t.cell(g.r, g.c)
            if g.rs > 1 or g.cs > 1:
                cell = cell.merge(t.cell(g.r + g.rs - 1, g.c + g.cs - 1))
            p = cell.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            font(p.add_run(_docx_text(text if text or not g.cell else "")), "仿宋_GB2312", size,
                 bold=g.role in ("header", "caption"))
        own = [f.message for f in s.findings if f.section == table.id]
        marked = [cid for cid in s.not_summed if fmt.cells[cid].table == table.id]
        if marked:
            para(f"注：带{MARK}的格不完整，"
                 + "；".join(f"{fmt.cells[c].full_label}：{'、'.join(s.not_summed[c])}" for c in marked[:20])
                 + ("等" if len(marked) > 20 else "") + "空白或填写无效，未计入。", size=10.5, indent=False)
        for m in own:
            para("汇总表核对：" + m, size=10.5, indent=False)

    new = doc.add_section()
    new.orientation = WD_ORIENT.PORTRAIT
    para("附：文件清单", "黑体", 16, indent=False)
    t = doc.add_table(rows=1, cols=6)
    t.style = "Table Grid"
    for cell, text in zip(t.rows[0].cells, ("序号", "机关名称", "状态", "错误", "提醒", "问题或未计入原因")):
        font(cell.paragraphs[0].add_run(text), "黑体", 10.5)
    for i, e in enumerate(s.entries, 1):
        if e.left_out:
            detail = f"{e.path.name}：{e.left_out}"
        else:
            detail = "\n".join(f"{SEVERITY[f.severity]}：{f.message}" for f in e.findings)
        row = t.add_row().cells
        for cell, text in zip(row, (str(i), e.name if e.report else e.path.name, e.status, str(e.errors),
                                    str(e.warnings), detail)):
            font(cell.paragraphs[0].add_run(_docx_text(text)), "仿宋_GB2312", 10.5)
    t.autofit = False
    for j, w in enumerate((10, 36, 20, 10, 10, TYPE_AREA_MM - 86)):
        for cell in t.columns[j].cells:
            cell.width = Mm(w)
    para("缺报单位（与上年相比）", "黑体", 16, indent=False)
    for line in missing_lines(s):
        para(line, size=12)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


TYPE_AREA_MM = 156   # GB/T 9704: A4 less 28 mm left and 26 mm right


def _docx_widths(table: Table) -> list[float]:
    """Column widths (mm) of a table across the type area: label columns wide enough for their text."""
    n = table.n_cols
    if table.id == "requests":
        labels = [12, 14, 44]
    elif table.id == "active":
        labels = [34 if n > 4 else 40]
    else:
        labels = []
    rest = (TYPE_AREA_MM - sum(labels)) / (n - len(labels))
    return labels + [rest] * (n - len(labels))


_clean = _docx_text = clean_text


# ---- writing ------------------------------------------------------------------------------------
WRITERS = {".html": to_html, ".htm": to_html, ".xlsx": to_xlsx, ".docx": to_docx}


def write(s: Summary, path) -> Path:
    """Write the summary as .docx, .xlsx or .html (by the file's extension), atomically."""
    path = Path(path)
    fn = WRITERS.get(path.suffix.lower())
    if fn is None:
        raise SummaryError(f"不支持的输出格式「{path.suffix or path.name}」：请用 .docx、.xlsx 或 .html")
    data = fn(s)
    atomic_write(path, data, keep_backup=False)
    return path
