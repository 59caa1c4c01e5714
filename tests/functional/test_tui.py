"""The clerk's TUI driven with Textual's Pilot, one step of the work a test: typing, pasting, the printed note's
identity, zero-fill with undo and redo, the review (jump, confirm), rendering, the place kept; then the history of
every change, parts asked before deletion, F3 by section. The file on disk is checked after each step."""
import shutil
from pathlib import Path

import pytest
from keyboard import type_text
from textual import events
from textual.css.query import NoMatches
from textual.widgets import Button, Input, OptionList, Static

from drafter.dates import parse_date
from drafter.report import Report, load
from drafter.tui.app import DrafterApp
from drafter.tui.grid import NumberGrid
from drafter.tui.panes.base import TextBox
from drafter.tui.screens.ask import AskScreen
from drafter.tui.screens.confirm import ConfirmScreen
from drafter.tui.screens.replace import ReplaceScreen
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
    await type_text(pilot, text)


async def until(pilot, pred, what: str, limit: float = 20.0):
    """Wait (a generous limit, not a speed test) until `pred()` holds: a modal screen up, a recompose done."""
    for _ in range(int(limit / 0.05)):
        try:
            if pred():
                return
        except NoMatches:                   # not mounted yet
            pass
        await pilot.pause(0.05)
    raise AssertionError(f"never happened: {what}")


def requests_app(path, cid="requests.new.natural"):
    return DrafterApp(path, goto=cid, previous=str(SAMPLE))


# ---- the work, step by step ------------------------------------------------------------------------------------
async def test_typing_figures(blank):
    path = blank
    app = requests_app(path)
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


async def test_enter_moves_down_last_year_and_cross_year_rule(blank):
    app = requests_app(blank)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        grid = app.query_one("#grid-requests", NumberGrid)
        await pilot.press("enter")
        assert grid.cid == "requests.carried_over.natural"
        assert "上年：1" in msg(app)
        await pilot.press("0")
        assert on_disk(blank, "requests.carried_over.natural") == 0
        assert "上年报告的四、结转下年度继续办理=1" in msg(app)


async def test_paste_block(blank):
    """A block pasted from Excel (tab/newline separated) fills right and down; a bad value is said and left out."""
    path = blank
    app = requests_app(path, "requests.granted.natural")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        grid = app.query_one("#grid-requests", NumberGrid)
        grid.post_message(events.Paste("1,0\t1\n2\t0\n"))
        await pilot.pause()
        assert "千位分隔符" in msg(app)
        d = load(path).figures
        assert d["requests.granted.natural"] is None and d["requests.granted.commercial"] == 1
        assert (d["requests.partial.natural"], d["requests.partial.commercial"]) == (2, 0)
        grid.post_message(events.Paste("10\t1\n2\t0\n"))
        await pilot.pause()
        d = load(path).figures
        assert (d["requests.granted.natural"], d["requests.granted.commercial"]) == (10, 1)
        assert (d["requests.partial.natural"], d["requests.partial.commercial"]) == (2, 0)
        assert d["requests.granted.total"] == 11 and d["requests.total.natural"] == 12
        # one paste, one undo step, said where it was
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert on_disk(path, "requests.granted.natural") is None
        assert "已撤销：" in msg(app) and "粘贴" in msg(app)


async def test_identity_note_follows_typing(blank):
    path = blank
    s = Session(path)
    s.set_values({"requests.new.natural": 12, "requests.carried_over.natural": 0,
                  "requests.granted.natural": 10, "requests.partial.natural": 2})
    app = requests_app(path, "requests.carried_forward.natural")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("1")
        assert "自然人列：一+二=12，三（七）+四=13，相差1" in msg(app)
        await pilot.press("backspace", "0")
        assert "自然人列" not in msg(app)
        assert not any("自然人列：一+二" in f.message for f in app.session.findings)
        assert on_disk(path, "requests.carried_forward.natural") == 0


async def test_fill_zero_undo_redo(blank):
    path = blank
    app = requests_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        grid = app.query_one("#grid-requests", NumberGrid)
        assert any(load(path).figures[c.id] is None for c in app.session.fmt.tables["requests"].cells)
        await pilot.press("f4")
        assert all(v is not None for k, v in load(path).figures.items() if k.startswith("requests."))
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert load(path).figures["requests.denied.state_secret.natural"] is None
        assert "已撤销：三、" in msg(app) and "本表填0" in msg(app)
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert load(path).figures["requests.denied.state_secret.natural"] == 0
        assert "已重做：三、" in msg(app)
        # undo a typed value: back to the cell, the value as before
        grid.cursor_to("requests.new.research")
        await pilot.press("4", "enter")
        assert on_disk(path, "requests.new.research") == 4
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert on_disk(path, "requests.new.research") == 0
        assert grid.cid == "requests.new.research" and app.focused is grid


