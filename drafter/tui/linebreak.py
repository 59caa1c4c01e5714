"""Chinese line breaking for the screen (the rules of GB/T 15834 and W3C clreq, simply): no line starts with a closing
or pausing mark (、，。；：？！）」』》…) nor ends with an opening one (（「『《…); numbers, Latin words and bracketed
numbers such as 〔2021〕 are never split. Used by the text boxes' soft wrap and the grid's wrapped labels."""
from __future__ import annotations

import re

from rich.cells import cell_len, get_character_cell_size

NO_START = set("、，。；：？！）」』》〕】〉”’…—·％%,.;:?!)]}")
NO_END = set("（「『《〔【〈“‘([{")
# a run kept whole: a number with its separators and unit marks (1,234.5, 30%, 2021), a Latin word, a bracketed
# number (〔2021〕30号 keeps 〔2021〕 whole; 号 is a character of its own)
_WHOLE = re.compile(r"〔\d+〕|[0-9０-９](?:[0-9０-９.,．]*[0-9０-９])?[%％]?|[A-Za-z][A-Za-z'’-]*|\s+")


def units(text: str) -> list[str]:
    """`text` as the pieces a line may break between (every piece kept whole, the marks glued on)."""
    pieces: list[str] = []
    i = 0
    while i < len(text):
        m = _WHOLE.match(text, i)
        piece = m.group(0) if m else text[i]
        pieces.append(piece)
        i += len(piece)
    out: list[str] = []
    glue_next = False
    for p in pieces:
        if glue_next and out:
            out[-1] += p
        elif out and (p[0] in NO_START or p.isspace()):
            out[-1] += p                     # a closing mark (or a space) stays with what it closes
        else:
            out.append(p)
        glue_next = p[-1] in NO_END
    return out


def break_offsets(text: str, width: int) -> list[int]:
    """Where the lines of `text` start when wrapped into `width` cells (code point offsets, the first excluded)."""
    if width <= 0:
        return []
    offsets: list[int] = []
    used = 0
    at = 0
    for u in units(text):
        w = cell_len(u.rstrip(" "))          # trailing spaces may hang past the edge
        if used and used + w > width:
            offsets.append(at)
            used = 0
        if w > width:                        # a piece wider than a line: folded where it must be
            for ch in u:
                cw = get_character_cell_size(ch)
                if used and used + cw > width and not ch.isspace():
                    offsets.append(at)
                    used = 0
                used += cw
                at += 1
            continue
        used += cell_len(u)
        at += len(u)
    return offsets


def wrap_lines(text: str, width: int) -> list[str]:
    """`text` as wrapped lines (see break_offsets)."""
    cuts = [0] + break_offsets(text, width) + [len(text)]
    return [text[a:b] for a, b in zip(cuts, cuts[1:], strict=False)] or [""]


def install_text_area_wrap() -> None:
    """Textual's TextArea wraps at spaces and folds the rest anywhere: Chinese text wraps by these rules instead.
    Lines with tabs keep Textual's own wrapping (the text boxes hold plain paragraphs)."""
    from textual.document import _wrapped_document as wd

    original = getattr(wd, "_drafter_original_wrap", None) or wd.compute_wrap_offsets

    def compute_wrap_offsets(text, width, tab_size, fold=True, precomputed_tab_sections=None):
        if "\t" in text:
            return original(text, width, tab_size, fold, precomputed_tab_sections)
        return break_offsets(text, width)

    wd._drafter_original_wrap = original    # type: ignore[attr-defined]
    wd.compute_wrap_offsets = compute_wrap_offsets
