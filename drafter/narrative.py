"""The narrative: sentences drafted from the figures, and the checks a county reviewer makes on the text.

Drafts (`drafts`, `insert_draft`, `refresh_drafts`) state the figures in the register of published reports; every
table label in them comes from drafter.formats. The reader of figures in free text (`statements`) recognises the
wordings of real reports (共收到…申请N件, 上年结转N件, 办结N件, 行政复议N件, 未收到…, Chinese numerals) and serves
both the checks and the drafts: a drafted sentence is read back by the same reader that checks the clerk's text.

Rule kinds registered here (declared at the end of validators/<format>.yaml): narrative_figures,
narrative_applicant, overview_topics, fee_statement, same_as_previous, stray_year. Every finding names the text key
of the passage concerned ('text.intro', 'text.overview.<i>', 'text.problems', 'text.other'), after its cell ids.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from .checks import Context, Finding, kind
from .formats import Cell, load_format
from .numbers import format_number

_WIDE = {c: c - 0xFEE0 for c in list(range(0xFF10, 0xFF1A)) + list(range(0xFF21, 0xFF3B)) + list(range(0xFF41, 0xFF5B))}
_SPACE = re.compile(r"[\s\u3000\u00a0]+")


def normalise(text: str) -> str:
    """Full-width digits and letters to ASCII, spaces removed (2020 年 → 2020年); the punctuation stays as the
    clerk wrote it, so quotes in messages are the clerk's words."""
    return _SPACE.sub("", str(text).translate(_WIDE))

# ---- texts and where they live ------------------------------------------------------------------


def text_items(report) -> list[tuple[str, str]]:
    """(text key, text) of every narrative text, in document order; overview parts by their body."""
    t = report.text or {}
    out = [("text.intro", str(t.get("intro") or ""))]
    for i, part in enumerate(report.overview()):
        out.append((f"text.overview.{i}", str(part.get("body") or "")))
    out += [("text.problems", str(t.get("problems") or "")), ("text.other", str(t.get("other") or ""))]
    return out


def section_of(text_key: str) -> str:
    """Section id of the format that holds a text key (the opening belongs to 一、总体情况)."""
    part = text_key.split(".")[1]
    return {"intro": "overview"}.get(part, part)


def where_name(report, text_key: str) -> str:
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
    return heading


def paragraphs(text: str) -> list[str]:
    return str(text or "").split("\n")


# ---- numbers in text ----------------------------------------------------------------------------
_CN = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
       "九": 9}


