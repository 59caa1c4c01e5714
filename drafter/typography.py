"""The typography of GB/T 9704-2012 (FORMAT.md §4): page, sizes, faces, paragraph styles, the title broken at word
boundaries, and the python-docx helpers that print a national table. Shared by render (the report), templates/build.py
(which writes the templates) and the county summary's Word file.
"""
from __future__ import annotations

import itertools
import math
import re
from typing import Callable

from .formats import GridCell, Table

# ---- typography (GB/T 9704-2012) ---------------------------------------------------------------
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TYPE_WIDTH_MM = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]        # 156
LINE_PITCH_PT = 28.95          # 225 mm / 22 lines
BODY_PT = 16                   # 3号
TITLE_PT = 22                  # 2号
PAGE_NUMBER_PT = 14            # 4号
TABLE_PT = {"active": 12, "requests": 10.5, "appeals": 10.5}   # 小四, 五号, 五号

FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_H1 = "黑体"
FONT_H2 = "楷体_GB2312"
FONT_PAGE = "宋体"
FONT_LATIN = "Times New Roman"
LANG = "zh-CN"
TITLE_CHARS = int(TYPE_WIDTH_MM / (TITLE_PT * 25.4 / 72))    # 2号 characters on one line of the type area: 20

def text_width(s: str) -> float:
    """Width in characters of the body size: ASCII (digits) half a character."""
    return sum(0.5 if ord(ch) < 0x2000 else 1 for ch in s)


# paragraph styles of the templates (a province's variant may use its own; then only these names get the 落款 indents)
STYLE_TITLE = "公文标题"
STYLE_H1 = "一级标题"
STYLE_H2 = "二级标题"
STYLE_BODY = "公文正文"
STYLE_TABLE = "表格文字"
STYLE_SIGN_NAME = "落款署名"
STYLE_SIGN_DATE = "落款日期"
STYLE_DRAFT = "草稿标记"

DRAFT_MARK = "草稿"
DRAFT_TITLE_SUFFIX = "（草稿）"


# ---- the title broken as GB/T 9704 asks: at word boundaries, lines as even as possible ---------------
# administrative units after which an agency's name may break, unless the next character continues a word
# (市|场监督 is not a boundary, 市|民政局 is)
_UNIT_ENDS = ("人民政府", "管理委员会", "管委会", "委员会", "办公室", "办公厅", "街道办事处", "办事处",
              "自治区", "自治州", "自治县", "省", "市", "州", "盟", "县", "区", "旗", "镇", "乡")
_NOT_AFTER_UNIT = set("场域容辖直属级委政区县镇乡村城划长")
_NO_START = set("、，。；：？！）」』》〕】”’…—·%,.;:?!)")
_NO_END = set("（「『《〔【“‘(")


def _agency_breaks(agency: str) -> set[int]:
    out = set()
    for end in _UNIT_ENDS:
        for m in re.finditer(re.escape(end), agency):
            i = m.end()
            if i >= len(agency) or i < 2:
                continue
            if len(end) == 1 and agency[i] in _NOT_AFTER_UNIT:
                continue
            out.add(i)
    return out


def title_lines(title: str, agency: str = "", year: int | None = None, per_line: float = TITLE_CHARS) -> list[str]:
    """The title in lines of at most `per_line` characters (digits count half), broken after the agency's name,
    after the year (2021年), before 政府信息公开工作年度报告, or after an administrative unit inside a long name;
    the fewest lines, then the most even; a character break only when no word boundary fits."""
    if text_width(title) <= per_line:
        return [title]
    cuts = set()
    if agency and title.startswith(agency):
        cuts |= _agency_breaks(agency) | {len(agency)}
    if year is not None:
        m = re.search(rf"{year}年", title)
        if m:
            cuts |= {m.start(), m.end()}
    i = title.find("政府信息公开")
    if i > 0:
        cuts.add(i)
    best = _best_breaks(title, sorted(c for c in cuts if 0 < c < len(title)), per_line,
                        prefer=len(agency) if agency else None)
    if best is None:       # no word boundary fits: wherever Chinese line-breaking allows
        allowed = [k for k in range(1, len(title)) if title[k] not in _NO_START and title[k - 1] not in _NO_END
                   and not (title[k].isascii() and title[k].isalnum() and title[k - 1].isascii()
                            and title[k - 1].isalnum())]
        best = _greedy_breaks(title, allowed, per_line)
    bounds = [0, *best, len(title)]
    return [title[a:b] for a, b in itertools.pairwise(bounds)]


def _best_breaks(title: str, cuts: list[int], per_line: float, prefer: int | None) -> list[int] | None:
    for k in range(1, min(len(cuts), 5) + 1):
        scored = []
        for combo in itertools.combinations(cuts, k):
            bounds = [0, *combo, len(title)]
            widths = [text_width(title[a:b]) for a, b in itertools.pairwise(bounds)]
            if max(widths) <= per_line:
                scored.append((max(widths) - min(widths), prefer not in combo, list(combo)))
        if scored:
            return min(scored)[2]
    return None


