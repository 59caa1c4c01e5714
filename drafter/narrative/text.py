"""Text utilities of the narrative: normalised text, where each text lives, topics of 一's sub-parts, similarity."""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from ..chinese import cn_int
from ..report import Report

_WIDE = {c: c - 0xFEE0 for c in list(range(0xFF10, 0xFF1A)) + list(range(0xFF21, 0xFF3B)) + list(range(0xFF41, 0xFF5B))}
_SPACE = re.compile(r"[\s\u3000\u00a0]+")
_HAS_WIDE = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


def normalise(text: str) -> str:
    """Full-width digits and letters to ASCII, spaces removed (2020 年 → 2020年); the punctuation stays as the
    clerk wrote it, so quotes in messages are the clerk's words."""
    text = str(text)
    if _HAS_WIDE.search(text):          # str.translate costs some 3 µs a call even when nothing is wide
        text = text.translate(_WIDE)
    if " " not in text and text.isprintable():
        return text                     # no space of any kind: every other one (\n, U+3000 …) is not printable
    return _SPACE.sub("", text)

# ---- texts and where they live ------------------------------------------------------------------


def text_items(report: Report) -> list[tuple[str, str]]:
    """(text key, text) of every narrative text, in document order: the opening, 一's lead paragraphs (before
    （一）), its sub-parts by their body, 五 and 六."""
    t = report.text or {}
    out = [("text.intro", str(t.get("intro") or "")), ("text.overview_lead", str(t.get("overview_lead") or ""))]
    for i, part in enumerate(report.overview()):
        out.append((f"text.overview.{i}", str(part.get("body") or "")))
    out += [("text.problems", str(t.get("problems") or "")), ("text.other", str(t.get("other") or ""))]
    return out


def section_of(text_key: str) -> str:
    """Section id of the format that holds a text key (the opening belongs to 一、总体情况)."""
    part = text_key.split(".")[1]
    return {"intro": "overview", "overview_lead": "overview"}.get(part, part)


def where_name(report: Report, text_key: str) -> str:
    """The passage named for the clerk: 一、总体情况（依申请公开）, 五、存在的主要问题及改进情况 …"""
    parts = text_key.split(".")
    if parts[1] == "intro":
        return "报告开头"
    heading = report.fmt.section(section_of(text_key)).heading
    if parts[1] == "overview" and len(parts) > 2:
        i = int(parts[2])
        ov = report.overview()
        title = str(ov[i].get("title") or "").strip() if i < len(ov) else ""
        return f"{heading}（{title}）" if title else f"{heading}第{i + 1}部分"
    if parts[1] == "overview_lead":
        return f"{heading}（开头一段）"
    return heading


def paragraphs(text: str) -> list[str]:
    return str(text or "").split("\n")


def _quote(s: str, limit: int = 40) -> str:
    return s if len(s) <= limit else s[: limit - 1] + "…"


_ENUMERATOR = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十\d]+[、.．]|[一二三四五六七八九十]是)\s*")


def _strip_enumerator(s: str) -> str:
    return _ENUMERATOR.sub("", normalise(s), count=1)


def _subsequence_within(needle: str, hay: str, slack: int = 4) -> bool:
    """`needle`'s characters in order inside `hay`, spread over at most len(needle)+slack characters."""
    for start in (i for i, ch in enumerate(hay) if ch == needle[0]):
        pos, ok = start, True
        for ch in needle[1:]:
            pos = hay.find(ch, pos + 1)
            if pos < 0 or pos - start >= len(needle) + slack:
                ok = False
                break
        if ok:
            return True
    return False


def topic_matches(topic: str, title_or_head: str) -> bool:
    """Whether a sub-part title (or a paragraph's opening) names `topic`: 平台建设方面 ~ 政府信息公开平台建设,
    监督考核保障 ~ 监督保障, （二）依申请公开 ~ 依申请公开."""
    return topic_in_stripped(topic, _strip_enumerator(title_or_head))


def topic_in_stripped(topic: str, whole: str) -> bool:
    """topic_matches of a text already through _strip_enumerator (a report's titles are stripped once, not once
    per topic: this runs for every file of a province's batch)."""
    head = whole[: len(topic) + 12]
    if len(whole) <= _HEADING_MAX and topic in whole:   # （三）完善公开制度规范，加强政府信息管理
        return True
    return bool(head) and _subsequence_within(topic[-4:], head)


_HEADING_MAX = 40
_ENUMERATED = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十\d]+[、.．]|[一二三四五六七八九十]是)")


def heading_of(paragraph: str) -> str | None:
    """The sub-heading a paragraph opens with — an enumerator, then words up to the first 。：; or the line's end,
    at most 40 characters — or None."""
    s = normalise(paragraph)
    if not _ENUMERATED.match(s):
        return None
    head = re.split(r"[。：:！？；;]", s, maxsplit=1)[0]
    return head if len(head) <= _HEADING_MAX else None


def topic_part(report: Report, topic: str) -> int | None:
    """Index of the overview sub-part titled with `topic`, if any."""
    for i, part in enumerate(report.overview()):
        if topic_matches(topic, str(part.get("title") or "")):
            return i
    return None


_FEE_RE = re.compile(r"信息处理费|(?:政府信息公开|依申请公开)[^。；]{0,8}(?:收费|费用)")


# 内容雷同: character 3-gram overlap on normalised text (linear time: runs at every keystroke)
_NOISE = re.compile(r"[\W_]+")


def _shingles(text: str) -> Counter:
    s = _NOISE.sub("", re.sub(r"\d+", "0", normalise(text)))
    return Counter(s[i:i + 3] for i in range(max(len(s) - 2, 0)))


@lru_cache(maxsize=1024)
def _shingles_cached(text: str) -> Counter:
    return _shingles(text)


@lru_cache(maxsize=4096)
def similarity(a: str, b: str) -> float:
    """Share of the longer text's 3-grams found in the other, digits folded (2020年 = 2021年)."""
    sa, sb = _shingles_cached(a), _shingles_cached(b)
    n = max(sum(sa.values()), sum(sb.values()))
    if not n:
        return 0.0
    return sum((sa & sb).values()) / n


def _body_len(text: str) -> int:
    return len(_NOISE.sub("", normalise(text)))



# ---- the intro: the format notice it cites and the parts it counts --------------------------------
_NOTICE_REF = re.compile(r"[〔\[［【（(]\s*(\d{4})\s*[〕\]］】）)]\s*(\d+)\s*号")
_PART_COUNT = re.compile(r"(?<![第\d一二三四五六七八九十])([一二三四五六七八九十]|\d{1,2})\s*个\s*部分")


def notice_key(notice: str) -> tuple[int, int] | None:
    """(year, number) of a notice reference: 国办公开办函〔2021〕30号 → (2021, 30)."""
    m = _NOTICE_REF.search(notice)
    return (int(m.group(1)), int(m.group(2))) if m else None


def notice_refs(text: str) -> list[tuple[tuple[int, int], re.Match]]:
    """Every notice reference in `text` (brackets 〔〕 [] （） and spaces as published): ((year, number), match)."""
    return [((int(m.group(1)), int(m.group(2))), m) for m in _NOTICE_REF.finditer(text)]


def part_counts(text: str) -> list[tuple[int, re.Match]]:
    """Every 「N个部分」 of `text` (五个部分, 6个部分): (N, match); the number is group 1."""
    out = []
    for m in _PART_COUNT.finditer(text):
        g = m.group(1)
        n = int(g) if g.isdigit() else cn_int(g)
        if n is not None:
            out.append((n, m))
    return out
