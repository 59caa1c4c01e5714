"""Snapshots of every screen of the TUI at 100×30 and 160×45 (pytest-textual-snapshot).

The report is built here, deterministically (no clock, no random, a fixed file name), so the pictures change only
when the UI does. Update with: pytest tests/functional/test_tui_snapshots.py --snapshot-update
"""
import datetime as dt

import pytest

from drafter.checks import compute_totals, derived_cells
from drafter.report import Report
from drafter.tui.app import DrafterApp

SIZES = [(100, 30), (160, 45)]
SECTIONS = ["agency", "overview", "active", "requests", "appeals", "problems", "review"]


def build(tmp_path):
    last = Report.new(2021, "青山镇人民政府")
    for i, cid in enumerate(last.figures):
        last.figures[cid] = i % 3
    compute_totals(last)
    r = Report.new(2022, "青山镇人民政府")
    r.signed_on = dt.date(2023, 1, 20)
    derived = derived_cells(r.format)
    for i, cid in enumerate(r.figures):
        if cid not in derived and not cid.startswith("requests.rejected"):
            r.figures[cid] = (i * 7) % 5
    r.figures["active.fees.amount"] = __import__("decimal").Decimal("3.65")
    compute_totals(r)
    r.figures["requests.new.natural"] = 9             # breaks the identity of the natural column
    compute_totals(r)
    r.text["overview"][0]["body"] = "全年主动公开政府信息386条。\n全年制发行政规范性文件3件。"
    r.text["problems"] = "一是公开栏目更新不够及时；二是政策解读形式单一。\n2023年将加强培训。"
    r.text["other"] = "本年度未收取信息处理费。"
    r.extra["previous"] = {"year": 2021, "format": "2021", "agency": dict(last.agency),
                           "figures": {k: v for k, v in last.figures.items()}, "text": {}}
    path = tmp_path / "青山镇-2022.yaml"
    r.save(path)
    return path


@pytest.mark.parametrize("size", SIZES, ids=["100x30", "160x45"])
@pytest.mark.parametrize("section", SECTIONS)
def test_screen(snap_compare, tmp_path, section, size):
    app = DrafterApp(build(tmp_path))

    async def go(pilot):
        await pilot.pause()
        if section in ("active", "requests", "appeals"):
            cell = {"active": "active.normative.in_force", "requests": "requests.new.natural",
                    "appeals": "appeals.review.total"}[section]
            app.goto(cell)
        else:
            app.show(section)
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=go)


def test_requests_scrolled(snap_compare, tmp_path):
    """Far corner of the big table at 100×30: rows and columns scrolled, labels and headers frozen."""
    app = DrafterApp(build(tmp_path), goto="requests.carried_forward.total")

    async def go(pilot):
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 30), run_before=go)


def test_typing_rejected(snap_compare, tmp_path):
    app = DrafterApp(build(tmp_path), goto="requests.granted.natural")

    async def go(pilot):
        await pilot.pause()
        await pilot.press("1", "x")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 30), run_before=go)


def test_help(snap_compare, tmp_path):
    app = DrafterApp(build(tmp_path))

    async def go(pilot):
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 30), run_before=go)


def test_previous_values_under_each_cell(snap_compare, tmp_path):
    """F7 at 100×30: last year's figure in grey under each of this year's, every column of table 三 in view."""
    app = DrafterApp(build(tmp_path), goto="requests.granted.commercial")

    async def go(pilot):
        await pilot.pause()
        await pilot.press("f7")
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 30), run_before=go)
