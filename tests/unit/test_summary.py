"""drafter summary: many reports summed, each file's findings, the files left out, the agencies missing."""
import random
import re
from decimal import Decimal

import openpyxl
import pytest
from docx import Document
from gen import agency_names, random_report, random_reports

from drafter.checks import compute_totals
from drafter.cli import main
from drafter.formats import load_format
from drafter.numbers import format_number
from drafter.summary import MARK, XLSX_TOP, SummaryError, summarise, to_html, write, xlsx_sheet_name

YEAR = {"2019": 2020, "2021": 2022}


def independent_sums(fid, reports):
    """Cell by cell over the in-memory reports, without the code under test."""
    out = {}
    for cid, cell in load_format(fid).cells.items():
        vals = [r.figures[cid] for r in reports]
        out[cid] = sum(vals, Decimal(0)) if cell.kind == "amount" else sum(vals)
    return out


def save_all(reports, folder):
    folder.mkdir(parents=True, exist_ok=True)
    return [r.save(folder / f"{i:04}.yaml") for i, r in enumerate(reports)]


@pytest.fixture(scope="module", params=["2019", "2021"])
def five_hundred(request, tmp_path_factory):
    fid = request.param
    reports = random_reports(random.Random(int(fid)), fid, YEAR[fid], 500)
    folder = tmp_path_factory.mktemp(f"towns{fid}")
    paths = save_all(reports, folder)
    return fid, reports, paths, summarise(paths)


def test_generated_reports_have_no_errors(five_hundred):
    fid, reports, paths, s = five_hundred
    assert len(s.included) == 500 and not s.left_out
    assert [e.errors for e in s.entries] == [0] * 500
    # the amounts have 2 to 6 decimals, the counts are non-negative
    places = {-r.figures[c.id].as_tuple().exponent for r in reports for c in load_format(fid).cells.values()
              if c.kind == "amount" and r.figures[c.id] != 0}
    assert places == {2, 3, 4, 5, 6}
    assert all(v >= 0 for r in reports for c, v in r.figures.items() if load_format(fid).cells[c].kind == "count")


def test_every_cell_is_the_independent_sum(five_hundred):
    fid, reports, paths, s = five_hundred
    expected = independent_sums(fid, reports)
    assert set(s.figures) == set(expected)
    for cid, cell in load_format(fid).cells.items():
        got = s.figures[cid]
        assert got == expected[cid], cid
        if cell.kind == "amount":
            assert type(got) is Decimal, cid
        else:
            assert type(got) is int, cid
    assert s.not_summed == {} and s.findings == []   # consistent files sum to consistent tables
    # the sum of consistent reports keeps every identity: the checker agrees
    assert s.figures["requests.total.total"] + s.figures["requests.carried_forward.total"] == \
        s.figures["requests.new.total"] + s.figures["requests.carried_over.total"]


def test_xlsx_has_the_sums_in_the_national_layout(five_hundred, tmp_path):
    fid, reports, paths, s = five_hundred
    expected = independent_sums(fid, reports)
    out = write(s, tmp_path / "汇总.xlsx")
    wb = openpyxl.load_workbook(out)
    fmt = load_format(fid)
    for sec in fmt.sections:
        if sec.id not in fmt.tables:
            continue
        table = fmt.tables[sec.id]
        ws = wb[xlsx_sheet_name(sec.heading)]
        merged = {str(m) for m in ws.merged_cells.ranges}
        for g in table.grid:
            c = ws.cell(XLSX_TOP + g.r, 1 + g.c)
            if g.cell:
                want = expected[g.cell]
                assert Decimal(str(c.value)) == want if isinstance(want, Decimal) else c.value == want, g.cell
            else:
                assert c.value == g.text
            if g.rs > 1 or g.cs > 1:
                a = ws.cell(XLSX_TOP + g.r, 1 + g.c).coordinate
                b = ws.cell(XLSX_TOP + g.r + g.rs - 1, g.c + g.cs).coordinate
                assert f"{a}:{b}" in merged
        # a value cell's row starts with its row's label (tables with a label column)
        for cell in table.cells[:3]:
            g = next(g for g in table.grid if g.cell == cell.id)
            if table.id == "active":
                assert ws.cell(XLSX_TOP + g.r, 1).value == cell.row_label
    files = wb["文件清单"]
    assert files.max_row == 4 + 500
    assert {files.cell(r, 4).value for r in range(5, files.max_row + 1)} == {"计入"}


