"""Who published an imported report and when: its title line, the agency's name and level, the 落款."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

from .. import dates
from ..spam import _TERM_RE, clean_name

_SIGNER_RE = re.compile(r"^[\u4e00-\u9fff（）()]{2,30}(人民政府|政府|办事处|委员会|管委会|办公室|办公厅|局|厅|委|署|院|中心|"
                        r"所|站|队|处)$")
# what a report's title says: 政府信息公开工作年度报告, 政务公开工作年度报告, 信息公开年报
_TITLE_RE = re.compile(r"(政府信息公开|政务公开|信息公开)(工作)?(年度)?(报告|年报)")
_YEAR_FRONT = re.compile(r"^(?:20\d\d|二〇[一二三]\S)\s*年度?")
# a line that names an agency and nothing else (the first line of a title printed over two lines)
_NAME_LINE = re.compile(r"^[\u4e00-\u9fff（）()]{2,40}(人民政府|政府|办事处|委员会|管委会|办公室|办公厅|局|厅|委|署|院|中心|"
                        r"镇|乡|街道|区|县|市)(20\d\d年度?)?$")
_AREA = r"(综合实验区|经济技术开发区|高新技术产业开发区|开发区|高新区|新区|示范区|试验区|合作区|园区)"


def title_lines(texts: list[str]) -> list[int]:
    """Indices (into `texts`, the first lines of a document) of the report's title: the line that reads as a
    report title (…政府信息公开工作年度报告), with the line before it when that line is the agency's name alone
    (王岗镇人民政府 / 2020年度政府信息公开工作年度报告); else the first lines up to one that names a 报告."""
    norm = [re.sub(r"\s+", "", unicodedata.normalize("NFKC", t)) for t in texts]

    def title_like(i: int) -> bool:
        return len(norm[i]) <= 40 and not re.search(r"[。；;]", norm[i])

    for k in range(len(norm)):                  # the first line that ends a title, over at most three lines
        for j in range(k, max(k - 3, -1), -1):
            if not title_like(j):
                break
            joined = "".join(norm[j:k + 1])
            found = _TITLE_RE.search(joined)
            if found:
                head = re.sub(r"(20\d\d)年度?", "", joined[:found.start()])
                if j > 0 and not head and title_like(j - 1) and _NAME_LINE.match(norm[j - 1]):
                    return list(range(j - 1, k + 1))
                return list(range(j, k + 1))
    first = list(range(min(3, len(texts))))
    for i in first:
        if "报告" in texts[i]:
            return first[:i + 1]
    return first[:1]


def title_name(title: str) -> str:
    """The agency as a title names it: 2019年上海市人民政府办公厅政府信息公开工作年度报告 → 上海市人民政府办公厅."""
    m = re.match(r"^(.*?)(?:20\d\d年度?)?(?:政府信息公开|政务公开|信息公开)", title)
    name = m.group(1) if m else (title if title.endswith(("人民政府", "政府", "办事处")) else "")
    return _YEAR_FRONT.sub("", name).strip()


def report_year(title: str) -> int | None:
    """The year a title reports on, or None."""
    m = re.search(r"(20\d\d)年度?(?:[^\d]{0,20})(?:政府信息公开|政务公开|信息公开)", title) or \
        re.search(r"(20\d\d)年", title)
    return int(m.group(1)) if m else None


def parse_date(text: str) -> dt.date | None:
    """The date a signature line states, or None."""
    try:
        return dates.parse_date(text)
    except ValueError:
        return None


def signature(paras: list[str]) -> tuple[str | None, dt.date | None, int]:
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


def township(name: str) -> bool:
    return bool(re.search(r"(镇|乡|街道)(人民政府|政府|办事处)?$", name))


def level(name: str) -> str:
    """The level an agency's name says: 镇/乡/街道办事处 township; a 县/区 government or a zone (开发区, 新区)
    county; a 市/州 government or a 综合实验区 city; a province's government province; a 局/委/办/中心 department."""
    if township(name):
        return "township"
    if re.search(r"(局|委员会|委|办公室|办公厅|办|中心|厅|署|院|所|站|队|处|公司)$", name) and \
            not re.search(r"管(理)?委(员)?会$", name):
        return "department"
    return next((lv for rx, lv in _GOVERNMENTS if rx.search(name)), "department")


# a government's level by how its name ends, the first that matches
_GOVERNMENTS = tuple((re.compile(rx), lv) for rx, lv in (
    (r"(省|自治区)人民政府$", "province"),
    (r"综合实验区(管委会|管理委员会|人民政府)?$", "city"),
    (rf"{_AREA}(管委会|管理委员会|人民政府|工作委员会)?$", "county"),
    (r"(县|区|旗|县级市)人民政府$", "county"),
    (r"(市|州|盟)人民政府$", "city"),
    (r"人民政府$", "county"),
))


def complete_name(name: str) -> str:
    """A township's short name as its 落款 would give it: 姚集镇 → 姚集镇人民政府, 某街道 → 某街道办事处."""
    if re.search(r"(镇|乡)政府$", name):
        return name[:-2] + "人民政府"
    if re.search(r"(镇|乡)$", name):
        return name + "人民政府"
    if name.endswith("街道"):
        return name + "办事处"
    return name


def strip_spam(name: str, names: list[str]) -> str:
    """An agency's name without injected site names (澳门…官网南黄镇 → 南黄镇)."""
    name = clean_name(name, names)
    terms = list(_TERM_RE.finditer(name))
    if terms:
        m = terms[-1]  # a spam term the repeat detection missed: keep what follows the last separator after it
        tail = name[m.end():]
        cut = max(tail.rfind(ch) for ch in "_-—|｜:：/ ")
        name = tail[cut + 1:] if cut >= 0 else tail
    return name.strip(" _-—|：:·")
