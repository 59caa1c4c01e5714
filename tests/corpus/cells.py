"""Cell ids of a format in printed order, one printed row a line — a help for hand-reading a report.

    python tests/corpus/cells.py 2021            # the rows and their cell ids
    python tests/corpus/cells.py 2021 grid.txt   # a `figures:` block from a hand-typed grid, and on
                                                 # stderr where the printed totals disagree

A grid has one line per printed row, in the order this script lists them, values separated by
blanks, `-` for a blank cell, and lines `active:` / `requests:` / `appeals:` before each table.
A line `~` stands for a row of the format that the report does not print (its ids are left out);
a line `! label v v v ...` is a printed row with no canonical id (kept under `unplaced:`).
Amounts (万元) stay strings exactly as typed. The grid is typed by hand from the printed table;
this only puts the ids beside the values.
"""

from __future__ import annotations

import sys

from drafter.formats import load_format


def rows(fid: str) -> dict[str, list[list[str]]]:
    fmt = load_format(fid)
    out: dict[str, list[list[str]]] = {}
    for tid, table in fmt.tables.items():
        out[tid] = [[c.id for c in cells] for _label, cells in table.rows()]
    return out


def fill(fid: str, grid: str) -> list[str]:
    table_rows = rows(fid)
    lines: list[str] = ["figures:"]
    unplaced: list[str] = []
    tid = None
    i = 0
    for raw in grid.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.endswith(":"):
            tid, i = line[:-1], 0
            continue
        if tid is None:
            raise SystemExit(f"value row before a table name: {raw!r}")
        if line == "~":
            i += 1
            continue
        if line.startswith("!"):
            label, *vals = line[1:].split()
            shown = ", ".join("null" if v == "-" else v for v in vals)
            unplaced.append(f"  - {{table: {tid}, label: {label}, values: [{shown}]}}")
            continue
        ids = table_rows[tid][i]
        vals = line.split()
        if len(vals) != len(ids):
            raise SystemExit(f"{tid} row {i + 1}: {len(vals)} values for {len(ids)} cells: {raw!r}")
        for cid, v in zip(ids, vals, strict=True):
            if v == "-":
                val = "null"
            elif cid.endswith(".amount"):
                val = f'"{v}"'
            else:
                val = str(int(v))
            lines.append(f"  {cid}: {val}")
        i += 1
    if unplaced:
        lines += ["unplaced:"] + unplaced
    return lines


def sums(fid: str, figures: dict) -> list[str]:
    """Where the printed totals disagree with the printed parts (blank counts as 0)."""
    def v(cid: str) -> int:
        x = figures.get(cid)
        return x if isinstance(x, int) else 0

    out = []
    cols = ["natural", "commercial", "research", "nonprofit", "legal_service", "other_org"]
    req = [r for r in rows(fid)["requests"]]
    keys = [r[0].rsplit(".", 1)[0] for r in req]
    for k in keys:
        if f"{k}.total" in figures and sum(v(f"{k}.{c}") for c in cols) != v(f"{k}.total"):
            out.append(f"{k}: parts {sum(v(f'{k}.{c}') for c in cols)} != printed total {v(f'{k}.total')}")
    results = [k for k in keys if k not in ("requests.new", "requests.carried_over", "requests.total",
                                            "requests.carried_forward")]
    for c in cols + ["total"]:
        s = sum(v(f"{k}.{c}") for k in results)
        if s != v(f"requests.total.{c}"):
            out.append(f"requests.total.{c}: results {s} != printed {v(f'requests.total.{c}')}")
        a = v(f"requests.new.{c}") + v(f"requests.carried_over.{c}")
        b = v(f"requests.total.{c}") + v(f"requests.carried_forward.{c}")
        if a != b:
            out.append(f"column {c}: new+carried_over {a} != total+carried_forward {b}")
    for g in ("review", "litigation_direct", "litigation_after_review"):
        s = sum(v(f"appeals.{g}.{o}") for o in ("upheld", "corrected", "other", "pending"))
        if s != v(f"appeals.{g}.total"):
            out.append(f"appeals.{g}: parts {s} != printed total {v(f'appeals.{g}.total')}")
    return out


def main(argv: list[str]) -> None:
    fid = argv[1]
    if len(argv) > 2:
        with open(argv[2], encoding="utf-8") as f:
            lines = fill(fid, f.read())
        print("\n".join(lines))
        figures = {}
        for ln in lines[1:]:
            if ln == "unplaced:":
                break
            cid, val = ln.strip().split(": ")
            figures[cid] = int(val) if val.lstrip("-").isdigit() else None
        for msg in sums(fid, figures):
            print("# ARITHMETIC: " + msg, file=sys.stderr)
        return
    for tid, rs in rows(fid).items():
        print(f"{tid}:")
        for r in rs:
            print("  " + " ".join(r))


if __name__ == "__main__":
    main(sys.argv)
