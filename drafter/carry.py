"""Next year's report from last year's: what carries, what starts empty, and the 2019 → 2021 format change.

The figures that carry are those the cross-year rules of validators/<format>.yaml compare (previous_equal,
previous_formula); the opening cites this year's format (intro_format: its notice and number of parts).
"""
from __future__ import annotations

import re

from .chinese import cn_number
from .formats import Format, all_formats, format_for_year, load_format
from .narrative.text import notice_key, notice_refs, part_counts
from .numbers import normalise
from .report import Report
from .rules import rules_of_kind
from .spam import clean_name, screen_report_texts, spam_names

PREVIOUS_DROP = ("previous", "ui", "confirmed", "drafted", "carried_text", "held_back", "doubts")


def _text_items(report: Report) -> dict[str, str]:
    """Every narrative text of a report keyed by where it lives ('intro', 'overview.0.title', …)."""
    items = {k: report.text.get(k) or "" for k in ("intro", "overview_lead", "problems", "other")}
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
    for k in ("intro", "overview_lead", "problems", "other"):
        t = _period(clean[k], last.year, year).strip()
        if t or k != "overview_lead":
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
            topic = _topic_of(p["title"], topics)
            if topic and topic not in by_topic:
                by_topic[topic] = p
            elif p["title"].strip() or p["body"].strip():
                rest.append(p)
        parts = [by_topic.get(t, {"title": t, "body": ""}) for t in topics] + rest
    r.text["overview"] = parts
    carried += [f"overview.{i}" for i, p in enumerate(parts) if p["body"].strip()]

    r.text["intro"] = update_intro(str(r.text.get("intro") or ""), fmt)[0]
    r.figures.update(carried_figures(last, fmt))

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
    for k in ("intro", "overview_lead", "problems", "other"):
        if k in t:
            t[k] = clean[k]
    t["overview"] = [{"title": clean[f"overview.{i}.title"], "body": clean[f"overview.{i}.body"]}
                     for i in range(len(t.get("overview") or []))]
    return prev


def carried_figures(last: Report, fmt: Format) -> dict[str, object]:
    """This year's figures that start from last year's, as the cross-year rules of `fmt` compare them: a
    previous_equal rule copies last year's row (上年结转 ← 结转下年度继续办理); a previous_formula rule of the
    same format starts from last year's terms (现行有效 ← 上年现行有效; 上一年项目数量 ← 上年的项目数量 + 增/减),
    this year's terms still blank."""
    out: dict[str, object] = {}
    for rule in rules_of_kind(fmt.id, "previous_equal"):
        table = fmt.tables[rule["table"]]
        if rule["table"] not in last.fmt.tables:
            continue
        for col in dict.fromkeys(c.col for c in table.cells if c.row == rule["row"]):
            out[f"{table.id}.{rule['row']}.{col}"] = last.figures.get(f"{table.id}.{rule['previous_row']}.{col}")
    for rule in rules_of_kind(fmt.id, "previous_formula"):
        if not last.format == fmt.id == rule["previous_format"]:
            continue
        for row in rule["rows"]:
            terms = [(t.get("sign", 1), last.figures.get(f"{rule['table']}.{row}.{t['col']}"))
                     for t in rule["terms"] if t["year"] == "previous"]
            total = sum(s * v for s, v in terms if v is not None)
            out[f"{rule['table']}.{row}.{rule['this']}"] = None if any(v is None for _, v in terms) else total
    return out


def update_intro(text: str, fmt: Format) -> tuple[str, list[str]]:
    """The opening citing format `fmt`: another format's notice (国办公开办函〔2019〕60号) and its title become
    this format's, a count of parts (五个部分) the number of its sections. Returns (text, what changed)."""
    changes: list[str] = []
    titles = {f.id: rules_of_kind(f.id, "intro_format")[0]["notice_title"] for f in all_formats()
              if rules_of_kind(f.id, "intro_format")}
    own_ref = fmt.notice[fmt.notice.index("〔"):] if "〔" in fmt.notice else fmt.notice
    for other in all_formats():
        if other.id == fmt.id:
            continue
        old_title, new_title = titles.get(other.id), titles.get(fmt.id)
        if old_title and new_title and old_title in text:
            text = text.replace(old_title, new_title)
        for key_, m in reversed(notice_refs(text)):
            if key_ == notice_key(other.notice):
                text = text[: m.start()] + own_ref + text[m.end():]
                if other.notice not in changes:
                    changes.append(other.notice)
    changes = [f"{n} → {fmt.notice}" for n in changes]
    parts = len(fmt.sections)
    for n, m in reversed(part_counts(text)):
        if n != parts:
            new = str(parts) if m.group(1).isdigit() else cn_number(parts)
            changes.append(f"「{m.group(0)}」→「{new}个部分」")
            text = text[: m.start(1)] + new + text[m.end(1):]
            text, added = _complete_part_list(text, m.start(), fmt)
            changes += [f"补上「{name}」" for name in added]
    return text, changes


def _complete_part_list(text: str, end: int, fmt: Format) -> tuple[str, list[str]]:
    """The sections a list of parts before `end` (…存在的主要问题及改进情况五个部分) leaves out at its end, added after
    its last name in the format's order; (text, names added). A text that lists no sections is left alone."""
    names = [re.sub(r"^[一二三四五六七八九十]+、", "", s.heading) for s in fmt.sections]
    head = text[max(0, end - 300): end]
    where = [head.rfind(n) for n in names]
    present = [i for i, w in enumerate(where) if w >= 0]
    in_order = [where[i] for i in present] == sorted(where[i] for i in present)
    if len(present) < 3 or not in_order or present[-1] == len(names) - 1:      # (a name may be worded otherwise)
        return text, []
    last = present[-1]
    cut = max(0, end - 300) + where[last] + len(names[last])
    added = names[last + 1:]
    return text[:cut] + "".join(f"、{n}" for n in added) + text[cut:], added


def describe(r: Report) -> list[str]:
    """What `drafter new` tells the clerk it carried."""
    prev = r.previous()
    lines: list[str] = []
    if prev is None:
        return lines
    lines.append(f"已从{prev.year}年度报告带入：机关信息、正文草稿{len(r.extra.get('carried_text', []))}处（修改前标为上年内容）")
    co = [c for c in r.fmt.tables["requests"].cells if c.row == "carried_over" and r.figures.get(c.id) is not None]
    if co:
        lines.append(f"二、上年结转 ← 上年「四、结转下年度继续办理」：合计{r.figures.get('requests.carried_over.total')}件")
    changed = update_intro(str(prev.text.get("intro") or ""), r.fmt)[1]
    if changed and "intro" in r.extra.get("carried_text", []):
        lines.append(f"报告开头按{r.fmt.notice}的格式改写：" + "；".join(changed))
    if prev.format != r.format:
        lines.append(f"上年报告为{prev.format}年格式，本年为{r.format}年格式：表格按新格式重新填写，上年数值作为提示显示")
    for h in r.extra.get("held_back", []):
        lines.append(f"未带入（{h['where']}）：{h['text'][:60]} —— {h['reason']}")
    return lines
