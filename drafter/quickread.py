"""A drafter file as drafter writes it, read without the YAML machinery (a province checks tens of thousands).

read(text) returns exactly what the YAML reader (report._parse_yaml) builds from the same text, or None for anything
outside the narrow form that drafter (libyaml's emitter) writes; the YAML reader then reads that text, and says where
a file is wrong. The form, line by line:

  key: value        a plain scalar on one line, a 'single-quoted' one on one line, [] or {}
  key: |  key: |-   a literal block, indented deeper than its key, with no blank first line
  key:              a mapping or a sequence below it (a sequence at the key's own indent too), or nothing (null)
  - …               a sequence item: a mapping (its first key on the dash's line) or a scalar

Figures written in a format's cell order (`  cell.id: 12`, `  cell.id:` blank) are read a block at a time, their
values checked by counting characters (no regex, no call per line): some 200 lines a file.
Only printable text (and U+3000, U+00A0), LF or CRLF line ends; tabs, comments, anchors, tags, double quotes,
folded blocks, keys beyond a plain word and everything else go to the YAML reader.
"""
from __future__ import annotations

import json
import re
from decimal import Decimal
from operator import itemgetter

import yaml

from .formats import FORMAT_IDS, load_format
from .numbers import MAX_ANY

_STR, _INT, _FLOAT, _NULL, _BOOL, _TIME = ("tag:yaml.org,2002:" + t for t in ("str", "int", "float", "null", "bool",
                                                                              "timestamp"))
_RESOLVER = yaml.resolver.Resolver()
_IMPLICIT = _RESOLVER.yaml_implicit_resolvers        # first character -> the tags a plain scalar may resolve to
_SAFE = yaml.constructor.SafeConstructor()
_TAGS: dict[str, str] = {}                           # short plain scalar -> its tag (a province repeats a few)
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*(?::[A-Za-z0-9_.,]+)*")      # drafter's keys; confirmed's rule:cells
_KEYS: set[str] = set()                             # keys seen good
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
MAX_DEPTH = 12          # a drafter file nests 5 deep
_NOT_TEXT = _INDICATORS | frozenset(_IMPLICIT) | {" "}     # first characters of what may not be plain text


class _Out(Exception):
    """Not in drafter's own form: the YAML reader reads the text."""


def yaml_int(s: str):
    """A YAML int as drafter reads it: decimal digits as written (YAML 1.1 reads 0012 as octal, 0x10, 1:30, 1_000);
    anything else stays text, and parse_number says what is wrong with it (too long for int() too)."""
    digits = s[1:] if s[:1] in "+-" else s
    if digits.isascii() and digits.isdigit() and len(digits) <= 18:
        return int(s, 10)
    return s


def yaml_float(s: str):
    """A YAML float as drafter reads it: a Decimal as written; 1_000.5, 1:30.5, 1.0e+5, .inf stay text."""
    if s.lower().lstrip("+-") in (".inf", ".nan") or any(ch in s for ch in "_:eE"):
        return s
    try:
        return Decimal(s)
    except ArithmeticError:  # pragma: no cover - the resolver's float pattern admits only decimals here
        return s


def plain_tag(v: str) -> str:
    """The tag YAML's resolver gives the plain scalar `v`."""
    tag = _TAGS.get(v)
    if tag is None:
        tag = _RESOLVER.resolve(yaml.ScalarNode, v, (True, False))
        if len(v) <= 40 and len(_TAGS) < 50_000:
            _TAGS[v] = tag
    return tag


UNKNOWN = object()          # scalar_value of a tag a drafter file has no use for (a merge key, `=`, !!binary …)


def scalar_value(tag: str, v: str):
    """The value of scalar `v` of tag `tag` as drafter reads it (both readers): str, int, Decimal, None, bool, date;
    UNKNOWN for any other tag; ValueError for a date that does not exist."""
    if tag == _STR:
        return v
    if tag == _INT:
        return yaml_int(v)
    if tag == _FLOAT:
        return yaml_float(v)
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return _SAFE.bool_values[v.lower()]
    if tag == _TIME:
        try:
            return _SAFE.construct_yaml_timestamp(yaml.ScalarNode(tag, v))
        except OverflowError as e:
            raise ValueError(v) from e
    return UNKNOWN


