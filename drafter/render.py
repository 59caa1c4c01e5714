"""Report → Word (.docx through the docxtpl templates of templates/), one HTML page, or PDF (LibreOffice).

The typography of GB/T 9704-2012 (FORMAT.md §4) lives here, shared by templates/build.py (which writes the
templates) and by anything else that prints a national table (`add_grid_table`, `grid_html`).
The core: python-docx and docxtpl only, never textual.
"""
from __future__ import annotations

import datetime as dt
import importlib.resources
import io
import itertools
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Callable

from .chinese import cn_number
from .chinese import printed_text as clean_text
from .dates import chinese_date
from .formats import Format, GridCell, Table
from .html import grid_html, report_page  # noqa: F401  (grid_html: render's table helpers)


def templates_dir():
    """The packaged templates (templates/ of the checkout ships as the package drafter.templates)."""
    return importlib.resources.files("drafter.templates")


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
PROPERTY_MAX = 255             # characters of a document property (core.xml) Word and python-docx accept

# The official faces and, where one is not installed, the installed face that stands in when drafter itself
# makes a PDF (LibreOffice): the closest Simplified Chinese (SC) face, never a Japanese (JP) variant.
# The first of `aliases` names the face as the document asks for it.
_SERIF_SC = ("Noto Serif CJK SC", "Source Han Serif SC", "Source Han Serif CN", "思源宋体", "Noto Serif SC",
             "AR PL UMing CN")
_SANS_SC = ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "思源黑体", "Noto Sans SC",
            "WenQuanYi Zen Hei", "WenQuanYi Micro Hei")
FACES: dict[str, dict] = {
    FONT_TITLE: {"use": "标题", "aliases": ("方正小标宋简体", "FZXiaoBiaoSong-B05S"),
                 "standins": ("方正小标宋_GBK", "华文中宋", "STZhongsong", *_SERIF_SC, "宋体", "SimSun")},
    FONT_BODY: {"use": "正文", "aliases": ("仿宋_GB2312", "FangSong_GB2312"),
                "standins": ("仿宋", "FangSong", "华文仿宋", "STFangsong", *_SERIF_SC, "宋体", "SimSun")},
    FONT_H1: {"use": "一级标题", "aliases": ("黑体", "SimHei"),
              "standins": ("华文黑体", "STHeiti", *_SANS_SC, "微软雅黑", "Microsoft YaHei")},
    FONT_H2: {"use": "二级标题", "aliases": ("楷体_GB2312", "KaiTi_GB2312"),
              "standins": ("楷体", "KaiTi", "华文楷体", "STKaiti", "AR PL UKai CN", *_SERIF_SC)},
    FONT_PAGE: {"use": "页码", "aliases": ("宋体", "SimSun"),
                "standins": ("新宋体", "NSimSun", "Songti SC", *_SERIF_SC)},
    FONT_LATIN: {"use": "数字和西文", "aliases": ("Times New Roman",),
                 "standins": ("Liberation Serif", "Tinos", "Nimbus Roman", *_SERIF_SC)},
}

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


class RenderError(Exception):
    """Rendering failed; str() is one Chinese line for the clerk."""


# ---- text as typed → text as printed -----------------------------------------------------------
_HEAD = re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]")
_NUMBERED = re.compile(r"^([（(][一二三四五六七八九十]{1,3}[）)]|[一二三四五六七八九十]{1,3}[、.．]|\d{1,2}[、.．])")


def full_width_number(p: str) -> str:
    """A heading number typed with half-width brackets, `(一)`, as printed: `（一）`."""
    return _HEAD.sub(lambda m: "（" + m.group(0)[1:-1] + "）", p, count=1)


def paragraphs(text) -> list[str]:
    """One printed paragraph per non-blank line of a text (lines are split before control characters go)."""
    if not text:
        return []
    lines = re.split(r"\r\n|\r|\n|\u2028|\u2029|\x0b|\x0c|\x85", str(text))
    return [p for p in (clean_text(line).strip() for line in lines) if p]


def _items(text) -> list[dict]:
    """Paragraphs of a text, each {text, head}: a short line such as （一）存在问题 prints as a 楷体 heading."""
    return [{"text": full_width_number(p), "head": bool(_HEAD.match(p)) and len(p) <= 30 and "。" not in p.rstrip("。")}
            for p in paragraphs(text)]


def overview_parts(report) -> list[dict]:
    """总体情况 as [{title: '（一）主动公开', paras: [...]}]; a title already numbered keeps its own number.
    The lead paragraphs of 一 (text.overview_lead) come first, as a part without a title, before （一）."""
    out, n = [{"title": "", "paras": _items(report.text.get("overview_lead"))}], 0
    for part in report.overview():
        title = full_width_number(" ".join(paragraphs(part.get("title"))))
        if title:
            n += 1
            if not _NUMBERED.match(title):
                title = f"（{cn_number(n)}）{title}"
        out.append({"title": title, "paras": _items(part.get("body"))})
    return [p for p in out if p["title"] or p["paras"]]


