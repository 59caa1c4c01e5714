"""The editor under real conditions (issue 13, items 2–5): two `drafter edit` on one file, a file changed by another
program while the editor has it open, an imported report opened and closed, saves that fail.

Real processes in tmux for the lock, the outside change and a folder that disappears; Textual's Pilot for the rest.
"""
import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from terminal import Terminal, wait_for
from textual.widgets import Button, Input, Static

from drafter import cli
from drafter import report as report_mod
from drafter.lock import lock_path, this_host, this_user
from drafter.report import load
from drafter.tui.app import DrafterApp
from drafter.tui.grid import NumberGrid
from drafter.tui.screens.unsaved import UnsavedScreen

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "青山镇-2021.yaml"
SEED_000 = next((ROOT / "samples" / "seeds").glob("000_*.txt"))
SIZE = (100, 30)

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


# ---- real processes in tmux ------------------------------------------------------------------------


class Editor(Terminal):
    """`drafter edit` in its own tmux session at 100×30; its exit status is printed as EXIT=n when it ends."""

    def __init__(self, name: str, folder: Path, args: str):
        super().__init__(name, folder, f"{sys.executable} -m drafter.cli edit {args}; echo EXIT=$?; sleep 120")

    def exit_status(self) -> int:
        line = self.wait("EXIT=", "the editor ended")
        return int(line.split("EXIT=")[1].split()[0])

    def pid(self) -> int:
        return self.child_pid()


def listing(folder: Path) -> dict:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


@needs_tmux
def test_second_editor_is_told_who_has_the_file_and_opens_read_only(sample):
    """Item 2: one editor per file. A second `drafter edit` names who has the file open, opens it read-only on
    the clerk's word, and writes nothing whatever is typed; the lock goes when the first editor ends."""
    folder = sample.parent
    a = Editor("lock-a", folder, f"{sample.name} --goto requests.new.natural")
    b = None
    try:
        a.wait("行：一、本年新收", "the first editor open")
        assert lock_path(sample).exists()
        a.keys("7")
        wait_for(lambda: load(sample).figures["requests.new.natural"] == 7, "the first editor's value saved")
        after_a = listing(folder)
        a_pid = a.pid()

        b = Editor("lock-b", folder, f"{sample.name} --goto requests.new.commercial")
        screen = b.wait("以只读方式打开？", "the second editor asks")
        who = f"「{sample.name}」正由 {this_user()} 在 {this_host()} 上编辑（进程 {a_pid}，自 "
        assert who in screen, screen
        b.keys("Enter")
        b.wait("【只读】", "the second editor open read-only")
        b.wait("只读（另有编辑正在修改此文件）", "the status line says read-only")
        # the place line names the column by its own label, its groups before it where the width allows
        wait_for(lambda: re.search(r"列：(\S*／)?商业企业", b.screen()), "the second editor at requests.new.commercial",
                 show=b.screen)
        b.keys("5")                                    # typed into the read-only view: kept in memory only
        b.wait("只读：修改不会写入文件")
        time.sleep(0.5)
        assert listing(folder) == after_a               # nothing written, no lock, no backup, no temp file
        b.keys("C-q")
        b.wait("还有修改没有保存", "asked where to save at quit")
        b.keys("Tab", "Tab", "Enter")                   # 不保存，退出
        assert b.exit_status() == 1
        assert "drafter：修改未保存" in b.screen()
        assert listing(folder) == after_a

        a.keys("C-q")
        assert a.exit_status() == 0
        assert not lock_path(sample).exists()           # removed at exit
        assert load(sample).figures["requests.new.natural"] == 7
    finally:
        a.close()
        if b is not None:
            b.close()


@needs_tmux
def test_lock_of_a_killed_editor_is_taken_over_with_a_notice(sample):
    """Item 2: an editor killed outright (SIGKILL: no clean-up) leaves its lock; the next editor on this machine
    sees that its process has ended, takes the lock over and says so."""
    folder = sample.parent
    a = Editor("stale-a", folder, sample.name)
    c = None
    try:
        a.wait("基本信息", "the first editor open")
        pid = a.pid()
        os.kill(pid, signal.SIGKILL)
        a.wait("EXIT=137", "the first editor killed")
        assert lock_path(sample).exists()               # left behind
        c = Editor("stale-c", folder, sample.name)
        screen = c.wait("已不在运行", "the notice of the lock taken over")
        assert f"进程 {pid}" in screen and "接管" in screen
        assert "以只读方式打开？" not in screen and "【只读】" not in screen
        assert f'"pid": {c.pid()}' in lock_path(sample).read_text(encoding="utf-8")
        c.keys("C-q")
        assert c.exit_status() == 0
        assert not lock_path(sample).exists()
    finally:
        a.close()
        if c is not None:
            c.close()


