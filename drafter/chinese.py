"""Text as drafter reads and writes it: Chinese numerals both ways, and typed text cleaned for each output.

The one place for these: the importers, the narrative reader, the renderers, the TUI and the CLI all use it.
"""
from __future__ import annotations

import unicodedata

# ---- Chinese numerals ---------------------------------------------------------------------------
DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
          "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_WRITE = "零一二三四五六七八九"


def cn_int(s: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零五 → 105, 两 → 2, 二〇二一 → 2021 (digit by digit);
    None when `s` is not a Chinese numeral below 10,000."""
    if not s:
        return None
    if all(ch in DIGITS for ch in s):
        if len(s) == 1:
            return DIGITS[s]
        return int("".join(str(DIGITS[ch]) for ch in s))
    total, cur, last_unit = 0, None, 10_000
    for ch in s:
        if ch in DIGITS:
            cur = DIGITS[ch]
        elif ch in _UNITS:
            unit = _UNITS[ch]
            if unit >= last_unit:
                return None
            total += (1 if cur is None else cur) * unit
            cur, last_unit = None, unit
        else:
            return None
    return total + (cur or 0)


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (a heading's or a list's counter); 0 → 零;
    negative numbers and numbers from 10,000 up as Arabic digits."""
    if n == 0:
        return "零"
    if n < 0 or n >= 10_000:
        return str(n)
    out: list[str] = []
    zero = False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, unit)
        if d:
            if zero and out:
                out.append("零")
            zero = False
            if not (unit == 10 and d == 1 and not out):     # 十二, not 一十二; but 一百一十二
                out.append(_WRITE[d])
            out.append(name)
        elif out:
            zero = True
    return "".join(out)


# ---- typed text, cleaned for each output --------------------------------------------------------
_NONCHARACTERS = frozenset("\ufffe\uffff")
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


def _dropped(ch: str) -> bool:
    """A character no output can hold: C0 and C1 controls, DEL, lone surrogates, noncharacters."""
    o = ord(ch)
    return (o < 32 or 0x7F <= o < 0xA0 or 0xD800 <= o < 0xE000 or ch in _NONCHARACTERS
            or 0xFDD0 <= o <= 0xFDEF)


def clean_text(s: object, keep: str = "\t\n") -> str:
    """`s` as text every output can hold (XML 1.0, YAML, a terminal): controls dropped but those in `keep`."""
    if s is None:
        return ""
    s = str(s)
    if s.isprintable():     # the common case: every character _dropped() names is one str.isprintable() refuses
        return s
    return "".join(ch for ch in s if ch in keep or not _dropped(ch))


def printed_text(s: object) -> str:
    """One line of a printed paragraph (a Word run, an HTML cell): tabs as spaces, other controls dropped."""
    return clean_text(str(s).replace("\t", " ") if s is not None else "", keep="")


def screen_line(s: object) -> str:
    """One line on the screen: tabs and line breaks as spaces, controls and invisible format characters
    (bidi overrides included) dropped; the zero-width joiner of emoji sequences kept."""
    out = []
    for ch in "" if s is None else str(s):
        if ch in "\t\n\r\u2028\u2029":
            out.append(" ")
        elif _dropped(ch) or (unicodedata.category(ch) == "Cf" and ch != "\u200d"):
            continue
        else:
            out.append(ch)
    return "".join(out)


def terminal_safe(s: object) -> str:
    """Text for a terminal or a log: every control, escape and bidi character shown as a visible code
    (ESC → \\x1b, U+202E → \\u202e), so that nothing printed can move the cursor, hide lines or reverse text.
    Line breaks stay; a string that cannot be encoded (lone surrogates from a file name) is escaped too."""
    out = []
    for ch in "" if s is None else str(s):
        o = ord(ch)
        if ch == "\n":
            out.append(ch)
        elif o < 32 or 0x7F <= o < 0xA0:
            out.append(f"\\x{o:02x}")
        elif ch in _BIDI or 0xD800 <= o < 0xE000 or ch in _NONCHARACTERS:
            out.append(f"\\u{o:04x}")
        else:
            out.append(ch)
    return "".join(out)


def has_bidi(s: str) -> str | None:
    """The first bidi control character in `s` (which can reverse a printed line), or None."""
    return next((ch for ch in s if ch in _BIDI), None)
