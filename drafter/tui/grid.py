"""The number grid: one table of the format drawn like the printed table (merged cells, frozen labels and headers),
edited like a spreadsheet. Every layout fact comes from drafter.formats (Table.grid); no label is written here."""
from __future__ import annotations

import re
from math import ceil

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from ..formats import Table
from ..numbers import NumberError, normalise, parse_number, shown
from .cells import block, fit
from .session import Change, Session, partial_ok

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


class NumberGrid(Widget, can_focus=True):
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
        vals = sorted((g for g in table.grid if g.role == "value"), key=lambda g: (g.r, g.c))
        self.matrix: list[list[str]] = []
        self._pos: dict[str, tuple[int, int]] = {}
        last_r = None
        for g in vals:
            if g.r != last_r:
                self.matrix.append([])
                last_r = g.r
            self._pos[g.cell] = (len(self.matrix) - 1, len(self.matrix[-1]))
            self.matrix[-1].append(g.cell)
        self._grid_row = {g.cell: g.r for g in vals}
        self._gcell = {g.cell: g for g in vals}
        self.ri, self.ci = 0, 0
        self.buffer: str | None = None      # the text being typed into the focused cell
        self.edit_old = None                # the value before typing started
        self.edit_changes: list[Change] = []
        self.refused = ""                   # the last key refused while typing this value: kept in view until done
        self.row0 = 0                       # first body line shown
        self.col0 = 0                       # first scrolling column shown
        self._layout_width = None

    # ---- cursor -----------------------------------------------------------------------------------
    @property
    def cid(self) -> str:
        return self.matrix[self.ri][self.ci]

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
                heads = [g for g in t.grid if g.role == "header" and g.c == c and g.cs == 1]
                need = max([ceil(cell_len(g.text) / 2) for g in heads] + [7])
                cells = [g.cell for g in t.grid if g.role == "value" and g.c == c]
                need = max([need] + [cell_len(self.session.text_of(x)) + 1 for x in cells])
                W[c] = min(12, need + 1)
            if L:
                budget = max(16, int(width * 0.4))
                for c in range(L - 1):
                    spans = [g for g in t.grid if g.role == "label" and g.c == c and g.cs == 1 and g.rs > 1]
                    W[c] = max([6] + [min(10, max(ceil(cell_len(g.text) / g.rs), _ordinal_width(g.text)) + 1)
                                      for g in spans])
                labels_last = [g for g in t.grid if g.role == "label" and g.c + g.cs == L]
                natural = max(cell_len(g.text) for g in labels_last) + 1
                W[L - 1] = max(8, min(natural, budget - sum(W[:L - 1]) - (L - 1)))
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
        for r in range(H):
            for g in t.grid:
                if g.r == r and g.rs == 1 and g.role == "header" and cell_len(g.text) > self._span_w(g):
                    heights[r] = 2
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
            cid = g.cell
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
        lines = [[(" ", None)] * self.total_width for _ in range(y)]
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
        return row, col