OTHER_PROGRAM = r"""
import sys
from drafter.report import load
path = sys.argv[1]
r = load(path)
r.figures["requests.new.research"] = 42
r.text["problems"] = "另一个程序写的"
r.save(path)
"""


@needs_tmux
def test_change_by_another_program_is_never_overwritten(sample):
    """Item 3: another program saves the file while the editor has it open. The editor's next save stops and
    says so; the clerk keeps their own version under another name, and the editor goes on with the new file."""
    folder = sample.parent
    a = Editor("outside", folder, f"{sample.name} --goto requests.new.natural")
    try:
        a.wait("行：一、本年新收", "the editor open")
        subprocess.run([sys.executable, "-c", OTHER_PROGRAM, str(sample)], check=True)
        theirs = sample.read_bytes()
        a.keys("7")
        screen = a.wait("另存我的版本（K）", "the editor asks what to do")
        assert "已被其他程序修改" in screen and "重新读取（R）" in screen
        time.sleep(0.3)
        assert sample.read_bytes() == theirs            # never a silent overwrite
        a.keys("k")
        a.wait("您的版本已另存为", "the clerk's version kept")
        copies = [p for p in folder.iterdir() if "（我的版本 " in p.name]
        assert len(copies) == 1 and copies[0].name.startswith("青山镇-2021（我的版本 2")
        mine = load(copies[0])
        assert mine.figures["requests.new.natural"] == 7
        assert mine.figures["requests.new.research"] != 42
        assert sample.read_bytes() == theirs
        # the editor now holds the other program's file, and saves over it again
        a.wait("行：一、本年新收")
        a.keys("Escape", "F5")                           # anywhere: the review pane
        a.keys("C-q")
        assert a.exit_status() == 0
        back = load(sample)
        assert back.figures["requests.new.research"] == 42 and back.text["problems"] == "另一个程序写的"
    finally:
        a.close()


@needs_tmux
def test_folder_removed_while_editing_is_said_and_quitting_without_saving_exits_1(tmp_path):
    """Item 5 in a real process (works as root too): the folder is taken away while the editor has the file open.
    A Chinese message in the status line, the value kept; Ctrl+Q asks where to save; declining exits with 1 and
    no traceback."""
    folder = tmp_path / "U盘"
    folder.mkdir()
    path = folder / "青山镇-2021.yaml"
    path.write_bytes(SAMPLE.read_bytes())
    a = Editor("gone", tmp_path, f"U盘/{path.name} --goto requests.new.natural")
    try:
        a.wait("行：一、本年新收", "the editor open")
        folder.rename(tmp_path / "拔出")
        a.keys("7")
        screen = a.wait("未能保存：文件夹已不存在", "the failed save said")
        assert "修改仍在编辑器中" in screen and "Traceback" not in screen
        screen = a.screen()                              # the value typed is still on screen
        assert re.search(r"一、本年新收[^│\n]*│ *7 │", screen), screen
        a.keys("C-q")
        screen = a.wait(str(Path.home()), "another place offered: the folder is gone")
        assert "还有修改没有保存" in screen
        a.keys("Tab", "Tab", "Enter")
        assert a.exit_status() == 1
        assert "Traceback" not in a.screen()
    finally:
        a.close()


# ---- Pilot -------------------------------------------------------------------------------------------
def savebar(app) -> str:
    bar = app.query_one("#savebar", Static)
    return str(bar.render()) if bar.display else ""


def snapshot(folder: Path) -> dict:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}


@pytest.fixture
def imported(tmp_path) -> Path:
    out = tmp_path / "南岳镇-2020.yaml"
    assert cli.main(["import", str(SEED_000), "-o", str(out)]) == 0
    return out


async def test_imported_report_opened_and_quit_writes_nothing_and_f6_accepts_a_total(imported):
    """Item 4: opening seed 000 and quitting writes nothing; its published 总计 (0) stays until the clerk presses
    F6 on it, and the editor shows both figures."""
    before = snapshot(imported.parent)
    app = DrafterApp(imported, goto="requests.unable.not_held.total")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.session.value("requests.unable.not_held.total") == 0
        msg = str(app.query_one("#msg-requests", Static).render())
        assert msg.startswith("原文总计0，各项之和1（F6 采用各项之和）")
        await pilot.press("down", "up")                 # moving about is no change
        await pilot.press("ctrl+q")
    assert app.return_code == 0
    assert snapshot(imported.parent) == before          # not a byte, not a backup, not a time stamp

    text_before = imported.read_text(encoding="utf-8")
    app = DrafterApp(imported, goto="requests.unable.not_held.total")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f6")
        assert app.session.value("requests.unable.not_held.total") == 1
        await pilot.press("ctrl+q")
    after = imported.read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(text_before.splitlines(), after.splitlines(), strict=False) if a != b]
    assert changed == [("  requests.unable.not_held.total: 0", "  requests.unable.not_held.total: 1")]
    assert load(imported).figures["requests.total.total"] == 0        # the other published total untouched


