"""Confirming a warning with a reason."""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from ...checks import Finding


class ConfirmScreen(ModalScreen[str | None]):
    """The clerk confirms a warning with a reason (kept in the file)."""
    BINDINGS = [Binding("escape", "cancel", "取消")]

    def __init__(self, finding: Finding):
        super().__init__()
        self.finding = finding

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static("[b]确认这条提醒[/b]", markup=True)
            yield Static(Text(self.finding.message))
            yield Label("确认理由（将保存在报告文件中）：", classes="fieldlabel")
            yield Input(placeholder="例如：上年报告数据有误，本年已更正", id="reason")
            with Horizontal():
                yield Button("确认", variant="warning", id="ok")
                yield Button("取消", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    @on(Input.Submitted, "#reason")
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        self.dismiss(self.query_one("#reason", Input).value)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
