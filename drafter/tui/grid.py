"""The number grid: one table of the format drawn like the printed table (merged cells, frozen labels and headers),
edited like a spreadsheet. Every layout fact comes from drafter.formats (Table.grid); no label is written here."""
from __future__ import annotations

from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from ..formats import Table
from ..numbers import NumberError, normalise, parse_number, shown
from .gridpaint import GridPaint
from .session import Change, Session, partial_ok


class NumberGrid(GridPaint, Widget, can_focus=True):
    """Spreadsheet-like editor of one table's figures."""

    DEFAULT_CSS = "NumberGrid { height: 1fr; min-height: 6; }"

    # handled in on_key, synchronously: a binding would run after the keys typed next (fast typing, tmux)
    KEYS = {
        "up": ("move", -1, 0), "down": ("move", 1, 0), "left": ("move", 0, -1), "right": ("move", 0, 1),
        "enter": ("move", 1, 0), "tab": ("step", 1), "shift+tab": ("step", -1),
        "home": ("edge", 0), "end": ("edge", 1), "ctrl+home": ("corner", 0), "ctrl+end": ("corner", 1),
        "pageup": ("page", -1), "pagedown": ("page", 1), "backspace": ("backspace",), "delete": ("clear",),
        "f2": ("edit",),
    }

    class Moved(Message):
        def __init__(self, grid: "NumberGrid", cid: str):
            super().__init__()
            self.grid, self.cid = grid, cid

    class Edited(Message):
        """Figures changed (typed, pasted, cleared, filled): the app repaints everything."""
        def __init__(self, grid: "NumberGrid", note: str = "", error: str = ""):
            super().__init__()
            self.grid, self.note, self.error = grid, note, error

    def __init__(self, session: Session, table: Table, **kw):
        super().__init__(**kw)
        self.session, self.table = session, table
        vals = sorted((g for g in table.grid if g.role == "value" and g.cell), key=lambda g: (g.r, g.c))
        self.matrix: list[list[str]] = []
        self._pos: dict[str, tuple[int, int]] = {}
        last_r = None
        for g in vals:
            if g.r != last_r:
                self.matrix.append([])
                last_r = g.r
            cid = str(g.cell)
            self._pos[cid] = (len(self.matrix) - 1, len(self.matrix[-1]))
            self.matrix[-1].append(cid)
        self._grid_row = {str(g.cell): g.r for g in vals}
        self._gcell = {str(g.cell): g for g in vals}
        self.ri, self.ci = 0, 0
        self.buffer: str | None = None      # the text being typed into the focused cell
        self.edit_old = None                # the value before typing started
        self.edit_changes: list[Change] = []
        self.refused = ""                   # the last key refused while typing this value: kept in view until done
        self.row0 = 0                       # first body line shown
        self.col0 = 0                       # first scrolling column shown
        self._layout_width = None

    # ---- cursor -----------------------------------------------------------------------------------
    def cursor_to(self, cid: str) -> None:
        if cid in self._pos:
            self.commit()
            self.ri, self.ci = self._pos[cid]
            self._moved()

    def _moved(self) -> None:
        self._need_visible = True
        self.ensure_visible()
        self.refresh()
        self.post_message(self.Moved(self, self.cid))

    def action_move(self, dr: int, dc: int) -> None:
        self.commit()
        if dr:
            # rows of table `active` differ in their number of cells: keep the printed column as near as possible
            c_now = self._gcell[self.cid].c
            self.ri = max(0, min(len(self.matrix) - 1, self.ri + dr))
            row = self.matrix[self.ri]
            self.ci = min(range(len(row)), key=lambda j: abs(self._gcell[row[j]].c - c_now))
        if dc:
            self.ci = max(0, min(len(self.matrix[self.ri]) - 1, self.ci + dc))
        self._moved()

    def action_step(self, d: int) -> None:
        self.commit()
        flat = [(i, j) for i, row in enumerate(self.matrix) for j in range(len(row))]
        k = flat.index((self.ri, self.ci)) + d
        if 0 <= k < len(flat):
            self.ri, self.ci = flat[k]
        self._moved()

    def action_edge(self, end: int) -> None:
        self.commit()
        self.ci = len(self.matrix[self.ri]) - 1 if end else 0
        self._moved()

    def action_corner(self, end: int) -> None:
        self.commit()
        self.ri = len(self.matrix) - 1 if end else 0
        self.ci = len(self.matrix[self.ri]) - 1 if end else 0
        self._moved()

    def action_page(self, d: int) -> None:
        self.commit()
        step = max(1, self.size.height - self._head_height() - 1)
        self.ri = max(0, min(len(self.matrix) - 1, self.ri + d * step))
        self.ci = min(self.ci, len(self.matrix[self.ri]) - 1)
        self._moved()

    # ---- typing -------------------------------------------------------------------------------
    @property
    def read_only(self) -> bool:
        return self.cid in self.session.derived

    def _refuse_total(self) -> None:
        self.post_message(self.Edited(self, error="合计由各项自动计算，不能直接填写；请修改各项数字"))

    def type_text(self, text: str) -> None:
        """One keystroke, or one pasted value, into the focused cell, checked at once as a whole: a refused paste
        changes nothing (pasting '-3' into a count cell must not leave 3)."""
        if self.read_only:
            self._refuse_total()
            return
        cell = self.session.fmt.cells[self.cid]
        base = self.buffer if self.buffer is not None else ""
        cand = base + text
        try:
            v = parse_number(cand, cell.kind)
        except NumberError as e:
            err = e
            if partial_ok(cand, cell.kind):
                self._start_edit()
                self.buffer = cand
                self.refresh()
                self.post_message(self.Edited(self, note="继续输入…"))
            else:
                if normalise(text) in ("-", "+") and cell.kind != "signed":
                    try:    # a sign where none belongs: say so rather than "not a number"
                        parse_number(normalise(text) + "1", cell.kind)
                    except NumberError as e2:
                        err = e2
                self.refused = f"「{shown(text)}」未填入：{err}"
                self.refresh()
                self.post_message(self.Edited(self, error=self.refused))
            return
        self._start_edit()
        self.buffer = cand
        self._set(v)

    def _start_edit(self) -> None:
        if self.buffer is None:
            self.edit_old = self.session.value(self.cid)
            self.edit_changes = []

    def _set(self, v) -> None:
        self.edit_changes += self.session.apply({self.cid: v})
        self.refresh()
        # a key refused a moment ago ('12.5' typed into a count cell leaves 125) stays said until the value is done
        self.post_message(self.Edited(self, error=self.refused))

    def commit(self) -> None:
        """End typing in the focused cell: one undo step for the whole value."""
        self.refused = ""
        if self.buffer is None:
            return
        cid = self.cid
        cell = self.session.fmt.cells[cid]
        buf, self.buffer = self.buffer, None
        try:
            parse_number(buf, cell.kind)
        except NumberError:
            # half-typed ('-', '3.'): the stored value stands
            pass
        new = self.session.value(cid)
        self.session.record([Change(cid, self.edit_old, new)])
        self.edit_changes = []
        self.refresh()

    def action_backspace(self) -> None:
        if self.read_only:
            self._refuse_total()
            return
        self.refused = ""
        if self.buffer is None:
            self._start_edit()
            self.buffer = self.session.text_of(self.cid)
        self.buffer = self.buffer[:-1]
        cell = self.session.fmt.cells[self.cid]
        try:
            v = parse_number(self.buffer, cell.kind)
        except NumberError:
            self.refresh()
            self.post_message(self.Edited(self, note="继续输入…"))
            return
        self._set(v)

    def action_clear(self) -> None:
        if self.read_only:
            self._refuse_total()
            return
        self.commit()
        self.session.set_values({self.cid: None})
        self.refresh()
        self.post_message(self.Edited(self, note="已清空"))

    def action_cancel(self) -> None:
        if self.buffer is None:
            return
        self.buffer, self.refused = None, ""
        self.session.apply({self.cid: self.edit_old})
        self.refresh()
        self.post_message(self.Edited(self, note="已取消输入"))

    def action_edit(self) -> None:
        if self.read_only:
            self._refuse_total()
            return
        if self.buffer is None:
            self._start_edit()
            self.buffer = self.session.text_of(self.cid)
            self.refresh()

    def on_key(self, event: events.Key) -> None:
        act = self.KEYS.get(event.key)
        if act is None and event.key == "escape" and self.buffer is not None:
            act = ("cancel",)
        if act is not None:
            event.stop()
            event.prevent_default()
            getattr(self, f"action_{act[0]}")(*act[1:])
            return
        ch = event.character
        if ch and event.is_printable and len(ch) == 1 and ch not in "\t\r\n":
            event.stop()
            event.prevent_default()
            self.type_text(ch)

    def on_paste(self, event: events.Paste) -> None:
        event.stop()
        text = event.text
        one = text.strip("\r\n")
        if "\t" not in one and "\n" not in one and "\r" not in one:
            if one:
                self.type_text(one)      # one value: checked whole, as typed at once
            return
        self.commit()
        changes, problems, skipped = self.session.paste(self.table, self.matrix, self.cid, text)
        self.refresh()
        note = f"已粘贴{len(changes)}格" + (f"，跳过{skipped}个合计格（自动计算）" if skipped else "")
        self.post_message(self.Edited(self, note=note, error="；".join(problems[:3]) +
                                      (f"等{len(problems)}处" if len(problems) > 3 else "")))

    # ---- mouse ----------------------------------------------------------------------------------
    def on_click(self, event: events.Click) -> None:
        hit = self._hit(event.x, event.y)
        self.focus()
        if hit:
            self.cursor_to(hit)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self.row0 = min(max(0, len(self._body) - self._body_height()), self.row0 + 3)
        self.refresh()
        event.stop()

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self.row0 = max(0, self.row0 - 3)
        self.refresh()
        event.stop()

    def on_focus(self) -> None:
        self.refresh()
        self.post_message(self.Moved(self, self.cid))

    def on_blur(self) -> None:
        self.commit()
        self.refresh()

    def ensure_visible(self) -> None:
        if not self.size.width:
            return
        self._relayout()
        g = self._gcell[self.cid]
        # rows
        H = self.table.header_rows
        line = sum(self.heights[H:g.r])
        bh = self._body_height()
        if line < self.row0:
            self.row0 = line
        elif line >= self.row0 + bh:
            self.row0 = line - bh + 1
        # columns (only tables wider than the screen scroll)
        if g.c >= self.frozen:
            k = g.c - self.frozen
            if k < self.col0:
                self.col0 = k
            while g.c not in self._visible_cols(self.size.width) and self.col0 < k:
                self.col0 += 1

    def _relayout(self) -> None:
        self._compute_layout(self.size.width)

    def on_resize(self) -> None:
        self._relayout()
        self.ensure_visible()

    def render_lines_text(self) -> list[list]:
        """The visible window as lines of (char, style)."""
        self._relayout()
        if getattr(self, "_need_visible", False) and self.size.width:
            self._need_visible = False
            self.ensure_visible()
        cols = self._visible_cols(self.size.width)
        self._shown_cols = cols
        canvas = self._canvas()
        hh = self._head_height()
        body = canvas[hh:]
        self._body = body
        rows = canvas[:hh] + body[self.row0:self.row0 + self.size.height - hh]
        self._row_lines = list(range(hh)) + list(range(hh + self.row0, hh + self.row0 + len(rows) - hh))
        out = []
        spans = [(self.X[c], self.X[c] + self.W[c] + 1) for c in cols]
        for line in rows:
            cut = []
            for a, b in spans:
                cut.extend(line[a:b])
            out.append(cut)
        return out

    def _hit(self, x: int, y: int) -> str | None:
        if not hasattr(self, "_row_lines") or y >= len(self._row_lines):
            return None
        canvas_y = self._row_lines[y]
        acc = 0
        col = None
        for c in self._shown_cols:
            if acc <= x < acc + self.W[c] + 1:
                col = c
                break
            acc += self.W[c] + 1
        if col is None:
            return None
        for g in self.table.grid:
            if g.role == "value" and g.c <= col < g.c + g.cs:
                top = self._Y[g.r]
                if top <= canvas_y < top + sum(self.heights[g.r:g.r + g.rs]):
                    return g.cell
        return None

    _frame_key: tuple | None = None

    def render_line(self, y: int) -> Strip:
        if y == 0 or not hasattr(self, "_frame") or self._frame_key != self._key():
            self._frame = self.render_lines_text()
            self._frame_key = self._key()
            self._strips: dict[int, Strip] = {}
            self._base = self.rich_style     # once a frame (every line asked for it: a tenth of the paint)
        width = self.size.width
        base = self._base
        if getattr(self, "_strips_base", None) != (base, width):
            self._strips, self._strips_base = {}, (base, width)
            self._seen_lines: dict[tuple, Strip] = {}
        strip = self._strips.get(y)
        if strip is None:
            # most lines are as they were in the last frame (one figure changed): reuse their strips
            line = tuple(self._frame[y]) if y < len(self._frame) else ()
            seen = self._seen_lines
            strip = seen.get(line)
            if strip is None:
                if len(seen) > 4 * max(1, len(self._frame)):
                    seen.clear()
                strip = seen[line] = self._strip(y, base, width)
            self._strips[y] = strip
        return strip


    def _key(self):
        return (self.size, self.row0, self.col0, self.ri, self.ci, self.buffer, self.has_focus, self.session.saves,
                id(self.session.findings))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        self._compute_layout(width)
        return self._head_height() + sum(self.heights[self.table.header_rows:])

    def watch_has_focus(self, value: bool) -> None:  # pragma: no cover - textual hook
        self.refresh()

    # ---- labels for the status lines ------------------------------------------------------------
    def where(self) -> tuple[str, str]:
        """(row labels, column labels) of the focused cell, outermost first."""
        cell = self.session.fmt.cells[self.cid]
        row = "／".join(filter(None, [cell.block] + [n.label for n in cell.row_path if n.label]))
        col = "／".join(n.label for n in cell.col_path if n.label)
        return row or self.table.heading, col      # a table of one unlabelled row (四): named by the table
