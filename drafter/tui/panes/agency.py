"""基本信息: agency name, level, signing date."""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static

from ...dates import chinese_date, parse_date
from ...report import LEVEL_NAMES, LEVELS, NAME_MAX
from ..session import AGENCY
from ..status import SEVERITY
from .base import Pane


class AgencyPane(Pane):
    def compose(self) -> ComposeResult:
        r = self.session.report
        yield Static("基本信息", classes="heading")
        yield Static(Text(f"报告年度：{r.year}年　格式：{r.fmt.notice}"), classes="hint")
        yield Label("机关名称（用于标题和落款）", classes="fieldlabel")
        yield Input(r.agency_name, placeholder="（未填）例如：青山镇人民政府", id="agency-name", max_length=NAME_MAX)
        yield Label("机关层级", classes="fieldlabel")
        yield Select([(LEVEL_NAMES[k], k) for k in LEVELS], value=r.agency.get("level", "township"),
                     allow_blank=False, id="agency-level")
        yield Label("落款日期（如2022-01-28或2022年1月28日）", classes="fieldlabel")
        yield Input(r.signed_on.isoformat() if r.signed_on else "", placeholder=f"（未填）例如：{r.year + 1}-01-28",
                    id="signed-on")
        yield Static("", id="agency-msg", classes="msg")
        yield Static("", id="agency-title", classes="hint")

    def first_focus(self) -> Widget | None:
        return self.query_one("#agency-name")

    async def sync(self) -> None:
        r = self.session.report
        name, date = self.query_one("#agency-name", Input), self.query_one("#signed-on", Input)
        if name.value != r.agency_name:
            name.value = r.agency_name
        level = self.query_one("#agency-level", Select)
        if level.value != r.agency.get("level", "township") and r.agency.get("level") in LEVELS:
            level.value = r.agency.get("level", "township")
        try:
            shown = parse_date(date.value)
        except ValueError:
            shown = None
        if shown != r.signed_on:
            date.value = r.signed_on.isoformat() if r.signed_on else ""
            self._date_error = ""
        self.update_status()

    def on_mount(self) -> None:
        self.update_status()

    @on(Input.Changed, "#agency-name")
    def _name_changed(self, event: Input.Changed) -> None:
        if event.value != self.session.report.agency_name:
            self.session.set_agency("name", event.value)
            self.drafter.after_change()

    @on(Select.Changed, "#agency-level")
    def _level(self, event: Select.Changed) -> None:
        if event.value in LEVELS and event.value != self.session.report.agency.get("level"):
            self.session.set_agency("level", event.value)
            self.drafter.after_change()

    @on(Input.Changed, "#signed-on")
    def _date(self, event: Input.Changed) -> None:
        try:
            d = parse_date(event.value)
        except ValueError as e:
            self._date_error = str(e)
            self.update_status()
            return
        self._date_error = ""
        if d != self.session.report.signed_on:
            self.session.set_agency("signed_on", d)
            self.drafter.after_change()
        else:
            self.update_status()

    def update_status(self) -> None:
        s = self.session
        lines = Text()
        err = getattr(self, "_date_error", "")
        if err:
            kept = s.report.signed_on
            lines.append(f"落款日期：{err}（" + (f"文件中仍为{chinese_date(kept)}" if kept else "未保存") + "）\n",
                         style="bold red")
        elif s.report.signed_on:
            lines.append(f"落款日期将写作：{chinese_date(s.report.signed_on)}\n")
        for f in s.findings_in(AGENCY):
            lines.append(f"{SEVERITY[f.severity]}：{f.message}\n", style="red" if f.severity == "error" else "yellow")
        self.query_one("#agency-msg", Static).update(lines)
        self.query_one("#agency-title", Static).update(Text(f"标题：{s.report.title}"))