def with_warning(path):
    """The blank 2022 report with 结转 0 against last year's 1: a cross-year warning to jump to and confirm."""
    s = Session(path, str(SAMPLE))
    s.set_values({"requests.carried_over.natural": 0})
    return s


async def test_review_jumps_to_the_cell(blank):
    with_warning(blank)
    app = DrafterApp(blank, previous=str(SAMPLE))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        review = app.query_one("#review-list", OptionList)
        pane = app.query_one("#pane-review")
        review.focus()
        review.highlighted = next(k for k, f in enumerate(pane.items) if f is not None and f.rule == "cross.carried_over")
        await pilot.press("enter")
        await pilot.pause()
        grid = app.query_one("#grid-requests", NumberGrid)
        assert app.current == "requests" and app.focused is grid and grid.cid == "requests.carried_over.natural"


async def test_confirm_a_warning(blank):
    """The reason is kept in the file; the section's counts follow; the next finding is selected; undone by Ctrl+Z."""
    with_warning(blank)
    app = DrafterApp(blank, previous=str(SAMPLE))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        review = app.query_one("#review-list", OptionList)
        pane = app.query_one("#pane-review")
        review.focus()
        i = next(k for k, f in enumerate(pane.items) if f is not None and f.rule == "cross.carried_over")
        review.highlighted = i
        head = next(k for k in range(i, -1, -1) if pane.items[k] is None)
        before = str(review.get_option_at_index(head).prompt)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await type_keys(pilot, "上年数据有误")
        await pilot.press("enter")
        await pilot.pause()
        confirmed = load(blank).extra["confirmed"]
        assert [v["reason"] for v in confirmed.values()] == ["上年数据有误"]
        after = str(review.get_option_at_index(head).prompt)
        assert before != after and "已确认1" in after
        chosen = pane.items[review.highlighted]
        assert chosen is not None and chosen.key not in confirmed and not chosen.confirmed
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert "confirmed" not in load(blank).extra
        assert app.current == "review"


async def test_render_draft_then_final(blank, tmp_path):
    path = blank
    app = requests_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f5")
        await pilot.pause()
        app.query_one("#review-list", OptionList).focus()
        # final render refused while errors remain (no signing date yet); a draft is fine
        await pilot.press("f")
        await pilot.pause()
        assert "不能生成正式文件" in str(app.query_one("#review-out", Static).render())
        await pilot.press("d")
        await pilot.pause()
        assert "已生成草稿" in str(app.query_one("#review-out", Static).render())
        assert (tmp_path / "青山镇人民政府2022年政府信息公开工作年度报告（草稿）.docx").stat().st_size > 0

        # fill the rest: signing date typed the Chinese way, every table, the texts
        app.goto("agency.signed_on")
        await pilot.pause()
        await type_keys(pilot, "2023年1月20日")
        await pilot.pause()
        assert str(load(path).signed_on) == "2023-01-20"
        for tid in ("active", "requests", "appeals"):
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
        # overview parts: edit a body, add a topic back after removing it (removing: see test_delete_part_asks…)
        app.goto("text.overview.0")
        await pilot.pause()
        await type_keys(pilot, "全年主动公开信息{%x%}")
        assert load(blank).text["overview"][0]["body"] == "全年主动公开信息{%x%}"
        app.session.remove_part(1)
        await app.resync()
        await pilot.pause()
        app.query_one("#ov-topic-1").scroll_visible(animate=False)
        await pilot.pause()
        await pilot.click("#ov-topic-1")
        await pilot.pause()
        assert load(blank).text["overview"][-1]["title"] == app.session.fmt.section("overview").topics[1]
        assert app.focused is app.query_one(f"#ov-body-{len(load(blank).text['overview']) - 1}")


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


async def test_palette_says_no_match_in_chinese(blank):
    app = DrafterApp(blank)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_keys(pilot, "zzzzqqq")
        await pilot.pause(1.0)
        from textual.command import CommandList
        shown = [str(o.prompt.renderable if hasattr(o.prompt, "renderable") else o.prompt)
                 for o in app.screen.query_one(CommandList).options]
        assert any("没有找到相符的命令" in s for s in shown), shown
        assert not any("No matches" in s for s in shown)


