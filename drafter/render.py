"""Report → Word (.docx through the docxtpl templates of templates/), one HTML page, or PDF (LibreOffice).

The typography of GB/T 9704-2012 (FORMAT.md §4) lives here, shared by templates/build.py (which writes the
templates) and by anything else that prints a national table (`add_grid_table`, `grid_html`).
The core: python-docx and docxtpl only, never textual.
"""
from __future__ import annotations

import datetime as dt
import io
import math
import re
import shutil
import subprocess
import tempfile
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Callable

from .dates import chinese_date
from .formats import Format, GridCell, Table
from .html import grid_html, report_page  # noqa: F401  (grid_html: render's table helpers)

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

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
_CN_NUM = "一二三四五六七八九十"


def clean_text(s) -> str:
    """Printable text for a Word run: tabs become spaces, other control and non-characters are dropped."""
    if s is None:
        return ""
    s = str(s)
    out = []
    for ch in s:
        if ch == "\t":
            out.append(" ")
            continue
        cat = unicodedata.category(ch)
        if cat == "Cc" or cat == "Cs" or ch in "\ufffe\uffff" or (cat == "Cn" and 0xFDD0 <= ord(ch) <= 0xFDEF):
            continue
        out.append(ch)
    return "".join(out)


def paragraphs(text) -> list[str]:
    """One printed paragraph per non-blank line of a text (lines are split before control characters go)."""
    if not text:
        return []
    lines = re.split(r"\r\n|\r|\n|\u2028|\u2029|\x0b|\x0c|\x85", str(text))
    return [p for p in (clean_text(line).strip() for line in lines) if p]


def _items(text) -> list[dict]:
    """Paragraphs of a text, each {text, head}: a short line such as （一）存在问题 prints as a 楷体 heading."""
    return [{"text": p, "head": bool(_HEAD.match(p)) and len(p) <= 30 and "。" not in p.rstrip("。")}
            for p in paragraphs(text)]


def cn_number(n: int) -> str:
    if n <= 10:
        return _CN_NUM[n - 1]
    if n < 20:
        return "十" + _CN_NUM[n - 11]
    tens, ones = divmod(n, 10)
    return _CN_NUM[tens - 1] + "十" + (_CN_NUM[ones - 1] if ones else "")


def overview_parts(report) -> list[dict]:
    """总体情况 as [{title: '（一）主动公开', paras: [...]}]; a title already numbered keeps its own number."""
    out, n = [], 0
    for part in report.overview():
        title = " ".join(paragraphs(part.get("title")))
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


def default_name(report, suffix: str = ".docx") -> str:
    name = re.sub(r'[\\/:*?"<>|\s]+', "", clean_text(report.agency_name)) or "未命名单位"
    return f"{name}{report.year}{report.fmt.title_suffix}{suffix}"


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
    for gc, w in zip(t._tbl.tblGrid.gridCol_lst, widths):
        gc.w = Mm(w)
    for row in t.rows:
        for cell, w in zip(row.cells, widths):
            cell.width = Mm(w)
    for i, row in enumerate(t.rows):
        trpr = row._tr.get_or_add_trPr()
        _ppr_child(trpr, "w:cantSplit", {})
        if i < table.header_rows:
            _ppr_child(trpr, "w:tblHeader", {})
    for g in table.grid:
        cell = t.cell(g.r, g.c)
        if g.rs > 1 or g.cs > 1:
            cell = cell.merge(t.cell(g.r + g.rs - 1, g.c + g.cs - 1))
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
        # every row keeps with the next: the table stays on one page when it fits (a caption never
        # sits alone at the foot of a page); a longer table breaks where it must, headers repeated
        if g.r + g.rs < table.n_rows:
            p.paragraph_format.keep_with_next = True
    return t


def _borders(t) -> None:
    tblpr = t._tbl.tblPr
    b = _ppr_child(tblpr, "w:tblBorders", {})
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _ppr_child(b, f"w:{side}", {"w:val": "single", "w:sz": 4, "w:space": 0, "w:color": "000000"})


def read_grid(docx_table) -> list[tuple[int, int, int, int, str]]:
    """A Word table as printed: (row, col, rowspan, colspan, text) per merged cell, in reading order."""
    from docx.oxml.ns import qn
    cells: dict[tuple[int, int], list] = {}
    order = []
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
def template_path(fid: str, template=None) -> Path:
    if template:
        p = Path(template)
        if not p.is_file():
            raise RenderError(f"模板文件不存在：{p}")
        return p
    p = TEMPLATES / str(fid) / "report.docx"
    if not p.is_file():
        raise RenderError(f"找不到{fid}格式的Word模板（{p}），请运行 python templates/build.py 重新生成")
    return p


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


def render_docx_bytes(report, draft: bool = False, template=None) -> bytes:
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError

    path = template_path(report.format, template)
    try:
        tpl = DocxTemplate(str(path))
        tpl.render(context(report, draft), autoescape=True)
    except TemplateError as e:
        raise RenderError(f"模板「{path.name}」有误：{e}") from None
    except Exception as e:  # a damaged .docx
        if template is None:
            raise
        raise RenderError(f"模板「{path.name}」无法使用：{type(e).__name__}") from None
    _sign_indents(tpl.docx)
    cp = tpl.docx.core_properties
    cp.title = clean_text(report.title) + (DRAFT_TITLE_SUFFIX if draft else "")
    cp.author = cp.last_modified_by = clean_text(report.agency_name)
    cp.comments = ""
    cp.created = cp.modified = dt.datetime.now().replace(microsecond=0)
    buf = io.BytesIO()
    tpl.save(buf)
    return buf.getvalue()


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
    return shutil.which("libreoffice") or shutil.which("soffice")


def docx_to_pdf(docx: Path, outdir: Path, timeout: int = 180) -> Path:
    """Convert with `libreoffice --headless --convert-to pdf` (a private profile, so a running LibreOffice
    does not block it)."""
    exe = libreoffice()
    if not exe:
        raise RenderError("未安装LibreOffice，无法生成PDF：请安装LibreOffice（如 apt-get install libreoffice-writer），"
                          "或生成Word文件后用WPS/Word另存为PDF")
    with tempfile.TemporaryDirectory(prefix="drafter-lo-") as profile:
        cmd = [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
               "--outdir", str(outdir), str(docx)]
        try:
            res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
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
        docx.write_bytes(render_docx_bytes(report, draft, template))
        pdf = docx_to_pdf(docx, Path(tmp))
        atomic_write(out, pdf.read_bytes(), keep_backup=False)
    return out
