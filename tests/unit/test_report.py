"""The drafter file: load, save, atomic writes, and one-line Chinese errors for broken files."""
import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from drafter.cli import main
from drafter.report import Report, ReportError, atomic_write, load, loads

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
