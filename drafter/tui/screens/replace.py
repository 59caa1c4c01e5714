"""Asking before a drafted paragraph replaces one the clerk wrote, or one carried from last year's report."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, Static

from .ask import YesNoScreen


class ReplaceScreen(YesNoScreen):
    """Ask before a drafted paragraph replaces another. `carried`: the paragraph is last year's text, not the
    clerk's (所以不说「您写的」)."""
    BINDINGS = [Binding("y", "answer(True)", "替换"), Binding("n,escape", "answer(False)", "保留")]

    def __init__(self, mine: str, new: str, carried: bool = False):
        super().__init__()
        self.mine, self.new, self.carried = mine, new, carried

    def compose(self) -> ComposeResult:
        whose = "上年的文字" if self.carried else "您写的"
        with Vertical(id="confirm-box"):
            yield Static(f"[b]起草的文字与{whose}这段说的是同一组数字[/b]", markup=True)
            yield Label(f"{whose}：", classes="fieldlabel")
            yield Static(Text(self.mine), classes="quote")
            yield Label("按表格起草的：", classes="fieldlabel")
            yield Static(Text(self.new), classes="quote")
            with Horizontal():
                yield Button("替换（Y）", variant="warning", id="yes")
                yield Button(f"保留{'上年的文字' if self.carried else '我写的'}（N）", id="no")
