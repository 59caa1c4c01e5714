"""drafter edit: the clerk's terminal UI. Sections on the left, the chosen one on the right, keys in the footer."""
from __future__ import annotations

import asyncio
import importlib.resources
import signal
import sys
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from rich.text import Text
from textual import events, on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.containers import Horizontal
from textual.lazy import Lazy
from textual.widgets import ContentSwitcher, Footer, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from ..checks import blocking
from ..disk import why_not_written
from .commands import CellCommands, ChinesePalette
from .drafting import insert_drafts
from .grid import NumberGrid
from .panes.agency import AgencyPane
from .panes.base import Pane, TextBox
from .panes.overview import OverviewPane
from .panes.review import ReviewPane
from .panes.table import TablePane
from .panes.text import TextPane
from .screens.confirm import ConfirmScreen
from .screens.conflict import ConflictScreen
from .screens.help import HelpScreen
from .screens.replace import ReplaceScreen
from .screens.unsaved import UnsavedScreen
from .session import AGENCY, REVIEW, Session
from .status import section_prompt

__all__ = ["ConfirmScreen", "DrafterApp", "ReplaceScreen", "run_editor"]


class DrafterApp(App):
    # the stylesheet ships in the package and is read through importlib.resources, as every data file is
    CSS = importlib.resources.files("drafter.tui").joinpath("drafter.tcss").read_text(encoding="utf-8")
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
        Binding("shift+f3", "draft_all", "起草全部", show=False),
        Binding("escape", "to_nav", "各节", show=False),
        Binding("ctrl+s", "save", "保存", show=False),
    ]

    def __init__(self, path, goto: str | None = None, previous: str | None = None, read_only: bool = False,
                 read_only_reason: str = "", notice: str | None = None):
        super().__init__()
        self.session = Session(path, previous, read_only=read_only, read_only_reason=read_only_reason)
        self.notice = notice            # a stale lock taken over: said once the screen is up
        self.goto_target = goto
        self.current = AGENCY
        self._started = False
        self.last_said = ""                 # the last line said to the clerk (say)
        self._nav_seq = 0                   # moves to a section waiting for it to be built: only the last counts
        self.ended_by: int | None = None    # the signal that ended the editor (end_by_signal)
        self.signal_said = ""               # what became of the changes then, said after the screen is gone

    # ---- layout --------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        s = self.session
        yield Static(Text(f"drafter　{s.path.name}" + ("　【只读】" if s.read_only else "") + f"　{s.report.title}",
                          no_wrap=True, overflow="ellipsis"), id="titlebar")
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
        yield Static("", id="savebar")
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
            return ("overview" if part in ("overview", "intro", "overview_lead")
                    else part if part in s.section_ids() else None)
        return target if target in s.section_ids() else None

    def first_section(self) -> str:
        """The section the editor opens on: --goto's, else where the clerk was."""
        if self.goto_target:
            return self.section_of(self.goto_target) or AGENCY
        sec, cell = self.session.place()
        if cell and (sec is None or sec == cell.split(".")[0]):
            return self.section_of(cell) or AGENCY
        return sec or AGENCY

    def mounted(self, sid: str) -> bool:
        """The pane of `sid` is there with its fields (the panes not shown first are built just after)."""
        found = self.query(f"#pane-{sid}")
        return bool(found) and bool(found.first().children)

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        self.update_savebar()
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
            self.push_screen(ChinesePalette(id="--command-palette",
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
        yield SystemCommand("按表格起草全部文字", "主动公开、依申请公开、复议诉讼、信息处理费（Shift+F3）",
                            self.action_draft_all)
        yield SystemCommand("撤销", "撤销上一次修改（数字、文字、小节、基本信息、确认）", self.action_undo)
        yield SystemCommand("重做", "恢复刚撤销的修改", self.action_redo)
        yield SystemCommand("帮助", "按键说明", self.action_help)
        yield SystemCommand("保存", "修改随时自动保存；保存失败后可用此项再试", self.action_save)
        yield SystemCommand("退出", "有未保存的修改时先问", self.action_quit)

    def _fill_zero(self) -> None:
        self.query_one(f"#pane-{self.current}", TablePane).action_fill_zero()

    def _render_from_palette(self, draft: bool) -> None:
        self.show(REVIEW, True)
        self.query_one(ReviewPane).action_render(draft)

    # ---- navigation --------------------------------------------------------------------------------
    def _moved_on(self, seq: int | None) -> int | None:
        """None when a move waiting for its section (`seq`) was overtaken by a later one, else its number."""
        if seq is None:
            self._nav_seq += 1
            return self._nav_seq
        return seq if seq == self._nav_seq else None

    def show(self, sid: str, focus: bool = False, _seq: int | None = None) -> None:
        if sid not in self.session.section_ids():
            return
        seq = self._moved_on(_seq)
        if seq is None:
            return
        if not self.mounted(sid):           # still being built (just after start): show it when it is there
            self.call_after_refresh(self.show, sid, focus, seq)
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

    def goto(self, target: str, _seq: int | None = None) -> None:
        """Open the section of a cell id or text key and focus it (unless the clerk has moved on meanwhile)."""
        s = self.session
        sec = self.section_of(target)
        seq = self._moved_on(_seq)
        if seq is None:
            return
        if sec is not None and not self.mounted(sec):
            self.call_after_refresh(self.goto, target, seq)
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
            elif parts[1] in ("intro", "overview_lead"):
                self.show("overview")
                sel = "#intro" if parts[1] == "intro" else "#ov-lead"
            else:
                self.show(parts[1])
                sel = f"#text-{parts[1]}"
            found = self.query(sel)
            if found:
                self.call_after_refresh(found.first().focus)
            return
        if target in s.section_ids():
            self.show(target, focus=True)
            return
        self.notify(f"找不到「{target}」", severity="warning")

    @on(OptionList.OptionHighlighted, "#nav")
    def _nav_moved(self, event: OptionList.OptionHighlighted) -> None:
        nav = self.query_one("#nav", OptionList)
        # the list's highlight as it is now, not as the event had it: a late event (the highlight set at mount)
        # must not take the clerk back to a section already left
        ids = self.session.section_ids()
        sid = ids[nav.highlighted] if nav.highlighted is not None and nav.highlighted < len(ids) else None
        if self._started and nav.has_focus and sid and sid != self.current:
            self.show(sid)

    @on(OptionList.OptionSelected, "#nav")
    def _nav_chosen(self, event: OptionList.OptionSelected) -> None:
        if self._started and event.option.id:
            self.show(event.option.id, focus=True)

    def action_to_nav(self) -> None:
        self.query_one("#nav", OptionList).focus()

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_help_quit(self) -> None:
        self.notify("按 Ctrl+Q 退出" + ("（修改都已保存）" if not self.session.dirty else "（有修改尚未保存）"))

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
            self.after_change()

    def refresh_nav(self) -> None:
        """The section list's states; folded to a strip while a table has focus."""
        s = self.session
        nav = self.query_one("#nav", OptionList)
        narrow = bool(self.screen_stack) and self.screen.has_class("grid-focus")
        for i, sid in enumerate(s.section_ids()):
            prompt = section_prompt(s, sid, narrow=narrow)
            if nav.get_option_at_index(i).prompt != prompt:     # a replaced prompt repaints the whole list
                nav.replace_option_prompt_at_index(i, prompt)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if not self.screen_stack:           # shutting down
            return
        pane = next((a for a in event.widget.ancestors if isinstance(a, Pane)), None)
        if pane is not None and pane.sid not in self.session.entered() and pane.sid not in (AGENCY, REVIEW):
            self.session.enter(pane.sid)        # its findings count from now on
            self.refresh_nav()
        if self.screen.has_class("grid-focus") != isinstance(event.widget, NumberGrid):
            self.screen.set_class(isinstance(event.widget, NumberGrid), "grid-focus")
            self.refresh_nav()

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
        self.refresh_nav()
        pane = self.query_one(f"#pane-{self.current}", Pane)
        pane.update_status()            # the other panes bring themselves up to date when shown
        for g in pane.query(NumberGrid):
            g.refresh()
        self.update_savebar()
        if s.conflict is not None and not isinstance(self.screen, ConflictScreen):
            self.ask_conflict()

    # ---- saving --------------------------------------------------------------------------------------
    def update_savebar(self) -> None:
        """The status line of the file: why a change is not saved (only while there is something to say)."""
        s = self.session
        if s.problem:
            text = Text(s.problem, style="bold red" if not s.read_only else "bold yellow")
        elif s.read_only:
            why = f"（{s.read_only_reason}）" if s.read_only_reason else ""
            text = Text(f"只读{why}：不会写入此文件；有修改时，退出时可另存到别处", style="bold yellow")
        elif self.notice and not s.dirty and not s.wrote:     # said until the first change
            text = Text(self.notice, style="yellow")
        else:
            text = Text("")
        bar = self.query_one("#savebar", Static)
        bar.update(text)
        bar.display = bool(text.plain)

    def action_save(self) -> None:
        """Ctrl+S: write what is not written yet (after a failed save); saving is otherwise automatic."""
        for g in self.query(NumberGrid):
            g.commit()
        s = self.session
        if s.conflict is not None:
            self.ask_conflict()
            return
        if not s.dirty:
            self.notify("修改都已保存")
        elif s.flush():
            self.notify("已保存")
        self.update_savebar()

    def ask_conflict(self) -> None:
        s = self.session
        if s.conflict is None:
            return
        self.push_screen(ConflictScreen(s.conflict, str(s.copy_target())), self._conflict_answered)

    def _conflict_answered(self, answer: str | None) -> None:
        s = self.session
        if answer == "write":
            s.flush(force=True)
        elif answer in ("keep", "reload"):
            said = "已重新读取文件"
            if answer == "keep":
                try:
                    mine = s.save_copy()
                except OSError as e:
                    s.problem = f"您的版本未能另存：{why_not_written(e)}。修改仍在编辑器中"
                    self.update_savebar()
                    return
                said = f"您的版本已另存为「{mine}」；现在显示的是文件中的新内容"
            try:
                s.reload()
            except Exception as e:  # noqa: BLE001 - ReportError (the other program left a broken file), OSError
                s.problem = f"无法重新读取：{e}"
                self.update_savebar()
                return
            # rebuilt once the dialog is gone (awaiting it inside the dialog's own callback would wait for itself)
            self.call_later(self.rebuild, said)
        self.update_savebar()

    async def rebuild(self, said: str = "") -> None:
        """Every pane built again from the session (after the file was read again); the place is kept."""
        place = self.focused
        cid = place.cid if isinstance(place, NumberGrid) else None
        for pane in self.query(Pane):
            await pane.recompose()
            pane.update_status()
        self.after_change()
        if cid is not None:
            self.goto(cid)
        else:
            self.show(self.current, focus=True)
        if said:
            self.notify(said, timeout=15)

    def action_quit(self) -> None:  # type: ignore[override]
        """Ctrl+Q. With changes not in the file (read-only, a failed save, an outside change), ask where to put
        them; quitting without them ends with exit status 1."""
        for g in self.query(NumberGrid):
            g.commit()
        s = self.session
        if s.dirty and s.conflict is None:
            s.flush()                       # one more try
        if not s.dirty:
            self.exit(return_code=0)
            return
        why = s.problem or "修改尚未写入文件"
        self.push_screen(UnsavedScreen(why, str(s.copy_target("未保存的修改"))), self._quit_answered)

    def end_by_signal(self, signum: int) -> None:
        """SIGTERM, SIGHUP (the terminal closed), SIGBREAK (Windows): end as Ctrl+Q does, without asking. What is
        not in the file yet is written, or, where it cannot be (read-only, a failed save, an outside change),
        saved beside it; exit status 128 + the signal's number."""
        if self.ended_by is not None:
            return
        self.ended_by = signum
        if self.screen_stack:
            self._commit_all()
        s = self.session
        if s.dirty and s.conflict is None:
            s.flush()
        if not s.dirty:
            self.signal_said = "修改都已保存" if s.wrote else "未作修改"
        else:
            try:
                copy = s.save_copy(label="未保存的修改")
                self.signal_said = f"修改未能写入「{s.path.name}」，已另存为 {copy}"
            except OSError as e:
                self.signal_said = f"修改未能保存（{why_not_written(e)}）"
        while len(self.screen_stack) > 1:   # a dialog open: its answer is no longer awaited
            self.pop_screen()
        self._exit_when_built(128 + signum)

    def _exit_when_built(self, code: int, tries: int = 40) -> None:
        """Exit once the sections built just after start are there (a dialog that came up at once holds them back;
        ending before they are mounted fails in Textual), waiting at most 2 s."""
        if tries and self.screen_stack and self.screen_stack[0].query(Lazy):
            self.set_timer(0.05, partial(self._exit_when_built, code, tries - 1))
            return
        self.exit(return_code=code)

    def _quit_answered(self, answer: str | None) -> None:
        s = self.session
        if answer is None:
            self.update_savebar()
            return
        if answer == "":
            self.exit(return_code=1, message=f"drafter：修改未保存，「{s.path.name}」保持打开前的样子")
            return
        try:
            target = s.save_copy(Path(answer).expanduser())
        except OSError as e:
            why = "文件已存在，请换一个名字" if isinstance(e, FileExistsError) else why_not_written(e)
            self.push_screen(UnsavedScreen(f"未能保存到「{answer}」：{why}", answer), self._quit_answered)
            return
        self.exit(return_code=0, message=f"drafter：修改已保存到 {target}（「{s.path.name}」未改动）")

    # ---- one history: undo, redo ----------------------------------------------------------------------
    def say(self, text: str, warn: bool = False) -> None:
        """A line for the clerk: in the table's status line when a table is shown, else as a notice."""
        self.last_said = text
        pane = self.query(f"#pane-{self.current}")
        if pane and isinstance(pane.first(), TablePane):
            pane.first(TablePane).say(text)     # the table's status line: no notice over the figures
        else:
            self.notify(text, severity="warning" if warn else "information")

    async def resync(self) -> None:
        """Every field shows the report as it is now (after undo or redo, drafts inserted)."""
        self.reload_texts()
        for pane in self.query(Pane):
            await pane.sync()
        self.reload_texts()
        self.after_change()

    def _commit_all(self) -> None:
        for g in self.query(NumberGrid):
            g.commit()

    def action_undo(self) -> None:
        """Ctrl+Z, in every section: the last change of any kind, shown where it was, said what it was."""
        self._commit_all()
        step = self.session.undo()
        if step is None:
            self.say("没有可以撤销的修改")
            return
        self.call_next(self._land, step.place, f"已撤销：{step.label}")

    def action_redo(self) -> None:
        self._commit_all()
        step = self.session.redo()
        if step is None:
            self.say("没有可以重做的修改")
            return
        self.call_next(self._land, step.place, f"已重做：{step.label}")

    async def _land(self, place: str, message: str) -> None:
        await self.resync()
        self.goto(place)
        self.call_after_refresh(self.say, message)

    async def action_draft_all(self) -> None:
        """Shift+F3 (or the palette): every drafted paragraph; says which texts changed."""
        self._commit_all()
        focused = self.focused
        await insert_drafts(self, self.session, None, back_to=focused if isinstance(focused, TextBox) else None)

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
        self.session.close()        # the place (section and cell) for next time, only if the clerk changed something


# SIGTERM (a kill, a shutdown), SIGHUP (the terminal window closed), SIGBREAK (Windows: Ctrl+Break; the C runtime
# also reports a closed console as SIGBREAK, though Windows ends the process as soon as it has been told)
ENDING_SIGNALS = tuple(s for s in (getattr(signal, n, None) for n in ("SIGTERM", "SIGHUP", "SIGBREAK")) if s is not None)


@contextmanager
def signals_end_editor(app: DrafterApp | None = None):
    """While the editor runs, the ENDING_SIGNALS end it as Ctrl+Q does (app.end_by_signal, in its event loop);
    outside its event loop (starting, ending), or at a second signal, they raise SystemExit(128 + number), so that
    the callers' `finally` still removes the lock. A signal ignored on entry (nohup) stays ignored."""
    def ended(signum, frame):
        try:
            loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if app is None or loop is None or app.ended_by is not None:
            raise SystemExit(128 + signum)
        loop.call_soon_threadsafe(app.end_by_signal, signum)

    before = {}
    for sig in ENDING_SIGNALS:
        try:
            old = signal.getsignal(sig)
            if old == signal.SIG_IGN:
                continue
            signal.signal(sig, ended)
            before[sig] = old
        except (OSError, ValueError):       # not the main thread, or a signal this system does not deliver
            pass
    try:
        yield
    finally:
        for sig, old in before.items():
            signal.signal(sig, old if old is not None else signal.SIG_DFL)


def run_editor(path, goto: str | None = None, previous: str | None = None, read_only: bool = False,
               read_only_reason: str = "", notice: str | None = None) -> int:
    """Open the editor on a drafter file; returns the exit status (1: changes left unsaved; 128 + n: ended by
    signal n, changes saved). Raises ReportError for an unreadable file."""
    app = DrafterApp(Path(path), goto=goto, previous=previous, read_only=read_only,
                     read_only_reason=read_only_reason, notice=notice)
    with signals_end_editor(app):
        app.run()
    if app.ended_by is not None:
        try:
            print(f"drafter：收到{signal.Signals(app.ended_by).name}，编辑器已关闭；{app.signal_said}", file=sys.stderr)
        except (OSError, ValueError):       # the terminal is gone (SIGHUP)
            pass
    return app.return_code or 0
