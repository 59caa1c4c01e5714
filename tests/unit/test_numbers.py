"""What clerks really type into a figure: accepted and normalised, or refused with a Chinese message."""
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drafter.numbers import NumberError, format_number, parse_number

ACCEPTED = [
    ("12", "count", 12), ("１２", "count", 12), (" 12 ", "count", 12), ("\u300012\u3000", "count", 12),
    ("1,234", "count", 1234), ("1，234", "count", 1234), ("12件", "count", 12), ("12 件", "count", 12),
    ("0", "count", 0), ("007", "count", 7), ("", "count", None), ("   ", "count", None),
    ("+1", "signed", 1), ("-8", "signed", -8), ("－3", "signed", -3), ("\u22123", "signed", -3), ("＋２", "signed", 2),
    ("461.7 万元", "amount", Decimal("461.7")), ("50.920543万元", "amount", Decimal("50.920543")),
    ("1306.14", "amount", Decimal("1306.14")), ("１.５", "amount", Decimal("1.5")), ("3", "amount", Decimal("3")),
    ("1,306.14", "amount", Decimal("1306.14")), (".5", "amount", Decimal("0.5")),
    (3, "count", 3), (Decimal("1.25"), "amount", Decimal("1.25")),
]

REFUSED = [
    ("-3", "count", "不小于0"), ("－3", "count", "不小于0"), ("+1", "count", "不带正负号"),
    ("1e5", "count", "科学计数法"), ("1E5", "amount", "科学计数法"),
    ("12345678901234567890", "count", "数值过大"), ("1.5", "count", "整数"), ("1.0", "signed", "整数"),
    ("abc", "count", "不能含「a」"), ("12a", "count", "不能含「a」"), ("1\t2", "count", "一格只能填写一个数字"),
    ("1\n2", "count", "一格只能填写一个数字"), ("1 000", "count", "一格只能填写一个数字"), ("12元", "amount", "万元"), ("5万元", "count", "件数"),
    ("-0.5", "amount", "负数"), ("1.1234567", "amount", "6位小数"), ("1,23", "count", "千位分隔符"),
    ("1..2", "count", "不是一个数字"), ("--1", "signed", "不是一个数字"), (True, "count", "不是是/否"),
    ("1e999999", "amount", "科学计数法"), ("12件件", "count", "不能含「件」"),
]


@pytest.mark.parametrize("text,kind,value", ACCEPTED)
def test_accepted(text, kind, value):
    v = parse_number(text, kind)
    assert v == value and type(v) is type(value)


@pytest.mark.parametrize("text,kind,words", REFUSED)
def test_refused_with_message(text, kind, words):
    with pytest.raises(NumberError) as e:
        parse_number(text, kind)
    assert words in str(e.value)


@given(st.text(max_size=30), st.sampled_from(["count", "signed", "amount", "any"]))
def test_never_crashes(text, kind):
    try:
        v = parse_number(text, kind)
    except NumberError as e:
        assert str(e)
    else:
        assert v is None or isinstance(v, (int, Decimal))


@given(st.integers(min_value=0, max_value=10**9 - 1))
def test_count_round_trip(n):
    assert parse_number(format_number(n), "count") == n


@given(st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False, allow_infinity=False))
def test_amount_round_trip(d):
    assert parse_number(format_number(d), "amount") == d


def test_format_number():
    assert format_number(Decimal("461.70")) == "461.7"
    assert format_number(Decimal("1E+2")) == "100"
    assert format_number(None) == "" and format_number(0) == "0"
