"""Screening carried and imported text for injected content (defaced web pages: gambling, lottery, adult spam, links).

What is found is held back and listed (report.extra['held_back']), never copied silently into this year's report.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Terms that have no business in a government report. Kept specific: 彩票 alone appears in legit
# texts about 福利彩票 administration, so it counts only inside a spam span or next to another term.
GAMBLING = ("娱乐城", "娱乐场", "英皇娱乐", "足球网", "盘口", "博彩", "赌场", "赌博网", "百家乐", "老虎机", "时时彩",
            "六合彩", "北京赛车", "真人视讯", "体育投注", "在线投注", "投注网", "下注", "棋牌游戏", "开户送", "彩金",
            "威尼斯人", "葡京", "金沙娱乐", "太阳城", "皇冠体育", "bet365", "亚博", "开云体育", "必威", "彩票网",
            "购彩", "赔率", "球盘", "外围", "电子游艺", "澳门赌")
ADULT = ("色情", "成人视频", "成人电影", "约炮", "裸聊", "一夜情", "援交", "AV女优", "黄色网站")
TERMS = GAMBLING + ADULT
_TERM_RE = re.compile("|".join(map(re.escape, sorted(TERMS, key=len, reverse=True))), re.I)
_URL_RE = re.compile(r"(?:https?://|www\.)[^\s，。；、）)\]】<>\"']+|\b[a-z0-9][a-z0-9-]{1,62}(?:\.[a-z0-9-]{1,62})*"
                     r"\.(?:com|net|cc|vip|top|xyz|bet|win|club|app|io|me|tv|info|org|cn|hk|mo)\b[^\s，。；、）)]*",
                     re.I)
_SENTENCE_END = "。！？!?\n"


@dataclass
class Held:
    where: str
    text: str
    reason: str

    def as_dict(self) -> dict:
        return {"where": self.where, "text": self.text, "reason": self.reason}


def _allowed_domain(url: str, allowed: tuple[str, ...]) -> bool:
    u = url.lower()
    return ".gov.cn" in u or any(a and a.lower() in u for a in allowed)


def spam_names(texts: list[str]) -> list[str]:
    """Injected site names: the longest text around a spam term that is the same at every occurrence.

    A defaced page repeats the same name (seed 002: 澳门英皇娱乐_天下足球网-盘口官网) inside titles and sentences;
    the surrounding legitimate text differs, so the common context is the injected string itself."""
    corpus = "\n".join(texts)
    names: list[str] = []
    for m in _TERM_RE.finditer(corpus):
        term = m.group(0)
        occ = [i for i in _find_all(corpus, term)]
        if len(occ) < 2:
            continue
        left = 0
        while all(i - left - 1 >= 0 for i in occ) and len({corpus[i - left - 1] for i in occ}) == 1 \
                and corpus[occ[0] - left - 1] not in "\n":
            left += 1
        right = 0
        while all(i + len(term) + right < len(corpus) for i in occ) and \
                len({corpus[i + len(term) + right] for i in occ}) == 1 and corpus[occ[0] + len(term) + right] != "\n":
            right += 1
        name = corpus[occ[0] - left: occ[0] + len(term) + right].strip(" ：:，,")
        if name and name not in names and not any(name in n for n in names):
            names = [n for n in names if n not in name] + [name]
    return names


def _find_all(s: str, sub: str):
    i = s.find(sub)
    while i >= 0:
        yield i
        i = s.find(sub, i + 1)


def _sentence_around(s: str, start: int, end: int) -> tuple[int, int]:
    a = max((s.rfind(ch, 0, start) for ch in _SENTENCE_END), default=-1) + 1
    ends = [j for j in (s.find(ch, end) for ch in _SENTENCE_END) if j >= 0]
    b = min(ends) + 1 if ends else len(s)
    return a, b


def screen(text: str, where: str, names: list[str] | tuple[str, ...] = (), allowed_domains: tuple[str, ...] = ()) -> tuple[str, list[Held]]:
    """Remove injected content from one text; return the clean text and what was held back."""
    if not text:
        return text, []
    held: list[Held] = []
    for name in names:
        if name in text:
            n = text.count(name)
            text = re.sub(re.escape(name) + r"[:：]?(?=[\u4e00-\u9fff])|" + re.escape(name), "", text)
            held.append(Held(where, name, f"网页中被植入的网站名称（出现{n}次），已删除"))
    for m in reversed(list(_URL_RE.finditer(text))):
        url = m.group(0)
        if _allowed_domain(url, allowed_domains):
            continue
        a, b = _sentence_around(text, m.start(), m.end())
        held.append(Held(where, text[a:b].strip(), f"含有与本机关无关的网址「{url}」，整句暂不带入"))
        text = text[:a] + text[b:]
    for m in reversed(list(_TERM_RE.finditer(text))):
        if m.start() >= len(text):
            continue
        a, b = _sentence_around(text, m.start(), m.end())
        sentence = text[a:b]
        if not sentence.strip():
            continue
        held.append(Held(where, sentence.strip(), f"含有赌博、彩票或色情等词语「{m.group(0)}」，整句暂不带入"))
        text = text[:a] + text[b:]
    held.reverse()
    return text, held


def screen_report_texts(texts: dict[str, str], agency: str = "", allowed_domains: tuple[str, ...] = ()):
    """Screen several texts of one report together ({where: text}); returns ({where: clean}, [Held])."""
    names = spam_names(list(texts.values()) + [agency])
    out, held = {}, []
    for where, t in texts.items():
        out[where], h = screen(t, where, names, allowed_domains)
        held += h
    return out, held


def clean_name(name: str, names: list[str]) -> str:
    for n in names:
        name = name.replace(n, "")
    return name.strip()