def cn_int(s: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零五 → 105, 两 → 2; None when `s` is not a small Chinese numeral."""
    if not s:
        return None
    if all(ch in _CN for ch in s):
        if len(s) == 1:
            return _CN[s]
        return int("".join(str(_CN[ch]) for ch in s))  # 二〇二一-style digit strings
    total, cur = 0, None
    for ch in s:
        if ch in _CN:
            cur = _CN[ch]
        elif ch == "十":
            total += (1 if cur is None else cur) * 10
            cur = None
        elif ch == "百":
            total += (1 if cur is None else cur) * 100
            cur = None
        else:
            return None
    return total + (cur or 0)


# ---- the reader: statements of figures in free text ---------------------------------------------
@dataclass(frozen=True)
class Statement:
    """A figure the text states. `kind` is a quantity name (received, handled, carried_over, results,
    carried_forward, review, litigation) or a cell id (requests.new.<col>, active.<row>.<col>,
    appeals.<group>.total); `alt` holds other acceptable readings (parts listed without a total)."""
    kind: str
    value: int
    quote: str
    alt: tuple[int, ...] = ()


@dataclass(frozen=True)
class Claim:
    """`申请人为个人`: every applicant is of the columns named."""
    cols: tuple[str, ...]
    quote: str


# kinds of the 依申请公开 sub-part; a clause naming 复议/诉讼 is never about them
REQUEST_KINDS = ("received", "handled", "carried_over", "results", "carried_forward")
_SENTENCE_GATED = ("received", "handled", "results")     # stated in a sentence that names 申请
APPEAL_KINDS = ("review", "litigation", "appeals.litigation_direct.total", "appeals.litigation_after_review.total")
_DISCLOSURE = re.compile(r"信息公开|政府信息|公开申请")

_UNITS = "件|宗|起|例|个(?![工月小星方人])|项|条|份"
_CN_UNITS = "件|宗|起|例"
_NEG = r"未|没有|没|尚无|并无|均无|无(?!法|正当|偿|效)|零"
_SENTENCE_SPLIT = re.compile(r"[。！？；;!?]")
_CLAUSE_SPLIT = re.compile(r"[，,：:]")
_CLAIM_RE = re.compile(r"申请人(?:均|全部|都|全|皆)?(?:为|是)([^，。；,;（(、]{1,15})")
_QIZHONG = "其中"

# synonyms of the applicant columns (the column labels themselves come from the format)
_APPLICANT_SYNONYMS = {"natural": ("个人(?!信息|隐私)", "公民"), "commercial": ("企业", "公司")}
_CLAIM_SYNONYMS = {"natural": ("个人", "公民", "村民", "居民", "农民", "群众"), "commercial": ("企业", "公司"),
                   "legal_service": ("律师",)}
# verbs that also state a 第二十条第（一）项 column (the column's own verb is derived from its label)
_VERB_SYNONYMS = {"issued": ("印发", "出台", "制定", "发布"), "made": ("制作", "制定", "印发", "出台", "制发"),
                  "decisions": ("决定",)}


def verb_of(label: str) -> str:
    """The verb of a column label: 本年制发件数 → 制发, 现行有效件数 → 现行有效, 对外公开总数量 → 对外公开总数,
    本年处理决定数量 → 处理决定."""
    s = label[2:] if label.startswith("本年") else label
    for suffix in ("件数", "数量"):
        if s.endswith(suffix):
            s = s[: -len(suffix)]
            break
    return s + "数" if s.endswith("总") else s


def _noun_re(label: str) -> str:
    """A row label as the text names it: 行政规范性文件 or 规范性文件 either way; 规章 but not 规章制度."""
    if label.endswith("文件"):
        return "(?:行政)?" + re.escape(label[2:] if label.startswith("行政") else label)
    return re.escape(label) + ("(?!制度)" if label.endswith("章") else "")


@dataclass(frozen=True)
class _Lexicon:
    regex: re.Pattern
    groups: dict          # group name -> (token type, payload)


@lru_cache(maxsize=None)
def _lexicon(fid: str) -> _Lexicon:
    """One regex for every token of a clause of format `fid`: keywords, nouns, verbs, numbers, negations."""
    fmt = load_format(fid)
    alts: list[tuple[str, str, str, object]] = []   # (pattern, group, type, payload)

    def add(pattern, type_, payload):
        g = f"g{len(alts)}"
        alts.append((pattern, g, type_, payload))

    appeals = fmt.tables["appeals"]
    review = appeals.cell("review", "total").col_path[0]
    lit_direct = appeals.cell("litigation_direct", "total").col_path
    lit_after = appeals.cell("litigation_after_review", "total").col_path
    add(re.escape(lit_direct[1].name), "kw", "appeals.litigation_direct.total")
    add(re.escape(lit_after[1].name), "kw", "appeals.litigation_after_review.total")
    add(re.escape(review.name) + "(?!后)", "kw", "review")
    add(re.escape(lit_direct[0].label), "kw", "litigation")
    # the 依申请公开 quantities (wordings of published reports)
    add(r"(?:结转|转入)(?:至|到)?下一?年度?|结转(?:至|到)\d{4}年|尚未办结|未办结|正在办理", "kw", "carried_forward")
    add(r"上一?年度?(?:结转|遗留)|去年结转", "kw", "carried_over")
    add(r"(?:共|累计|全年|合计)(?:办理|处理)", "kw", "handled")
    add(r"办结|办理完毕|处理完毕|已答复|作出答复", "kw", "results")
    add(r"收到|新收|接收|受理|接到", "kw", "received")
    # applicant columns of table `requests` (longest names first)
    req = fmt.tables["requests"]
    names = []
    for col in req.col_ids:
        if col == "total":
            continue
        node = req.cell("new", col).col_path[-1]
        names.append((node.name, col))      # 其他组织, not the bare label 其他
        for syn in _APPLICANT_SYNONYMS.get(col, ()):
            names.append((syn, col))
    for n, col in sorted(names, key=lambda x: -len(x[0])):
        pat = n if "(" in n else re.escape(n)
        add(pat, "kw", f"requests.new.{col}")
    # rows and column verbs of table `active` (the counts of 第二十条第（一）（五）（六）项)
    active = fmt.tables["active"]
    verbs: dict[str, set] = {}
    for cell in active.cells:
        if cell.kind != "count" or cell.col in ("prev_items", "projects"):
            continue
        if cell.row in ("fees", "procurement"):
            continue
        add(_noun_re(cell.row_label), "noun", cell.row)
        verbs.setdefault(cell.col, set()).add(verb_of(cell.col_label))
        verbs[cell.col].update(_VERB_SYNONYMS.get(cell.col, ()))
    for col, vs in verbs.items():
        for v in sorted(vs, key=len, reverse=True):
            add(re.escape(v), "verb", col)
    add(rf"(\d+)({_UNITS})", "num", None)
    add(rf"([零〇一二两三四五六七八九十百]+)({_CN_UNITS})", "cnnum", None)
    add(_NEG, "neg", None)

    # de-duplicate identical patterns (the same noun appears once per column)
    seen, uniq = set(), []
    for a in alts:
        if a[0] in seen:
            continue
        seen.add(a[0])
        uniq.append(a)
    # keywords before nouns before verbs, longest first within a type, numbers and negations last
    order = {"kw": 0, "noun": 1, "verb": 2, "num": 3, "cnnum": 3, "neg": 4}
    uniq.sort(key=lambda a: (order[a[2]], -len(a[0])))
    regex = re.compile("|".join(f"(?P<{g}>{p})" for p, g, _, _ in uniq))
    return _Lexicon(regex, {g: (t, payload) for _, g, t, payload in uniq})


def _quote(s: str, limit: int = 40) -> str:
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _clause_tokens(lex: _Lexicon, clause: str):
    for m in lex.regex.finditer(clause):
        t, payload = lex.groups[m.lastgroup]
        if t == "num":
            yield "num", int(re.match(r"\d+", m.group()).group()), m
        elif t == "cnnum":
            v = cn_int(re.match(r"[零〇一二两三四五六七八九十百]+", m.group()).group())
            if v is not None:
                yield "num", v, m
        else:
            yield t, payload, m


def _read_clause(lex: _Lexicon, fmt_cells: frozenset, clause: str, after_qizhong: bool, noun: str | None = None):
    """Statements of one clause: each number goes to the keywords seen since the last number; keywords left
    without a number after a negation (未收到…, 无上年结转…) state 0. `noun` is the row of table `active` the
    sentence speaks of so far (制发行政规范性文件3件，废止1件); returns (statements, any keyword, noun)."""
    out: list[tuple[str, int]] = []
    pending: list[tuple[object, bool]] = []      # (kind | ('verb', col), negated)
    neg = False
    has_kw = False
    appeals_clause = "复议" in clause or "诉讼" in clause or "起诉" in clause
    for t, payload, m in _clause_tokens(lex, clause):
        if t == "noun":
            noun = payload
            pending = [((f"active.{noun}.{k[1]}", n) if isinstance(k, tuple) else (k, n)) for k, n in pending]
        elif t in ("kw", "verb"):
            if t == "kw" and payload in REQUEST_KINDS and (appeals_clause or after_qizhong):
                continue
            k = ("verb", payload) if noun is None and t == "verb" else (
                f"active.{noun}.{payload}" if t == "verb" else payload)
            pending.append((k, neg))
            has_kw = True
        elif t == "num":
            out += [(k, payload) for k, _ in pending if isinstance(k, str)]
            pending = []
        elif t == "neg":
            neg = True
    out += [(k, 0) for k, negated in pending if isinstance(k, str) and negated]
    out = [(k, v) for k, v in out if not k.startswith("active.") or k in fmt_cells]
    return out, has_kw, noun


@lru_cache(maxsize=4096)
def statements(text: str, fid: str) -> tuple[tuple[Statement, ...], tuple[Claim, ...]]:
    """Every figure stated in `text` (one text field), and every claim about the applicants."""
    lex = _lexicon(fid)
    cells = frozenset(load_format(fid).cells)
    found: list[Statement] = []
    claims: list[Claim] = []
    for para in paragraphs(text):
        para = normalise(para)
        about_requests = "申请" in para
        found_para: list[tuple[Statement, bool]] = []
        appeals_seen = False
        for sentence in _SENTENCE_SPLIT.split(para):
            if not sentence:
                continue
            for m in _CLAIM_RE.finditer(sentence):
                cols = _claim_cols(fid, m.group(1))
                if cols:
                    claims.append(Claim(cols, _quote(m.group(0))))
            after = False
            noun = None
            asks = "申请" in sentence
            on_disclosure = appeals_seen or bool(_DISCLOSURE.search(sentence))
            received: list[Statement] = []
            parts: list[int] = []
            sent: list[Statement] = []
            for clause in _CLAUSE_SPLIT.split(sentence):
                if _QIZHONG in clause:
                    head = clause[: clause.index(_QIZHONG)]
                    got, kw, noun = _read_clause(lex, cells, head, after, noun) if head else ([], False, noun)
                    got2, kw2, noun = _read_clause(lex, cells, clause[len(head):], True, noun)
                    got, kw = got + got2, kw or kw2
                    after = True
                else:
                    got, kw, noun = _read_clause(lex, cells, clause, after, noun)
                if (received and not kw and not after and "申请" in clause
                        and (nums := [v for t, v, _ in _clause_tokens(lex, clause) if t == "num"])):
                    parts.append(nums[0])     # 接收邮寄申请3个，区转办申请7个: parts of one total
                    continue
                for k, v in got:
                    if k in REQUEST_KINDS and not about_requests:
                        continue
                    if k in _SENTENCE_GATED and not asks:
                        continue      # 受理办件12000件 of a service centre is not a 政府信息公开申请
                    if k in APPEAL_KINDS and not on_disclosure:
                        continue      # 行政复议案件 in general, not those on 政府信息公开
                    st = Statement(k, v, _quote(clause))
                    (received if k == "received" else sent).append(st)
            if parts and received:
                first = received[0]
                received[0] = Statement("received", first.value + sum(parts), first.quote + "……",
                                        (first.value,))
            got_sentence = received + sent
            if any(st.kind in APPEAL_KINDS for st in got_sentence):
                appeals_seen = True
            found_para += [(st, asks) for st in got_sentence]
        # carried over / forward outside a sentence on 申请, and applicant counts, only where the paragraph states
        # the applications received or handled
        anchored = any(st.kind in ("received", "handled", "results") for st, _ in found_para)
        found += [st for st, asks in found_para
                  if anchored or not (st.kind.startswith("requests.new.")
                                      or (st.kind in ("carried_over", "carried_forward") and not asks))]
    return tuple(found), tuple(claims)


def _claim_cols(fid: str, noun: str) -> tuple[str, ...]:
    req = load_format(fid).tables["requests"]
    cols = []
    for col in req.col_ids:
        if col == "total":
            continue
        node = req.cell("new", col).col_path[-1]
        words = {node.label, node.name} | set(_CLAIM_SYNONYMS.get(col, ()))
        if any(len(w) >= 2 and w in noun for w in words):
            cols.append(col)
    return tuple(cols)


# ---- what the table says ------------------------------------------------------------------------
@lru_cache(maxsize=None)
def _quantities(fid: str) -> dict[str, tuple[str, ...]]:
    """Quantity name -> the cells whose sum it states."""
    req = load_format(fid).tables["requests"]
    lit = ("appeals.litigation_direct.total", "appeals.litigation_after_review.total")
    return {
        "received": (req.cell("new", "total").id,),
        "handled": (req.cell("new", "total").id, req.cell("carried_over", "total").id),
        "carried_over": (req.cell("carried_over", "total").id,),
        "results": (req.cell("total", "total").id,),
        "carried_forward": (req.cell("carried_forward", "total").id,),
        "review": ("appeals.review.total",),
        "litigation": lit,
    }


def cells_of(fid: str, kind_: str) -> tuple[str, ...]:
    q = _quantities(fid)
    if kind_ in q:
        return q[kind_]
    return (kind_,) if kind_ in load_format(fid).cells else ()


def cell_label(cell: Cell) -> str:
    """A cell named for a one-line message, from the format's labels."""
    if cell.table == "requests":
        row = "".join(n.label for n in cell.row_path if n.label)
        return row if cell.col == "total" else f"{row}／{cell.col_path[-1].name}"
    if cell.table == "appeals":
        return f"{cell.col_path[-2].name}／{cell.col_label}"
    return f"{cell.row_label}／{cell.col_label}"


@lru_cache(maxsize=None)
def _parts(fid: str) -> dict[str, tuple[str, ...]]:
    from .checks import _sum_plan  # the totals drafter computes, and their parts
    return dict(_sum_plan(fid))


def _complete(fid: str, figures: dict, cid: str) -> bool:
    """A figure the clerk has given: a total only when every part behind it is filled (a total of blank parts
    is computed as if they were 0)."""
    parts = _parts(fid).get(cid)
    if parts:
        return all(_complete(fid, figures, p) for p in parts)
    v = figures.get(cid)
    return isinstance(v, int) and not isinstance(v, bool)


def _table_value(fid: str, figures: dict, ids) -> int | None:
    if not ids or not all(_complete(fid, figures, i) for i in ids):
        return None
    vals = [figures.get(i) for i in ids]
    if any(not isinstance(v, int) or isinstance(v, bool) for v in vals):
        return None
    return sum(vals)


# ---- rule kinds ---------------------------------------------------------------------------------
def _text_finding(rule: dict, cells, text_key: str, message: str) -> Finding:
    return Finding(rule.get("severity", "warning"), rule["id"], tuple(cells) + (text_key,), message,
                   section_of(text_key))


def _has_text(report) -> bool:
    return any(t.strip() for _, t in text_items(report))


@kind("narrative_figures")
def _narrative_figures(rule, ctx: Context):
    fmt = ctx.fmt
    seen = set()
    for key, text in text_items(ctx.report):
        if not text.strip():
            continue
        for st in statements(text, fmt.id)[0]:
            ids = cells_of(fmt.id, st.kind)
            table = _table_value(fmt.id, ctx.figures, ids)
            if table is None or table == st.value or table in st.alt or (ids, key) in seen:
                continue
            seen.add((ids, key))
            yield _text_finding(rule, ids, key, rule["message"].format(
                where=where_name(ctx.report, key), quote=st.quote, stated=st.value, table=table,
                label="＋".join(cell_label(fmt.cells[i]) for i in ids)))


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
    for key, text in text_items(ctx.report):
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


def _strip_enumerator(s: str) -> str:
    return re.sub(r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十\d]+[、.．]|[一二三四五六七八九十]是)\s*",
                  "", normalise(s))


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
    head = _strip_enumerator(title_or_head)[: len(topic) + 12]
    return bool(head) and _subsequence_within(topic[-4:], head)


