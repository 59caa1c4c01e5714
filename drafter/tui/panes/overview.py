"""一、总体情况: the intro and the parts, each a title and a body."""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Static

from ..drafting import insert_drafts, narrative_module
from ..status import SEVERITY
from .base import Pane, TextBox


class OverviewPane(Pane):
    BINDINGS = [Binding("f3", "insert_draft", "插入起草文字")]

    def compose(self) -> ComposeResult:
        r = self.session.report
        with VerticalScroll():
            yield Static(self.session.section_title("overview"), classes="heading")
            yield Label("开头段落（可选）", classes="fieldlabel")
            yield TextBox("intro", r.text.get("intro") or "", id="intro")
            yield Static("", id="msg-intro", classes="partmsg")
            for i, part in enumerate(r.overview()):
                with Vertical(classes="part"):
                    with Horizontal(classes="part-head"):
                        yield Input(part.get("title", ""), placeholder="小节标题，如：主动公开", id=f"ov-title-{i}")
                        yield Button("删除本节", id=f"ov-del-{i}", variant="error")
                    yield TextBox(f"overview.{i}.body", part.get("body", ""), id=f"ov-body-{i}")
                    yield Static("", id=f"msg-ov-{i}", classes="partmsg")
            with Horizontal(classes="addrow"):
                yield Button("添加小节", id="ov-add")
                have = {p.get("title") for p in r.overview()}
                for k, topic in enumerate(self.session.fmt.section("overview").topics):
                    if topic not in have:
                        yield Button(f"添加：{topic}", id=f"ov-topic-{k}")

    def first_focus(self):
        bodies = self.query(TextBox)
        return bodies.first() if bodies else None

    def on_mount(self) -> None:
        self.update_status()

    @on(Input.Changed)
    def _title(self, event: Input.Changed) -> None:
        if event.input.id and event.input.id.startswith("ov-title-"):
            i = int(event.input.id.rsplit("-", 1)[1])
            if self.session.report.overview()[i].get("title") != event.value:
                self.session.set_text(f"overview.{i}.title", event.value)
                self.drafter.after_change()

    @on(Button.Pressed)
    async def _button(self, event: Button.Pressed) -> None:
        bid = event.button.id or ""
        if bid.startswith("ov-del-"):
            self.session.remove_part(int(bid.rsplit("-", 1)[1]))
        elif bid == "ov-add":
            self.session.add_part("")
        elif bid.startswith("ov-topic-"):
            self.session.add_part(self.session.fmt.section("overview").topics[int(bid.rsplit("-", 1)[1])])
        else:
            return
        await self.recompose()
        self.update_status()
        self.drafter.after_change()

    def update_status(self) -> None:
        fs = self.session.findings_in("overview")
        targets = {"text.intro": "#msg-intro"}
        for i in range(len(self.session.report.overview())):
            targets[f"text.overview.{i}"] = f"#msg-ov-{i}"
        out = {k: Text() for k in targets}
        for f in fs:
            for c in f.cells:
                if c in out:
                    out[c].append(f"{SEVERITY[f.severity]}：{f.message}" + (
                        f"（已确认：{f.confirmed}）" if f.confirmed else "") + "\n")
        for k, sel in targets.items():
            for w in self.query(sel).results(Static):
                w.update(out[k])

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "insert_draft":
            return narrative_module() is not None
        return True

    async def action_insert_draft(self) -> None:
        await insert_drafts(self.drafter, self.session)
