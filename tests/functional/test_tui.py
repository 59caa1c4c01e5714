"""The clerk's TUI driven with Textual's Pilot: a whole report typed, checked, confirmed and rendered, the file on
disk checked after each step."""
import shutil
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Static

from drafter.dates import parse_date
from drafter.report import Report, load
from drafter.tui.app import DrafterApp
from drafter.tui.grid import NumberGrid
from drafter.tui.screens.confirm import ConfirmScreen
from drafter.tui.session import Session

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "青山镇-2021.yaml"
SIZE = (100, 30)


def msg(app, sid="requests") -> str:
    return str(app.query_one(f"#msg-{sid}", Static).render())


def on_disk(path, cid):
    return load(path).figures[cid]


@pytest.fixture
def blank(tmp_path):
    """A new 2022 report of the sample town (nothing typed yet); last year's report is the 2021 sample."""
    path = tmp_path / "青山镇-2022.yaml"
    Report.new(2022, "青山镇人民政府").save(path)
    return path


async def type_keys(pilot, text):
    await pilot.press(*list(text))


async def test_whole_report(blank, tmp_path):
    path = blank
    app = DrafterApp(path, goto="requests.new.natural", previous=str(SAMPLE))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        grid = app.query_one("#grid-requests", NumberGrid)
        assert app.focused is grid and grid.cid == "requests.new.natural"

        # full-width digits (what a Chinese input method types) are accepted and normalised
        await pilot.press("1", "２")
        assert on_disk(path, "requests.new.natural") == 12
        assert on_disk(path, "requests.new.total") == 12             # total computed at once
        # a rejected character is not stored, and the clerk is told why
        await pilot.press("a")
        assert "「a」未填入" in msg(app) and "只能填写数字" in msg(app)
        assert on_disk(path, "requests.new.natural") == 12
        await pilot.press("-")
        assert "不小于0的整数" in msg(app)
        # the total column is read-only
        grid.cursor_to("requests.new.total")
        await pilot.press("5")
        assert "自动计算" in msg(app)
        assert on_disk(path, "requests.new.total") == 12

        # Enter moves down; last year's value is the hint; the cross-year rule is painted live
        grid.cursor_to("requests.new.natural")
        await pilot.press("enter")
        assert grid.cid == "requests.carried_over.natural"
        assert "上年：1" in msg(app)
        await pilot.press("0")
        assert on_disk(path, "requests.carried_over.natural") == 0
        assert "上年报告的四、结转下年度继续办理=1" in msg(app)

        # a block pasted from Excel (tab/newline separated, thousands separator) fills right and down
        grid.cursor_to("requests.granted.natural")
        await pilot.pause()
        app.post_message  # noqa: B018 - keep linters quiet about the awaits below
        from textual import events
        grid.post_message(events.Paste("1,0\t1\n2\t0\n"))
        await pilot.pause()
        assert "千位分隔符" in msg(app) or on_disk(path, "requests.granted.natural") is None
        grid.post_message(events.Paste("10\t1\n2\t0\n"))
        await pilot.pause()
        d = load(path).figures
        assert (d["requests.granted.natural"], d["requests.granted.commercial"]) == (10, 1)
        assert (d["requests.partial.natural"], d["requests.partial.commercial"]) == (2, 0)
        assert d["requests.granted.total"] == 11 and d["requests.total.natural"] == 12
        grid.cursor_to("requests.new.commercial")
        await pilot.press("1")

        # the identity of the printed note, its message changing as the clerk types
        grid.cursor_to("requests.carried_forward.natural")
        await pilot.press("1")
        assert "自然人列：一+二=12，三（七）+四=13，相差1" in msg(app)
        await pilot.press("backspace", "0")
        assert "相差" not in msg(app) or "自然人列" not in msg(app)
        assert on_disk(path, "requests.carried_forward.natural") == 0

        # fill every blank cell of the table with 0, undo, redo
        blanks = sum(1 for c in app.session.fmt.tables["requests"].cells if load(path).figures[c.id] is None)
        assert blanks > 0
        await pilot.press("f4")
        assert all(v is not None for k, v in load(path).figures.items() if k.startswith("requests."))
        await pilot.press("ctrl+z")
        assert load(path).figures["requests.denied.state_secret.natural"] is None
        await pilot.press("ctrl+y")
        assert load(path).figures["requests.denied.state_secret.natural"] == 0
        # undo a typed value
        grid.cursor_to("requests.new.research")
        await pilot.press("4", "enter")
        assert on_disk(path, "requests.new.research") == 4
        await pilot.press("ctrl+z")
        assert on_disk(path, "requests.new.research") == 0
        assert grid.cid == "requests.new.research"

        # the review screen: jump from a finding to its cell
        await pilot.press("f5")
        await pilot.pause()
        review = app.query_one("#review-list", OptionList)
        pane = app.query_one("#pane-review")
        i = next(k for k, f in enumerate(pane.items) if f is not None and f.rule == "cross.carried_over")
        review.focus()
        review.highlighted = i
        await pilot.press("enter")
        await pilot.pause()
        assert app.current == "requests" and app.focused is grid and grid.cid == "requests.carried_over.natural"

        # confirm the warning with a reason: kept in the file
        await pilot.press("f5")
        await pilot.pause()
        review.focus()
        review.highlighted = next(k for k, f in enumerate(pane.items) if f is not None and f.rule == "cross.carried_over")
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await type_keys(pilot, "上年数据有误")
        await pilot.press("enter")
        await pilot.pause()
        confirmed = load(path).extra["confirmed"]
        assert [v["reason"] for v in confirmed.values()] == ["上年数据有误"]

        # final render refused while errors remain (no signing date yet); a draft is fine
        await pilot.press("f")
        await pilot.pause()
        out = str(app.query_one("#review-out", Static).render())
        assert "不能生成正式文件" in out
        await pilot.press("d")
        await pilot.pause()
        out = str(app.query_one("#review-out", Static).render())
        assert "已生成草稿" in out
        assert (tmp_path / "青山镇人民政府2022年政府信息公开工作年度报告（草稿）.docx").stat().st_size > 0

        # fill the rest: signing date typed the Chinese way, every table, the texts
        app.goto("agency.signed_on")
        await pilot.pause()
        await type_keys(pilot, "2023年1月20日")
        await pilot.pause()
        assert str(load(path).signed_on) == "2023-01-20"
        for tid in ("active", "appeals"):
            app.goto(f"{tid}.{app.session.fmt.tables[tid].cells[0].row}.{app.session.fmt.tables[tid].cells[0].col}")
            await pilot.pause()
            await pilot.press("f4")
        app.goto("text.problems")
        await pilot.pause()
        await type_keys(pilot, "公开平台栏目更新不够及时。")
        assert "栏目更新" in load(path).text["problems"]
        assert [f.rule for f in app.session.findings if f.severity == "error"] == []
        await pilot.press("f5")
        await pilot.pause()
        app.query_one("#review-list", OptionList).focus()
        await pilot.press("f")
        await pilot.pause()
        out = str(app.query_one("#review-out", Static).render())
        assert "已生成正式文件" in out, out
        assert (tmp_path / "青山镇人民政府2022年政府信息公开工作年度报告.docx").stat().st_size > 0

    # reopening restores the place
    again = DrafterApp(path)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert again.current == "review"


