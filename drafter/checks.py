"""The checker: runs the declarative rules of validators/<format>.yaml on a Report (and last year's).

One check() serves the TUI (live, at every keystroke), `drafter check` and `drafter render`.
Rule kinds are functions registered in KINDS; narrative.py adds its own.
"""
from __future__ import annotations

import datetime as dt
import importlib.resources
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Callable, Iterable

import cerberus
import yaml

from .formats import Cell, Format, Table, load_format
from .numbers import format_number

SECTION_NAMES = {"agency": "基本信息"}


@dataclass(frozen=True)
class Finding:
    severity: str                 # 'error' | 'warning'
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
    report: object
    fmt: Format
    previous: object | None
    figures: dict
    rules: dict = field(default_factory=dict)


KINDS: dict[str, Callable[[dict, Context], Iterable[Finding]]] = {}


def kind(name):
    def deco(fn):
        KINDS[name] = fn
        return fn
    return deco


# ---- the rules file ----------------------------------------------------------------------------
@lru_cache(maxsize=None)
def load_rules(fid: str) -> dict:
    text = importlib.resources.files("drafter.validators").joinpath(f"{fid}.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


class _Validator(cerberus.Validator):
    types_mapping = cerberus.Validator.types_mapping.copy()
    types_mapping["decimal"] = cerberus.TypeDefinition("decimal", (Decimal, int), (bool,))
    types_mapping["integer"] = cerberus.TypeDefinition("integer", (int,), (bool,))  # bool is not a figure

    def _validate_max_places(self, max_places, field, value):
        """{'type': 'integer'}"""
        if isinstance(value, Decimal) and value.as_tuple().exponent < -max_places \
                and value != value.quantize(Decimal(1).scaleb(-max_places)):
            self._error(field, f"more than {max_places} decimal places")


@lru_cache(maxsize=None)
def _validator(fid: str, kind_: str) -> _Validator:
    return _Validator({"v": load_rules(fid)["schema"][kind_]})


@lru_cache(maxsize=8192)
def _value_ok(fid: str, kind_: str, value_type: type, value) -> bool:
    # a pure function of (kind, value): cached, so a keystroke costs one lookup per cell
    return _validator(fid, kind_).validate({"v": value})


def value_ok(fid: str, cell: Cell, value) -> bool:
    return _value_ok(fid, cell.kind, type(value), value)


# ---- helpers -----------------------------------------------------------------------------------
def _section_of(cid: str) -> str:
    return cid.split(".", 1)[0]


def _num(v):
    return format_number(v)


def _col_name(table: Table, col: str) -> str:
    c = next(c for c in table.cells if c.col == col)
    return c.col_path[-1].name if table.id == "requests" else c.col_label


def _row_name(table: Table, row: str) -> str:
    cells = [c for c in table.cells if c.row == row]
    c = cells[0]
    if table.id == "appeals":
        return next(n.name for n in c.col_path if n.key == row)
    node = c.row_path[-1]
    return node.short or node.label


def _values(ctx: Context, ids) -> list | None:
    vals = [ctx.figures.get(i) for i in ids]
    if any(v is None or not isinstance(v, (int, Decimal)) or isinstance(v, bool) for v in vals):
        return None
    return vals


def _finding(rule: dict, cells, message: str) -> Finding:
    cells = tuple(cells)
    return Finding(rule.get("severity", "error"), rule["id"], cells, message, _section_of(cells[0]) if cells else "agency")


def _cols_of(table: Table) -> list[str]:
    return list(dict.fromkeys(c.col for c in table.cells))


def _rows_of(table: Table) -> list[str]:
    return list(dict.fromkeys(c.row for c in table.cells))


def _select(table: Table, spec, axis: str) -> list[str]:
    """Row or column keys named in a rule: a list, or {role: R} for the leaves of that role."""
    if isinstance(spec, list):
        return spec
    role = spec["role"]
    cache = table.__dict__.setdefault("_check_cache", {})    # a format's tables do not change: once per table
    if ("select", role, axis) not in cache:
        if axis == "row":
            cache["select", role, axis] = [r for r in _rows_of(table) if table.cells and any(
                c.row == r and c.row_path[-1].role == role for c in table.cells)]
        else:
            cache["select", role, axis] = [k for k in _cols_of(table) if any(
                c.col == k and c.col_path[-1].role == role for c in table.cells)]
    return cache["select", role, axis]


def _lines(table: Table, each: str):
    """(name, key) of every row or column of the table, for rules that run per line."""
    cache = table.__dict__.setdefault("_check_cache", {})
    if ("lines", each) not in cache:
        cache["lines", each] = ([(_row_name(table, r), r) for r in _rows_of(table)] if each == "row"
                                else [(_col_name(table, c), c) for c in _cols_of(table)])
    return cache["lines", each]


def _cell_id(table: Table, each: str, line: str, other: str) -> str:
    row, col = (line, other) if each == "row" else (other, line)
    return f"{table.id}.{row}.{col}"


# ---- rule kinds --------------------------------------------------------------------------------
@kind("schema")
def _schema(rule, ctx: Context):
    msgs = load_rules(ctx.fmt.id)["messages"]
    for cid, cell in ctx.fmt.cells.items():
        v = ctx.figures.get(cid)
        if v is None:
            continue
        if not value_ok(ctx.fmt.id, cell, v):
            written = format(v, "f") if isinstance(v, Decimal) else str(v)      # as in the file: 12.0 stays 12.0
            yield _finding(rule, [cid], f"{cell.full_label}：「{written}」{msgs[cell.kind]}")


@kind("missing")
def _missing(rule, ctx: Context):
    for table in ctx.fmt.tables.values():
        for row, cells in table.rows():
            empty = [c for c in cells if ctx.figures.get(c.id) is None]
            if not empty:
                continue
            if table.id == "appeals":
                name = _row_name(table, row)
            else:
                name = ("／".join(filter(None, [cells[0].block, cells[0].row_label])))
            cols = "、".join(c.col_label for c in empty) if len(empty) < len(cells) else "整行"
            yield _finding(rule, [c.id for c in empty], rule["message"].format(row=name, cols=cols))


@kind("sum")
def _sum(rule, ctx: Context):
    table = ctx.fmt.tables[rule["table"]]
    each = rule["each"]
    cache = table.__dict__.setdefault("_check_cache", {})   # the cells of each line: once per rule
    if ("sum", rule["id"]) not in cache:
        parts = _select(table, rule["parts"], "col" if each == "row" else "row")
        cache["sum", rule["id"]] = [(name, [_cell_id(table, each, line, k) for k in [rule["total"], *parts]])
                                    for name, line in _lines(table, each)]
    for name, ids in cache["sum", rule["id"]]:
        vals = _values(ctx, ids)
        if vals is None:
            continue
        total, s = vals[0], sum(vals[1:])
        if total != s:
            msg = rule["message"].format(row=name, col=name, total=_num(total), sum=_num(s), diff=_num(abs(total - s)))
            yield _finding(rule, ids, msg)


@kind("identity")
def _identity(rule, ctx: Context):
    table = ctx.fmt.tables[rule["table"]]
    each = rule["each"]
    for name, line in _lines(table, each):
        lids = [_cell_id(table, each, line, k) for k in rule["left"]]
        rids = [_cell_id(table, each, line, k) for k in rule["right"]]
        vals = _values(ctx, lids + rids)
        if vals is None:
            continue
        left, right = sum(vals[: len(lids)]), sum(vals[len(lids):])
        if left != right:
            yield _finding(rule, lids + rids, rule["message"].format(
                col=name, row=name, left=_num(left), right=_num(right), diff=_num(abs(left - right))))


@kind("agency_name")
def _agency_name(rule, ctx: Context):
    if not str(ctx.report.agency.get("name") or "").strip():
        yield Finding(rule["severity"], rule["id"], ("agency.name",), rule["message"], "agency")


@kind("signed_on")
def _signed_on(rule, ctx: Context):
    if ctx.report.signed_on is None:
        yield Finding(rule["severity"], rule["id"], ("agency.signed_on",), rule["message"], "agency")


@kind("signed_year")
def _signed_year(rule, ctx: Context):
    d = ctx.report.signed_on
    if isinstance(d, dt.date) and d.year != ctx.report.year + 1:
        from .dates import chinese_date
        yield Finding(rule["severity"], rule["id"], ("agency.signed_on",), rule["message"].format(
            date=chinese_date(d), year=ctx.report.year, next=ctx.report.year + 1), "agency")


@kind("previous_equal")
def _previous_equal(rule, ctx: Context):
    prev = ctx.previous
    if prev is None:
        return
    table = ctx.fmt.tables[rule["table"]]
    ptable = prev.fmt.tables.get(rule["table"])
    if ptable is None:
        return
    for name, col in _lines(table, "column"):
        this_id = f"{table.id}.{rule['row']}.{col}"
        prev_id = f"{table.id}.{rule['previous_row']}.{col}"
        a, b = ctx.figures.get(this_id), prev.figures.get(prev_id)
        if a is None or b is None:
            continue
        if a != b:
            yield _finding(rule, [this_id], rule["message"].format(
                col=name, this=_num(a), prev=_num(b), diff=_num(abs(a - b))))


@kind("previous_formula")
def _previous_formula(rule, ctx: Context):
    prev = ctx.previous
    if prev is None or prev.format != rule["previous_format"] or ctx.fmt.id != rule["previous_format"]:
        return
    table = ctx.fmt.tables[rule["table"]]
    for row in rule["rows"]:
        this_id = f"{table.id}.{row}.{rule['this']}"
        a = ctx.figures.get(this_id)
        total = 0
        for t in rule["terms"]:
            src = prev.figures if t["year"] == "previous" else ctx.figures
            v = src.get(f"{table.id}.{row}.{t['col']}")
            if v is None:
                total = None
                break
            total += t.get("sign", 1) * v
        if a is None or total is None:
            continue
        if a != total:
            yield _finding(rule, [this_id], rule["message"].format(
                row=_row_name(table, row), this=_num(a), prev=_num(total), diff=_num(abs(a - total))))


@kind("township_zero")
def _township_zero(rule, ctx: Context):
    if ctx.report.agency.get("level") != "township":
        return
    ids = [c.id for c in ctx.fmt.tables[rule["table"]].cells if c.row == rule["row"]]
    nonzero = [i for i in ids if ctx.figures.get(i) not in (None, 0)]
    if nonzero:
        yield _finding(rule, nonzero, rule["message"])


# ---- entry point -------------------------------------------------------------------------------
def check(report, previous=None) -> list[Finding]:
    """Every finding of `report` (and against last year's `previous`), errors first, in rule order."""
    fmt = load_format(report.format)
    ctx = Context(report, fmt, previous, report.figures)
    confirmed = report.extra.get("confirmed") or {}
    out: list[Finding] = []
    for rule in load_rules(fmt.id)["rules"]:
        fn = KINDS.get(rule["kind"])
        if fn is None:
            _load_plugins()
            fn = KINDS[rule["kind"]]
        for f in fn(rule, ctx):
            if f.severity == "warning" and f.key in confirmed:
                reason = confirmed[f.key]
                f = Finding(f.severity, f.rule, f.cells, f.message, f.section,
                            reason.get("reason", "") if isinstance(reason, dict) else str(reason) or "已确认")
            out.append(f)
    out.sort(key=lambda f: f.severity != "error")
    return out


def _load_plugins():
    # rule kinds defined outside this module (narrative checks)
    importlib.import_module("drafter.narrative")


def errors(findings) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


@lru_cache(maxsize=None)
def _blocking_rules(fid: str) -> frozenset[str]:
    return frozenset(r["id"] for r in load_rules(fid)["rules"] if r.get("blocks_final"))


def blocking(findings, fid: str) -> list[Finding]:
    """What stops a final document: every error, and the warnings whose rule says `blocks_final`."""
    rules = _blocking_rules(fid)
    return [f for f in findings if f.severity == "error" or f.rule in rules]


def by_cell(findings) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for f in findings:
        for c in f.cells:
            out.setdefault(c, []).append(f)
    return out


def confirm(report, finding: Finding, reason: str) -> None:
    """Remember the clerk's confirmation of a warning in the file (key `confirmed`)."""
    if finding.severity != "warning" or finding.rule in _blocking_rules(report.format):
        raise ValueError("only warnings that do not block a final document can be confirmed")
    report.extra.setdefault("confirmed", {})[finding.key] = {"reason": reason, "message": finding.message}


# ---- totals, derived from the sum rules --------------------------------------------------------
@lru_cache(maxsize=None)
def _sum_plan(fid: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(total cell, part cells) for every sum rule of the format, row totals before column totals."""
    fmt = load_format(fid)
    plan = []
    for rule in load_rules(fid)["rules"]:
        if rule["kind"] != "sum":
            continue
        table = fmt.tables[rule["table"]]
        each = rule["each"]
        parts = _select(table, rule["parts"], "col" if each == "row" else "row")
        for _, line in _lines(table, each):
            plan.append((_cell_id(table, each, line, rule["total"]),
                         tuple(_cell_id(table, each, line, p) for p in parts)))
    return tuple(plan)


def derived_cells(fid: str) -> frozenset[str]:
    """Cells drafter computes (totals): read-only in the TUI."""
    return frozenset(t for t, _ in _sum_plan(fid))


def compute_totals(report) -> dict[str, object]:
    """Set every total from its parts (blank parts count as 0; a total of all-blank parts stays blank).

    Returns the cells whose value changed."""
    changed = {}
    figs = report.figures
    for total, parts in _sum_plan(report.format):
        vals = [figs.get(p) for p in parts]
        if all(v is None for v in vals):
            new = None
        elif any(not isinstance(v, (int, Decimal)) or isinstance(v, bool) for v in vals if v is not None):
            continue
        else:
            new = sum(v for v in vals if v is not None)
        if figs.get(total) != new or (new is not None and total not in figs):
            figs[total] = new
            changed[total] = new
    return changed
