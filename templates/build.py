"""Rebuild templates/<format>/report.docx from the format data (drafter/formats/*.yaml).

    python templates/build.py            # both formats
    python templates/build.py 2021 -o /tmp/x.docx

Each template is a docxtpl document in the national layout and the typography of GB/T 9704-2012:
the title, the intro, the six section headings (from the format data), the titled parts of 总体情况,
the tables `active`, `requests`, `appeals` under 二、三、四 with the merged cells and labels of Table.grid
and one placeholder per cell id (`{{ f["requests.new.natural"] }}`), 五 and 六, the 落款, page numbers
`— 1 —` on alternating sides and the 草稿 mark in the header. A province may copy a built template, restyle
it in Word and pass it as `drafter render --template`: the placeholders are all it must keep.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if __package__ in (None, ""):
    sys.path.insert(0, str(HERE.parent))

from docx import Document  # noqa: E402
from docx.enum.style import WD_STYLE_TYPE  # noqa: E402
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING  # noqa: E402
from docx.oxml import OxmlElement  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Mm, Pt  # noqa: E402

from drafter import render as R  # noqa: E402
from drafter.formats import FORMAT_IDS, load_format  # noqa: E402


def placeholder(cell_id: str) -> str:
    return '{{ f["%s"] }}' % cell_id


def _page(doc) -> None:
    s = doc.sections[0]
    s.page_width, s.page_height = Mm(R.PAGE_MM[0]), Mm(R.PAGE_MM[1])
    s.top_margin, s.bottom_margin = Mm(R.MARGINS_MM["top"]), Mm(R.MARGINS_MM["bottom"])
    s.left_margin, s.right_margin = Mm(R.MARGINS_MM["left"]), Mm(R.MARGINS_MM["right"])
    s.header_distance = Mm(15)
    s.footer_distance = Mm(22)      # the page number's dash line sits about 7 mm below the type area
    grid = s._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        s._sectPr.append(grid)
    # the 22-line pitch comes from the exact line spacing of the styles; a "lines" grid would make
    # LibreOffice give a tall font (the title) two grid lines
    grid.attrib.pop(qn("w:type"), None)
    grid.set(qn("w:linePitch"), str(int(round(R.LINE_PITCH_PT * 20))))


def _lang(rpr) -> None:
    """w:lang of a run property: Chinese (zh-CN) for both Latin and East Asian text."""
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), R.LANG)
    lang.set(qn("w:eastAsia"), R.LANG)
    lang.set(qn("w:bidi"), "ar-SA")


def _para_style(doc, name, font, size, *, align=None, first_line=2.0, exact=True, outline=None,
                keep_next=False, base="Normal"):
    st = doc.styles[name] if name in [s.name for s in doc.styles] else doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if base and name != base:
        st.base_style = doc.styles[base]
    st.quick_style = True
    R.set_run_fonts(st, font, R.FONT_LATIN, size, bold=False)
    _lang(st.element.get_or_add_rPr())
    pf = st.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    if exact:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(R.LINE_PITCH_PT)
    else:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
        snap = OxmlElement("w:snapToGrid")
        snap.set(qn("w:val"), "0")
        st.element.get_or_add_pPr().append(snap)
    pf.alignment = align if align is not None else WD_ALIGN_PARAGRAPH.JUSTIFY
    pf.widow_control = False
    pf.keep_with_next = keep_next
    R.indent_chars(st, first_line=first_line, size_pt=size)
    if outline is not None:
        ol = OxmlElement("w:outlineLvl")
        ol.set(qn("w:val"), str(outline))
        st.element.get_or_add_pPr().append(ol)
    return st


# Word's line-breaking rules for Simplified Chinese (选项 → 版式 → 首尾字符): no line starts with the first set,
# none ends with the second
NO_LINE_START = ("!%),.:;>?]}¢¨°·ˇˉ―‖’”…‰′″›℃∶、。〃〉》」』】〕〗〞︶︺︾﹀﹄﹚﹜﹞！＂％＇），．：；？］｀｜｝～￠")
NO_LINE_END = "$([{£¥·‘“〈《「『【〔〖〝﹙﹛﹝＄（．［｛￡￥"


def _chinese(doc) -> None:
    """A Chinese document: docDefaults in the body face and zh-CN, Chinese line breaking (kinsoku, the lists
    above), punctuation compressed and spacing between Chinese and Latin text as Word does for Chinese;
    no Japanese face left from python-docx's default template in the font table or the theme."""
    from lxml import etree
    styles = doc.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rfonts = rpr.find(qn("w:rFonts"))
    for k in list(rfonts.attrib):
        del rfonts.attrib[k]
    for k, v in (("ascii", R.FONT_LATIN), ("hAnsi", R.FONT_LATIN), ("eastAsia", R.FONT_BODY), ("cs", R.FONT_LATIN)):
        rfonts.set(qn(f"w:{k}"), v)
    _lang(rpr)
    ppr = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    for tag in ("w:autoSpaceDN", "w:autoSpaceDE", "w:overflowPunct", "w:kinsoku"):     # inserted first: schema order
        el = ppr.find(qn(tag))
        if el is None:
            el = OxmlElement(tag)
            ppr.insert(0, el)
        el.set(qn("w:val"), "1")
    # Chinese line breaking and punctuation (settings.xml, in the schema's order)
    settings = doc.settings.element
    csc = settings.find(qn("w:characterSpacingControl"))
    csc.set(qn("w:val"), "compressPunctuation")
    after = csc
    for tag, chars in (("w:noLineBreaksAfter", NO_LINE_END), ("w:noLineBreaksBefore", NO_LINE_START)):
        el = settings.find(qn(tag))
        if el is None:
            el = OxmlElement(tag)
            after.addnext(el)
        el.set(qn("w:lang"), R.LANG)
        el.set(qn("w:val"), chars)
        after = el
    tfl = settings.find(qn("w:themeFontLang"))
    tfl.set(qn("w:val"), R.LANG)
    tfl.set(qn("w:eastAsia"), R.LANG)
    # font table: no Japanese face (charset 80: ＭＳ 明朝, ＭＳ ゴシック)
    part = next(p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    root = etree.fromstring(part.blob)
    for font in root.findall(qn("w:font")):
        cs = font.find(qn("w:charset"))
        if cs is not None and cs.get(qn("w:val")) == "80":
            root.remove(font)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    # theme: the East Asian theme face is 宋体 (Hans), the Japanese script entries go
    theme = next(p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/theme/theme1.xml")
    root = etree.fromstring(theme.blob)
    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    for fonts in root.iter(f"{a}majorFont", f"{a}minorFont"):
        fonts.find(f"{a}ea").set("typeface", R.FONT_PAGE)
        for f in fonts.findall(f"{a}font"):
            if f.get("script") == "Jpan":
                fonts.remove(f)
            elif f.get("script") == "Hans":
                f.set("typeface", R.FONT_PAGE)
    theme._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _styles(doc) -> None:
    _chinese(doc)
    _para_style(doc, "Normal", R.FONT_BODY, R.BODY_PT, base=None)
    _para_style(doc, R.STYLE_BODY, R.FONT_BODY, R.BODY_PT)
    _para_style(doc, R.STYLE_TITLE, R.FONT_TITLE, R.TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER, first_line=0,
                keep_next=True)
    _para_style(doc, R.STYLE_H1, R.FONT_H1, R.BODY_PT, outline=0, keep_next=True)
    _para_style(doc, R.STYLE_H2, R.FONT_H2, R.BODY_PT, outline=1, keep_next=True)
    _para_style(doc, R.STYLE_TABLE, R.FONT_BODY, 10.5, align=WD_ALIGN_PARAGRAPH.CENTER, first_line=0, exact=False)
    _para_style(doc, R.STYLE_SIGN_NAME, R.FONT_BODY, R.BODY_PT, align=WD_ALIGN_PARAGRAPH.RIGHT, first_line=0)
    _para_style(doc, R.STYLE_SIGN_DATE, R.FONT_BODY, R.BODY_PT, align=WD_ALIGN_PARAGRAPH.RIGHT, first_line=0)
    _para_style(doc, R.STYLE_DRAFT, R.FONT_H1, R.BODY_PT, align=WD_ALIGN_PARAGRAPH.CENTER, first_line=0,
                exact=False, base=None)


def _page_number(paragraph, align) -> None:
    """`— PAGE —` in 4号 宋体; odd pages right, even pages left, one character in from the edge."""
    paragraph.alignment = align
    pf = paragraph.paragraph_format
    pf.first_line_indent = Pt(0)
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        pf.right_indent = Pt(R.PAGE_NUMBER_PT)
    else:
        pf.left_indent = Pt(R.PAGE_NUMBER_PT)

    def run(text=None, fld=None, instr=None):
        r = paragraph.add_run(text or "")
        R.set_run_fonts(r, R.FONT_PAGE, R.FONT_PAGE, R.PAGE_NUMBER_PT)
        if fld:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), fld)
            r._r.append(el)
        if instr:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = instr
            r._r.append(el)

    run("— ")
    run(fld="begin")
    run(instr=" PAGE ")
    run(fld="separate")
    run("1")
    run(fld="end")
    run(" —")


