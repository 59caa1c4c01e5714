"""One undo history of every change the clerk makes (figures, zero-fills, pastes, texts, sub-parts, agency details,
confirmations): each step keeps the report's content from before, what it was (Chinese) and where it was."""
from __future__ import annotations

import copy
import time
from dataclasses import dataclass

from ..report import Report


@dataclass
class Step:
    """One change of the clerk's in the undo history: what it was (Chinese, for 已撤销：…), where it was (a cell id,
    text.problems, text.overview.2, agency.name … or a section id), and the report's content to go back to."""
    label: str
    place: str
    state: dict
    merge: str = ""         # typing in one field: consecutive changes with the same key are one step
    at: float = 0.0


MERGE_SECONDS = 2.0         # typing in one field after a pause this long starts a new undo step
_NOT_UNDONE = ("previous", "ui")     # report.extra keys the history leaves alone


def short(text: str, n: int = 14) -> str:
    """A label in at most n characters (…)."""
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"



class History:
    """The undo history of Session (a mixin: Session holds the report, the totals held as published, changed())."""

    report: Report
    held: dict
    undo_stack: list[Step]
    redo_stack: list[Step]

    def changed(self) -> None:
        raise NotImplementedError

    def snapshot(self) -> dict:
        """The report's content as the clerk changes it (not last year's report, not the place)."""
        r = self.report
        return {"figures": dict(r.figures), "text": copy.deepcopy(r.text), "agency": dict(r.agency),
                "signed_on": r.signed_on, "held": dict(self.held),
                "extra": {k: copy.deepcopy(v) for k, v in r.extra.items() if k not in _NOT_UNDONE}}

    def _restore(self, state: dict) -> None:
        r = self.report
        r.figures.clear()
        r.figures.update(state["figures"])
        r.text.clear()
        r.text.update(copy.deepcopy(state["text"]))
        r.agency.clear()
        r.agency.update(state["agency"])
        r.signed_on = state["signed_on"]
        for k in [k for k in r.extra if k not in _NOT_UNDONE]:
            del r.extra[k]
        r.extra.update(copy.deepcopy(state["extra"]))
        self.held = dict(state["held"])
        self.changed()

    def merging(self, merge: str) -> bool:
        """True when a change with this merge key extends the last step (typing on in the same field)."""
        top = self.undo_stack[-1] if self.undo_stack else None
        return bool(merge) and top is not None and top.merge == merge and time.monotonic() - top.at < MERGE_SECONDS

    def push(self, label: str, place: str, before: dict | None, merge: str = "") -> None:
        """A change made: `before` is snapshot() taken before it (None: it extends the last step, see merging)."""
        now = time.monotonic()
        if before is None and self.undo_stack:
            self.undo_stack[-1].at = now
        elif before is not None:
            self.undo_stack.append(Step(label, place, before, merge, now))
        self.redo_stack.clear()

    def seal(self) -> None:
        """The next change starts a new undo step (the clerk left the field)."""
        if self.undo_stack:
            self.undo_stack[-1].merge = ""

    def undo(self) -> Step | None:
        """Go back one step; returns it (label and place), None when there is none."""
        return self._move(self.undo_stack, self.redo_stack)

    def redo(self) -> Step | None:
        return self._move(self.redo_stack, self.undo_stack)

    def _move(self, source: list[Step], target: list[Step]) -> Step | None:
        """Restore the last step of `source`, keeping the state it replaces as a step of `target`."""
        if not source:
            return None
        step = source.pop()
        now = self.snapshot()
        self._restore(step.state)
        target.append(Step(step.label, step.place, now))
        return step