def _greedy_breaks(title: str, allowed: list[int], per_line: float) -> list[int]:
    out, start = [], 0
    while text_width(title[start:]) > per_line:
        fits = [k for k in allowed if k > start and text_width(title[start:k]) <= per_line]
        k = fits[-1] if fits else next((k for k in allowed if k > start), len(title))
        if k >= len(title):
            break
        out.append(k)
        start = k
    return out


# ---- python-docx helpers (templates/build.py and the post-processing here) ---------------------
def set_run_fonts(rpr_parent, east_asia: str, latin: str | None = None, size_pt: float | None = None,
                  bold: bool | None = None, color: str | None = None) -> None:
    """Fonts on w:rFonts, East Asian font on @w:eastAsia (python-docx's font.name alone sets only ascii/hAnsi).

    `rpr_parent` is a run, a style, or anything with `.font` and `._element.get_or_add_rPr()`."""
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor
    font = rpr_parent.font
    font.name = latin or east_asia
    el = rpr_parent.element if hasattr(rpr_parent, "element") else rpr_parent._element
    rpr = el.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:ascii"), latin or east_asia)
    rfonts.set(qn("w:hAnsi"), latin or east_asia)
    rfonts.set(qn("w:cs"), latin or east_asia)
    if size_pt is not None:
        font.size = Pt(size_pt)
        szcs = rpr.find(qn("w:szCs"))
        if szcs is None:
            szcs = rpr.makeelement(qn("w:szCs"), {})
            rpr.append(szcs)
        szcs.set(qn("w:val"), str(int(round(size_pt * 2))))
    if bold is not None:
        font.bold = bold
    if color:
        font.color.rgb = RGBColor.from_string(color)


def _ppr_child(ppr, tag: str, attrs: dict):
    from docx.oxml.ns import qn
    el = ppr.find(qn(tag))
    if el is None:
        el = ppr.makeelement(qn(tag), {})
        ppr.append(el)
    for k, v in attrs.items():
        el.set(qn(k), str(v))
    return el


def indent_chars(pf_owner, first_line: float = 0, left: float = 0, right: float = 0, size_pt: float = BODY_PT):
    """Indents in characters (w:*Chars, which Word honours, plus the twips LibreOffice reads)."""
    from docx.shared import Pt
    pf = pf_owner.paragraph_format
    pf.first_line_indent = Pt(first_line * size_pt) if first_line else None
    pf.left_indent = Pt(left * size_pt) if left else None
    pf.right_indent = Pt(right * size_pt) if right else None
    el = pf_owner.element if hasattr(pf_owner, "element") else pf_owner._element
    ind = _ppr_child(el.get_or_add_pPr(), "w:ind", {})
    from docx.oxml.ns import qn
    for key, v in (("w:firstLineChars", first_line), ("w:leftChars", left), ("w:rightChars", right)):
        if v:
            ind.set(qn(key), str(int(round(v * 100))))
        elif ind.get(qn(key)) is not None:
            del ind.attrib[qn(key)]


def _mm_twips(mm: float) -> int:
    return int(round(mm / 25.4 * 1440))


def set_page(section) -> None:
    """A python-docx section on the A4 page and margins of GB/T 9704 (PAGE_MM, MARGINS_MM)."""
    from docx.shared import Mm
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])


def column_widths(table: Table, size_pt: float = 10.5, total_mm: float = TYPE_WIDTH_MM,
                  value_chars: float = 2, label_max: int = 14) -> list[float]:
    """Widths (mm) of the grid columns, together `total_mm`: a label column as wide as its labels need
    (4 to `label_max` characters; a label spanning rows may wrap), the value columns share the rest
    equally (at least `value_chars` characters each; label columns shrink if they must)."""
    char_mm = size_pt * 25.4 / 72
    pad_mm = 2 * 57 / 1440 * 25.4 + 0.3
    need: list[float | None] = [None] * table.n_cols
    for g in table.grid:
        if g.role == "label" and g.cs == 1:
            n = min(label_max, max(4, math.ceil(len(g.text) / min(g.rs, 3))))
            need[g.c] = max(need[g.c] or 0, n)
    labels = {c: n * char_mm + pad_mm for c, n in enumerate(need) if n is not None}
    n_values = table.n_cols - len(labels)
    min_value = value_chars * char_mm + pad_mm
    room = total_mm - n_values * min_value
    if labels and sum(labels.values()) > room:
        k = room / sum(labels.values())
        labels = {c: w * k for c, w in labels.items()}
    value_w = (total_mm - sum(labels.values())) / n_values if n_values else 0
    return [labels.get(c, value_w) for c in range(table.n_cols)]