def topic_part(report, topic: str) -> int | None:
    """Index of the overview sub-part titled with `topic`, if any."""
    for i, part in enumerate(report.overview()):
        if topic_matches(topic, str(part.get("title") or "")):
            return i
    return None


def _topic_covered(report, topic: str) -> bool:
    for part in report.overview():
        if topic_matches(topic, str(part.get("title") or "")) and str(part.get("body") or "").strip():
            return True
        if any(topic_matches(topic, p[: len(topic) + 8]) for p in paragraphs(part.get("body"))):
            return True
    return False


@kind("overview_topics")
def _overview_topics(rule, ctx: Context):
    section = ctx.fmt.section("overview")
    if not section.topics or not _has_text(ctx.report):
        return
    missing = [t for t in section.topics if not _topic_covered(ctx.report, t)]
    if not missing:
        return
    cells = []
    for t in missing:
        i = topic_part(ctx.report, t)
        cells.append(f"text.overview.{i}" if i is not None else "text.overview")
    cells = list(dict.fromkeys(cells))
    yield Finding(rule.get("severity", "warning"), rule["id"], tuple(cells), rule["message"].format(
        heading=section.heading, missing="、".join(missing), topics="、".join(section.topics)), "overview")


_FEE_RE = re.compile(r"信息处理费|(?:政府信息公开|依申请公开)[^。；]{0,8}(?:收费|费用)")


