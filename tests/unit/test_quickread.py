"""drafter.quickread reads a drafter file as drafter writes it into exactly what the YAML reader builds, and leaves
every other text to the YAML reader (issue 13 item 10: a province's batch reads tens of thousands of files).

"Exactly" is compared with types: 1, True, 1.0 and Decimal('1.00') are equal in Python but not the same figure.
"""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path

import pytest
from gen import random_report

from drafter import quickread
from drafter.report import ReportError, _parse_yaml, loads

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))
REFUSED = object()

# text a clerk may type, each a trap for a line reader: YAML types, indicators, quotes, spaces, emoji
AWKWARD = ["yes", "no", "null", "~", "1.5", "0012", "0x10", "2021-01-01", "2022-02-29", "- 一项", "键: 值", "a #b",
           "#开头", "'引号'", '"双引号"', "　　全角空格开头", "结尾空格 ", " 开头空格", "|", ">", "&锚", "*别名", "!标记",
           "%", "@", "`", "{}", "[]", "[1, 2]", "含:冒号", "多行\n第二行", "多行\n\n空一行\n", "  缩进\n行", "尾随换行\n\n",
           "😀表情", "tab\t制表", "“中文引号”", "a: b: c", "---", "...", "？", "\\反斜杠", "含''两个引号", "1_000",
           "+5", ".5", "1.", "-0", "True", "ON", "<<"]


