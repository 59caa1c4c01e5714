"""Command palette providers."""
from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette, Hit, Hits, Provider
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from .app import DrafterApp


class CellCommands(Provider):
    """Command palette: go to any cell by its labels or id."""

    async def search(self, query: str) -> Hits:
        if getattr(self.app, "session", None) is None:     # a DrafterApp's palette (.app not imported: no cycle)
            return
        app = cast("DrafterApp", self.app)
        matcher = self.matcher(query)
        for cid, cell in app.session.fmt.cells.items():
            text = f"转到单元格：{cell.full_label}"
            score = max(matcher.match(text), matcher.match(cid))
            if score > 0:
                yield Hit(score, matcher.highlight(text), partial(app.goto, cid), help=cid)


class ChinesePalette(CommandPalette):
    """Textual's command palette, saying in Chinese that nothing matched."""

    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()

        def _show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(Align.center(Text("没有找到相符的命令", style="not bold")), disabled=True,
                           id=self._NO_MATCHES))
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, _show_no_matches)
