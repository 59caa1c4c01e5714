"""Session, the editing model behind the TUI (no textual): one undo history for every change, fill-zero, paste,
parts, texts, agency, confirmations, section states."""
import datetime as dt
import time
from pathlib import Path

import pytest

from drafter.report import Report, load
from drafter.tui import session as session_module
from drafter.tui.session import REVIEW, Session

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "青山镇-2021.yaml"


@pytest.fixture
def s(tmp_path) -> Session:
    path = tmp_path / "青山镇-2022.yaml"
    Report.new(2022, "青山镇人民政府").save(path)
    return Session(path, str(SAMPLE))


def matrix(s: Session, tid: str) -> list[list[str]]:
    return [[c.id for c in cells] for _, cells in s.fmt.tables[tid].rows()]


def test_undo_redo_of_typed_figures(s):
    s.set_values({"requests.new.natural": 3})
    s.set_values({"requests.new.natural": 5})
    assert load(s.path).figures["requests.new.total"] == 5
    step = s.undo()
    assert step is not None and step.place == "requests.new.natural" and "填为5" in step.label
    assert s.value("requests.new.natural") == 3 and load(s.path).figures["requests.new.natural"] == 3
    assert s.value("requests.new.total") == 3                  # totals follow
    s.undo()
    assert s.value("requests.new.natural") is None and s.value("requests.new.total") is None
    assert s.undo() is None
    assert s.redo().label.endswith("填为3") and s.value("requests.new.natural") == 3
    s.set_values({"requests.new.research": 1})                 # a new change ends the redo history
    assert s.redo() is None


def test_record_of_a_value_typed_key_by_key(s):
    """The grid applies each key and records one step when the value is done: undo goes back to before the first."""
    ch = s.apply({"appeals.review.upheld": 1}) + s.apply({"appeals.review.upheld": 12})
    s.record([session_module.Change("appeals.review.upheld", None, 12)])
    assert len(ch) == 2 and len(s.undo_stack) == 1
    s.undo()
    assert s.value("appeals.review.upheld") is None


def test_fill_zero_is_one_step_named_by_the_table(s):
    s.set_values({"appeals.review.upheld": 2})
    ch = s.fill_zero("appeals")
    assert ch and all(c.new == 0 for c in ch)
    assert s.value("appeals.review.corrected") == 0 and s.value("appeals.review.upheld") == 2
    step = s.undo()
    assert step.label.startswith("四、") and step.label.endswith("本表填0")
    assert s.value("appeals.review.corrected") is None and s.value("appeals.review.upheld") == 2
    s.redo()
    assert load(s.path).figures["appeals.review.corrected"] == 0


def test_paste_fills_right_and_down_and_undoes_at_once(s):
    rows = matrix(s, "requests")
    ch, problems, skipped = s.paste(s.fmt.tables["requests"], rows, "requests.new.natural",
                                    "1,234\t2\t0\t0\t0\t0\t9999\r\n3\tx\n")
    assert skipped == 1 and len(problems) == 1 and "「x」" in problems[0]
    assert load(s.path).figures["requests.new.natural"] == 1234
    assert load(s.path).figures["requests.new.total"] == 1236
    assert load(s.path).figures["requests.carried_over.natural"] == 3
    assert len(s.undo_stack) == 1 and "粘贴" in s.undo_stack[-1].label
    s.undo()
    assert s.value("requests.new.natural") is None and s.value("requests.carried_over.natural") is None


def test_paste_beyond_the_table_is_said(s):
    rows = matrix(s, "appeals")
    _, problems, _ = s.paste(s.fmt.tables["appeals"], rows, rows[0][-1], "1\t2\n3\n")
    assert any("超出表格" in p for p in problems)