def _scalar(v: str):
    """The value of a scalar written on one line after `key: ` or `- `, or _Out."""
    if v[0] not in _NOT_TEXT and ": " not in v and " #" not in v and v[-1] not in " :" and v.isprintable():
        return v                        # plain text (一段文字, a cell id): no type of YAML's starts so
    if not _printable(v):
        raise _Out
    if v[0] == "'":
        inner = v[1:-1]
        if len(v) < 2 or v[-1] != "'" or "'" in inner.replace("''", ""):
            raise _Out
        return inner.replace("''", "'")
    if v == "[]":
        return []
    if v == "{}":
        return {}
    if v[0] in _INDICATORS and not (v[0] == "-" and len(v) > 1 and v[1] != " ") or v[0] == " " \
            or ": " in v or " #" in v or v[-1] in " :":
        raise _Out
    try:
        value = scalar_value(plain_tag(v), v)
    except ValueError:
        raise _Out from None            # the YAML reader says the date does not exist
    if value is UNKNOWN:
        raise _Out                      # the YAML reader refuses it
    return value


def _key(key: str) -> None:
    if len(key) > 100 or not _KEY.fullmatch(key) or plain_tag(key) != _STR:
        raise _Out                      # `yes:`, `null:`, `"a b":` …: the YAML reader
    if len(_KEYS) < 10_000:
        _KEYS.add(key)


def _printable(s: str) -> bool:
    # U+3000 (the ideographic space clerks indent with) and U+00A0 are text to YAML, not to str.isprintable
    return s.isprintable() or s.replace("\u3000", "").replace("\xa0", "").isprintable()


