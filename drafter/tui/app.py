"""drafter edit: the clerk's terminal UI. Sections on the left, the chosen one on the right, keys in the footer."""
from __future__ import annotations

from functools import partial
from pathlib import Path

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette, Hit, Hits, Provider
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.lazy import Lazy
from textual.screen import ModalScreen
from textual.widgets import Button, ContentSwitcher, Footer, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from ..checks import Finding, blocking, errors
from ..dates import chinese_date
from ..numbers import format_number
from ..report import LEVEL_NAMES, LEVELS
from .cells import fit
from .grid import NumberGrid
from .session import AGENCY, REVIEW, Session, parse_date

STATE_STYLE = {"未填": ("-", "dim"), "有错误": ("✗", "bold red"), "有提醒": ("!", "bold yellow"),
               "完成": ("✓", "bold green")}
SEVERITY = {"error": "错误", "warning": "提醒"}

HELP = """\
[b]drafter：政府信息公开工作年度报告[/b]

左边是各节，右边填写所选的一节。每次修改都立即保存到文件，无需存盘。

[b]表格[/b]
  直接输入数字（全角数字也可以），输错的字符不会填入，下方说明原因
  方向键、Tab／Shift+Tab 移动，Enter 下移，Home／End 行首行尾
  Backspace 改一位，Delete 清空，F2 修改当前格，Esc 取消输入或回到左侧各节
  从Excel或WPS复制的一块数字，粘贴到当前格，依次向右、向下填入
  合计（总计）自动计算，不能直接修改
  F4 把本表所有空格填0

[b]文字[/b]
  F3 按表格数字插入起草文字（主动公开、依申请公开、复议诉讼、信息处理费），不替换您写的段落

[b]全局[/b]
  Ctrl+Z 撤销　Ctrl+Y 重做（表格数字；文字框内为文字的撤销）
  F5 检查与生成：列出全部问题，Enter 转到该处，C 确认提醒，D 生成草稿，F 生成正式文件
  Ctrl+P 命令：转到某节、某个单元格、检查、生成
  F1 本帮助　Ctrl+Q 退出

按 Esc 或 F1 关闭本帮助。"""


def section_prompt(session: Session, sid: str, width: int = 24) -> Text:
    state, n, detail = session.state(sid)
    mark, style = STATE_STYLE[state]
    t = Text(fit(session.section_title(sid), width), style="bold" if sid == REVIEW else "")
    head = f"  {mark} {state}{n or ''}"
    t.append("\n" + head, style=style)
    if detail:
        t.append(" " + fit(detail, max(1, width - cell_len(head) - 1)).rstrip(), style="dim")
    return t


def shorten_path(path: str, width: int) -> str:
    """A label path (三、本年度办理结果／（三）不予公开／4.保护第三方合法权益) in `width` cells: the outer labels give
    way first (…／4.保护第三方合法权益), then the label itself is cut at its end (一、本年新收政府信息…)."""
    if cell_len(path) <= width:
        return path
    parts = path.split("／")
    for i in range(1, len(parts)):
        text = "…／" + "／".join(parts[i:])
        if cell_len(text) <= width:
            return text
    return fit(parts[-1], width).rstrip()


