"""The national format as data: sections, tables, labels, spans and cell ids.

Everything that shows, checks, renders or reads a table derives it from formats/<id>.yaml
through this module; no table label is written anywhere else.
"""
from __future__ import annotations

import importlib.resources
from dataclasses import dataclass, field
from functools import lru_cache

import yaml

FORMAT_IDS = ("2019", "2021")
KINDS = ("count", "signed", "amount")


class UnknownFormat(ValueError):
    pass


@dataclass(frozen=True)
class Node:
    """One label of a row or column tree."""
    label: str
    key: str | None = None
    short: str | None = None
    role: str | None = None          # 'total' | 'result' | None
    kind: str | None = None          # value kind for a column leaf
    unit: str | None = None
    children: tuple["Node", ...] = ()

    @property
    def name(self) -> str:
        return self.short or self.label


@dataclass(frozen=True)
class Cell:
    """One figure of the report."""
    id: str
    table: str
    row: str                    # row part of the id (may hold dots), e.g. 'denied.state_secret'
    col: str                    # the last part of the id
    kind: str                   # count | signed | amount
    unit: str | None
    row_path: tuple[Node, ...]
    col_path: tuple[Node, ...]
    block: str | None = None    # caption of the block (table `active`)

    @property
    def is_total(self) -> bool:
        return any(n.role == "total" for n in self.row_path + self.col_path)

    @property
    def row_label(self) -> str:
        """The row's own label (the innermost), or '' for a table without row labels."""
        labels = [n.label for n in self.row_path if n.label]
        return labels[-1] if labels else ""

    @property
    def col_label(self) -> str:
        return self.col_path[-1].label

    @property
    def full_label(self) -> str:
        """All labels of the row and the column, outermost first, for messages and search."""
        parts = [self.block] if self.block else []
        parts += [n.label for n in self.row_path if n.label]
        parts += [n.label for n in self.col_path if n.label]
        return "／".join(parts)


@dataclass(frozen=True)
class GridCell:
    """One (possibly merged) cell of the printed table."""
    r: int
    c: int
    rs: int
    cs: int
    text: str = ""
    cell: str | None = None     # cell id for a value cell
    role: str = "label"         # corner | caption | header | label | value


@dataclass
class Table:
    id: str
    heading: str
    n_rows: int
    n_cols: int
    header_rows: int
    grid: list[GridCell]
    cells: list[Cell]
    row_ids: list[str]          # data rows in printed order
    col_ids: list[str]          # data columns in printed order (tree tables)
    corner: str = ""
    raw: dict = field(default_factory=dict, repr=False)

    def cell(self, row: str, col: str) -> Cell:
        return self._by_id[f"{self.id}.{row}.{col}"]

    def __post_init__(self):
        self._by_id = {c.id: c for c in self.cells}

    def rows(self) -> list[tuple[str, list[Cell]]]:
        """Cells grouped by the row part of their id, in printed order (for `appeals`: the three groups)."""
        out: dict[str, list[Cell]] = {}
        for c in self.cells:
            out.setdefault(c.row, []).append(c)
        return list(out.items())


@dataclass
class Section:
    id: str
    heading: str
    kind: str                   # overview | table | text
    topics: list[str]


@dataclass
class Format:
    id: str
    notice: str
    first_year: int
    last_year: int | None
    title_suffix: str
    sections: list[Section]
    tables: dict[str, Table]
    cells: dict[str, Cell]

    @property
    def cell_ids(self) -> list[str]:
        return list(self.cells)

    def section(self, sid: str) -> Section:
        return next(s for s in self.sections if s.id == sid)

    def title(self, agency: str, year: int) -> str:
        return f"{agency}{year}{self.title_suffix}"


def _key(n: Node) -> str:
    """The key of a leaf that makes a cell id (the format data must give one)."""
    if not n.key:
        raise ValueError(f"format data: the leaf 「{n.label}」 has no key")
    return n.key


def _node(d: dict) -> Node:
    return Node(
        label=d.get("label", ""),
        key=d.get("key"),
        short=d.get("short"),
        role=d.get("role"),
        kind=d.get("kind"),
        unit=d.get("unit"),
        children=tuple(_node(c) for c in d.get("children", ())),
    )


def _leaves(node: Node) -> int:
    return sum(_leaves(c) for c in node.children) if node.children else 1


def _depth(nodes) -> int:
    return max((1 + _depth(n.children)) for n in nodes) if nodes else 0


def _paths(nodes, prefix=()):
    for n in nodes:
        path = prefix + (n,)
        if n.children:
            yield from _paths(n.children, path)
        else:
            yield path


def _keys(path) -> list[str]:
    return [n.key for n in path if n.key]


def _kind(col_path) -> str:
    kind = next((n.kind for n in reversed(col_path) if n.kind), "count")
    assert kind in KINDS, kind
    return kind


