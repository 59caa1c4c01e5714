"""The Report (the drafter file of FORMAT.md §6): plain data, loaded and saved atomically."""
from __future__ import annotations

import datetime as dt
import errno
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from . import quickread
from .dates import parse_date
from .files import atomic_write
from .formats import FORMAT_IDS, Format, UnknownFormat, format_for_year, load_format
from .numbers import MAX_ANY, NumberError, normalise, parse_number, shown
from .quickread import UNKNOWN, plain_tag, scalar_value

LEVELS = ("township", "county", "city", "province", "department")
LEVEL_NAMES = {"township": "乡镇（街道）", "county": "县级", "city": "市级", "province": "省级", "department": "部门"}
TEXT_KEYS = ("intro", "overview_lead", "overview", "problems", "other")   # overview_lead: 一's paragraphs before （一）
# top-level keys drafter writes beside the format's own (Report.extra), each documented in docs/FORMAT.md §6
EXTRA_KEYS = ("previous", "confirmed", "doubts", "import_doubts", "held_back", "carried_text", "drafted", "ui")
KNOWN_KEYS = ("format", "year", "agency", "signed_on", "text", "figures")


class ReportError(Exception):
    """A drafter file that cannot be read; str() is one Chinese line naming file, line and key."""

    def __init__(self, path, message: str, line: int | None = None, key: str | None = None):
        self.path, self.line, self.key, self.detail = path, line, key, message
        where = str(path) if path is not None else "（未命名文件）"
        if line:
            where += f" 第{line}行"
        if key:
            where += f" 「{key}」"
        super().__init__(f"{where}：{message}")


@dataclass
class Report:
    format: str
    year: int
    agency: dict = field(default_factory=lambda: {"name": "", "level": "township"})
    signed_on: dt.date | None = None
    text: dict = field(default_factory=dict)
    figures: dict = field(default_factory=dict)     # cell id -> int | Decimal | None
    extra: dict = field(default_factory=dict)       # every other top-level key, kept as is
    path: Path | None = None

    @classmethod
    def new(cls, year: int, name: str = "", level: str = "township", fmt: str | None = None) -> "Report":
        fid = fmt or format_for_year(year)
        return cls(fid, year, {"name": name, "level": level}, None,
                   {"intro": "", "overview": [{"title": t, "body": ""} for t in load_format(fid).section("overview").topics],
                    "problems": "", "other": ""},
                   {cid: None for cid in load_format(fid).cells})

    @property
    def fmt(self) -> Format:
        return load_format(self.format)

    @property
    def agency_name(self) -> str:
        return str(self.agency.get("name") or "")

    @property
    def title(self) -> str:
        return self.fmt.title(self.agency_name, self.year)

    def get(self, cid: str):
        return self.figures.get(cid)

    def previous(self) -> "Report | None":
        """Last year's report as embedded in this file (key `previous`, written by `drafter new --from`)."""
        p = self.extra.get("previous")
        if not isinstance(p, dict) or "year" not in p:
            return None
        try:
            return loads(yaml.dump(p, Dumper=_Dumper, allow_unicode=True), self.path)
        except ReportError:
            return None

    def overview(self) -> list[dict]:
        return list(self.text.get("overview") or [])

    # ---- file form -------------------------------------------------------------------------
    def to_dict(self) -> dict:
        d: dict = {"format": self.format, "year": self.year, "agency": dict(self.agency)}
        if self.signed_on:
            d["signed_on"] = self.signed_on
        d["text"] = {k: self.text[k] for k in TEXT_KEYS if k in self.text}
        d["text"].update({k: v for k, v in self.text.items() if k not in TEXT_KEYS})
        order = list(self.fmt.cells)
        d["figures"] = {cid: self.figures.get(cid) for cid in order}
        d.update(self.extra)
        return d

    def dumps(self) -> str:
        """The drafter file's text. The editor saves at every key, so each top-level key is written on its own and
        its text reused while its value is unchanged (last year's embedded report, doubts …); the figures, which
        do change, are plain `id: number` lines written directly. The text is exactly what one yaml.dump writes."""
        cache = self.__dict__.setdefault("_dump_cache", {})
        out = []
        for k, v in self.to_dict().items():
            text = _figures_text(k, v) if k == "figures" else None
            if text is None:
                r = repr(v)                 # tells 1 from True from 1.0, and Decimal('1.0') from Decimal('1.00')
                hit = cache.get(k)
                if hit is not None and hit[0] == r:
                    text = hit[1]
                else:
                    text = _dump({k: v})
                    cache[k] = (r, text)
            out.append(text)
        return "".join(out)

    def save(self, path=None) -> Path:
        if path is None and self.path is None:
            raise ValueError("Report.save: no path")
        path = Path(path or self.path)  # type: ignore[arg-type]
        atomic_write(path, self.dumps())
        self.path = path
        return path