@kind("fee_statement")
def _fee_statement(rule, ctx: Context):
    if not _has_text(ctx.report):
        return
    if _FEE_RE.search(normalise(ctx.report.text.get("other") or "")):
        return
    yield Finding(rule.get("severity", "warning"), rule["id"], ("text.other",),
                  rule["message"].format(heading=ctx.fmt.section("other").heading), "other")


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


@kind("same_as_previous")
def _same_as_previous(rule, ctx: Context):
    prev = ctx.previous
    if prev is None:
        return
    threshold = float(rule.get("threshold", 0.9))
    min_chars = int(rule.get("min_chars", 40))
    prev_items = dict(text_items(prev))
    prev_parts = [t for k, t in prev_items.items() if k.startswith("text.overview.") and t.strip()]
    for key, text in text_items(ctx.report):
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
        s = normalise(para)
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
    for key, text in text_items(ctx.report):
        found = []
        if key.startswith("text.overview."):      # a sub-part titled 2020年政府信息公开工作情况
            title = normalise(overview[int(key.rsplit(".", 1)[1])].get("title") or "")
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


# ---- drafting -----------------------------------------------------------------------------------
class DraftError(ValueError):
    """A draft that cannot be made yet; str() is one Chinese line for the clerk."""


def _topics() -> list[str]:
    # the national vocabulary of 总体情况's sub-parts (2021 format data), also used for 2019 reports
    return load_format("2021").section("overview").topics


