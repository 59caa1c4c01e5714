"""A table section: the grid, the cell's place, its findings and the totals it feeds."""
from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from ...numbers import format_number
from ..grid import NumberGrid
from ..status import SEVERITY, place_line
from .base import Pane


class TablePane(Pane):
    BINDINGS = [Binding("f4", "fill_zero", "空格填0"), Binding("f6", "accept_total", "采用各项之和"),
                Binding("f7", "toggle_previous", "上年数")]

    def compose(self) -> ComposeResult:
        table = self.session.fmt.tables[self.sid]
        yield Static(Text(table.heading), classes="heading")
        yield Static("", id=f"where-{self.sid}", classes="where")
        yield NumberGrid(self.session, table, id=f"grid-{self.sid}")
        yield Static("", id=f"msg-{self.sid}", classes="msg")

    @property
    def grid(self) -> NumberGrid:
        return self.query_one(NumberGrid)

    def first_focus(self):
        return self.grid

    def on_mount(self) -> None:
        self.update_status()

    def action_fill_zero(self) -> None:
        self.grid.commit()
        ch = self.session.fill_zero(self.sid)
        self.note = f"已把{len(ch)}个空格填为0（Ctrl+Z可撤销）" if ch else "本表没有空格"
        self.error = ""
        self.grid.refresh()
        self.drafter.after_change()

    def held_here(self) -> list[str]:
        """The published totals of this table that disagree with their parts (kept until the clerk accepts)."""
        return [c for c in self.session.held if self.session.fmt.cells[c].table == self.sid]

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "accept_total":
            return bool(self.held_here())
        if action == "toggle_previous":
            return self.session.previous is not None
        return True

    def action_toggle_previous(self) -> None:
        """F7: last year's figure, in grey, under each figure of every table (again: off)."""
        on = not self.grid.show_previous
        for g in self.drafter.query(NumberGrid):
            g.show_previous = on
            g._layout_width = None
            g.refresh(layout=True)
        self.drafter.say(f"灰色斜体小字为{self.session.previous.year if self.session.previous else '上'}年数（F7 关闭）"
                         if on else "已关闭上年数")

    def action_accept_total(self) -> None:
        """F6: the focused total becomes the sum of its parts; elsewhere in the table, every such total."""
        self.grid.commit()
        cid = self.grid.cid
        done = self.session.accept_totals([cid] if cid in self.session.held else self.held_here())
        self.note = f"已采用各项之和：{len(done)}个总计" if done else ""
        self.error = ""
        self.grid.refresh()
        self.drafter.after_change()
        self.refresh_bindings()

    said = ""                           # what the editor just did (已撤销：…), until the clerk moves on
    said_at = ""

    def say(self, text: str) -> None:
        self.said, self.said_at = text, self.grid.cid
        self.update_status()

    @on(NumberGrid.Edited)
    def _edited(self, event: NumberGrid.Edited) -> None:
        self.note, self.error, self.said = event.note, event.error, ""
        self.drafter.after_change()

    def on_resize(self) -> None:
        self.update_status()            # the cell's place line is fitted to the width

    @on(NumberGrid.Moved)
    def _moved(self, event: NumberGrid.Moved) -> None:
        self.note, self.error = "", ""
        if event.cid != self.said_at:
            self.said = ""
        self.session.remember_place(self.sid, event.cid)
        self.update_status()

    def update_status(self) -> None:
        if not self.query(NumberGrid):      # resized before its grid is mounted (built lazily after the first screen)
            return
        g = self.grid
        s = self.session
        cid = g.cid
        row, col = g.where()
        room = self.size.width - 2 - cell_len("行：　列：")
        if self.size.width:
            row, col = place_line(row, col, room)
        self.query_one(f"#where-{self.sid}", Static).update(      # fixed heights (drafter.tcss): no layout
            Text.assemble(("行：", "dim"), row, ("　列：", "dim"), col, no_wrap=True, overflow="ellipsis"), layout=False)
        t = Text(no_wrap=False)
        if self.said:
            t.append(self.said + "　", style="bold cyan")
        err, note = getattr(self, "error", ""), getattr(self, "note", "")
        if err:
            t.append(err, style="bold red")
        else:
            fs = s.cells.get(cid, [])
            fs = sorted(fs, key=lambda f: (f.severity != "error", f.confirmed is not None))
            if fs:
                f = fs[0]
                style = "dim" if f.confirmed else "bold red" if f.severity == "error" else "bold yellow"
                t.append(f"{SEVERITY[f.severity]}：{f.message}", style=style)
                if f.confirmed:
                    t.append(f"（已确认：{f.confirmed}）", style="dim")
                if len(fs) > 1:
                    t.append(f"（另有{len(fs) - 1}条）", style="dim")
            elif note:
                t.append(note, style="dim")
        extra = []
        held = s.total_note(cid)
        if held:                        # said first: the finding on this total says the same at more length
            first = Text(f"{held}（F6 采用各项之和）", style="bold yellow", no_wrap=False)
            if t.plain:
                first.append("　")
                first.append_text(t)
            t = first
        elif cid in s.derived:
            extra.append("自动合计")
        else:
            # the totals this cell feeds, which may be scrolled out of view
            cell = s.fmt.cells[cid]
            for d in sorted(s.derived):
                dc = s.fmt.cells[d]
                if dc.table == cell.table and d != cid and (dc.row == cell.row or dc.col == cell.col):
                    v = s.value(d)
                    extra.append(("本行" if dc.row == cell.row else "本列") + f"总计：{format_number(v) if v is not None else '未填'}")
        prev = s.previous_value(cid)
        if prev is not None:
            extra.append(f"上年：{format_number(prev)}")
        if extra:
            t.append(("　" if t.plain else "") + "　".join(extra), style="cyan")
        self.query_one(f"#msg-{self.sid}", Static).update(t, layout=False)
