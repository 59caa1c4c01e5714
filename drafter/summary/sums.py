"""Many files → one Summary: which files count, the sums, the summed tables' own arithmetic, last year's set.

Files are read and checked on every core (batch.py); the sums are taken here, cell by cell, over the files counted.
"""
from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Sequence

from ..checks import Finding, check
from ..formats import Format, UnknownFormat, format_for_year, load_format
from ..report import Report, agency_key
from .batch import index_previous, read_entries
from .model import Entry, Number, Summary, SummaryError


def _notice(fid: str | None) -> str:
    return load_format(fid).notice if fid else "未知"


def _group_name(year: int | None, fid: str | None) -> str:
    return f"{year}年度（{_notice(fid)}格式）"


def summarise(paths: Iterable[str | Path], previous_paths: Iterable[str | Path] = (), year: int | None = None,
              title: str | None = None, jobs: int | None = None,
              skipped: Iterable[tuple[Path, str]] = ()) -> Summary:
    """Read, check and sum the drafter files `paths`.

    `previous_paths`: last year's files, paired by agency name for the cross-year checks and the missing list.
    `year`: the year to sum; files of other years are then left out instead of refused.
    `jobs`: processes reading the files (default: every core; 1: this process only).
    `skipped`: (file, why) of entries of the folders that look like reports but were not read: listed as left out.
    Raises SummaryError when the files are of several years or formats and `year` is not given, or when no
    file can be summed."""
    entries = read_entries([(Path(p), None) for p in paths], jobs)
    entries += [Entry(Path(p), left_out=why, readable=False) for p, why in skipped]
    readable = [e for e in entries if e.readable]
    if not readable:
        raise SummaryError(f"没有可以汇总的报告：{len(entries)}个文件都无法读取" if entries else "没有要汇总的报告文件")
    year, fid = _year_and_format(readable, year)
    fmt = load_format(fid)
    _leave_out(readable, year, fmt)
    included = [e for e in entries if not e.left_out]
    if not included:
        raise SummaryError(f"没有{year}年度的报告可以汇总")
    for e in entries:
        if e.left_out:              # a file left out is listed with its reason only
            e.findings, e.not_summed, e.previous = [], [], None

    prev_index: dict[str, Report] | None = None
    previous_left_out: list[tuple[str, str]] = []
    previous_paths = list(previous_paths)
    if previous_paths:
        prev_index, previous_left_out = index_previous(previous_paths, year - 1, jobs)
        _check_against(included, prev_index, jobs)

    figures, not_summed = sum_figures(fmt, included)
    s = Summary(fid, year, title or f"{year}{fmt.title_suffix}数据汇总", figures, not_summed, entries,
                _own_findings(fid, year, figures), previous_left_out=previous_left_out)
    if prev_index is not None:
        this_year = {agency_key(e.agency) for e in readable if e.year == year}
        s.previous_agencies = [r.agency_name for r in prev_index.values()]
        s.missing = [r.agency_name for k, r in prev_index.items() if k not in this_year]
        s.new_agencies = [e.name for e in included if agency_key(e.agency) not in prev_index]
    return s


def _year_and_format(readable: list[Entry], year: int | None) -> tuple[int, str]:
    """The year and format summed: `year` given, else the one of every file (several: SummaryError)."""
    if year is not None:
        try:
            return year, format_for_year(year)
        except UnknownFormat:
            raise SummaryError(f"没有适用于{year}年的报告格式（2019年起）") from None
    groups = Counter((e.year, e.format) for e in readable)
    if len(groups) > 1:
        parts = []
        for (y, fid), n in groups.most_common():
            files = [e.path.name for e in readable if (e.year, e.format) == (y, fid)]
            shown = "、".join(files[:3]) + ("等" if len(files) > 3 else "")
            parts.append(f"{_group_name(y, fid)}{n}份（{shown}）")
        raise SummaryError("不能汇总：报告的年度或格式不一致——" + "；".join(parts)
                           + "。请只汇总同一年度、同一格式的报告，或用 --year 指定汇总年度")
    (y, fid), = groups
    if y is None or fid is None:        # a readable file has both; kept for the type checker
        raise SummaryError("没有可以汇总的报告：年度或格式未知")
    return y, fid


def _leave_out(readable: list[Entry], year: int, fmt: Format) -> None:
    """Mark the files not counted: of another year or format, or a second file of an agency already counted."""
    counted: dict[str, Entry] = {}
    for e in readable:
        if e.year != year:
            e.left_out = f"年度为{e.year}，不是汇总年度{year}"
        elif e.format != fmt.id:
            e.left_out = f"使用{_notice(e.format)}格式，汇总用{fmt.notice}格式"
        else:
            key = agency_key(e.agency)
            first = counted.get(key) if key else None
            if first is not None:
                e.left_out = f"机关名称与已计入的{first.path.name}相同（{first.name}），只计入一份"
            elif key:
                counted[key] = e


def _check_against(included: list[Entry], prev_index: dict[str, Report], jobs: int | None) -> None:
    """Check again, against last year's report of the same agency, the files that have one (on every core)."""
    paired = [(i, prev_index[k]) for i, e in enumerate(included)
              if (k := agency_key(e.agency)) and k in prev_index]
    again = read_entries([(included[i].path, prev) for i, prev in paired], jobs)
    for (i, _), e in zip(paired, again, strict=True):
        if e.readable:
            included[i].findings, included[i].previous = e.findings, e.previous
        else:       # changed or removed since it was read: keep the first reading, say why
            included[i].previous = None


def sum_figures(fmt: Format, entries: Sequence[Entry]) -> tuple[dict[str, Number | None], dict[str, list[str]]]:
    """Every cell summed over the entries (a blank or invalid value adds nothing);
    (figures, not summed: cell id -> agencies, in cell order)."""
    figures: dict[str, Number | None] = {}
    columns = zip(*(e.values for e in entries), strict=True) if entries else iter(())
    for (cid, cell), column in zip(fmt.cells.items(), columns, strict=False):
        vals = [v for v in column if v is not None]
        if not vals:
            figures[cid] = None
        elif cell.kind == "amount":
            figures[cid] = sum(vals, Decimal(0))
        else:
            figures[cid] = sum(vals)
    for cid in fmt.cells:
        figures.setdefault(cid, None)
    blanks: dict[str, list[str]] = {}
    for e in entries:
        for cid in e.not_summed:
            blanks.setdefault(cid, []).append(e.name)
    not_summed = {cid: blanks[cid] for cid in fmt.cells if cid in blanks}
    return figures, not_summed


def _own_findings(fid: str, year: int, figures: dict[str, Number | None]) -> list[Finding]:
    """The arithmetic rules on the summed tables (errors only; blanks are marked instead)."""
    r = Report(fid, year, {"name": "汇总", "level": "county"}, None, {}, dict(figures))
    tables = set(load_format(fid).tables)
    return [f for f in check(r) if f.severity == "error" and f.section in tables and f.rule != "value.missing"]
