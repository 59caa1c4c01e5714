"""The rule kinds of the narrative (declared in drafter.rules, used at the end of validators/<format>.yaml).

Every finding names the text key of the passage concerned ('text.intro', 'text.overview.<i>', 'text.problems',
'text.other'), after its cell ids.
"""
from __future__ import annotations

import re

from ..chinese import cn_number
from ..formats import all_formats
from ..report import Report
from ..rules import Context, Finding, kind, rules_of_kind
from .reader import _table_value, cell_label, not_given, readings_of, statements
from .text import (
    _FEE_RE,
    _body_len,
    _quote,
    _strip_enumerator,
    heading_of,
    normalise,
    notice_key,
    notice_refs,
    paragraphs,
    part_counts,
    section_of,
    similarity,
    text_items,
    topic_in_stripped,
    topic_part,
    where_name,
)


# ---- rule kinds ---------------------------------------------------------------------------------
def _text_finding(rule: dict, cells, text_key: str, message: str) -> Finding:
    return Finding(rule.get("severity", "warning"), rule["id"], tuple(cells) + (text_key,), message,
                   section_of(text_key))


def _report_texts(ctx: Context) -> list[tuple[str, str]]:
    return text_items(ctx.report)


def _texts(ctx: Context) -> list[tuple[str, str]]:
    """text_items of the report, once per check (most narrative rules read them)."""
    return ctx.once(_report_texts)


def _has_text(ctx: Context) -> bool:
    return any(t.strip() for _, t in _texts(ctx))


@kind("narrative_figures")
def _narrative_figures(rule, ctx: Context):
    """A figure the text states that differs from the table; a quantity that can be read two ways (收到N件: new,
    or new + carried over) is right when either sum holds, and the message names every sum it compared."""
    fmt = ctx.fmt
    seen = set()
    missing = None
    for key, text in _texts(ctx):
        if not text.strip():
            continue
        for st in statements(text, fmt.id)[0]:
            if missing is None:
                missing = not_given(ctx.figures)
            readings = [(ids, _table_value(fmt.id, ctx.figures, ids, missing)) for ids in readings_of(fmt.id, st.kind)]
            readings = [(ids, v) for ids, v in readings if v is not None]
            if not readings:
                continue
            ids, table = readings[0]
            if any(v == st.value or v in st.alt for _, v in readings) or (ids, key) in seen:
                continue
            seen.add((ids, key))
            values = {v: r for r, v in reversed(readings)}         # a sum equal to another is said once
            compared = "，".join(f"{'＋'.join(cell_label(fmt.cells[i]) for i in r)}为{v}件"
                                 for r, v in readings if values[v] == r)
            yield _text_finding(rule, ids, key, rule["message"].format(
                where=where_name(ctx.report, key), quote=st.quote, stated=st.value, table=table,
                label="＋".join(cell_label(fmt.cells[i]) for i in ids), compared=compared))


@kind("narrative_applicant")
def _narrative_applicant(rule, ctx: Context):
    req = ctx.fmt.tables["requests"]
    cols = [c for c in req.col_ids if c != "total"]
    for row in ("new", "carried_over"):
        nonzero = {c: ctx.figures.get(req.cell(row, c).id) for c in cols}
        nonzero = {c: v for c, v in nonzero.items() if isinstance(v, int) and v}
        if nonzero:
            break
    else:
        return
    seen = set()
    for key, text in _texts(ctx):
        if not text.strip():
            continue
        for claim in statements(text, ctx.fmt.id)[1]:
            others = {c: v for c, v in nonzero.items() if c not in claim.cols}
            if not others or (key in seen):
                continue
            seen.add(key)
            ids = [req.cell(row, c).id for c in others]
            table = "、".join(f"{req.cell(row, c).col_path[-1].name}{v}件" for c, v in others.items())
            yield _text_finding(rule, ids, key, rule["message"].format(
                where=where_name(ctx.report, key), quote=claim.quote,
                row=req.cell(row, "total").row_path[-1].label, table=table))



def _topics_covered(report: Report, topics) -> set[str]:
    """The topics that a sub-part of 一 covers: titled with it (and not empty), or a paragraph opening with it or
    with a sub-heading that names it. Titles are normalised once per report, paragraphs only for a topic that no
    title names (a province's batch checks tens of thousands of reports)."""
    parts = [(str(p.get("title") or ""), str(p.get("body") or "")) for p in report.overview()]
    titled = [title for title, body in parts if body.strip()]
    out = {t for t in topics if t in titled}      # titled with the topic itself: drafter's own titles
    if len(out) == len(topics):
        return out
    titles = [_strip_enumerator(title) for title in titled]
    bodies = [body for _, body in parts]
    out |= {t for t in topics if t not in out and any(topic_in_stripped(t, w) for w in titles)}
    if len(out) == len(topics):
        return out
    openings = [p for body in bodies for p in paragraphs(body)]
    heads = [_strip_enumerator(h) for h in map(heading_of, openings) if h is not None]
    stripped: dict[int, list[str]] = {}       # openings cut at each topic length, stripped once per length
    for topic in topics:
        if topic in out:
            continue
        n = len(topic) + 8
        if n not in stripped:
            stripped[n] = [_strip_enumerator(p[:n]) for p in openings]
        if any(topic_in_stripped(topic, w) for w in (*stripped[n], *heads)):
            out.add(topic)
    return out


