"""Asking before a drafted paragraph replaces one the clerk wrote."""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static


class ReplaceScreen(ModalScreen[bool]):
    """Ask before a drafted paragraph replaces one the clerk wrote."""
    BINDINGS = [Binding("y", "answer(True)", "替换"), Binding("n,escape", "answer(False)", "保留")]

    def __init__(self, mine: str, new: str):
        super().__init__()
        self.mine, self.new = mine, new

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static("[b]起草的文字与您写的这段说的是同一组数字[/b]", markup=True)
            yield Label("您写的：", classes="fieldlabel")
            yield Static(Text(self.mine), classes="quote")
            yield Label("按表格起草的：", classes="fieldlabel")
            yield Static(Text(self.new), classes="quote")
            with Horizontal():
                yield Button("替换（Y）", variant="warning", id="yes")
                yield Button("保留我写的（N）", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
