"""drafter.render and `drafter render`: the .docx opens again with every figure in its national cell, every
typed string arrives literally, an erroneous report is refused without --draft, HTML and PDF."""
from __future__ import annotations

import datetime as dt
import html.parser
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from drafter import render as R
from drafter.checks import blocking, check, compute_totals, errors
from drafter.cli import main
from drafter.formats import load_format
from drafter.report import Report, load

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "青山镇-2021.yaml"

HOSTILE = [
    "{{ 7*7 }}",
    "{% if x %}不该执行{% endif %}",
    "{%p endfor %}",
    "<w:p><w:r><w:t>注入</w:t></w:r></w:p>",
    "A & B &amp; C",
    '双引号"与单引号\'',
    "表情😀🏛️与生僻字𠮷",
    "]]><!-- -->",
]


def report_2019() -> Report:
    """A consistent 2019-format report (2020), every table non-zero, 本年增/减 signed, amounts decimal."""
    r = Report.new(2020, "石桥镇人民政府", "township")
    r.signed_on = dt.date(2021, 1, 26)
    r.text.update(intro="本报告中所列数据的统计期限自2020年1月1日起至2020年12月31日止。",
                  overview=[{"title": "强化领导，健全机构", "body": "第一段。\n第二段。"},
                            {"title": "完善制度", "body": "第三段。"}],
                  problems="（一）存在问题\n公开内容不够全面。\n（二）改进措施\n进一步健全制度。",
                  other="本年度未收取信息处理费。")
    f = r.figures
    for k in f:
        f[k] = 0
    f.update({"active.normative.made": 2, "active.normative.published": 2, "active.normative.total_published": 9,
              "active.licensing.prev_items": 6, "active.licensing.change": 1, "active.licensing.decisions": 12,
              "active.penalty.prev_items": 38, "active.penalty.change": -8, "active.penalty.decisions": 5,
              "active.procurement.projects": 7, "active.procurement.amount": Decimal("1306.14"),
              "requests.new.natural": 3, "requests.new.commercial": 1, "requests.granted.natural": 2,
              "requests.other.natural": 1, "requests.granted.commercial": 1,
              "appeals.review.corrected": 1})
    compute_totals(r)
    assert not errors(check(r))
    return r


def unique_figures(fid: str) -> Report:
    """Every cell a different number, so a figure in the wrong cell shows."""
    fmt = load_format(fid)
    r = Report.new(2021 if fid == "2021" else 2020, "唯一数镇人民政府")
    for i, (cid, c) in enumerate(fmt.cells.items(), start=1):
        r.figures[cid] = Decimal(f"{i}.5") if c.kind == "amount" else (-i if c.kind == "signed" else i)
    return r


def docx_tables(path):
    doc = Document(str(path))
    return doc, dict(zip(("active", "requests", "appeals"), doc.tables, strict=True))


def assert_national_tables(path, report):
    fmt = report.fmt
    _, tables = docx_tables(path)
    for tid, t in tables.items():
        table = fmt.tables[tid]
        got = {(r, c): (rs, cs, text) for r, c, rs, cs, text in R.read_grid(t)}
        assert len(got) == len(table.grid), tid
        for g in table.grid:
            rs, cs, text = got[(g.r, g.c)]
            assert (rs, cs) == (g.rs, g.cs), (tid, g)
            if g.role == "value":
                assert text == R.display(fmt.cells[g.cell], report.figures[g.cell]), g.cell
            else:
                assert text == g.text


