"""The rule files validators/<format>.yaml and the registry of their rule kinds.

A rule file is validated when it is read, against a cerberus schema per rule kind (KIND_FIELDS): a broken file
raises RuleFileError, one Chinese line naming the file, the rule and the field. Every rule kind is named here; its
function is registered with @kind by the module that implements it — drafter.checks (table and agency rules) and
drafter.narrative.kinds (text rules). Both import this module; it imports neither.
"""
from __future__ import annotations

import difflib
import importlib.resources
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Iterable

import cerberus
import cerberus.errors
import yaml

from .formats import FORMAT_IDS, Format, Table, load_format
from .report import Report


@dataclass(frozen=True)
class Finding:
    severity: str                 # 'error' | 'warning' (names for the clerk: drafter.checks.SEVERITY)
    rule: str                     # rule id of validators/*.yaml
    cells: tuple[str, ...]        # cell ids (or text keys such as 'text.overview.0', 'agency.name')
    message: str                  # one Chinese line
    section: str                  # section id of the format, or 'agency'
    confirmed: str | None = None  # the clerk's reason, for a confirmed warning

    @property
    def key(self) -> str:
        """Stable identity, used to remember a confirmation in the file."""
        return f"{self.rule}:{','.join(self.cells)}"

    def as_dict(self) -> dict:
        d = {"severity": self.severity, "rule": self.rule, "cells": list(self.cells), "message": self.message,
             "section": self.section}
        if self.confirmed:
            d["confirmed"] = self.confirmed
        return d


@dataclass
class Context:
    """What a rule kind sees: the report, its format, last year's report (or None) and the figures."""
    report: Report
    fmt: Format
    previous: Report | None
    figures: dict
    rules: dict = field(default_factory=dict)

    def once(self, make: Callable[["Context"], Any]) -> Any:
        """make(self), computed once per check: what several rules read (the narrative texts, whether every cell
        holds a figure)."""
        memo = self.__dict__.setdefault("_once", {})
        if make not in memo:
            memo[make] = make(self)
        return memo[make]


class RuleFileError(ValueError):
    """A rule file that cannot be used; str() is one Chinese line naming the file, the rule and the field."""


# ---- the schema of a rule, per kind ------------------------------------------------------------
_MESSAGE = {"type": "string", "required": True, "empty": False}
_TEXT = {"type": "string", "required": True, "empty": False}
_KEYS = {"type": "list", "required": True, "minlength": 1, "schema": {"type": "string"}}
_WORDS = {"type": "list", "required": True, "minlength": 1, "schema": {"type": "string", "empty": False}}
_EACH = {"type": "string", "required": True, "allowed": ["row", "column"]}

COMMON = {
    "id": _TEXT,
    "kind": {"type": "string", "required": True},
    "severity": {"type": "string", "required": True, "allowed": ["error", "warning"]},
    "blocks_final": {"type": "boolean"},
}

# every rule kind and the fields of its rules (beyond COMMON)
KIND_FIELDS: dict[str, dict[str, dict]] = {
    # drafter.checks
    "schema": {},
    "missing": {"message": _MESSAGE, "message_blank": _MESSAGE},
    "sum": {"table": _TEXT, "each": _EACH, "total": _TEXT, "message": _MESSAGE,
            "parts": {"required": True, "type": ["list", "dict"], "oneof": [
                {"type": "list", "minlength": 1, "schema": {"type": "string"}},
                {"type": "dict", "schema": {"role": _TEXT}}]}},
    "identity": {"table": _TEXT, "each": _EACH, "left": _KEYS, "right": _KEYS, "message": _MESSAGE},
    "agency_name": {"message": _MESSAGE},
    "signed_on": {"message": _MESSAGE},
    "signed_year": {"message": _MESSAGE},
    "previous_equal": {"table": _TEXT, "row": _TEXT, "previous_row": _TEXT, "message": _MESSAGE},
    "previous_formula": {
        "previous_format": {"type": "string", "required": True, "allowed": list(FORMAT_IDS)},
        "table": _TEXT, "rows": _KEYS, "this": _TEXT, "message": _MESSAGE,
        "terms": {"type": "list", "required": True, "minlength": 1, "schema": {"type": "dict", "schema": {
            "year": {"type": "string", "required": True, "allowed": ["previous", "this"]},
            "col": _TEXT,
            "sign": {"type": "integer", "allowed": [1, -1]}}}}},
    "township_zero": {"table": _TEXT, "row": _TEXT, "message": _MESSAGE},
    # drafter.narrative.kinds
    "narrative_figures": {"message": _MESSAGE},
    "narrative_applicant": {"message": _MESSAGE},
    "overview_topics": {"message": _MESSAGE},
    "fee_statement": {"message": _MESSAGE},
    "same_as_previous": {"message": _MESSAGE, "threshold": {"type": "number", "min": 0, "max": 1},
                         "min_chars": {"type": "integer", "min": 0}},
    "stray_year": {"message": _MESSAGE},
    "intro_format": {"notice_title": _TEXT, "message_notice": _MESSAGE, "message_parts": _MESSAGE},
    "intro_year": {"message": _MESSAGE},
    "problems_content": {"none_pattern": _TEXT, "problem_words": _WORDS, "improvement_words": _WORDS,
                         "message_none": _MESSAGE, "message_problems": _MESSAGE,
                         "message_improvements": _MESSAGE},
}