def display(cell, value) -> str:
    """A figure as printed in the table: 0 for an empty cell, `+1` for a positive 本年增/减."""
    from .numbers import format_number
    if value is None or value == "":
        return "0"
    if not isinstance(value, (int, Decimal)) or isinstance(value, bool):
        return clean_text(value)
    s = format_number(value)
    if cell is not None and cell.kind == "signed" and value > 0:
        s = "+" + s
    return s


def figures_text(report) -> dict[str, str]:
    fmt = report.fmt
    return {cid: display(c, report.figures.get(cid)) for cid, c in fmt.cells.items()}


def context(report, draft: bool = False) -> dict:
    """Everything the templates print, as plain strings and lists (the template escapes them)."""
    title = clean_text(report.title)
    return {
        "title": title + (DRAFT_TITLE_SUFFIX if draft else ""),
        "draft": bool(draft),
        "draft_mark": DRAFT_MARK if draft else "",
        "year": report.year,
        "agency": clean_text(report.agency_name).strip(),
        "signed_on": chinese_date(report.signed_on) if report.signed_on else "",
        "intro": _items(report.text.get("intro")),
        "overview": overview_parts(report),
        "problems": _items(report.text.get("problems")),
        "other": _items(report.text.get("other")),
        "f": figures_text(report),
    }


NAME_AGENCY_BYTES = 120        # UTF-8 bytes of the agency in a default file name (names end at 255 bytes)


def _shorten(s: str, limit: int, size: Callable[[str], int] = len) -> str:
    """`s` cut to `limit` (characters, or what `size` measures) at a character boundary, with … when cut."""
    if size(s) <= limit:
        return s
    out = ""
    for ch in s:
        if size(out + ch + "…") > limit:
            break
        out += ch
    return out + "…"


def default_name(report, suffix: str = ".docx") -> str:
    name = re.sub(r'[\\/:*?"<>|\s]+', "", clean_text(report.agency_name)) or "未命名单位"
    name = _shorten(name, NAME_AGENCY_BYTES, lambda s: len(s.encode("utf-8")))
    return f"{name}{report.year}{report.fmt.title_suffix}{suffix}"


def document_property(s: str) -> str:
    """Text for a document property (title, author): one line, at most PROPERTY_MAX characters."""
    return _shorten(" ".join(clean_text(s).split()), PROPERTY_MAX)


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
    if _text_width(title) <= per_line:
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
            widths = [_text_width(title[a:b]) for a, b in itertools.pairwise(bounds)]
            if max(widths) <= per_line:
                scored.append((max(widths) - min(widths), prefer not in combo, list(combo)))
        if scored:
            return min(scored)[2]
    return None


def _greedy_breaks(title: str, allowed: list[int], per_line: float) -> list[int]:
    out, start = [], 0
    while _text_width(title[start:]) > per_line:
        fits = [k for k in allowed if k > start and _text_width(title[start:k]) <= per_line]
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


# ---- Word ----------------------------------------------------------------------------------------
def template_path(fid: str, template=None):
    """The template file: the clerk's own (`--template`), or the packaged one of format `fid` (a Traversable
    of importlib.resources, read with read_bytes())."""
    if template:
        p = Path(template)
        if not p.is_file():
            raise RenderError(f"模板文件不存在：{p}")
        return p
    t = templates_dir().joinpath(str(fid), "report.docx")
    if not t.is_file():
        raise RenderError(f"找不到{fid}格式的Word模板（{t}），请重新安装drafter（源码目录中运行 make templates）")
    return t


def missing_placeholders(template, fmt: Format) -> list[str]:
    """Cell ids a (province's) template does not print."""
    import zipfile
    try:
        with zipfile.ZipFile(template) as z:
            xml = z.read("word/document.xml").decode("utf-8")
    except (OSError, KeyError, zipfile.BadZipFile):
        raise RenderError(f"模板「{template}」不是有效的Word（.docx）文件") from None
    xml = re.sub(r"<[^>]+>", "", xml)
    return [cid for cid in fmt.cells if f'"{cid}"' not in xml and f"'{cid}'" not in xml
            and f"&quot;{cid}&quot;" not in xml]


