"""The committed Word templates agree with the format data: every cell id once, every label, every span."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from drafter import render as R
from drafter.formats import FORMAT_IDS, load_format

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "templates" / "build.py"


def template(fid) -> Path:
    return ROOT / "templates" / fid / "report.docx"


def expected_grid(table):
    out = []
    for g in sorted(table.grid, key=lambda g: (g.r, g.c)):
        text = '{{ f["%s"] }}' % g.cell if g.role == "value" else g.text
        out.append((g.r, g.c, g.rs, g.cs, text))
    return out


def document_text(path) -> str:
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    return re.sub(r"<[^>]+>", "", xml).replace("&quot;", '"')


@pytest.mark.parametrize("fid", FORMAT_IDS)
def test_tables_match_the_format_data(fid):
    fmt = load_format(fid)
    doc = Document(str(template(fid)))
    table_sections = [s.id for s in fmt.sections if s.kind == "table"]
    assert table_sections == ["active", "requests", "appeals"]
    assert len(doc.tables) == 3
    for tid, t in zip(table_sections, doc.tables, strict=True):
        table = fmt.tables[tid]
        assert len(t._tbl.tr_lst) == table.n_rows
        assert len(t._tbl.tblGrid.gridCol_lst) == table.n_cols
        assert sorted(R.read_grid(t)) == expected_grid(table), tid


@pytest.mark.parametrize("fid", FORMAT_IDS)
def test_every_cell_id_exactly_once(fid):
    fmt = load_format(fid)
    text = document_text(template(fid))
    found = re.findall(r'\{\{ f\["([^"]+)"\] \}\}', text)
    assert sorted(found) == sorted(fmt.cells)
    assert len(found) == len(set(found))
    assert R.missing_placeholders(template(fid), fmt) == []


@pytest.mark.parametrize("fid", FORMAT_IDS)
def test_headings_in_order_and_tables_under_them(fid):
    fmt = load_format(fid)
    doc = Document(str(template(fid)))
    heads = [p.text for p in doc.paragraphs if p.style.name == R.STYLE_H1]
    assert heads == [s.heading for s in fmt.sections]
    # each table directly follows its heading (no caption between)
    body = list(doc.element.body.iterchildren())
    for tid in ("active", "requests", "appeals"):
        heading = fmt.section(tid).heading
        i = next(i for i, el in enumerate(body)
                 if el.tag == qn("w:p") and "".join(t.text or "" for t in el.iter(qn("w:t"))) == heading)
        assert body[i + 1].tag == qn("w:tbl")


@pytest.mark.parametrize("fid", FORMAT_IDS)
def test_page_setup_styles_and_page_numbers(fid):
    doc = Document(str(template(fid)))
    s = doc.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert [round(x.mm) for x in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)] == [37, 35, 28, 26]
    fonts = {R.STYLE_TITLE: (R.FONT_TITLE, 22), R.STYLE_BODY: (R.FONT_BODY, 16), R.STYLE_H1: (R.FONT_H1, 16),
             R.STYLE_H2: (R.FONT_H2, 16)}
    for name, (font, size) in fonts.items():
        st = doc.styles[name]
        rfonts = st.element.rPr.rFonts
        assert rfonts.get(qn("w:eastAsia")) == font, name
        assert st.font.size.pt == size
    body = doc.styles[R.STYLE_BODY].paragraph_format
    assert body.first_line_indent.pt == 32          # two characters of 3号
    assert abs(body.line_spacing.pt - 28.95) < 0.01  # 22 lines in the 225 mm type area
    assert doc.settings.odd_and_even_pages_header_footer
    for footer, align in ((s.footer, "right"), (s.even_page_footer, "left")):
        xml = footer._element.xml
        assert "PAGE" in xml and "— " in xml and " —" in xml
        assert f'w:jc w:val="{align}"' in xml
    assert "{{ draft_mark }}" in s.header._element.xml and "{{ draft_mark }}" in s.even_page_header._element.xml
    # tables at the width of the type area, centred
    for t in doc.tables:
        width = sum(gc.w for gc in t._tbl.tblGrid.gridCol_lst)
        assert abs(width - Mm(R.TYPE_WIDTH_MM)) < Mm(0.5)
        assert t._tbl.tblPr.find(qn("w:jc")).get(qn("w:val")) == "center"


@pytest.mark.parametrize("fid", FORMAT_IDS)
def test_committed_template_is_what_build_makes(fid, tmp_path):
    """Rebuilding from the format data gives the same document (the committed file is not stale)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("templates_build", BUILD)
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    fresh = build.build(fid, tmp_path / "report.docx")

    def parts(path):
        with zipfile.ZipFile(path) as z:
            return {n: z.read(n) for n in z.namelist() if n.startswith("word/") and n.endswith(".xml")}

    assert parts(fresh) == parts(template(fid))