def test_dates():
    assert parse_date("2022年1月28日").isoformat() == "2022-01-28"
    with pytest.raises(ValueError):
        parse_date("去年")


# ---- one history of every change -------------------------------------------------------------------------------
async def test_undo_goes_where_the_change_was_and_says_it(blank, monkeypatch):
    """A figure, a zero-fill in another table, a text: Ctrl+Z undoes them last first, each in its own section,
    with 已撤销：… said; Ctrl+Y does them again."""
    from drafter.tui import history
    monkeypatch.setattr(history, "MERGE_SECONDS", 3600.0)     # a loaded test machine types slowly
    path = blank
    app = requests_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("7", "enter")
        app.goto("appeals.review.upheld")
        await pilot.pause()
        await pilot.press("f4")
        app.goto("text.problems")
        await pilot.pause()
        await type_keys(pilot, "栏目更新不及时")
        assert load(path).text["problems"] == "栏目更新不及时"
        await pilot.press("ctrl+z")                          # in the text box: the editor's history, not the box's
        await pilot.pause()
        assert load(path).text["problems"] == "" and app.query_one("#text-problems", TextBox).text == ""
        assert app.current == "problems"
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.current == "appeals" and on_disk(path, "appeals.review.upheld") is None
        assert "已撤销：四、" in msg(app, "appeals") and "本表填0" in msg(app, "appeals")
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.current == "requests" and on_disk(path, "requests.new.natural") is None
        await pilot.press("ctrl+y", "ctrl+y")
        await pilot.pause()
        assert on_disk(path, "requests.new.natural") == 7 and on_disk(path, "appeals.review.upheld") == 0
        assert app.current == "appeals" and "已重做：" in msg(app, "appeals")


async def test_delete_part_asks_and_can_be_undone(blank):
    path = blank
    app = DrafterApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.goto("text.overview.1")
        await pilot.pause()
        titles = [p["title"] for p in load(path).text["overview"]]
        app.query_one("#ov-del-1", Button).press()           # the button (the mouse's way)
        await until(pilot, lambda: isinstance(app.screen, AskScreen), "the question")
        assert titles[1] in app.screen.question
        await pilot.press("n")
        await until(pilot, lambda: not isinstance(app.screen, AskScreen), "the answer")
        assert [p["title"] for p in load(path).text["overview"]] == titles
        # from the keyboard: F8 in the part
        app.goto("text.overview.1")
        await pilot.pause()
        await pilot.press("f8")
        await until(pilot, lambda: isinstance(app.screen, AskScreen), "the question")
        await pilot.press("y")
        await until(pilot, lambda: len(load(path).text["overview"]) == len(titles) - 1, "the deletion")
        assert [p["title"] for p in load(path).text["overview"]] == titles[:1] + titles[2:]
        await until(pilot, lambda: not app.query(f"#ov-title-{len(titles) - 1}"), "the pane rebuilt")
        await pilot.press("ctrl+z")
        await until(pilot, lambda: app.query(f"#ov-title-{len(titles) - 1}"), "the part shown again")
        assert [p["title"] for p in load(path).text["overview"]] == titles


# ---- F3 ----------------------------------------------------------------------------------------------------------
def emptied(tmp_path):
    path = tmp_path / "r.yaml"
    r = load(SAMPLE)
    for part in r.text["overview"]:
        part["body"] = ""
    r.text["other"] = ""
    r.save(path)
    return path


async def test_f3_drafts_the_focused_section_only(tmp_path):
    path = emptied(tmp_path)
    app = DrafterApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.mounted("overview") and app._started, "the editor built")
        app.goto("text.overview.0")
        await until(pilot, lambda: app.focused is app.query_one("#ov-body-0"), "part 1")
        await pilot.press("f3")
        await until(pilot, lambda: load(path).text["overview"][0]["body"], "the draft")
        back = load(path)
        assert not any(p["body"] for p in back.text["overview"][1:])
        assert back.text["other"] == ""
        assert app.focused is app.query_one("#ov-body-0")
        # in 六: the 信息处理费 sentence only
        app.goto("text.other")
        await until(pilot, lambda: app.focused is app.query_one("#text-other"), "六")
        await pilot.press("f3")
        await until(pilot, lambda: "信息处理费" in load(path).text["other"], "the fee sentence")
        assert app.focused is app.query_one("#text-other")
        assert not any(p["body"] for p in load(path).text["overview"][1:])