def _typed(v):
    """v with every scalar tagged by its type (and a Decimal by its text): equality that tells 1 from True."""
    if isinstance(v, dict):
        return {_typed(k): _typed(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_typed(x) for x in v]
    return (type(v).__name__, str(v))


def _yaml(text: str):
    try:
        return _typed(_parse_yaml(text, None)[0])
    except ReportError:
        return REFUSED


def _same_or_left(text: str) -> bool:
    """quickread gives what YAML gives, or leaves the text to it; True when quickread read it."""
    got = quickread.read(text)
    if got is None:
        return False
    assert _typed(got[0]) == _yaml(text), text[:200]
    return True


def _report(rng: random.Random):
    r = random_report(rng, rng.choice(["2019", "2021"]), rng.choice([2020, 2022]))
    for cid in rng.sample(sorted(r.figures), rng.randrange(4)):
        r.figures[cid] = None
    return r


@pytest.mark.parametrize("seed", range(30))
def test_a_report_as_drafter_writes_it_is_read_without_yaml(seed):
    rng = random.Random(seed)
    r = _report(rng)
    if seed % 3 == 0:                                 # last year's report embedded, as `drafter new --from` writes it
        r.extra["previous"] = _report(rng).to_dict()
    if seed % 4 == 0:
        r.extra["doubts"] = [{"cells": ["text.other", "requests.new.natural"], "message": "原文中没有找到"}]
        r.extra["confirmed"] = {"requests.identity:requests.new.natural,requests.total.natural":
                                {"reason": "已核实", "message": "一加二不等于三"}}
    if seed % 5 == 0:
        r.signed_on = None
        r.text["problems"] = "第一段。\n第二段，有“引号”和《书名》。\n"
    text = r.dumps()
    assert _same_or_left(text)
    assert quickread.read(text)[1] == r.format        # the figures read as a block
    assert loads(text).to_dict() == r.to_dict()


@pytest.mark.parametrize("words", AWKWARD)
def test_awkward_text_is_read_as_yaml_reads_it(words):
    r = random_report(random.Random(1), "2021", 2022)
    r.agency["name"] = "青山镇" + words.split("\n")[0][:20]
    r.text["overview"][0]["title"] = words
    r.text["overview"][1]["body"] = words
    r.text["problems"] = words + "\n" + words
    r.extra["doubts"] = [{"cells": [words], "message": words}]
    _same_or_left(r.dumps())


def test_the_bundled_samples_are_read_without_yaml():
    for p in SAMPLES:
        assert _same_or_left(p.read_text(encoding="utf-8")), p.name


def test_windows_line_ends_read_as_unix_ones():
    text = SAMPLES[0].read_text(encoding="utf-8")
    crlf = text.replace("\n", "\r\n")
    assert quickread.read(crlf) == quickread.read(text)
    assert quickread.read(crlf.replace("\r\n", "\r", 1)) is None     # a lone CR: the YAML reader


def _mutations(rng: random.Random, text: str):
    lines = text.split("\n")
    alphabet = list("\t\x00\x1b\x85\u2028\u202e\ufeff\u3000:-[]{}&*!|>'\"%@`#?,\n \\0123456789.+_eE年") + ["  ", ": ", "- "]
    for _ in range(1000):
        op = rng.randrange(6)
        if op == 0:                                           # a character inserted
            at = rng.randrange(len(text))
            yield text[:at] + rng.choice(alphabet) + text[at:]
        elif op == 1:                                         # a character replaced
            at = rng.randrange(len(text))
            yield text[:at] + rng.choice(alphabet) + text[at + 1:]
        elif op == 2:                                         # a character removed
            at = rng.randrange(len(text))
            yield text[:at] + text[at + 1:]
        elif op == 3:                                         # a line indented otherwise
            i = rng.randrange(len(lines))
            yield "\n".join(lines[:i] + [" " * rng.randrange(5) + lines[i].lstrip(" ")] + lines[i + 1:])
        elif op == 4:                                         # a line written twice, or dropped
            i = rng.randrange(len(lines))
            yield "\n".join(lines[:i] + [lines[i]] * rng.randrange(3) + lines[i + 1:])
        else:                                                 # cut short
            yield text[:rng.randrange(len(text))]


@pytest.mark.parametrize("seed", range(4))
def test_a_changed_file_is_read_as_yaml_reads_it_or_left_to_it(seed):
    rng = random.Random(seed)
    r = _report(rng)
    r.extra["previous"] = _report(rng).to_dict()
    r.text["problems"] = "第一段。\n第二段。"
    r.extra["doubts"] = [{"cells": ["text.other"], "message": "原文中没有找到"}]
    read = sum(_same_or_left(t) for t in _mutations(rng, r.dumps()))
    assert read > 100          # many changes leave a file drafter could have written (a figure, a word)


@pytest.mark.parametrize("line", [
    "  requests.new.natural: 1_000",        # YAML 1.1 reads 1000
    "  requests.new.natural: +5",
    "  requests.new.natural: １２",           # full-width digits
    "  requests.new.natural: 1 2",
    "  requests.new.natural: 0x10",
    "  requests.new.natural: 0089",          # YAML reads text: not octal, not decimal
    "  requests.new.natural: 0012",          # YAML 1.1: octal 10 as int; drafter reads 12
    "  requests.new.natural: 1234567890123456",   # 16 digits: beyond what a file may hold
    "  requests.new.natural: -",
    "  requests.new.natural: 12 # a comment",
    "  requests.new.natural:12",
    "  requests.new.natural:  12",
    "  requests.new.natural: ",
    "  requests.new.unknown: 1",
    "   requests.new.natural: 1",
    "  requests.new.natural 1",
    "  requests.new.natural: '12'",
    "  active.fees.amount: 1.",
    "  active.fees.amount: .5",
    "  active.fees.amount: -.5",
    "  active.fees.amount: 1.5e3",
    "  active.fees.amount: 1.1234567890123456789012345678901",
])
def test_figures_not_in_drafters_form_read_as_yaml_and_the_checker_read_them(line):
    r = random_report(random.Random(3), "2021", 2022)
    text = r.dumps()
    key = line.strip().split(":")[0].split(" ")[0]
    old = next(x for x in text.split("\n") if x.startswith(f"  {key}:")) if f"  {key}:" in text else None
    changed = text.replace(old + "\n", line + "\n", 1) if old else text.replace("\nfigures:\n", f"\nfigures:\n{line}\n")
    _same_or_left(changed)
    got = quickread.read(changed)
    assert got is None or got[1] is None                     # never taken as read by the block
    try:
        quick = loads(changed).figures
    except ReportError as e:
        quick = str(e)
    from drafter import report as module
    saved = module.quickread.read
    module.quickread.read = lambda text: None               # the YAML reader alone
    try:
        try:
            slow = loads(changed).figures
        except ReportError as e:
            slow = str(e)
    finally:
        module.quickread.read = saved
    assert _typed(quick) == _typed(slow)


def test_figures_as_drafter_writes_them_read_as_numbers():
    r = random_report(random.Random(4), "2021", 2022)
    r.figures["requests.new.natural"] = 12345                # beyond the quick table of 0..9999
    r.figures["active.normative.issued"] = -3
    r.figures["active.fees.amount"] = Decimal("0.50")
    r.figures["requests.granted.total"] = None
    text = r.dumps()
    data, fid = quickread.read(text)
    assert fid == "2021"
    f = data["figures"]
    assert (f["requests.new.natural"], f["active.normative.issued"], f["requests.granted.total"]) == (12345, -3, None)
    assert f["active.fees.amount"] == Decimal("0.50") and str(f["active.fees.amount"]) == "0.50"
    assert list(f) == list(r.fmt.cells)
    assert _typed(data) == _yaml(text)


def test_dates_and_duplicate_keys_are_left_to_the_yaml_reader_who_says_where():
    text = (ROOT / "samples" / "王岗镇-2020.yaml").read_text(encoding="utf-8")
    assert "\nsigned_on: 2021-01-26\n" in text and isinstance(loads(text).signed_on, dt.date)
    bad_date = text.replace("\nsigned_on: 2021-01-26\n", "\nsigned_on: 2022-02-29\n")
    assert quickread.read(bad_date) is None
    with pytest.raises(ReportError, match="不存在"):
        loads(bad_date)
    twice = text.replace("year: 2020\n", "year: 2020\nyear: 2021\n", 1)
    assert quickread.read(twice) is None
    with pytest.raises(ReportError, match="写了两次"):
        loads(twice)
