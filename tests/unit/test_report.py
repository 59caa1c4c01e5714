"""The drafter file: load, save, atomic writes, and one-line Chinese errors for broken files."""
import datetime as dt
import os
import stat
import time
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from drafter.cli import main
from drafter.report import MAX_BYTES, Report, ReportError, atomic_write, load, loads

HOSTILE = "{{ 7*7 }} {% if x %}<w:p>&amp; \"引号\" 'single' 😀\u0007\t尾"


def test_round_trip_keeps_everything(tmp_path):
    r = Report.new(2021, "青山镇人民政府")
    r.signed_on = dt.date(2022, 1, 28)
    r.figures["active.fees.amount"] = Decimal("50.920543")
    r.figures["requests.new.natural"] = 3
    r.text["problems"] = "第一段\n第二段 " + HOSTILE
    r.text["overview"][0]["body"] = "x" * 10000
    r.extra["contact"] = {"phone": "0451-87542911"}
    p = r.save(tmp_path / "r.yaml")
    back = load(p)
    assert back.figures == r.figures
    assert isinstance(back.figures["active.fees.amount"], Decimal)
    assert back.text == r.text and back.signed_on == r.signed_on and back.extra == r.extra
    assert back.format == "2021" and back.agency == r.agency


def test_file_is_readable_yaml_with_canonical_ids(tmp_path):
    r = Report.new(2021, "青山镇人民政府")
    r.figures["active.fees.amount"] = Decimal("1.25")
    text = r.save(tmp_path / "r.yaml").read_text(encoding="utf-8")
    assert "active.fees.amount: 1.25\n" in text
    assert "name: 青山镇人民政府" in text
    data = yaml.safe_load(text)
    assert list(data)[:3] == ["format", "year", "agency"]
    assert list(data["figures"]) == list(r.fmt.cells)


def test_save_keeps_previous_version_as_bak(tmp_path):
    p = tmp_path / "r.yaml"
    r = Report.new(2021, "甲")
    r.save(p)
    r.agency["name"] = "乙"
    r.save(p)
    assert load(p).agency_name == "乙"
    assert load(tmp_path / "r.yaml.bak").agency_name == "甲"
    assert sorted(x.name for x in tmp_path.iterdir()) == ["r.yaml", "r.yaml.bak"]


def test_atomic_write_failure_leaves_old_file(tmp_path, monkeypatch):
    p = tmp_path / "r.yaml"
    p.write_text("old", encoding="utf-8")

    def boom(*a):
        raise OSError("disk full")
    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(OSError):
        atomic_write(p, "new")
    assert p.read_text(encoding="utf-8") == "old"
    assert [x.name for x in tmp_path.iterdir()] == ["r.yaml"]


def test_format_from_year_when_absent():
    assert loads("year: 2020\n").format == "2019"
    assert loads("year: 2022\n").format == "2021"


def test_figures_normalised_on_load():
    r = loads("year: 2021\nfigures:\n  requests.new.natural: '１２'\n  active.fees.amount: 461.7 万元\n"
              "  requests.new.commercial: 1,234\n")
    assert r.figures["requests.new.natural"] == 12
    assert r.figures["active.fees.amount"] == Decimal("461.7")
    assert r.figures["requests.new.commercial"] == 1234


@pytest.mark.parametrize("text,line,key,words", [
    ("year: [\n", 2, None, "不是有效的YAML"),
    ("year: 2021\nformat: '2030'\n", 2, "format", "未知的报告格式「2030」"),
    ("year: 2021\nfigures:\n  requests.new.natural: abc\n", 3, "figures.requests.new.natural", "「abc」不是数字"),
    ("year: 2021\nfigures:\n  requests.new.nobody: 1\n", 3, "figures.requests.new.nobody", "未知的单元格编号"),
    ("year: 2021\nfigures:\n  requests.new.natural: 1e5\n", 3, "figures.requests.new.natural", "科学计数法"),
    ("year: twenty\n", 1, "year", "年度"),
    ("year: 2018\n", 1, "year", "没有适用于2018年的报告格式"),
    ("year: 2021\nagency:\n  level: village\n", 3, "agency.level", "机关层级"),
    ("year: 2021\nsigned_on: 28/01/2022\n", 2, "signed_on", "落款日期"),
    ("- a\n- b\n", 1, None, "不是drafter报告文件"),
])
def test_broken_file_messages(tmp_path, text, line, key, words):
    p = tmp_path / "坏.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(ReportError) as e:
        load(p)
    msg = str(e.value)
    assert "\n" not in msg and str(p) in msg and words in msg
    assert e.value.line == line and f"第{line}行" in msg
    if key:
        assert f"「{key}」" in msg


