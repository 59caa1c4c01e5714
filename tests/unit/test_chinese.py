"""drafter.chinese and drafter.dates: the one place for numerals, text cleaning and dates."""
import datetime as dt

import pytest

from drafter.chinese import clean_text, cn_int, cn_number, has_bidi, printed_text, screen_line, terminal_safe
from drafter.dates import chinese_date, parse_date


@pytest.mark.parametrize("n, text", [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (99, "九十九"), (100, "一百"),
                                     (105, "一百零五"), (110, "一百一十"), (1001, "一千零一"), (2021, "二千零二十一"),
                                     (0, "零")])
def test_cn_number(n, text):
    assert cn_number(n) == text
    assert cn_int(text) == n


def test_cn_round_trip_and_refusals():
    assert all(cn_int(cn_number(i)) == i for i in range(10_000))
    assert cn_number(10_000) == "10000" and cn_number(-3) == "-3"
    assert cn_int("二〇二一") == 2021 and cn_int("两") == 2
    for bad in ("", "十百", "一十十", "三个", "abc"):
        assert cn_int(bad) is None


def test_cleaners_differ_only_as_their_outputs_need():
    s = "甲\t乙\n丙\x00丁\x1b[2J戊\x85己\ud800庚\ufffe辛\u202e壬"
    assert clean_text(s) == "甲\t乙\n丙丁[2J戊己庚辛\u202e壬"
    assert printed_text(s) == "甲 乙丙丁[2J戊己庚辛\u202e壬"
    assert screen_line(s) == "甲 乙 丙丁[2J戊己庚辛壬"
    assert terminal_safe(s) == "甲\\x09乙\n丙\\x00丁\\x1b[2J戊\\x85己\\ud800庚\\ufffe辛\\u202e壬"
    assert clean_text(None) == "" and terminal_safe("👨\u200d👩") == "👨\u200d👩"
    assert has_bidi("abc\u2067d") == "\u2067" and has_bidi("青山镇") is None


@pytest.mark.parametrize("text", ["2022-01-28", "2022年1月28日", "2022.1.28", "2022/01/28", "２０２２年１月２８日",
                                  " 2022 年 1 月 28 日 ", "二〇二二年一月二十八日"])
def test_parse_date_forms(text):
    assert parse_date(text) == dt.date(2022, 1, 28)


def test_parse_date_refusals_in_chinese():
    assert parse_date("") is None and parse_date(None) is None
    with pytest.raises(ValueError, match="没有这一天"):
        parse_date("2022-02-29")
    with pytest.raises(ValueError, match="日期请写作"):
        parse_date("去年年底")
    assert chinese_date(dt.date(2022, 1, 8)) == "2022年1月8日"
