"""From a document's lines to a Report, in named phases (see importing/__init__.py for the lines).

import_lines runs, in order: drop_chrome (website chrome, keeping the page's 发布日期) → find_title → find_year →
split_regions (one region per section heading of the format) → take_signature (the 落款 at the end) →
find_agency → read_sections (narrative and tables) → missing_sections. Each phase appends what it cannot
settle to the doubts; none invents a value.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from ..formats import Format, UnknownFormat, format_for_year, load_format
from ..report import Report, ReportError
from ..spam import spam_names
from . import agency as ag
from .labels import HEADING_RE, match_heading, table_labels
from .prose import is_chrome, join_broken, line_text, overview_parts, paragraphs, single
from .tables import Placed, add_doubt, place_table

Lines = list[list[str]]


@dataclass
class ImportResult:
    report: Report
    doubts: list[dict] = field(default_factory=list)


@dataclass
class Region:
    section: str | None          # section id of the format, None before the first heading
    heading: str                 # the heading's own words as printed (二、政府信息公开工作情况 → 政府信息公开工作情况)
    lines: Lines = field(default_factory=list)


@dataclass
class Title:
    text: str                    # as printed, lines joined
    norm: str                    # NFKC, no whitespace
    body: Lines                  # the document's lines after the title


def drop_chrome(lines: Lines) -> tuple[Lines, dt.date | None]:
    """The lines without the website's chrome, and the page's 发布日期 if it states one."""
    published = None
    for c in lines:
        if published is None and is_chrome(c):
            pm = re.search(r"(?:发布|发文)(?:日期|时间)\s*[:：]\s*(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})",
                           line_text(c))
            if pm:
                try:
                    published = dt.date(*map(int, pm.groups()))
                except ValueError:
                    pass
    return [c for c in lines if not is_chrome(c)], published


def find_title(lines: Lines) -> Title:
    """The report's title among the first lines (agency.title_lines); what comes before it is not the report's."""
    texted = [i for i, c in enumerate(lines) if line_text(c)][:15]
    head = [line_text(lines[i]) for i in texted]
    picked = [texted[k] for k in ag.title_lines(head)]
    title = "".join(line_text(lines[i]) for i in picked)
    start = picked[-1] + 1 if picked else 0
    before = [c for i, c in enumerate(lines[:picked[0]]) if line_text(c)] if picked else []
    body = before + lines[start:] if before and _looks_like_text(before) else lines[start:]
    return Title(title, re.sub(r"\s+", "", unicodedata.normalize("NFKC", title)), body)


def _looks_like_text(lines: Lines) -> bool:
    """Lines before the title that are the report's own prose (a sentence), not a site's banner."""
    return any(len(line_text(c)) > 40 and "。" in line_text(c) for c in lines)


def find_year(title: Title, lines: Lines, year: int | None, doubts: list, source) -> tuple[int, str]:
    """(year, format id): given, from the title, or from the text (a doubt); ReportError when none."""
    if year is None:
        year = ag.report_year(title.norm)
    if year is None:
        joined = re.sub(r"\s+", "", unicodedata.normalize("NFKC", "\n".join(line_text(c) for c in lines)))
        p = re.search(r"(20\d\d)年1月1日(?:起)?至(?:\1年)?12月31日", joined)
        if p:
            year = int(p.group(1))
        else:
            years = Counter(int(y) for y in re.findall(r"(20\d\d)年(?!\d{0,2}月\d{1,2}日)", joined))
            if years:
                year = years.most_common(1)[0][0]
        if year is not None:
            add_doubt(doubts, ["year"], f"标题中没有年度，按正文确定为{year}年度，请核对")
    if year is None:
        raise ReportError(source, "无法确定报告年度（标题和正文中都没有找到），请用 --year 指定")
    try:
        return year, format_for_year(year)
    except UnknownFormat:
        raise ReportError(source, f"没有适用于{year}年的报告格式（2019年起）") from None


def split_regions(lines: Lines, fid: str) -> list[Region]:
    """The lines cut at the format's section headings (一、… 六、), in order; a row label of the current table
    that reads like a heading (一、本年新收…) stays in its table."""
    fmt = load_format(fid)
    regions = [Region(None, "")]
    cur = -1
    for cells in lines:
        t = single(cells)
        if t is not None:
            h, rest = match_heading(t, fmt)
            section = fmt.sections[cur].id if cur >= 0 else None
            if h is not None and h.index >= cur and not (
                    section in fmt.tables and table_labels(fid, section).match_row(t)[1] == "exact"):
                regions.append(Region(h.id, rest))
                cur = h.index
                continue
        regions[-1].lines.append(cells)
    return regions


def take_signature(regions: list[Region], fmt: Format) -> tuple[str | None, dt.date | None]:
    """The 落款 (signer, date) from the last paragraphs of the last region, which loses them."""
    last = regions[-1]
    if last.section in fmt.tables:
        return None, None
    paras = [i for i, c in enumerate(last.lines) if line_text(c)]
    signer, signed_on, n = ag.signature([line_text(last.lines[i]) for i in paras])
    if n:
        cut = set(paras[-n:])
        last.lines = [c for i, c in enumerate(last.lines) if i not in cut]
    return signer, signed_on


def find_agency(title: Title, signer: str | None, all_text: list[str], doubts: list) -> str:
    """The agency's name: the 落款's, else the title's (completed for a township), spam removed."""
    spam = spam_names(all_text)
    named = ag.title_name(title.norm)
    clean = ag.strip_spam(named, spam)
    if clean != named:
        removed = named.replace(clean, "", 1) if clean else named
        add_doubt(doubts, ["agency.name"], f"标题中含有与报告无关的文字「{removed}」，已从机关名称中删除")
    if signer:
        return ag.strip_spam(signer, spam)
    name = ag.complete_name(clean)
    if name and name != clean:
        add_doubt(doubts, ["agency.name"], f"原文没有落款，机关名称按标题「{clean}」补全为「{name}」，请核对")
    elif not name:
        add_doubt(doubts, ["agency.name"], "没有找到机关名称（标题和落款中都没有），请填写")
    return name