async def test_draft_all_says_which_sections_changed(tmp_path):
    """Shift+F3 drafts every paragraph and says which texts changed; one Ctrl+Z takes them all back."""
    path = emptied(tmp_path)
    app = DrafterApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.mounted("overview") and app._started, "the editor built")
        app.goto("text.overview.0")
        await until(pilot, lambda: app.focused is app.query_one("#ov-body-0"), "part 1")
        await pilot.press("shift+f3")
        await until(pilot, lambda: app.last_said.startswith("已插入"), "the drafts said")
        back = load(path)
        assert sum(1 for p in back.text["overview"] if p["body"]) >= 2
        assert "信息处理费" in back.text["other"] and "信息处理费" in app.query_one("#text-other").text
        said = app.last_said
        assert "已插入起草文字" in said and "六、" in said and "小节「主动公开」" in said, said
        assert app.focused is app.query_one("#ov-body-0")
        await pilot.press("ctrl+z")
        await until(pilot, lambda: load(path).text["other"] == "", "the undo")
        assert not any(p["body"] for p in load(path).text["overview"])


async def test_drafts_ask_before_replacing_and_follow_the_figures(tmp_path):
    """Drafting over the clerk's own sentences asks per paragraph (N keeps, Y replaces); an inserted draft left as
    drafted follows the figures as they are typed, in the file and on screen."""
    from drafter.narrative import draft_conflict
    path = tmp_path / "r.yaml"
    shutil.copy(SAMPLE, path)
    mine = draft_conflict(load(path), "appeals")
    assert mine                                          # the sample's own 复议/诉讼 sentence
    app = DrafterApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.mounted("overview") and app._started, "the editor built")
        app.goto("text.overview.0")
        await until(pilot, lambda: app.focused is app.query_one("#ov-body-0"), "part 1")
        await pilot.press("shift+f3")
        asked = []
        for _ in range(4):                               # one question per paragraph the clerk wrote
            await until(pilot, lambda: isinstance(app.screen, ReplaceScreen), "a question")
            asked.append(app.screen.mine)
            assert not app.screen.carried                # the clerk's words: 您写的
            await pilot.press("n" if app.screen.mine != mine else "y")
            last = asked[-1]
            await until(pilot, lambda: not isinstance(app.screen, ReplaceScreen)
                        or app.screen.mine != last, "the answer")  # noqa: B023 - awaited here, in this pass
        assert mine in asked
        await until(pilot, lambda: app.focused is app.query_one("#ov-body-0"), "back where the clerk was")
        await pilot.pause()
        assert not isinstance(app.screen, ReplaceScreen)
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


async def test_replace_dialog_names_carried_text_as_last_years(tmp_path):
    """A paragraph carried from last year's report is 上年的文字 in the dialog, not 您写的."""
    path = tmp_path / "r.yaml"
    shutil.copy(SAMPLE, path)
    r = load(path)
    r.extra["carried_text"] = [f"overview.{i}" for i in range(len(r.text["overview"]))]
    r.save(path)
    app = DrafterApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.goto("text.overview.1")
        await until(pilot, lambda: app.focused is app.query_one("#ov-body-1"), "part 2")
        await pilot.press("f3")
        await until(pilot, lambda: isinstance(app.screen, ReplaceScreen), "the question")
        assert app.screen.carried
        labels = " ".join(str(w.render()) for w in app.screen.query(Static))
        assert "上年的文字" in labels and "您写的" not in labels
        while isinstance(app.screen, ReplaceScreen):
            await pilot.press("n")
            await pilot.pause()
        await until(pilot, lambda: app.focused is app.query_one("#ov-body-1"), "back in part 2")


