"""What every pane shares, and the text field bound to a text of the report."""
from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.containers import Vertical
from textual.widgets import TextArea

if TYPE_CHECKING:
    from ..app import DrafterApp


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

    def first_focus(self):
        return None


class TextBox(TextArea):
    """A multi-line text field bound to one text key of the report."""

    def __init__(self, key: str, text: str, **kw):
        super().__init__(text, soft_wrap=True, show_line_numbers=False, tab_behavior="focus", **kw)
        self.key = key
