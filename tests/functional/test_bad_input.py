"""Bad input, end to end (issue 8): one corpus of what clerks really type, run through the parser, the drafter file
loader (quoted and unquoted YAML) and the TUI cell (pasted whole, and typed key by key for a subset).

Each entry says, per cell kind, what must happen: accepted with the normalised value, or refused with a Chinese
message (a fragment of it is given). Never an exception anywhere."""
from __future__ import annotations

import json
import shutil
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal as D
from pathlib import Path

import pytest
from textual import events
from textual.keys import _character_to_key
from textual.widgets import Static

from drafter.checks import check
from drafter.numbers import NumberError, format_number, parse_number
from drafter.report import ReportError, load
from drafter.tui.app import DrafterApp
from drafter.tui.grid import NumberGrid

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_2021 = ROOT / "samples" / "青山镇-2021.yaml"      # format 2021: count cells and one amount cell
SAMPLE_2019 = ROOT / "samples" / "南岳镇-2020.yaml"      # format 2019: the signed 「增/减」 cells
SIZE = (100, 30)

# the cell of each kind the corpus is typed into: (sample, table, cell)
CELLS = {
    "count": (SAMPLE_2021, "requests", "requests.new.natural"),
    "amount": (SAMPLE_2021, "active", "active.fees.amount"),
    "signed": (SAMPLE_2019, "active", "active.licensing.change"),
}
KINDS = ("count", "signed", "amount")


@dataclass(frozen=True)
class R:
    """Refused: the clerk is told why; `why` is a fragment of the Chinese message."""
    why: str


SKIP = object()          # no such form (a YAML plain scalar cannot hold a newline)
PARTIAL = object()       # TUI: kept as a half-typed value (file unchanged, 「继续输入」), the clerk goes on typing
SAME = object()          # the unquoted YAML form reads like the quoted one
UNCHANGED = object()     # TUI: nothing happens (pasting nothing)


@dataclass
class Case:
    text: str
    count: object
    signed: object
    amount: object
    file: object                 # the loader (quoted YAML): it reads any figure; the checker then judges the cell
    plain: object = SAME         # the loader, value written unquoted in the YAML file
    tui: dict = field(default_factory=dict)   # kind -> outcome of pasting, where it differs from the parser's
    note: str = ""

    def expect(self, kind):
        return getattr(self, kind)

    def __str__(self):
        return repr(self.text if len(self.text) < 30 else self.text[:12] + f"…({len(self.text)})")


NEG = R("不小于0的整数")
INT = R("只能填写整数")
NOT_AMOUNT = R("不是金额")
NOT_COUNT = R("此栏填写金额")
YUAN = R("以万元为单位")
SCI = R("不要用科学计数法")
ONE = R("一格只能填写一个数字")
NAN = R("不是一个数字")
NEG_AMOUNT = R("金额不能为负数")


def bad(ch):
    return R(f"不能含「{ch}」")


