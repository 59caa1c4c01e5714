"""The Report (the drafter file of FORMAT.md §6): plain data, loaded and saved atomically."""
from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from .formats import FORMAT_IDS, Format, UnknownFormat, format_for_year, load_format
from .numbers import NumberError, normalise, parse_number, shown

LEVELS = ("township", "county", "city", "province", "department")
LEVEL_NAMES = {"township": "乡镇（街道）", "county": "县级", "city": "市级", "province": "省级", "department": "部门"}
TEXT_KEYS = ("intro", "overview", "problems", "other")
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
        d = {"format": self.format, "year": self.year, "agency": dict(self.agency)}
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
        path = Path(path or self.path)
        atomic_write(path, self.dumps())
        self.path = path
        return path


def atomic_write(path: Path, data: str | bytes, keep_backup: bool = True) -> None:
    """Write to a temporary file in the same folder, flush, fsync, rename; keep the previous version as .bak."""
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
            f.flush()
            os.fsync(f.fileno())
        if keep_backup and path.exists():
            bak = path.with_name(path.name + ".bak")
            try:
                _link_backup(path, bak)
            except OSError:
                pass
        os.replace(tmp, path)
        for stale in path.parent.glob(f".{path.name}.*.tmp"):  # left by a write that was killed
            try:
                stale.unlink()
            except OSError:
                pass
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:
        dfd = os.open(path.parent or ".", os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


def _link_backup(path: Path, bak: Path) -> None:
    # a hard link keeps `path` in place until the rename, so there is no moment without the file
    tmp = bak.with_name(bak.name + ".tmp")
    if tmp.exists():
        tmp.unlink()
    os.link(path, tmp)
    os.replace(tmp, bak)


# ---- YAML ---------------------------------------------------------------------------------------
class _Loader(yaml.SafeLoader):
    pass


def _float(loader, node):
    s = loader.construct_scalar(node)
    if s.lower().lstrip("+-") in (".inf", ".nan") or any(ch in s for ch in "_:eE"):
        return s  # not a figure as a clerk writes it (1_000.5, 1:30.5, 1.0e+5): parse_number reports it
    return Decimal(s)


def _int(loader, node):
    # YAML 1.1 reads 0012 as octal 10, 0x10 as 16, 1:30 as 90, 1_000 as 1000: a figure is read as written, in decimal
    s = loader.construct_scalar(node)
    digits = s[1:] if s[:1] in "+-" else s
    if digits.isascii() and digits.isdigit() and len(digits) <= 18:
        return int(s, 10)
    return s  # parse_number reports it (too long for int() too: 10,000 digits)


_Loader.add_constructor("tag:yaml.org,2002:float", _float)
_Loader.add_constructor("tag:yaml.org,2002:int", _int)

# libyaml parses a drafter file about eight times faster (county offices load hundreds); same constructors
if getattr(yaml, "__with_libyaml__", False):
    class _FastLoader(yaml.CSafeLoader):
        pass

    _FastLoader.add_constructor("tag:yaml.org,2002:float", _float)
    _FastLoader.add_constructor("tag:yaml.org,2002:int", _int)
else:  # pragma: no cover - PyYAML without libyaml
    _FastLoader = _Loader


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
    _FastDumper = None


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


def loads(text: str, path=None) -> Report:
    source = text
    try:
        try:
            data = yaml.load(text, Loader=_FastLoader)
        except UnicodeError:  # libyaml refuses lone surrogates; the pure loader reports them as a YAMLError
            data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as e:
        raise _yaml_error(e, text, path) from None
    if not isinstance(data, dict):
        raise ReportError(path, "不是drafter报告文件（应为键值结构）", 1)

    def err(msg, *keys):
        try:  # node marks, for the line number: only on error
            root = yaml.compose(source, Loader=_FastLoader)
        except (yaml.YAMLError, UnicodeError):
            root = None
        return ReportError(path, msg, _line_of(root, *keys), ".".join(keys) if keys else None)

    year = data.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 2008 <= year <= 2100:
        raise err("年度应为四位数字年份，如2021", "year")
    fid = data.get("format")
    if fid is None:
        try:
            fid = format_for_year(year)
        except UnknownFormat:
            raise err(f"没有适用于{year}年的报告格式（2019年起）", "year")
    fid = str(fid)
    if fid not in FORMAT_IDS:
        raise err(f"未知的报告格式「{fid}」，应为2019或2021", "format")
    fmt = load_format(fid)
    agency = data.get("agency") or {}
    if not isinstance(agency, dict):
        raise err("机关信息应包含name和level", "agency")
    level = agency.get("level", "township")
    if level not in LEVELS:
        raise err(f"机关层级「{level}」无效，应为 {' | '.join(LEVELS)}", "agency", "level")
    name = agency.get("name")
    if name is not None and not isinstance(name, str):
        agency = dict(agency, name=str(name))
    signed = data.get("signed_on")
    if isinstance(signed, str):
        try:
            signed = dt.date.fromisoformat(signed.strip())
        except ValueError:
            raise err("落款日期应写作2022-01-28", "signed_on")
    if signed is not None and not isinstance(signed, dt.date):
        raise err("落款日期应写作2022-01-28", "signed_on")
    text = data.get("text") or {}
    if not isinstance(text, dict):
        raise err("正文应包含intro、overview、problems、other", "text")
    for k in ("intro", "problems", "other"):
        v = text.get(k)
        if v is not None and not isinstance(v, str):
            text[k] = str(v)
    ov = text.get("overview") or []
    if isinstance(ov, str):
        ov = [{"title": "", "body": ov}]
    if not isinstance(ov, list) or not all(isinstance(p, dict) for p in ov):
        raise err("总体情况应为若干小节（title、body）", "text", "overview")
    text["overview"] = [{"title": str(p.get("title") or ""), "body": str(p.get("body") or ""),
                         **{k: v for k, v in p.items() if k not in ("title", "body")}} for p in ov]
    figs_in = data.get("figures") or {}
    if not isinstance(figs_in, dict):
        raise err("figures应为「单元格编号: 数值」的列表", "figures")
    figures = {cid: None for cid in fmt.cells}
    for cid, v in figs_in.items():
        cid = str(cid)
        if cid not in fmt.cells:
            raise err(f"未知的单元格编号（{fid}格式中没有此项）", "figures", cid)
        try:
            figures[cid] = parse_number(v, "any")
        except NumberError as e:
            raise err(f"「{shown(v)}」不是数字：{e}", "figures", cid)
    extra = {k: v for k, v in data.items() if k not in KNOWN_KEYS}
    return Report(fid, year, dict(agency, level=level), signed, text, figures, extra, Path(path) if path else None)


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
    else:
        why = "格式错误" + (f"（{problem}）" if problem else "")
    key = None
    if line:
        lines = text.splitlines()
        m = re.match(r"\s*([^\s:#'\"][^:#]*?)\s*:(\s|$)", lines[line - 1]) if line <= len(lines) else None
        key = m.group(1) if m else None
    return ReportError(path, f"不是有效的YAML文件：{why}", line, key)


def load(path) -> Report:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ReportError(path, "文件不存在") from None
    except IsADirectoryError:
        raise ReportError(path, "这是一个文件夹，不是报告文件") from None
    except OSError as e:
        raise ReportError(path, f"无法读取（{e.strerror}）") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ReportError(path, "不是UTF-8编码的文本文件，无法读取") from None
    return loads(text, path)


def agency_key(name: str) -> str:
    """Agencies are matched by name: full-width/half-width and spaces do not matter."""
    return normalise(name or "")


def index_by_agency(paths, year: int | None = None) -> tuple[dict[str, Report], list[tuple[str, str]]]:
    """Reports (last year's, for pairing) by agency name, and the files left out with the reason in Chinese:
    unreadable, of another year than `year`, without a name, or a second file of the same agency."""
    index: dict[str, Report] = {}
    left_out: list[tuple[str, str]] = []
    for p in paths:
        try:
            r = load(p)
        except ReportError as e:
            left_out.append((str(p), f"无法读取：{e.detail}"))
            continue
        if year is not None and r.year != year:
            left_out.append((str(p), f"年度为{r.year}，不是上一年度{year}"))
            continue
        key = agency_key(r.agency_name)
        if not key:
            left_out.append((str(p), "未填机关名称，无法配对"))
        elif key in index:
            left_out.append((str(p), f"机关名称与{index[key].path.name}相同，只用一份"))
        else:
            index[key] = r
    return index, left_out