_FILE = {
    "format": {"type": "string", "required": True, "allowed": list(FORMAT_IDS)},
    "schema": {"type": "dict", "required": True, "keysrules": {"type": "string"}, "valuesrules": {"type": "dict"}},
    "messages": {"type": "dict", "required": True, "keysrules": {"type": "string"},
                 "valuesrules": {"type": "string"}},
    "rules": {"type": "list", "required": True, "schema": {"type": "dict"}},
}

_TYPE_NAMES = {"string": "文字", "list": "列表", "dict": "键值表", "integer": "整数", "number": "数",
               "boolean": "true 或 false"}


def _describe(schema: dict, err: Any) -> str:
    """What is wrong with one field, in Chinese."""
    code = err.code
    if code == cerberus.errors.UNKNOWN_FIELD.code:
        near = difflib.get_close_matches(str(err.field), list(schema), n=1)
        return "不是这种规则的字段" + (f"（是否应为「{near[0]}」？）" if near else f"（可用：{'、'.join(schema)}）")
    if code == cerberus.errors.REQUIRED_FIELD.code:
        return "未填写（必须有）"
    if code == cerberus.errors.BAD_TYPE.code:
        wants = err.constraint if isinstance(err.constraint, list) else [err.constraint]
        return "应为" + "或".join(_TYPE_NAMES.get(w, str(w)) for w in wants)
    if code == cerberus.errors.UNALLOWED_VALUE.code:
        return f"「{err.value}」不可用（应为{'、'.join(str(a) for a in err.constraint or [])}之一）"
    if code in (cerberus.errors.EMPTY_NOT_ALLOWED.code, cerberus.errors.MIN_LENGTH.code):
        return "不能为空"
    return "不合要求"


def _first_error(validator: cerberus.Validator, schema: dict) -> tuple[str, str]:
    """(field path, Chinese description) of the first error of a validation, the innermost one."""
    err = validator._errors[0]
    while err.is_group_error and err.child_errors:
        inner = err.child_errors[0]
        if inner.code == cerberus.errors.BAD_TYPE.code or not inner.document_path:
            break
        err = inner
        schema = {err.field: {}} if not isinstance(schema.get(err.field), dict) else schema
    path = ".".join(str(p) for p in err.document_path)
    return path, _describe(schema, err)


def validate_rules(data: Any, source: str) -> dict:
    """`data` (a rule file as read from YAML) checked against the schemas; RuleFileError naming `source`."""
    if not isinstance(data, dict):
        raise RuleFileError(f"规则文件{source}：内容应为键值表（format、schema、messages、rules）")
    v = cerberus.Validator(_FILE)
    if not v.validate(data):
        where, what = _first_error(v, _FILE)
        raise RuleFileError(f"规则文件{source}：字段「{where}」：{what}")
    fmt = load_format(data["format"])
    seen: set[str] = set()
    for i, rule in enumerate(data["rules"], 1):
        rid = rule.get("id")
        name = f"规则「{rid}」" if isinstance(rid, str) and rid else f"第{i}条规则"
        k = rule.get("kind")
        if k not in KIND_FIELDS:
            near = difflib.get_close_matches(str(k), list(KIND_FIELDS), n=1)
            hint = f"（是否应为「{near[0]}」？）" if near else f"（可用：{'、'.join(KIND_FIELDS)}）"
            raise RuleFileError(f"规则文件{source}：{name}的字段「kind」：「{k}」不是规则种类{hint}")
        schema = {**COMMON, **KIND_FIELDS[k]}
        rv = cerberus.Validator(schema)
        if not rv.validate(rule):
            where, what = _first_error(rv, schema)
            raise RuleFileError(f"规则文件{source}：{name}的字段「{where}」：{what}")
        if rid in seen:
            raise RuleFileError(f"规则文件{source}：{name}的字段「id」：与前面的规则重复")
        seen.add(rid)
        if "table" in rule and rule["table"] not in fmt.tables:
            raise RuleFileError(f"规则文件{source}：{name}的字段「table」：「{rule['table']}」不是"
                                f"{fmt.id}年格式的表格（{'、'.join(fmt.tables)}）")
    for ck in fmt_kinds(fmt):
        if ck not in data["schema"] or ck not in data["messages"]:
            missing = "schema" if ck not in data["schema"] else "messages"
            raise RuleFileError(f"规则文件{source}：字段「{missing}」：缺少数值种类「{ck}」")
    return data