CORPUS = [
    # full-width digits and punctuation (a Chinese input method)
    Case("１２", 12, 12, D("12"), 12),
    Case("１２．５", INT, INT, D("12.5"), D("12.5")),
    Case("１，２３４", 1234, 1234, D("1234"), 1234),
    Case("1，234", 1234, 1234, D("1234"), 1234),
    Case("1,234", 1234, 1234, D("1234"), 1234),
    Case("1,23", R("千位分隔符"), R("千位分隔符"), R("千位分隔符"), R("千位分隔符"),
         tui={k: PARTIAL for k in KINDS}, note="in the cell: thousands still being typed"),
    Case("1 234", ONE, ONE, ONE, ONE, note="a space between digits is two numbers, not a separator"),
    Case("1.2.3", NAN, NAN, NAN, NAN),
    # units
    Case("12件", 12, 12, NOT_COUNT, 12),
    Case("12 件", 12, 12, NOT_COUNT, 12),
    Case("１２件", 12, 12, NOT_COUNT, 12),
    Case("12个", 12, 12, NOT_COUNT, 12),
    Case("461.7万元", NOT_AMOUNT, NOT_AMOUNT, D("461.7"), D("461.7")),
    Case("461.7万", NOT_AMOUNT, NOT_AMOUNT, D("461.7"), D("461.7")),
    Case("4617000元", YUAN, YUAN, YUAN, YUAN),
    Case("4.6亿元", YUAN, YUAN, YUAN, YUAN),
    # spaces: leading, trailing, full-width, no-break; zero-width from a web page
    Case(" 12 ", 12, 12, D("12"), 12),
    Case("\u3000１２\u3000", 12, 12, D("12"), 12),
    Case("\u00a012", 12, 12, D("12"), 12),
    Case("\u200b12\u200b", 12, 12, D("12"), 12),
    Case("  ", None, None, None, None, note="only spaces: the cell is emptied"),
    Case("", None, None, None, None, tui={k: UNCHANGED for k in KINDS}),
    # signs
    Case("－3", NEG, -3, NEG_AMOUNT, -3),
    Case("-3", NEG, -3, NEG_AMOUNT, -3),
    Case("\u22123", NEG, -3, NEG_AMOUNT, -3),
    Case("+1", NEG, 1, D("1"), 1),
    Case("-0", NEG, 0, NEG_AMOUNT, 0),
    Case("--1", NAN, NAN, NAN, NAN),
    Case("-", NAN, NAN, NAN, NAN, plain=R("请给值加上引号"), tui={"signed": PARTIAL, "count": NEG, "amount": NEG_AMOUNT},
         note="in the TUI a lone sign says why a sign does not belong"),
    Case(".", NAN, NAN, NAN, NAN, tui={"amount": PARTIAL}),
    # decimals
    Case("12.5", INT, INT, D("12.5"), D("12.5")),
    Case("12.0", INT, INT, D("12.0"), D("12.0")),
    Case("461.7", INT, INT, D("461.7"), D("461.7")),
    Case("50.920543", INT, INT, D("50.920543"), D("50.920543")),
    Case("0.0000001", INT, INT, R("最多保留6位小数"), D("0.0000001")),
    # programmer's notations
    Case("1e5", SCI, SCI, SCI, SCI),
    Case("1E5", SCI, SCI, SCI, SCI),
    Case("1.0e+5", SCI, SCI, SCI, SCI),
    Case("0x10", bad("x"), bad("x"), bad("x"), bad("x")),
    Case("1_000", bad("_"), bad("_"), bad("_"), bad("_")),
    Case("1:30", bad(":"), bad(":"), bad(":"), bad(":"), note="YAML 1.1 would read 90"),
    Case("0012", 12, 12, D("12"), 12, note="YAML 1.1 would read octal 10"),
    Case("010", 10, 10, D("10"), 10, note="YAML 1.1 would read octal 8"),
    Case("NaN", bad("N"), bad("N"), bad("N"), bad("N")),
    Case(".nan", bad("n"), bad("n"), bad("n"), bad("n")),
    Case("inf", bad("i"), bad("i"), bad("i"), bad("i")),
    Case(".inf", bad("i"), bad("i"), bad("i"), bad("i")),
    Case("∞", bad("∞"), bad("∞"), bad("∞"), bad("∞")),
    Case("yes", bad("y"), bad("y"), bad("y"), bad("y"), plain=R("不是是/否")),
    # other scripts: decimal digits are digits; Chinese numerals are refused (the table is filled in figures)
    Case("١٢", 12, 12, D("12"), 12),
    Case("一二", bad("一"), bad("一"), bad("一"), bad("一")),
    Case("十二", bad("十"), bad("十"), bad("十"), bad("十")),
    Case("12。", bad("。"), bad("。"), bad("。"), bad("。")),
    # size
    Case("999999999", 999999999, 999999999, D("999999999"), 999999999),
    Case("1000000000", R("数值过大"), R("数值过大"), D("1000000000"), 1000000000),
    Case("12345678901234567890", R("数值过大"), R("数值过大"), R("金额过大"), R("数值过大")),
    Case("10000000000000000", R("数值过大"), R("数值过大"), R("金额过大"), R("数值过大")),
    Case("1" * 10000, R("数值过大"), R("数值过大"), R("金额过大"), R("数值过大")),
    Case("字" * 10000, bad("字"), bad("字"), bad("字"), bad("字")),
    # emoji, control characters
    Case("😀", bad("😀"), bad("😀"), bad("😀"), bad("😀")),
    Case("12😀", bad("😀"), bad("😀"), bad("😀"), bad("😀")),
    Case("1\x07", bad("不可见字符U+0007"), bad("不可见字符U+0007"), bad("不可见字符U+0007"),
         bad("不可见字符U+0007"), plain=R("控制字符U+0007")),
    Case("\x00", bad("不可见字符U+0000"), bad("不可见字符U+0000"), bad("不可见字符U+0000"),
         bad("不可见字符U+0000"), plain=R("控制字符U+0000")),
    Case("\x1b[A", bad("不可见字符U+001B"), bad("不可见字符U+001B"), bad("不可见字符U+001B"),
         bad("不可见字符U+001B"), plain=R("控制字符U+001B")),
    # pasted from a spreadsheet: line ends, tabs
    Case("12\n", 12, 12, D("12"), 12, plain=SKIP),
    Case("12\r\n", 12, 12, D("12"), 12, plain=SKIP),
    Case("1\t2", ONE, ONE, ONE, ONE, plain=R("一格只能填写一个数字"),
         tui={k: "block" for k in KINDS}, note="a row of two cells when pasted"),
    Case("1\n2", ONE, ONE, ONE, ONE, plain=SKIP, tui={k: "block" for k in KINDS}),
]