def draft_keys(fid: str) -> list[str]:
    topics = _topics()
    keys = [f"overview:{topics[0]}", f"overview:{topics[1]}", "appeals"]
    if load_format(fid).section("overview").topics:
        keys.append("other:fee")     # 六's 信息处理费 statement, 2021 format
    return keys


def we(report) -> str:
    """How the agency names itself: 我镇, 我乡, 本街道, 本机关."""
    name = normalise(report.agency_name)
    for suffix, word in (("街道办事处", "本街道"), ("镇人民政府", "我镇"), ("镇政府", "我镇"),
                         ("乡人民政府", "我乡"), ("乡政府", "我乡")):
        if name.endswith(suffix):
            return word
    return "本机关"


def _label(s: str) -> str:
    """A row label without its enumerator or note: （二）部分公开（区分处理的…） → 部分公开, 1.属于国家秘密 → 属于国家秘密."""
    s = re.sub(r"^(?:[（(][一二三四五六七八九十]+[）)]|\d+[.．、]|[一二三四五六七八九十]+、)", "", s)
    return re.sub(r"[（(][^（）()]*[）)]$", "", s) or s


def _need(report, ids, what: str) -> dict:
    missing = [i for i in ids if report.figures.get(i) is None]
    if missing:
        raise DraftError(f"{what}还有{len(missing)}项数字未填写，填完后才能起草这段文字")
    return {i: report.figures[i] for i in ids}