def signing_date(signed_on: dt.date | None, published: dt.date | None, doubts: list) -> dt.date | None:
    if signed_on:
        return signed_on
    if published:
        add_doubt(doubts, ["agency.signed_on"],
                  f"原文没有落款日期，按网页的发布日期填为{published.year}年{published.month}月{published.day}日，请核对")
        return published
    add_doubt(doubts, ["agency.signed_on"], "原文没有落款日期，请填写")
    return None


def read_sections(regions: list[Region], fid: str, doubts: list) -> tuple[dict, dict[str, Placed]]:
    """The narrative (text keys of a drafter file) and each table's placed figures, region by region."""
    fmt = load_format(fid)
    lead: list[str] = []
    overview: list[dict] = []
    texts: dict[str, list[str]] = {"problems": [], "other": []}
    placed: dict[str, Placed] = {}
    for r in regions[1:]:
        if r.section is None:
            continue
        sec = fmt.section(r.section)
        if r.section == "overview":
            lead_text, parts = overview_parts(paragraphs(r.lines))
            if lead_text and not overview:
                lead.append(lead_text)
            elif lead_text:
                overview.append({"title": "", "body": lead_text})
            overview += parts
        elif r.section in fmt.tables:
            res = place_table(fid, r.section, r.lines, doubts)
            if r.section in placed and placed[r.section].found and res.found:
                add_doubt(doubts, [], f"「{sec.heading}」的表格出现了两次，只按第一次读取")
            if r.section not in placed or not placed[r.section].found:
                placed[r.section] = res
            if res.narrative:
                own = HEADING_RE.match(sec.heading)
                title = r.heading if r.heading else (own.group(2) if own else sec.heading)
                overview.append({"title": title, "body": "\n".join(join_broken(res.narrative))})
        else:
            texts[r.section] += paragraphs(r.lines)
    text = {"intro": "\n".join(paragraphs(regions[0].lines)), "overview": overview,
            "problems": "\n".join(texts["problems"]), "other": "\n".join(texts["other"])}
    if lead:
        text["overview_lead"] = "\n".join(lead)
    return text, placed


def missing_sections(regions: list[Region], placed: dict[str, Placed], fmt: Format, doubts: list) -> None:
    """A doubt for every section the document lacks and every table region without a table."""
    seen = {r.section for r in regions[1:]}
    for s in fmt.sections:
        if s.id not in seen:
            add_doubt(doubts, [f"text.{s.id}"] if s.id not in fmt.tables else [],
                      f"原文中没有找到「{s.heading}」" + ("，这一部分的数字未填写" if s.id in fmt.tables else ""))
    for tid, t in fmt.tables.items():
        res = placed.get(tid)
        if (res is None or not res.found) and tid in seen:
            add_doubt(doubts, [c.id for c in t.cells], f"「{t.heading}」下没有找到表格，数字未填写")


def import_lines(lines: Lines, source, year: int | None = None) -> ImportResult:
    """A published report from its lines (see module doc); `source` names the file in messages."""
    doubts: list[dict] = []
    lines, published = drop_chrome(lines)
    if not any(line_text(c) for c in lines):
        raise ReportError(source, "文件中没有文字")
    all_text = [line_text(c) for c in lines]
    title = find_title(lines)
    year, fid = find_year(title, lines, year, doubts, source)
    fmt = load_format(fid)
    regions = split_regions(title.body, fid)
    if not any(r.section in fmt.tables for r in regions):
        raise ReportError(source, "没有找到报告的表格（二、主动公开政府信息情况 等），不像是政府信息公开工作年度报告")
    signer, signed_on = take_signature(regions, fmt)
    name = find_agency(title, signer, all_text, doubts)
    report = Report.new(year, name, ag.level(name) if name else "township", fid)
    report.signed_on = signing_date(signed_on, published, doubts)
    report.text, placed = read_sections(regions, fid, doubts)
    missing_sections(regions, placed, fmt, doubts)
    for res in placed.values():
        if res.found:
            report.figures.update(res.figures)
    if not any(v is not None for v in report.figures.values()):
        raise ReportError(source, "表格中没有读到任何数字，不像是政府信息公开工作年度报告")
    report.extra["doubts"] = doubts
    return ImportResult(report, doubts)
