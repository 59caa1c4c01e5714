"""The format data against FORMAT.md §2: ids, labels, spans."""
import re
from pathlib import Path

import pytest

from drafter.formats import FORMAT_IDS, UnknownFormat, format_for_year, load_format

FORMAT_MD = Path(__file__).resolve().parents[2] / "docs" / "FORMAT.md"

REQUEST_COLS = ["natural", "commercial", "research", "nonprofit", "legal_service", "other_org", "total"]


def grid_text(table):
    return {(g.r, g.c): g for g in table.grid}


@pytest.mark.parametrize("fid,year", [("2019", 2019), ("2019", 2020), ("2021", 2021), ("2021", 2030)])
def test_format_for_year(fid, year):
    assert format_for_year(year) == fid


def test_no_format_before_2019():
    with pytest.raises(UnknownFormat):
        format_for_year(2018)


@pytest.mark.parametrize("fid", FORMAT_IDS)
def test_grid_covers_every_position_once(fid):
    for t in load_format(fid).tables.values():
        seen = {}
        for g in t.grid:
            for r in range(g.r, g.r + g.rs):
                for c in range(g.c, g.c + g.cs):
                    assert (r, c) not in seen, (t.id, r, c, g, seen[(r, c)])
                    seen[(r, c)] = g
        assert len(seen) == t.n_rows * t.n_cols, t.id
        ids = [g.cell for g in t.grid if g.cell]
        assert ids == [c.id for c in t.cells] and len(set(ids)) == len(ids)


@pytest.mark.parametrize("fid,rows", [("2019", 23), ("2021", 25)])
def test_requests_shape(fid, rows):
    t = load_format(fid).tables["requests"]
    assert t.n_cols == 10 and t.header_rows == 3 and t.n_rows == 3 + rows
    assert t.col_ids == REQUEST_COLS
    assert len(t.row_ids) == rows and len(t.cells) == rows * 7
    g = grid_text(t)
    assert g[(0, 0)].text.startswith("（本列数据的勾稽关系为") and (g[(0, 0)].rs, g[(0, 0)].cs) == (3, 3)
    assert (g[(0, 3)].text, g[(0, 3)].cs) == ("申请人情况", 7)
    assert (g[(1, 3)].text, g[(1, 3)].rs) == ("自然人", 2)
    assert (g[(1, 4)].text, g[(1, 4)].cs) == ("法人或其他组织", 5)
    assert (g[(1, 9)].text, g[(1, 9)].rs) == ("总计", 2)
    results = g[(5, 0)]
    assert results.text == "三、本年度办理结果" and results.rs == (20 if fid == "2019" else 22)
    assert g[(3, 0)].cs == 3 and g[(3, 0)].text == "一、本年新收政府信息公开申请数量"
    denied = next(x for x in t.grid if x.text == "（三）不予公开")
    assert denied.rs == 8 and denied.c == 1


def test_requests_2021_other_rows():
    t = load_format("2021").tables["requests"]
    assert [r for r in t.row_ids if r.startswith("other")] == ["other.no_correction", "other.unpaid_fee", "other.other"]
    assert "requests.other.natural" in load_format("2019").cells


@pytest.mark.parametrize("fid", FORMAT_IDS)
def test_appeals_shape(fid):
    t = load_format(fid).tables["appeals"]
    assert (t.n_rows, t.n_cols, len(t.cells)) == (4, 15, 15)
    g = grid_text(t)
    assert (g[(0, 0)].text, g[(0, 0)].cs) == ("行政复议", 5)
    assert (g[(0, 5)].text, g[(0, 5)].cs) == ("行政诉讼", 10)
    assert (g[(1, 0)].text, g[(1, 0)].rs) == ("结果维持", 2)
    assert (g[(1, 5)].text, g[(1, 5)].cs) == ("未经复议直接起诉", 5)
    assert [g[(2, c)].text for c in range(5, 10)] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert [c.id for c in t.cells][:5] == [f"appeals.review.{k}" for k in ("upheld", "corrected", "other", "pending", "total")]
    assert t.cells[-1].id == "appeals.litigation_after_review.total"


def test_active_2021():
    t = load_format("2021").tables["active"]
    assert (t.n_rows, t.n_cols) == (14, 4)
    g = grid_text(t)
    assert (g[(0, 0)].text, g[(0, 0)].cs) == ("第二十条第（一）项", 4)
    assert [g[(1, c)].text for c in range(4)] == ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    assert (g[(5, 1)].text, g[(5, 1)].cs) == ("本年处理决定数量", 3)
    assert g[(13, 0)].text == "行政事业性收费" and g[(13, 1)].cell == "active.fees.amount"
    assert load_format("2021").cells["active.fees.amount"].kind == "amount"


def test_active_2019():
    f = load_format("2019")
    t = f.tables["active"]
    assert (t.n_rows, t.n_cols) == (18, 7)
    g = grid_text(t)
    assert [(g[(1, c)].text, g[(1, c)].cs) for c in (0, 1, 3, 5)] == [
        ("信息内容", 1), ("本年新制作数量", 2), ("本年新公开数量", 2), ("对外公开总数量", 2)]
    fees = next(x for x in t.grid if x.cell == "active.fees.prev_items")
    assert fees.cs == 3
    assert f.cells["active.penalty.change"].kind == "signed"
    assert f.cells["active.procurement.amount"].kind == "amount"
    assert f.cells["active.procurement.projects"].kind == "count"


def test_ids_listed_in_format_md_exist():
    """Every id FORMAT.md spells out in full exists in one of the formats."""
    ids = set(re.findall(r"`((?:active|requests|appeals)\.[a-z_.]+)`", FORMAT_MD.read_text(encoding="utf-8")))
    known = set(load_format("2019").cells) | set(load_format("2021").cells)
    full = {i for i in ids if i.count(".") >= 2 and not i.endswith(".")}
    assert full and full <= known, full - known


def test_labels_are_written_once_in_the_data():
    """The label trees reuse anchors: the 5 outcome labels appear once per format file."""
    for fid in FORMAT_IDS:
        text = (Path(__file__).resolve().parents[2] / "drafter" / "formats" / f"{fid}.yaml").read_text(encoding="utf-8")
        assert text.count("结果维持") == 1
        assert text.count("本年处理决定数量") <= 1
