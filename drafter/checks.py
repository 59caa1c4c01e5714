"""The checker: runs the declarative rules of validators/<format>.yaml on a Report (and last year's).

One check() serves the TUI (live, at every keystroke), `drafter check` and `drafter render`. The rule files, the
Finding and the registry of rule kinds are drafter.rules; the table and agency kinds are here, the text kinds in
drafter.narrative.kinds (imported below so that every kind is registered before a check runs).
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache
from operator import itemgetter
from typing import Callable, Iterable

import cerberus

from .dates import chinese_date
from .formats import Cell, Table, load_format
from .narrative import kinds as _narrative_kinds  # noqa: F401  (registers the text rule kinds)
from .numbers import format_number
from .report import Report
from .rules import (
    KIND_FIELDS,
    KINDS,
    Context,
    Finding,
    RuleFileError,
    cell_id,
    kind,
    lines,
    load_rules,
    row_name,
    select,
    sum_plan,
)

__all__ = ["SEVERITY", "SECTION_NAMES", "Context", "Finding", "RuleFileError", "load_rules", "value_ok", "check",
           "errors", "blocking", "by_cell", "confirm", "derived_cells", "compute_totals"]

# the severity names the clerk reads (TUI, `drafter check`, `drafter render`, the summary)
SEVERITY = {"error": "错误", "warning": "提醒"}
SECTION_NAMES = {"agency": "基本信息"}

class _Validator(cerberus.Validator):
    types_mapping = cerberus.Validator.types_mapping.copy()
    types_mapping["decimal"] = cerberus.TypeDefinition("decimal", (Decimal, int), (bool,))
    types_mapping["integer"] = cerberus.TypeDefinition("integer", (int,), (bool,))  # bool is not a figure

    def _validate_max_places(self, max_places, field, value):
        """{'type': 'integer'}"""
        if _too_many_places(value, max_places):
            self._error(field, f"more than {max_places} decimal places")


def _too_many_places(value, max_places: int) -> bool:
    if not isinstance(value, Decimal) or not value.is_finite():
        return False
    exponent = value.as_tuple().exponent
    return isinstance(exponent, int) and exponent < -max_places \
        and value != value.quantize(Decimal(1).scaleb(-max_places))


@lru_cache(maxsize=None)
def _validator(fid: str, kind_: str) -> _Validator:
    return _Validator({"v": load_rules(fid)["schema"][kind_]})


@lru_cache(maxsize=8192)
def _value_ok(fid: str, kind_: str, value_type: str, value) -> bool:
    # a pure function of (kind, value): cached, so a keystroke costs one lookup per cell
    return _validator(fid, kind_).validate({"v": value})


_FIGURE_TYPES = {"integer": (int,), "decimal": (int, Decimal)}


@lru_cache(maxsize=None)
def _plain_specs(fid: str) -> dict[str, tuple]:
    """kind -> (types, min, max, max_places) for the kinds whose schema is only a type, a range and decimal
    places: a figure is judged by it at once, with the answer cerberus gives (a validation for each distinct
    figure costs a province's batch more than all other rules together)."""
    out = {}
    for k, spec in load_rules(fid)["schema"].items():
        if spec.get("type") in _FIGURE_TYPES and set(spec) <= {"type", "min", "max", "max_places"}:
            out[k] = (_FIGURE_TYPES[spec["type"]], spec.get("min", -10**30), spec.get("max", 10**30),
                      spec.get("max_places"))
    return out


@lru_cache(maxsize=None)
def _plain_groups(fid: str) -> tuple[tuple[Callable, tuple], ...] | None:
    """(itemgetter of the cells, plain spec) of each cell kind, or None when a kind needs cerberus."""
    plain = _plain_specs(fid)
    by_kind: dict[str, list[str]] = {}
    for cid, cell in load_format(fid).cells.items():
        by_kind.setdefault(cell.kind, []).append(cid)
    if set(by_kind) - set(plain):
        return None
    return tuple((_getter(ids), plain[k]) for k, ids in by_kind.items())


def _all_plain_ok(fid: str, figures: dict) -> bool:
    """Every cell's figure within its kind's range (figures all int or Decimal, none blank: _all_numbers): judged
    a kind at a time; False sends the check cell by cell (a Decimal in a count, decimal places, out of range)."""
    groups = _plain_groups(fid)
    if groups is None:
        return False
    for get, spec in groups:
        vals = get(figures)
        types, lo, hi, _ = spec
        if types != (int,):                       # a kind that takes decimals (an amount): as _schema judges it
            if not all(_plain_ok(spec, v) for v in vals):
                return False
        elif type(sum(vals)) is not int or not lo <= min(vals) <= max(vals) <= hi:    # a Decimal makes a Decimal sum
            return False
    return True


def _plain_ok(spec: tuple, v) -> bool | None:
    """What cerberus says of figure `v` under a plain spec; None for a value it must judge itself."""
    t = type(v)
    if t is not int and not (t is Decimal and v.is_finite()):
        return None
    types, lo, hi, places = spec
    return t in types and lo <= v <= hi and not (places is not None and _too_many_places(v, places))


def value_ok(fid: str, cell: Cell, value) -> bool:
    return _value_ok(fid, cell.kind, type(value).__name__, value)


# ---- helpers -----------------------------------------------------------------------------------
def _section_of(cid: str) -> str:
    return cid.split(".", 1)[0]


def _num(v) -> str:
    return format_number(v)


_NUMBER_TYPES = frozenset((int, Decimal))


def _every_cell_a_number(ctx: Context) -> bool:
    figures = ctx.figures
    return set(map(type, figures.values())) <= _NUMBER_TYPES and figures.keys() >= ctx.fmt.cells.keys()


def _all_numbers(ctx: Context) -> bool:
    """Every cell of the format holds a figure (int, not bool, or Decimal): the usual final report, whose lines
    are then summed without a look at each value (a province's batch checks tens of thousands). Once per check."""
    return ctx.once(_every_cell_a_number)


def _values(ctx: Context, ids) -> list | None:
    """The figures of `ids`, or None when one of them is blank or not a figure."""
    vals = [ctx.figures.get(i) for i in ids]
    for v in vals:                  # a figure: int (not bool) or Decimal; a loop, not any(): this runs per line
        if type(v) is not int and type(v) is not Decimal:
            return None
    return vals


def _getter(ids: list[str]):
    """itemgetter of two or more ids (a tuple always)."""
    return itemgetter(*ids) if len(ids) > 1 else (lambda figures: (figures[ids[0]],))


def _finding(rule: dict, cells: Iterable[str], message: str) -> Finding:
    cells = tuple(cells)
    return Finding(rule.get("severity", "error"), rule["id"], cells, message, _section_of(cells[0]) if cells else "agency")


# ---- rule kinds --------------------------------------------------------------------------------
@kind("schema")
def _schema(rule, ctx: Context):
    fid, figures = ctx.fmt.id, ctx.figures
    if _all_numbers(ctx) and _all_plain_ok(fid, figures):
        return
    msgs = load_rules(fid)["messages"]
    plain = _plain_specs(fid)
    for cid, cell in ctx.fmt.cells.items():
        v = figures.get(cid)
        if v is None:
            continue
        spec = plain.get(cell.kind)
        ok = _plain_ok(spec, v) if spec is not None else None
        if ok is None:
            ok = _value_ok(fid, cell.kind, type(v).__name__, v)
        if not ok:
            written = format(v, "f") if isinstance(v, Decimal) else str(v)      # as in the file: 12.0 stays 12.0
            yield _finding(rule, [cid], f"{cell.full_label}：「{written}」{msgs[cell.kind]}")


@kind("missing")
def _missing(rule, ctx: Context):
    """Blank cells. In a table that holds figures, wholly blank columns and rows (a report that leaves blank what
    it means as 0) are said once, as one finding listing their cells; other blank cells once per row."""
    if _all_numbers(ctx):
        return
    for table in ctx.fmt.tables.values():
        blank = {c.id for c in table.cells if ctx.figures.get(c.id) is None}
        if not blank:
            continue
        said: set[str] = set()
        if len(blank) < len(table.cells):
            names, said = _blank_lines(table, blank)
            if said:
                ids = [c.id for c in table.cells if c.id in said]
                yield _finding(rule, ids, rule["message_blank"].format(table=table.heading, lines="、".join(names)))
        for row, cells in table.rows():
            empty = [c for c in cells if c.id in blank and c.id not in said]
            if not empty:
                continue
            cols = "、".join(c.col_label for c in empty) if len(empty) < len(cells) else "整行"
            yield _finding(rule, [c.id for c in empty], rule["message"].format(row=_row_title(table, row), cols=cols))


def _row_title(table: Table, row: str) -> str:
    if table.id == "appeals":
        return row_name(table, row)
    cells = [c for c in table.cells if c.row == row]
    return "／".join(filter(None, [cells[0].block, cells[0].row_label]))


def _blank_group(k: str, paths: dict, blank: set[str], first: int, whole: int) -> tuple[list[str], int | None]:
    """The widest group of lines (columns or rows) that share line `k`'s label path down to some depth from `first`
    on, fewer than `whole`, all blank; with that depth — or ([k], None) when no such group holds more than `k`."""
    def prefix(path, d: int) -> tuple:
        return tuple((n.key, n.label) for n in path[: d + 1])

    for d in range(first, len(paths[k]) - 1):
        members = [j for j in paths if prefix(paths[j], d) == prefix(paths[k], d)]
        if len(members) < whole and all(j in blank for j in members):
            return members, d
    return [k], None


def _blank_lines(table: Table, blank: set[str]) -> tuple[list[str], set[str]]:
    """(names, cells) of the columns and rows of `table` that are blank throughout: a column group named once
    when all its columns are blank (法人或其他组织各列)."""
    cols = list(dict.fromkeys(c.col for c in table.cells))
    col_cells = {k: [c for c in table.cells if c.col == k] for k in cols}
    blank_cols = [k for k in cols if all(c.id in blank for c in col_cells[k])]
    names: list[str] = []
    said: set[str] = set()
    if table.id != "appeals" and len(blank_cols) < len(cols):
        paths = {k: col_cells[k][0].col_path for k in cols}
        done: set[str] = set()
        for k in blank_cols:
            if k in done:
                continue
            group, d = _blank_group(k, paths, set(blank_cols), first=1, whole=len(cols) + 1)
            names.append(f"{paths[k][d].name}各列" if d is not None else f"{paths[k][-1].name}列")
            done.update(group)
        said = {c.id for k in blank_cols for c in col_cells[k]}
    rows = table.rows()
    blank_rows = [r for r, cells in rows if all(c.id in blank for c in cells)]
    if blank_rows and len(blank_rows) < len(rows):
        row_paths = {r: cells[0].row_path for r, cells in rows}
        seen: set[str] = set()
        for r in blank_rows:
            if r in seen:
                continue
            group, d = _blank_group(r, row_paths, set(blank_rows), first=0, whole=len(rows))   # （五）不予处理各行
            names.append(f"{row_paths[r][d].label}各行" if d is not None else f"{_row_title(table, r)}行")
            seen.update(group)
        said |= {c.id for r, cells in rows if r in blank_rows for c in cells}
    return names, said


def _line_sums(flat, n: int) -> list:
    """The sums of `flat` taken n at a time: every line of a rule at once, without a Python loop per line."""
    return list(map(sum, zip(*[iter(flat)] * n, strict=True)))


@kind("sum")
def _sum(rule, ctx: Context):
    table = ctx.fmt.tables[rule["table"]]
    each = rule["each"]
    cache = table.__dict__.setdefault("_check_cache", {})   # the cells of each line: once per rule
    if ("sum", rule["id"]) not in cache:
        parts = select(table, rule["parts"], "col" if each == "row" else "row")
        plan = [(name, ids, _getter(ids)) for name, line in lines(table, each)
                for ids in [[cell_id(table, each, line, k) for k in [rule["total"], *parts]]]]
        cache["sum", rule["id"]] = (plan, len(parts), _getter([ids[0] for _, ids, _ in plan]),
                                    _getter([i for _, ids, _ in plan for i in ids[1:]]))
    plan, n, totals, parts_of_all = cache["sum", rule["id"]]
    quick, figures = _all_numbers(ctx), ctx.figures
    if quick and _line_sums(parts_of_all(figures), n) == list(totals(figures)):
        return                          # every line adds up: the usual final report
    for name, ids, get in plan:
        vals = get(figures) if quick else _values(ctx, ids)
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
    cache = table.__dict__.setdefault("_check_cache", {})
    if ("identity", rule["id"]) not in cache:
        plan = [(name, len(lids), lids + rids, _getter(lids + rids)) for name, line in lines(table, each)
                for lids, rids in [([cell_id(table, each, line, k) for k in rule["left"]],
                                    [cell_id(table, each, line, k) for k in rule["right"]])]]
        n_left = len(rule["left"])
        cache["identity", rule["id"]] = (plan, n_left, len(rule["right"]),
                                         _getter([i for _, _, ids, _ in plan for i in ids[:n_left]]),
                                         _getter([i for _, _, ids, _ in plan for i in ids[n_left:]]))
    plan, n_left, n_right, lefts, rights = cache["identity", rule["id"]]
    quick, figures = _all_numbers(ctx), ctx.figures
    if quick and _line_sums(lefts(figures), n_left) == _line_sums(rights(figures), n_right):
        return
    for name, n_left, ids, get in plan:
        vals = get(figures) if quick else _values(ctx, ids)
        if vals is None:
            continue
        left, right = sum(vals[:n_left]), sum(vals[n_left:])
        if left != right:
            yield _finding(rule, ids, rule["message"].format(
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
    for name, col in lines(table, "column"):
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
        terms = [(prev.figures if t["year"] == "previous" else ctx.figures).get(f"{table.id}.{row}.{t['col']}")
                 for t in rule["terms"]]
        if a is None or any(v is None for v in terms):
            continue
        total = sum(t.get("sign", 1) * v for t, v in zip(rule["terms"], terms, strict=True))
        if a != total:
            yield _finding(rule, [this_id], rule["message"].format(
                row=row_name(table, row), this=_num(a), prev=_num(total), diff=_num(abs(a - total))))


@kind("township_zero")
def _township_zero(rule, ctx: Context):
    if ctx.report.agency.get("level") != "township":
        return
    ids = [c.id for c in ctx.fmt.tables[rule["table"]].cells if c.row == rule["row"]]
    nonzero = [i for i in ids if ctx.figures.get(i) not in (None, 0)]
    if nonzero:
        yield _finding(rule, nonzero, rule["message"])


# every rule kind drafter.rules names has its function: the kinds above, and those of drafter.narrative.kinds
if set(KIND_FIELDS) - set(KINDS):
    raise ImportError(f"rule kinds without a function: {sorted(set(KIND_FIELDS) - set(KINDS))}")


# ---- entry point -------------------------------------------------------------------------------
def check(report: Report, previous: Report | None = None) -> list[Finding]:
    """Every finding of `report` (and against last year's `previous`), errors first, in rule order."""
    fmt = load_format(report.format)
    ctx = Context(report, fmt, previous, report.figures)
    confirmed = report.extra.get("confirmed") or {}
    out: list[Finding] = []
    for rule in load_rules(fmt.id)["rules"]:
        fn = KINDS[rule["kind"]]
        for f in fn(rule, ctx):
            if f.severity == "warning" and f.key in confirmed:
                reason = confirmed[f.key]
                f = Finding(f.severity, f.rule, f.cells, f.message, f.section,
                            reason.get("reason", "") if isinstance(reason, dict) else str(reason) or "已确认")
            out.append(f)
    out.sort(key=lambda f: f.severity != "error")
    return out


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


def confirm(report: Report, finding: Finding, reason: str) -> None:
    """Remember the clerk's confirmation of a warning in the file (key `confirmed`)."""
    if finding.severity != "warning" or finding.rule in _blocking_rules(report.format):
        raise ValueError("only warnings that do not block a final document can be confirmed")
    report.extra.setdefault("confirmed", {})[finding.key] = {"reason": reason, "message": finding.message}


# ---- totals, derived from the sum rules --------------------------------------------------------
def derived_cells(fid: str) -> frozenset[str]:
    """Cells drafter computes (totals): read-only in the TUI."""
    return frozenset(t for t, _ in sum_plan(fid))


def compute_totals(report: Report) -> dict[str, object]:
    """Set every total from its parts (blank parts count as 0; a total of all-blank parts stays blank).

    Returns the cells whose value changed."""
    changed = {}
    figs = report.figures
    for total, parts in sum_plan(report.format):
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