@kind("overview_topics")
def _overview_topics(rule, ctx: Context):
    section = ctx.fmt.section("overview")
    if not section.topics or not _has_text(ctx):
        return
    covered = _topics_covered(ctx.report, section.topics)
    missing = [t for t in section.topics if t not in covered]
    if not missing:
        return
    cells = []
    for t in missing:
        i = topic_part(ctx.report, t)
        cells.append(f"text.overview.{i}" if i is not None else "text.overview")
    cells = list(dict.fromkeys(cells))
    yield Finding(rule.get("severity", "warning"), rule["id"], tuple(cells), rule["message"].format(
        heading=section.heading, missing="、".join(missing), topics="、".join(section.topics)), "overview")



@kind("fee_statement")
def _fee_statement(rule, ctx: Context):
    if not _has_text(ctx):
        return
    if _FEE_RE.search(normalise(ctx.report.text.get("other") or "")):
        return
    yield Finding(rule.get("severity", "warning"), rule["id"], ("text.other",),
                  rule["message"].format(heading=ctx.fmt.section("other").heading), "other")


@kind("same_as_previous")
def _same_as_previous(rule, ctx: Context):
    prev = ctx.previous
    if prev is None:
        return
    threshold = float(rule.get("threshold", 0.9))
    min_chars = int(rule.get("min_chars", 40))
    prev_items = dict(text_items(prev))
    prev_parts = [t for k, t in prev_items.items() if k.startswith("text.overview.") and t.strip()]
    for key, text in _texts(ctx):
        if _body_len(text) < min_chars:
            continue
        if key.startswith("text.overview."):
            candidates = prev_parts + [prev_items.get("text.intro", "")]
        else:
            candidates = [prev_items.get(key, "")]
        best = max((similarity(text, c) for c in candidates if _body_len(c) >= min_chars), default=0.0)
        if best > threshold:
            yield _text_finding(rule, (), key, rule["message"].format(
                where=where_name(ctx.report, key), percent=int(best * 100), year=prev.year))


# a year that opens a statement (2019年，我镇… / 2019年共…), or the statistics period, outside 《》〔〕 titles
_YEAR_OPEN = re.compile(
    r"(?:^|(?<=[。！？；;!?：:]))(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十\d]+[、.．]|[一二三四五六七八九十]是)?"
    r"(?:在|于)?(\d{4})年度?(?=[，,]|我|本|全|共|累计|上半年|下半年|期间|内[，,]|中[，,])")
_YEAR_STATES = re.compile(r"(\d{4})年度?(?=共|累计|全年|我镇|我乡|我街道|本机关|本单位|本部门|全镇|全乡|全街道)")
_PERIOD = re.compile(r"(\d{4})年1月1日(?=起?(?:至|到|—|-|~|－|～))|(?:至|到|—|-|~|－|～)(\d{4})年12月31日")
_OPEN, _CLOSE = "《〔【[", "》〕】]"
_DIGIT = re.compile(r"\d")
_RUN4 = re.compile(r"\d{4,}")                # the digits each pattern takes its year from


def _inside_title(s: str, pos: int) -> bool:
    depth = 0
    for ch in s[:pos]:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
    return depth > 0


def stray_years(text: str, year: int) -> list[tuple[int, str]]:
    """(year, quote) of every statement dated outside `year` and the year after, and every statistics period
    not on `year`. References (《2019年政务公开工作要点》, 国发〔2019〕, 2019年修订, 与2019年相比) are not
    statements."""
    out = []
    for para in paragraphs(text):
        if not _DIGIT.search(para):             # no year can be stated without digits (wide ones included)
            continue
        s = normalise(para)
        if all(len(r) == 4 and int(r) == year for r in _RUN4.findall(s)):
            continue                            # every year each pattern could take is this year
        seen = set()
        for rx, allowed in ((_YEAR_OPEN, (year, year + 1)), (_YEAR_STATES, (year, year + 1)), (_PERIOD, (year,))):
            for m in rx.finditer(s):
                g = next(i for i in range(1, len(m.groups()) + 1) if m.group(i))
                y, at = int(m.group(g)), m.start(g)
                if at in seen or y in allowed or _inside_title(s, at) or not 1990 <= y <= 2100:
                    continue
                seen.add(at)
                start = max(s.rfind("。", 0, m.start()) + 1, 0)
                end = s.find("。", m.end())
                out.append((y, _quote(s[start: end if end >= 0 else len(s)], 30)))
    return out


_TITLE_YEAR = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十\d]+[、.．])?(\d{4})年")


