"""What the section list and the panes say about a section or a cell: state marks, severity names, label paths."""
from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

from ..checks import SEVERITY as SEVERITY  # the names the panes show (one place: drafter.checks)
from .cells import fit
from .linebreak import break_offsets
from .session import REVIEW, Session

STATE_STYLE = {"未填": ("-", "dim"), "有错误": ("✗", "bold red"), "有提醒": ("!", "bold yellow"),
               "完成": ("✓", "bold green")}


def section_prompt(session: Session, sid: str, width: int = 24, narrow: bool = False) -> Text:
    """A section in the list: its title, then its state. `narrow`: the strip the list folds to while a table has
    focus (三、 over the state's mark)."""
    if narrow:
        state, n, _ = session.state(sid)
        mark, style = STATE_STYLE[state]
        title = session.section_title(sid)
        head = title.split("、", 1)[0] + "、" if "、" in title[:3] else title[:2]
        return Text.assemble((fit(head, 4), "bold" if sid == REVIEW else ""), "\n", (f" {mark}", style),
                             no_wrap=True, overflow="crop")
    state, n, detail = session.state(sid)
    mark, style = STATE_STYLE[state]
    # never wrapped: while a table has focus the list is a strip showing the first cells (三、 and the mark)
    t = Text(fit(session.section_title(sid), width), style="bold" if sid == REVIEW else "", no_wrap=True,
             overflow="crop")
    head = f"  {mark} {state}{n or ''}"
    t.append("\n" + head, style=style)
    if detail:
        t.append(" " + fit(detail, max(1, width - cell_len(head) - 1)).rstrip(), style="dim")
    return t


def place_line(row: str, col: str, room: int) -> tuple[str, str]:
    """The focused cell's row and column paths in `room` cells. The row keeps its group (…／（四）无法提供／1.本机关
    不掌握相关政府信息): the column gives way to its own label first, then the row's outer labels, then the row's
    own label is cut at its end."""
    if cell_len(row) + cell_len(col) <= room:
        return row, col
    col = col.split("／")[-1]
    parts = row.split("／")
    keep = parts[-2:]
    for i in range(len(parts) - 2, 0, -1):       # as many outer labels as fit
        text = "…／" + "／".join(parts[i - 1:]) if i > 1 else "／".join(parts)
        if cell_len(text) + cell_len(col) <= room:
            return text, col
    text = ("…／" if len(parts) > 2 else "") + "／".join(keep)
    if cell_len(text) + cell_len(col) <= room:
        return text, col
    return fit(text, max(8, room - cell_len(col))).rstrip(), col


def cjk_wrap(t: Text, width: int) -> Text:
    """`t` broken into lines of `width` cells by the rules of Chinese line breaking (no line starts with ，、。…),
    its styles kept; Rich alone would break anywhere."""
    if width <= 0:
        return t
    out = Text()
    for k, para in enumerate(t.split("\n", allow_blank=True)):
        if k:
            out.append("\n")
        cuts = break_offsets(para.plain, width)
        out.append_text(Text("\n").join(para.divide(cuts)) if cuts else para)
    return out
