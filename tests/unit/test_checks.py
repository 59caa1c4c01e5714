"""Every rule of validators/*.yaml: a passing and a failing case each."""
import datetime as dt
from decimal import Decimal

import pytest
from gen import zero_report

from drafter.checks import blocking, by_cell, check, compute_totals, confirm, derived_cells, errors, load_rules
from drafter.report import Report

FIDS = ("2019", "2021")
REQ_COLS = ["natural", "commercial", "research", "nonprofit", "legal_service", "other_org"]


def rules_of(findings, rule):
    return [f for f in findings if f.rule == rule]


def consistent_requests(r: Report):
    """3 natural, 1 commercial applications; 2 granted, 1 not held, 1 carried forward."""
    f = r.figures
    f["requests.new.natural"], f["requests.new.commercial"] = 3, 1
    f["requests.granted.natural"] = 2
    f["requests.unable.not_held.commercial"] = 1
    f["requests.carried_forward.natural"] = 1
    compute_totals(r)
    return r


@pytest.mark.parametrize("fid", FIDS)
def test_zero_report_is_clean(fid):
    assert check(zero_report(fid)) == []


@pytest.mark.parametrize("fid", FIDS)
def test_consistent_report_is_clean(fid):
    r = consistent_requests(zero_report(fid))
    assert r.figures["requests.total.total"] == 3 and r.figures["requests.new.total"] == 4
    assert check(r) == []


# rule 1: kinds
@pytest.mark.parametrize("fid,cid,value,ok", [
    ("2021", "requests.new.natural", 3, True),
    ("2021", "requests.new.natural", -1, False),
    ("2021", "requests.new.natural", Decimal("1.5"), False),
    ("2021", "active.fees.amount", Decimal("1.25"), True),
    ("2021", "active.fees.amount", 2, True),
    ("2021", "active.fees.amount", Decimal("-0.5"), False),
    ("2019", "active.penalty.change", -8, True),
    ("2019", "active.penalty.change", Decimal("0.5"), False),
    ("2019", "active.penalty.prev_items", -8, False),
    ("2019", "active.procurement.amount", Decimal("50.920543"), True),
])
def test_value_kind(fid, cid, value, ok):
    r = zero_report(fid)
    r.figures[cid] = value
    compute_totals(r)
    found = rules_of(check(r), "value.kind")
    assert (found == []) == ok
    if not ok:
        assert found[0].cells == (cid,) and found[0].severity == "error"


def test_missing_is_a_finding_never_zero():
    r = zero_report()
    r.figures["requests.new.commercial"] = None
    r.figures["requests.new.research"] = None
    found = rules_of(check(r), "value.missing")
    assert len(found) == 1
    assert found[0].cells == ("requests.new.commercial", "requests.new.research")
    assert found[0].message.startswith("一") and "商业企业、科研机构未填写" in found[0].message
    r = Report.new(2021, "青山镇人民政府")
    assert len(rules_of(check(r), "value.missing")) == len(set(c.row + c.table for c in r.fmt.cells.values()))


def test_blank_columns_and_rows_said_once_per_table():
    # a county department fills only 自然人 and 总计, leaving the other columns blank for 0
    r = zero_report()
    req = r.fmt.tables["requests"]
    others = [c.id for c in req.cells if c.col not in ("natural", "total")]
    for cid in others:
        r.figures[cid] = None
    found = rules_of(check(r), "value.missing")
    (f,) = found
    assert f.severity == "error" and f.section == "requests" and sorted(f.cells) == sorted(others)
    assert f.message == "三、收到和处理政府信息公开申请情况：法人或其他组织各列空白（没有发生的请填0）"
    # one column of the group blank: named by itself; a wholly blank row joins the same finding
    r = zero_report()
    for c in req.cells:
        if c.col == "research" or c.row == "carried_forward":
            r.figures[c.id] = None
    (f,) = rules_of(check(r), "value.missing")
    assert "科研机构列" in f.message and "四、结转下年度继续办理行" in f.message
    assert len(f.cells) == len({c.id for c in req.cells if c.col == "research" or c.row == "carried_forward"})
    # all rows of a group blank: the group named once
    r2 = zero_report()
    for c in req.cells:
        if c.row.startswith("rejected.") or c.row == "total":
            r2.figures[c.id] = None
    (f2,) = rules_of(check(r2), "value.missing")
    assert f2.message == "三、收到和处理政府信息公开申请情况：（五）不予处理各行、（七）总计行空白（没有发生的请填0）"
    # a cell or two of a row: said for the row, as before
    r.figures["requests.new.natural"] = None
    found = rules_of(check(r), "value.missing")
    assert len(found) == 2 and found[1].cells == ("requests.new.natural",) and "自然人未填写" in found[1].message