def test_docx_and_html_have_the_sums(five_hundred, tmp_path):
    fid, reports, paths, s = five_hundred
    expected = independent_sums(fid, reports)
    fmt = load_format(fid)
    doc = Document(write(s, tmp_path / "汇总.docx"))
    tables = [fmt.tables[sec.id] for sec in fmt.sections if sec.id in fmt.tables]
    for table, dt_ in zip(tables, doc.tables):
        for g in table.grid:
            text = dt_.cell(g.r, g.c).text
            assert text == (format_number(expected[g.cell]) if g.cell else g.text), (table.id, g)
    page = (tmp_path / "汇总.html")
    write(s, page)
    html = page.read_text(encoding="utf-8")
    cells = dict(re.findall(r'data-cell="([^"]+)"[^>]*>([^<]*)</td>', html))
    assert cells == {cid: format_number(v) for cid, v in expected.items()}
    assert html.count("<table") == 4   # three tables and the file list


# ---- a file with errors, blanks and wrong values ------------------------------------------------
@pytest.fixture
def towns(tmp_path):
    rng = random.Random(7)
    reports = random_reports(rng, "2021", 2022, 6)
    return reports, tmp_path / "towns"


def test_file_with_errors_is_summed_and_listed_with_its_findings(towns, tmp_path):
    reports, folder = towns
    bad = reports[2]
    bad.figures["requests.new.natural"] += 1          # breaks the row total and the identity
    paths = save_all(reports, folder)
    s = summarise(paths)
    e = s.entries[2]
    assert e.status == "计入（有错误）" and e.errors == 2 and not e.left_out
    rules = {f.rule for f in e.findings}
    assert {"requests.identity", "requests.row_total"} <= rules
    assert [x.errors for x in s.entries if x is not e] == [0] * 5
    assert s.figures == independent_sums("2021", reports)          # summed as published
    assert {f.rule for f in s.findings} == {"requests.identity", "requests.row_total"}
    message = next(f.message for f in e.findings if f.rule == "requests.identity")
    html = to_html(s)
    assert "计入（有错误）" in html and message in html
    wb = openpyxl.load_workbook(write(s, tmp_path / "s.xlsx"))
    rows = [[c.value for c in row] for row in wb["问题明细"].iter_rows(min_row=2)]
    assert [bad.agency_name, str(paths[2]), "错误", "requests.identity"] == rows[
        [r[5] for r in rows].index(message)][:4]
    doc = Document(write(s, tmp_path / "s.docx"))
    assert message in doc.tables[-1].cell(3, 5).text
    assert main(["summary", str(folder), "-o", str(tmp_path / "cli.html")]) == 1


def test_blank_and_invalid_cells_are_not_summed_and_marked(towns, tmp_path):
    reports, folder = towns
    reports[0].figures["active.fees.amount"] = None
    reports[1].figures["appeals.review.upheld"] = -2                 # a negative count
    reports[3].figures["active.penalty.decisions"] = Decimal("1.5")  # a fraction in a count cell
    paths = save_all(reports, folder)
    s = summarise(paths)
    names = [r.agency_name for r in reports]
    assert s.not_summed == {"active.penalty.decisions": [names[3]], "active.fees.amount": [names[0]],
                            "appeals.review.upheld": [names[1]]}
    assert s.figures["active.fees.amount"] == sum((r.figures["active.fees.amount"] for r in reports[1:]), Decimal(0))
    assert s.figures["appeals.review.upheld"] == sum(r.figures["appeals.review.upheld"] for r in reports
                                                     if r is not reports[1])
    assert type(s.figures["active.penalty.decisions"]) is int
    assert s.display("active.fees.amount").endswith(MARK)
    assert s.entries[0].not_summed == ["active.fees.amount"] and s.entries[0].errors
    html = to_html(s)
    assert f"{names[0]}空白或填写无效，未计入" in html
    ws = openpyxl.load_workbook(write(s, tmp_path / "s.xlsx"))[xlsx_sheet_name("二、主动公开政府信息情况")]
    g = next(g for g in load_format("2021").tables["active"].grid if g.cell == "active.fees.amount")
    c = ws.cell(XLSX_TOP + g.r, 1 + g.c)
    assert names[0] in c.comment.text and Decimal(str(c.value)) == s.figures["active.fees.amount"]


