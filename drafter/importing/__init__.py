"""Reading a published report (pasted web text, .docx, .html) into a Report, with a list of doubts.

Every reader turns its file into a sequence of lines, each a list of cell strings: a paragraph is a line of one
cell, a table row a line of its cells (text pasted from a web page gives tab-separated rows, or one cell per line).
`import_lines` does the rest for all of them: title, year, agency, 落款, the narrative sections and the tables
(tables.place_table). Whatever cannot be placed with certainty is a doubt {cells: [...], message: 中文}, printed by
`drafter import` and kept in the file under `doubts`.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .. import dates
from ..formats import UnknownFormat, format_for_year, load_format
from ..report import Report, ReportError
from ..spam import _TERM_RE, clean_name, spam_names
from .labels import HEADING_RE, MARKER_RE, PART_RE, key, match_heading, table_labels
from .tables import Placed, add_doubt, is_value, place_rows, place_table, place_tokens  # noqa: F401 (API)

__all__ = ["ImportResult", "import_file", "import_lines", "place_rows", "place_tokens", "place_table"]

# website chrome around a copied article
CHROME_RE = re.compile(r"^(上一篇|下一篇|打印本页|关闭窗口|【\s*(打印|关闭)|分享到)|"
                       r"^(发布日期|发布时间|发布机构|文章来源|信息来源|来源|作者|点击(次数|量|数)?|浏览(次数|量)?|"
                       r"阅读(次数|量)?|访问(次数|量)?|字号|索引号|发文日期|分类)\s*[:：]")
_TERMINAL = "。！？!?；;：:…」』”\"）)"
_SIGNER_RE = re.compile(r"^[\u4e00-\u9fff（）()]{2,30}(人民政府|政府|办事处|委员会|办公室|局|厅|委|署|院|中心|所|站|队|处)$")


@dataclass
class ImportResult:
    report: Report
    doubts: list[dict] = field(default_factory=list)


# ---- entry point -------------------------------------------------------------------------------
def import_file(path, year: int | None = None) -> ImportResult:
    """Read a published report; raises ReportError (one Chinese line) when the file is not one."""
    path = Path(path)
    from .safety import MAX_FILE, check_size, sniff  # noqa: I001
    try:
        if path.is_file() and path.stat().st_size > MAX_FILE:
            check_size(path, path.stat().st_size)
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ReportError(path, "文件不存在") from None
    except IsADirectoryError:
        raise ReportError(path, "这是一个文件夹，不是报告文件") from None
    except OSError as e:
        raise ReportError(path, f"无法读取（{e.strerror}）") from None
    suffix = path.suffix.lower()
    kind = sniff(raw)       # by content: the extension may lie
    if raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or (suffix == ".doc" and kind == "binary"):
        raise ReportError(path, "这是旧版Word文件（.doc），请在Word或WPS中另存为.docx后再导入")
    elif raw[:5] == b"%PDF-" or (suffix == ".pdf" and kind == "binary"):
        raise ReportError(path, "不能直接读取PDF文件，请在网页或PDF中全选复制，粘贴到文本文件后再导入")
    elif kind == "zip" or (kind == "binary" and suffix == ".docx"):
        reader = _reader("docx", path, ".docx文件（Word）")
    elif kind == "html" or (kind == "binary" and suffix in (".html", ".htm")):
        reader = _reader("html", path, "网页文件（.html）")
    else:
        from . import text as reader
    return reader.read(path, raw, year)


def _reader(name: str, path: Path, what: str):
    import importlib
    try:
        return importlib.import_module(f"drafter.importing.{name}")
    except ModuleNotFoundError as e:
        if e.name != f"drafter.importing.{name}":
            raise
        raise ReportError(path, f"暂不能读取{what}，请复制网页上的报告全文，粘贴到文本文件后再导入") from None


# ---- the document ------------------------------------------------------------------------------
@dataclass
class Region:
    section: str | None          # section id of the format, None before the first heading
    heading: str                 # the heading's own words as printed (二、政府信息公开工作情况 → 政府信息公开工作情况)
    lines: list[list[str]] = field(default_factory=list)


def _line_text(cells: list[str]) -> str:
    return " ".join(c.strip() for c in cells if c.strip())


def _single(cells: list[str]) -> str | None:
    texts = [c.strip() for c in cells if c.strip()]
    return texts[0] if len(texts) == 1 else None


def split_regions(lines: list[list[str]], fid: str) -> list[Region]:
    fmt = load_format(fid)
    regions = [Region(None, "")]
    cur = -1
    for cells in lines:
        t = _single(cells)
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


def _paragraphs(lines: list[list[str]]) -> list[str]:
    paras = [p for p in (_line_text(c) for c in lines) if p]
    return join_broken(paras)


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


def overview_parts(paras: list[str]) -> list[dict]:
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
    out = [{"title": "", "body": "\n".join(lead)}] if lead else []
    out += [{"title": p["title"], "body": "\n".join(p["body"])} for p in parts]
    return out


def parse_date(text: str) -> dt.date | None:
    """The date a signature line states, or None."""
    try:
        return dates.parse_date(text)
    except ValueError:
        return None


def _signature(paras: list[str]) -> tuple[str | None, dt.date | None, int]:
    """(signer, date, how many trailing paragraphs they take) from the end of the last section."""
    if not paras:
        return None, None, 0
    n = 0
    date = parse_date(paras[-1])
    if date:
        n = 1
    signer = None
    if len(paras) > n:
        cand = re.sub(r"\s+", "", paras[-1 - n])
        if _SIGNER_RE.match(cand):
            signer = cand
            n += 1
    if n == 1 and not date:
        return None, None, 0
    return signer, date, n


def _township(name: str) -> bool:
    return bool(re.search(r"(镇|乡|街道)(人民政府|政府|办事处)?$", name))


def _level(name: str) -> str:
    if _township(name):
        return "township"
    if re.search(r"省人民政府$|自治区人民政府$", name):
        return "province"
    if re.search(r"(县|区|旗|县级市)人民政府$", name):
        return "county"
    if re.search(r"(市|州|盟)人民政府$", name):
        return "city"
    if re.search(r"人民政府$", name):
        return "county"
    return "department"


def _complete_name(name: str) -> str:
    if re.search(r"(镇|乡)政府$", name):
        return name[:-2] + "人民政府"
    if re.search(r"(镇|乡)$", name):
        return name + "人民政府"
    if name.endswith("街道"):
        return name + "办事处"
    return name


def _strip_spam(name: str, names: list[str]) -> str:
    name = clean_name(name, names)
    m = None
    for m in _TERM_RE.finditer(name):
        pass
    if m is not None:  # a spam term the repeat detection missed: keep what follows the last separator after it
        tail = name[m.end():]
        cut = max(tail.rfind(ch) for ch in "_-—|｜:：/ ")
        name = tail[cut + 1:] if cut >= 0 else tail
    return name.strip(" _-—|：:·")


def import_lines(lines: list[list[str]], source, year: int | None = None) -> ImportResult:
    """A published report from its lines (see module doc); `source` names the file in messages."""
    doubts: list[dict] = []
    published = None
    for c in lines:
        if _is_chrome(c):
            pm = re.search(r"(?:发布|发文)(?:日期|时间)\s*[:：]\s*(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})",
                           _line_text(c))
            if pm and published is None:
                try:
                    published = dt.date(*map(int, pm.groups()))
                except ValueError:
                    pass
    lines = [c for c in lines if not _is_chrome(c)]
    if not any(_line_text(c) for c in lines):
        raise ReportError(source, "文件中没有文字")
    all_text = [_line_text(c) for c in lines]

    # title: the first lines up to the one that names the report
    first = [i for i, c in enumerate(lines) if _line_text(c)][:3]
    title_idx = [first[0]] if first else []
    for i in first:
        if "报告" in _line_text(lines[i]):
            title_idx = [j for j in first if j <= i]
            break
    title = "".join(_line_text(lines[i]) for i in title_idx)
    title_n = re.sub(r"\s+", "", unicodedata.normalize("NFKC", title))
    body = [c for i, c in enumerate(lines) if i not in title_idx]

    # year and format
    how_year = ""
    m = re.search(r"(20\d\d)年度?(?:[^\d]{0,6})政府信息公开", title_n) or re.search(r"(20\d\d)年", title_n)
    if year is not None:
        how_year = "given"
    elif m:
        year = int(m.group(1))
        how_year = "title"
    else:
        joined = re.sub(r"\s+", "", unicodedata.normalize("NFKC", "\n".join(all_text)))
        p = re.search(r"(20\d\d)年1月1日(?:起)?至(?:\1年)?12月31日", joined)
        if p:
            year = int(p.group(1))
        else:
            years = Counter(int(y) for y in re.findall(r"(20\d\d)年(?!\d{0,2}月\d{1,2}日)", joined))
            if years:
                year = years.most_common(1)[0][0]
        if year is not None:
            how_year = "text"
            add_doubt(doubts, ["year"], f"标题中没有年度，按正文确定为{year}年度，请核对")
    if year is None:
        raise ReportError(source, "无法确定报告年度（标题和正文中都没有找到），请用 --year 指定")
    try:
        fid = format_for_year(year)
    except UnknownFormat:
        raise ReportError(source, f"没有适用于{year}年的报告格式（2019年起）") from None
    fmt = load_format(fid)

    regions = split_regions(body, fid)
    tables_seen = {r.section for r in regions if r.section in fmt.tables}
    if not tables_seen:
        raise ReportError(source, "没有找到报告的表格（二、主动公开政府信息情况 等），不像是政府信息公开工作年度报告")

    # 落款: the last paragraphs of the last region
    last = regions[-1]
    signer, signed_on, n_sig = None, None, 0
    if last.section not in fmt.tables:
        paras = [i for i, c in enumerate(last.lines) if _line_text(c)]
        texts = [_line_text(last.lines[i]) for i in paras]
        signer, signed_on, n_sig = _signature(texts)
        if n_sig:
            cut = set(paras[-n_sig:])
            last.lines = [c for i, c in enumerate(last.lines) if i not in cut]

    # agency
    spam = spam_names(all_text)
    title_name = ""
    tm = re.match(r"^(.*?)(?:20\d\d年度?)?(?:政府信息公开|政务公开|信息公开)", title_n)
    if tm:
        title_name = tm.group(1)
    elif title_n.endswith(("人民政府", "政府", "办事处")):
        title_name = title_n
    clean_title = _strip_spam(title_name, spam)
    if clean_title != title_name:
        removed = title_name.replace(clean_title, "", 1) if clean_title else title_name
        add_doubt(doubts, ["agency.name"], f"标题中含有与报告无关的文字「{removed}」，已从机关名称中删除")
    if signer:
        name = _strip_spam(signer, spam)
    else:
        name = _complete_name(clean_title)
        if name and name != clean_title:
            add_doubt(doubts, ["agency.name"], f"原文没有落款，机关名称按标题「{clean_title}」补全为「{name}」，请核对")
        elif not name:
            add_doubt(doubts, ["agency.name"], "没有找到机关名称（标题和落款中都没有），请填写")
    if not signed_on and published:
        signed_on = published
        add_doubt(doubts, ["agency.signed_on"],
                  f"原文没有落款日期，按网页的发布日期填为{published.year}年{published.month}月{published.day}日，请核对")
    elif not signed_on:
        add_doubt(doubts, ["agency.signed_on"], "原文没有落款日期，请填写")

    report = Report.new(year, name, _level(name) if name else "township", fid)
    report.signed_on = signed_on

    # narrative and tables
    intro = _paragraphs(regions[0].lines)
    overview: list[dict] = []
    texts = {"problems": [], "other": []}
    placed: dict[str, Placed] = {}
    seen_sections = set()
    for r in regions[1:]:
        sec = fmt.section(r.section)
        if r.section == "overview":
            overview += overview_parts(_paragraphs(r.lines))
        elif r.section in fmt.tables:
            res = place_table(fid, r.section, r.lines, doubts)
            if r.section in placed and placed[r.section].found and res.found:
                add_doubt(doubts, [], f"「{sec.heading}」的表格出现了两次，只按第一次读取")
            if r.section not in placed or not placed[r.section].found:
                placed[r.section] = res
            if res.narrative:
                paras = join_broken(res.narrative)
                own = HEADING_RE.match(sec.heading)
                title = r.heading if r.heading else (own.group(2) if own else sec.heading)
                overview.append({"title": title, "body": "\n".join(paras)})
        else:
            texts[r.section] += _paragraphs(r.lines)
        seen_sections.add(r.section)
    for s in fmt.sections:
        if s.id not in seen_sections:
            add_doubt(doubts, [f"text.{s.id}"] if s.id not in fmt.tables else [],
                      f"原文中没有找到「{s.heading}」" + ("，这一部分的数字未填写" if s.id in fmt.tables else ""))
    for tid, t in fmt.tables.items():
        res = placed.get(tid)
        if res is None or not res.found:
            if tid in seen_sections:
                add_doubt(doubts, [c.id for c in t.cells], f"「{t.heading}」下没有找到表格，数字未填写")
            continue
        report.figures.update(res.figures)
    if not any(v is not None for v in report.figures.values()):
        raise ReportError(source, "表格中没有读到任何数字，不像是政府信息公开工作年度报告")
    report.text = {"intro": "\n".join(intro), "overview": overview,
                   "problems": "\n".join(texts["problems"]), "other": "\n".join(texts["other"])}
    report.extra["doubts"] = doubts
    return ImportResult(report, doubts)


def _is_chrome(cells: list[str]) -> bool:
    t = _line_text(cells)
    return bool(t) and len(t) < 80 and bool(CHROME_RE.match(t)) and not is_value(t)
