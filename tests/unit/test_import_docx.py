"""Reading published reports from .docx: hand-built Word files drawn differently, the renderer's, raw XML details."""
from __future__ import annotations

import io
import random
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from docbuild import build_docx, report_blocks
from gen import random_report
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drafter.importing import import_file
from drafter.importing.docx import docx_lines, docx_tables
from drafter.report import ReportError, load

ROOT = Path(__file__).resolve().parents[2]

VARIANTS = ["", "spaced", "split_head", "extra_col", "nested"]
FORMATS = [("2019", 2020), ("2021", 2021)]
# user-typed text must come back literally
ODD = ["模板语法{{ agency.name }}与{% if x %}不被执行。", "尖括号<b>与&amp;、引号\"'’”保持原样。",
       "表情😀与生僻字𠀀照常。", "英文 Word 与数字 12 之间的空格保留。"]


def assert_same(got, want, doubts):
    assert doubts == []
    assert {k: v for k, v in got.figures.items()} == want.figures
    for k, v in want.figures.items():
        assert type(got.figures[k]) is type(v), k
    assert got.text == want.text
    assert got.agency["name"] == want.agency["name"]
    assert got.signed_on == want.signed_on
    assert (got.year, got.format) == (want.year, want.format)


def sample(seed: int, fid: str, year: int, odd: bool = True):
    r = random_report(random.Random(seed), fid, year)
    if odd:
        rng = random.Random(seed)
        r.text["problems"] = r.text["problems"] + "\n" + rng.choice(ODD)
        r.text["other"] = rng.choice(ODD) + "\n" + r.text["other"]
    return r


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("fid,year", FORMATS)
def test_hand_built_docx(tmp_path, fid, year, variant):
    want = sample(3, fid, year)
    p = tmp_path / "r.docx"
    build_docx(want, p, variant)
    res = import_file(p)
    assert_same(res.report, want, res.doubts)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), fy=st.sampled_from(FORMATS), variant=st.sampled_from(VARIANTS))
def test_round_trip_built_property(tmp_path, seed, fy, variant):
    want = sample(seed, *fy)
    p = tmp_path / "r.docx"
    build_docx(want, p, variant)
    res = import_file(p)
    assert_same(res.report, want, res.doubts)


def _render_docx(report) -> bytes:
    from drafter.render import render_docx_bytes  # the templates ship: a RenderError here is a failure
    return render_docx_bytes(report)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), fy=st.sampled_from(FORMATS))
def test_round_trip_rendered_property(tmp_path, seed, fy):
    want = sample(seed, *fy)
    p = tmp_path / "r.docx"
    p.write_bytes(_render_docx(want))
    res = import_file(p)
    assert_same(res.report, want, res.doubts)


def test_grid_merges_resolved(tmp_path):
    """Each table comes back as its printed grid: a merged cell's text once, the positions it covers empty."""
    want = sample(1, "2021", 2021)
    p = tmp_path / "r.docx"
    build_docx(want, p)
    tables = docx_tables(p, p.read_bytes())
    built = [b for b in report_blocks(want) if b[0] == "table"]
    assert len(tables) == len(built) == 3
    for grid, (_, cells, n_rows, n_cols) in zip(tables, built, strict=True):
        expect = [[""] * n_cols for _ in range(n_rows)]
        for g in cells:
            expect[g.r][g.c] = g.text
        assert grid == expect


# ---- raw WordprocessingML details -------------------------------------------------------------
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'


def make_docx(body: str, extra: dict | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/'
                   'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:document {W} {MC}>'
                                        f"<w:body>{body}</w:body></w:document>")
        for k, v in (extra or {}).items():
            z.writestr(k, v)
    return buf.getvalue()


def p(*runs: str) -> str:
    return "<w:p>" + "".join(runs) + "</w:p>"