class _Reader:
    __slots__ = ("lines", "n")

    def __init__(self, lines: list[str]):
        self.lines, self.n = lines, len(lines)

    def node(self, i: int, ind: int, depth: int):
        """The mapping or sequence whose first line is lines[i], at indent `ind`."""
        if depth > MAX_DEPTH:
            raise _Out
        if self.lines[i].startswith("- ", ind):
            return self.sequence(i, ind, depth)
        return self.mapping(i, ind, depth)

    def line_at(self, i: int, ind: int) -> tuple[int, str] | None:
        """The next line from lines[i] that is not blank, as (index, text after the indent), when it is at indent
        `ind`; None where the block at `ind` ends (a line less indented, or the text's end); _Out when deeper."""
        lines, n = self.lines, self.n
        while i < n:
            line = lines[i]
            if line:
                body = line.lstrip(" ")
                at = len(line) - len(body)
                if at == ind and body:
                    return i, body
                if at < ind:
                    return None
                raise _Out
            i += 1
        return None

    def mapping(self, i: int, ind: int, depth: int):
        lines, n = self.lines, self.n
        out: dict = {}
        while (got := self.line_at(i, ind)) is not None:
            i, body = got
            key, sep, v = body.partition(": ")
            if not sep:
                if body[-1] != ":":
                    raise _Out          # a sequence item here, a comment, a scalar …
                key = body[:-1]
            if key not in _KEYS:
                _key(key)
            if key in out:
                raise _Out              # a key written twice: the YAML reader names both lines
            i += 1
            if not v:
                if sep:
                    raise _Out          # `key: ` with nothing after the space
                j = i
                while j < n and not lines[j]:
                    j += 1
                if j < n:
                    nxt = lines[j]
                    at = len(nxt) - len(nxt.lstrip(" "))
                    if at > ind or at == ind and nxt.startswith("- ", ind):
                        # last year's figures, embedded (the file's own were read as a block by read())
                        got = self.figures_at(j, at) if depth and key == "figures" else None
                        if got is None:
                            out[key], i = self.node(j, at, depth + 1)
                        else:
                            out[key], i = got
                        continue
                out[key] = None
            elif v == "|" or v == "|-":
                out[key], i = self.literal(i, ind, v == "|")
            else:
                out[key] = _scalar(v)
        return out, i

    def figures_at(self, i: int, ind: int):
        """(figures, index after) of a figure block at lines[i] (last year's report's, embedded), else None."""
        pad = " " * ind
        j = i
        while j < self.n and self.lines[j].startswith(pad):
            j += 1
        got = figure_block("\n".join(self.lines[i:j]) + "\n", 0, ind)
        return None if got is None else (got[0], j)

    def sequence(self, i: int, ind: int, depth: int):
        lines = self.lines
        out: list = []
        while (got := self.line_at(i, ind)) is not None:
            i, body = got
            if not body.startswith("- "):
                if body[0] == "-":
                    raise _Out          # `-` alone: a null item, or one below
                break                   # a key of the mapping this sequence is the value of
            rest = body[2:]
            if not rest or rest[0] == " ":
                raise _Out
            if ": " in rest or rest[-1] == ":":      # a mapping, its first key on the dash's line
                lines[i] = " " * (ind + 2) + rest
                item, i = self.node(i, ind + 2, depth + 1)
            else:
                item = _scalar(rest)
                i += 1
            out.append(item)
        return out, i

    def literal(self, i: int, ind: int, clip: bool):
        """A literal block (`|` keeps one final line break, `|-` none) starting at lines[i]."""
        lines, n = self.lines, self.n
        if i >= n or not lines[i]:
            raise _Out                  # empty, or blank first lines
        first = lines[i]
        at = len(first) - len(first.lstrip(" "))
        if at <= ind:
            raise _Out
        pad = " " * at
        start = i
        while i < n:
            line = lines[i]
            if line and not line.startswith(pad):
                break
            i += 1
        parts = [line[at:] for line in lines[start:i]]
        while not parts[-1]:
            parts.pop()
        if any(p[0] == " " and not p.strip(" ") for p in parts if p):
            raise _Out                  # a line of spaces only
        if not _printable("".join(parts)):
            raise _Out
        return "\n".join(parts) + ("\n" if clip else ""), i


# ---- the figures in a format's cell order ---------------------------------------------------------------------------
_HEADS: dict[tuple[str, int], tuple[list[str], int]] = {}
_AMOUNT = re.compile(r"-?[0-9]{1,15}\.[0-9]{1,30}")
_NUMBER_BYTES = b"0123456789-., "
_NOT_SEPARATORS = bytes(b for b in range(256) if b not in b":\n")


def _heads(fid: str, ind: int) -> tuple[list[str], int]:
    """The cell lines' keys with their indent, and the length of the longest block they can make."""
    got = _HEADS.get((fid, ind))
    if got is None:
        heads = [" " * ind + cid for cid in load_format(fid).cells]
        got = _HEADS[(fid, ind)] = (heads, sum(len(h) + 50 for h in heads))     # ": " + 15.30 digits, sign, "\n"
    return got


def _amount(s: str) -> Decimal:
    if not _AMOUNT.fullmatch(s):
        raise ValueError(s)
    return Decimal(s)


_SMALL: dict[str, int | None] = {}     # " 12" -> 12 for 0..9999, "" -> None (blank): most figures a file holds


def _small_figures(values: list[str]) -> list | None:
    """The figures when each is blank, 0..9999 written as drafter writes it, or an amount (a few): one dict lookup
    a value (all at once, by an itemgetter); None for anything else. `values` is changed."""
    if not _SMALL:
        _SMALL.update({f" {v}": v for v in range(10_000)})
        _SMALL[""] = None
    joined = ",".join(values)
    if joined.count(",") != len(values) - 1:
        return None                     # a comma in a value
    amounts = []
    at = joined.find(".")
    while at >= 0:
        n = joined.count(",", 0, at)
        v = values[n]
        if not _AMOUNT.fullmatch(v, 1) or v[0] != " ":
            return None
        amounts.append((n, Decimal(v[1:])))
        comma = joined.find(",", at)
        at = joined.find(".", comma) if comma >= 0 else -1
    for n, _ in amounts:
        values[n] = ""
    try:
        numbers = list(itemgetter(*values)(_SMALL))
    except KeyError:
        return None                     # a value outside the dict: _figures_as_json reads it
    for n, amount in amounts:
        numbers[n] = amount
    return numbers