def test_corpus_is_the_issue_list():
    texts = {c.text for c in CORPUS}
    for must in ("１２", "1,234", "1，234", "12件", "12 件", "－3", "-3", "+1", "1e5", "1E5", "0x10", "1_000", "١٢",
                 "12345678901234567890", "12.5", "461.7", "461.7万元", "50.920543", "", ".", "--1", "NaN", "inf",
                 "∞", "一二", "十二", "😀", "1\t2", "12\n"):
        assert must in texts, must
    assert len(texts) == len(CORPUS)


def is_chinese(msg: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in msg)


def printable(msg: str) -> bool:
    return all(unicodedata.category(ch)[0] != "C" for ch in msg)


def same(got, want, exact: bool = True) -> bool:
    """Equal value and type (12 is not 12.0; an amount is a Decimal). Not `exact`: as read back from a file, where
    a whole amount is written 12.0."""
    return got == want and type(got) is type(want) and (not exact or not isinstance(want, D) or str(got) == str(want))


# ---- 1. the parser ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", CORPUS, ids=str)
def test_parse_number(case):
    for kind in KINDS:
        want = case.expect(kind)
        if isinstance(want, R):
            with pytest.raises(NumberError) as e:
                parse_number(case.text, kind)
            msg = str(e.value)
            assert want.why in msg and is_chinese(msg) and printable(msg) and len(msg) < 80, (kind, msg)
        else:
            got = parse_number(case.text, kind)
            assert same(got, want), (kind, got, want)


# ---- 2. the drafter file ------------------------------------------------------------------------------------------
def with_figure(sample: Path, cid: str, written: str) -> str:
    """The sample file with the line of `cid` replaced by `cid: <written>`; the line number of the figure."""
    lines = sample.read_text(encoding="utf-8").split("\n")
    i = next(k for k, ln in enumerate(lines) if ln.strip().startswith(cid + ":"))
    indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
    lines[i] = f"{indent}{cid}: {written}"
    return "\n".join(lines), i + 1


def file_outcome(tmp_path, kind, written, want):
    sample, _, cid = CELLS[kind]
    text, line = with_figure(sample, cid, written)
    path = tmp_path / f"{kind}.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    if isinstance(want, R):
        with pytest.raises(ReportError) as e:
            load(path)
        msg = str(e.value)
        assert msg.startswith(str(path)) and f"第{line}行" in msg and cid in msg, msg
        assert want.why in msg and is_chinese(msg) and printable(msg) and len(msg) < len(str(path)) + 140, msg
        return
    r = load(path)
    got = r.figures[cid]
    assert same(got, want), (written, got, want)
    return r


