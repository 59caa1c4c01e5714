"""Measuring and cutting text by terminal cells: CJK characters take two cells and are never cut in half."""
from __future__ import annotations

from rich.cells import cell_len, get_character_cell_size

from ..chinese import screen_line as clean
from .linebreak import wrap_lines


def fit(text: str, width: int, align: str = "left", ellipsis: str = "…") -> str:
    """`text` in exactly `width` cells: cut at a character boundary (with …), padded."""
    text = clean(text)
    if width <= 0:
        return ""
    if cell_len(text) > width:
        keep, used = [], 0
        limit = width - cell_len(ellipsis)
        for ch in text:
            w = get_character_cell_size(ch)
            if used + w > limit:
                break
            keep.append(ch)
            used += w
        text = "".join(keep) + ellipsis
    pad = width - cell_len(text)
    if align == "right":
        return " " * pad + text
    if align == "center":
        return " " * (pad // 2) + text + " " * (pad - pad // 2)
    return text + " " * pad


def wrap(text: str, width: int) -> list[str]:
    """Break `text` into lines of at most `width` cells by the rules of Chinese line breaking (linebreak.py)."""
    return wrap_lines(clean(text), max(1, width))


def block(text: str, width: int, height: int, align: str = "center") -> list[str]:
    """`text` wrapped into a box of width × height cells; the last line ends with … when it does not fit."""
    lines = wrap(text, width)
    if len(lines) > height:
        rest = "".join(lines[height - 1:])
        lines = lines[: height - 1] + [fit(rest, width)]
    lines = [fit(x, width, align) for x in lines]
    top = (height - len(lines)) // 2 if align == "center" else 0
    return [" " * width] * top + lines + [" " * width] * (height - len(lines) - top)