def fmt_kinds(fmt: Format) -> list[str]:
    """The cell kinds (count, signed, amount) a format uses."""
    return sorted({c.kind for c in fmt.cells.values()})


def parse_rules(text: str, source: str) -> dict:
    """A rule file's text, read and validated; RuleFileError (one Chinese line) when it cannot be used."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = f"第{mark.line + 1}行" if mark is not None else ""
        raise RuleFileError(f"规则文件{source}{line}：不是有效的YAML（{getattr(e, 'problem', '') or e}）") from e
    return validate_rules(data, source)


def _rule_text(fid: str) -> str:
    return importlib.resources.files("drafter.validators").joinpath(f"{fid}.yaml").read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def load_rules(fid: str) -> dict:
    """The rules of format `fid` (validators/<fid>.yaml), validated once."""
    return parse_rules(_rule_text(fid), f"validators/{fid}.yaml")


def rules_of_kind(fid: str, kind_: str) -> list[dict]:
    """Every rule of `kind_` in the rules of format `fid` (carry reads the cross-year rules this way)."""
    return [r for r in load_rules(fid)["rules"] if r["kind"] == kind_]


# ---- the registry ------------------------------------------------------------------------------
KindFn = Callable[[dict, Context], Iterable[Finding]]
KINDS: dict[str, KindFn] = {}


def kind(name: str) -> Callable[[KindFn], KindFn]:
    """Register the function of rule kind `name` (which must be one of KIND_FIELDS)."""
    if name not in KIND_FIELDS:
        raise KeyError(f"rule kind {name!r} has no schema in drafter.rules.KIND_FIELDS")

    def deco(fn: KindFn) -> KindFn:
        KINDS[name] = fn
        return fn
    return deco


# ---- rows and columns named by rules -----------------------------------------------------------
def cols_of(table: Table) -> list[str]:
    return list(dict.fromkeys(c.col for c in table.cells))


def rows_of(table: Table) -> list[str]:
    return list(dict.fromkeys(c.row for c in table.cells))


def col_name(table: Table, col: str) -> str:
    c = next(c for c in table.cells if c.col == col)
    return c.col_path[-1].name if table.id == "requests" else c.col_label


def row_name(table: Table, row: str) -> str:
    cells = [c for c in table.cells if c.row == row]
    c = cells[0]
    if table.id == "appeals":
        return next(n.name for n in c.col_path if n.key == row)
    node = c.row_path[-1]
    return node.short or node.label


def _cache(table: Table) -> dict:
    return table.__dict__.setdefault("_check_cache", {})    # a format's tables do not change: once per table


def select(table: Table, spec, axis: str) -> list[str]:
    """Row or column keys named in a rule: a list, or {role: R} for the leaves of that role."""
    if isinstance(spec, list):
        return spec
    role = spec["role"]
    cache = _cache(table)
    if ("select", role, axis) not in cache:
        if axis == "row":
            cache["select", role, axis] = [r for r in rows_of(table) if table.cells and any(
                c.row == r and c.row_path[-1].role == role for c in table.cells)]
        else:
            cache["select", role, axis] = [k for k in cols_of(table) if any(
                c.col == k and c.col_path[-1].role == role for c in table.cells)]
    return cache["select", role, axis]


def lines(table: Table, each: str) -> list[tuple[str, str]]:
    """(name, key) of every row or column of the table, for rules that run per line."""
    cache = _cache(table)
    if ("lines", each) not in cache:
        cache["lines", each] = ([(row_name(table, r), r) for r in rows_of(table)] if each == "row"
                                else [(col_name(table, c), c) for c in cols_of(table)])
    return cache["lines", each]


def cell_id(table: Table, each: str, line: str, other: str) -> str:
    row, col = (line, other) if each == "row" else (other, line)
    return f"{table.id}.{row}.{col}"


@lru_cache(maxsize=None)
def sum_plan(fid: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(total cell, part cells) for every sum rule of the format, row totals before column totals."""
    fmt = load_format(fid)
    plan = []
    for rule in rules_of_kind(fid, "sum"):
        table = fmt.tables[rule["table"]]
        each = rule["each"]
        parts = select(table, rule["parts"], "col" if each == "row" else "row")
        for _, line in lines(table, each):
            plan.append((cell_id(table, each, line, rule["total"]),
                         tuple(cell_id(table, each, line, p) for p in parts)))
    return tuple(plan)
