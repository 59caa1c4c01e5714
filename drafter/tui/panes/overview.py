"""一、总体情况: the report's opening paragraph, 一's own lead paragraph (before （一）), and the sub-parts, each a
title and a body."""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static

from ...chinese import cn_number
from ..drafting import insert_drafts, keys_for, narrative_module
from ..screens.ask import AskScreen
from ..status import SEVERITY
from .base import Pane, TextBox

LEAD = "overview_lead"          # text key of 一's lead paragraph (before （一）), kept when the file has it


class OverviewPane(Pane):
    BINDINGS = [Binding("f3", "insert_draft", "起草本段"), Binding("f8", "delete_part", "删除本小节")]

    def compose(self) -> ComposeResult:
        r = self.session.report
        self.shape = self._shape()
        with VerticalScroll():
            yield Label("报告开头（在“一、总体情况”之前，可不写）", classes="fieldlabel")
            yield TextBox("intro", r.text.get("intro") or "", id="intro")
            yield Static("", id="msg-intro", classes="partmsg")
            yield Static(self.session.section_title("overview"), classes="heading")
            if LEAD in r.text:
                yield Label("一的开头段落（在（一）之前）", classes="fieldlabel")
                yield TextBox(LEAD, str(r.text.get(LEAD) or ""), id="ov-lead")
                yield Static("", id="msg-lead", classes="partmsg")
            for i, part in enumerate(r.overview()):
                with Vertical(classes="part"):
                    with Horizontal(classes="part-head"):
                        yield Static(f"（{cn_number(i + 1)}）", classes="part-no")
                        yield Input(part.get("title", ""), placeholder="小节标题，如：主动公开", id=f"ov-title-{i}")
                        # not in the Tab order (Tab goes title → text → next title); F8 deletes from the keyboard
                        delete = Button("删除本节", id=f"ov-del-{i}", variant="error")
                        delete.can_focus = False
                        yield delete
                    yield TextBox(f"overview.{i}.body", part.get("body", ""), id=f"ov-body-{i}")
                    yield Static("", id=f"msg-ov-{i}", classes="partmsg")
            with Horizontal(classes="addrow"):
                yield Button("添加小节", id="ov-add")
                have = {p.get("title") for p in r.overview()}
                for k, topic in enumerate(self.session.fmt.section("overview").topics):
                    if topic not in have:
                        yield Button(f"添加：{topic}", id=f"ov-topic-{k}")

    def _shape(self) -> tuple:
        r = self.session.report
        return (LEAD in r.text, len(r.overview()), tuple(p.get("title") for p in r.overview()))

    def first_focus(self) -> Widget | None:
        bodies = self.query(TextBox)
        return bodies.first() if bodies else None

    def on_mount(self) -> None:
        self.update_status()

    async def sync(self) -> None:
        if self._shape() != self.shape:
            await self.recompose()
            self.update_status()
            return
        for i, part in enumerate(self.session.report.overview()):
            box = self.query_one(f"#ov-title-{i}", Input)
            if box.value != (part.get("title") or ""):
                box.value = part.get("title") or ""

    @on(Input.Changed)
    def _title(self, event: Input.Changed) -> None:
        if event.input.id and event.input.id.startswith("ov-title-"):
            i = int(event.input.id.rsplit("-", 1)[1])
            if self.session.report.overview()[i].get("title") != event.value:
                self.session.set_text(f"overview.{i}.title", event.value)
                self.shape = self._shape()
                self.drafter.after_change()

    @on(Button.Pressed)
    async def _button(self, event: Button.Pressed) -> None:
        bid = event.button.id or ""
        s = self.session
        if bid.startswith("ov-del-"):
            self.ask_delete(int(bid.rsplit("-", 1)[1]))
            return
        if bid == "ov-add":
            i = s.add_part("")
        elif bid.startswith("ov-topic-"):
            i = s.add_part(s.fmt.section("overview").topics[int(bid.rsplit("-", 1)[1])])
        else:
            return
        await self.recompose()
        self.update_status()
        self.drafter.after_change()
        self.call_after_refresh(self.query_one(f"#ov-body-{i}").focus)

    def action_delete_part(self) -> None:
        key = self._focused_key()
        if key and key.startswith("overview."):
            self.ask_delete(int(key.split(".")[1]))
        else:
            self.drafter.say("F8 删除光标所在的小节：请先进入要删除的小节", warn=True)

    def ask_delete(self, i: int) -> None:
        """Ask, then delete sub-part i (Ctrl+Z brings it back)."""
        s = self.session
        part = s.report.overview()[i]
        title = str(part.get("title") or "") or "未命名"
        body = str(part.get("body") or "").strip()

        async def answered(yes: bool | None) -> None:
            if not yes:
                return
            s.remove_part(i)
            await self.recompose()
            self.update_status()
            self.drafter.after_change()
            self.drafter.say(f"已删除小节「{title}」（Ctrl+Z 可撤销）")
            w = self.first_focus()
            if w is not None:
                w.focus()

        detail = (body[:120] + ("…" if len(body) > 120 else "")) if body else "（本节没有正文）"
        self.drafter.push_screen(AskScreen(f"删除小节（{cn_number(i + 1)}）「{title}」？", detail, "删除（Y）"),
                                 answered)

    def update_status(self) -> None:
        fs = self.session.findings_in("overview")
        targets = {"text.intro": "#msg-intro", f"text.{LEAD}": "#msg-lead"}
        for i in range(len(self.session.report.overview())):
            targets[f"text.overview.{i}"] = f"#msg-ov-{i}"
        out = {k: Text() for k in targets}
        carried = self.session.report.extra.get("carried_text") or []
        for key in carried if isinstance(carried, list) else []:
            if f"text.{key}" in out:        # last year's words: said, in the hint style, until edited
                out[f"text.{key}"].append("上年报告带入的文字，尚未修改：请按本年度情况改写。\n", style="italic dim")
        for f in fs:
            for c in f.cells:
                if c in out:
                    out[c].append(f"{SEVERITY[f.severity]}：{f.message}" + (
                        f"（已确认：{f.confirmed}）" if f.confirmed else "") + "\n",
                        style="dim" if f.confirmed else "red" if f.severity == "error" else "yellow")
        for k, sel in targets.items():
            for w in self.query(sel).results(Static):
                w.update(out[k])

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "insert_draft":
            return narrative_module() is not None
        return True

    def _focused_key(self) -> str | None:
        w = self.app.focused
        if isinstance(w, TextBox):
            return w.key
        if isinstance(w, Input) and w.id and w.id.startswith("ov-title-"):
            return f"overview.{w.id.rsplit('-', 1)[1]}.body"
        return None

    async def action_insert_draft(self) -> None:
        """F3: the drafts of the focused sub-part only."""
        key = self._focused_key()
        if key is None:
            self.drafter.say("F3 起草光标所在的一段：请先进入主动公开或依申请公开小节；Shift+F3 起草全部", warn=True)
            return
        w = self.app.focused
        box = self.query_one(f"#ov-body-{key.split('.')[1]}", TextBox) if key.startswith("overview.") else w
        await insert_drafts(self.drafter, self.session, keys_for(self.session, key.removesuffix(".body")),
                            back_to=box if isinstance(box, TextBox) else None)