def body_texts(path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


# ---- the samples in both formats ------------------------------------------------------------------
def test_sample_2021_renders_in_the_national_layout(tmp_path):
    r = load(SAMPLE)
    assert not check(r), "the sample must be clean"
    out = R.render_docx(r, tmp_path / "a.docx")
    assert_national_tables(out, r)
    texts = body_texts(out)
    assert texts[0] == "青山镇人民政府2021年\n政府信息公开工作年度报告"     # two lines, broken after 年
    assert "（一）主动公开" in texts and "（五）监督保障" in texts
    for s in r.fmt.sections:
        assert s.heading in texts
    # each line of a text its own paragraph, in order
    body = r.text["overview"][0]["body"].splitlines()
    i = texts.index(body[0])
    assert texts[i:i + len(body)] == body
    # no template syntax left anywhere
    with zipfile.ZipFile(out) as z:
        for n in z.namelist():
            if n.endswith(".xml"):
                xml = z.read(n).decode("utf-8")
                assert "{{" not in xml and "{%" not in xml, n
    # figures that are not zero arrive where they belong
    _, tables = docx_tables(out)
    grid = {(r_, c): text for r_, c, _, _, text in R.read_grid(tables["requests"])}
    req = r.fmt.tables["requests"]
    g = next(g for g in req.grid if g.cell == "requests.new.natural")
    assert grid[(g.r, g.c)] == "9"
    g = next(g for g in r.fmt.tables["active"].grid if g.cell == "active.fees.amount")
    assert R.read_grid(tables["active"])[[(x[0], x[1]) for x in R.read_grid(tables["active"])].index((g.r, g.c))][4] == "3.65"


def test_2019_format_report(tmp_path):
    r = report_2019()
    out = R.render_docx(r, tmp_path / "b.docx")
    assert_national_tables(out, r)
    _, tables = docx_tables(out)
    cells = {x[4] for x in R.read_grid(tables["active"])}
    assert {"+1", "-8", "1306.14"} <= cells
    texts = body_texts(out)
    assert "（一）强化领导，健全机构" in texts and "第二段。" in texts
    doc = Document(str(out))
    heads2 = [p.text for p in doc.paragraphs if p.style.name == R.STYLE_H2]
    assert heads2 == ["（一）强化领导，健全机构", "（二）完善制度", "（一）存在问题", "（二）改进措施"]


@pytest.mark.parametrize("fid", ["2019", "2021"])
def test_every_figure_in_its_own_cell(fid, tmp_path):
    r = unique_figures(fid)
    out = R.render_docx(r, tmp_path / "u.docx")
    assert_national_tables(out, r)


def test_empty_cells_print_zero(tmp_path):
    r = Report.new(2021, "空表镇人民政府")
    out = R.render_docx(r, tmp_path / "z.docx")
    _, tables = docx_tables(out)
    for tid, t in tables.items():
        values = {g.r * 100 + g.c for g in r.fmt.tables[tid].grid if g.role == "value"}
        for row, c, _, _, text in R.read_grid(t):
            if row * 100 + c in values:
                assert text == "0"


@pytest.mark.parametrize("path", sorted((ROOT / "samples").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_sample_renders(path, tmp_path):
    """The seed towns' reports (some with errors: rendered as drafts) and the 2021 example."""
    r = load(path)
    draft = bool(blocking(check(r), r.format))
    out = R.render_docx(r, tmp_path / "s.docx", draft=draft)
    assert_national_tables(out, r)
    texts = body_texts(out)
    assert texts[0].replace("\n", "") == r.title + ("（草稿）" if draft else "")
    assert_html_tables(R.render_html(r, draft), r)


# ---- typography of the rendered document -----------------------------------------------------------
def test_title_signature_and_fonts(tmp_path):
    r = load(SAMPLE)
    out = R.render_docx(r, tmp_path / "a.docx")
    doc = Document(str(out))
    ps = doc.paragraphs
    assert ps[0].style.name == R.STYLE_TITLE
    name, date = ps[-2], ps[-1]
    assert (name.text, date.text) == ("青山镇人民政府", "2022年1月28日")
    assert ps[-3].text == ""                                        # one blank line before the 落款
    assert name.paragraph_format.right_indent.pt == 32              # right-indented two characters
    # the date starts two characters right of the name's first character: 7 chars vs 6.5 (digits half width)
    assert date.paragraph_format.right_indent.pt == pytest.approx(8)
    body = next(p for p in ps if p.style.name == R.STYLE_BODY and p.text)
    assert doc.styles[R.STYLE_BODY].element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert body.text.startswith("根据《中华人民共和国政府信息公开条例》")
    # no 草稿 mark in a final document
    assert all(not p.text for p in doc.sections[0].header.paragraphs)
    assert "草稿" not in ps[0].text


def test_date_longer_than_the_name(tmp_path):
    """GB/T 9704 7.3.5.2: a date longer than the name is right-indented 2, the name starts 2 characters before it."""
    r = load(SAMPLE)
    r.agency["name"] = "东镇"
    r.signed_on = dt.date(2022, 12, 28)
    assert R.text_width("2022年12月28日") == 7
    doc = Document(str(R.render_docx(r, tmp_path / "d.docx", draft=True)))
    name, date = doc.paragraphs[-2], doc.paragraphs[-1]
    assert date.text == "2022年12月28日"
    assert date.paragraph_format.right_indent.pt == 32
    # name start = width - ri - 2 chars must be date start (width - 2 - 7) minus 2 chars
    assert name.paragraph_format.right_indent.pt == (7 - 2 + 4) * 16


# ---- hostile strings ---------------------------------------------------------------------------------
def test_hostile_strings_arrive_literally(tmp_path):
    r = load(SAMPLE)
    long_para = ("很长的段落" * 2000)
    assert len(long_para) == 10000
    r.agency["name"] = "青山镇人民政府&<测试>"
    r.text["intro"] = "\n".join(HOSTILE)
    r.text["overview"] = [{"title": "{{ title }}", "body": long_para},
                          {"title": "控制\x00字\x07符\x1b", "body": "换页\x0c之后\n制表\t符\n\x85下一行"}]
    r.text["problems"] = "（一）{% raw %}\n正文 <b>粗</b>"
    r.text["other"] = "\u2028".join(["行一", "行二"])
    out = R.render_docx(r, tmp_path / "h.docx")
    texts = body_texts(out)
    for s in HOSTILE:
        assert s in texts, s
    assert texts[0].replace("\n", "") == "青山镇人民政府&<测试>2021年政府信息公开工作年度报告"
    assert "（一）{{ title }}" in texts
    assert long_para in texts
    assert "（二）控制字符" in texts
    assert {"换页", "之后", "制表 符", "下一行"} <= set(texts)   # form feed and NEL break the line
    assert "（一）{% raw %}" in texts and "正文 <b>粗</b>" in texts
    assert {"行一", "行二"} <= set(texts)
    assert "青山镇人民政府&<测试>" in texts
    # the XML itself is well formed in every part
    from lxml import etree
    with zipfile.ZipFile(out) as z:
        for n in z.namelist():
            if n.endswith(".xml") or n.endswith(".rels"):
                etree.fromstring(z.read(n))
    # and 49 appears nowhere the clerk did not type it
    assert not any("49" in t for t in texts if "7*7" not in t and t != long_para)


def test_clean_text_and_paragraphs():
    assert R.clean_text("a\x00b\tc\x1fd\ud800e\ufffff") == "ab cdef"
    assert R.paragraphs(" 一 \r\n\r\n二\r三\n") == ["一", "二", "三"]
    assert R.paragraphs(None) == [] and R.paragraphs("") == []


# ---- drafter render --------------------------------------------------------------------------------------
@pytest.fixture
def sample_copy(tmp_path):
    p = tmp_path / "青山镇-2021.yaml"
    shutil.copy(SAMPLE, p)
    return p


def test_cli_default_name_beside_the_input(sample_copy, capsys):
    assert main(["render", str(sample_copy)]) == 0
    out = sample_copy.parent / "青山镇人民政府2021年政府信息公开工作年度报告.docx"
    assert out.is_file()
    assert str(out) in capsys.readouterr().out
    assert_national_tables(out, load(sample_copy))


def test_cli_refuses_a_report_with_errors(sample_copy, capsys):
    r = load(sample_copy)
    r.figures["requests.new.natural"] = 10          # the row total and the identity no longer hold
    r.save(sample_copy)
    out = sample_copy.parent / "x.docx"
    assert main(["render", str(sample_copy), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert not out.exists()
    assert "错误" in err and "--draft" in err
    assert "自然人列" in err                          # the errors listed, in Chinese
    assert main(["render", str(sample_copy), "-o", str(out), "--draft"]) == 0
    doc = Document(str(out))
    assert doc.paragraphs[0].text.endswith("（草稿）")
    s = doc.sections[0]
    assert [p.text for p in s.header.paragraphs] == ["草稿"]
    assert [p.text for p in s.even_page_header.paragraphs] == ["草稿"]


def test_cli_refuses_a_final_without_date(sample_copy, capsys):
    """A missing 落款 date is only a warning for the checker (published pages omit it), but no final document."""
    r = load(sample_copy)
    r.signed_on = None
    r.save(sample_copy)
    assert not errors(check(r))
    out = sample_copy.parent / "x.docx"
    assert main(["render", str(sample_copy), "-o", str(out)]) == 1
    assert "落款日期未填写" in capsys.readouterr().err and not out.exists()
    assert main(["render", str(sample_copy), "-o", str(out), "--draft"]) == 0


def test_cli_html(sample_copy):
    out = sample_copy.parent / "r.html"
    assert main(["render", str(sample_copy), "--to", "html", "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    r = load(sample_copy)
    assert_html_tables(page, r)


def test_cli_template_variant(sample_copy, tmp_path, capsys):
    """A province's template: restyled, with its own extra text, and one placeholder removed."""
    variant = tmp_path / "省模板.docx"
    doc = Document(str(ROOT / "templates" / "2021" / "report.docx"))
    doc.paragraphs[1].add_run("某省统一格式")
    doc.styles[R.STYLE_BODY].font.size = 15 * 12700
    t = doc.tables[2]
    t.rows[3].cells[0].paragraphs[0].runs[0].text = "—"   # appeals.review.upheld dropped
    doc.save(str(variant))
    out = tmp_path / "v.docx"
    assert main(["render", str(sample_copy), "--template", str(variant), "-o", str(out)]) == 0
    assert "appeals.review.upheld" in capsys.readouterr().err
    got = Document(str(out))
    assert "某省统一格式" in [p.text for p in got.paragraphs]
    assert got.styles[R.STYLE_BODY].font.size.pt == 15
    assert main(["render", str(sample_copy), "--template", str(tmp_path / "无.docx"), "-o", str(out)]) == 2
    assert "模板文件不存在" in capsys.readouterr().err


def test_cli_broken_template(sample_copy, tmp_path, capsys):
    bad = tmp_path / "bad.docx"
    doc = Document(str(ROOT / "templates" / "2021" / "report.docx"))
    doc.paragraphs[1].add_run("{% if %}")
    doc.save(str(bad))
    assert main(["render", str(sample_copy), "--template", str(bad), "-o", str(tmp_path / "o.docx")]) == 2
    assert "模板「bad.docx」有误" in capsys.readouterr().err


def test_cli_pdf_without_libreoffice(sample_copy, monkeypatch, capsys):
    monkeypatch.setattr(R, "libreoffice", lambda: None)
    assert main(["render", str(sample_copy), "--to", "pdf"]) == 2
    assert "未安装LibreOffice" in capsys.readouterr().err


@pytest.mark.skipif(not R.libreoffice(), reason="LibreOffice is not installed")
def test_pdf_through_libreoffice(sample_copy):
    out = sample_copy.parent / "r.pdf"
    assert main(["render", str(sample_copy), "--to", "pdf", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
        text = "".join(text.split())      # pdftotext spaces Latin from CJK and breaks lines
        assert "收到和处理政府信息公开申请情况" in text and "2022年1月28日" in text
        assert "—1—" in text and "—2—" in text


@pytest.mark.skipif(not R.libreoffice(), reason="LibreOffice is not installed")
def test_libreoffice_opens_a_hostile_report(tmp_path):
    r = load(SAMPLE)
    r.text["intro"] = "\n".join(HOSTILE) + "\n控制\x00\x1b字符"
    r.text["other"] = "很长的段落" * 2000
    pdf = R.docx_to_pdf(R.render_docx(r, tmp_path / "h.docx"), tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = "".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split())
        assert "{{7*7}}" in text and "<w:p>" in text and "控制字符" in text


# ---- HTML ---------------------------------------------------------------------------------------------
class _Tables(html.parser.HTMLParser):
    """Tables of a page as [(row, col, rowspan, colspan, text)] per table id, columns resolved through spans."""

    def __init__(self):
        super().__init__()
        self.tables, self.cur, self.cell, self.row = {}, None, None, -1
        self.texts = []
        self._text = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.cur, self.row, self.taken = self.tables.setdefault(a.get("id"), []), -1, set()
        elif tag == "tr":
            self.row += 1
            self.col = 0
        elif tag in ("td", "th"):
            while (self.row, self.col) in self.taken:
                self.col += 1
            rs, cs = int(a.get("rowspan", 1)), int(a.get("colspan", 1))
            for i in range(rs):
                for j in range(cs):
                    self.taken.add((self.row + i, self.col + j))
            self.cell = [self.row, self.col, rs, cs, ""]
            self.col += cs
        elif tag in ("p", "h1", "h2", "h3"):
            self._text = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.cur.append(tuple(self.cell))
            self.cell = None
        elif tag in ("p", "h1", "h2", "h3"):
            self.texts.append(self._text)
            self._text = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[4] += data
        elif self._text is not None:
            self._text += data


def assert_html_tables(page, r):
    p = _Tables()
    p.feed(page)
    for tid, table in r.fmt.tables.items():
        got = sorted(p.tables[f"table-{tid}"])
        want = sorted((g.r, g.c, g.rs, g.cs, R.display(r.fmt.cells[g.cell], r.figures[g.cell]) if g.cell else g.text)
                      for g in table.grid)
        assert got == want, tid
    return p


@pytest.mark.parametrize("make", [lambda: load(SAMPLE), report_2019, lambda: unique_figures("2019")])
def test_html_tables_have_the_national_spans(make):
    r = make()
    page = R.render_html(r)
    assert_html_tables(page, r)
    assert 'rowspan="22"' in page if r.format == "2021" else 'rowspan="20"' in page


def test_html_escapes_typed_text():
    r = load(SAMPLE)
    r.agency["name"] = "<script>alert(1)</script>"
    r.text["intro"] = "\n".join(HOSTILE) + "\n坏\x00字符"
    page = R.render_html(r)
    assert "<script>" not in page and "<w:p>" not in page
    p = assert_html_tables(page, r)
    for s in HOSTILE:
        assert s in p.texts
    assert "坏字符" in p.texts
    assert "<script>alert(1)</script>" in p.texts                   # the 落款, literally
    assert R.render_html(r, draft=True).count("草稿") >= 2


# ---- issue 11: the title, table 三, headings, long names, templates, fonts -------------------------------
WANGGANG = "南岗区王岗镇人民政府"


def test_title_breaks_at_a_word_boundary():
    title = f"{WANGGANG}2021年政府信息公开工作年度报告"
    lines = R.title_lines(title, WANGGANG, 2021)
    assert lines == ["南岗区王岗镇人民政府2021年", "政府信息公开工作年度报告"]
    assert R.TITLE_CHARS == 20                      # 156 mm / 2号 (22 pt)
    cases = {
        "黑龙江省哈尔滨市南岗区人民政府办公室": ["黑龙江省哈尔滨市南岗区人民政府办公室", "2021年政府信息公开工作年度报告"],
        "哈尔滨市市场监督管理局": ["哈尔滨市市场监督管理局2021年", "政府信息公开工作年度报告"],
        "东镇": ["东镇2021年政府信息公开工作年度报告"],
    }
    for agency, want in cases.items():
        assert R.title_lines(f"{agency}2021年政府信息公开工作年度报告", agency, 2021) == want
    # a name longer than a line breaks after an administrative unit, never inside a word
    agency = "广西壮族自治区南宁市青秀区人民政府中山街道办事处"
    lines = R.title_lines(f"{agency}2021年政府信息公开工作年度报告", agency, 2021)
    assert all(R.text_width(line) <= R.TITLE_CHARS for line in lines) and len(lines) == 3
    assert lines[0].endswith(("区", "市", "人民政府")) and lines[-1] == "政府信息公开工作年度报告"


def test_rendered_title_has_explicit_line_breaks(tmp_path):
    r = load(SAMPLE)
    r.agency["name"] = WANGGANG
    doc = Document(str(R.render_docx(r, tmp_path / "t.docx", draft=True)))
    title = doc.paragraphs[0]
    assert title.style.name == R.STYLE_TITLE
    assert title.text == "南岗区王岗镇人民政府2021年\n政府信息公开工作年度报告（草稿）"
    assert len(title._p.findall(".//" + qn("w:br"))) == 1
    assert doc.core_properties.title == "南岗区王岗镇人民政府2021年政府信息公开工作年度报告（草稿）"


def test_half_width_heading_numbers_print_full_width(tmp_path):
    r = load(SAMPLE)
    r.text["overview"] = [{"title": "(一)主动公开", "body": "正文。"}, {"title": "(二）依申请公开", "body": "正文。"}]
    r.text["problems"] = "(一)存在问题\n问题正文。\n（二)改进措施\n改进正文。"
    texts = body_texts(R.render_docx(r, tmp_path / "h.docx", draft=True))
    assert {"（一）主动公开", "（二）依申请公开", "（一）存在问题", "（二）改进措施"} <= set(texts)
    assert not any(t.startswith("(") for t in texts)


def test_requests_groups_never_split_across_pages(tmp_path):
    """Table 三: every row cantSplit, the header rows repeat and keep with the body, and a group's rows
    (（四）无法提供 and its three) keep together; a page may break only between groups."""
    table = load_format("2021").tables["requests"]
    groups = R.row_groups(table)
    four = next(g for g in table.grid if g.text == "（四）无法提供")
    assert (four.r, four.r + 2) in groups
    assert not any(a <= 5 <= b for a, b in groups)            # 三、本年度办理结果 holds groups: it is none
    _, tables = docx_tables(R.render_docx(load(SAMPLE), tmp_path / "g.docx"))
    rows = tables["requests"]._tbl.tr_lst

    def kept(tr):
        ps = list(tr.iter(qn("w:p")))
        return all(p.pPr is not None and p.pPr.keepNext_val for p in ps)

    for r, tr in enumerate(rows):
        assert tr.trPr.find(qn("w:cantSplit")) is not None
        assert (tr.trPr.find(qn("w:tblHeader")) is not None) == (r < table.header_rows)
    for a, b in groups:
        assert all(kept(rows[r]) for r in range(a, b)), (a, b)
        assert not kept(rows[b])                               # the page may break after a group
    assert all(kept(rows[r]) for r in range(table.header_rows))
    # a table without groups stays whole where it fits (every row but the last kept with the next)
    active = tables["active"]._tbl.tr_lst
    assert all(kept(tr) for tr in active[:-1]) and not kept(active[-1])


def test_very_long_agency_name_renders(tmp_path):
    """Document properties hold at most 255 characters and file names 255 bytes: both shortened safely."""
    r = load(SAMPLE)
    r.agency["name"] = "超长名称" * 75 + "𠮷镇人民政府"            # 306 characters, one outside the BMP
    name = R.default_name(r)
    assert len(name.encode("utf-8")) <= 200 and name.endswith("2021年政府信息公开工作年度报告.docx")
    out = R.render_docx(r, tmp_path / name, draft=True)
    doc = Document(str(out))
    assert len(doc.core_properties.title) <= R.PROPERTY_MAX and doc.core_properties.title.endswith("…")
    assert len(doc.core_properties.author) <= R.PROPERTY_MAX
    assert doc.paragraphs[0].text.replace("\n", "").startswith("超长名称超长名称")
    assert R.document_property("行一\n行二") == "行一行二"


def test_template_is_rendered_in_the_sandbox(sample_copy, tmp_path, capsys):
    """A template file from elsewhere cannot run commands or read the environment."""
    marker = tmp_path / "ran"
    evil = tmp_path / "evil.docx"
    doc = Document(str(ROOT / "templates" / "2021" / "report.docx"))
    doc.paragraphs[1].add_run("{{ cycler.__init__.__globals__.os.popen('touch %s').read() }}" % marker)
    doc.paragraphs[1].add_run("{{ ''.__class__.__mro__[1].__subclasses__() }}")
    doc.save(str(evil))
    out = tmp_path / "e.docx"
    rc = main(["render", str(sample_copy), "--template", str(evil), "-o", str(out)])
    assert not marker.exists()
    err = capsys.readouterr().err
    assert rc == 2 and "模板「evil.docx」有误" in err and not out.exists()


def test_template_without_the_report_is_refused(sample_copy, tmp_path, capsys):
    plain = tmp_path / "普通文件.docx"
    d = Document()
    d.add_paragraph("一份普通的Word文件")
    d.save(str(plain))
    out = tmp_path / "o.docx"
    assert main(["render", str(sample_copy), "--template", str(plain), "-o", str(out)]) == 2
    captured = capsys.readouterr()
    assert "没有报告的占位符" in captured.err and "已生成" not in captured.out and not out.exists()


def _noto_faces(family: str) -> tuple[dict, dict]:
    """cmap of the SC and the JP face of a Noto CJK collection (the fonts-noto-cjk .ttc)."""
    from fontTools.ttLib import TTCollection

    def where(name):
        out = subprocess.run(["fc-match", "-f", "%{file}\t%{index}", name], capture_output=True, text=True).stdout
        path, index = out.split("\t")
        return path, int(index)

    (sc_path, sc), (jp_path, jp) = where(f"{family} SC"), where(f"{family} JP")
    assert sc_path == jp_path and sc != jp
    fonts = TTCollection(sc_path).fonts
    return fonts[sc].getBestCmap(), fonts[jp].getBestCmap()


def _embedded_glyphs(pdf) -> dict[str, set[str]]:
    """Embedded font (name without subset tag) → glyph names of its font program."""
    import re

    from pypdf import PdfReader
    out: dict[str, set[str]] = {}
    for page in PdfReader(str(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            desc = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            fd = desc["/FontDescriptor"].get_object()
            prog = next(fd[k] for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in fd).get_object()
            name = re.sub(r"^[A-Z]{6}\+", "", str(font["/BaseFont"]).lstrip("/"))
            out.setdefault(name, set()).update(
                g.decode() for g in re.findall(rb"/(cid\d+)", prog.get_data()))
    return out


@pytest.mark.skipif(not R.libreoffice(), reason="LibreOffice is not installed")
def test_pdf_sets_chinese_in_simplified_chinese_faces(tmp_path):
    """Without the official fonts the PDF uses the SC stand-ins: Noto Serif CJK SC for title and body,
    Noto Sans CJK SC for 黑体, AR PL UKai CN for 楷体; the glyphs are the SC forms, never the JP ones.
    (Noto CJK's .ttc shares one CFF table among its languages, so the PDF names it ...CJKjp-Regular whatever
    face was chosen: the glyphs show which.)"""
    from drafter.commands.doctor import pdf_fonts
    subs = R.font_substitutes()
    assert subs[R.FONT_BODY] == subs[R.FONT_TITLE] == "Noto Serif CJK SC"
    assert subs[R.FONT_H1] == "Noto Sans CJK SC" and subs[R.FONT_H2] == "AR PL UKai CN"
    r = load(SAMPLE)
    r.text["overview"][0]["body"] += "关骨直角写说过门。"       # forms that differ between SC and JP
    pdf = R.render_pdf(r, tmp_path / "r.pdf")
    fonts = pdf_fonts(pdf)
    serif = [f for f in fonts if f.startswith("NotoSerifCJK")]
    sans = [f for f in fonts if f.startswith("NotoSansCJK")]
    kai = [f for f in fonts if f.startswith("UKaiCN")]
    assert serif and sans and kai, fonts
    assert any("工作年度报告" in fonts[f] for f in serif)          # the title
    assert any("关骨直角" in fonts[f] for f in serif)              # the body
    assert any("总体情况" in fonts[f] for f in sans)               # 一级标题
    assert any("主动公开" in fonts[f] for f in kai)                # 二级标题
    assert not any(tag in f for f in fonts for tag in ("JP", "Jpan", "MS-Mincho", "MS-Gothic"))
    glyphs = _embedded_glyphs(pdf)
    for family, names in (("Noto Serif CJK", serif), ("Noto Sans CJK", sans)):
        sc, jp = _noto_faces(family)
        text = "".join(fonts[f] for f in names)
        sc_names = {sc[ord(ch)] for ch in text if ord(ch) in sc}
        jp_names = {jp[ord(ch)] for ch in text if ord(ch) in jp}
        used = set().union(*(glyphs[f] for f in names))
        assert jp_names - sc_names and not (used & (jp_names - sc_names)), family     # no JP form
        assert used & (sc_names - jp_names), family                                 # the SC forms


@pytest.mark.skipif(not R.libreoffice(), reason="LibreOffice is not installed")
@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_pdf_breaks_table_requests_between_groups(tmp_path):
    """Pushed down the page so that it must break, table 三 breaks between groups: the rows of each group on
    one page, and the header repeated on the next."""
    table = load_format("2021").tables["requests"]
    groups = [[g.text[:8] for g in table.grid if g.role == "label" and g.c == 2 and a <= g.r <= b]
              for a, b in R.row_groups(table)]
    for extra in (5, 14):               # the plain break would fall inside （四） and inside （三）
        r = load(SAMPLE)
        r.text["overview"][-1]["body"] += "\n" + "\n".join(["本段为测试分页而加的一行文字。"] * extra)
        pdf = R.render_pdf(r, tmp_path / f"s{extra}.pdf")
        pages = ["".join(p.split()) for p in subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split("\f")]
        first = next(i for i, p in enumerate(pages) if "三、收到和处理政府信息公开申请情况" in p)
        assert "四、结转下年度继续办理" in pages[first + 1], "the table starts under its heading and breaks"
        assert pages[first + 1].count("申请人情况") == 1                 # the header repeated
        for labels in groups:
            on = {i for i, p in enumerate(pages[first:first + 2]) for label in labels if label in p}
            assert len(on) == 1, (extra, labels, on)