@pytest.mark.parametrize("content", [b"\xff\xfe\x00garbage\x00", b""])
def test_unreadable_files(tmp_path, content):
    p = tmp_path / "x.yaml"
    p.write_bytes(content)
    with pytest.raises(ReportError):
        load(p)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(ReportError, match="文件不存在"):
        load(tmp_path / "none.yaml")
    with pytest.raises(ReportError, match="文件夹"):
        load(tmp_path)


def test_cli_broken_file_exit_2_without_traceback(tmp_path, capsys):
    p = tmp_path / "坏.yaml"
    p.write_text("year: 2021\nfigures:\n  requests.new.natural: 十二\n", encoding="utf-8")
    assert main(["check", str(p)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "第3行" in err and "requests.new.natural" in err
    assert len(err.strip().splitlines()) == 1


def test_previous_embedded(tmp_path):
    last = Report.new(2020, "青山镇人民政府")
    last.figures["requests.carried_forward.natural"] = 2
    r = Report.new(2021, "青山镇人民政府")
    r.extra["previous"] = last.to_dict()
    r.save(tmp_path / "r.yaml")
    prev = load(tmp_path / "r.yaml").previous()
    assert prev.year == 2020 and prev.format == "2019"
    assert prev.figures["requests.carried_forward.natural"] == 2
    assert Report.new(2021, "x").previous() is None


def test_dumps_reuses_text_only_for_equal_values():
    """dumps() reuses each top-level key's text while its value is unchanged: 1, True and 1.0 are not the same."""
    from drafter.report import _Dumper
    r = load(Path(__file__).resolve().parents[2] / "samples" / "青山镇-2021.yaml")
    for v in [1, True, 1.0, Decimal("1.0"), Decimal("1.00"), "1", None, [1], {"a": 1}, {"a": True}]:
        r.extra["ui"] = {"x": v}
        r.extra["doubts"] = [{"cells": ["requests.new.natural"], "message": str(v)}]
        r.figures["requests.new.natural"] = v if type(v) is int else 5
        assert r.dumps() == yaml.dump(r.to_dict(), Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                                      width=1000), repr(v)


# ---- issue 13: what a drafter file may not hold, and how a save treats the file on disk ---------------------
SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "青山镇-2021.yaml"


@pytest.mark.parametrize("text,line,key,words", [
    ("year: 2021\nsigned_on: 2022-02-29\n", 2, "signed_on", "日期「2022-02-29」不存在"),
    ("year: 2021\nsigned_on: 2021-13-01\n", 2, "signed_on", "不存在"),
    ("year: 2021\nprevious:\n  signed_on: 2022-02-30\n", 3, "previous.signed_on", "不存在"),
    ("year: 2021\nsigned_on: '2022-02-29'\n", 2, "signed_on", "没有这一天"),
    ("year: 2021\nagency:\n  name: 甲镇\n  level: township\n  name: 乙镇\n", 5, "agency.name", "第3行和第5行"),
    ("year: 2021\nyear: 2022\n", 2, "year", "写了两次（第1行和第2行）"),
    ("year: 2021\na: &x [1, 2]\nb: *x\n", 2, "a", "锚点和别名"),
    ("year: 2021\n<<: {format: '2021'}\n", 2, None, "合并写法"),
    ("year: 2021\ntext:\n  problems: \"倒\u202e序\"\n", 3, "text.problems", "U+202E"),
    ("year: 2021\ntext:\n  problems: \"倒\\u2067序\"\n", 3, "text.problems", "U+2067"),
    ("year: 2021\nagency:\n  name: [甲, 乙]\n", 3, "agency.name", "一行文字（这里是一个列表）"),
    ("year: 2021\nagency:\n  name: \"甲镇\\n人民政府\"\n", 3, "agency.name", "不能换行"),
    ("year: 2021\nagency:\n  name: \"甲\\e[2J镇\"\n", 3, "agency.name", "控制字符U+001B"),
    ("year: 2021\nagency:\n  name: " + "镇" * 61 + "\n", 3, "agency.name", "不能超过60个字（现为61个字）"),
    ("year: 2021\nx: !!binary aGVsbG8=\n", 2, "x", "不认识的标记"),
    ("year: 2021\nx: " + "[" * 40 + "]" * 40 + "\n", 2, None, "层次过深"),
    ("year: 2021\n---\nyear: 2022\n", 2, None, "只能有一个文档"),
])
def test_refused_with_line_and_key(tmp_path, text, line, key, words):
    p = tmp_path / "坏.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(ReportError) as e:
        load(p)
    msg = str(e.value)
    assert "\n" not in msg and words in msg, msg
    assert e.value.line == line, msg
    if key:
        assert f"「{key}」" in msg, msg


def test_name_of_sixty_characters_and_plain_anchors_in_text_are_fine(tmp_path):
    r = loads("year: 2021\nagency:\n  name: " + "镇" * 60 + "\ntext:\n  problems: A&B, *注\n")
    assert r.agency_name == "镇" * 60 and r.text["problems"] == "A&B, *注"


def test_alias_bomb_refused_before_expansion(tmp_path):
    lines = ["year: 2021", 'a0: ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    text = "\n".join(lines).replace("a0: [", "a0: &a0 [")
    text = "\n".join(ln.replace(f"a{i}: [", f"a{i}: &a{i} [") if i else ln for i, ln in enumerate(text.split("\n")))
    t0 = time.perf_counter()
    with pytest.raises(ReportError, match="锚点和别名"):
        loads(text)
    assert time.perf_counter() - t0 < 1.0


def test_file_over_the_size_limit_refused_unread(tmp_path):
    p = tmp_path / "大.yaml"
    with open(p, "wb") as f:
        f.write(SAMPLE.read_bytes())
        f.write(b"# " + b"x" * (MAX_BYTES + 10) + b"\n")
    t0 = time.perf_counter()
    with pytest.raises(ReportError, match="文件过大"):
        load(p)
    assert time.perf_counter() - t0 < 0.5


def test_fast_figures_block_reads_as_yaml_does(monkeypatch):
    """The figures block read line by line gives what the YAML parser gives, and falls back on anything else."""
    import random as rnd

    from gen import random_reports

    from drafter import report as module
    from drafter.report import _parse, _parse_yaml
    reports = random_reports(rnd.Random(11), "2021", 2022, 20) + random_reports(rnd.Random(12), "2019", 2020, 10)
    for r in reports:
        text = r.dumps()
        data, root, figures_format = _parse(text, None)
        assert root is None and figures_format == r.format    # the fast path was taken, the figures as a block
        assert data == _parse_yaml(text, None)[0]

    def slow(text):
        with monkeypatch.context() as m:
            m.setattr(module.quickread, "read", lambda text: None)
            return loads(text)
    text = SAMPLE.read_text(encoding="utf-8")
    for variant in [text.replace("requests.new.natural: ", "requests.new.natural: 0012", 1),
                    text.replace("requests.new.natural:", "requests.new.natural: '7' #", 1),
                    text + "figures: {}\n",
                    text.replace("\nfigures:\n", "\nintro2: \"x\nfigures:\n  a.b: 1\n\"\nfigures:\n", 1)]:
        try:
            fast = loads(variant)
        except ReportError as e:
            with pytest.raises(ReportError) as refused:
                slow(variant)
            assert str(refused.value) == str(e)
        else:
            assert fast.figures == slow(variant).figures and fast.to_dict() == slow(variant).to_dict()


def _fuzz_cases(rng):
    text = SAMPLE.read_text(encoding="utf-8")
    raw = text.encode("utf-8")
    for _ in range(150):                                     # random bytes
        yield bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300)))
    for _ in range(150):                                     # truncated files
        yield raw[:rng.randrange(len(raw))]
    for _ in range(150):                                     # a byte changed, or a line's indentation
        b = bytearray(raw)
        b[rng.randrange(len(b))] = rng.choice(b"\t\x00\x1b:-[]{}&*!|>'\"%@`#?,\n ")
        yield bytes(b)
    for n in (10, 100, 999, 1000, 5000, 100_000):            # deep nesting, flow and block
        yield ("year: 2021\nx: " + "[" * n + "]" * n + "\n").encode()
        yield ("year: 2021\nx: " + "{a: " * n + "1" + "}" * n + "\n").encode()
        yield ("year: 2021\n" + "".join(" " * i + "a:\n" for i in range(min(n, 3000)))).encode()
    for v in ["9" * 5000, "-" + "9" * 19, "0x" + "f" * 100, "1" + "0" * 400 + ".5", "1e99999", ".nan", "-.inf",
              "1:2:3:4:5", "0b101", "0o17", "+12_345", "2022-02-29T25:61:00", "2022-01-01 10:00:00 +99:00"]:
        yield f"year: 2021\nfigures:\n  requests.new.natural: {v}\nsigned_on: {v}\nx: {{{v}: {v}}}\n".encode()
    yield ("year: 2021\ntext:\n  problems:\t1\n").encode()
    yield ("year:\t2021\n").encode()
    for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
        yield f"year: 2021\nagency:\n  name: 甲{ch}镇\n".encode()
        yield f"year: 2021\nx: \"\\u{ord(ch):04x}\"\n".encode()
    yield b"year: 2021\nx: \"\\ud800\"\n"
    yield "year: 2021\nx: \ud800\n".encode("utf-8", "surrogatepass")
    yield b"\xef\xbb\xbf" + raw
    yield b"year: 2021\n" + b"a: 1\n" * 3 + b"? [1, 2]\n: 3\n"
    yield b"year: 2021\n? {a: 1}\n: 3\n"
    yield b"%YAML 1.1\n---\nyear: 2021\n"
    yield b"!!python/object/apply:os.system ['true']\n"
    yield b"year: !!python/name:os.system\n"


