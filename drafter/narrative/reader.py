"""The statement reader: figures stated in free text (共收到…申请N件, 上年结转N件, 办结N件, 行政复议N件, 未收到…,
Chinese numerals), and what the table says for each. Serves the checks and the drafts alike: a drafted sentence is
read back by the same reader that checks the clerk's text."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..chinese import cn_int
from ..formats import Cell, load_format
from ..rules import sum_plan
from .text import _quote, normalise, paragraphs


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



def _clause_tokens(lex: _Lexicon, clause: str):
    for m in lex.regex.finditer(clause):
        t, payload = lex.groups[m.lastgroup]
        if t in ("num", "cnnum"):
            digits = re.match(r"\d+|[零〇一二两三四五六七八九十百]+", m.group())
            v = None if digits is None else int(digits.group()) if t == "num" else cn_int(digits.group())
            if v is not None:
                yield "num", v, m
        else:
            yield t, payload, m


def _read_clause(lex: _Lexicon, fmt_cells: frozenset, clause: str, after_qizhong: bool, noun: str | None = None):
    """Statements of one clause: each number goes to the keywords seen since the last number; keywords left
    without a number after a negation (未收到…, 无上年结转…) state 0. `noun` is the row of table `active` the
    sentence speaks of so far (制发行政规范性文件3件，废止1件); returns (statements, any keyword, noun)."""
    out: list[tuple[str, int]] = []
    pending: list[tuple[str, bool]] = []         # (kind, negated)
    verb: tuple[str, bool] | None = None         # the column verb since the last number (the nearest one wins)
    neg = False
    has_kw = False
    appeals_clause = "复议" in clause or "诉讼" in clause or "起诉" in clause

    def resolved() -> list[tuple[str, bool]]:
        # a verb names a cell with the row the clause speaks of when the number comes: 现行有效规范性文件8件
        extra = [(f"active.{noun}.{verb[0]}", verb[1])] if verb is not None and noun is not None else []
        return pending + extra

    for t, payload, _m in _clause_tokens(lex, clause):
        if t == "noun":
            noun = payload
        elif t == "verb":
            verb = (payload, neg)     # 制发的规范性文件现行有效12件: 12 is 现行有效 only, not 制发
            has_kw = True
        elif t == "kw":
            if payload in REQUEST_KINDS and (appeals_clause or after_qizhong):
                continue
            pending.append((payload, neg))
            has_kw = True
        elif t == "num":
            out += [(k, payload) for k, _ in resolved()]
            pending, verb = [], None
        elif t == "neg":
            neg = True
    out += [(k, 0) for k, negated in resolved() if negated]
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
    """The cells whose sum a statement of `kind_` states (its first reading)."""
    q = _quantities(fid)
    if kind_ in q:
        return q[kind_]
    return (kind_,) if kind_ in load_format(fid).cells else ()


def readings_of(fid: str, kind_: str) -> list[tuple[str, ...]]:
    """Every sum of cells a statement of `kind_` may state, the first its usual reading: 收到N件 is the new
    applications, or — as many reports write it — new and carried over together."""
    first = cells_of(fid, kind_)
    if not first:
        return []
    if kind_ == "received":
        return [first, _quantities(fid)["handled"]]
    return [first]


def cell_label(cell: Cell) -> str:
    """A cell named for a one-line message, from the format's labels."""
    if cell.table == "requests":
        row = "".join(n.label for n in cell.row_path if n.label)
        return row if cell.col == "total" else f"{row}／{cell.col_path[-1].name}"
    if cell.table == "appeals":
        return f"{cell.col_path[-2].name}／{cell.col_label}"
    return f"{cell.row_label}／{cell.col_label}"


@lru_cache(maxsize=None)
def _leaves(fid: str) -> dict[str, frozenset[str]]:
    """Each total drafter computes -> the cells it adds up in the end (parts of parts …)."""
    parts = dict(sum_plan(fid))     # the totals drafter computes, and their parts

    def leaves(cid: str) -> frozenset[str]:
        return frozenset().union(*map(leaves, parts[cid])) if cid in parts else frozenset((cid,))
    return {cid: leaves(cid) for cid in parts}


def not_given(figures: dict) -> frozenset[str]:
    """The cells without a whole number (blank, an amount, anything else): once per check, for _table_value."""
    return frozenset(cid for cid, v in figures.items() if type(v) is not int)


def _table_value(fid: str, figures: dict, ids, missing: frozenset[str] | None = None) -> int | None:
    """The sum of `ids` when each is a figure the clerk has given: a total only when every part behind it is filled
    (a total of blank parts is computed as if they were 0). `missing`: not_given(figures), if known."""
    if missing is None:
        missing = not_given(figures)
    leaves = _leaves(fid)
    if not ids or any(cid in missing or not leaves.get(cid, frozenset()).isdisjoint(missing) for cid in ids):
        return None
    return sum(figures[i] for i in ids)


