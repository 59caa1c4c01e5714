"""Real published reports (tests/corpus/) imported as a clerk would, every cell compared with its hand-read truth.

Per report: cells read / cells its tables print, wrong values (must be 0), refused (must be 0, scanned PDFs aside).
A cell is read when the import holds exactly the printed value (a blank printed cell: nothing); wrong when it holds
another value, or any value in a cell the report does not print. Run as a script for the table:

    .venv/bin/python tests/functional/test_corpus.py
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from drafter.importing import import_file
from drafter.report import ReportError

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
TRUTHS = sorted(CORPUS.glob("*.truth.yaml"))
GOAL = 0.99
# Reports read short of the goal, with the cells they must at least keep reading (a known limit, named in the
# report to the lead). None at present: hongze-district-2024.plain (table 三 written column by column in blocks)
# is read from its structure, proved by the row and column totals (tables._structure).
SHORT: dict[str, int] = {}


@dataclass
class Measure:
    name: str
    form: str
    total: int = 0                  # cells the report's tables print (the truth's figures)
    read: int = 0
    wrong: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    refused: str = ""
    scanned: bool = False

    def line(self) -> str:
        share = f"{self.read / self.total:.1%}" if self.total else "-"
        return (f"{self.name:40} {self.form:9} {self.read:4}/{self.total:<4} {share:>6}  wrong {len(self.wrong)}"
                f"  refused {1 if self.refused else 0}" + (f"（{self.refused}）" if self.refused else ""))


def expected(value):
    """A truth value as the importer should hold it: int, Decimal 万元 (an amount printed in 元 converted), None."""
    if value is None or isinstance(value, int):
        return value
    s = str(value).replace(",", "").strip()
    if s.endswith("万元"):
        return Decimal(s[:-2])
    if s.endswith("元"):
        return (Decimal(s[:-1]) / Decimal(10000)).normalize()
    return Decimal(s)


def same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return Decimal(str(a)) == Decimal(str(b))


def measure(truth_path: Path) -> Measure:
    truth = yaml.safe_load(truth_path.read_text(encoding="utf-8"))
    m = Measure(truth_path.name.removesuffix(".truth.yaml"), str(truth.get("form", "")),
                scanned=bool(truth.get("scanned")))
    figures = truth.get("figures") or {}
    m.total = len(figures)
    try:
        got = import_file(CORPUS / truth["file"]).report
    except ReportError as e:
        m.refused = e.detail
        m.missing = list(figures)
        return m
    for cid, v in figures.items():
        want, have = expected(v), got.figures.get(cid)
        if same(want, have):
            m.read += 1
        elif have is None:
            m.missing.append(cid)
        else:
            m.wrong.append(f"{cid}: {have} (printed {v})")
    for cid, have in got.figures.items():
        if cid not in figures and have is not None:
            m.wrong.append(f"{cid}: {have} (the report prints no such cell)")
    assert got.year == truth["year"], f"year {got.year} != {truth['year']}"
    assert got.format == str(truth["format"])
    return m


def test_corpus_present():
    assert len(TRUTHS) >= 3, "tests/corpus/ holds the real reports with their truth"


@pytest.mark.parametrize("truth_path", TRUTHS, ids=[p.name.removesuffix(".truth.yaml") for p in TRUTHS])
def test_report(truth_path):
    m = measure(truth_path)
    print(m.line())
    if m.scanned:
        assert m.refused and "扫描" in m.refused, m.refused
        return
    assert not m.refused, m.refused
    assert not m.wrong, m.wrong
    floor = SHORT.get(m.name, GOAL * m.total)
    assert m.read >= floor, f"{m.read}/{m.total}, not read: {m.missing}"


def test_overall_share():
    ms = [measure(p) for p in TRUTHS]
    counted = [m for m in ms if not m.scanned and m.name not in SHORT]
    read, total = sum(m.read for m in counted), sum(m.total for m in counted)
    print(f"overall {read}/{total} = {read / total:.2%} (besides {', '.join(SHORT)})")
    assert read >= GOAL * total


def test_agency_and_title():
    """Title, agency and level as the truth reads them."""
    bad = []
    for p in TRUTHS:
        truth = yaml.safe_load(p.read_text(encoding="utf-8"))
        if truth.get("scanned"):
            continue
        r = import_file(CORPUS / truth["file"]).report
        if truth.get("agency") and r.agency_name != truth["agency"]:
            bad.append(f"{p.name}: agency {r.agency_name!r} != {truth['agency']!r}")
        if truth.get("level") and r.agency["level"] != truth["level"]:
            bad.append(f"{p.name}: level {r.agency['level']!r} != {truth['level']!r}")
    assert not bad, bad


def main() -> int:
    ms = [measure(p) for p in TRUTHS]
    for m in ms:
        print(m.line())
        for w in m.wrong:
            print("    wrong:", w)
        if m.missing and not m.refused:
            print("    not read:", " ".join(m.missing))
    counted = [m for m in ms if not m.scanned]
    read, total = sum(m.read for m in counted), sum(m.total for m in counted)
    print(f"overall {read}/{total} = {read / max(total, 1):.2%}, wrong {sum(len(m.wrong) for m in counted)}, "
          f"refused {sum(1 for m in counted if m.refused)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