def test_typing_in_one_text_is_one_step_until_a_pause_or_another_field(s, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: now[0])
    for text in ("栏", "栏目", "栏目更新"):
        s.set_text("problems", text)
        now[0] += 0.5
    assert len(s.undo_stack) == 1
    now[0] += session_module.MERGE_SECONDS + 1             # a pause: a new step
    s.set_text("problems", "栏目更新不及时")
    s.set_text("other", "无")
    s.seal()
    s.set_text("other", "无。")
    assert len(s.undo_stack) == 4
    assert s.undo().place == "text.other" and s.report.text["other"] == "无"
    s.undo()
    s.undo()
    assert s.report.text["problems"] == "栏目更新" and load(s.path).text["problems"] == "栏目更新"
    step = s.undo()
    assert step.place == "text.problems" and s.report.text["problems"] == ""


def test_agency_and_date_are_undone(s):
    s.set_agency("name", "青山镇人民政府办公室")
    s.seal()
    s.set_agency("signed_on", dt.date(2023, 1, 20))
    s.set_agency("level", "county")
    assert s.undo().place == "agency.level" and s.report.agency["level"] == "township"
    assert s.undo().label == "修改落款日期" and s.report.signed_on is None
    assert s.undo().place == "agency.name" and s.report.agency_name == "青山镇人民政府"


def test_parts_added_and_removed_are_undone(s):
    titles = [p["title"] for p in s.report.overview()]
    i = s.add_part("学习培训")
    assert s.report.overview()[i]["title"] == "学习培训"
    s.remove_part(1)
    assert [p["title"] for p in s.report.overview()] == titles[:1] + titles[2:] + ["学习培训"]
    step = s.undo()
    assert step.label.startswith("删除小节「") and step.place == "overview"
    assert [p["title"] for p in load(s.path).text["overview"]] == titles + ["学习培训"]
    s.undo()
    assert [p["title"] for p in s.report.overview()] == titles


def test_removing_a_part_removes_its_confirmations_and_renumbers_later_ones(s):
    s.report.extra["confirmed"] = {
        "narrative.x:text.overview.1": {"reason": "a", "message": "m1"},
        "narrative.y:text.overview.3": {"reason": "b", "message": "m3"},
        "cross.z:requests.carried_over.total": {"reason": "c", "message": "m"},
    }
    s.remove_part(1)
    assert set(s.report.extra["confirmed"]) == {"narrative.y:text.overview.2", "cross.z:requests.carried_over.total"}
    assert set(load(s.path).extra["confirmed"]) == set(s.report.extra["confirmed"])
    s.undo()
    assert "narrative.x:text.overview.1" in s.report.extra["confirmed"]


def test_carried_text_marks_follow_removal(s):
    s.report.extra["carried_text"] = ["intro", "overview.0", "overview.2"]
    s.remove_part(0)
    assert s.report.extra["carried_text"] == ["intro", "overview.1"]


def test_confirmation_is_undone(s):
    s.set_values({"requests.carried_over.natural": 0})        # last year's 结转 was 1: a cross-year warning
    f = next(f for f in s.findings if f.rule == "cross.carried_over")
    s.confirm(f, "上年数据有误")
    assert any(x.confirmed == "上年数据有误" for x in s.findings)
    step = s.undo()
    assert step.place == REVIEW and step.label.startswith("确认提醒")
    assert "confirmed" not in s.report.extra and "confirmed" not in load(s.path).extra


def test_untouched_sections_are_unfilled_until_entered(tmp_path):
    """A section the clerk has not entered and that holds nothing of the clerk's (figures carried from last year
    do not count) is 未填, whatever it lacks; once entered its errors count."""
    last = load(SAMPLE)
    from drafter.carry import carry_forward
    path = tmp_path / "r.yaml"
    carry_forward(last, 2022).save(path)
    s = Session(path)
    assert s.value("requests.carried_over.natural") == last.figures["requests.carried_forward.natural"]
    assert s.findings_in("requests")                           # the checker finds plenty
    assert s.state("requests")[0] == "未填"
    assert s.state("appeals")[0] == "未填"
    s.enter("requests")
    state, n, _ = s.state("requests")
    assert state == "有错误" and n == sum(1 for f in s.findings_in("requests") if f.severity == "error")
    review, m, detail = s.state(REVIEW)
    assert m < sum(1 for f in s.findings if f.severity == "error") and "节未填" in detail