class HelpScreen(ModalScreen):
    BINDINGS = [Binding("escape,f1", "dismiss", "关闭")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(HELP, markup=True)


class ConfirmScreen(ModalScreen[str | None]):
    """The clerk confirms a warning with a reason (kept in the file)."""
    BINDINGS = [Binding("escape", "cancel", "取消")]

    def __init__(self, finding: Finding):
        super().__init__()
        self.finding = finding

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static("[b]确认这条提醒[/b]", markup=True)
            yield Static(Text(self.finding.message))
            yield Label("确认理由（将保存在报告文件中）：", classes="fieldlabel")
            yield Input(placeholder="例如：上年报告数据有误，本年已更正", id="reason")
            with Horizontal():
                yield Button("确认", variant="warning", id="ok")
                yield Button("取消", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    @on(Input.Submitted, "#reason")
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        self.dismiss(self.query_one("#reason", Input).value)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ReplaceScreen(ModalScreen[bool]):
    """Ask before a drafted paragraph replaces one the clerk wrote."""
    BINDINGS = [Binding("y", "answer(True)", "替换"), Binding("n,escape", "answer(False)", "保留")]

    def __init__(self, mine: str, new: str):
        super().__init__()
        self.mine, self.new = mine, new

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static("[b]起草的文字与您写的这段说的是同一组数字[/b]", markup=True)
            yield Label("您写的：", classes="fieldlabel")
            yield Static(Text(self.mine), classes="quote")
            yield Label("按表格起草的：", classes="fieldlabel")
            yield Static(Text(self.new), classes="quote")
            with Horizontal():
                yield Button("替换（Y）", variant="warning", id="yes")
                yield Button("保留我写的（N）", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class CellCommands(Provider):
    """Command palette: go to any cell by its labels or id."""

    async def search(self, query: str) -> Hits:
        app = self.app
        if not isinstance(app, DrafterApp):
            return
        matcher = self.matcher(query)
        for cid, cell in app.session.fmt.cells.items():
            text = f"转到单元格：{cell.full_label}"
            score = max(matcher.match(text), matcher.match(cid))
            if score > 0:
                yield Hit(score, matcher.highlight(text), partial(app.goto, cid), help=cid)


# ---- panes ----------------------------------------------------------------------------------------
class Pane(Vertical):
    def __init__(self, app_: "DrafterApp", sid: str):
        super().__init__(id=f"pane-{sid}", classes="pane")
        self.session = app_.session
        self.sid = sid

    def update_status(self) -> None:
        pass

    def first_focus(self):
        return None


class AgencyPane(Pane):
    def compose(self) -> ComposeResult:
        r = self.session.report
        yield Static("基本信息", classes="heading")
        yield Static(Text(f"报告年度：{r.year}年　格式：{r.fmt.notice}"), classes="hint")
        yield Label("机关名称（用于标题和落款）", classes="fieldlabel")
        yield Input(r.agency_name, placeholder="例如：青山镇人民政府", id="agency-name")
        yield Label("机关层级", classes="fieldlabel")
        yield Select([(LEVEL_NAMES[k], k) for k in LEVELS], value=r.agency.get("level", "township"),
                     allow_blank=False, id="agency-level")
        yield Label("落款日期（如2022-01-28或2022年1月28日）", classes="fieldlabel")
        yield Input(r.signed_on.isoformat() if r.signed_on else "", placeholder="2022-01-28", id="signed-on")
        yield Static("", id="agency-msg", classes="msg")
        yield Static("", id="agency-title", classes="hint")

    def first_focus(self):
        return self.query_one("#agency-name")

    def on_mount(self) -> None:
        self.update_status()

    @on(Input.Changed, "#agency-name")
    def _name(self, event: Input.Changed) -> None:
        if event.value != self.session.report.agency_name:
            self.session.set_agency("name", event.value)
            self.app.after_change()

    @on(Select.Changed, "#agency-level")
    def _level(self, event: Select.Changed) -> None:
        if event.value in LEVELS and event.value != self.session.report.agency.get("level"):
            self.session.set_agency("level", event.value)
            self.app.after_change()

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
            self.app.after_change()
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


class TextBox(TextArea):
    """A multi-line text field bound to one text key of the report."""

    def __init__(self, key: str, text: str, **kw):
        super().__init__(text, soft_wrap=True, show_line_numbers=False, tab_behavior="focus", **kw)
        self.key = key


class OverviewPane(Pane):
    BINDINGS = [Binding("f3", "insert_draft", "插入起草文字")]

    def compose(self) -> ComposeResult:
        r = self.session.report
        with VerticalScroll():
            yield Static(self.session.section_title("overview"), classes="heading")
            yield Label("开头段落（可选）", classes="fieldlabel")
            yield TextBox("intro", r.text.get("intro") or "", id="intro")
            yield Static("", id="msg-intro", classes="partmsg")
            for i, part in enumerate(r.overview()):
                with Vertical(classes="part"):
                    with Horizontal(classes="part-head"):
                        yield Input(part.get("title", ""), placeholder="小节标题，如：主动公开", id=f"ov-title-{i}")
                        yield Button("删除本节", id=f"ov-del-{i}", variant="error")
                    yield TextBox(f"overview.{i}.body", part.get("body", ""), id=f"ov-body-{i}")
                    yield Static("", id=f"msg-ov-{i}", classes="partmsg")
            with Horizontal(classes="addrow"):
                yield Button("添加小节", id="ov-add")
                have = {p.get("title") for p in r.overview()}
                for k, topic in enumerate(self.session.fmt.section("overview").topics):
                    if topic not in have:
                        yield Button(f"添加：{topic}", id=f"ov-topic-{k}")

    def first_focus(self):
        bodies = self.query(TextBox)
        return bodies.first() if bodies else None

    def on_mount(self) -> None:
        self.update_status()

    @on(Input.Changed)
    def _title(self, event: Input.Changed) -> None:
        if event.input.id and event.input.id.startswith("ov-title-"):
            i = int(event.input.id.rsplit("-", 1)[1])
            if self.session.report.overview()[i].get("title") != event.value:
                self.session.set_text(f"overview.{i}.title", event.value)
                self.app.after_change()

    @on(Button.Pressed)
    async def _button(self, event: Button.Pressed) -> None:
        bid = event.button.id or ""
        if bid.startswith("ov-del-"):
            self.session.remove_part(int(bid.rsplit("-", 1)[1]))
        elif bid == "ov-add":
            self.session.add_part("")
        elif bid.startswith("ov-topic-"):
            self.session.add_part(self.session.fmt.section("overview").topics[int(bid.rsplit("-", 1)[1])])
        else:
            return
        await self.recompose()
        self.update_status()
        self.app.after_change()

    def update_status(self) -> None:
        fs = self.session.findings_in("overview")
        targets = {"text.intro": "#msg-intro"}
        for i in range(len(self.session.report.overview())):
            targets[f"text.overview.{i}"] = f"#msg-ov-{i}"
        out = {k: Text() for k in targets}
        for f in fs:
            for c in f.cells:
                if c in out:
                    out[c].append(f"{SEVERITY[f.severity]}：{f.message}" + (
                        f"（已确认：{f.confirmed}）" if f.confirmed else "") + "\n")
        for k, sel in targets.items():
            for w in self.query(sel):
                w.update(out[k])

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "insert_draft":
            return narrative_module() is not None
        return True

    async def action_insert_draft(self) -> None:
        await insert_drafts(self.app, self.session)


class TextPane(Pane):
    BINDINGS = [Binding("f3", "insert_draft", "插入起草文字")]

    def compose(self) -> ComposeResult:
        yield Static(self.session.section_title(self.sid), classes="heading")
        carried = self.session.report.extra.get("carried_text") or []
        if self.sid in carried:
            yield Static("本节内容从上年报告带入，尚未修改：请按本年度情况改写。", classes="hint", id=f"carried-{self.sid}")
        yield TextBox(self.sid, self.session.report.text.get(self.sid) or "", id=f"text-{self.sid}")
        yield Static("", id=f"msg-{self.sid}", classes="msg")

    def first_focus(self):
        return self.query_one(TextBox)

    def on_mount(self) -> None:
        self.update_status()
        self.add_class("textpane")

    def update_status(self) -> None:
        t = Text()
        for f in self.session.findings_in(self.sid):
            t.append(f"{SEVERITY[f.severity]}：{f.message}" + (f"（已确认：{f.confirmed}）" if f.confirmed else "") + "\n",
                     style="red" if f.severity == "error" else "yellow")
        self.query_one(f"#msg-{self.sid}", Static).update(t)

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "insert_draft":
            return self.sid == "other" and narrative_module() is not None
        return True

    async def action_insert_draft(self) -> None:
        await insert_drafts(self.app, self.session)


def narrative_module():
    """drafter.narrative when it offers drafted sentences (drafts / insert_draft), else None."""
    try:
        from .. import narrative
    except ImportError:
        return None
    return narrative if hasattr(narrative, "drafts") and hasattr(narrative, "insert_draft") else None


async def insert_drafts(app: "DrafterApp", session: Session) -> None:
    """Put the sentences drafted from the figures into the texts. A paragraph the clerk wrote that states the same
    figures is replaced only when the clerk says so, one question per paragraph."""
    nar = narrative_module()
    if nar is None:
        return
    available = nar.drafts(session.report)
    if not available:
        app.notify("表格还没有填完，起草句要用到的数字尚未填写", severity="warning")
        return
    done, asks = [], []
    for key in available:
        try:
            if nar.insert_draft(session.report, key):
                done.append(key)
            else:
                asks.append((key, nar.draft_conflict(session.report, key), available[key]))
        except nar.DraftError:       # a figure went blank meanwhile: skip this draft
            continue
    session.changed()
    await app.query_one(OverviewPane).recompose()
    app.reload_texts()
    app.after_change()
    if done:
        app.notify(f"已插入{len(done)}段起草文字")
    replaced: list[str] = []

    def ask(i: int) -> None:
        if i == len(asks):
            if asks:
                app.notify(f"替换了{len(replaced)}段，保留了您写的{len(asks) - len(replaced)}段")
            return
        key, mine, new = asks[i]
        if mine is None:                # nothing left to replace
            ask(i + 1)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                try:
                    nar.insert_draft(session.report, key, force=True)
                    replaced.append(key)
                except nar.DraftError:
                    pass
                session.changed()
                app.reload_texts()
                app.after_change()
            ask(i + 1)

        app.push_screen(ReplaceScreen(mine, new), answered)

    ask(0)


class TablePane(Pane):
    BINDINGS = [Binding("f4", "fill_zero", "空格填0")]

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
        self.app.after_change()

    @on(NumberGrid.Edited)
    def _edited(self, event: NumberGrid.Edited) -> None:
        self.note, self.error = event.note, event.error
        self.app.after_change()

    def on_resize(self) -> None:
        self.update_status()            # the cell's place line is fitted to the width

    @on(NumberGrid.Moved)
    def _moved(self, event: NumberGrid.Moved) -> None:
        self.note, self.error = "", ""
        self.session.remember_place(self.sid, event.cid)
        self.update_status()

    def update_status(self) -> None:
        g = self.grid
        s = self.session
        cid = g.cid
        row, col = g.where()
        room = self.size.width - 2 - cell_len("行：　列：")
        if self.size.width and cell_len(row) + cell_len(col) > room:
            # too long for the line: cut both paths from the left, so the row's and the column's own labels show
            col = shorten_path(col, min(cell_len(col), max(room - cell_len(row), room // 2)))
            row = shorten_path(row, max(8, room - cell_len(col)))
        self.query_one(f"#where-{self.sid}", Static).update(      # fixed heights (drafter.tcss): no layout
            Text.assemble(("行：", "dim"), row, ("　列：", "dim"), col, no_wrap=True, overflow="ellipsis"), layout=False)
        t = Text(no_wrap=False)
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
        if cid in s.derived:
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
            opts.append(Option(Text(f"{s.section_title(sid)}（错误{e}，提醒{len(fs) - e}）", style="bold"),
                               disabled=True))
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
            self.app.goto(f.cells[0])

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
            out.update(Text(f"已确认：{f.message}"))
            self.app.after_change()

        self.app.push_screen(ConfirmScreen(f), done)

    @on(Button.Pressed, "#btn-draft")
    def _draft(self) -> None:
        self.action_render(True)

    @on(Button.Pressed, "#btn-final")
    def _final(self) -> None:
        self.action_render(False)

    def action_render(self, draft: bool) -> None:
        self.query_one("#review-out", Static).update(self.app.render_report(draft))


# ---- the app --------------------------------------------------------------------------------------
class DrafterApp(App):
    CSS_PATH = "drafter.tcss"
    TITLE = "drafter"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {CellCommands}
    BINDINGS = [
        Binding("ctrl+q", "quit", "退出", priority=True),
        Binding("ctrl+c", "help_quit", show=False, system=True),
        Binding("f1", "help", "帮助"),
        Binding("f5", "show('review')", "检查与生成"),
        Binding("ctrl+z", "undo", "撤销"),
        Binding("ctrl+y", "redo", "重做"),
        Binding("escape", "to_nav", "各节", show=False),
    ]

    def __init__(self, path, goto: str | None = None, previous: str | None = None):
        super().__init__()
        self.session = Session(path, previous)
        self.goto_target = goto
        self.current = AGENCY
        self._started = False

    # ---- layout --------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        s = self.session
        yield Static(Text(f"drafter　{s.path.name}　{s.report.title}", no_wrap=True, overflow="ellipsis"),
                     id="titlebar")
        with Horizontal(id="body"):
            yield OptionList(*[Option(section_prompt(s, sid), id=sid) for sid in s.section_ids()], id="nav")
            first = self.first_section()
            with ContentSwitcher(id="main", initial=f"pane-{first}"):
                for pane in self.panes():
                    if pane.sid == first:
                        yield pane
                    else:                   # the sections not shown are built just after the first screen
                        pane.display = False
                        yield Lazy(pane)
        yield Footer(show_command_palette=False)

    def panes(self):
        s = self.session
        yield AgencyPane(self, AGENCY)
        for sec in s.fmt.sections:
            if sec.kind == "overview":
                yield OverviewPane(self, sec.id)
            elif sec.kind == "table":
                yield TablePane(self, sec.id)
            else:
                yield TextPane(self, sec.id)
        yield ReviewPane(self, REVIEW)

    def section_of(self, target: str) -> str | None:
        """The section of a cell id or text key (agency.name, text.overview.2, text.problems …)."""
        s = self.session
        if target in s.fmt.cells:
            return s.fmt.cells[target].table
        if target.startswith("agency."):
            return AGENCY
        if target.startswith("text."):
            part = target.split(".")[1]
            return "overview" if part in ("overview", "intro") else part if part in s.section_ids() else None
        return None

    def first_section(self) -> str:
        """The section the editor opens on: --goto's, else where the clerk was."""
        if self.goto_target:
            return self.section_of(self.goto_target) or AGENCY
        sec, cell = self.session.place()
        if cell and (sec is None or sec == cell.split(".")[0]):
            return self.section_of(cell) or AGENCY
        return sec or AGENCY

    def mounted(self, sid: str) -> bool:
        return bool(self.query(f"#pane-{sid}"))

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        self._start()                   # the first section is there (the others come just after the first screen)

    def _started_now(self) -> None:
        # the section list highlights its first entry when mounted: point it back at the section shown, and only
        # from now on follow its highlight
        nav = self.query_one("#nav", OptionList)
        idx = self.session.section_ids().index(self.current)
        if nav.highlighted != idx:
            nav.highlighted = idx
        self._started = True

    def _start(self) -> None:
        self.call_after_refresh(self._started_now)
        if self.goto_target:
            self.goto(self.goto_target)
            return
        sec, cell = self.session.place()
        if cell and (sec is None or sec == cell.split(".")[0]):
            self.goto(cell)
        else:
            self.show(sec or AGENCY, focus=sec is not None)
            if sec is None:
                self.query_one("#nav", OptionList).focus()

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette",
                                            placeholder="输入要做的事：转到某节、某个单元格、检查、生成…"))

    def get_system_commands(self, screen):
        s = self.session
        for sid in s.section_ids():
            yield SystemCommand(f"转到：{s.section_title(sid)}", "打开这一节", partial(self.show, sid, True))
        yield SystemCommand("检查：列出全部问题", "打开检查与生成", partial(self.show, REVIEW, True))
        yield SystemCommand("生成草稿（.docx）", "有错误也可以生成，文件标明草稿", partial(self._render_from_palette, True))
        yield SystemCommand("生成正式文件（.docx）", "改正全部错误后才能生成", partial(self._render_from_palette, False))
        if self.current in s.fmt.tables:
            yield SystemCommand("本表空格全部填0", "没有发生的事项填0（可撤销）", self._fill_zero)
        yield SystemCommand("撤销", "撤销上一次修改表格数字", self.action_undo)
        yield SystemCommand("重做", "恢复刚撤销的修改", self.action_redo)
        yield SystemCommand("帮助", "按键说明", self.action_help)
        yield SystemCommand("退出", "所有修改都已保存", self.exit)

    def _fill_zero(self) -> None:
        self.query_one(f"#pane-{self.current}", TablePane).action_fill_zero()

    def _render_from_palette(self, draft: bool) -> None:
        self.show(REVIEW, True)
        self.query_one(ReviewPane).action_render(draft)

    # ---- navigation --------------------------------------------------------------------------------
    def show(self, sid: str, focus: bool = False) -> None:
        if sid not in self.session.section_ids():
            return
        if not self.mounted(sid):           # still being built (just after start): show it when it is there
            self.call_after_refresh(self.show, sid, focus)
            return
        self.current = sid
        self.query_one("#main", ContentSwitcher).current = f"pane-{sid}"
        nav = self.query_one("#nav", OptionList)
        idx = self.session.section_ids().index(sid)
        if nav.highlighted != idx:
            nav.highlighted = idx
        pane = self.query_one(f"#pane-{sid}", Pane)
        pane.update_status()
        self.session.remember_place(sid)
        if focus:
            w = pane.first_focus()
            if w is not None:
                self.call_after_refresh(w.focus)

    def action_show(self, sid: str) -> None:
        self.show(sid, True)

    def goto(self, target: str) -> None:
        """Open the section of a cell id or text key and focus it."""
        s = self.session
        sec = self.section_of(target)
        if sec is not None and not self.mounted(sec):
            self.call_after_refresh(self.goto, target)
            return
        if target in s.fmt.cells:
            tid = s.fmt.cells[target].table
            self.show(tid)
            grid = self.query_one(f"#grid-{tid}", NumberGrid)
            grid.cursor_to(target)
            grid.focus()                         # at once: a key typed as soon as the cell shows goes to it
            self.call_after_refresh(grid.ensure_visible)
            return
        if target.startswith("agency."):
            self.show(AGENCY)
            wid = {"agency.signed_on": "#signed-on", "agency.level": "#agency-level"}.get(target, "#agency-name")
            self.call_after_refresh(self.query_one(wid).focus)
            return
        if target.startswith("text."):
            parts = target.split(".")
            if parts[1] == "overview":
                self.show("overview")
                sel = f"#ov-body-{parts[2]}" if len(parts) > 2 else "#intro"
            elif parts[1] == "intro":
                self.show("overview")
                sel = "#intro"
            else:
                self.show(parts[1])
                sel = f"#text-{parts[1]}"
            found = self.query(sel)
            if found:
                self.call_after_refresh(found.first().focus)
            return
        self.notify(f"找不到「{target}」", severity="warning")

    @on(OptionList.OptionHighlighted, "#nav")
    def _nav_moved(self, event: OptionList.OptionHighlighted) -> None:
        nav = self.query_one("#nav", OptionList)
        if self._started and nav.has_focus and event.option.id and event.option.id != self.current:
            self.show(event.option.id)

    @on(OptionList.OptionSelected, "#nav")
    def _nav_chosen(self, event: OptionList.OptionSelected) -> None:
        if self._started:
            self.show(event.option.id, focus=True)

    def action_to_nav(self) -> None:
        self.query_one("#nav", OptionList).focus()

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_help_quit(self) -> None:
        self.notify("按 Ctrl+Q 退出（修改都已保存）")

    # ---- changes ------------------------------------------------------------------------------------
    @on(TextArea.Changed)
    def _text_changed(self, event: TextArea.Changed) -> None:
        box = event.text_area
        if not isinstance(box, TextBox):
            return
        key = box.key
        r = self.session.report
        old = r.overview()[int(key.split(".")[1])].get("body") if key.startswith("overview.") else r.text.get(key)
        if (old or "") != box.text:
            self.session.set_text(key, box.text)
            if "." not in key:
                for hint in self.query(f"#carried-{key}"):
                    hint.remove()
            self.after_change()

    def reload_texts(self) -> None:
        """Text fields whose text changed behind them (drafted sentences inserted or updated)."""
        for box in self.query(TextBox):
            want = self.session.box_text(box.key)
            if box.text != want:
                box.load_text(want)

    def after_change(self) -> None:
        """Repaint what depends on the figures and texts: the section list, the pane shown, the review."""
        s = self.session
        if s.drafts_updated:
            s.drafts_updated = []
            self.reload_texts()
        nav = self.query_one("#nav", OptionList)
        for i, sid in enumerate(s.section_ids()):
            prompt = section_prompt(s, sid)
            if nav.get_option_at_index(i).prompt != prompt:     # a replaced prompt repaints the whole list
                nav.replace_option_prompt_at_index(i, prompt)
        pane = self.query_one(f"#pane-{self.current}", Pane)
        pane.update_status()            # the other panes bring themselves up to date when shown
        for g in pane.query(NumberGrid):
            g.refresh()

    def _jump_to_changes(self, batch) -> None:
        if batch:
            self.goto(batch[0].cid)
            pane = self.query_one(f"#pane-{self.current}")
            if isinstance(pane, TablePane):
                pane.note, pane.error = "", ""
            self.after_change()

    def action_undo(self) -> None:
        for g in self.query(NumberGrid):
            g.commit()
        batch = self.session.undo()
        if batch is None:
            self.notify("没有可以撤销的修改")
        self._jump_to_changes(batch)

    def action_redo(self) -> None:
        batch = self.session.redo()
        if batch is None:
            self.notify("没有可以重做的修改")
        self._jump_to_changes(batch)

    def render_report(self, draft: bool) -> Text:
        s = self.session
        for g in self.query(NumberGrid):
            g.commit()
        errs = blocking(s.findings, s.report.format)
        if not draft and errs:
            return Text(f"还有{len(errs)}处须改正（{errs[0].message}），不能生成正式文件。"
                        "请先改正（Enter 转到该处），或先生成草稿。", style="bold red")
        try:
            from ..render import default_name, render_docx
        except ImportError:
            return Text("本机的drafter没有生成Word的模块（drafter.render），请更新drafter。", style="bold red")
        out = s.path.with_name(default_name(s.report, "（草稿）.docx" if draft else ".docx"))
        try:
            path = render_docx(s.report, out, draft=draft)
        except Exception as e:  # show the renderer's failure, keep the editor open
            return Text(f"生成失败：{e}", style="bold red")
        return Text.assemble(("已生成" + ("草稿" if draft else "正式文件") + "：", "bold green"), str(path))

    def on_unmount(self) -> None:
        try:
            self.session.save()     # keeps the place (section and cell) for next time
        except OSError:
            pass


def run_editor(path, goto: str | None = None, previous: str | None = None) -> int:
    """Open the editor on a drafter file; returns the exit status. Raises ReportError for an unreadable file."""
    app = DrafterApp(Path(path), goto=goto, previous=previous)
    app.run()
    return 0
