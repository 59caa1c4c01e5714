"""The summary as a Word document: the three tables by render's add_grid_table (the national layout, merged
cells, header rows repeated), the page and the fonts of GB/T 9704 from render, then the file list."""
from __future__ import annotations

import io
from typing import Any

from .. import render as R
from ..chinese import clean_text
from .model import MARK, POLICY, SEVERITY, Summary, missing_lines

TABLE_PT = {"appeals": 8.0}       # the summed figures are longer than a town's: smaller than render's sizes
TABLE_PT_DEFAULT = 9.0
LIST_PT = 10.5                     # 五号
NOTE_PT = 10.5
POLICY_PT = 12.0                   # 小四
LIST_WIDTHS_MM = (10, 36, 20, 10, 10)   # the file list's columns; the last takes the rest of the type area


def to_docx(s: Summary) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = Document()
    R.set_page(doc.sections[0])
    R.set_run_fonts(doc.styles["Normal"], R.FONT_BODY, R.FONT_LATIN, LIST_PT)    # the file list's cells

    def para(text: str, font: str = R.FONT_BODY, size: float = R.BODY_PT, align: Any = None, indent: bool = True):
        p = doc.add_paragraph()
        if align is not None:
            p.alignment = align
        if indent:
            R.indent_chars(p, first_line=2, size_pt=size)
        R.set_run_fonts(p.add_run(clean_text(text)), font, R.FONT_LATIN, size)
        return p

    para(s.title, R.FONT_TITLE, R.TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    para(s.headline() + f"格式：{s.fmt.notice}。")
    para("说明：" + POLICY, size=POLICY_PT)
    fmt = s.fmt
    for section in fmt.sections:
        table = fmt.tables.get(section.id)
        if table is None:
            continue
        para(section.heading, R.FONT_H1, R.BODY_PT, indent=False)
        R.add_grid_table(doc, table, s.cell_text, size_pt=TABLE_PT.get(table.id, TABLE_PT_DEFAULT), style=None)
        marked = [cid for cid in s.not_summed if fmt.cells[cid].table == table.id]
        if marked:
            para(f"注：带{MARK}的格不完整，"
                 + "；".join(f"{fmt.cells[c].full_label}：{'、'.join(s.not_summed[c])}" for c in marked[:20])
                 + ("等" if len(marked) > 20 else "") + "空白或填写无效，未计入。", size=NOTE_PT, indent=False)
        for f in s.findings:
            if f.section == table.id:
                para("汇总表核对：" + f.message, size=NOTE_PT, indent=False)

    R.set_page(doc.add_section())
    para("附：文件清单", R.FONT_H1, R.BODY_PT, indent=False)
    _file_list(doc, s)
    para("缺报单位（与上年相比）", R.FONT_H1, R.BODY_PT, indent=False)
    for line in missing_lines(s):
        para(line, size=POLICY_PT)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _file_list(doc: Any, s: Summary) -> None:
    """One row per input file, written straight as WordprocessingML rows (python-docx counts the whole table at
    each row.cells: a county's thousands of files would cost the square of their number)."""
    from docx.oxml.ns import qn
    from docx.shared import Mm
    from lxml import etree

    widths = (*LIST_WIDTHS_MM, R.TYPE_WIDTH_MM - sum(LIST_WIDTHS_MM))
    t = doc.add_table(rows=1, cols=len(widths))
    t.style = "Table Grid"
    t.autofit = False
    for gc, w in zip(t._tbl.tblGrid.gridCol_lst, widths, strict=True):
        gc.w = Mm(w)
    for cell, text, w in zip(t.rows[0].cells, ("序号", "机关名称", "状态", "错误", "提醒", "问题或未计入原因"), widths,
                             strict=True):
        cell.width = Mm(w)
        R.set_run_fonts(cell.paragraphs[0].add_run(text), R.FONT_H1, R.FONT_LATIN, LIST_PT)
    twips = [str(Mm(w).twips) for w in widths]
    tag = {n: qn(f"w:{n}") for n in ("tr", "tc", "tcPr", "tcW", "p", "r", "t", "br", "w", "type")}
    space = "{http://www.w3.org/XML/1998/namespace}space"
    tbl = t._tbl
    for i, e in enumerate(s.entries, 1):
        if e.left_out:
            detail = f"{e.path.name}：{e.left_out}"
        else:
            detail = "\n".join(f"{SEVERITY[f.severity]}：{f.message}" for f in e.findings)
        texts = (str(i), e.name if e.readable else e.path.name, e.status, str(e.errors), str(e.warnings), detail)
        tr = etree.SubElement(tbl, tag["tr"])
        for text, tw in zip(texts, twips, strict=True):
            tc = etree.SubElement(tr, tag["tc"])
            etree.SubElement(etree.SubElement(tc, tag["tcPr"]), tag["tcW"], {tag["w"]: tw, tag["type"]: "dxa"})
            run = etree.SubElement(etree.SubElement(tc, tag["p"]), tag["r"])
            for k, line in enumerate(clean_text(text).replace("\t", " ").split("\n")):
                if k:
                    etree.SubElement(run, tag["br"])
                el = etree.SubElement(run, tag["t"])
                el.text = line
                el.set(space, "preserve")