@pytest.mark.parametrize("case", CORPUS, ids=str)
def test_file_loader(case, tmp_path):
    for kind in KINDS:
        _, _, cid = CELLS[kind]
        # quoted: a JSON string is a YAML double-quoted scalar (control characters as \\u escapes)
        r = file_outcome(tmp_path, kind, json.dumps(case.text, ensure_ascii=False), case.file)
        if r is not None:
            # the loader reads any figure; a value the cell's kind refuses is an error of the checker, on that cell
            # unless only the written form was wrong ('+1', '12件' in an amount cell: the value itself is fine)
            kind_rule = [f for f in check(r) if cid in f.cells and f.rule == "value.kind"]
            value = r.figures[cid]
            try:
                fit = parse_number(format_number(value), kind)
                # a whole amount may be an int; a count must be an int (12.0 is flagged)
                value_fits = value is None or fit == value and (kind == "amount" or type(fit) is type(value))
            except NumberError:
                value_fits = False
            if value_fits:
                assert not kind_rule, (kind, case, kind_rule)
            else:
                assert kind_rule and is_chinese(kind_rule[0].message), (kind, case)
        if case.plain is not SKIP:
            file_outcome(tmp_path, kind, case.text, case.file if case.plain is SAME else case.plain)


# ---- 3. the TUI cell ----------------------------------------------------------------------------------------------
def msg(app, sid) -> str:
    return str(app.query_one(f"#msg-{sid}", Static).render())


def row_parts(app, cid):
    """The non-total cells of `cid`'s row and the row's total cell (None when the row has no total)."""
    fmt = app.session.fmt
    cell = fmt.cells[cid]
    row = [c for c in fmt.tables[cell.table].cells if c.row == cell.row]
    total = next((c.id for c in row if c.id in app.session.derived), None)
    return [c.id for c in row if c.id not in app.session.derived], total


async def paste_corpus(tmp_path, kinds):
    """Every corpus entry pasted (the app's paste path) into one cell of each kind; returns what was checked."""
    sample = CELLS[kinds[0]][0]
    path = tmp_path / sample.name
    shutil.copy(sample, path)
    app = DrafterApp(path)
    checked, failed = 0, []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for kind in kinds:
            _, sid, cid = CELLS[kind]
            app.goto(cid)
            await pilot.pause()
            grid = app.query_one(f"#grid-{sid}", NumberGrid)
            parts, total = row_parts(app, cid)
            for case in CORPUS:
                grid.cursor_to(cid)
                assert app.focused is grid and grid.cid == cid
                before = path.read_bytes()
                old = load(path).figures
                grid.post_message(events.Paste(case.text))
                await pilot.pause()
                want = case.tui.get(kind, case.expect(kind))
                shown = msg(app, sid)
                now = load(path).figures
                where = (kind, str(case), shown)
                try:
                    if want == "block":
                        # tab/newline separated: a block filling right/down from the cell, each part parsed alone
                        first, second = case.text.replace("\t", "\n").split("\n")
                        assert same(now[cid], parse_number(first, kind), exact=False), where
                        i, j = grid._pos[cid]
                        nxt = (i, j + 1) if "\t" in case.text else (i + 1, j)
                        if nxt[0] < len(grid.matrix) and nxt[1] < len(grid.matrix[nxt[0]]):
                            other = grid.matrix[nxt[0]][nxt[1]]
                            want2 = parse_number(second, app.session.fmt.cells[other].kind)
                            assert other in app.session.derived or same(now[other], want2, exact=False), where
                        else:
                            assert "超出表格" in shown and "未填入" in shown, where
                    elif want is UNCHANGED:
                        assert path.read_bytes() == before and "未填入" not in shown, where
                    elif want is PARTIAL:
                        assert path.read_bytes() == before, where
                        assert "继续输入" in shown, where
                        assert grid.buffer == case.text, where
                    elif isinstance(want, R):
                        assert path.read_bytes() == before, where          # nothing of a refused paste is kept
                        assert "未填入" in shown and want.why in shown and printable(shown), where
                        assert len(shown) < 120, where                     # a 10,000-character paste is quoted short
                    else:
                        assert same(now[cid], want, exact=False), where
                        assert "未填入" not in shown, where
                        if total:
                            assert now[total] == sum(now[p] or 0 for p in parts), where   # totals recomputed
                            if want != old[cid]:
                                assert now[total] == (old[total] or 0) - (old[cid] or 0) + (want or 0), where
                except AssertionError as e:
                    failed.append(str(e))
                # the value is done: Esc drops a half-typed one, then the next case starts clean
                if grid.buffer is not None:
                    await pilot.press("escape")
                grid.commit()
                if want == "block":
                    app.action_undo()       # the block wrote into the neighbours: put them back
                    await pilot.pause()
                assert app.return_code is None and app.is_running
                checked += 1
    assert app.return_code is None
    assert not failed, "\n".join(failed)
    return checked