async def test_goto_and_place_restored(blank):
    app = DrafterApp(blank, goto="requests.denied.third_party.legal_service")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        grid = app.query_one("#grid-requests", NumberGrid)
        assert grid.cid == "requests.denied.third_party.legal_service"
        where = str(app.query_one("#where-requests", Static).render())
        assert "4.保护第三方合法权益" in where and "法律服务机构" in where
        await pilot.press("3", "right", "tab", "shift+tab", "end")
        assert grid.cid == "requests.denied.third_party.total"
        await pilot.press("home")
        assert grid.cid == "requests.denied.third_party.natural"
    app = DrafterApp(blank)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert app.current == "requests"
        assert app.query_one("#grid-requests", NumberGrid).cid == "requests.denied.third_party.natural"
        assert app.focused is app.query_one("#grid-requests")


async def test_kinds_signed_and_amount(tmp_path):
    path = tmp_path / "r.yaml"
    Report.new(2020, "南岳镇人民政府").save(path)      # format 2019: signed .change and amounts
    app = DrafterApp(path, goto="active.licensing.change")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("-", "８")
        assert on_disk(path, "active.licensing.change") == -8
        app.goto("active.procurement.amount")
        await pilot.pause()
        await type_keys(pilot, "461.7")
        assert str(on_disk(path, "active.procurement.amount")) == "461.7"
        await pilot.press(".")
        assert "未填入" in msg(app, "active")
        app.goto("active.procurement.projects")
        await pilot.pause()
        await pilot.press("1", ".")
        assert "整数" in msg(app, "active")
        assert on_disk(path, "active.procurement.projects") == 1