def t(s: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{s}</w:t></w:r>'


def test_text_boxes_deletions_and_field_codes_ignored(tmp_path):
    box = ('<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent>'
           f'{p(t("文本框里的广告"))}</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent>'
           f'{p(t("文本框里的广告"))}</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>')
    body = (p(t("正文开头"), box, t("正文结尾")) +
            p(t("保留"), '<w:del><w:r><w:delText>删除的修订</w:delText></w:r></w:del>',
              '<w:ins><w:r><w:t>插入的修订</w:t></w:r></w:ins>') +
            p('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>',
              '<w:r><w:fldChar w:fldCharType="separate"/></w:r>', t("3"), '<w:r><w:fldChar w:fldCharType="end"/></w:r>') +
            p(t("南岳镇人民政府"), "<w:r><w:br/></w:r>", t("2021年1月28日")) +
            '<w:sdt><w:sdtContent>' + p(t("内容控件里的段落")) + '</w:sdtContent></w:sdt>')
    path = tmp_path / "x.docx"
    assert docx_lines(path, make_docx(body)) == [["正文开头正文结尾"], ["保留插入的修订"], ["3"],
                                               ["南岳镇人民政府"], ["2021年1月28日"], ["内容控件里的段落"]]


def test_spans_and_vmerge_from_raw_xml(tmp_path):
    """A table drawn by hand in Word: gridBefore, a 3-wide gridSpan, vMerge down a label column, an empty column."""
    def tc(text="", span=1, vm=None):
        pr = (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "") + (
            f'<w:vMerge w:val="{vm}"/>' if vm == "restart" else "<w:vMerge/>" if vm else "")
        return f"<w:tc><w:tcPr>{pr}</w:tcPr>{p(t(text))}</w:tc>"
    rows = [
        tc("信 息 内 容", vm="restart") + tc() + tc("本年处理决定数量", 3),
        tc(vm="continue") + tc() + tc("a") + tc("b") + tc("c"),
        tc("行政许可") + tc() + tc("5", 3),
    ]
    body = "<w:tbl>" + "".join(f"<w:tr>{r}</w:tr>" for r in rows) + "</w:tbl>"
    path = tmp_path / "x.docx"
    raw = make_docx(body)
    assert docx_tables(path, raw) == [[["信 息 内 容", "", "本年处理决定数量", "", ""],
                                      ["", "", "a", "b", "c"],
                                      ["行政许可", "", "5", "", ""]]]
    assert docx_lines(path, raw) == [["信 息 内 容", "本年处理决定数量"], ["a", "b", "c"], ["行政许可", "5"]]


def test_old_style_horizontal_merge(tmp_path):
    hm = '<w:tc><w:tcPr><w:hMerge w:val="{}"/></w:tcPr>{}</w:tc>'
    row1 = f"<w:tc>{p(t('行政许可'))}</w:tc>" + hm.format("restart", p(t("5"))) + hm.format("continue", p(t("")))
    row2 = f"<w:tc>{p(t('行政处罚'))}</w:tc><w:tc>{p(t('1'))}</w:tc><w:tc>{p(t('2'))}</w:tc>"
    raw = make_docx(f"<w:tbl><w:tr>{row1}</w:tr><w:tr>{row2}</w:tr></w:tbl>")
    assert docx_tables(tmp_path / "x.docx", raw) == [[["行政许可", "5", ""], ["行政处罚", "1", "2"]]]


def test_strict_ooxml_named(tmp_path):
    raw = _zip({"word/document.xml": '<w:document xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"/>'})
    with pytest.raises(ReportError) as e:
        docx_lines(tmp_path / "x.docx", raw)
    assert "Strict" in str(e.value)


def _zip(members: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for k, v in members.items():
            z.writestr(k, v)
    return buf.getvalue()


def test_amount_and_signed_values_keep_their_type(tmp_path):
    want = sample(11, "2019", 2020)
    want.figures["active.fees.change"] = -8
    want.figures["active.procurement.amount"] = Decimal("461.7")
    pth = tmp_path / "r.docx"
    build_docx(want, pth)
    got = import_file(pth).report
    assert got.figures["active.fees.change"] == -8
    assert got.figures["active.procurement.amount"] == Decimal("461.7")


@pytest.mark.parametrize("body,msg", [
    ("", "没有文字"),
    (p(t("某镇2020年政府信息公开工作年度报告")) + p(t("只有一段话，没有表格。")), "表格"),
])
def test_not_a_report(tmp_path, body, msg):
    path = tmp_path / "x.docx"
    path.write_bytes(make_docx(body))
    with pytest.raises(ReportError) as e:
        import_file(path)
    assert msg in str(e.value)


def test_zip_without_document(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    path = tmp_path / "book.docx"
    path.write_bytes(buf.getvalue())
    with pytest.raises(ReportError) as e:
        import_file(path)
    assert "word/document.xml" in str(e.value)


def _auto_numbered(want, path):
    """A clerk's Word file: section headings and overview parts numbered by Word (一、 （一）), not typed."""
    import docx
    from docx.oxml import parse_xml

    build_docx(want, path)
    d = docx.Document(str(path))
    numbering = d.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {W} w:abstractNumId="90"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/>'
        '<w:suff w:val="nothing"/></w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {W} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    headings = {s.heading for s in want.fmt.sections}
    parts = {f"（{'一二三四五六七八九十'[i]}）{p['title']}" for i, p in enumerate(want.text["overview"]) if p["title"]}
    n = 0
    for para in d.paragraphs:
        lvl = 0 if para.text in headings else 1 if para.text in parts else None
        if lvl is None:
            continue
        text = para.text.split("、", 1)[1] if lvl == 0 else para.text.split("）", 1)[1]
        for r in para.runs[1:]:
            r._r.getparent().remove(r._r)
        para.runs[0].text = text
        para._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {W}><w:ilvl w:val="{lvl}"/><w:numId w:val="90"/></w:numPr>'))
        n += 1
    assert n >= len(headings)
    d.save(str(path))


@pytest.mark.parametrize("fid,year", FORMATS)
def test_word_automatic_numbering(tmp_path, fid, year):
    want = sample(9, fid, year)
    path = tmp_path / "auto.docx"
    _auto_numbered(want, path)
    lines = [ln[0] for ln in docx_lines(path, path.read_bytes()) if len(ln) == 1]
    assert "一、总体情况" in lines and "六、其他需要报告的事项" in lines
    res = import_file(path)
    assert_same(res.report, want, res.doubts)


def test_number_formats():
    from drafter.importing.docx import number_text
    assert [number_text(n, "chineseCounting") for n in (1, 10, 11, 20, 23)] == ["一", "十", "十一", "二十", "二十三"]
    assert number_text(3, "decimalEnclosedCircle") == "③"
    assert number_text(2, "ideographTraditional") == "乙"
    assert number_text(12, "decimalFullWidth") == "１２"
    assert number_text(4, "upperRoman") == "IV"
    assert number_text(5, "decimal") == "5"


@pytest.mark.parametrize("blanks", [[0], [0, 1], [14], [0, 7, 14]])
def test_a_blank_first_cell_of_table_four_keeps_the_row(tmp_path, blanks):
    """Table 四 has one row and no row label: a blank first cell (and others) must not lose the row's 15 cells."""
    import docx as python_docx

    from drafter.render import render_docx
    src = load(ROOT / "samples" / "青山镇-2021.yaml")
    ids = [c for c in src.figures if c.startswith("appeals.")]
    render_docx(src, tmp_path / "a.docx", draft=True)
    doc = python_docx.Document(tmp_path / "a.docx")
    row = doc.tables[-1].rows[-1]
    for i in blanks:
        for run in row.cells[i].paragraphs[0].runs:
            run.text = ""
    doc.save(tmp_path / "b.docx")
    got = import_file(tmp_path / "b.docx").report
    assert {c: got.figures[c] for c in ids} == {c: None if i in blanks else src.figures[c] for i, c in enumerate(ids)}
    assert any("空白" in str(d) for d in got.extra.get("doubts") or [])


def test_a_blank_first_cell_of_table_four_in_pasted_text(tmp_path):
    """The same in text copied from a web page (tab-separated cells): a real report of the corpus, 四's first cell
    emptied."""
    import yaml
    corpus = ROOT / "tests" / "corpus"
    truth = yaml.safe_load((corpus / "pingtan-zone-2024.web.truth.yaml").read_text(encoding="utf-8"))["figures"]
    ids = [c for c in truth if c.startswith("appeals.")]
    row = "\t".join(str(truth[c]) for c in ids)
    text = (corpus / "pingtan-zone-2024.web.txt").read_text(encoding="utf-8")
    assert text.count(row) == 1
    p = tmp_path / "r.txt"
    p.write_text(text.replace(row, "\t" + row.split("\t", 1)[1]), encoding="utf-8")
    got = import_file(p).report.figures
    assert {c: got[c] for c in ids} == {c: None if i == 0 else truth[c] for i, c in enumerate(ids)}


@pytest.mark.parametrize("pieces,joined", [
    (["2020年1", "2月"], "2020年12月"),            # a number of Chinese text broken at a line's end
    (["共收到1", "2件申请"], "共收到12件申请"),
    (["Word", "document"], "Word document"),        # Latin words keep their space
    (["ISO 9001", "2015"], "ISO 9001 2015"),         # numbers outside Chinese text too
    (["1", "2"], "1 2"),                            # two figures in one cell stay two
    (["政府信息", "公开"], "政府信息公开"),
])
def test_pieces_of_a_wrapped_line_joined(pieces, joined):
    from drafter.importing.docx import join_pieces
    assert join_pieces(pieces) == joined
