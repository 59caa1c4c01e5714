"""Drawing the number grid: the layout of one table (column widths, line heights, frozen labels and headers) and
its picture as lines of (character, style) per terminal cell. Every layout fact comes from drafter.formats
(Table.grid); no label is written here."""
from __future__ import annotations

import re
from math import ceil
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from ..formats import GridCell, Table
from ..numbers import NumberError, format_number, parse_number
from .cells import block, fit
from .session import Session, partial_ok

S_HEAD = Style(bold=True)
S_CAPTION = Style(bold=True, color="#87d7ff")
S_LINE = Style(color="#5f5f87")
S_DERIVED = Style(color="#87afd7", italic=True)
S_ERROR = Style(color="#ffffff", bgcolor="#870000", bold=True)
S_WARN = Style(color="#000000", bgcolor="#d7af00")
S_CURSOR = Style(reverse=True, bold=True)
S_EDIT = Style(color="#000000", bgcolor="#87d7ff", bold=True, underline=True)
S_BAD = Style(color="#ffffff", bgcolor="#d70000", bold=True, underline=True)
S_ROWHL = Style(bgcolor="#262640")
S_PREV = Style(color="#8a8a8a", italic=True)     # last year's figure under this year's (F7)


_ORDINAL = re.compile(r"^(（[^）]{1,3}）|[一二三四五六七八九十]+、|\d+\.)")


def _ordinal_width(text: str) -> int:
    """Width of a label's leading ordinal (（三）, 三、, 1.), kept on one line when the label wraps."""
    m = _ORDINAL.match(text)
    return cell_len(m.group(1)) if m else 0


def _put(lines: list[list], yy: int, x0: int, text: str, style) -> None:
    """Write `text` into a canvas line from cell x0; a wide character takes two cells (the second None)."""
    line = lines[yy]
    x = x0
    n = len(line)
    for ch in text:
        w = cell_len(ch)
        if x + w > n:
            break
        line[x] = (ch, style)
        if w == 2:
            line[x + 1] = None
        x += w


if TYPE_CHECKING:
    _Base = Widget
else:
    _Base = object


