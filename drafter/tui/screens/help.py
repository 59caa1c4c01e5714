"""F1: the keys of the editor, a two-column table that fits 100×30 without scrolling."""
from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

TITLE = "drafter：政府信息公开工作年度报告　　左边是各节，右边填写所选的一节；每次修改立即保存"

KEYS: list[tuple[str, list[tuple[str, str]]]] = [
    ("表格", [
        ("数字", "直接输入（全角也可）；输错的字符不填入，下方说明原因"),
        ("方向键 Tab Enter", "移动（Shift+Tab 向左，Enter 下移）；Home／End 行首、行尾"),
        ("Backspace Delete F2", "改一位、清空本格、修改本格；Esc 取消输入"),
        ("粘贴", "从Excel或WPS复制的一块数字，从本格起向右、向下填入"),
        ("F4", "本表空格全部填0（没有发生的事项）"),
        ("F6", "原文总计与各项之和不符时，采用各项之和"),
        ("F7", "每格下显示上年数（灰色斜体），再按关闭"),
        ("合计", "自动计算，不能直接修改"),
    ]),
    ("文字", [
        ("F3", "按表格数字起草光标所在的一段（主动公开、依申请公开小节，六）"),
        ("Shift+F3", "起草全部段落，说明改了哪几处；不经同意不替换已有的段落"),
        ("Ctrl+A／F8", "全选本段（接着输入即替换）／删除光标所在的小节（先问）"),
    ]),
    ("全局", [
        ("Ctrl+Z／Ctrl+Y", "撤销／重做任何修改（数字、文字、小节、基本信息、确认），转到该处"),
        ("F5", "检查与生成：Enter 转到该处，C 确认提醒，D 草稿，F 正式文件"),
        ("Ctrl+P", "命令：转到某节、某个单元格，起草，检查，生成"),
        ("Esc", "回到左侧各节；在各节上按 Enter 进入"),
        ("Ctrl+S", "保存（平时自动保存；保存失败后再试）"),
        ("F1／Ctrl+Q", "本帮助／退出"),
    ]),
]


def help_table() -> Table:
    t = Table(box=None, show_header=False, padding=(0, 1), expand=True)
    t.add_column(no_wrap=True, style="bold cyan", width=20)
    t.add_column(ratio=1)
    for group, rows in KEYS:
        t.add_row(Text(group, style="bold"), "")
        for key, what in rows:
            t.add_row(key, what)
    return t


class HelpScreen(ModalScreen):
    BINDINGS = [Binding("escape,f1", "dismiss", "关闭")]

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(Text(TITLE, style="bold"))
            yield Static(help_table())
            yield Static(Text("按 Esc 或 F1 关闭", style="dim"))
