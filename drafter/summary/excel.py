"""The summary as an Excel workbook: the three tables in the national layout (merged cells, one sheet each), the
file list, every finding, the missing agencies. Every typed string is written literally: never a formula."""
from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from ..chinese import clean_text
from ..formats import Table
from ..numbers import format_number
from .model import POLICY, Summary, finding_rows, missing_lines

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
                    cell.comment = Comment(clean_text("未计入（空白或填写无效）：" + "、".join(s.not_summed[g.cell])), "drafter")
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

    rows = _Rows(wb.create_sheet("文件清单"))
    rows.add([s.title])
    rows.add([s.headline()])
    rows.add(["说明：" + POLICY])
    for c in rows.add(["序号", "机关名称", "文件", "状态", "错误", "提醒", "比对的上年报告", "未计入原因",
                       "空白或无效的单元格"]):
        c.font = bold
    for i, e in enumerate(s.entries, 1):
        cells = rows.add([i, e.name if e.readable else "", str(e.path), e.status, e.errors, e.warnings,
                          str(e.previous or ""), e.left_out or "", "、".join(e.not_summed)])
        if e.errors and not e.left_out:
            for c in cells:
                c.fill = red
    rows.widths((6, 24, 40, 14, 6, 6, 30, 40, 40))

    rows = _Rows(wb.create_sheet("问题明细"))
    for c in rows.add(["机关名称", "文件", "类别", "规则", "单元格", "说明"]):
        c.font = bold
    for fr in finding_rows(s):
        rows.add([fr["agency"], fr["file"], fr["severity"], fr["rule"], fr["cells"], fr["message"]])
    rows.widths((24, 40, 10, 22, 40, 80))

    rows = _Rows(wb.create_sheet("缺报单位"))
    if s.missing is None:
        rows.add(missing_lines(s)[:1])
    else:
        for c in rows.add(["与上年相比", "机关名称"]):
            c.font = bold
        for name in s.missing:
            rows.add(["缺报", name])
        for name in s.new_agencies or ():
            rows.add(["新增", name])
        for file, why in s.previous_left_out:
            rows.add(["上年文件未用于比对", f"{file}：{why}"])
    rows.widths((18, 60))

    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _put(ws: Any, r: int, c: int, value: Any) -> Any:
    """A cell written literally: control characters dropped, a leading = kept as text, never a formula."""
    cell = ws.cell(r, c)
    if isinstance(value, str):
        cell.value = clean_text(value)
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


class _Rows:
    """A sheet written row after row (openpyxl's max_row is counted anew at every call: a long list would cost
    the square of its length)."""

    def __init__(self, ws: Any):
        self.ws, self.n = ws, 0

    def add(self, values: list[Any]) -> list[Any]:
        """The next row, each value written literally (_put); returns its cells."""
        self.n += 1
        return [_put(self.ws, self.n, c, v) for c, v in enumerate(values, 1)]

    def widths(self, widths: tuple[int, ...]) -> None:
        from openpyxl.utils import get_column_letter
        for c, w in enumerate(widths, 1):
            self.ws.column_dimensions[get_column_letter(c)].width = w


def _xlsx_number(v: Any) -> Any:
    if isinstance(v, Decimal):
        # Excel holds 15 significant digits: an amount beyond that is written as text, never rounded
        digits = len(v.as_tuple().digits)
        return v if digits <= 15 else format_number(v)
    return v


def _column_widths(table: Table) -> list[int]:
    if table.id == "requests":
        return [6, 6, 34] + [9] * (table.n_cols - 3)
    if table.id == "appeals":
        return [8] * table.n_cols
    return [22] + [8] * (table.n_cols - 1)
