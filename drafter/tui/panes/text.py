"""A section that is one text (五、存在的主要问题及改进情况, 六、其他需要报告的事项)."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Static

from ..drafting import insert_drafts, keys_for, narrative_module
from ..status import SEVERITY, cjk_wrap
from .base import Pane, TextBox


class TextPane(Pane):
    BINDINGS = [Binding("f3", "insert_draft", "起草本段")]

    def compose(self) -> ComposeResult:
        yield Static(self.session.section_title(self.sid), classes="heading")
        yield Static("本节内容从上年报告带入，尚未修改：请按本年度情况改写。", classes="hint", id=f"carried-{self.sid}")
        yield TextBox(self.sid, self.session.report.text.get(self.sid) or "", id=f"text-{self.sid}")
        yield Static("", id=f"msg-{self.sid}", classes="msg")

    def first_focus(self) -> Widget | None:
        return self.query_one(TextBox)

    def on_mount(self) -> None:
        self.update_status()
        self.add_class("textpane")

    def update_status(self) -> None:
        carried = self.session.report.extra.get("carried_text") or []
        self.query_one(f"#carried-{self.sid}").display = isinstance(carried, list) and self.sid in carried
        t = Text()
        for f in self.session.findings_in(self.sid):
            t.append(f"{SEVERITY[f.severity]}：{f.message}" + (f"（已确认：{f.confirmed}）" if f.confirmed else "") + "\n",
                     style="dim" if f.confirmed else "red" if f.severity == "error" else "yellow")
        self.query_one(f"#msg-{self.sid}", Static).update(cjk_wrap(t, self.size.width - 2))

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "insert_draft":
            return bool(keys_for(self.session, self.sid)) and narrative_module() is not None
        return True

    async def action_insert_draft(self) -> None:
        """F3: the drafts of this section only."""
        await insert_drafts(self.drafter, self.session, keys_for(self.session, self.sid),
                            back_to=self.query_one(TextBox))
