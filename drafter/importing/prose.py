"""The narrative of an imported report: lines to paragraphs, website chrome, 一's lead paragraph and its parts."""
from __future__ import annotations

import re

from .labels import MARKER_RE, PART_RE, key
from .tables import is_value

# website chrome around a copied article
CHROME_RE = re.compile(r"^(上一篇|下一篇|打印本页|关闭窗口|【\s*(打印|关闭)|分享到)|"
                       r"^(发布日期|发布时间|发布机构|文章来源|信息来源|来源|作者|点击(次数|量|数)?|浏览(次数|量)?|"
                       r"阅读(次数|量)?|访问(次数|量)?|字号|索引号|发文日期|分类)\s*[:：]")
_TERMINAL = "。！？!?；;：:…」』”\"）)"


def line_text(cells: list[str]) -> str:
    """A line's cells as one string (blank cells left out)."""
    return " ".join(c.strip() for c in cells if c.strip())


def single(cells: list[str]) -> str | None:
    """The text of a line that holds exactly one non-blank cell, else None."""
    texts = [c.strip() for c in cells if c.strip()]
    return texts[0] if len(texts) == 1 else None


def is_chrome(cells: list[str]) -> bool:
    """A line of the website around the article (发布日期：…, 上一篇, 打印本页)."""
    t = line_text(cells)
    return bool(t) and len(t) < 80 and bool(CHROME_RE.match(t)) and not is_value(t)


def paragraphs(lines: list[list[str]]) -> list[str]:
    """The paragraphs of a region's lines, lines broken inside a sentence glued back."""
    return join_broken([p for p in (line_text(c) for c in lines) if p])


def _short_heading(p: str) -> bool:
    return bool(MARKER_RE.match(p)) and len(key(p)) <= 25 and not re.search(r"[，,。；;《、]", p)


def join_broken(paras: list[str]) -> list[str]:
    """Glue lines broken inside a sentence (text copied from a PDF) back into paragraphs."""
    out: list[str] = []
    for p in paras:
        p = p.strip()
        if out and out[-1][-1] not in _TERMINAL and not MARKER_RE.match(p) and not _short_heading(out[-1]):
            prev = out[-1]
            sep = " " if re.match(r"[A-Za-z0-9]", p[:1]) and re.search(r"[A-Za-z0-9]$", prev) else ""
            out[-1] = prev + sep + p
        else:
            out.append(p)
    return out


def split_title(text: str) -> tuple[str, str]:
    """（一）切实加强组织领导。body… → ('切实加强组织领导', 'body…'); the marker is already removed."""
    s = text.strip()
    if len(key(s)) <= 30 and not re.search(r"[。；;，,]", s.rstrip("。:：")):
        return s.rstrip("。:： "), ""
    parts = re.split(r"\s+", s, maxsplit=1)
    if len(parts) == 2:
        head = parts[0]
        if 2 <= len(head) <= 20 and not re.search(r"[\d。，,；;：:]", head) and "。" not in head:
            first_stop = s.find("。")
            if first_stop < 0 or first_stop > len(head):
                return head, parts[1].strip()
    i = s.find("。")
    if 0 < i <= 30:
        return s[:i].rstrip("：:"), s[i + 1:].strip()
    return "", s


def overview_parts(paras: list[str]) -> tuple[str, list[dict]]:
    """一、总体情况's paragraphs as (lead, parts): the lead is what comes before its first （一）; each part is
    {title, body}. A section without （一） has no lead: its paragraphs are one untitled part."""
    parts: list[dict] = []
    lead: list[str] = []
    for p in paras:
        m = PART_RE.match(p)
        if m:
            title, body = split_title(p[m.end():])
            parts.append({"title": title, "body": [body] if body else []})
        elif parts:
            parts[-1]["body"].append(p)
        else:
            lead.append(p)
    if not parts:
        return "", [{"title": "", "body": "\n".join(lead)}] if lead else []
    return "\n".join(lead), [{"title": p["title"], "body": "\n".join(p["body"])} for p in parts]
