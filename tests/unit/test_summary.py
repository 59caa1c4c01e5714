"""drafter summary: many reports summed, each file's findings, the files left out, the agencies missing."""
import dataclasses
import os
import random
import re
import time
from decimal import Decimal

import openpyxl
import pytest
from docx import Document
from gen import agency_names, random_report, random_reports
from pages import page_texts

from drafter.checks import compute_totals
from drafter.cli import main
from drafter.formats import load_format
from drafter.numbers import format_number
from drafter.summary import (
    MARK,
    XLSX_TOP,
    Entry,
    SummaryError,
    batch,
    sum_figures,
    summarise,
    to_html,
    write,
    xlsx_sheet_name,
)

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
    assert len(doc.tables) == 4       # three tables and the file list
    for table, dt_ in zip(tables, doc.tables[:3], strict=True):
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
    assert main(["summary", str(folder), "-o", str(folder / "s.html"), "--jobs", "0"]) == 2
    assert "--jobs 应为正整数" in capsys.readouterr().err and not (folder / "s.html").exists()


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
    name = '<b>&amp; "{{ x }}" {% if %} =SUM(A1) 😀镇人民政府'
    r = random_report(rng, "2021", 2022, name)
    r.figures["requests.new.natural"] += 1                     # an error, so the name shows in the findings too
    folder = tmp_path / "t"
    folder.mkdir()
    odd = r.save(folder / "坏\x1b[2J<i>.yaml")                 # a file name with an escape sequence and markup
    paths = [odd, random_report(rng, "2021", 2022, "南岳镇人民政府").save(folder / "b.yaml")]
    typed = "某县<2022>年度\x07汇总 & {{title}}"
    title = typed.replace("\x07", "")
    s = summarise(paths, title=typed)
    html = to_html(s)
    assert "<b>" not in html and "<2022>" not in html and "<i>" not in html
    assert "\x07" not in html and "\x1b" not in html
    texts = page_texts(html)                        # what a browser shows: the typed text, literally
    assert name in texts["td"] and texts["title"] == [title] and texts["h1"] == [title]
    assert str(odd).replace("\x1b", "") in texts["td"]
    wb = openpyxl.load_workbook(write(s, tmp_path / "s.xlsx"))
    files = wb["文件清单"]
    assert files.cell(1, 1).value == title and files.cell(5, 2).value == name
    assert files.cell(5, 2).data_type == "s"
    assert wb["问题明细"].cell(2, 1).value == name
    doc = Document(write(s, tmp_path / "s.docx"))
    assert doc.paragraphs[0].text == title
    assert doc.tables[-1].cell(1, 1).text == name


# ---- many files on every core --------------------------------------------------------------------
def _entry_view(e):
    return (e.path, e.agency, e.year, e.format, e.left_out, e.findings, e.not_summed, e.previous, e.values)


def test_the_pool_gives_what_one_process_gives(tmp_path):
    rng = random.Random(21)
    names = agency_names(rng, 70)
    last = [random_report(rng, "2021", 2021, n) for n in names[:40]]
    prev = save_all(last, tmp_path / "2021")
    this = [random_report(rng, "2021", 2022, n) for n in names[10:]]
    this[3].figures["requests.new.natural"] += 1                      # errors
    this[5].figures["active.fees.amount"] = None                      # a blank
    this[6].figures["appeals.review.upheld"] = -1                     # an invalid value
    this[7].figures["requests.carried_over.natural"] += 3             # against last year: a cross-year finding
    this[8].agency["name"] = this[9].agency_name                      # a second file of one agency
    paths = save_all(this, tmp_path / "2022")
    (tmp_path / "2022" / "junk.yaml").write_text("year: [", encoding="utf-8")
    paths.insert(30, tmp_path / "2022" / "junk.yaml")
    assert len(paths) > batch.POOL_FROM
    one = summarise(paths, prev, jobs=1)
    two = summarise(paths, prev, jobs=2)
    assert [_entry_view(e) for e in two.entries] == [_entry_view(e) for e in one.entries]
    assert (two.figures, two.not_summed, two.findings) == (one.figures, one.not_summed, one.findings)
    assert (two.missing, two.new_agencies, two.previous_agencies) == (one.missing, one.new_agencies,
                                                                      one.previous_agencies)
    assert len(two.left_out) == 2 and len(two.with_errors) >= 2
    assert any(f.rule == "cross.carried_over" for f in two.entries[7].findings)
    assert two.entries[7].previous == tmp_path / "2021" / "0017.yaml"
    counted = [r for i, r in enumerate(this) if i != 9]              # the second file of an agency is left out
    this[5].figures["active.fees.amount"] = Decimal(0)                 # blank and invalid values add nothing
    this[6].figures["appeals.review.upheld"] = 0
    assert two.figures == independent_sums("2021", counted)
    assert two.not_summed == {"active.fees.amount": [this[5].agency_name],
                              "appeals.review.upheld": [this[6].agency_name]}


def test_one_bad_file_is_one_left_out_entry_and_the_batch_goes_on(tmp_path, monkeypatch):
    reports = random_reports(random.Random(22), "2021", 2022, 60)
    paths = save_all(reports, tmp_path / "t")
    real_load = batch.load

    def load(path):
        if path.name == "0013.yaml":
            raise RuntimeError("a bug in the loader")
        if path.name == "0031.yaml":
            raise MemoryError
        return real_load(path)

    monkeypatch.setattr(batch, "load", load)          # the forked workers inherit it
    s = summarise(paths, jobs=2)
    left = {e.path.name: e.left_out for e in s.left_out}
    assert left == {"0013.yaml": "无法读取：程序内部错误（RuntimeError），请把这个文件交给维护人员查看",
                    "0031.yaml": "无法读取：文件过大或嵌套过深"}
    assert len(s.included) == 58
    assert s.figures == independent_sums("2021", reports[:13] + reports[14:31] + reports[32:])


