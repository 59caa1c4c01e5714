"""The quick paths a province's batch takes give the answers of the general ones.

A complete report (every cell a figure) is judged a cell kind at a time and its lines summed without a look at each
value (drafter.checks); compared here with the general path on the same input: a report with one blank cell takes the
general path of the checker. A file as drafter writes it is read without YAML: tests/unit/test_quickread.py.
"""
from __future__ import annotations

import copy
import random
from decimal import Decimal

import pytest
from gen import random_report

from drafter.checks import check
from drafter.report import ReportError, loads

BAD = [
    ("requests.new.natural", -1),            # a count below 0
    ("requests.new.natural", Decimal("1.5")),  # a fraction in a count
    ("requests.new.natural", 10**12),        # beyond the count's range
    ("active.fees.amount", Decimal("1.1234567")),   # more decimal places than an amount has
    ("active.fees.amount", Decimal("-2")),   # a negative amount
    ("requests.new.natural", True),          # not a figure
]


def _as_general(report, blank_cell: str):
    """The same report with one more cell blank: not complete, so checked cell by cell and line by line."""
    r = copy.deepcopy(report)
    r.figures[blank_cell] = None
    return r


def _key(findings, skip: str):
    return sorted((f.rule, f.cells, f.message) for f in findings if skip not in f.cells and f.rule != "value.missing")


@pytest.mark.parametrize("cid,value", BAD, ids=[f"{c}={v!r}" for c, v in BAD])
def test_a_complete_report_is_judged_as_cell_by_cell(cid, value):
    r = random_report(random.Random(7), "2021", 2022)
    r.figures[cid] = value
    quick = check(r)
    assert any(cid in f.cells and f.severity == "error" for f in quick), [f.message for f in quick]
    # far from the bad cell and from every sum through it: appeals' last cell
    other = "appeals.litigation_after_review.total" if "appeals.litigation_after_review.total" in r.figures \
        else next(c for c in r.figures if c.startswith("appeals."))
    general = check(_as_general(r, other))
    assert _key(quick, other) == _key(general, other)


def test_sums_and_identity_found_on_the_quick_path():
    r = random_report(random.Random(8), "2021", 2022)
    r.figures["requests.granted.natural"] += 1              # its row total and 三（七）总计 now disagree
    r.figures["requests.new.natural"] += 1                  # and 一+二 = 三（七）+四
    rules = {f.rule for f in check(r)}
    assert {"requests.row_total", "requests.column_total", "requests.identity"} <= rules
    other = next(c for c in r.figures if c.startswith("appeals."))
    assert _key(check(r), other) == _key(check(_as_general(r, other)), other)


def test_a_key_written_twice_is_said_with_both_lines():
    r = random_report(random.Random(3), "2021", 2022)
    text = r.dumps().replace("  requests.new.natural:", "  requests.new.natural: 1\n  requests.new.natural:", 1)
    with pytest.raises(ReportError) as e:
        loads(text)
    assert "写了两次" in e.value.detail


def test_last_years_folder_read_on_every_core_pairs_as_read_one_by_one(tmp_path):
    from gen import random_reports

    from drafter.summary.batch import POOL_FROM, index_previous

    paths = []
    for i, r in enumerate(random_reports(random.Random(5), "2021", 2021, POOL_FROM + 12)):
        p = tmp_path / f"{i:03d}.yaml"
        p.write_text(r.dumps(), encoding="utf-8")
        paths.append(p)
    paths[3].write_text("year: [\n", encoding="utf-8")                    # broken: one result, the rest go on
    paths[7].write_text(paths[8].read_text(encoding="utf-8"), encoding="utf-8")   # the same agency twice
    pooled, pooled_out = index_previous(paths, 2021, jobs=2)
    serial, serial_out = index_previous(paths, 2021, jobs=1)
    assert pooled.keys() == serial.keys() and len(pooled) == len(paths) - 2
    assert all(pooled[k].figures == serial[k].figures for k in serial)
    assert pooled_out == serial_out and [p for p, _ in pooled_out] == [str(paths[3]), str(paths[8])]
    assert "YAML" in pooled_out[0][1]


def test_normalise_skips_its_regex_only_for_text_without_spaces():
    """normalise() returns a printable text without ' ' as it is: every other character its pattern removes is
    not printable."""
    from drafter.narrative.text import _SPACE, normalise
    assert not [hex(c) for c in range(0x110000) if chr(c) != " " and chr(c).isprintable() and _SPACE.fullmatch(chr(c))]
    assert normalise("２０２０ 年\u3000共\u00a0收到") == "2020年共收到"


@pytest.mark.parametrize("seed", range(6))
def test_stray_years_skip_only_paragraphs_whose_numbers_are_the_year(seed, monkeypatch):
    from drafter.narrative import kinds
    rng = random.Random(seed)
    bits = ["2021年", "2020年", "2022年", "2019年", "12021年", "20212年", "2021年1月1日至2021年12月31日", "至2022年12月31日",
            "我镇", "共", "，", "。", "《2019年工作要点》", "１９９９年", "12345件", "2021", "本机关", "全年"]
    paras = ["".join(rng.choice(bits) for _ in range(rng.randrange(1, 12))) for _ in range(300)]
    quick = [kinds.stray_years(p, 2021) for p in paras]

    class Never:
        def findall(self, s):
            return ["never the year"]
    monkeypatch.setattr(kinds, "_RUN4", Never())
    assert quick == [kinds.stray_years(p, 2021) for p in paras]
    assert any(quick)


@pytest.mark.parametrize("seed", range(6))
def test_a_total_counts_only_when_every_cell_behind_it_is_a_figure(seed):
    """_table_value reads a total's leaf cells once: the same as following its parts down, cell by cell."""
    from drafter.narrative.reader import _table_value
    from drafter.rules import sum_plan
    rng = random.Random(seed)
    r = random_report(rng, "2021", 2022)
    parts = dict(sum_plan("2021"))
    for cid in rng.sample(sorted(r.figures), 6):
        r.figures[cid] = rng.choice([None, True, Decimal("1.5"), "x"])

    def given(cid):                     # the definition, followed down part by part
        if cid in parts:
            return all(given(p) for p in parts[cid])
        return type(r.figures.get(cid)) is int

    for cid in r.figures:
        for ids in ([cid], [cid, "requests.new.total"]):
            v = _table_value("2021", r.figures, ids)
            ok = all(given(i) and type(r.figures.get(i)) is int for i in ids)
            assert v == (sum(r.figures[i] for i in ids) if ok else None), (ids, v)