# ---- YAML ---------------------------------------------------------------------------------------
MAX_BYTES = 5 * 1024 * 1024     # a drafter file is some 10 KB (30 KB with last year's embedded); larger is not one
MAX_DEPTH = 32                  # a drafter file nests 5 deep (previous.text.overview[1].title)
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")     # embedding, override and isolate controls
_STR, _SEQ, _MAP, _MERGE = ("tag:yaml.org,2002:" + t for t in ("str", "seq", "map", "merge"))


class _Refused(Exception):
    """Something a drafter file may not hold, at a node (its line) and key path."""

    def __init__(self, line: int | None, message: str, keys: tuple = ()):
        super().__init__(message)
        self.line, self.message, self.keys = line, message, keys


class _Memo:
    """The resolver's answer for a plain scalar depends on its text only: remembered (the composer asks for each)."""

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode and implicit[0]:
            return plain_tag(value)
        return super().resolve(kind, value, implicit)  # type: ignore[misc]


class _Loader(_Memo, yaml.SafeLoader):
    pass


# libyaml parses a drafter file about eight times faster (a province checks tens of thousands)
if getattr(yaml, "__with_libyaml__", False):
    class _FastLoader(_Memo, yaml.CSafeLoader):
        pass
else:  # pragma: no cover - PyYAML without libyaml
    _FastLoader = _Loader  # type: ignore[misc, assignment]


def _keys_text(keys: tuple) -> str | None:
    return "".join(f"[{k + 1}]" if isinstance(k, int) else ("." if i else "") + str(k)
                   for i, k in enumerate(keys)) or None


def _build(node, keys: tuple, bidi: bool):
    """The Python value of a composed node: str, int, Decimal, None, bool, date, list, dict. Refuses (with line and
    key) what a drafter file has no use for and what would crash or mislead later: a date that does not exist,
    a key written twice, an unknown tag, a merge key, nesting deeper than MAX_DEPTH, bidi controls."""
    kind, tag = type(node), node.tag
    if kind is yaml.ScalarNode:
        v = node.value
        if tag == _STR:
            if bidi and _BIDI.search(v):
                ch = _BIDI.search(v).group()  # type: ignore[union-attr]
                raise _Refused(node.start_mark.line + 1, f"含有改变文字方向的控制字符U+{ord(ch):04X}（会使文字倒序显示），"
                               "请删除", keys)
        if tag == _MERGE:
            raise _Refused(node.start_mark.line + 1, "不支持「<<」合并写法，请直接写出内容", keys)
        try:
            value = scalar_value(tag, v)
        except ValueError:
            raise _Refused(node.start_mark.line + 1, f"日期「{shown(v)}」不存在，请核对年月日（如2022-01-28）",
                           keys) from None
        if value is UNKNOWN:
            raise _Refused(node.start_mark.line + 1, f"含有不认识的标记（{shown(tag)}），请删除", keys)
        return value
    if len(keys) >= MAX_DEPTH:
        raise _Refused(node.start_mark.line + 1, "层次过深，不是drafter报告文件", keys)
    if kind is yaml.SequenceNode and tag == _SEQ:
        return [_build(n, keys + (i,), bidi) for i, n in enumerate(node.value)]
    if kind is yaml.MappingNode and tag == _MAP:
        out: dict = {}
        for kn, vn in node.value:
            if type(kn) is not yaml.ScalarNode:
                raise _Refused(kn.start_mark.line + 1, "键只能是一行文字，不能是列表或键值结构", keys)
            k = _build(kn, keys, bidi)
            if k in out:
                first = next(n.start_mark.line + 1 for n, _ in node.value if _build(n, keys, bidi) == k)
                raise _Refused(kn.start_mark.line + 1, f"「{shown(k)}」写了两次（第{first}行和第{kn.start_mark.line + 1}行），"
                               "只能保留一处", keys + (k,))
            out[k] = _build(vn, keys + (k,), bidi)
        return out
    raise _Refused(node.start_mark.line + 1, f"含有不认识的标记（{shown(tag)}），请删除", keys)


def _refuse_anchors(text: str, loader) -> None:
    """Anchors (&a) and aliases (*a) have no use in a drafter file and let 14 KB expand to gigabytes: refused from
    the parser's events, before anything is built."""
    for ev in yaml.parse(text, Loader=loader):
        if isinstance(ev, yaml.AliasEvent) or getattr(ev, "anchor", None) is not None:
            raise _Refused(ev.start_mark.line + 1 if ev.start_mark else None, "不支持YAML的锚点和别名（&…、*…），请直接写出内容")