def _die_on_seven(chunk):
    if 7 in chunk:
        os._exit(3)                                    # the worker process dies, as on a crash or the OOM killer
    return [x * 2 for x in chunk]


def test_a_file_that_kills_its_worker_is_left_out_alone():
    items = list(range(100))
    got = batch.run_chunked(_die_on_seven, items, 2, lambda x: f"crashed {x}")
    assert got == [f"crashed {x}" if x == 7 else x * 2 for x in items]


def test_summing_many_files_costs_little_beyond_reading_them(tmp_path):
    """The sums over 500 files take a small share of reading and checking them."""
    reports = random_reports(random.Random(23), "2021", 2022, 500)
    paths = save_all(reports, tmp_path / "t")
    entries = batch.read_entries([(p, None) for p in paths], jobs=1)
    t0 = time.perf_counter()
    figures, not_summed = sum_figures(load_format("2021"), entries)
    t_sum = time.perf_counter() - t0
    assert figures == independent_sums("2021", reports) and not_summed == {}
    assert t_sum < 0.25, t_sum


# ---- the output file ------------------------------------------------------------------------------
def test_cli_overwrites_an_existing_output_only_with_force(towns, capsys):
    reports, folder = towns
    save_all(reports, folder)
    out = folder.parent / "汇总.xlsx"
    assert main(["summary", str(folder), "-o", str(out)]) == 0
    before = out.read_bytes()
    capsys.readouterr()
    assert main(["summary", str(folder), "-o", str(out), "--title", "另一个标题"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("drafter：") and "已存在" in err and "--force" in err and "Traceback" not in err
    assert out.read_bytes() == before
    assert main(["summary", str(folder), "-o", str(out), "--title", "另一个标题", "--force"]) == 0
    assert openpyxl.load_workbook(out)["文件清单"].cell(1, 1).value == "另一个标题"


def test_cli_never_writes_over_an_input(towns, tmp_path, capsys):
    reports, folder = towns
    paths = save_all(reports, folder)
    disguised = folder.parent / "汇总.html"                 # a report file that happens to end in .html
    disguised.write_bytes(paths[0].read_bytes())
    before = disguised.read_bytes()
    assert main(["summary", str(folder), str(disguised), "-o", str(disguised), "--force"]) == 2
    err = capsys.readouterr().err
    assert "是要读取的报告文件之一" in err and disguised.read_bytes() == before
    prev = tmp_path / "prev"
    save_all(random_reports(random.Random(24), "2021", 2021, 2), prev)
    (prev / "x.html").write_bytes(before)
    assert main(["summary", str(folder), "--previous-dir", str(prev), "-o", str(prev / "0000.yaml.html")]) == 0
    link = prev / "link.docx"
    try:
        link.symlink_to(prev / "0001.yaml")
    except OSError:                                      # no symlinks here: the name alone is tested above
        return
    before = (prev / "0001.yaml").read_bytes()
    assert main(["summary", str(folder), "--previous-dir", str(prev), "-o", str(link), "--force"]) == 2
    assert "是要读取的报告文件之一" in capsys.readouterr().err and (prev / "0001.yaml").read_bytes() == before


def test_cli_lists_what_the_folder_scan_left_out(towns, capsys):
    reports, folder = towns
    paths = save_all(reports, folder)
    hidden = folder / ".备份.yaml"
    hidden.write_bytes(paths[0].read_bytes())
    out = folder.parent / "s.xlsx"
    assert main(["summary", str(folder), "-o", str(out)]) == 0
    assert f"未计入  {hidden}：隐藏文件" in capsys.readouterr().out
    rows = {r[2].value: (r[3].value, r[7].value) for r in openpyxl.load_workbook(out)["文件清单"].iter_rows(min_row=5)}
    assert rows[str(hidden)][0] == "未计入" and rows[str(hidden)][1].startswith("隐藏文件")
    assert len(rows) == len(reports) + 1


def test_writers_take_thousands_of_files_in_linear_time(towns, tmp_path):
    """A province's file list: each writer's cost grows with the number of files, not with its square."""
    reports, folder = towns
    s = summarise(save_all(reports, folder))
    n = 4000
    s = dataclasses.replace(s, entries=[Entry(folder / f"{i:05}.yaml", f"第{i}镇人民政府", 2022, "2021")
                                        for i in range(n)])
    times = {}
    for suffix in (".html", ".xlsx", ".docx"):
        t0 = time.process_time()
        write(s, tmp_path / f"many{suffix}")
        times[suffix] = time.process_time() - t0
    assert max(times.values()) < 8, times           # the quadratic writers took 17 s (xlsx) and 50 s (docx)
    assert len(Document(tmp_path / "many.docx").tables[-1].rows) == n + 1
    assert openpyxl.load_workbook(tmp_path / "many.xlsx")["文件清单"].max_row == 4 + n
    assert (tmp_path / "many.html").read_text(encoding="utf-8").count("<tr") == n + 1 + sum(
        t.n_rows for t in load_format("2021").tables.values())