@pytest.mark.parametrize("fid", FORMAT_IDS)
def test_font_table_names_substitutes(fid):
    with zipfile.ZipFile(template(fid)) as z:
        xml = z.read("word/fontTable.xml").decode("utf-8")
    assert re.search(r'w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>', xml)
    assert re.search(r'w:name="楷体_GB2312"><w:altName w:val="楷体"/>', xml)


def _part(fid, name) -> str:
    with zipfile.ZipFile(template(fid)) as z:
        return z.read(name).decode("utf-8")


@pytest.mark.parametrize("fid", FORMAT_IDS)
def test_the_document_is_chinese(fid):
    """docDefaults and styles in zh-CN with the body face, no Japanese face in the font table or the theme."""
    from lxml import etree
    styles = etree.fromstring(_part(fid, "word/styles.xml").encode())
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    defaults = styles.find(f"{w}docDefaults/{w}rPrDefault/{w}rPr")
    lang = defaults.find(f"{w}lang")
    assert (lang.get(f"{w}val"), lang.get(f"{w}eastAsia")) == ("zh-CN", "zh-CN")
    assert defaults.find(f"{w}rFonts").get(f"{w}eastAsia") == R.FONT_BODY
    langs = {(el.get(f"{w}val"), el.get(f"{w}eastAsia")) for el in styles.iter(f"{w}lang")}
    assert langs == {("zh-CN", "zh-CN")}
    for name in (R.STYLE_TITLE, R.STYLE_BODY, R.STYLE_H1, R.STYLE_H2, R.STYLE_TABLE):
        st = next(s for s in styles.iter(f"{w}style") if s.find(f"{w}name").get(f"{w}val") == name)
        assert st.find(f"{w}rPr/{w}lang").get(f"{w}eastAsia") == "zh-CN", name
    fonts = _part(fid, "word/fontTable.xml")
    theme = _part(fid, "word/theme/theme1.xml")
    for japanese in ("ＭＳ 明朝", "ＭＳ ゴシック", "MS Mincho", 'w:charset w:val="80"'):
        assert japanese not in fonts
    assert 'script="Jpan"' not in theme and "ＭＳ" not in theme
    assert theme.count('<a:ea typeface="宋体"/>') == 2 and 'script="Hans" typeface="宋体"' in theme
    assert 'w:eastAsia="ja-JP"' not in _part(fid, "word/settings.xml")


@pytest.mark.parametrize("fid", FORMAT_IDS)
def test_chinese_line_breaking_and_punctuation(fid):
    """Word's rules for Chinese: no line starts with 、，。；：？！）」』》 nor ends with （「『《 (kinsoku with
    the zh-CN lists), punctuation compressed, automatic spacing between Chinese and Latin text and digits."""
    from lxml import etree
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    settings = etree.fromstring(_part(fid, "word/settings.xml").encode())
    before = settings.find(f"{w}noLineBreaksBefore")
    after = settings.find(f"{w}noLineBreaksAfter")
    assert before.get(f"{w}lang") == after.get(f"{w}lang") == "zh-CN"
    assert set("、，。；：？！）」』》〕】”") <= set(before.get(f"{w}val"))
    assert set("（「『《〔【“") <= set(after.get(f"{w}val"))
    assert settings.find(f"{w}characterSpacingControl").get(f"{w}val") == "compressPunctuation"
    assert settings.find(f"{w}themeFontLang").get(f"{w}eastAsia") == "zh-CN"
    # in the schema's order: characterSpacingControl, noLineBreaksAfter, noLineBreaksBefore
    tags = [el.tag for el in settings]
    i = tags.index(f"{w}characterSpacingControl")
    assert tags[i + 1:i + 3] == [f"{w}noLineBreaksAfter", f"{w}noLineBreaksBefore"]
    ppr = etree.fromstring(_part(fid, "word/styles.xml").encode()).find(f"{w}docDefaults/{w}pPrDefault/{w}pPr")
    assert [el.tag[len(w):] for el in ppr][:4] == ["kinsoku", "overflowPunct", "autoSpaceDE", "autoSpaceDN"]
    assert all(el.get(f"{w}val") == "1" for el in list(ppr)[:4])