def render_docx_bytes(report, draft: bool = False, template=None, fonts: dict[str, str] | None = None) -> bytes:
    """The .docx. A template is rendered in Jinja2's sandbox (a template file from elsewhere cannot reach
    Python: no os, no attributes of internals, bounded ranges), values escaped; a clerk's template that
    prints none of the report's cells is refused. `fonts` renames faces (official → installed stand-in)
    for a PDF made on this machine."""
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError
    from jinja2.sandbox import SandboxedEnvironment

    path = template_path(report.format, template)
    if template is not None and len(missing_placeholders(path, report.fmt)) == len(report.fmt.cells):
        raise RenderError(f"模板「{path.name}」中没有报告的占位符（如 {{{{ f[\"requests.new.total\"] }}}}），"
                          "不能用来生成报告：请以drafter自带的模板为底稿修改")
    ctx = context(report, draft)
    try:
        tpl = DocxTemplate(path if template is not None else io.BytesIO(path.read_bytes()))
        tpl.render(ctx, jinja_env=SandboxedEnvironment(autoescape=True), autoescape=True)
    except TemplateError as e:
        raise RenderError(f"模板「{path.name}」有误：{clean_text(e)}") from None
    except Exception as e:  # a damaged .docx
        if template is None:
            raise
        raise RenderError(f"模板「{path.name}」无法使用：{type(e).__name__}") from None
    _sign_indents(tpl.docx)
    _break_title(tpl.docx, ctx["title"], ctx["agency"], report.year)
    cp = tpl.docx.core_properties
    cp.title = document_property(ctx["title"])
    cp.author = cp.last_modified_by = document_property(ctx["agency"])
    cp.comments = ""
    cp.created = cp.modified = dt.datetime.now().replace(microsecond=0)
    if fonts:
        rename_fonts(tpl.docx, fonts)
    buf = io.BytesIO()
    tpl.save(buf)
    return buf.getvalue()


def _break_title(doc, title: str, agency: str, year: int) -> None:
    """The title paragraph broken into `title_lines` with explicit line breaks (w:br)."""
    lines = title_lines(title, agency, year)
    if len(lines) < 2:
        return
    for p in doc.paragraphs:
        if p.text.strip() == title:
            runs = [r for r in p.runs if r.text]
            runs[0].text = "\n".join(lines)        # python-docx writes "\n" as <w:br/>
            for r in runs[1:]:
                r.text = ""
            return


def rename_fonts(doc, fonts: dict[str, str]) -> None:
    """Every w:rFonts naming a face of `fonts` (styles, body, headers, footers) names its replacement."""
    from docx.oxml.ns import qn
    attrs = [qn(f"w:{a}") for a in ("ascii", "hAnsi", "eastAsia", "cs")]
    for part in doc.part.package.iter_parts():
        root = getattr(part, "_element", None)
        if root is None:
            continue
        for el in root.iter(qn("w:rFonts")):
            for a in attrs:
                v = el.get(a)
                if v in fonts:
                    el.set(a, fonts[v])


# ---- fonts installed on this machine ---------------------------------------------------------------
def installed_fonts() -> set[str] | None:
    """Family names of the installed fonts (fontconfig's fc-list, or the Windows registry); None when this
    machine cannot tell."""
    global _INSTALLED
    if _INSTALLED is None:
        _INSTALLED = (_fc_fonts() if shutil.which("fc-list") else _windows_fonts()) or set()
    return _INSTALLED or None


_INSTALLED: set[str] | None = None


def _fc_fonts() -> set[str]:
    try:
        out = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, encoding="utf-8",
                             errors="replace", timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return set()
    return {n.strip().replace("\\", "") for line in out.splitlines() for n in line.split(",") if n.strip()}


def _windows_fonts() -> set[str]:
    if sys.platform != "win32":
        return set()
    import winreg
    names: set[str] = set()
    key = r"SOFTWARE\Microsoft\Windows NT\CurrentVersion\Fonts"
    for hive in (winreg.HKEY_LOCAL_MACHINE, winreg.HKEY_CURRENT_USER):
        try:
            with winreg.OpenKey(hive, key) as k:
                for i in range(winreg.QueryInfoKey(k)[1]):
                    name = re.sub(r"\s*\((TrueType|OpenType)\)$", "", winreg.EnumValue(k, i)[0])
                    names |= {n.strip() for n in name.split("&") if n.strip()}
        except OSError:
            continue
    return names


def resolve_faces(installed: set[str] | None) -> dict[str, str | None]:
    """Each face of FACES → the installed face that prints it: itself (or an alias) when installed, else the
    first installed stand-in, None when there is none (or when the installed fonts are unknown)."""
    out: dict[str, str | None] = {}
    for face, d in FACES.items():
        out[face] = None
        if installed is None:
            continue
        out[face] = next((f for f in (*d["aliases"], *d["standins"]) if f in installed), None)
    return out