def add_grid_table(doc, table: Table, value_of: Callable[[GridCell], str], size_pt: float | None = None,
                   widths_mm: list[float] | None = None, font: str = FONT_BODY, style: str | None = STYLE_TABLE):
    """Append `table` to `doc` as a Word table in the printed layout of Table.grid (merged cells, labels
    from the format data); a value cell holds `value_of(grid_cell)`. Width of the type area, centred,
    single spacing, header rows repeated on every page, rows never split. Returns the docx table."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    size_pt = size_pt or TABLE_PT.get(table.id, 10.5)
    widths = widths_mm or column_widths(table, size_pt)
    t = doc.add_table(rows=table.n_rows, cols=table.n_cols)
    try:
        t.style = doc.styles["Table Grid"]
    except KeyError:
        _borders(t)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    tblpr = t._tbl.tblPr
    _ppr_child(tblpr, "w:tblW", {"w:w": _mm_twips(sum(widths)), "w:type": "dxa"})
    _ppr_child(tblpr, "w:tblLayout", {"w:type": "fixed"})
    _ppr_child(tblpr, "w:tblCellMar", {})
    mar = tblpr.find(qn("w:tblCellMar"))
    for side in ("left", "right"):
        _ppr_child(mar, f"w:{side}", {"w:w": 57, "w:type": "dxa"})
    for gc, w in zip(t._tbl.tblGrid.gridCol_lst, widths, strict=False):
        gc.w = Mm(w)
    for row in t.rows:
        for cell, w in zip(row.cells, widths, strict=False):
            cell.width = Mm(w)
    for i, row in enumerate(t.rows):
        trpr = row._tr.get_or_add_trPr()
        _ppr_child(trpr, "w:cantSplit", {})
        if i < table.header_rows:
            _ppr_child(trpr, "w:tblHeader", {})
    # every grid position's cell taken before any merge (t.cell() walks the whole table at each call); the
    # merged regions do not overlap, so each region's corners stay valid while the others merge
    at = t._cells
    for g in table.grid:
        cell = at[g.r * table.n_cols + g.c]
        if g.rs > 1 or g.cs > 1:
            cell = cell.merge(at[(g.r + g.rs - 1) * table.n_cols + g.c + g.cs - 1])
        text = value_of(g) if g.role == "value" else g.text
        p = cell.paragraphs[0]
        if style:
            try:
                p.style = doc.styles[style]
            except KeyError:
                pass
        p.paragraph_format.first_line_indent = Pt(0)
        # row labels of the tree tables (requests) read from the left; captions, headers, values centred
        left = g.role == "label" and g.rs == 1 and table.header_rows > 0
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        set_run_fonts(run, font, FONT_LATIN, size_pt)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    keep = kept_rows(table)
    for r, tr in enumerate(t._tbl.tr_lst):
        if r in keep:
            for para in tr.iter(qn("w:p")):
                para.get_or_add_pPr().keepNext_val = True
    return t


def row_groups(table: Table) -> list[tuple[int, int]]:
    """(first, last) rows of each innermost group of a table: a row label spanning rows with no spanning
    label inside it, e.g. （四）无法提供 and its three rows (三、本年度办理结果 holds groups: it is none)."""
    spans = [g for g in table.grid if g.role == "label" and g.rs > 1]
    return sorted((g.r, g.r + g.rs - 1) for g in spans
                  if not any(o is not g and o.c > g.c and g.r <= o.r and o.r + o.rs <= g.r + g.rs for o in spans))


def kept_rows(table: Table) -> set[int]:
    """Rows kept with the next one (keep-with-next on all their paragraphs). A table without row groups keeps
    every row with the next: it stays on one page when it fits, a caption never alone at a page's foot.
    A table with groups (requests) breaks only between groups: the header rows and every row of a group but
    its last are kept with the next; the header repeats on the next page (tblHeader), rows never split."""
    groups = row_groups(table)
    if not groups:
        return set(range(table.n_rows - 1))
    return set(range(table.header_rows)) | {r for a, b in groups for r in range(a, b)}


def _borders(t) -> None:
    tblpr = t._tbl.tblPr
    b = _ppr_child(tblpr, "w:tblBorders", {})
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _ppr_child(b, f"w:{side}", {"w:val": "single", "w:sz": 4, "w:space": 0, "w:color": "000000"})


def read_grid(docx_table) -> list[tuple[int, int, int, int, str]]:
    """A Word table as printed: (row, col, rowspan, colspan, text) per merged cell, in reading order."""
    from docx.oxml.ns import qn
    cells: dict[tuple[int, int], list] = {}
    order: list[tuple[int, int]] = []
    for r, tr in enumerate(docx_table._tbl.tr_lst):
        c = 0
        for tc in tr.tc_lst:
            tcpr = tc.tcPr
            span = 1
            vmerge = None
            if tcpr is not None:
                gs = tcpr.find(qn("w:gridSpan"))
                if gs is not None:
                    span = int(gs.get(qn("w:val")))
                vm = tcpr.find(qn("w:vMerge"))
                if vm is not None:
                    vmerge = vm.get(qn("w:val")) or "continue"
            text = "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iter(qn("w:p")))
            if vmerge == "continue":
                above = next((k for k in reversed(order) if k[1] == c and cells[k][2] + k[0] == r), None)
                if above is not None:
                    cells[above][2] += 1
            else:
                cells[(r, c)] = [r, c, 1, span, text.strip("\n")]
                order.append((r, c))
            c += span
    return [tuple(cells[k]) for k in order]