# rule 2
def test_row_total():
    r = consistent_requests(zero_report())
    r.figures["requests.new.total"] = 5
    found = rules_of(check(r), "requests.row_total")
    assert [f.cells[0] for f in found] == ["requests.new.total"]
    assert found[0].message == "一行：总计=5，各类申请人之和=4，相差1"


# rule 3
def test_column_total():
    r = consistent_requests(zero_report())
    r.figures["requests.granted.natural"] = 1    # results 1 + 0 ... while total row says 2
    found = rules_of(check(r), "requests.column_total")
    assert [f.cells[0] for f in found] == ["requests.total.natural"]
    assert found[0].message == "自然人列：三（七）总计=2，各项办理结果之和=1，相差1"
    assert "requests.granted.natural" in found[0].cells


def test_column_total_2021_counts_other_subrows():
    r = zero_report("2021")
    r.figures["requests.new.natural"] = 1
    r.figures["requests.other.unpaid_fee.natural"] = 1
    compute_totals(r)
    assert r.figures["requests.total.natural"] == 1
    assert check(r) == []


# rule 4
def test_identity_message_states_both_sides():
    r = consistent_requests(zero_report())
    r.figures["requests.carried_forward.natural"] = 0
    compute_totals(r)
    found = rules_of(check(r), "requests.identity")
    assert {f.message for f in found} == {"自然人列：一+二=3，三（七）+四=2，相差1", "总计列：一+二=4，三（七）+四=3，相差1"}
    assert set(found[0].cells) == {"requests.new.natural", "requests.carried_over.natural",
                                   "requests.total.natural", "requests.carried_forward.natural"}


# rule 5
@pytest.mark.parametrize("fid", FIDS)
def test_appeals_total(fid):
    r = zero_report(fid)
    r.figures["appeals.review.upheld"] = 1
    r.figures["appeals.review.corrected"] = 1
    found = rules_of(check(r), "appeals.total")
    assert [f.cells[0] for f in found] == ["appeals.review.total"]
    assert found[0].message.startswith("行政复议：总计=0") and found[0].message.endswith("相差2")
    compute_totals(r)
    assert r.figures["appeals.review.total"] == 2 and rules_of(check(r), "appeals.total") == []


# agency and date
def test_agency_name_and_date():
    r = zero_report()
    r.agency["name"] = " "
    r.signed_on = None
    found = check(r)
    assert {"agency.name", "agency.signed_on"} <= {f.rule for f in found}
    # no date: a warning (published pages omit it) that still blocks a final document, and cannot be confirmed
    date = rules_of(found, "agency.signed_on")[0]
    assert date.severity == "warning" and date in blocking(found, r.format)
    with pytest.raises(ValueError):
        confirm(r, date, "不需要")
    r = zero_report()
    r.signed_on = dt.date(2021, 12, 31)
    found = rules_of(check(r), "agency.signed_year")
    assert found and found[0].severity == "warning" and "2021年12月31日" in found[0].message
    r.signed_on = dt.date(2022, 1, 5)
    assert rules_of(check(r), "agency.signed_year") == []


# rule 6
@pytest.mark.parametrize("prev_fid", FIDS)
def test_carried_over_against_last_year(prev_fid):
    prev = zero_report(prev_fid)
    prev.year = 2020 if prev_fid == "2019" else 2021
    prev.figures["requests.carried_forward.natural"] = 2
    compute_totals(prev)
    r = zero_report("2021")
    r.year = prev.year + 1
    r.signed_on = dt.date(r.year + 1, 1, 20)
    found = rules_of(check(r, prev), "cross.carried_over")
    assert [f.cells for f in found] == [("requests.carried_over.natural",), ("requests.carried_over.total",)]
    assert found[0].severity == "warning"
    assert found[0].message == "自然人列：二、上年结转=0，上年报告的四、结转下年度继续办理=2，相差2"
    r.figures["requests.carried_over.natural"] = 2
    r.figures["requests.granted.natural"] = 2
    compute_totals(r)
    assert check(r, prev) == []
    assert rules_of(check(r), "cross.carried_over") == []      # no previous: no cross-year rule


