"""检查与生成: every finding, confirming warnings, writing the .docx."""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from ...checks import Finding, blocking, errors
from ..screens.confirm import ConfirmScreen
from .base import Pane


class ReviewPane(Pane):
    BINDINGS = [Binding("c", "confirm", "确认提醒"), Binding("d", "render(True)", "生成草稿"),
                Binding("f", "render(False)", "生成正式文件")]

    def compose(self) -> ComposeResult:
        yield Static("检查与生成", classes="heading")
        yield Static("", id="review-summary")
        yield OptionList(id="review-list")
        with Horizontal(classes="buttons"):
            yield Button("确认提醒（C）", id="btn-confirm", variant="warning")
            yield Button("生成草稿（D）", id="btn-draft", variant="primary")
            yield Button("生成正式文件（F）", id="btn-final", variant="success")
        yield Static("", id="review-out")
        self.items: list[Finding | None] = []

    def first_focus(self):
        return self.query_one("#review-list")

    def on_mount(self) -> None:
        self.update_status()

    def update_status(self) -> None:
        s = self.session
        ol = self.query_one("#review-list", OptionList)
        keep = ol.highlighted
        opts, self.items = [], []
        for sid in s.section_ids():
            fs = s.findings_in(sid)
            if not fs:
                continue
            e = sum(1 for f in fs if f.severity == "error")
            c = sum(1 for f in fs if f.confirmed)
            counts = "，".join(x for x in (f"错误{e}" if e else "", f"提醒{len(fs) - e - c}" if len(fs) - e - c else "",
                                          f"已确认{c}" if c else "") if x)
            opts.append(Option(Text(f"{s.section_title(sid)}（{counts}）", style="bold"), disabled=True))
            self.items.append(None)
            for f in fs:
                if f.confirmed:
                    # no space after the mark: Rich would move the whole (spaceless) Chinese line down
                    line = Text.assemble(("  ✓已确认：", "green"), f.message, (f"（{f.confirmed}）", "dim"))
                elif f.severity == "error":
                    line = Text.assemble(("  ✗错误：", "bold red"), f.message)
                else:
                    line = Text.assemble(("  !提醒：", "bold yellow"), f.message)
                opts.append(Option(line))
                self.items.append(f)
        if not opts:
            opts.append(Option(Text("没有发现问题，可以生成正式文件。", style="green"), disabled=True))
            self.items.append(None)
        ol.set_options(opts)
        if keep is not None and keep < len(opts):
            ol.highlighted = keep
        elif opts:
            ol.highlighted = next((i for i, f in enumerate(self.items) if f is not None), None)
        e = len(errors(s.findings))
        b = blocking(s.findings, s.report.format)
        w = sum(1 for f in s.findings if f.severity == "warning" and not f.confirmed)
        c = sum(1 for f in s.findings if f.confirmed)
        summary = Text(f"错误{e}个，提醒{w}个，已确认{c}个。", style="bold red" if b else "bold")
        summary.append("\n" + ("改正全部错误后才能生成正式文件；草稿随时可以生成。Enter 转到该处。" if e
                               else f"生成正式文件前须处理下列{len(b)}项。Enter 转到该处。" if b
                               else "可以生成正式文件。Enter 转到该处，C 确认提醒。"), style="dim")
        self.query_one("#review-summary", Static).update(summary)

    def _current(self) -> Finding | None:
        i = self.query_one("#review-list", OptionList).highlighted
        return self.items[i] if i is not None and i < len(self.items) else None

    @on(OptionList.OptionSelected, "#review-list")
    def _jump(self, event: OptionList.OptionSelected) -> None:
        f = self.items[event.option_index]
        if f is not None and f.cells:
            self.drafter.goto(f.cells[0])

    @on(Button.Pressed, "#btn-confirm")
    def action_confirm(self) -> None:
        f = self._current()
        out = self.query_one("#review-out", Static)
        if f is None:
            return
        if f.severity != "warning":
            out.update(Text("错误不能确认，只能改正。按 Enter 转到该处。", style="red"))
            return
        if blocking([f], self.session.report.format):
            out.update(Text("这一项不能确认，生成正式文件前须填写。按 Enter 转到该处。", style="red"))
            return

        def done(reason: str | None) -> None:
            if reason is None:
                return
            self.session.confirm(f, reason)
            out.update(Text(f"已确认：{f.message}（Ctrl+Z 可撤销）"))
            self.drafter.after_change()
            self.select_next_open(f)

        self.drafter.push_screen(ConfirmScreen(f), done)

    def select_next_open(self, after: Finding) -> None:
        """After a confirmation: the next finding still open (below the confirmed one, else the first)."""
        ol = self.query_one("#review-list", OptionList)
        at = next((i for i, x in enumerate(self.items) if x is not None and x.key == after.key), 0)
        order = list(range(at + 1, len(self.items))) + list(range(0, at + 1))
        nxt = next((i for i in order if (x := self.items[i]) is not None and not x.confirmed), None)
        if nxt is not None:
            ol.highlighted = nxt

    @on(Button.Pressed, "#btn-draft")
    def _draft(self) -> None:
        self.action_render(True)

    @on(Button.Pressed, "#btn-final")
    def _final(self) -> None:
        self.action_render(False)

    def action_render(self, draft: bool) -> None:
        self.query_one("#review-out", Static).update(self.drafter.render_report(draft))