def test_loader_fuzz_only_report_errors(tmp_path):
    """Whatever the bytes, load() returns a Report or raises ReportError (one Chinese line), never anything else."""
    import random as rnd
    p = tmp_path / "f.yaml"
    n = 0
    for data in _fuzz_cases(rnd.Random(13)):
        p.write_bytes(data)
        try:
            r = load(p)
        except ReportError as e:
            assert "\n" not in str(e) and str(p) in str(e), (data[:200], str(e))
        else:
            assert isinstance(r, Report)
            r.dumps()                                        # and what loaded can be written again
        n += 1
    assert n > 500


def test_save_through_a_symlink_writes_the_target(tmp_path):
    target = tmp_path / "real" / "r.yaml"
    target.parent.mkdir()
    Report.new(2021, "甲镇").save(target)
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    r = load(link)
    r.agency["name"] = "乙镇"
    r.save(link)
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert load(target).agency_name == "乙镇"
    assert load(target.with_name("r.yaml.bak")).agency_name == "甲镇"    # the backup beside the file it keeps


def test_save_keeps_mode_and_group_and_new_files_follow_the_umask(tmp_path):
    p = tmp_path / "r.yaml"
    old = os.umask(0o022)
    try:
        Report.new(2021, "甲镇").save(p)
        assert stat.S_IMODE(os.stat(p).st_mode) == 0o644
        os.umask(0o027)
        Report.new(2021, "甲镇").save(tmp_path / "q.yaml")
        assert stat.S_IMODE(os.stat(tmp_path / "q.yaml").st_mode) == 0o640
    finally:
        os.umask(old)
    os.chmod(p, 0o660)
    groups = [g for g in os.getgroups() if g != os.stat(p).st_gid]
    gid = groups[0] if groups else (4242 if os.geteuid() == 0 else os.stat(p).st_gid)
    os.chown(p, -1, gid)
    r = load(p)
    r.agency["name"] = "乙镇"
    r.save(p)
    st = os.stat(p)
    assert stat.S_IMODE(st.st_mode) == 0o660 and st.st_gid == gid
    assert load(p).agency_name == "乙镇"


def test_leftover_temporary_files_are_replaced_by_the_next_save(tmp_path):
    p = tmp_path / "r.yaml"
    Report.new(2021, "甲镇").save(p)
    (tmp_path / ".r.yaml.tmp").write_text("half a file", encoding="utf-8")      # as a killed save leaves them
    (tmp_path / ".r.yaml.bak.tmp").write_text("half", encoding="utf-8")
    load(p).save(p)
    assert sorted(x.name for x in tmp_path.iterdir()) == ["r.yaml", "r.yaml.bak"]


def test_backup_that_already_is_the_file_leaves_nothing(tmp_path):
    """A save killed after it linked the backup and before the rename leaves r.yaml and r.yaml.bak the same file;
    the next save must not leave its temporary link behind (rename onto the same file does nothing)."""
    p = tmp_path / "r.yaml"
    Report.new(2021, "甲镇").save(p)
    os.link(p, tmp_path / "r.yaml.bak")
    r = load(p)
    r.agency["name"] = "乙镇"
    r.save(p)
    assert sorted(x.name for x in tmp_path.iterdir()) == ["r.yaml", "r.yaml.bak"]
    assert load(tmp_path / "r.yaml.bak").agency_name == "甲镇" and load(p).agency_name == "乙镇"