def font_substitutes(installed: set[str] | None = None) -> dict[str, str]:
    """Faces to rename in a .docx made into a PDF here: official face → installed face (only those that differ)."""
    faces = resolve_faces(installed if installed is not None else installed_fonts())
    return {face: got for face, got in faces.items() if got and got != face}


def render_docx(report, out, draft: bool = False, template=None) -> Path:
    """Write the report as a .docx at `out` (atomically); returns the path."""
    from .report import atomic_write
    data = render_docx_bytes(report, draft, template)
    out = Path(out)
    try:
        atomic_write(out, data, keep_backup=False)
    except OSError as e:
        raise RenderError(f"无法写入「{out}」：{e.strerror or e}") from None
    return out


def _text_width(s: str) -> float:
    """Width in characters of the body size: ASCII (digits) half a character."""
    return sum(0.5 if ord(ch) < 0x2000 else 1 for ch in s)


def _sign_indents(doc) -> None:
    """落款 without seal (GB/T 9704-2012 7.3.5.2): the name right-indented 2 characters, the date on the
    next line starting 2 characters right of the name's first character (if the date is the longer, it is
    right-indented 2 characters and the name moves left)."""
    name_p = next((p for p in doc.paragraphs if p.style is not None and p.style.name == STYLE_SIGN_NAME), None)
    date_p = next((p for p in doc.paragraphs if p.style is not None and p.style.name == STYLE_SIGN_DATE), None)
    if name_p is None or date_p is None:
        return
    n, d = _text_width(name_p.text.strip()), _text_width(date_p.text.strip())
    name_ri: float
    date_ri: float
    if d > n:
        name_ri, date_ri = d - n + 4, 2
    else:
        name_ri, date_ri = 2, n - d
    indent_chars(name_p, right=name_ri)
    indent_chars(date_p, right=date_ri)
    # the 落款 never stands alone on a page: it keeps the text's last paragraph with it
    paras = doc.paragraphs
    i = next(k for k, p in enumerate(paras) if p._p is name_p._p)
    for p in paras[max(0, i - 2):i + 1]:
        p.paragraph_format.keep_with_next = True


# ---- HTML (drafter/html.py: Jinja2 templates with autoescape) ------------------------------------------
def render_html(report, draft: bool = False) -> str:
    """The report as one HTML page for a website's CMS: headings, paragraphs, the three tables."""
    return report_page(context(report, draft), report.fmt)


# ---- PDF ---------------------------------------------------------------------------------------------
def libreoffice() -> str | None:
    """LibreOffice's program: on the PATH, else where its installers put it on Windows and macOS."""
    found = shutil.which("libreoffice") or shutil.which("soffice")
    if found:
        return found
    places = [Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")]
    for var in ("ProgramFiles", "ProgramFiles(x86)"):
        if os.environ.get(var):
            places.append(Path(os.environ[var]) / "LibreOffice" / "program" / "soffice.exe")
    return next((str(p) for p in places if p.is_file()), None)


def docx_to_pdf(docx: Path, outdir: Path, timeout: int = 180) -> Path:
    """Convert with `libreoffice --headless --convert-to pdf` (a private profile, so a running LibreOffice
    does not block it)."""
    exe = libreoffice()
    if not exe:
        raise RenderError("未安装LibreOffice，无法生成PDF：请安装LibreOffice（如 apt-get install libreoffice-writer），"
                          "或生成Word文件后用WPS/Word另存为PDF")
    with tempfile.TemporaryDirectory(prefix="drafter-lo-") as profile:
        cmd = [exe, f"-env:UserInstallation={Path(profile).resolve().as_uri()}", "--headless", "--convert-to", "pdf",
               "--outdir", str(outdir), str(docx)]
        try:
            res = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8",
                                 errors="replace", timeout=timeout)
        except subprocess.TimeoutExpired:
            raise RenderError(f"LibreOffice转换PDF超时（{timeout}秒）") from None
    pdf = Path(outdir) / (Path(docx).stem + ".pdf")
    if res.returncode != 0 or not pdf.is_file():
        msg = (res.stderr or res.stdout or "").strip().splitlines()
        raise RenderError("LibreOffice未能生成PDF" + (f"：{msg[-1]}" if msg else ""))
    return pdf


def render_pdf(report, out, draft: bool = False, template=None) -> Path:
    from .report import atomic_write
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="drafter-pdf-") as tmp:
        docx = Path(tmp) / (out.stem + ".docx")
        docx.write_bytes(render_docx_bytes(report, draft, template, fonts=font_substitutes()))
        pdf = docx_to_pdf(docx, Path(tmp))
        atomic_write(out, pdf.read_bytes(), keep_backup=False)
    return out