def _n(v) -> str:
    return format_number(v)


def draft_requests(report) -> str:
    fmt = report.fmt
    req = fmt.tables["requests"]
    f = _need(report, [c.id for c in req.cells], fmt.section("requests").heading)
    cols = [c for c in req.col_ids if c != "total"]
    year, w = report.year, we(report)
    new, co = f[req.cell("new", "total").id], f[req.cell("carried_over", "total").id]
    total, cf = f[req.cell("total", "total").id], f[req.cell("carried_forward", "total").id]
    out = []
    if new:
        by = [(req.cell("new", c).col_path[-1].name, f[req.cell("new", c).id]) for c in cols]
        by = [(n, v) for n, v in by if v]
        if len(by) == 1:
            who = f"申请人均为{by[0][0]}"
        else:
            who = "其中" + "、".join(f"{n}提出申请{_n(v)}件" for n, v in by)
        out.append(f"{year}年，{w}共收到政府信息公开申请{_n(new)}件，{who}。")
    else:
        out.append(f"{year}年，{w}未收到政府信息公开申请。")
    out.append(f"上年结转政府信息公开申请{_n(co)}件。" if co else "无上年结转的政府信息公开申请。")
    if total:
        items = []
        root = req.cell("total", "total").row_path[0]     # 三、本年度办理结果
        for node in root.children:
            if node.role == "total":
                continue
            if node.children:
                subs = [(_label(ch.label), f[f"requests.{node.key}.{ch.key}.total"]) for ch in node.children]
                n = sum(v for _, v in subs)
                if n:
                    detail = "、".join(f"{lab}{_n(v)}件" for lab, v in subs if v)
                    items.append(f"{_label(node.label)}{_n(n)}件（{detail}）")
            else:
                n = f[f"requests.{node.key}.total"]
                if n:
                    items.append(f"{_label(node.label)}{_n(n)}件")
        out.append(f"本年度办结政府信息公开申请{_n(total)}件，其中" + "，".join(items) + "。")
    elif new or co:
        out.append("本年度尚无办结的政府信息公开申请。")
    if cf:
        out.append(f"结转下年度继续办理的政府信息公开申请{_n(cf)}件。")
    elif new or co:
        out.append("无结转下年度继续办理的政府信息公开申请。")
    return "".join(out)


def draft_appeals(report) -> str:
    fmt = report.fmt
    ap = fmt.tables["appeals"]
    f = _need(report, [c.id for c in ap.cells], fmt.section("appeals").heading)
    year, w = report.year, we(report)
    review_node = ap.cell("review", "total").col_path[0]
    lit_node = ap.cell("litigation_direct", "total").col_path[0]

    def outcomes(group):
        parts = [(c.col_label, f[c.id]) for c in ap.cells if c.row == group and c.col != "total" and f[c.id]]
        return "（" + "、".join(f"{lab}{_n(v)}件" for lab, v in parts) + "）" if parts else ""

    r, lit = f["appeals.review.total"], f["appeals.litigation_direct.total"] + f["appeals.litigation_after_review.total"]
    if not r and not lit:
        return f"{year}年，{w}未发生因政府信息公开被申请{review_node.label}、提起{lit_node.label}的情况。"
    s = f"{year}年，{w}"
    s += f"因政府信息公开被申请{review_node.label}{_n(r)}件{outcomes('review')}；" if r else \
        f"未发生因政府信息公开被申请{review_node.label}的情况；"
    if lit:
        subs = []
        for g in ("litigation_direct", "litigation_after_review"):
            n = f[f"appeals.{g}.total"]
            if n:
                subs.append(f"{ap.cell(g, 'total').col_path[1].name}{_n(n)}件{outcomes(g)}")
        s += f"因政府信息公开被提起{lit_node.label}{_n(lit)}件，其中" + "，".join(subs) + "。"
    else:
        s += f"未发生因政府信息公开被提起{lit_node.label}的情况。"
    return s


