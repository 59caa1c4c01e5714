"""F1: the keys of the editor."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

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


class HelpScreen(ModalScreen):
    BINDINGS = [Binding("escape,f1", "dismiss", "关闭")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(HELP, markup=True)