@pytest.mark.xdist_group("tui")
async def test_tui_paste_count_and_amount(tmp_path):
    assert await paste_corpus(tmp_path, ["count", "amount"]) == 2 * len(CORPUS)


@pytest.mark.xdist_group("tui")
async def test_tui_paste_signed(tmp_path):
    assert await paste_corpus(tmp_path, ["signed"]) == len(CORPUS)


async def type_keys(app, pilot, text):
    """Key by key as the terminal driver delivers them: key name and character (Pilot.press drops the character
    of keys such as 「－」「，」 or emoji, which an input method does send)."""
    for ch in text:            # as fast as a clerk types: no pause between keys
        app.post_message(events.Key(_character_to_key(ch), ch))
    await pilot.pause()

# typed key by key: a refused key never enters the cell (the cell shows what was accepted) and the pane says so,
# and keeps saying so until the value is done. (kind, keys typed, value kept, message fragment or "")
TYPED = [
    ("count", "１２", 12, ""),
    ("count", "1,234", 1234, ""),
    ("count", "1，234", 1234, ""),
    ("count", "12 件", 12, ""),
    ("count", "１２．５", 125, "「．」未填入"),
    ("count", "１，２３４", 1234, ""),
    ("count", "-3", 3, "「-」未填入"),            # the sign is refused, the 3 is typed: the message stays
    ("count", "－3", 3, "「－」未填入"),
    ("count", "12.5", 125, "「.」未填入：此栏只能填写整数"),
    ("count", "1e5", 15, "「e」未填入"),
    ("count", "abc", None, "「c」未填入"),
    ("count", "😀", None, "「😀」未填入"),
    ("count", "1234567890", 123456789, "数值过大"),
    ("signed", "-3", -3, ""),
    ("signed", "－３", -3, ""),
    ("signed", "+1", 1, ""),
    ("signed", "--1", -1, "「-」未填入"),
    ("amount", "461.7", D("461.7"), ""),
    ("amount", "461.7万", D("461.7"), ""),
    ("amount", "50.920543", D("50.920543"), ""),
    ("amount", "1.2.3", D("1.23"), "「.」未填入"),
]


@pytest.mark.xdist_group("tui")
@pytest.mark.parametrize("sample", [SAMPLE_2021, SAMPLE_2019], ids=["2021", "2019"])
async def test_tui_typed(tmp_path, sample):
    path = tmp_path / sample.name
    shutil.copy(sample, path)
    rows = [t for t in TYPED if CELLS[t[0]][0] == sample]
    app = DrafterApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for kind, keys, want, said in rows:
            _, sid, cid = CELLS[kind]
            app.goto(cid)
            await pilot.pause()
            grid = app.query_one(f"#grid-{sid}", NumberGrid)
            assert app.focused is grid and grid.cid == cid
            await pilot.press("delete")                  # start from an empty cell
            await type_keys(app, pilot, keys)
            await pilot.pause()
            shown = msg(app, sid)
            got = load(path).figures[cid]
            assert same(got, want), (kind, keys, got, shown)
            if said:
                assert said in shown, (kind, keys, shown)
            else:
                assert "未填入" not in shown, (kind, keys, shown)
            await pilot.press("enter")                   # done: the message about a refused key goes
            await pilot.pause()
            assert "未填入" not in msg(app, sid)
            assert same(load(path).figures[cid], want)
            parts, total = row_parts(app, cid)
            if total:
                now = load(path).figures
                assert now[total] == sum(now[p] or 0 for p in parts)
        assert app.return_code is None and app.is_running