def test_a_cell_no_file_filled_stays_blank(tmp_path):
    r = random_report(random.Random(1), "2021", 2022, "青山镇人民政府")
    r.figures["active.fees.amount"] = None
    s = summarise([r.save(tmp_path / "a.yaml")])
    assert s.figures["active.fees.amount"] is None and s.display("active.fees.amount") == MARK


# ---- what is left out, and refused --------------------------------------------------------------
def test_mixed_formats_are_refused(tmp_path):
    rng = random.Random(3)
    a = random_report(rng, "2019", 2020, "青山镇人民政府").save(tmp_path / "a.yaml")
    b = random_report(rng, "2021", 2022, "南岳镇人民政府").save(tmp_path / "b.yaml")
    with pytest.raises(SummaryError) as e:
        summarise([a, b])
    msg = str(e.value)
    assert "不一致" in msg and "国办公开办函〔2019〕60号" in msg and "国办公开办函〔2021〕30号" in msg
    assert "a.yaml" in msg and "b.yaml" in msg and "--year" in msg and "\n" not in msg


def test_same_year_other_format_is_refused(tmp_path):
    rng = random.Random(4)
    a = random_report(rng, "2021", 2021, "青山镇人民政府").save(tmp_path / "a.yaml")
    r = random_report(rng, "2019", 2021, "南岳镇人民政府")   # a 2021 report written in the trial format
    b = r.save(tmp_path / "b.yaml")
    with pytest.raises(SummaryError, match="格式不一致"):
        summarise([a, b])


