"""Reading a figure as a clerk types it: one parser for the TUI cell, the file loader and the importers."""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

MAX_COUNT = 10**9 - 1            # no town handles a billion applications; longer input is a typing slip
MAX_AMOUNT = Decimal("1e9")      # 万元
AMOUNT_PLACES = 6                # seed 000 writes 50.920543 万元
MAX_ANY = 10**15                 # what a file may hold: a total of many large counts still loads (the checker judges)

_MINUS = "\u2212\u2012\u2013\u2014\ufe63\uff0d"
_SPACES = re.compile(r"[\s\u3000\u00a0]+")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_COUNT_UNITS = ("件", "条", "个", "项", "次", "人", "宗")
_AMOUNT_UNITS = ("万元", "万")


class NumberError(ValueError):
    """A typed value that is not a figure; the message is for the clerk."""


def _char(ch: str) -> str:
    """One character as a message can show it: invisible ones by their code (U+0007)."""
    if unicodedata.category(ch)[0] in "CZ":
        return f"不可见字符U+{ord(ch):04X}"
    return ch


def shown(text, limit: int = 20) -> str:
    """What the clerk typed, for quoting in a message: one line, invisible characters by code, long text cut."""
    s = "".join(" " if ch in "\t\n\r" else f"〈U+{ord(ch):04X}〉" if unicodedata.category(ch)[0] == "C" else ch
                for ch in str(text)[:limit])
    return s[:limit] + "…" if len(str(text)) > limit else s


def normalise(text: str) -> str:
    """Full-width to half-width, unicode minus signs to '-', spaces removed."""
    s = unicodedata.normalize("NFKC", str(text))
    for m in _MINUS:
        s = s.replace(m, "-")
    return _SPACES.sub("", s)


def parse_number(text, kind: str = "count"):
    """Parse `text` for a cell of `kind` (count | signed | amount | any).

    Returns None for an empty cell, an int (count, signed) or a Decimal (amount),
    or raises NumberError with a Chinese message. `any` accepts every figure a file may hold
    (signed decimals), leaving the cell's own rule to the checker.
    """
    if text is None:
        return None
    if isinstance(text, bool):
        raise NumberError("应填写数字，不是是/否")
    if isinstance(text, int):
        s = str(text)
    elif isinstance(text, (float, Decimal)):
        s = format(Decimal(str(text)), "f")
    else:
        # zero-width and direction marks come with text copied from web pages: invisible, so dropped
        s = "".join(ch for ch in unicodedata.normalize("NFKC", str(text)) if unicodedata.category(ch) != "Cf").strip()
        if re.search(r"[\d.,]\s+[\d.,]", s):
            raise NumberError("一格只能填写一个数字（多个数字请粘贴到表格中）")
        s = normalise(s)
    if s == "":
        return None
    unit = ""
    for u in _AMOUNT_UNITS + _COUNT_UNITS:
        if s.endswith(u) and len(s) > len(u):
            unit, s = u, s[: -len(u)]
            break
    if s.endswith("元") or unit == "" and "元" in s:
        raise NumberError("金额以万元为单位，请换算成万元后填写")
    if unit in _AMOUNT_UNITS and kind in ("count", "signed"):
        raise NumberError("此栏填写件数，不是金额")
    if unit in _COUNT_UNITS and kind == "amount":
        raise NumberError("此栏填写金额（万元）")
    if _GROUPED.match(s):
        s = s.replace(",", "")
    if re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)[eE][+-]?\d+", s):
        raise NumberError("请直接写出数字，不要用科学计数法")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", s):
        bad = next((ch for ch in s if not (ch.isdigit() or ch in "+-.,")), None)
        if "," in s:
            raise NumberError("千位分隔符位置不对，请只填写数字")
        if bad is not None:
            raise NumberError(f"只能填写数字，不能含「{_char(bad)}」")
        raise NumberError("不是一个数字")
    sign = s[0] if s[0] in "+-" else ""
    if kind == "count" and sign:
        raise NumberError("此栏只能填写不小于0的整数，不带正负号")
    if kind == "amount" and sign == "-":
        raise NumberError("金额不能为负数")
    try:
        d = Decimal(s)
    except InvalidOperation:  # pragma: no cover - the regex above admits only valid literals
        raise NumberError("不是一个数字") from None
    if kind in ("count", "signed"):
        if d != d.to_integral_value() or "." in s:
            raise NumberError("此栏只能填写整数" + ("，金额栏才可以有小数" if kind == "count" else ""))
        v = int(d)
        if abs(v) > MAX_COUNT:
            raise NumberError(f"数值过大（不超过{MAX_COUNT}），请核对")
        return v
    if kind == "amount":
        if abs(d) > MAX_AMOUNT:
            raise NumberError("金额过大，请核对单位是否为万元")
        exponent = d.as_tuple().exponent        # an int: the pattern above admits no NaN or infinity
        if isinstance(exponent, int) and -exponent > AMOUNT_PLACES:
            raise NumberError(f"金额最多保留{AMOUNT_PLACES}位小数")
        return d
    # any: what a file may hold; the checker judges it against the cell
    if abs(d) > MAX_ANY:
        raise NumberError("数值过大，请核对")
    if d == d.to_integral_value() and "." not in s:
        return int(d)
    return d


def format_number(v) -> str:
    """A figure as the report prints it: integers plain, amounts without trailing zeros or exponent."""
    if v is None:
        return ""
    if isinstance(v, Decimal):
        s = format(v, "f")
        if "." in s:
            s = s.rstrip("0").rstrip(".")
        return s or "0"
    return str(v)
