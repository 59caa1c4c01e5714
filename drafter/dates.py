"""Dates and numbers as a Chinese official document writes them (babel, zh_CN)."""
from __future__ import annotations

import datetime as dt


def chinese_date(d: dt.date) -> str:
    """2022年1月28日: Arabic numerals, no leading zeros (GB/T 9704-2012 7.3.5.3)."""
    from babel.dates import format_date  # imported when first needed: the editor starts without it
    return format_date(d, "y年M月d日", locale="zh_CN")