class GridPaint(_Base):
    """The drawing half of NumberGrid (a mixin: the widget holds the cursor, the typing and the events)."""

    session: Session
    table: Table
    ri: int
    ci: int
    buffer: str | None
    row0: int
    col0: int
    matrix: list[list[str]]
    _grid_row: dict[str, int]
    _frame: list[list]
    W: list[int]
    X: list[int]
    heights: list[int]
    frozen: int
    total_width: int
    _layout_width: int | None
    _Y: list[int]
    _value_boxes: list[tuple[GridCell, int, int, int, int]]
    show_previous: bool = False     # F7: last year's figure under each figure

    @property
    def cid(self) -> str:
        return self.matrix[self.ri][self.ci]

    # ---- layout ---------------------------------------------------------------------------------
    def _compute_layout(self, width: int) -> None:
        t = self.table
        L = t.raw.get("label_columns", 1 if t.raw.get("layout") == "blocks" else 0)
        blocks = t.raw.get("layout") == "blocks"
        n = t.n_cols
        W = [0] * n
        if blocks:
            labels = [g for g in t.grid if g.c == 0 and g.cs == 1]
            lw = max(cell_len(g.text) for g in labels) + 2
            W[0] = max(8, min(lw, int(width * 0.4)))
            rest = width - W[0] - n
            each = max(4, rest // (n - 1))
            for c in range(1, n):
                W[c] = each
            frozen = n
        else:
            vals = {g.c for g in t.grid if g.role == "value"}
            for c in sorted(vals):
                # as narrow as a header in two lines and the figures allow: every column of a table in view
                heads = [g for g in t.grid if g.role == "header" and g.c == c and g.cs == 1]
                need = max([ceil(cell_len(g.text) / 2) for g in heads] + [6])
                cells = [g.cell for g in t.grid if g.role == "value" and g.c == c]
                need = max([need] + [cell_len(self.session.text_of(x)) + 2 for x in cells if x])
                W[c] = min(12, need)
            if L:
                for c in range(L - 1):
                    spans = [g for g in t.grid if g.role == "label" and g.c == c and g.cs == 1 and g.rs > 1]
                    W[c] = max([6] + [min(10, max(ceil(cell_len(g.text) / g.rs), _ordinal_width(g.text)) + 1)
                                      for g in spans])
                labels_last = [g for g in t.grid if g.role == "label" and g.c + g.cs == L]
                natural = max(cell_len(g.text) for g in labels_last) + 1
                # the labels take the room the figures leave (wrapping to two lines); when that is too little,
                # four tenths of the width and the figures scroll
                room = width - sum(W[c] + 1 for c in vals) - sum(W[:L - 1]) - L
                if room < 12:
                    room = max(16, int(width * 0.4)) - sum(W[:L - 1]) - (L - 1)
                W[L - 1] = max(8, min(natural, room))
            frozen = L
        self.W, self.frozen = W, frozen
        self.X = []
        x = 0
        for c in range(n):
            self.X.append(x)
            x += W[c] + 1
        self.total_width = x
        # line heights: header grid rows may take two lines when a one-row header label needs it
        H = t.header_rows
        heights = [1] * t.n_rows
        for g in t.grid:
            if g.rs == 1 and g.role in ("header", "label") and cell_len(g.text) > self._span_w(g) - (g.role == "label"):
                heights[g.r] = 2            # a header, or a row's label, in two lines
        if self.show_previous:              # last year's figure on a line of its own under each figure
            for r in range(H, t.n_rows):
                heights[r] = max(heights[r], 2)
        self.heights = heights
        self._layout_width = width

    def _span_w(self, g) -> int:
        return self.X[g.c + g.cs - 1] + self.W[g.c + g.cs - 1] - self.X[g.c] if hasattr(self, "X") else \
            sum(self.W[g.c:g.c + g.cs]) + g.cs - 1

    def _head_height(self) -> int:
        H = self.table.header_rows
        return sum(self.heights[:H]) + (1 if H else 0)

    def _body_height(self) -> int:
        return max(1, self.size.height - self._head_height())

    # ---- drawing --------------------------------------------------------------------------------
    def _canvas(self) -> list[list]:
        """The whole table as lines of (char, style) per terminal cell; a wide char is followed by None."""
        t = self.table
        cur = self.cid
        cur_row = self._grid_row[cur]
        shown = tuple(getattr(self, "_shown_cols", range(t.n_cols)))
        # the rules, headers and labels change only with the layout, the columns in view and the cursor's row:
        # drawn once, copied for each frame; the figures are drawn over the copy
        bkey = (self._layout_width, tuple(self.W), tuple(self.heights), shown, cur_row)
        if getattr(self, "_back_key", None) != bkey:
            self._back, self._back_key = self._background(shown, cur_row), bkey
        lines = [line[:] for line in self._back]
        Y = self._Y
        editing = self.buffer
        focused = self.has_focus
        by_cell = self.session.cells
        derived = self.session.derived
        for g, x0, w, y0, h in self._value_boxes:
            cid = str(g.cell)
            v = self.session.text_of(cid)
            style = S_DERIVED if cid in derived else None
            fs = by_cell.get(cid)
            if fs:
                fs = [f for f in fs if not f.confirmed]
                if any(f.severity == "error" and f.rule != "value.missing" for f in fs):
                    style = S_ERROR
                elif any(f.severity == "warning" for f in fs):
                    style = S_WARN
            if g.r == cur_row and style is None:
                style = S_ROWHL
            if cid == cur:
                if editing is not None:
                    v = editing
                    try:
                        parse_number(editing, self.session.fmt.cells[cid].kind)
                        style = S_EDIT
                    except NumberError:
                        style = S_EDIT if partial_ok(editing, self.session.fmt.cells[cid].kind) else S_BAD
                else:
                    style = S_CURSOR if focused else Style(underline=True, bold=True)
            _put(lines, y0, x0, fit(v, w - 1, "right") + " ", style)
            for k in range(1, h):
                _put(lines, y0 + k, x0, " " * w, style)
            if self.show_previous and h > 1:
                prev = self.session.previous_value(cid)
                _put(lines, y0 + h - 1, x0, fit("" if prev is None else format_number(prev), w - 1, "right") + " ",
                     S_PREV)
        self._Y = Y
        return lines

    def _background(self, shown: tuple, cur_row: int) -> list[list]:
        """Rules, headers and labels (everything but the figures); also where each figure goes."""
        t = self.table
        H = t.header_rows
        Y, y = [], 0
        for r in range(t.n_rows):
            Y.append(y)
            y += self.heights[r]
            if H and r == H - 1:
                y += 1                       # the rule under the header
        blank: tuple[str, Style | None] = (" ", None)
        lines: list[list] = [[blank] * self.total_width for _ in range(y)]
        seps = set()
        for c in range(t.n_cols):
            seps.add(self.X[c] + self.W[c])
        for line in lines:
            for s in seps:
                if s < self.total_width:
                    line[s] = ("│", S_LINE)
        if H:
            rule = lines[Y[H - 1] + self.heights[H - 1]]
            for x in range(self.total_width):
                rule[x] = ("┼" if x in seps else "─", S_LINE)

        def put(yy, x0, text, style):
            _put(lines, yy, x0, text, style)

        boxes = []
        for g in t.grid:
            c0, c1 = g.c, g.c + g.cs - 1
            if g.role == "header" and g.cs > 1:
                # a header over columns partly scrolled away: its text centred over the part in view
                vis = [c for c in range(g.c, g.c + g.cs) if c in shown]
                if vis:
                    c0, c1 = vis[0], vis[-1]
            x0 = self.X[c0]
            w = self.X[c1] + self.W[c1] - x0
            y0 = Y[g.r]
            h = sum(self.heights[g.r:g.r + g.rs])
            if H and g.r < H <= g.r + g.rs - 1:
                h += 1
            if g.role == "value":
                boxes.append((g, x0, w, y0, h))
                continue
            style = S_CAPTION if g.role == "caption" else S_HEAD if g.role in ("header", "corner") else None
            if g.role == "label" and cur_row in range(g.r, g.r + g.rs) and g.rs == 1:
                style = Style(bold=True)
            align = "left" if g.role in ("label", "caption") else "center"
            if g.role == "label" and g.rs > 1 and g.cs == 1 and self.frozen > 1:
                # a merged label column: the text runs down its rows
                box = block(g.text, w - 1, h, "left")
                for k, ln in enumerate(box):
                    put(y0 + k, x0, " " + ln, style)
                continue
            if g.role == "label" and g.rs == 1 and h > 1 and cell_len(g.text) > w - 1:
                for k, ln in enumerate(block(g.text, w - 1, h, "left")):
                    put(y0 + k, x0, " " + ln, style)
                continue
            if g.rs == 1 and self.heights[g.r] == 1 or g.role == "label":
                put(y0, x0, " " + fit(g.text, w - 1, align) if align == "left" else fit(g.text, w, align), style)
                for k in range(1, h):
                    put(y0 + k, x0, " " * w, style)
            else:
                box = block(g.text, w, h, "center")
                for k, ln in enumerate(box):
                    put(y0 + k, x0, ln, style)
        self._Y = Y
        self._value_boxes = boxes
        return lines

    def _visible_cols(self, width: int) -> list[int]:
        t = self.table
        cols = list(range(min(self.frozen, t.n_cols)))
        used = sum(self.W[c] + 1 for c in cols)
        for c in range(max(self.frozen, self.frozen + self.col0), t.n_cols):
            if used + self.W[c] + 1 > width and c > self.frozen + self.col0:
                break
            cols.append(c)
            used += self.W[c] + 1
        return cols

    def _strip(self, y: int, base: Style, width: int) -> Strip:
        """One painted line: runs of characters of one style make one segment each (not one per character)."""
        if y >= len(self._frame):
            return Strip([Segment(" " * width, base)], width)
        combined: dict = {}
        segs = []
        run: list[str] = []
        run_style = None
        used = 0

        def flush():
            nonlocal used
            text = "".join(run)
            st = combined.get(run_style)
            if st is None:
                st = combined[run_style] = base + run_style if run_style else base
            segs.append(Segment(text, st))
            used += cell_len(text)

        for item in self._frame[y]:
            if item is None:
                continue
            ch, st = item
            if run and st is not run_style:
                flush()
                run = []
            run_style = st
            run.append(ch)
        if run:
            flush()
        if used < width:
            segs.append(Segment(" " * (width - used), base))
        return Strip(Segment.simplify(segs)).crop(0, width)
