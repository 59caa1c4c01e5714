"""Dates as a Chinese official document writes and reads them (babel, zh_CN): the one place for both ways."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

from .chinese import cn_int


def chinese_date(d: dt.date) -> str:
    """2022年1月28日: Arabic numerals, no leading zeros (GB/T 9704-2012 7.3.5.3)."""
    from babel.dates import format_date  # imported when first needed: the editor starts without it
    return format_date(d, "y年M月d日", locale="zh_CN")


_ARABIC = re.compile(r"(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?")
_CHINESE = re.compile(r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")


def parse_date(text: str | None) -> dt.date | None:
    """A date as typed or printed: 2022-01-28, 2022年1月28日, 2022.1.28, 2022/1/28 (full-width digits and spaces
    too) or 二〇二二年一月二十八日. '' → None; anything else → ValueError with a Chinese message."""
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    if not s:
        return None
    m = _ARABIC.fullmatch(s)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = _CHINESE.fullmatch(s)
        if not m:
            raise ValueError("日期请写作2022-01-28或2022年1月28日")
        y, mo, d = (cn_int(g) or 0 for g in m.groups())
    try:
        return dt.date(y, mo, d)
    except ValueError:
        raise ValueError("没有这一天，请核对年月日") from None
