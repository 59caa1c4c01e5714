"""The editing model behind the TUI: the Report, last year's, the findings, undo/redo; every change saved at once.

Plain Python (no textual), so it can be tested and reused.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..checks import Finding, by_cell, check, compute_totals, confirm, derived_cells
from ..formats import Table
from ..numbers import NumberError, format_number, normalise, parse_number
from ..report import Report, load

_PREFIX = {
    # what a cell may hold half-typed: a sign alone, a trailing decimal point, thousands groups being typed
    "count": re.compile(r"\d{1,3}(,\d{3})*,\d{0,2}"),
    "signed": re.compile(r"[+-]|[+-]?\d{1,3}(,\d{3})*,\d{0,2}"),
    "amount": re.compile(r"\d+\.|\.|\d{1,3}(,\d{3})*,\d{0,2}|\d+(\.\d+)?万"),
}


def partial_ok(text: str, kind: str) -> bool:
    """True when `text` is not a figure yet but may become one as the clerk goes on typing."""
    return bool(_PREFIX[kind].fullmatch(normalise(text)))


@dataclass
class Change:
    cid: str
    old: object
    new: object


# the sections of the left list: agency details, the format's sections, review
AGENCY, REVIEW = "agency", "review"


class Session:
    def __init__(self, path, previous_path=None):
        self.path = Path(path)
        self.report: Report = load(self.path)
        self.previous: Report | None = load(previous_path) if previous_path else self.report.previous()
        self.fmt = self.report.fmt
        self.derived = derived_cells(self.report.format)
        self.undo_stack: list[list[Change]] = []
        self.redo_stack: list[list[Change]] = []
        self.findings: list[Finding] = []
        self.cells: dict[str, list[Finding]] = {}
        self.saves = 0
        self.drafts_updated: list[str] = []    # drafted paragraphs brought up to date by the last change
        if compute_totals(self.report):
            self.save()
        self.recheck()

    # ---- sections ----------------------------------------------------------------------------
    def section_ids(self) -> list[str]:
        return [AGENCY] + [s.id for s in self.fmt.sections] + [REVIEW]

    def section_title(self, sid: str) -> str:
        if sid == AGENCY:
            return "基本信息"
        if sid == REVIEW:
            return "检查与生成"
        return self.fmt.section(sid).heading

    def section_of(self, f: Finding) -> str:
        ids = {s.id for s in self.fmt.sections}
        c = f.cells[0] if f.cells else ""
        if c.startswith("agency.") or f.section == AGENCY:
            return AGENCY
        if c.startswith("text."):
            part = c.split(".")[1]
            return "overview" if part in ("intro", "overview") else part if part in ids else "overview"
        head = c.split(".", 1)[0]
        if head in ids:
            return head
        return f.section if f.section in ids else REVIEW

    def findings_in(self, sid: str) -> list[Finding]:
        return [f for f in self.findings if self.section_of(f) == sid]

    def filled(self, sid: str) -> tuple[int, int]:
        """(filled, all) entry cells of a table section (totals are computed, not counted)."""
        ids = [c.id for c in self.fmt.tables[sid].cells if c.id not in self.derived]
        return sum(1 for i in ids if self.report.figures.get(i) is not None), len(ids)

    def is_blank(self, sid: str) -> bool:
        r = self.report
        if sid == AGENCY:
            return not r.agency_name.strip() and r.signed_on is None
        if sid in self.fmt.tables:
            return self.filled(sid)[0] == 0
        if sid == "overview":
            return not (r.text.get("intro") or "").strip() and not any((p.get("body") or "").strip()
                                                                       for p in r.overview())
        if sid in ("problems", "other"):
            return not (r.text.get(sid) or "").strip()
        return False

    def state(self, sid: str) -> tuple[str, int, str]:
        """(state, count, detail): state is 未填 | 有错误 | 有提醒 | 完成, count the errors or open warnings."""
        if sid == REVIEW:
            e = sum(1 for f in self.findings if f.severity == "error")
            w = sum(1 for f in self.findings if f.severity == "warning" and not f.confirmed)
            return ("有错误" if e else "有提醒" if w else "完成"), e or w, (f"提醒{w}" if e and w else "")
        fs = self.findings_in(sid)
        e = sum(1 for f in fs if f.severity == "error")
        w = sum(1 for f in fs if f.severity == "warning" and not f.confirmed)
        if sid in self.fmt.tables:
            n, m = self.filled(sid)
            detail = f"已填{n}/{m}"
        elif sid == "overview":
            detail = f"{len(self.report.overview())}个小节"
        elif sid in ("problems", "other"):
            detail = f"{len((self.report.text.get(sid) or '').strip())}字"
        else:
            detail = ""
        if self.is_blank(sid):
            return "未填", 0, detail
        if e:
            return "有错误", e, detail
        if w:
            return "有提醒", w, detail
        return "完成", 0, detail

    # ---- checking and saving ---------------------------------------------------------------
    def recheck(self) -> None:
        self.findings = check(self.report, self.previous)
        self.cells = by_cell(self.findings)

    def save(self) -> None:
        self.report.save(self.path)
        self.saves += 1

    def changed(self) -> None:
        """After any edit: totals, drafted sentences still as drafted, findings, file."""
        compute_totals(self.report)
        if self.report.extra.get("drafted"):
            from ..narrative import refresh_drafts
            self.drafts_updated = refresh_drafts(self.report)
        self.recheck()
        self.save()

    def remember_place(self, section: str, cell: str | None = None, save: bool = False) -> None:
        ui = self.report.extra.setdefault("ui", {})
        if not isinstance(ui, dict):
            ui = self.report.extra["ui"] = {}
        ui["section"] = section
        if cell:
            ui["cell"] = cell
        if save:
            self.save()

    def place(self) -> tuple[str | None, str | None]:
        ui = self.report.extra.get("ui")
        if not isinstance(ui, dict):
            return None, None
        sec, cell = ui.get("section"), ui.get("cell")
        return (sec if sec in self.section_ids() else None), (cell if cell in self.fmt.cells else None)

    # ---- figures -------------------------------------------------------------------------------
    def value(self, cid: str):
        return self.report.figures.get(cid)

    def text_of(self, cid: str) -> str:
        return format_number(self.report.figures.get(cid))

    def previous_value(self, cid: str):
        if self.previous is None:
            return None
        return self.previous.figures.get(cid)

    def apply(self, values: dict) -> list[Change]:
        """Set figures (never the totals), recompute, check and save; returns what changed."""
        out = []
        for cid, v in values.items():
            if cid in self.derived or cid not in self.fmt.cells:
                continue
            old = self.report.figures.get(cid)
            if old != v or type(old) is not type(v):
                self.report.figures[cid] = v
                out.append(Change(cid, old, v))
        if out:
            self.changed()
        return out

    def record(self, changes: list[Change]) -> None:
        changes = [c for c in changes if c.old != c.new or type(c.old) is not type(c.new)]
        if changes:
            self.undo_stack.append(changes)
            self.redo_stack.clear()

    def set_values(self, values: dict) -> list[Change]:
        ch = self.apply(values)
        self.record(ch)
        return ch

    def undo(self) -> list[Change] | None:
        if not self.undo_stack:
            return None
        batch = self.undo_stack.pop()
        self.apply({c.cid: c.old for c in reversed(batch)})
        self.redo_stack.append(batch)
        return batch

    def redo(self) -> list[Change] | None:
        if not self.redo_stack:
            return None
        batch = self.redo_stack.pop()
        self.apply({c.cid: c.new for c in batch})
        self.undo_stack.append(batch)
        return batch

    def fill_zero(self, tid: str) -> list[Change]:
        table = self.fmt.tables[tid]
        return self.set_values({c.id: 0 for c in table.cells
                                if c.id not in self.derived and self.report.figures.get(c.id) is None})

    def paste(self, table: Table, matrix: list[list[str]], start: str, text: str) -> tuple[list[Change], list[str], int]:
        """A block copied from Excel/WPS (tab/newline separated) pasted at `start`, filling right and down.

        `matrix` holds the table's value cells as they are laid out (rows of cell ids). Each value is parsed like a
        typed one; totals are skipped (they are computed). Returns (changes, problems, skipped totals)."""
        pos = next((i, row.index(start)) for i, row in enumerate(matrix) if start in row)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        lines = text.split("\n")
        while lines and not lines[-1].strip():
            lines.pop()
        values, problems, skipped = {}, [], 0
        for i, line in enumerate(lines):
            r = pos[0] + i
            if r >= len(matrix):
                problems.append(f"粘贴的内容超出表格，多出{len(lines) - i}行未填入")
                break
            parts = line.split("\t")
            for j, raw in enumerate(parts):
                c = pos[1] + j
                if c >= len(matrix[r]):
                    problems.append(f"第{i + 1}行多出{len(parts) - j}个数，超出表格未填入")
                    break
                cid = matrix[r][c]
                if cid in self.derived:
                    skipped += 1
                    continue
                s = raw.strip().strip('"').strip()
                try:
                    values[cid] = parse_number(s, self.fmt.cells[cid].kind)
                except NumberError as e:
                    problems.append(f"第{i + 1}行第{j + 1}个「{fit_short(s)}」：{e}")
        return self.set_values(values), problems, skipped

    # ---- texts and agency ----------------------------------------------------------------------
    def _text_edited(self, key: str) -> None:
        carried = self.report.extra.get("carried_text")
        if isinstance(carried, list) and key in carried:
            carried.remove(key)
            if not carried:
                del self.report.extra["carried_text"]

    def box_text(self, key: str) -> str:
        """The text behind a text field: intro | problems | other | overview.N.title | overview.N.body."""
        if key.startswith("overview."):
            _, i, field = key.split(".")
            parts = self.report.overview()
            return str(parts[int(i)].get(field) or "") if int(i) < len(parts) else ""
        return str(self.report.text.get(key) or "")

    def set_text(self, key: str, value: str) -> None:
        """key: intro | problems | other | overview.N.title | overview.N.body"""
        t = self.report.text
        if key.startswith("overview."):
            _, i, field = key.split(".")
            parts = t.setdefault("overview", [])
            parts[int(i)][field] = value
            self._text_edited(f"overview.{i}")
        else:
            t[key] = value
            self._text_edited(key)
        self.recheck()
        self.save()

    def add_part(self, title: str = "") -> int:
        parts = self.report.text.setdefault("overview", [])
        parts.append({"title": title, "body": ""})
        self.recheck()
        self.save()
        return len(parts) - 1

    def remove_part(self, i: int) -> None:
        parts = self.report.text.setdefault("overview", [])
        del parts[i]
        carried = self.report.extra.get("carried_text")
        if isinstance(carried, list):   # keys name parts by position: shift those after the removed one
            out = []
            for k in carried:
                if k.startswith("overview."):
                    n = int(k.split(".")[1])
                    if n == i:
                        continue
                    k = f"overview.{n - 1}" if n > i else k
                out.append(k)
            self.report.extra["carried_text"] = out
        self.recheck()
        self.save()

    def set_agency(self, field: str, value) -> None:
        if field == "signed_on":
            self.report.signed_on = value
        else:
            self.report.agency[field] = value
        self.recheck()
        self.save()

    def confirm(self, finding: Finding, reason: str) -> None:
        confirm(self.report, finding, reason.strip() or "已核实")
        self.recheck()
        self.save()


def fit_short(s: str, n: int = 12) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"