async def test_agency_and_texts(blank):
    app = DrafterApp(blank)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.goto("agency.signed_on")
        await pilot.pause()
        await type_keys(pilot, "2023-02-30")
        shown = str(app.query_one("#agency-msg", Static).render())
        assert "没有这一天" in shown and "文件中仍为2023年2月3日" in shown     # "2023-02-3" was a date
        assert str(load(blank).signed_on) == "2023-02-03"
        app.query_one("#signed-on", Input).value = ""
        await type_keys(pilot, "２０２３-１-２８")
        await pilot.pause()
        assert str(load(blank).signed_on) == "2023-01-28"
        # a user string reaches the file literally
        name = app.query_one("#agency-name", Input)
        name.value = "{{ 青山镇 }} & <人民政府> 🙂"
        await pilot.pause()
        assert load(blank).agency_name == "{{ 青山镇 }} & <人民政府> 🙂"
        # overview parts: edit a body, remove one, add a topic back
        app.goto("text.overview.0")
        await pilot.pause()
        await type_keys(pilot, "全年主动公开信息{%x%}")
        assert load(blank).text["overview"][0]["body"] == "全年主动公开信息{%x%}"
        n = len(load(blank).text["overview"])
        app.query_one("#ov-del-1").scroll_visible(animate=False)
        await pilot.pause()
        await pilot.click("#ov-del-1")
        await pilot.pause()
        assert len(load(blank).text["overview"]) == n - 1
        app.query_one("#ov-topic-1").scroll_visible(animate=False)
        await pilot.pause()
        await pilot.click("#ov-topic-1")
        await pilot.pause()
        assert load(blank).text["overview"][-1]["title"] == app.session.fmt.section("overview").topics[1]


async def test_help_and_palette(blank):
    app = DrafterApp(blank)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_keys(pilot, "社会公益组织")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.current == "requests"
        assert app.query_one("#grid-requests", NumberGrid).cid.endswith(".nonprofit")


def test_session_paste_and_dates(blank):
    s = Session(blank)
    grid_rows = [[c.id for c in cells] for _, cells in s.fmt.tables["requests"].rows()]
    ch, problems, skipped = s.paste(s.fmt.tables["requests"], grid_rows, "requests.new.natural",
                                    "1,234\t2\t0\t0\t0\t0\t9999\r\n3\tx\n")
    assert skipped == 1 and len(problems) == 1 and "「x」" in problems[0]
    assert load(blank).figures["requests.new.natural"] == 1234
    assert load(blank).figures["requests.new.total"] == 1236
    assert parse_date("2022年1月28日").isoformat() == "2022-01-28"
    with pytest.raises(ValueError):
        parse_date("去年")


async def press_f3_in_overview(app, pilot):
    await pilot.pause()
    app.goto("text.overview.0")
    await pilot.pause()
    await pilot.press("f3")
    await pilot.pause()


async def test_insert_drafted_sentences(tmp_path):
    """F3 puts the sentences drafted from the figures (drafter.narrative) into the texts."""
    path = tmp_path / "r.yaml"
    r = load(SAMPLE)
    for part in r.text["overview"]:
        part["body"] = ""
    r.text["other"] = ""
    r.save(path)
    app = DrafterApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await press_f3_in_overview(app, pilot)
        back = load(path)
        assert any(p["body"] for p in back.text["overview"])
        assert "信息处理费" in back.text["other"]
        assert "信息处理费" in app.query_one("#text-other").text


async def test_drafts_ask_before_replacing_and_follow_the_figures(tmp_path):
    """F3 over the clerk's own sentences asks per paragraph (N keeps, Y replaces); an inserted draft left as drafted
    follows the figures as they are typed, in the file and on screen."""
    from drafter.narrative import draft_conflict
    from drafter.tui.screens.replace import ReplaceScreen
    path = tmp_path / "r.yaml"
    shutil.copy(SAMPLE, path)
    mine = draft_conflict(load(path), "appeals")
    assert mine                                          # the sample's own 复议/诉讼 sentence
    app = DrafterApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await press_f3_in_overview(app, pilot)
        asked = []
        while isinstance(app.screen, ReplaceScreen):     # one question per paragraph the clerk wrote
            asked.append(app.screen.mine)
            await pilot.press("n" if app.screen.mine != mine else "y")
            await pilot.pause()
        assert mine in asked and len(asked) == 4
        back = load(path)
        bodies = "\n".join(p["body"] for p in back.text["overview"])
        assert mine not in bodies and "因政府信息公开被申请行政复议1件（结果维持1件）" in bodies
        assert "全年制发行政规范性文件3件" in bodies           # kept: the clerk said N
        drafted = back.extra["drafted"]["appeals"]

        # the drafted appeals sentence follows table 4 as it is typed
        app.goto("appeals.review.upheld")
        await pilot.pause()
        await pilot.press("backspace", "2")
        await pilot.pause()
        back = load(path)
        bodies = "\n".join(p["body"] for p in back.text["overview"])
        assert drafted not in bodies and "行政复议2件（结果维持2件）" in bodies
        shown = "\n".join(b.text for b in app.query("TextBox"))
        assert "行政复议2件（结果维持2件）" in shown