def _tree_table(tid: str, heading: str, t: dict) -> Table:
    cols = tuple(_node(c) for c in t["columns"])
    rows = tuple(_node(r) for r in t["rows"])
    L = t.get("label_columns", 0)
    H = _depth(cols)
    grid: list[GridCell] = []
    if L and t.get("corner"):
        grid.append(GridCell(0, 0, H, L, t["corner"], role="corner"))

    def place_cols(nodes, depth, col):
        for n in nodes:
            w = _leaves(n)
            rs = 1 if n.children else H - depth
            grid.append(GridCell(depth, col, rs, w, n.label, role="header"))
            if n.children:
                place_cols(n.children, depth + 1, col)
            col += w

    place_cols(cols, 0, L)

    def place_rows(nodes, depth, row):
        for n in nodes:
            h = _leaves(n)
            if L:
                cs = 1 if n.children else L - depth
                grid.append(GridCell(row, depth, h, cs, n.label, role="label"))
            if n.children:
                place_rows(n.children, depth + 1, row)
            row += h

    place_rows(rows, 0, H)
    col_paths = list(_paths(cols))
    cells: list[Cell] = []
    row_ids: list[str] = []
    for i, rp in enumerate(_paths(rows)):
        rkeys = _keys(rp)
        if rkeys:
            row_ids.append(".".join(rkeys))
        for j, cp in enumerate(col_paths):
            keys = rkeys + _keys(cp)
            cid = ".".join([tid] + keys)
            cells.append(Cell(cid, tid, ".".join(keys[:-1]), keys[-1], _kind(cp),
                              next((n.unit for n in cp if n.unit), None), rp, cp))
            grid.append(GridCell(H + i, L + j, 1, 1, cell=cid, role="value"))
    n_rows = H + sum(_leaves(r) for r in rows)
    col_ids = [".".join(_keys(cp)) for cp in col_paths]
    return Table(tid, heading, n_rows, L + len(col_paths), H, grid, cells, row_ids, col_ids,
                 corner=t.get("corner", ""), raw=t)


def _blocks_table(tid: str, heading: str, t: dict) -> Table:
    G = t["grid_columns"]
    grid: list[GridCell] = []
    cells: list[Cell] = []
    row_ids: list[str] = []
    r = 0
    for b in t["blocks"]:
        cols = [_node(c) for c in b["columns"]]
        span, rem = divmod(G - 1, len(cols))
        assert rem == 0, (tid, b["caption"])
        grid.append(GridCell(r, 0, 1, G, b["caption"], role="caption"))
        r += 1
        grid.append(GridCell(r, 0, 1, 1, t["row_header"], role="header"))
        for j, c in enumerate(cols):
            grid.append(GridCell(r, 1 + j * span, 1, span, c.label, role="header"))
        r += 1
        for rd in b["rows"]:
            rn = _node(rd)
            grid.append(GridCell(r, 0, 1, 1, rn.label, role="label"))
            row_ids.append(_key(rn))
            for j, c in enumerate(cols):
                cid = f"{tid}.{_key(rn)}.{_key(c)}"
                cells.append(Cell(cid, tid, _key(rn), _key(c), c.kind or "count", c.unit, (rn,), (c,),
                                  block=b["caption"]))
                grid.append(GridCell(r, 1 + j * span, 1, span, cell=cid, role="value"))
            r += 1
    return Table(tid, heading, r, G, 0, grid, cells, row_ids, [], raw=t)


@lru_cache(maxsize=None)
def load_format(fid: str) -> Format:
    fid = str(fid)
    if fid not in FORMAT_IDS:
        raise UnknownFormat(fid)
    d = yaml.safe_load(importlib.resources.files("drafter.formats").joinpath(f"{fid}.yaml").read_text(encoding="utf-8"))
    sections = [Section(s["id"], s["heading"], s["kind"], list(s.get("topics", []))) for s in d["sections"]]
    heads = {s.id: s.heading for s in sections}
    tables = {}
    for tid, t in d["tables"].items():
        build = _blocks_table if t["layout"] == "blocks" else _tree_table
        tables[tid] = build(tid, heads[tid], t)
    cells = {c.id: c for t in tables.values() for c in t.cells}
    years = d["years"]
    return Format(d["id"], d["notice"], years["first"], years.get("last"), d["title_suffix"],
                  sections, tables, cells)


def format_for_year(year: int) -> str:
    """The format id that serves a report on `year`."""
    for fid in reversed(FORMAT_IDS):
        f = load_format(fid)
        if year >= f.first_year and (f.last_year is None or year <= f.last_year):
            return fid
    raise UnknownFormat(f"{year}")


def all_formats() -> list[Format]:
    return [load_format(f) for f in FORMAT_IDS]