def draft_active(report) -> str:
    fmt = report.fmt
    act = fmt.tables["active"]
    f = _need(report, [c.id for c in act.cells], fmt.section("active").heading)
    year, w = report.year, we(report)
    township = report.agency.get("level") == "township"
    clauses = []
    rows = dict(act.rows())
    # 第二十条第（一）项: documents (规章 only when not a township, or when the table holds any)
    doc_block = act.cells[0].block
    for row, cells in rows.items():
        if cells[0].block != doc_block:
            continue
        if row == "rules" and township and not any(f[c.id] for c in cells):
            continue
        first, rest = cells[0], cells[1:]
        s = f"{verb_of(first.col_label)}{first.row_label}{_n(f[first.id])}件"
        s += "".join(f"、{verb_of(c.col_label)}{_n(f[c.id])}件" for c in rest)
        clauses.append(s)
    out = [f"{year}年，{w}" + "；".join(clauses) + "。"] if clauses else []
    # 处理决定 of 第二十条第（五）（六）项
    dec = [c for c in act.cells if c.col == "decisions"]
    nonzero = [c for c in dec if f[c.id]]
    if nonzero:
        out.append("本年度作出" + "、".join(f"{c.row_label}{verb_of(c.col_label)}{_n(f[c.id])}件" for c in nonzero)
                   + "。")
    elif dec:
        out.append("本年度未作出" + "、".join(c.row_label for c in dec) + verb_of(dec[0].col_label) + "。")
    # 第二十条第（八）项 fees, 第二十条第（九）项 procurement
    for row in ("fees", "procurement"):
        cells = rows.get(row)
        if not cells:
            continue
        byc = {c.col: c for c in cells}
        label = cells[0].row_label
        if "amount" in byc and row == "fees":
            a = f[byc["amount"].id]
            out.append(f"本年度收取{label}{_n(a)}{byc['amount'].unit}。" if a else f"本年度未收取{label}。")
        elif row == "fees":
            p, ch = f[byc["prev_items"].id], f[byc["change"].id]
            change = f"+{ch}" if ch > 0 else str(ch)
            out.append(f"{label}{byc['prev_items'].col_label}{_n(p)}项，{byc['change'].col_label}{change}项。")
        else:
            n, a = f[byc["projects"].id], f[byc["amount"].id]
            out.append(f"开展{label}{_n(n)}项，{byc['amount'].col_label}{_n(a)}{byc['amount'].unit}。" if n or a
                       else f"本年度未开展{label}。")
    return "".join(out)


def draft_fee(report) -> str:
    return f"{report.year}年，{we(report)}未收取信息处理费。"


def drafts(report) -> dict[str, str]:
    """The drafted sentences of `report` whose figures are complete, keyed by where they go:
    'overview:主动公开', 'overview:依申请公开', 'appeals' (placed after the 依申请公开 sentences), and
    'other:fee' (2021 format)."""
    out = {}
    for key in draft_keys(report.format):
        try:
            out[key] = draft(report, key)
        except DraftError:
            pass
    return out


def draft(report, key: str) -> str:
    """One drafted paragraph; DraftError when a figure it states is still blank."""
    topics = _topics()
    if key not in draft_keys(report.format):
        raise DraftError(f"没有「{key}」这段起草文字")
    if key == f"overview:{topics[0]}":
        return draft_active(report)
    if key == f"overview:{topics[1]}":
        return draft_requests(report)
    if key == "appeals":
        return draft_appeals(report)
    return draft_fee(report)


# ---- inserting drafts without overwriting the clerk's words -------------------------------------
def _kinds(text: str, fid: str) -> set[str]:
    sts, claims = statements(text, fid)
    out = {s.kind for s in sts}
    if claims:
        out.add("received")     # a claim about the applicants belongs to the 依申请公开 sentences
    if _FEE_RE.search(normalise(text)):
        out.add("fee")
    return out


def _draft_kinds(report, key: str, text: str) -> set[str]:
    k = _kinds(text, report.format)
    if key == "other:fee":
        k.add("fee")
    return k


def _fields(report, key: str) -> list[tuple[str, str]]:
    """Text fields where the draft `key` or a paragraph stating the same figures may stand."""
    if key == "other:fee":
        return [("text.other", str(report.text.get("other") or ""))]
    return [(k, t) for k, t in text_items(report) if k.startswith("text.overview.")]


def _set_field(report, text_key: str, value: str) -> None:
    parts = text_key.split(".")
    if parts[1] == "overview":
        report.text["overview"][int(parts[2])]["body"] = value
    else:
        report.text[parts[1]] = value


def _record(report) -> dict:
    rec = report.extra.get("drafted")
    if not isinstance(rec, dict):
        rec = report.extra["drafted"] = {}
    return rec


def _recorded(report, key: str) -> str | None:
    rec = report.extra.get("drafted")
    v = rec.get(key) if isinstance(rec, dict) else None
    return v if isinstance(v, str) else None


def _home_part(report, key: str) -> int:
    """Index of the overview sub-part the draft belongs to, created (titled with the topic) when missing."""
    topics = _topics()
    topic = topics[0] if key == f"overview:{topics[0]}" else topics[1]
    i = topic_part(report, topic)
    if i is not None:
        return i
    ov = report.text.setdefault("overview", [])
    order = load_format(report.format).section("overview").topics
    at = len(ov)
    if topic in order:      # keep the format's order of topics
        later = order[order.index(topic) + 1:]
        for j, part in enumerate(ov):
            if any(topic_matches(t, str(part.get("title") or "")) for t in later):
                at = j
                break
    ov.insert(at, {"title": topic, "body": ""})
    carried = report.extra.get("carried_text")
    if isinstance(carried, list):     # keys of carried sub-parts follow their part
        def moved(k):
            if isinstance(k, str) and k.startswith("overview.") and k[9:].isdigit() and int(k[9:]) >= at:
                return f"overview.{int(k[9:]) + 1}"
            return k
        report.extra["carried_text"] = [moved(k) for k in carried]
    return at


