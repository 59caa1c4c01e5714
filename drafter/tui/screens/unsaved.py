"""Quitting with changes that are not in the file: save them elsewhere, or quit without them."""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static


class UnsavedScreen(ModalScreen[str | None]):
    """Answers the path typed (save there and quit), "" (quit without saving) or None (back to editing)."""
    BINDINGS = [Binding("escape", "back", "返回编辑")]

    def __init__(self, why: str, suggestion: str):
        super().__init__()
        self.why, self.suggestion = why, suggestion

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(Text("还有修改没有保存", style="bold"))
            yield Static(Text(self.why))
            yield Label("另存到（可修改路径）：", classes="fieldlabel")
            yield Input(self.suggestion, id="target")
            yield Static("", id="unsaved-msg", classes="msg")
            with Horizontal():
                yield Button("保存并退出", variant="primary", id="save")
                yield Button("不保存，退出", variant="error", id="discard")
                yield Button("返回编辑（Esc）", id="back")

    def on_mount(self) -> None:
        self.query_one("#target", Input).focus()

    def say(self, text: str) -> None:
        """A save to the typed place failed: say why, keep the dialog."""
        self.query_one("#unsaved-msg", Static).update(Text(text, style="bold red"))

    @on(Input.Submitted, "#target")
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        target = self.query_one("#target", Input).value.strip()
        if not target:
            self.say("请填写要保存到的文件路径")
            return
        self.dismiss(target)

    @on(Button.Pressed, "#discard")
    def _discard(self) -> None:
        self.dismiss("")

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.dismiss(None)
