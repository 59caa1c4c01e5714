"""HTML output: the national tables and whole pages, through the Jinja2 templates of html_templates/.

Autoescape is on and every printed value passes `printed_text` first (controls dropped, tabs as spaces),
so whatever a clerk typed — `<`, `&`, `{{`, `{%` — reaches the page literally and is never run.
Used by render (one report as a web page) and summary (many reports summed); never imports either.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable, Mapping

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from .chinese import printed_text
from .formats import Format, GridCell, Table

HEADER_ROLES = ("corner", "caption", "header")


def _finalize(value: Any) -> Any:
    """Every {{ … }} of a template: a macro's output (already escaped) as is, anything else as printed text."""
    if isinstance(value, Markup):
        return value
    return printed_text(value)


@lru_cache(maxsize=None)
def environment() -> Environment:
    """The templates' environment: autoescape on, undefined names an error (a template typo never prints '')."""
    return Environment(loader=PackageLoader("drafter", "html_templates"), autoescape=True, finalize=_finalize,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def render_template(name: str, **context: Any) -> str:
    return environment().get_template(name).render(**context)


# ---- the national tables -------------------------------------------------------------------------
def grid_rows(table: Table, value_of: Callable[[GridCell], str],
              notes: Mapping[str, str] | None = None) -> list[list[dict[str, Any]]]:
    """The printed table row by row: per merged cell its tag, spans, class, cell id, text and note.

    `value_of(grid_cell)` gives a value cell's text; `notes` (cell id → text) marks a value cell as
    incomplete, with the text as its tooltip."""
    notes = notes or {}
    rows: list[list[dict[str, Any]]] = [[] for _ in range(table.n_rows)]
    for g in sorted(table.grid, key=lambda g: (g.r, g.c)):
        if g.role == "value":
            note = notes.get(g.cell or "")
            cls = "num incomplete" if note else "num"
            rows[g.r].append({"tag": "td", "rs": g.rs, "cs": g.cs, "cls": cls, "cell": g.cell,
                              "text": value_of(g), "note": note})
        else:
            rows[g.r].append({"tag": "th" if g.role in HEADER_ROLES else "td", "rs": g.rs, "cs": g.cs,
                              "cls": g.role, "cell": None, "text": g.text, "note": None})
    return rows


def grid_html(table: Table, value_of: Callable[[GridCell], str], notes: Mapping[str, str] | None = None) -> str:
    """The table as printed, as an HTML <table> with rowspan/colspan (labels from the format data)."""
    macro = environment().get_template("grid.html.j2").module.grid    # type: ignore[attr-defined]
    return str(macro(table.id, grid_rows(table, value_of, notes)))


# ---- the report as a web page --------------------------------------------------------------------
def report_page(ctx: Mapping[str, Any], fmt: Format) -> str:
    """One HTML page of a report from render.context(): headings, paragraphs, the three tables."""
    figures = ctx["f"]
    sections = []
    for s in fmt.sections:
        sec: dict[str, Any] = {"id": s.id, "heading": s.heading, "kind": s.kind}
        if s.kind == "overview":
            sec["parts"] = ctx["overview"]
        elif s.kind == "table":
            sec["rows"] = grid_rows(fmt.tables[s.id], lambda g: figures[g.cell])
        else:
            sec["paras"] = ctx[s.id]
        sections.append(sec)
    return render_template("report.html.j2", title=ctx["title"], draft=ctx["draft"], draft_mark=ctx["draft_mark"],
                           intro=ctx["intro"], sections=sections, agency=ctx["agency"], signed_on=ctx["signed_on"])