def _find_para(fields, text: str):
    for k, t in fields:
        ps = paragraphs(t)
        if text in ps:
            return k, ps.index(text)
    return None


def _conflict(report, key: str, new: str):
    """(text key, paragraph index, paragraph) that inserting `new` would replace, or None."""
    fields = _fields(report, key)
    old = _recorded(report, key)
    if old and _find_para(fields, old):
        return None                                # our own unchanged draft: updated in place
    if _find_para(fields, new):
        return None
    kinds = _draft_kinds(report, key, new)
    best = None
    for k, t in fields:
        for i, p in enumerate(paragraphs(t)):
            if not p.strip():
                continue
            score = similarity(old, p) if old else 0.0
            if kinds & _kinds(p, report.format):
                score = max(score, 0.5)
            if score >= 0.5 and (best is None or score > best[0]):
                best = (score, k, i, p)
    if best is None and key == "other:fee" and normalise(report.text.get("other") or "").strip("。."):
        p = str(report.text.get("other") or "")
        if _body_len(p) <= 12:       # 无 / 无。/ 无其他需要报告的事项。: a placeholder the fee sentence would replace
            best = (0.5, "text.other", 0, paragraphs(p)[0])
    return best[1:] if best else None


def draft_conflict(report, key: str) -> str | None:
    """The clerk's paragraph that inserting draft `key` would replace (ask before calling insert_draft with
    force=True), or None when the draft can go in without touching the clerk's words. DraftError as draft()."""
    c = _conflict(report, key, draft(report, key))
    return c[2] if c else None


def insert_draft(report, key: str, force: bool = False) -> bool:
    """Put the drafted paragraph `key` into its text field; True when the text now holds the current draft.

    The last inserted draft is recorded in report.extra['drafted'][key]: while that paragraph stands unchanged it
    is updated in place. A paragraph the clerk wrote or edited that states the same figures is never replaced
    unless `force` (returns False, nothing changed: ask with draft_conflict first). Raises DraftError when a
    figure the draft states is blank."""
    new = draft(report, key)
    fields = _fields(report, key)
    old = _recorded(report, key)
    hit = _find_para(fields, old) if old else None
    if hit is None:
        hit = _find_para(fields, new)
    if hit is None:
        c = _conflict(report, key, new)
        if c is not None:
            if not force:
                return False
            hit = c[:2]
    if hit is not None:
        k, i = hit
        text = dict(text_items(report))[k]
        ps = paragraphs(text)
        ps[i] = new
        _set_field(report, k, "\n".join(ps))
    else:
        if key == "other:fee":
            k = "text.other"
        else:
            k = f"text.overview.{_home_part(report, key)}"
        text = dict(text_items(report))[k]
        topics = _topics()
        ps = [p for p in paragraphs(text)] if text.strip() else []
        if key == f"overview:{topics[1]}":
            # the 依申请公开 sentences go before a drafted 复议/诉讼 sentence already there
            appeals = _recorded(report, "appeals")
            at = ps.index(appeals) if appeals in ps else len(ps)
            ps.insert(at, new)
        else:
            ps.append(new)
        _set_field(report, k, "\n".join(ps))
    _record(report)[key] = new
    return True


def draft_status(report, key: str) -> str:
    """'absent' (never inserted or deleted), 'current', 'stale' (inserted, unchanged, figures changed since),
    'edited' (the clerk changed the drafted paragraph), or 'unavailable' (a figure is blank)."""
    try:
        new = draft(report, key)
    except DraftError:
        return "unavailable"
    fields = _fields(report, key)
    old = _recorded(report, key)
    if _find_para(fields, new):
        return "current"
    if old and _find_para(fields, old):
        return "stale"
    if old and _conflict(report, key, new):
        return "edited"
    return "absent"


def refresh_drafts(report) -> list[str]:
    """Update every inserted draft still unchanged in the text to the current figures; returns the keys updated.
    Call after the figures change (edited drafts are left alone)."""
    rec = report.extra.get("drafted")
    if not isinstance(rec, dict):
        return []
    done = []
    for key in list(rec):
        if key not in draft_keys(report.format):
            continue
        if draft_status(report, key) == "stale":
            insert_draft(report, key)
            done.append(key)
    return done

