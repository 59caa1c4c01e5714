"""The summary as data: every input file (Entry), the summed tables (Summary), and the lines every output prints."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Union

from ..checks import SEVERITY, Finding
from ..formats import Format, GridCell, load_format
from ..numbers import format_number

Number = Union[int, Decimal]     # a figure: counts int, 万元 amounts Decimal, never float

POLICY = ("有错误的报告仍计入汇总，在文件清单中标明「有错误」并列出问题；无法读取、年度或格式不同、"
          "与已计入文件机关名称相同的文件不计入。某单位空白或填写无效的单元格不计入该格合计，该格标「*」。")
MARK = "*"
NO_NAME = "（未填机关名称）"


class SummaryError(Exception):
    """Files that cannot be summed together; str() is one Chinese line."""


@dataclass
class Entry:
    """One input file and what became of it."""
    path: Path
    agency: str = ""
    year: int | None = None
    format: str | None = None
    findings: list[Finding] = field(default_factory=list)
    previous: Path | str | None = None     # last year's report it was checked against
    left_out: str | None = None            # why it is not summed (Chinese), None if summed
    not_summed: list[str] = field(default_factory=list)  # its blank or invalid cells
    readable: bool = True                  # False: the file could not be read (left_out says why)
    # the file's figures in its format's cell order, None where blank or invalid (not summed)
    values: tuple[Number | None, ...] = field(default=(), repr=False)

    @property
    def name(self) -> str:
        return self.agency or NO_NAME

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors

    @property
    def status(self) -> str:
        if self.left_out:
            return "未计入"
        return "计入（有错误）" if self.errors else "计入"


@dataclass
class Summary:
    format: str
    year: int
    title: str
    figures: dict[str, Number | None]    # cell id -> sum (None: no file gave a value)
    not_summed: dict[str, list[str]]     # cell id -> agencies whose value there was blank or invalid
    entries: list[Entry]                 # every input file, in input order
    findings: list[Finding]              # the summed tables' own arithmetic
    previous_agencies: list[str] | None = None   # last year's set (None: not given)
    missing: list[str] | None = None             # last year's agencies without a report this year
    new_agencies: list[str] | None = None        # this year's agencies not in last year's set
    previous_left_out: list[tuple[str, str]] = field(default_factory=list)  # (file, why) of last year's files

    @property
    def fmt(self) -> Format:
        return load_format(self.format)

    @property
    def included(self) -> list[Entry]:
        return [e for e in self.entries if not e.left_out]

    @property
    def left_out(self) -> list[Entry]:
        return [e for e in self.entries if e.left_out]

    @property
    def with_errors(self) -> list[Entry]:
        return [e for e in self.included if e.errors]

    def display(self, cid: str) -> str:
        """The summed cell as printed: the figure, marked when some file's value there was not summed."""
        v = self.figures.get(cid)
        return format_number(v) + (MARK if cid in self.not_summed else "")

    def cell_text(self, g: GridCell) -> str:
        """A printed table's value cell (value_of for the grid helpers of drafter.html and drafter.render)."""
        return self.display(g.cell) if g.cell else ""

    def headline(self) -> str:
        n = len(self.included)
        s = f"汇总{n}个单位的报告（共{len(self.entries)}个文件"
        if self.left_out:
            s += f"，{len(self.left_out)}个未计入"
        s += "）"
        if self.with_errors:
            s += f"，其中{len(self.with_errors)}个有错误"
        if self.missing:
            s += f"；与上年相比缺报{len(self.missing)}个单位"
        return s + "。"

    def not_summed_lines(self) -> list[str]:
        cells = self.fmt.cells
        return [f"{cells[cid].full_label}：{'、'.join(names)}空白或填写无效，未计入"
                for cid, names in self.not_summed.items()]


# ---- what every output prints ---------------------------------------------------------------------
def finding_rows(s: Summary) -> list[dict[str, str]]:
    """One row per finding of a summed file."""
    out = []
    for e in s.entries:
        for f in e.findings:
            out.append({"agency": e.name, "file": str(e.path), "severity": SEVERITY[f.severity]
                        + ("（已确认）" if f.confirmed else ""), "rule": f.rule, "cells": "、".join(f.cells),
                        "message": f.message})
    return out


def missing_lines(s: Summary) -> list[str]:
    if s.missing is None:
        return ["未提供上年度报告（--previous-dir），无法比对缺报单位。"]
    lines = [f"上年度共{len(s.previous_agencies or ())}个单位，本年度缺报{len(s.missing)}个"
             + ("：" + "、".join(s.missing) if s.missing else "。")]
    if s.new_agencies:
        lines.append(f"本年度新增{len(s.new_agencies)}个：" + "、".join(s.new_agencies))
    for f, why in s.previous_left_out:
        lines.append(f"上年度文件{f}未用于比对：{why}")
    return lines