@kind("stray_year")
def _stray_year(rule, ctx: Context):
    year = ctx.report.year
    overview = ctx.report.overview()
    intro_rule = bool(rules_of_kind(ctx.fmt.id, "intro_year"))
    for key, text in _texts(ctx):
        if key == "text.intro" and intro_rule:
            continue                              # the opening: every year is checked by intro_year
        found = []
        if key.startswith("text.overview."):      # a sub-part titled 2020年政府信息公开工作情况
            raw = str(overview[int(key.rsplit(".", 1)[1])].get("title") or "")
            title = normalise(raw) if _DIGIT.search(raw) else ""
            m = _TITLE_YEAR.match(title)
            if m and int(m.group(1)) not in (year, year + 1):
                found.append((int(m.group(1)), _quote(title, 30)))
        if not text.strip() and not found:
            continue
        found += stray_years(text, year)
        if not found:
            continue
        years = "、".join(str(y) for y in sorted({y for y, _ in found}))
        yield _text_finding(rule, (), key, rule["message"].format(
            where=where_name(ctx.report, key), quote=found[0][1], found=years, year=year))




# ---- the opening: this format's notice, its number of parts, this year ----------------------------------
@kind("intro_format")
def _intro_format(rule, ctx: Context):
    """An opening that cites another format's notice (国办公开办函〔2019〕60号 in a 2021 report), or counts a
    number of parts other than the format's sections (五个部分组成)."""
    intro = normalise(ctx.report.text.get("intro") or "")
    if not intro:
        return
    where = where_name(ctx.report, "text.intro")
    others = {notice_key(f.notice): f for f in all_formats() if f.id != ctx.fmt.id}
    for key_, _m in notice_refs(intro):
        other = others.get(key_)
        if other is not None:
            yield _text_finding(rule, (), "text.intro", rule["message_notice"].format(
                where=where, found=other.notice, notice=ctx.fmt.notice, year=ctx.report.year))
            break
    parts = len(ctx.fmt.sections)
    for n, m in part_counts(intro):
        if n != parts:
            yield _text_finding(rule, (), "text.intro", rule["message_parts"].format(
                where=where, found=m.group(0), parts=cn_number(parts), notice=ctx.fmt.notice))
            break


# a year that is not a statement about that year: 2019年以来, 2008年5月1日起施行, （2019年修订）
_INTRO_YEAR = re.compile(r"(\d{4})年")
_NOT_DATED = re.compile(r"(?:\d{1,2}月(?:\d{1,2}日)?)?(?:以来|起|至今|修订|修正|施行|实施|颁布|开始)")


def intro_years(text: str, year: int) -> list[tuple[int, str]]:
    """(year, quote) of every year the opening names that is not the report's `year`: outside titles
    (《…》〔…〕), and not a starting point (2019年以来, 自2008年5月1日起施行). A date in the next year's first
    months (2022年1月) is the publication."""
    out = []
    for para in paragraphs(text):
        if not _DIGIT.search(para):             # no year can be stated without digits (wide ones included)
            continue
        s = normalise(para)
        for m in _INTRO_YEAR.finditer(s):
            y = int(m.group(1))
            if y == year or not 1990 <= y <= 2100 or _inside_title(s, m.start()):
                continue
            if _NOT_DATED.match(s, m.end()) or (y == year + 1 and re.match(r"\d{1,2}月", s[m.end():])):
                continue
            start = max(s.rfind("。", 0, m.start()) + 1, 0)
            end = s.find("。", m.end())
            out.append((y, _quote(s[start: end if end >= 0 else len(s)], 30)))
    return out


@kind("intro_year")
def _intro_year(rule, ctx: Context):
    year = ctx.report.year
    found = intro_years(str(ctx.report.text.get("intro") or ""), year)
    if found:
        years = "、".join(str(y) for y in sorted({y for y, _ in found}))
        yield _text_finding(rule, (), "text.intro", rule["message"].format(
            where=where_name(ctx.report, "text.intro"), quote=found[0][1], found=years, year=year))


# ---- 五、存在的主要问题及改进情况: both the problems and the improvements -----------------------------------
@kind("problems_content")
def _problems_content(rule, ctx: Context):
    """A 五 that says only 无 / 暂无问题, or states no problem, or no improvement (words: the rule's lists)."""
    text = str(ctx.report.text.get("problems") or "")
    if not text.strip():
        return                                    # not written yet: the section shows 未填
    s = normalise(text)
    heading = ctx.fmt.section("problems").heading
    if re.fullmatch(rule["none_pattern"], re.sub(r"[\W_]+", "", s)):
        message = rule["message_none"]
    elif not any(w in s for w in rule["problem_words"]):
        message = rule["message_problems"]
    elif not any(w in s for w in rule["improvement_words"]):
        message = rule["message_improvements"]
    else:
        return
    yield _text_finding(rule, (), "text.problems", message.format(heading=heading, quote=_quote(s, 20)))
