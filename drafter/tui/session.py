"""The editing model behind the TUI: the Report, last year's, the findings, undo/redo; every change saved at once.

Plain Python (no textual), so it can be tested and reused.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..checks import Finding, by_cell, check, compute_totals, confirm, derived_cells
from ..disk import DiskFile, OutsideChange, copy_name, why_not_written, write_copy
from ..formats import Table
from ..numbers import NumberError, format_number, normalise, parse_number
from ..report import Report, load
from .history import MERGE_SECONDS, History, Step, short

__all__ = ["MERGE_SECONDS", "Session", "Step", "short"]

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


class Session(History):
    """The report being edited: its findings, its file, and (History) the undo history of every change."""

    def __init__(self, path, previous_path=None, read_only: bool = False, read_only_reason: str = ""):
        self.path = Path(path)
        self.disk = DiskFile(self.path)
        self.report: Report = self.disk.read()
        self._previous_path = previous_path
        self.previous: Report | None = load(previous_path) if previous_path else self.report.previous()
        self.fmt = self.report.fmt
        self.derived = derived_cells(self.report.format)
        self.undo_stack: list[Step] = []    # one history of every change: figures, texts, parts, agency, confirmations
        self.redo_stack: list[Step] = []
        self.findings: list[Finding] = []
        self.cells: dict[str, list[Finding]] = {}
        self.saves = 0
        self.drafts_updated: list[str] = []    # drafted paragraphs brought up to date by the last change
        # writing: nothing is written until the clerk changes something
        self.dirty = False                      # a change of the clerk's not in the file yet
        self.problem = ""                       # why it is not (Chinese, for the status line)
        self.conflict: OutsideChange | None = None  # another program changed the file: saving stops until decided
        self.wrote = False                      # written at least once in this session
        why = read_only_reason or ("" if read_only else self.disk.unwritable() or "")
        self.read_only = bool(read_only or why)
        self.read_only_reason = why
        self._written_ui = self._ui()
        self.held: dict[str, object] = {}       # published totals that disagree with their parts: cell -> the sum
        self._hold_published()
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

    def _carried_figures(self) -> dict:
        """The figures `drafter new --from` brings from last year's report (结转, 现行有效件数 …), as it would."""
        if not hasattr(self, "_carried_cache"):
            self._carried_cache: dict = {}
            if self.previous is not None:
                from ..carry import carry_forward
                try:
                    got = carry_forward(self.previous, self.report.year).figures
                except Exception:  # noqa: BLE001 - last year's report too broken to carry: nothing counts as carried
                    got = {}
                self._carried_cache = {k: v for k, v in got.items() if v is not None}
        return self._carried_cache

    def entered(self) -> set[str]:
        """The sections the clerk has been in (kept in the file's ui key)."""
        ui = self.report.extra.get("ui")
        got = ui.get("entered") if isinstance(ui, dict) else None
        return set(got) if isinstance(got, list) else set()

    def enter(self, sid: str) -> None:
        """The clerk is in section `sid`: from now on its findings count in its state."""
        if sid in (AGENCY, REVIEW) or sid in self.entered():
            return
        ui = self.report.extra.setdefault("ui", {})
        if not isinstance(ui, dict):
            ui = self.report.extra["ui"] = {}
        ui["entered"] = sorted(self.entered() | {sid})

    def is_blank(self, sid: str) -> bool:
        """Holds nothing the clerk put there (figures carried from last year do not count)."""
        r = self.report
        if sid == AGENCY:
            return not r.agency_name.strip() and r.signed_on is None
        if sid in self.fmt.tables:
            carried = self._carried_figures()
            return all(v is None or (cid in carried and carried[cid] == v)
                       for cid, v in r.figures.items() if cid.startswith(sid + ".") and cid not in self.derived)
        if sid == "overview":
            return not (r.text.get("intro") or "").strip() and not any((p.get("body") or "").strip()
                                                                       for p in r.overview())
        if sid in ("problems", "other"):
            return not (r.text.get(sid) or "").strip()
        return False

    def state(self, sid: str) -> tuple[str, int, str]:
        """(state, count, detail): state is 未填 | 有错误 | 有提醒 | 完成, count the errors or open warnings."""
        if sid == REVIEW:       # the sections not yet begun are counted at review, not in the list
            idle = [x for x in self.section_ids() if x != REVIEW and self.state(x)[0] == "未填"]
            if len(idle) == len(self.section_ids()) - 1:
                return "未填", 0, ""
            fs = [f for f in self.findings if self.section_of(f) not in idle]
            e = sum(1 for f in fs if f.severity == "error")
            w = sum(1 for f in fs if f.severity == "warning" and not f.confirmed)
            detail = "，".join(x for x in (f"提醒{w}" if e and w else "", f"{len(idle)}节未填" if idle else "") if x)
            return ("有错误" if e else "有提醒" if w else "完成"), e or w, detail
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
        if self.is_blank(sid) and (sid == AGENCY or sid not in self.entered()):
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

    def save(self) -> bool:
        """The clerk changed something: write it now. False when it stays in memory only (read-only, the file
        changed outside, or the write failed; `problem` says why): then it is written at the next change or flush()."""
        self.saves += 1
        self.dirty = True
        return self.flush()

    def flush(self, force: bool = False) -> bool:
        """Write what is not written yet; True when nothing is left unwritten. `force`: over an outside change
        (only on the clerk's word)."""
        if not self.dirty:
            return True
        if self.read_only:
            self.problem = "只读：修改不会写入文件" + (f"（{self.read_only_reason}）" if self.read_only_reason else "")
            return False
        if self.conflict is not None and not force:
            return False
        try:
            self.disk.write(self.report, force=force)
        except OutsideChange as e:
            self.conflict = e
            self.problem = f"未保存：{e}。请选择重新读取文件，或把您的版本另存"
            return False
        except OSError as e:
            self.problem = f"未能保存：{why_not_written(e)}。修改仍在编辑器中，下次修改或按 Ctrl+S 时再保存"
            return False
        self.dirty, self.problem, self.conflict, self.wrote = False, "", None, True
        self._written_ui = self._ui()
        return True

    def _ui(self) -> object:
        ui = self.report.extra.get("ui")
        return dict(ui) if isinstance(ui, dict) else ui

    def close(self) -> None:
        """At quit. The place (section and cell) is written for next time only when the clerk changed something in
        this session and all of it is written: opening and quitting alone writes nothing."""
        if self.wrote and not self.dirty and not self.read_only and self._ui() != self._written_ui:
            try:
                self.disk.write(self.report)
            except (OutsideChange, OSError):
                pass                        # only the place: not worth a question at quit

    def reload(self) -> None:
        """Read the file again as another program left it; what this editor had not written is dropped."""
        self.report = self.disk.read()
        self.previous = load(self._previous_path) if self._previous_path else self.report.previous()
        self.undo_stack.clear()
        self.redo_stack.clear()
        self.dirty, self.problem, self.conflict = False, "", None
        self._written_ui = self._ui()
        self.held = {}
        self._hold_published()
        self.recheck()
        self.saves += 1

    def copy_target(self, label: str = "我的版本") -> Path:
        """Where a copy of this editor's version goes: beside the file, or in the home folder when that folder
        cannot be written (or is gone)."""
        here = copy_name(self.path, label)
        if self.path.parent.is_dir() and DiskFile(here).unwritable() is None:
            return here
        return copy_name(Path.home() / self.path.name, label)

    def save_copy(self, target: Path | None = None, label: str = "我的版本") -> Path:
        """Write this editor's version to a new file (the open file untouched); OSError when that fails too."""
        return write_copy(self.report, Path(target) if target else self.copy_target(label))

    # ---- published totals ----------------------------------------------------------------------
    def _hold_published(self) -> None:
        """Totals as the file has them. A blank one is filled from its parts; one that disagrees with its parts (a
        published report's own error) stays as published until the clerk accepts the sum or edits its parts."""
        figs = self.report.figures
        published = {cid: figs.get(cid) for cid in self.derived}
        compute_totals(self.report)
        for cid, was in published.items():
            if was is not None and figs.get(cid) != was:
                self.held[cid] = figs.get(cid)
                figs[cid] = was

    def _totals(self) -> None:
        """Totals from their parts after a change; a held total stays as published while its sum is unchanged."""
        figs = self.report.figures
        kept = {cid: figs.get(cid) for cid in self.held}
        compute_totals(self.report)
        for cid, was in list(self.held.items()):
            now = figs.get(cid)
            if now != was or type(now) is not type(was):
                del self.held[cid]          # the clerk edited its parts: the sum stands
            else:
                figs[cid] = kept[cid]

    def total_note(self, cid: str) -> str | None:
        """原文总计0，各项之和1 for a held total, else None."""
        if cid not in self.held:
            return None
        s = self.held[cid]
        return (f"原文总计{format_number(self.report.figures.get(cid))}，"
                + (f"各项之和{format_number(s)}" if s is not None else "各项均未填"))

    def accept_totals(self, cids) -> list[str]:
        """The clerk takes the sum of the parts for these held totals; returns the cells changed."""
        done = [c for c in cids if c in self.held]
        if not done:
            return done
        before = self.snapshot()
        for c in done:
            self.report.figures[c] = self.held.pop(c)
        self.changed()
        cell = self.fmt.cells[done[0]]
        self.push(f"{short(cell.row_label, 10)}总计采用各项之和" if len(done) == 1 else f"{len(done)}个总计采用各项之和",
                  done[0], before)
        return done

    def changed(self) -> None:
        """After any edit: totals, drafted sentences still as drafted, findings, file."""
        self._totals()
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

    def record(self, changes: list[Change], label: str = "") -> None:
        """Figures already applied become one undo step (typing a value applies each key, then records once)."""
        changes = [c for c in changes if c.old != c.new or type(c.old) is not type(c.new)]
        if not changes:
            return
        before = self.snapshot()
        for c in reversed(changes):
            before["figures"][c.cid] = c.old
        if not label:
            c, cell = changes[0], self.fmt.cells[changes[0].cid]
            where = "／".join(x for x in (short(cell.row_label, 10), short(cell.col_label, 8)) if x)
            label = (f"{where}填为{format_number(c.new) if c.new is not None else '空'}"
                     if len(changes) == 1 else f"修改{len(changes)}个数字")
        self.push(label, changes[0].cid, before)

    def set_values(self, values: dict, label: str = "") -> list[Change]:
        ch = self.apply(values)
        self.record(ch, label)
        return ch

    def fill_zero(self, tid: str) -> list[Change]:
        table = self.fmt.tables[tid]
        return self.set_values({c.id: 0 for c in table.cells
                                if c.id not in self.derived and self.report.figures.get(c.id) is None},
                               f"{short(table.heading)}本表填0")

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
        return self.set_values(values, f"{short(table.heading)}粘贴{len(values)}个数"), problems, skipped

    # ---- texts and agency ----------------------------------------------------------------------
    def _text_edited(self, key: str) -> None:
        carried = self.report.extra.get("carried_text")
        if isinstance(carried, list) and key in carried:
            carried.remove(key)
            if not carried:
                del self.report.extra["carried_text"]

    def text_place(self, key: str) -> str:
        """The place of a text field for goto: text.intro, text.overview.2 …"""
        return "text." + (".".join(key.split(".")[:2]) if key.startswith("overview.") else key)

    def text_name(self, key: str) -> str:
        """A text field named for the clerk: 开头段落, 小节「主动公开」, 五、存在的主要问题及改进情况 …"""
        if key == "intro":
            return "开头段落"
        if key == "overview_lead":
            return "一的开头段落"
        if key.startswith("overview."):
            bits = key.split(".")
            i, field = int(bits[1]), bits[2] if len(bits) > 2 else "body"
            parts = self.report.overview()
            title = str(parts[i].get("title") or "") if i < len(parts) else ""
            return f"小节「{short(title, 10) or i + 1}」" + ("的标题" if field == "title" else "")
        try:
            return short(self.fmt.section(key).heading)
        except KeyError:
            return key

    def box_text(self, key: str) -> str:
        """The text behind a text field: intro | problems | other | overview.N.title | overview.N.body."""
        if key.startswith("overview."):
            _, i, field = key.split(".")
            parts = self.report.overview()
            return str(parts[int(i)].get(field) or "") if int(i) < len(parts) else ""
        return str(self.report.text.get(key) or "")

    def set_text(self, key: str, value: str) -> None:
        """key: intro | problems | other | overview.N.title | overview.N.body"""
        if self.box_text(key) == value:
            return
        merge = f"text:{key}"
        before = None if self.merging(merge) else self.snapshot()
        t = self.report.text
        if key.startswith("overview."):
            _, i, field = key.split(".")
            parts = t.setdefault("overview", [])
            parts[int(i)][field] = value
            self._text_edited(f"overview.{i}")
        else:
            t[key] = value
            self._text_edited(key)
        self.push(f"修改{self.text_name(key)}", self.text_place(key), before, merge)
        self.recheck()
        self.save()

    def add_part(self, title: str = "") -> int:
        before = self.snapshot()
        parts = self.report.text.setdefault("overview", [])
        parts.append({"title": title, "body": ""})
        self.push(f"添加小节「{short(title, 10) or '未命名'}」", f"text.overview.{len(parts) - 1}", before)
        self.recheck()
        self.save()
        return len(parts) - 1

    def remove_part(self, i: int) -> None:
        """Remove sub-part i of 一; what names parts by position follows (carried texts, confirmations)."""
        before = self.snapshot()
        parts = self.report.text.setdefault("overview", [])
        title = str(parts[i].get("title") or "")
        del parts[i]
        self.push(f"删除小节「{short(title, 10) or i + 1}」", "overview", before)
        self._renumber_confirmed(i)
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

    def _renumber_confirmed(self, removed: int) -> None:
        """Confirmations of warnings about part `removed` go with it; those about later parts follow them."""
        confirmed = self.report.extra.get("confirmed")
        if not isinstance(confirmed, dict):
            return
        out = {}
        for key, v in confirmed.items():
            rule, _, cells = str(key).partition(":")
            names = cells.split(",") if cells else []
            moved, gone = [], False
            for c in names:
                bits = c.split(".")
                if len(bits) >= 3 and bits[:2] == ["text", "overview"] and bits[2].isdigit():
                    n = int(bits[2])
                    if n == removed:
                        gone = True
                        break
                    if n > removed:
                        c = ".".join(bits[:2] + [str(n - 1)] + bits[3:])
                moved.append(c)
            if not gone:
                out[f"{rule}:{','.join(moved)}" if cells else key] = v
        if out:
            self.report.extra["confirmed"] = out
        else:
            del self.report.extra["confirmed"]

    def set_agency(self, field: str, value) -> None:
        old = self.report.signed_on if field == "signed_on" else self.report.agency.get(field)
        if old == value:
            return
        merge = f"agency:{field}"
        before = None if self.merging(merge) else self.snapshot()
        name = {"name": "机关名称", "level": "机关层级", "signed_on": "落款日期"}.get(field, field)
        self.push(f"修改{name}", f"agency.{field}", before, merge)
        if field == "signed_on":
            self.report.signed_on = value
        else:
            self.report.agency[field] = value
        self.recheck()
        self.save()

    def confirm(self, finding: Finding, reason: str) -> None:
        before = self.snapshot()
        confirm(self.report, finding, reason.strip() or "已核实")
        self.push(f"确认提醒「{short(finding.message, 16)}」", REVIEW, before)
        self.recheck()
        self.save()


def fit_short(s: str, n: int = 12) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"
