"""What every pane shares, and the text field bound to a text of the report."""
from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.binding import Binding
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import TextArea

from ..linebreak import install_text_area_wrap

if TYPE_CHECKING:
    from ..app import DrafterApp

install_text_area_wrap()        # text boxes wrap Chinese by its rules (no line starts with ，、。…)


class Pane(Vertical):
    def __init__(self, app_: "DrafterApp", sid: str):
        super().__init__(id=f"pane-{sid}", classes="pane")
        self.session = app_.session
        self.sid = sid

    @property
    def drafter(self) -> "DrafterApp":
        """The app, typed."""
        return cast("DrafterApp", self.app)

    def update_status(self) -> None:
        pass

    async def sync(self) -> None:
        """Show the report as it is now (after undo or redo): fields other than the text boxes."""

    def first_focus(self) -> Widget | None:
        return None


class TextBox(TextArea):
    """A multi-line text field bound to one text key of the report. Ctrl+Z and Ctrl+Y are the editor's one history
    (every change, in every section), not the field's own; Ctrl+A selects the whole text (typing then replaces it)."""

    BINDINGS = [Binding("ctrl+a", "select_all", "全选", show=False)]

    def __init__(self, key: str, text: str, **kw):
        super().__init__(text, soft_wrap=True, show_line_numbers=False, tab_behavior="focus", **kw)
        self.key = key

    def action_undo(self) -> None:
        cast("DrafterApp", self.app).action_undo()

    def action_redo(self) -> None:
        cast("DrafterApp", self.app).action_redo()

    def on_blur(self) -> None:
        cast("DrafterApp", self.app).session.seal()
