"""Command palette providers."""
from __future__ import annotations

from functools import partial

from textual.command import Hit, Hits, Provider


class CellCommands(Provider):
    """Command palette: go to any cell by its labels or id."""

    async def search(self, query: str) -> Hits:
        from .app import DrafterApp

        app = self.app
        if not isinstance(app, DrafterApp):
            return
        matcher = self.matcher(query)
        for cid, cell in app.session.fmt.cells.items():
            text = f"转到单元格：{cell.full_label}"
            score = max(matcher.match(text), matcher.match(cid))
            if score > 0:
                yield Hit(score, matcher.highlight(text), partial(app.goto, cid), help=cid)
