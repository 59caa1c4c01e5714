"""What the section list and the panes say about a section or a cell: state marks, severity names, label paths."""
from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

from .cells import fit
from .session import REVIEW, Session

STATE_STYLE = {"未填": ("-", "dim"), "有错误": ("✗", "bold red"), "有提醒": ("!", "bold yellow"),
               "完成": ("✓", "bold green")}
SEVERITY = {"error": "错误", "warning": "提醒"}


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