def _parse(text: str, path) -> tuple:
    """(data, root node or None, format id or None) of a drafter file's text; ReportError for what is not a drafter
    file's YAML. A file as drafter writes it is read by quickread (no nodes: root None, and err() composes the text
    when it needs a line); the format id is that of figures quickread read as a block (each value then what
    parse_number(v, "any") gives, every cell of that format there, in its order)."""
    got = quickread.read(text)
    if got is not None:
        return got[0], None, got[1]
    return (*_parse_yaml(text, path), None)


def _parse_yaml(text: str, path) -> tuple:
    bidi = "\\" in text or _BIDI.search(text) is not None      # "\u202e" written as an escape counts too
    try:
        try:
            if "&" in text or "*" in text:
                _refuse_anchors(text, _FastLoader)
            loader: yaml.SafeLoader | yaml.CSafeLoader = _FastLoader(text)
        except UnicodeError:  # libyaml refuses lone surrogates; the pure loader reports them as a YAMLError
            if "&" in text or "*" in text:
                _refuse_anchors(text, _Loader)
            loader = _Loader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
        data = None if root is None else _build(root, (), bidi)
    except yaml.YAMLError as e:
        raise _yaml_error(e, text, path) from None
    except RecursionError:          # the pure loader composes recursively
        raise ReportError(path, "层次过深，不是drafter报告文件") from None
    except _Refused as e:
        key = _keys_text(e.keys)
        if key is None and e.line:
            key = _key_at(text, e.line)
        raise ReportError(path, e.message, e.line, key) from None
    return data, root


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper, s: str):
    if "\n" in s and all(ch.isprintable() or ch == "\n" for ch in s):
        return dumper.represent_scalar("tag:yaml.org,2002:str", s, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", s)


_Dumper.add_representer(str, _str)
def _decimal_text(v: Decimal) -> str:
    s = format(v, "f")
    # a whole amount keeps a decimal point, so it stays a plain float scalar (0.0, not !!float '0')
    return s if "." in s else s + ".0"


def _decimal(dumper, v: Decimal):
    return dumper.represent_scalar("tag:yaml.org,2002:float", _decimal_text(v))


_Dumper.add_representer(Decimal, _decimal)
_Dumper.add_representer(type(None), lambda d, v: d.represent_scalar("tag:yaml.org,2002:null", ""))

if getattr(yaml, "__with_libyaml__", False):
    class _FastDumper(yaml.CSafeDumper):
        pass

    _FastDumper.yaml_representers = dict(_Dumper.yaml_representers)
    _FastDumper.yaml_multi_representers = dict(_Dumper.yaml_multi_representers)
else:  # pragma: no cover - PyYAML without libyaml
    _FastDumper = None  # type: ignore[misc, assignment]


def _dump(d: dict) -> str:
    if _FastDumper is not None:
        # libyaml writes six times faster; kept only when it escaped nothing (it writes emoji as \U0001F600
        # where the pure emitter keeps them) and ended no document
        try:
            text = yaml.dump(d, Dumper=_FastDumper, allow_unicode=True, sort_keys=False, width=1000)
            if "\\" not in text and not text.endswith("\n...\n"):
                return text
        except Exception:  # noqa: BLE001 - anything libyaml refuses (lone surrogates …) goes the pure way
            pass
    return yaml.dump(d, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)


_PLAIN_ID = re.compile(r"[a-z_][a-z0-9_]*(\.[a-z0-9_]+)*")


def _figures_text(key: str, figures) -> str | None:
    """`figures:` and one `  id: value` line per cell, as the emitter writes them; None when anything is not a
    plain id with an int, Decimal or blank value (then the emitter writes it)."""
    if not isinstance(figures, dict) or not figures:
        return None
    lines = [f"{key}:"]
    for cid, v in figures.items():
        if not isinstance(cid, str) or not _PLAIN_ID.fullmatch(cid):
            return None
        if v is None:
            lines.append(f"  {cid}:")
        elif type(v) is int:
            lines.append(f"  {cid}: {v}")
        elif isinstance(v, Decimal) and v.is_finite():
            lines.append(f"  {cid}: {_decimal_text(v)}")
        else:
            return None
    return "\n".join(lines) + "\n"


def _line_of(root, *keys) -> int | None:
    node = root
    line = None
    for k in keys:
        if not isinstance(node, yaml.MappingNode):
            return line
        for kn, vn in node.value:
            if kn.value == k:
                line, node = kn.start_mark.line + 1, vn
                break
        else:
            return line
    return line



NAME_MAX = 60       # characters of an agency name: the longest real one is some 30 (document properties, file names)


def loads(text: str, path=None) -> Report:
    """A Report from a drafter file's text; ReportError (one Chinese line with line and key) for anything else."""
    if len(text) > MAX_BYTES:
        raise ReportError(path, f"文件过大（{len(text) / 1024 / 1024:.1f}MB），不是drafter报告文件"
                                f"（报告文件一般不到0.1MB，上限{MAX_BYTES // 1024 // 1024}MB）")
    data, root, figures_format = _parse(text, path)
    if not isinstance(data, dict):
        raise ReportError(path, "不是drafter报告文件（应为键值结构）", 1)

    def err(msg, *keys):
        node = root if root is not None else _parse_yaml(text, path)[1]
        return ReportError(path, msg, _line_of(node, *keys), ".".join(keys) if keys else None)

    year = data.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 2008 <= year <= 2100:
        raise err("年度应为四位数字年份，如2021", "year")
    fid = data.get("format")
    if fid is None:
        try:
            fid = format_for_year(year)
        except UnknownFormat:
            raise err(f"没有适用于{year}年的报告格式（2019年起）", "year") from None
    fid = str(fid)
    if fid not in FORMAT_IDS:
        raise err(f"未知的报告格式「{shown(fid)}」，应为2019或2021", "format")
    fmt = load_format(fid)
    agency = data.get("agency") or {}
    if not isinstance(agency, dict):
        raise err("机关信息应包含name和level", "agency")
    level = agency.get("level", "township")
    if not isinstance(level, str) or level not in LEVELS:
        raise err(f"机关层级「{shown(level)}」无效，应为 {' | '.join(LEVELS)}", "agency", "level")
    name = agency.get("name")
    if name is not None:
        why = name_problem(name)
        if why:
            raise err(why, "agency", "name")
    signed = data.get("signed_on")
    if isinstance(signed, str):
        try:
            signed = parse_date(signed)
        except ValueError as e:
            raise err(f"落款日期「{shown(signed)}」无法识别：{e}（应写作2022-01-28）", "signed_on") from None
    if isinstance(signed, dt.datetime):
        signed = signed.date()
    if signed is not None and not isinstance(signed, dt.date):
        raise err("落款日期应写作2022-01-28", "signed_on")
    body = data.get("text") or {}
    if not isinstance(body, dict):
        raise err("正文应包含intro、overview、problems、other", "text")
    for k in ("intro", "overview_lead", "problems", "other"):
        v = body.get(k)
        if v is not None and not isinstance(v, str):
            body[k] = str(v)
    ov = body.get("overview") or []
    if isinstance(ov, str):
        ov = [{"title": "", "body": ov}]
    if not isinstance(ov, list) or not all(isinstance(p, dict) for p in ov):
        raise err("总体情况应为若干小节（title、body）", "text", "overview")
    body["overview"] = [{"title": str(p.get("title") or ""), "body": str(p.get("body") or ""),
                         **{k: v for k, v in p.items() if k not in ("title", "body")}} for p in ov]
    figs_in = data.get("figures") or {}
    if not isinstance(figs_in, dict):
        raise err("figures应为「单元格编号: 数值」的列表", "figures")
    cells = fmt.cells
    if figures_format == fid:           # read as a block by quickread: every cell, each value as parse_number gives
        figures, figs_in = figs_in, {}
    else:
        figures = dict.fromkeys(cells)
    for cid, v in figs_in.items():
        if type(cid) is not str:
            cid = str(cid)
        if cid not in cells:
            raise err(f"未知的单元格编号（{fid}格式中没有此项）", "figures", cid)
        if v is None:
            continue
        if type(v) is int and -MAX_ANY <= v <= MAX_ANY:     # what parse_number(v, "any") returns, without its cost
            figures[cid] = v
            continue
        try:
            figures[cid] = parse_number(v, "any")
        except NumberError as e:
            raise err(f"「{shown(v)}」不是数字：{e}", "figures", cid) from None
    extra = {k: v for k, v in data.items() if k not in KNOWN_KEYS}
    where = path if isinstance(path, Path) or not path else Path(path)
    return Report(fid, year, dict(agency, level=level), signed, body, figures, extra, where or None)


def name_problem(name) -> str | None:
    """Why `name` cannot be an agency's name (one line of at most NAME_MAX characters), or None."""
    if not isinstance(name, str):
        return "机关名称应为一行文字" + ("（这里是一个列表）" if isinstance(name, list) else
                                 "（这里是键值结构）" if isinstance(name, dict) else f"（这里是「{shown(name)}」）")
    if any(ch in name for ch in "\n\r\u2028\u2029\x85"):
        return "机关名称应为一行文字，不能换行"
    bad = next((ch for ch in name if unicodedata.category(ch) == "Cc"), None)
    if bad is not None:
        return f"机关名称含有不可见的控制字符U+{ord(bad):04X}，请删除"
    if len(name) > NAME_MAX:
        return f"机关名称不能超过{NAME_MAX}个字（现为{len(name)}个字）"
    return None


def _key_at(text: str, line: int) -> str | None:
    """The key of `line` when it reads `key: value`."""
    lines = text.splitlines()
    m = re.match(r"\s*([^\s:#'\"][^:#]*?)\s*:(\s|$)", lines[line - 1]) if 0 < line <= len(lines) else None
    return m.group(1) if m else None


def _yaml_error(e: yaml.YAMLError, text: str, path) -> ReportError:
    """A YAML syntax error in Chinese, with the line and, when the line is `key: value`, the key."""
    mark = getattr(e, "problem_mark", None)
    line = mark.line + 1 if mark else None
    problem = str(getattr(e, "problem", "") or "")
    if isinstance(e, yaml.reader.ReaderError):
        pos = e.position if isinstance(e.position, int) else 0
        if e.encoding == "unicode":      # the pure loader counts characters, libyaml bytes of UTF-8
            line = text.count("\n", 0, pos) + 1
        else:
            line = text.encode("utf-8", "surrogatepass")[:pos].count(b"\n") + 1
        ch = e.character if isinstance(e.character, int) else ord(e.character or "\0")
        why = f"含有不可见的控制字符U+{ch:04X}，请删除"
    elif "'\t'" in problem:
        why = "含有制表符（Tab），请改为空格，或给数值加上引号"
    elif "escape" in problem:
        why = "引号内的转义写法（\\…）无效"
    elif "block sequence" in problem or "block mapping" in problem:
        why = "值以「-」「?」开头或含有「: 」时会被当作YAML结构，请给值加上引号"
    elif "constructor" in problem:
        why = "含有不认识的标记（!!…），请删除"
    elif "nesting depth" in problem:
        why = "层次过深"
    elif "but found another document" in problem:
        why = "只能有一个文档（文件中有「---」分隔的多个部分）"
    else:
        why = "格式错误" + (f"（{shown(problem, 60)}）" if problem else "")
    return ReportError(path, f"不是有效的YAML文件：{why}", line, _key_at(text, line) if line else None)


def load(path) -> Report:
    path = Path(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if path.is_symlink():
            raise ReportError(path, f"链接指向的文件不存在（{os.readlink(path)}）") from None
        raise ReportError(path, "文件不存在") from None
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise ReportError(path, "链接循环（链接最终指向自己），无法读取") from None
        raise ReportError(path, f"无法读取（{_os_why(e)}）") from None
    if stat.S_ISDIR(st.st_mode):
        raise ReportError(path, "这是一个文件夹，不是报告文件")
    if not stat.S_ISREG(st.st_mode):
        raise ReportError(path, "不是普通文件（设备、管道等），无法读取")
    if st.st_size > MAX_BYTES:
        raise ReportError(path, f"文件过大（{st.st_size / 1024 / 1024:.1f}MB），不是drafter报告文件"
                                f"（报告文件一般不到0.1MB，上限{MAX_BYTES // 1024 // 1024}MB）")
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise ReportError(path, "文件不存在") from None
    except IsADirectoryError:
        raise ReportError(path, "这是一个文件夹，不是报告文件") from None
    except OSError as e:
        raise ReportError(path, f"无法读取（{_os_why(e)}）") from None
    if len(raw) > MAX_BYTES:
        raise ReportError(path, f"文件过大，不是drafter报告文件（上限{MAX_BYTES // 1024 // 1024}MB）")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[:e.start].count(b"\n") + 1
        raise ReportError(path, "不是UTF-8编码的文本文件，无法读取", line) from None
    return loads(text, path)


def _os_why(e: OSError) -> str:
    why = {errno.EACCES: "没有读取权限", errno.EPERM: "没有读取权限", errno.ENOTDIR: "路径中有一项不是文件夹",
           errno.ENAMETOOLONG: "文件名过长", errno.EIO: "磁盘读写出错"}
    return why.get(e.errno or 0) or str(e.strerror or e)


def agency_key(name: str) -> str:
    """Agencies are matched by name: full-width/half-width and spaces do not matter."""
    return normalise(name or "")
