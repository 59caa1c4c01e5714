"""validators/*.yaml checked on load against a schema per rule kind: a broken file is one Chinese line naming the
file, the rule and the field (RuleFileError, a ValueError), never a KeyError traceback."""
import re
from pathlib import Path

import pytest
from gen import zero_report

import drafter.checks as checks
import drafter.rules as rules
from drafter.cli import main
from drafter.rules import KIND_FIELDS, KINDS, RuleFileError, parse_rules

VALIDATORS = Path(__file__).resolve().parents[2] / "validators"
TEXT = (VALIDATORS / "2021.yaml").read_text(encoding="utf-8")


def broken(old: str, new: str, text: str = TEXT) -> str:
    assert old in text
    return text.replace(old, new, 1)


def error_of(text: str) -> str:
    with pytest.raises(RuleFileError) as e:
        parse_rules(text, "validators/2021.yaml")
    msg = str(e.value)
    assert "\n" not in msg and isinstance(e.value, ValueError)
    return msg


def test_the_shipped_rule_files_are_valid_and_every_kind_is_implemented():
    for path in sorted(VALIDATORS.glob("*.yaml")):
        data = parse_rules(path.read_text(encoding="utf-8"), path.name)
        assert {r["kind"] for r in data["rules"]} <= set(KIND_FIELDS)
    assert set(KINDS) == set(KIND_FIELDS)


def test_part_for_parts():
    msg = error_of(broken("    parts: [natural,", "    part: [natural,"))
    assert msg == "规则文件validators/2021.yaml：规则「requests.row_total」的字段「part」：不是这种规则的字段（是否应为「parts」？）"


def test_misspelt_kind():
    msg = error_of(broken("    kind: identity", "    kind: identiy"))
    assert msg == ("规则文件validators/2021.yaml：规则「requests.identity」的字段「kind」：「identiy」不是规则种类"
                   "（是否应为「identity」？）")


@pytest.mark.parametrize("old,new,field,what", [
    ("    each: column\n    left:", "    each: col\n    left:", "each", "「col」不可用（应为row、column之一）"),
    ("    table: appeals\n    each: row", "    table: appeal\n    each: row", "table", "「appeal」不是2021年格式的表格"),
    ('    message: "{row}：总计={total}，结果维持', '    mesage: "{row}：总计={total}，结果维持', "mesage",
     "不是这种规则的字段（是否应为「message」？）"),
    ("    severity: warning\n    blocks_final: true", "    severity: warn\n    blocks_final: true", "severity",
     "「warn」不可用（应为error、warning之一）"),
    ("    blocks_final: true", "    blocks_final: yes please", "blocks_final", "应为true 或 false"),
    ("    threshold: 0.9", "    threshold: high", "threshold", "应为数"),
    ("    left: [new, carried_over]", "    left: new", "left", "应为列表"),
    ("      - {year: this, col: repealed, sign: -1}", "      - {year: now, col: repealed, sign: -1}",
     "terms.2.year", "「now」不可用（应为previous、this之一）"),
])
def test_a_broken_field_is_named(old, new, field, what):
    msg = error_of(broken(old, new))
    m = re.fullmatch(r"规则文件validators/2021\.yaml：规则「([\w.]+)」的字段「([\w.]+)」：(.*)", msg)
    assert m, msg
    assert m.group(2) == field and m.group(3).startswith(what), msg


def test_a_missing_field_and_a_missing_id():
    msg = error_of(broken("    total: total\n    parts: {role: result}", "    parts: {role: result}"))
    assert msg == "规则文件validators/2021.yaml：规则「requests.column_total」的字段「total」：未填写（必须有）"
    msg = error_of(broken("  - id: requests.row_total         # rule 2\n", "  - # rule 2\n"))
    assert msg == "规则文件validators/2021.yaml：第3条规则的字段「id」：未填写（必须有）"


def test_top_level_and_yaml_errors():
    assert error_of(broken("rules:\n", "rule:\n")) == \
        "规则文件validators/2021.yaml：字段「rule」：不是这种规则的字段（是否应为「rules」？）"
    assert error_of(broken("format: '2021'", "format: '2020'")).startswith(
        "规则文件validators/2021.yaml：字段「format」：「2020」不可用")
    msg = error_of(broken("  - id: agency.name\n", "  - id: agency.name\n  bad: [\n"))
    assert msg.startswith("规则文件validators/2021.yaml第") and "不是有效的YAML" in msg
    assert error_of("- a\n- b\n").startswith("规则文件validators/2021.yaml：内容应为键值表")


def test_a_duplicate_rule_id():
    msg = error_of(broken("  - id: appeals.total ", "  - id: requests.identity "))
    assert msg == "规则文件validators/2021.yaml：规则「requests.identity」的字段「id」：与前面的规则重复"


@pytest.fixture
def broken_rules(monkeypatch):
    """validators/2021.yaml read as `part:` for `parts:` (every cache of the rules emptied before and after)."""
    def clear():
        for fn in (rules.load_rules, rules.sum_plan, checks._validator, checks._value_ok, checks._blocking_rules):
            fn.cache_clear()
    clear()
    monkeypatch.setattr(rules, "_rule_text", lambda fid: broken("    parts: [natural,", "    part: [natural,")
                        if fid == "2021" else (VALIDATORS / f"{fid}.yaml").read_text(encoding="utf-8"))
    yield
    monkeypatch.undo()
    clear()


def test_the_cli_prints_one_line(broken_rules, tmp_path, capsys):
    path = tmp_path / "r.yaml"
    zero_report("2021").save(path)
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == ("drafter：规则文件validators/2021.yaml：规则「requests.row_total」的字段「part」："
                   "不是这种规则的字段（是否应为「parts」？）")