# rule 7
def test_in_force_2021_to_2021():
    prev = zero_report("2021")
    prev.figures["active.normative.in_force"] = 10
    r = zero_report("2021")
    r.year, r.signed_on = 2022, dt.date(2023, 1, 10)
    r.figures["active.normative.issued"] = 3
    r.figures["active.normative.repealed"] = 1
    r.figures["active.normative.in_force"] = 11
    found = rules_of(check(r, prev), "cross.in_force")
    assert [f.cells for f in found] == [("active.normative.in_force",)]
    assert "现行有效件数=11" in found[0].message and "=12" in found[0].message
    r.figures["active.normative.in_force"] = 12
    assert rules_of(check(r, prev), "cross.in_force") == []
    prev19 = zero_report("2019")
    assert rules_of(check(r, prev19), "cross.in_force") == []   # no link between 2020 and 2021 counts


# rule 8
def test_prev_items_2019_to_2019():
    prev = zero_report("2019")
    prev.year = 2019
    prev.figures["active.penalty.prev_items"] = 38
    prev.figures["active.penalty.change"] = -8
    r = zero_report("2019")
    r.figures["active.penalty.prev_items"] = 38
    found = rules_of(check(r, prev), "cross.prev_items")
    assert [f.cells for f in found] == [("active.penalty.prev_items",)]
    assert "=30" in found[0].message and "相差8" in found[0].message
    r.figures["active.penalty.prev_items"] = 30
    assert rules_of(check(r, prev), "cross.prev_items") == []


# rule 9
@pytest.mark.parametrize("fid", FIDS)
def test_township_rules(fid):
    r = zero_report(fid)
    cid = next(c for c in r.fmt.cells if c.startswith("active.rules."))
    r.figures[cid] = 1
    found = rules_of(check(r), "township.rules")
    assert found and found[0].severity == "warning" and found[0].cells == (cid,)
    r.agency["level"] = "county"
    assert rules_of(check(r), "township.rules") == []


def test_confirmed_warning_is_kept_and_marked():
    r = zero_report()
    r.figures["active.rules.issued"] = 1
    w = rules_of(check(r), "township.rules")[0]
    confirm(r, w, "经核实为上级转发")
    again = rules_of(check(r), "township.rules")[0]
    assert again.confirmed == "经核实为上级转发"
    with pytest.raises(ValueError):
        confirm(r, next(iter(check(Report.new(2021, "")))), "x")


def test_errors_sort_first_and_by_cell():
    r = zero_report()
    r.figures["active.rules.issued"] = 1
    r.figures["requests.new.total"] = 9
    found = check(r)
    assert [(f.severity, f.rule) for f in found] == [("error", "requests.row_total"), ("error", "requests.identity"),
                                                      ("warning", "township.rules")]
    assert [f.rule for f in errors(found)] == ["requests.row_total", "requests.identity"]
    assert {f.rule for f in by_cell(found)["requests.new.total"]} == {"requests.row_total", "requests.identity"}
    assert "requests.new.natural" in by_cell(found) and "active.fees.amount" not in by_cell(found)


def test_totals_derived_from_the_sum_rules():
    for fid in FIDS:
        d = derived_cells(fid)
        assert "requests.total.total" in d and "requests.new.total" in d and "appeals.review.total" in d
        assert "requests.new.natural" not in d
        rules = load_rules(fid)["rules"]
        assert {r["id"] for r in rules} >= {"requests.row_total", "requests.column_total", "requests.identity",
                                            "appeals.total", "value.kind", "value.missing"}


def test_compute_totals_leaves_blank_rows_blank():
    r = Report.new(2021, "x")
    r.figures["requests.new.natural"] = 2
    changed = compute_totals(r)
    assert changed["requests.new.total"] == 2
    assert r.figures["requests.carried_over.total"] is None