# ---- the design size: 100×30 ------------------------------------------------------------------------------------
async def test_table_three_fits_at_100x30(blank):
    """While a table has focus the section list is a strip, every column of table 三 is in view, the long row labels
    wrap to two lines, and the status line names the row with its group; 四 names its one row."""
    app = requests_app(blank, "requests.unable.not_held.natural")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        grid = app.query_one("#grid-requests", NumberGrid)
        assert app.focused is grid
        assert app.query_one("#nav").size.width <= 5
        assert grid._visible_cols(grid.size.width) == list(range(grid.table.n_cols))
        assert 2 in grid.heights                                   # a label wrapped, not cut
        lines = ["".join(c[0] for c in line if c) for line in grid.render_lines_text()]
        assert any("要求行政机关确认或重新出" in ln for ln in lines) and any("具已获取信息" in ln for ln in lines)
        where = str(app.query_one("#where-requests", Static).render())
        assert "（四）无法提供／1.本机关不掌握相关政府信息" in where
        app.goto("appeals.review.upheld")
        await pilot.pause()
        where = str(app.query_one("#where-appeals", Static).render())
        assert "行：四、" in where and "结果维持" in where
        # back in the section list: full width again
        await pilot.press("escape")
        await pilot.pause()
        assert app.query_one("#nav").size.width > 20


async def test_last_years_figures_under_each_cell(blank):
    app = requests_app(blank, "requests.new.natural")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        grid = app.query_one("#grid-requests", NumberGrid)
        before = ["".join(c[0] for c in line if c) for line in grid.render_lines_text()]
        await pilot.press("f7")
        await pilot.pause()
        assert grid.show_previous and "2021年数" in msg(app)
        lines = ["".join(c[0] for c in line if c) for line in grid.render_lines_text()]
        last = load(SAMPLE).figures
        row = next(i for i, ln in enumerate(lines) if "一、本年新收" in ln)
        shown = lines[row + 1].split("│")
        want = [str(last[f"requests.new.{c}"]) for c in grid.table.col_ids]
        assert [x.strip() for x in shown if x.strip()] == want
        assert not any("一、本年新收" in ln and "│" in ln for ln in before[row + 1:row + 2])
        await pilot.press("f7")
        await pilot.pause()
        assert not grid.show_previous


async def test_text_box_wraps_by_chinese_rules_and_is_tall(tmp_path):
    from drafter.tui.linebreak import NO_END, NO_START
    path = tmp_path / "r.yaml"
    r = Report.new(2022, "青山镇人民政府")
    r.text["intro"] = ("根据《中华人民共和国政府信息公开条例》和国办公开办函〔2019〕60号文件要求，现将2021年度政府信息公开"
                       "工作情况报告如下，包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况等。" * 3)
    r.save(path)
    app = DrafterApp(path, goto="text.intro")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.query("#intro") and app.query_one("#intro").content_size.height, "the box")
        box = app.query_one("#intro", TextBox)
        assert box.content_size.height >= 8
        wrapped = [seg for line in box.wrapped_document.lines for seg in line]
        assert len(wrapped) > 3
        assert all(seg[0] not in NO_START for seg in wrapped[1:])
        assert all(seg[-1] not in NO_END for seg in wrapped[:-1])
        assert not any(seg.endswith("〔201") or seg.endswith("〔") for seg in wrapped)
        app.goto("text.problems")
        await until(pilot, lambda: app.query("#text-problems") and app.focused is app.query_one("#text-problems"),
                    "五's box")
        await pilot.pause()
        assert app.query_one("#text-problems", TextBox).content_size.height >= 8


async def test_help_fits_100x30_without_scrolling(blank):
    app = DrafterApp(blank)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        box = app.screen.query_one("#help-box")
        assert box.region.height <= SIZE[1] and box.region.width <= SIZE[0]
        inner = sum(w.region.height for w in box.children)
        assert inner <= box.content_size.height                  # nothing hidden below
        assert box.max_scroll_y == 0


async def test_lead_paragraph_of_one_kept_in_its_place(tmp_path):
    """一's lead paragraph (before （一）, text.overview_lead) is shown above the sub-parts, labelled, and kept."""
    path = tmp_path / "r.yaml"
    r = Report.new(2022, "青山镇人民政府")
    r.text["overview_lead"] = "2021年，青山镇坚持以公开为常态、不公开为例外。"
    r.save(path)
    app = DrafterApp(path, goto="text.overview_lead")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.query("#ov-lead") and app.focused is app.query_one("#ov-lead"), "the lead")
        lead = app.query_one("#ov-lead", TextBox)
        assert lead.region.y < app.query_one("#ov-body-0").region.y
        labels = [str(w.render()) for w in app.query("#pane-overview Label")]
        assert any("一的开头段落" in x for x in labels)
        await type_keys(pilot, "全年")
        assert load(path).text["overview_lead"] == "全年" + r.text["overview_lead"]
        assert len(load(path).text["overview"]) == len(r.text["overview"])     # not a part of its own