def test_cli_refuses_mixed_formats_without_traceback(tmp_path, capsys):
    rng = random.Random(5)
    random_report(rng, "2019", 2020, "青山镇人民政府").save(tmp_path / "a.yaml")
    random_report(rng, "2021", 2022, "南岳镇人民政府").save(tmp_path / "b.yaml")
    out = tmp_path / "汇总.xlsx"
    assert main(["summary", str(tmp_path), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("drafter：不能汇总") and "Traceback" not in err and not out.exists()
    # naming the year leaves the other out instead
    assert main(["summary", str(tmp_path), "-o", str(out), "--year", "2022"]) == 0
    wb = openpyxl.load_workbook(out)
    status = {r[2].value: (r[3].value, r[7].value) for r in wb["文件清单"].iter_rows(min_row=5)}
    assert status[str(tmp_path / "a.yaml")] == ("未计入", "年度为2020，不是汇总年度2022")
    assert status[str(tmp_path / "b.yaml")] == ("计入", None)


def test_unreadable_and_duplicate_files_are_left_out(towns):
    reports, folder = towns
    reports[4].agency["name"] = reports[1].agency_name.replace("人民", "人民 ").replace("镇", "镇\u3000")
    paths = save_all(reports, folder)
    junk = folder / "junk.yaml"
    junk.write_text("year: [", encoding="utf-8")
    s = summarise(paths + [junk])
    left = {e.path.name: e.left_out for e in s.left_out}
    assert set(left) == {"0004.yaml", "junk.yaml"}
    assert left["0004.yaml"].startswith("机关名称与已计入的0001.yaml相同")
    assert left["junk.yaml"].startswith("无法读取：不是有效的YAML文件")
    assert s.figures == independent_sums("2021", reports[:4] + reports[5:])
    assert "2个未计入" in s.headline()


def test_nothing_to_sum(tmp_path):
    junk = tmp_path / "junk.yaml"
    junk.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(SummaryError, match="1个文件都无法读取"):
        summarise([junk])


def test_unsupported_output_is_refused(towns, capsys):
    reports, folder = towns
    save_all(reports, folder)
    assert main(["summary", str(folder), "-o", str(folder / "s.pdf")]) == 2
    assert "请用 .docx、.xlsx 或 .html" in capsys.readouterr().err


# ---- last year's set ------------------------------------------------------------------------------
def test_missing_agencies_against_last_year(tmp_path, capsys):
    rng = random.Random(11)
    a, b, c, d = agency_names(rng, 4)
    last = [random_report(rng, "2021", 2021, n) for n in (a, b, c)]
    last[0].figures["requests.carried_forward.natural"] += 5   # this year's 上年结转 will not match
    last[0].figures["requests.total.natural"] += 5
    last[0].figures["requests.new.natural"] += 10
    compute_totals(last[0])
    prev_dir = tmp_path / "2021"
    save_all(last, prev_dir)
    (prev_dir / "old.yaml").write_text(random_report(rng, "2019", 2020, "旧镇人民政府").dumps(), encoding="utf-8")
    this = [random_report(rng, "2021", 2022, n) for n in (a, " " + b.replace("人民", "人民　"), d)]
    this[0].figures["requests.carried_over.natural"] = last[0].figures["requests.carried_forward.natural"] + 1
    paths = save_all(this, tmp_path / "2022")
    s = summarise(paths, sorted(prev_dir.glob("*.yaml")))
    assert s.missing == [c] and s.new_agencies == [d] and len(s.previous_agencies) == 3
    assert s.previous_left_out == [(str(prev_dir / "old.yaml"), "年度为2020，不是上一年度2021")]
    assert s.entries[0].previous == prev_dir / "0000.yaml"
    assert any(f.rule == "cross.carried_over" for f in s.entries[0].findings)
    text = to_html(s)
    assert f"上年度共3个单位，本年度缺报1个：{c}" in text and f"本年度新增1个：{d}" in text
    out = tmp_path / "s.xlsx"
    assert main(["summary", str(tmp_path / "2022"), "--previous-dir", str(prev_dir), "-o", str(out)]) in (0, 1)
    assert f"缺报单位（1个）：{c}" in capsys.readouterr().out
    rows = [(r[0].value, r[1].value) for r in openpyxl.load_workbook(out)["缺报单位"].iter_rows(min_row=2)]
    assert ("缺报", c) in rows and ("新增", d) in rows


def test_without_last_year_the_listing_says_so(towns):
    reports, folder = towns
    s = summarise(save_all(reports, folder))
    assert s.missing is None and "未提供上年度报告" in to_html(s)


# ---- user text reaches every output literally ----------------------------------------------------
def test_user_text_is_literal_everywhere(tmp_path):
    rng = random.Random(2)
    name = '<b>&amp; "{{ x }}" {% if %} =SUM(A1) 😀\x07镇人民政府'
    clean = name.replace("\x07", "")
    r = random_report(rng, "2021", 2022, name)
    r.figures["requests.new.natural"] += 1                     # an error, so the name shows in the findings too
    paths = save_all([r, random_report(rng, "2021", 2022, "南岳镇人民政府")], tmp_path / "t")
    title = "某县<2022>年度汇总 & {{title}}"
    s = summarise(paths, title=title)
    html = to_html(s)
    assert "<b>&amp;" not in html and "&lt;b&gt;&amp;amp; &quot;{{ x }}&quot; {% if %} =SUM(A1) 😀镇人民政府" in html
    assert "&lt;2022&gt;" in html and "\x07" not in html
    wb = openpyxl.load_workbook(write(s, tmp_path / "s.xlsx"))
    files = wb["文件清单"]
    assert files.cell(1, 1).value == title and files.cell(5, 2).value == clean
    assert files.cell(5, 2).data_type == "s"
    assert wb["问题明细"].cell(2, 1).value == clean
    doc = Document(write(s, tmp_path / "s.docx"))
    assert doc.paragraphs[0].text == title
    assert doc.tables[-1].cell(1, 1).text == clean
