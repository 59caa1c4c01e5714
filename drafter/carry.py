"""Next year's report from last year's: what carries, what starts empty, and the 2019 → 2021 format change."""
from __future__ import annotations

import re

from .formats import format_for_year, load_format
from .numbers import normalise
from .report import Report
from .spam import clean_name, screen_report_texts, spam_names

PREVIOUS_DROP = ("previous", "ui", "confirmed", "drafted", "carried_text", "held_back", "doubts")


def _text_items(report: Report) -> dict[str, str]:
    """Every narrative text of a report keyed by where it lives ('intro', 'overview.0.title', …)."""
    items = {k: report.text.get(k) or "" for k in ("intro", "problems", "other")}
    for i, part in enumerate(report.overview()):
        items[f"overview.{i}.title"] = part.get("title", "")
        items[f"overview.{i}.body"] = part.get("body", "")
    return items


def _period(text: str, last: int, year: int) -> str:
    """Move the statistics period to the new year: 2020年1月1日 … 2020年12月31日 → 2021年…"""
    return re.sub(rf"{last}(\s*年\s*(?:1\s*月\s*1\s*日|12\s*月\s*31\s*日))", rf"{year}\1", text)


def _topic_of(title: str, topics: list[str]) -> str | None:
    t = normalise(title)
    for topic in topics:
        if topic in t or (topic == "政府信息公开平台建设" and "平台建设" in t):
            return topic
    return None


def carry_forward(last: Report, year: int | None = None) -> Report:
    """This year's report from last year's `last`.

    Agency details carry; the narrative carries as a draft (marked in extra['carried_text'] until edited), screened
    for injected content (extra['held_back']); requests.carried_over ← last year's requests.carried_forward column by
    column; 2021 → 2021 the 现行有效件数 base; 2019 → 2019 上一年项目数量 = last prev_items + change. Flow figures start
    empty; last year's report is embedded (extra['previous']) for hints and cross-year checks."""
    year = year or last.year + 1
    fid = format_for_year(year)
    fmt = load_format(fid)
    texts = _text_items(last)
    names = spam_names(list(texts.values()) + [last.agency_name])
    clean, held = screen_report_texts(texts, last.agency_name)
    agency = dict(last.agency)
    agency["name"] = clean_name(last.agency_name, names)
    r = Report.new(year, agency["name"], agency.get("level", "township"), fid)
    r.agency = agency

    carried: list[str] = []
    for k in ("intro", "problems", "other"):
        t = _period(clean[k], last.year, year).strip()
        r.text[k] = t
        if t:
            carried.append(k)
    parts = [{"title": clean[f"overview.{i}.title"], "body": _period(clean[f"overview.{i}.body"], last.year, year)}
             for i in range(len(last.overview()))]
    topics = fmt.section("overview").topics
    if topics:
        by_topic = {}
        rest = []
        for p in parts:
            t = _topic_of(p["title"], topics)
            if t and t not in by_topic:
                by_topic[t] = p
            elif p["title"].strip() or p["body"].strip():
                rest.append(p)
        parts = [by_topic.get(t, {"title": t, "body": ""}) for t in topics] + rest
    r.text["overview"] = parts
    carried += [f"overview.{i}" for i, p in enumerate(parts) if p["body"].strip()]

    f = r.figures
    for col in fmt.tables["requests"].col_ids:
        v = last.figures.get(f"requests.carried_forward.{col}")
        f[f"requests.carried_over.{col}"] = v
    if last.format == fid == "2021":
        for row in ("rules", "normative"):
            f[f"active.{row}.in_force"] = last.figures.get(f"active.{row}.in_force")
    if last.format == fid == "2019":
        for cid, cell in fmt.cells.items():
            if cell.col == "prev_items":
                a, b = last.figures.get(cid), last.figures.get(f"active.{cell.row}.change")
                f[cid] = a + b if a is not None and b is not None else None

    prev = last.to_dict()
    for k in PREVIOUS_DROP:
        prev.pop(k, None)
    prev["agency"] = dict(agency)
    prev["text"] = {k: v for k, v in prev.get("text", {}).items()}
    r.extra["previous"] = _screened_previous(prev, clean)
    r.extra["carried_text"] = carried
    if held:
        r.extra["held_back"] = [h.as_dict() for h in held]
    return r


def _screened_previous(prev: dict, clean: dict[str, str]) -> dict:
    """Last year's report as embedded: its texts as screened (spam never enters this year's file)."""
    t = prev["text"]
    for k in ("intro", "problems", "other"):
        if k in t:
            t[k] = clean[k]
    t["overview"] = [{"title": clean[f"overview.{i}.title"], "body": clean[f"overview.{i}.body"]}
                     for i in range(len(t.get("overview") or []))]
    return prev


def describe(r: Report) -> list[str]:
    """What `drafter new` tells the clerk it carried."""
    prev = r.previous()
    lines = []
    if prev is None:
        return lines
    lines.append(f"已从{prev.year}年度报告带入：机关信息、正文草稿{len(r.extra.get('carried_text', []))}处（修改前标为上年内容）")
    co = [c for c in r.fmt.tables["requests"].cells if c.row == "carried_over" and r.figures.get(c.id) is not None]
    if co:
        lines.append(f"二、上年结转 ← 上年「四、结转下年度继续办理」：合计{r.figures.get('requests.carried_over.total')}件")
    if prev.format != r.format:
        lines.append(f"上年报告为{prev.format}年格式，本年为{r.format}年格式：表格按新格式重新填写，上年数值作为提示显示")
    for h in r.extra.get("held_back", []):
        lines.append(f"未带入（{h['where']}）：{h['text'][:60]} —— {h['reason']}")
    return lines