def _figures_as_json(values: list[str]) -> list | None:
    """The figures read as one JSON array, whose numbers are stricter than YAML's (0089, 1., .5, 1_0 go to the YAML
    reader); None for anything but one space and a figure (or nothing) after each colon."""
    k = len(values)
    filled = k - values.count("")
    joined = ",".join(values)
    if not joined.isascii() or joined.encode().translate(None, _NUMBER_BYTES) or joined.count(",") != k - 1 \
            or joined.count(" ") != filled or joined.count(", ") + (joined[:1] == " ") != filled:
        return None
    if filled < k:
        joined = ",".join([v or "null" for v in values])
    try:
        numbers = json.loads(f"[{joined}]", parse_float=_amount)
    except ValueError:
        return None
    if max(map(len, values)) > 16 and any(type(v) is int and not -MAX_ANY <= v <= MAX_ANY for v in numbers):
        return None
    return numbers


def figure_block(text: str, start: int, ind: int) -> tuple[dict, str, int] | None:
    """(figures, format id, end) when text[start:end] is a format's cell lines in its order as drafter writes them
    (`  cell.id: 12`, `  cell.id:` blank, each ending with a newline), else None. Every value is then None, an int
    or a Decimal within numbers.MAX_ANY, as YAML reads it and as parse_number(v, "any") gives it.

    Some 200 lines a file, so no call per line: the text is cut at its colons and line ends at once (limited to the
    longest block a format can have), and the values are read by one dict lookup each, or as one JSON array."""
    for fid in FORMAT_IDS:
        heads, longest = _heads(fid, ind)
        if text.startswith(heads[0], start):
            break
    else:
        return None
    k = len(heads)
    piece = text[start:start + longest]
    parts = piece.replace(":", "\n").split("\n", 2 * k)      # ":" -> "\n" keeps every offset
    end = len(piece) - len(parts[-1])
    if len(parts) <= 2 * k or parts[0:2 * k:2] != heads or parts[-1][:1] == " " \
            or piece[:end].encode().translate(None, _NOT_SEPARATORS) != b":\n" * k:
        return None                     # (a colon where a line ends, and the other way round, cut the same)
    values = parts[1:2 * k:2]
    numbers = _small_figures(values.copy())
    if numbers is None:
        numbers = _figures_as_json(values)
        if numbers is None:
            return None
    return dict(zip(load_format(fid).cells, numbers, strict=True)), fid, start + end


def read(text: str) -> tuple[dict, str | None] | None:
    """(data, format id) of a drafter file's text, the data exactly as the YAML reader builds it; the format id is
    that of the top-level figures when they were read as a block (figure_block), else None. None for a text not in
    the form drafter writes (see the module's doc)."""
    if "\r" in text:
        if text.count("\r") != text.count("\r\n"):
            return None
        text = text.replace("\r\n", "\n")
    if not text.endswith("\n") or not text[0].isalpha():
        return None
    figures = None
    at = text.find("\nfigures:\n")
    if at >= 0:                          # the figures, three quarters of a file: read as one block
        start = at + len("\nfigures:\n")
        figures = figure_block(text, start, 2)
        if figures is not None:
            text = text[:start] + text[figures[2]:]
    reader = _Reader(text.split("\n"))
    try:
        data = reader.mapping(0, 0, 0)[0]
    except _Out:
        return None
    if not data:                        # (the mapping at indent 0 ends only at the end of the text)
        return None
    if figures is None:
        return data, None
    if data.get("figures", 0) is not None:
        return None
    data["figures"] = figures[0]
    return data, figures[1]