async def test_disk_full_is_said_kept_and_retried(sample, monkeypatch):
    """Item 5: a save that fails (disk full) is said in Chinese in the status line; the value stays in memory and
    is written on Ctrl+S once there is room; nothing is lost."""
    real = os.fsync

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    app = DrafterApp(sample, goto="requests.new.natural")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert savebar(app) == ""
        monkeypatch.setattr(report_mod.os, "fsync", full)
        await pilot.press("7")
        assert savebar(app).startswith("未能保存：磁盘已满。修改仍在编辑器中")
        assert app.query_one(NumberGrid).session.value("requests.new.natural") == 7
        assert load(sample).figures["requests.new.natural"] != 7
        monkeypatch.setattr(report_mod.os, "fsync", real)
        await pilot.press("ctrl+s")
        assert savebar(app) == ""
        assert load(sample).figures["requests.new.natural"] == 7
        await pilot.press("ctrl+q")
    assert app.return_code == 0


async def test_quitting_with_a_failed_save_offers_another_place(sample, tmp_path, monkeypatch):
    """Item 5: quitting while a change is not in the file asks where to save it; saved there, the exit is 0."""
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    elsewhere = tmp_path / "别处.yaml"
    app = DrafterApp(sample, goto="requests.new.natural")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        original = sample.read_bytes()
        monkeypatch.setattr(report_mod.os, "fsync", full)
        await pilot.press("7", "ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedScreen)
        monkeypatch.undo()                                # the other place has room
        box = app.screen.query_one("#target", Input)
        assert "（未保存的修改 " in box.value
        box.value = str(elsewhere)
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_code == 0
    assert load(elsewhere).figures["requests.new.natural"] == 7
    assert sample.read_bytes() == original


async def test_file_that_cannot_be_written_opens_read_only_at_once(sample, monkeypatch):
    """Item 5: a file in a folder that cannot be written (here: a read-only file system, which stops root too) is
    said on the first screen and opened read-only; nothing is written, quitting untouched exits 0."""
    real_open = os.open

    def read_only_fs(path, flags, *a, **kw):
        if flags & os.O_CREAT and Path(path).parent == sample.parent:
            raise OSError(errno.EROFS, "Read-only file system")
        return real_open(path, flags, *a, **kw)

    monkeypatch.setattr(os, "open", read_only_fs)
    before = snapshot(sample.parent)
    app = DrafterApp(sample, goto="requests.new.natural")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        title = str(app.query_one("#titlebar", Static).render())
        assert "【只读】" in title
        assert savebar(app).startswith("只读（文件夹不能写入（磁盘是只读的））")
        await pilot.press("7")
        assert "只读：修改不会写入文件" in savebar(app)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedScreen)
        await pilot.click("#discard")
        await pilot.pause()
    assert app.return_code == 1
    assert snapshot(sample.parent) == before


async def test_conflict_dialog_reload_shows_the_other_programs_figures(sample):
    """Item 3 (Pilot): R reads the file as the other program left it; the editor's change not written is dropped
    and nothing is written over the other program's file."""
    app = DrafterApp(sample, goto="requests.new.natural")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        subprocess.run([sys.executable, "-c", OTHER_PROGRAM, str(sample)], check=True)
        theirs = sample.read_bytes()
        await pilot.press("7")
        await pilot.pause()
        assert app.screen.query_one("#reload", Button)
        await pilot.press("r")
        await pilot.pause()
        await pilot.pause()
        assert app.session.value("requests.new.research") == 42
        assert app.session.value("requests.new.natural") != 7
        assert sample.read_bytes() == theirs
        await pilot.press("ctrl+q")
    assert app.return_code == 0
    assert sample.read_bytes() == theirs


def test_locked_file_without_a_terminal_says_who_and_exits_1(sample):
    """Item 2 without a terminal to ask on (a script): who has the file is said, --read-only named, exit 1."""
    from drafter.lock import acquire
    lk = acquire(sample)                              # this test process is the first editor
    try:
        before = listing(sample.parent)
        p = subprocess.run([sys.executable, "-m", "drafter.cli", "edit", str(sample)], stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, encoding="utf-8", timeout=60)
        assert p.returncode == 1
        assert f"正由 {this_user()} 在 {this_host()} 上编辑（进程 {os.getpid()}，自 " in p.stderr
        assert "--read-only" in p.stderr and "Traceback" not in p.stderr
        assert listing(sample.parent) == before
    finally:
        lk.release()
    assert not lock_path(sample).exists()
