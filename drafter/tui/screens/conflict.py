"""The file changed on disk while the editor had it open: saving has stopped until the clerk decides."""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ...disk import OutsideChange


class ConflictScreen(ModalScreen[str | None]):
    """Answers "reload" (read the file as it is now), "keep" (write this editor's version under another name, then
    read the file), "write" (the file is gone: write it back where it was) or None (decide later; nothing saved)."""
    BINDINGS = [Binding("r", "answer('reload')", "重新读取"), Binding("k", "answer('keep')", "另存我的版本"),
                Binding("w", "answer('write')", "写回原处"), Binding("escape", "answer(None)", "稍后")]

    def __init__(self, change: OutsideChange, copy_name: str):
        super().__init__()
        self.change, self.copy_name = change, copy_name

    def compose(self) -> ComposeResult:
        name = self.change.path.name
        with Vertical(id="confirm-box"):
            if self.change.gone:
                yield Static(Text(f"「{name}」已被删除或改名", style="bold"))
                yield Static("编辑器里的修改还没有保存。可以写回原处，或另存为新文件。")
            else:
                yield Static(Text(f"「{name}」已被其他程序修改", style="bold"))
                yield Static("为免覆盖别人的修改，已停止保存。编辑器里尚未保存的修改可以另存为新文件。")
            yield Static(Text(f"另存的文件名：{self.copy_name}", style="dim"))
            with Horizontal():
                if self.change.gone:
                    yield Button("写回原处（W）", variant="warning", id="write")
                else:
                    yield Button("重新读取（R）", variant="warning", id="reload")
                yield Button("另存我的版本（K）", variant="primary", id="keep")
                yield Button("稍后（Esc）", id="later")

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None if event.button.id == "later" else event.button.id)

    def action_answer(self, what: str | None) -> None:
        if what == "write" and not self.change.gone or what == "reload" and self.change.gone:
            return
        self.dismiss(what)