def _header_footer(doc) -> None:
    doc.settings.odd_and_even_pages_header_footer = True
    s = doc.sections[0]
    for header in (s.header, s.even_page_header):
        header.is_linked_to_previous = False
        p = header.paragraphs[0]
        p.style = doc.styles[R.STYLE_DRAFT]
        r = p.add_run("{{ draft_mark }}")
        R.set_run_fonts(r, R.FONT_H1, R.FONT_H1, 22, bold=True, color="C00000")
        # no rule under an empty header
        pbdr = OxmlElement("w:pBdr")
        p._p.get_or_add_pPr().append(pbdr)
    for footer, align in ((s.footer, WD_ALIGN_PARAGRAPH.RIGHT), (s.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        _page_number(footer.paragraphs[0], align)


# Windows itself ships 仿宋, 楷体, 黑体, 宋体 but not the _GB2312 fonts nor 方正小标宋简体 (government
# offices install them): the font table names the nearest font Word and WPS may substitute.
ALT_FONTS = {R.FONT_BODY: ("仿宋", "modern"), R.FONT_H2: ("楷体", "modern"), R.FONT_TITLE: ("宋体", "auto"),
             R.FONT_H1: ("SimHei", "modern"), R.FONT_PAGE: ("SimSun", "auto")}


def _font_table(doc) -> None:
    from lxml import etree
    part = next(p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    root = etree.fromstring(part.blob)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    for name, (alt, family) in ALT_FONTS.items():
        font = etree.SubElement(root, f"{{{w}}}font", {f"{{{w}}}name": name})
        for tag, val in (("altName", alt), ("charset", "86"), ("family", family), ("pitch", "variable")):
            etree.SubElement(font, f"{{{w}}}{tag}", {f"{{{w}}}val": val})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _p(doc, text: str, style: str):
    p = doc.add_paragraph(style=doc.styles[style])
    if text:
        p.add_run(text)
    return p


def _items(doc, var: str) -> None:
    """A text as paragraphs: a （一）-style line as a 楷体 heading, the rest as body paragraphs."""
    _p(doc, "{%p for p in " + var + " %}", R.STYLE_BODY)
    _p(doc, "{%p if p.head %}", R.STYLE_BODY)
    _p(doc, "{{ p.text }}", R.STYLE_H2)
    _p(doc, "{%p else %}", R.STYLE_BODY)
    _p(doc, "{{ p.text }}", R.STYLE_BODY)
    _p(doc, "{%p endif %}", R.STYLE_BODY)
    _p(doc, "{%p endfor %}", R.STYLE_BODY)


def build(fid: str, out: Path | None = None) -> Path:
    fmt = load_format(fid)
    doc = Document()
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    _page(doc)
    _styles(doc)
    _header_footer(doc)
    _font_table(doc)
    cp = doc.core_properties
    cp.author = cp.last_modified_by = "drafter"
    cp.title = f"政府信息公开工作年度报告（{fmt.notice}格式）"
    cp.comments = "由 templates/build.py 根据 drafter/formats/%s.yaml 生成" % fid
    cp.created = cp.modified = dt.datetime(2021, 9, 26)
    cp.revision = 1

    _p(doc, "{{ title }}", R.STYLE_TITLE)
    _p(doc, "", R.STYLE_BODY)
    _items(doc, "intro")
    for s in fmt.sections:
        _p(doc, s.heading, R.STYLE_H1)
        if s.kind == "overview":
            _p(doc, "{%p for part in overview %}", R.STYLE_BODY)
            _p(doc, "{%p if part.title %}", R.STYLE_BODY)
            _p(doc, "{{ part.title }}", R.STYLE_H2)
            _p(doc, "{%p endif %}", R.STYLE_BODY)
            _items(doc, "part.paras")
            _p(doc, "{%p endfor %}", R.STYLE_BODY)
        elif s.kind == "table":
            R.add_grid_table(doc, fmt.tables[s.id], lambda g: placeholder(g.cell))
        else:
            _items(doc, s.id)
    _p(doc, "", R.STYLE_BODY)
    _p(doc, "{{ agency }}", R.STYLE_SIGN_NAME)
    _p(doc, "{{ signed_on }}", R.STYLE_SIGN_DATE)

    out = Path(out or HERE / fid / "report.docx")
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="根据格式数据重新生成Word模板")
    ap.add_argument("formats", nargs="*", default=list(FORMAT_IDS), help="格式（2019、2021），默认全部")
    ap.add_argument("-o", "--out", help="输出文件（只生成一个格式时）")
    a = ap.parse_args(argv)
    for fid in a.formats:
        print(build(fid, a.out if a.out and len(a.formats) == 1 else None))
    return 0


if __name__ == "__main__":
    sys.exit(main())
