"""Report → Word (.docx through the docxtpl templates of templates/), one HTML page, or PDF (LibreOffice).

The typography of GB/T 9704-2012 is in typography.py and the faces in fonts.py; render re-exports both, so that
templates/build.py and the summary's Word file take them from here as before.
The core: python-docx and docxtpl only, never textual.
"""
from __future__ import annotations

import datetime as dt
import importlib.resources
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Callable

from .chinese import cn_number
from .chinese import printed_text as clean_text
from .dates import chinese_date
from .fonts import (
    FACES,
    font_substitutes,
    installed_fonts,
    rename_fonts,
    resolve_faces,
)
from .formats import Format
from .html import grid_html, report_page
from .typography import (
    BODY_PT,
    DRAFT_MARK,
    DRAFT_TITLE_SUFFIX,
    FONT_BODY,
    FONT_H1,
    FONT_H2,
    FONT_LATIN,
    FONT_PAGE,
    FONT_TITLE,
    LANG,
    LINE_PITCH_PT,
    MARGINS_MM,
    PAGE_MM,
    PAGE_NUMBER_PT,
    STYLE_BODY,
    STYLE_DRAFT,
    STYLE_H1,
    STYLE_H2,
    STYLE_SIGN_DATE,
    STYLE_SIGN_NAME,
    STYLE_TABLE,
    STYLE_TITLE,
    TABLE_PT,
    TITLE_CHARS,
    TITLE_PT,
    TYPE_WIDTH_MM,
    add_grid_table,
    column_widths,
    indent_chars,
    kept_rows,
    read_grid,
    row_groups,
    set_page,
    set_run_fonts,
    text_width,
    title_lines,
)

# render is the one module callers need: the typography and the faces are re-exported
__all__ = [
    "BODY_PT", "DRAFT_MARK", "DRAFT_TITLE_SUFFIX", "FACES", "FONT_BODY", "FONT_H1", "FONT_H2", "FONT_LATIN",
    "FONT_PAGE", "FONT_TITLE", "LANG", "LINE_PITCH_PT", "MARGINS_MM", "NAME_AGENCY_BYTES", "PAGE_MM",
    "PAGE_NUMBER_PT", "PROPERTY_MAX", "RenderError", "STYLE_BODY", "STYLE_DRAFT", "STYLE_H1", "STYLE_H2",
    "STYLE_SIGN_DATE", "STYLE_SIGN_NAME", "STYLE_TABLE", "STYLE_TITLE", "TABLE_PT", "TITLE_CHARS", "TITLE_PT",
    "TYPE_WIDTH_MM", "add_grid_table", "clean_text", "cn_number", "column_widths", "context", "default_name",
    "discard_template_child", "display", "document_property", "docx_to_pdf", "figures_text", "font_substitutes",
    "full_width_number",
    "grid_html", "indent_chars", "installed_fonts", "kept_rows", "libreoffice", "missing_placeholders",
    "overview_parts", "paragraphs", "read_grid", "rename_fonts", "render_docx", "render_docx_bytes", "render_html",
    "render_pdf", "resolve_faces", "row_groups", "set_page", "set_run_fonts", "template_path", "templates_dir",
    "text_width", "title_lines", "warm_template_child",
]


def templates_dir():
    """The packaged templates (templates/ of the checkout ships as the package drafter.templates)."""
    return importlib.resources.files("drafter.templates")


PROPERTY_MAX = 255             # characters of a document property (core.xml) Word and python-docx accept


class RenderError(Exception):
    """Rendering failed; str() is one Chinese line for the clerk."""


# ---- text as typed → text as printed -----------------------------------------------------------
_HEAD = re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]")
_NUMBERED = re.compile(r"^([（(][一二三四五六七八九十]{1,3}[）)]|[一二三四五六七八九十]{1,3}[、.．]|\d{1,2}[、.．])")


def full_width_number(p: str) -> str:
    """A heading number typed with half-width brackets, `(一)`, as printed: `（一）`."""
    return _HEAD.sub(lambda m: "（" + m.group(0)[1:-1] + "）", p, count=1)


def paragraphs(text) -> list[str]:
    """One printed paragraph per non-blank line of a text (lines are split before control characters go)."""
    if not text:
        return []
    lines = re.split(r"\r\n|\r|\n|\u2028|\u2029|\x0b|\x0c|\x85", str(text))
    return [p for p in (clean_text(line).strip() for line in lines) if p]


def _items(text) -> list[dict]:
    """Paragraphs of a text, each {text, head}: a short line such as （一）存在问题 prints as a 楷体 heading."""
    return [{"text": full_width_number(p), "head": bool(_HEAD.match(p)) and len(p) <= 30 and "。" not in p.rstrip("。")}
            for p in paragraphs(text)]


def overview_parts(report) -> list[dict]:
    """总体情况 as [{title: '（一）主动公开', paras: [...]}]; a title already numbered keeps its own number.
    The lead paragraphs of 一 (text.overview_lead) come first, as a part without a title, before （一）."""
    out, n = [{"title": "", "paras": _items(report.text.get("overview_lead"))}], 0
    for part in report.overview():
        title = full_width_number(" ".join(paragraphs(part.get("title"))))
        if title:
            n += 1
            if not _NUMBERED.match(title):
                title = f"（{cn_number(n)}）{title}"
        out.append({"title": title, "paras": _items(part.get("body"))})
    return [p for p in out if p["title"] or p["paras"]]


def display(cell, value) -> str:
    """A figure as printed in the table: 0 for an empty cell, `+1` for a positive 本年增/减."""
    from .numbers import format_number
    if value is None or value == "":
        return "0"
    if not isinstance(value, (int, Decimal)) or isinstance(value, bool):
        return clean_text(value)
    s = format_number(value)
    if cell is not None and cell.kind == "signed" and value > 0:
        s = "+" + s
    return s


def figures_text(report) -> dict[str, str]:
    fmt = report.fmt
    return {cid: display(c, report.figures.get(cid)) for cid, c in fmt.cells.items()}


def context(report, draft: bool = False) -> dict:
    """Everything the templates print, as plain strings and lists (the template escapes them)."""
    title = clean_text(report.title)
    return {
        "title": title + (DRAFT_TITLE_SUFFIX if draft else ""),
        "draft": bool(draft),
        "draft_mark": DRAFT_MARK if draft else "",
        "year": report.year,
        "agency": clean_text(report.agency_name).strip(),
        "signed_on": chinese_date(report.signed_on) if report.signed_on else "",
        "intro": _items(report.text.get("intro")),
        "overview": overview_parts(report),
        "problems": _items(report.text.get("problems")),
        "other": _items(report.text.get("other")),
        "f": figures_text(report),
    }


NAME_AGENCY_BYTES = 120        # UTF-8 bytes of the agency in a default file name (names end at 255 bytes)


def _shorten(s: str, limit: int, size: Callable[[str], int] = len) -> str:
    """`s` cut to `limit` (characters, or what `size` measures) at a character boundary, with … when cut."""
    if size(s) <= limit:
        return s
    out = ""
    for ch in s:
        if size(out + ch + "…") > limit:
            break
        out += ch
    return out + "…"


def default_name(report, suffix: str = ".docx") -> str:
    name = re.sub(r'[\\/:*?"<>|\s]+', "", clean_text(report.agency_name)) or "未命名单位"
    name = _shorten(name, NAME_AGENCY_BYTES, lambda s: len(s.encode("utf-8")))
    return f"{name}{report.year}{report.fmt.title_suffix}{suffix}"


def document_property(s: str) -> str:
    """Text for a document property (title, author): one line, at most PROPERTY_MAX characters."""
    return _shorten(" ".join(clean_text(s).split()), PROPERTY_MAX)


# ---- Word ----------------------------------------------------------------------------------------
def template_path(fid: str, template=None):
    """The template file: the clerk's own (`--template`), or the packaged one of format `fid` (a Traversable
    of importlib.resources, read with read_bytes())."""
    if template:
        p = Path(template)
        if not p.is_file():
            raise RenderError(f"模板文件不存在：{p}")
        return p
    t = templates_dir().joinpath(str(fid), "report.docx")
    if not t.is_file():
        raise RenderError(f"找不到{fid}格式的Word模板（{t}），请重新安装drafter（源码目录中运行 make templates）")
    return t


def missing_placeholders(template, fmt: Format) -> list[str]:
    """Cell ids a (province's) template does not print."""
    import zipfile
    try:
        with zipfile.ZipFile(template) as z:
            xml = z.read("word/document.xml").decode("utf-8")
    except (OSError, KeyError, zipfile.BadZipFile):
        raise RenderError(f"模板「{template}」不是有效的Word（.docx）文件") from None
    xml = re.sub(r"<[^>]+>", "", xml)
    return [cid for cid in fmt.cells if f'"{cid}"' not in xml and f"'{cid}'" not in xml
            and f"&quot;{cid}&quot;" not in xml]


# ---- a clerk's own template: sandboxed, in a child process with a time and a memory limit ------------------
TEMPLATE_SECONDS = 20.0            # a clerk's template (--template) is stopped after this long
TEMPLATE_MEMORY = 1 << 30          # bytes of address space for its child process (POSIX RLIMIT_AS)
TEMPLATE_OUTPUT_CHARS = 5_000_000  # characters one part of the document may grow to (a report's: 0.14 M)
TEMPLATE_PRODUCT = 1_000_000       # items of a string or list made by `*` in a template


def _template_env(bounded: bool):
    """Jinja2's sandbox (no attributes of internals, bounded ranges). `bounded` (a clerk's template) also bounds
    what `*` and `**` make and the size of the rendered text."""
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import SandboxedEnvironment

    if not bounded:
        return SandboxedEnvironment(autoescape=True)

    class BoundedSandbox(SandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**"})

        def call_binop(self, context, operator, left, right):
            if operator == "*":
                for seq, n in ((left, right), (right, left)):
                    if isinstance(seq, (str, bytes, list, tuple)) and isinstance(n, int) \
                            and len(seq) * n > TEMPLATE_PRODUCT:
                        raise SecurityError(f"模板中的乘法结果过大（超过{TEMPLATE_PRODUCT}个字符或项）")
            elif operator == "**" and isinstance(left, int) and isinstance(right, int) \
                    and abs(left) > 1 and right > 0 and abs(left).bit_length() * right > 10_000:
                raise SecurityError("模板中的乘方结果过大")
            return super().call_binop(context, operator, left, right)

    env = BoundedSandbox(autoescape=True)
    env.concat = _bounded_concat  # type: ignore[method-assign]
    return env


class _TooLong(Exception):
    pass


def _bounded_concat(parts) -> str:
    """Template.render's "".join, stopped once the text passes TEMPLATE_OUTPUT_CHARS."""
    chunks: list[str] = []
    buf: list[str] = []
    n = 0
    for part in parts:
        n += len(part)
        if n > TEMPLATE_OUTPUT_CHARS:
            raise _TooLong
        buf.append(part)
        if len(buf) >= 4096:
            chunks.append("".join(buf))
            buf = []
    chunks.append("".join(buf))
    return "".join(chunks)


def _advice() -> str:
    return "请改用drafter自带的全国模板，或请提供模板的单位检查"


def _fill(source, name: str, ctx: dict, year: int, fonts: dict[str, str] | None, bounded: bool) -> bytes:
    """The template `source` (a path or a file object) filled with `ctx`, laid out, as .docx bytes. `bounded`:
    a clerk's template, whose every failure is a RenderError."""
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError

    try:
        tpl = DocxTemplate(source)
        tpl.render(ctx, jinja_env=_template_env(bounded), autoescape=True)
    except TemplateError as e:
        raise RenderError(f"模板「{name}」有误：{clean_text(e)}") from None
    except _TooLong:
        raise RenderError(f"模板「{name}」生成的内容过多（超过{TEMPLATE_OUTPUT_CHARS:,}个字符），"
                          f"其中可能有无尽的循环：{_advice()}") from None
    except RecursionError:
        raise RenderError(f"模板「{name}」有误：宏（macro）调用自身过深，可能永不结束：{_advice()}") from None
    except MemoryError:
        raise
    except Exception as e:  # a damaged .docx
        if not bounded:
            raise
        raise RenderError(f"模板「{name}」无法使用：{type(e).__name__}") from None
    _sign_indents(tpl.docx)
    _break_title(tpl.docx, ctx["title"], ctx["agency"], year)
    cp = tpl.docx.core_properties
    cp.title = document_property(ctx["title"])
    cp.author = cp.last_modified_by = document_property(ctx["agency"])
    cp.comments = ""
    cp.created = cp.modified = dt.datetime.now().replace(microsecond=0)
    if fonts:
        rename_fonts(tpl.docx, fonts)
    buf = io.BytesIO()
    tpl.save(buf)
    return buf.getvalue()


def _memory_text() -> str:
    return f"{TEMPLATE_MEMORY / (1 << 30):g} GB" if TEMPLATE_MEMORY >= 1 << 30 else f"{TEMPLATE_MEMORY >> 20} MB"


def _child(conn, memory: int) -> None:
    """The child process of a clerk's template: loads what rendering needs, waits for one job (template path,
    context, year, fonts, limits) and sends back ("ok", bytes) or ("error", Chinese line)."""
    import signal
    global TEMPLATE_OUTPUT_CHARS, TEMPLATE_PRODUCT, TEMPLATE_MEMORY
    signal.signal(signal.SIGINT, signal.SIG_IGN)    # Ctrl+C is the parent's: it ends this process
    TEMPLATE_MEMORY = memory
    if sys.platform == "win32":
        _limit_memory_windows(memory)
    else:
        try:
            import resource
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        except (ImportError, ValueError, OSError):     # a hard limit already lower
            pass
    import docxtpl  # noqa: F401 - loaded while the parent still reads and checks the report
    try:
        path, ctx, year, fonts, TEMPLATE_OUTPUT_CHARS, TEMPLATE_PRODUCT = conn.recv()
    except (EOFError, OSError):                     # the parent did not need it after all
        return
    name = Path(path).name
    try:
        answer: tuple[str, object] = ("ok", _fill(path, name, ctx, year, fonts, bounded=True))
    except RenderError as e:
        answer = ("error", str(e))
    except MemoryError:
        answer = ("error", _memory_message(name))
    except Exception as e:  # noqa: BLE001 - python-docx on what a hostile template made: said, never a traceback
        answer = ("error", f"模板「{name}」无法使用：{type(e).__name__}")
    conn.send(answer)
    conn.close()


def _limit_memory_windows(limit: int) -> None:  # pragma: no cover - exercised on Windows only
    """This process in a job object whose per-process memory limit is `limit` bytes (an allocation beyond it fails:
    MemoryError); left without a limit where Windows refuses."""
    import ctypes
    from ctypes import wintypes

    class Basic(ctypes.Structure):      # JOBOBJECT_BASIC_LIMIT_INFORMATION
        _fields_ = [("PerProcessUserTimeLimit", ctypes.c_int64), ("PerJobUserTimeLimit", ctypes.c_int64),
                    ("LimitFlags", wintypes.DWORD), ("MinimumWorkingSetSize", ctypes.c_size_t),
                    ("MaximumWorkingSetSize", ctypes.c_size_t), ("ActiveProcessLimit", wintypes.DWORD),
                    ("Affinity", ctypes.c_size_t), ("PriorityClass", wintypes.DWORD),
                    ("SchedulingClass", wintypes.DWORD)]

    class Extended(ctypes.Structure):   # JOBOBJECT_EXTENDED_LIMIT_INFORMATION
        _fields_ = [("BasicLimitInformation", Basic), ("IoInfo", ctypes.c_uint64 * 6),
                    ("ProcessMemoryLimit", ctypes.c_size_t), ("JobMemoryLimit", ctypes.c_size_t),
                    ("PeakProcessMemoryUsed", ctypes.c_size_t), ("PeakJobMemoryUsed", ctypes.c_size_t)]

    job_object_limit_process_memory, job_object_extended_limit_information = 0x100, 9
    try:
        k = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
        k.CreateJobObjectW.restype = wintypes.HANDLE
        k.CreateJobObjectW.argtypes = (ctypes.c_void_p, wintypes.LPCWSTR)
        k.GetCurrentProcess.restype = wintypes.HANDLE
        k.SetInformationJobObject.argtypes = (wintypes.HANDLE, ctypes.c_int, ctypes.c_void_p, wintypes.DWORD)
        k.AssignProcessToJobObject.argtypes = (wintypes.HANDLE, wintypes.HANDLE)
        job = k.CreateJobObjectW(None, None)
        if not job:
            return
        info = Extended()
        info.BasicLimitInformation.LimitFlags = job_object_limit_process_memory
        info.ProcessMemoryLimit = limit
        if k.SetInformationJobObject(job, job_object_extended_limit_information, ctypes.byref(info),
                                     ctypes.sizeof(info)):
            k.AssignProcessToJobObject(job, k.GetCurrentProcess())
    except (AttributeError, OSError):
        pass


def _memory_message(name: str) -> str:
    return f"模板处理占用内存过多（超过{_memory_text()}）：模板「{name}」可能在生成极大量的内容。{_advice()}"


class _Child:
    """A started child process for one clerk's template ("spawn": the same on Windows)."""

    def __init__(self) -> None:
        import multiprocessing

        mp = multiprocessing.get_context("spawn")
        self.conn, theirs = mp.Pipe()
        self.process = mp.Process(target=_child, args=(theirs, TEMPLATE_MEMORY), name="drafter-template",
                                  daemon=True)
        self.process.start()
        theirs.close()

    def end(self, wait: float = 1.0) -> None:
        """Close the pipe (a child still waiting for its job then ends) and kill the child after `wait` s."""
        self.conn.close()
        self.process.join(wait)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


_waiting: _Child | None = None


def warm_template_child() -> None:
    """Start the child process for a clerk's template now, so that its Python loads while the report is read and
    checked (`drafter render --template`); render_docx_bytes uses it, and it ends with this process if unused."""
    global _waiting
    if _waiting is None:
        _waiting = _Child()


def discard_template_child() -> None:
    """End the child started by warm_template_child if it was not used (the report was refused, say)."""
    global _waiting
    child, _waiting = _waiting, None
    if child is not None:
        child.end()


def _fill_bounded(path: Path, ctx: dict, year: int, fonts: dict[str, str] | None) -> bytes:
    """_fill for a clerk's template in a child process, killed after TEMPLATE_SECONDS; every failure a
    RenderError with one Chinese line."""
    global _waiting
    child, _waiting = _waiting or _Child(), None
    ended = RenderError(f"模板处理意外中止：模板「{path.name}」可能占用内存过多。{_advice()}")
    wait = 0.0                          # a child that has not answered is killed at once
    try:
        try:
            child.conn.send((str(path), ctx, year, fonts, TEMPLATE_OUTPUT_CHARS, TEMPLATE_PRODUCT))
        except OSError:                 # it ended before it was given the template
            raise ended from None
        if not child.conn.poll(TEMPLATE_SECONDS):
            raise RenderError(f"模板处理超时（超过{TEMPLATE_SECONDS:g}秒）：模板「{path.name}」中可能有无尽的循环，"
                              f"已停止。{_advice()}")
        wait = 1.0
        try:
            kind, value = child.conn.recv()
        except (EOFError, OSError):     # the child ended without an answer (killed for its memory, a crash)
            raise ended from None
        except MemoryError:
            raise RenderError(_memory_message(path.name)) from None
    finally:
        child.end(wait)
    if kind != "ok":
        raise RenderError(str(value))
    return bytes(value)


def render_docx_bytes(report, draft: bool = False, template=None, fonts: dict[str, str] | None = None) -> bytes:
    """The .docx. A template is rendered in Jinja2's sandbox (a template file from elsewhere cannot reach
    Python: no os, no attributes of internals, bounded ranges), values escaped; a clerk's template that
    prints none of the report's cells is refused, and is rendered in a child process bounded in time and
    memory. `fonts` renames faces (official → installed stand-in) for a PDF made on this machine."""
    path = template_path(report.format, template)
    if template is not None and len(missing_placeholders(path, report.fmt)) == len(report.fmt.cells):
        raise RenderError(f"模板「{path.name}」中没有报告的占位符（如 {{{{ f[\"requests.new.total\"] }}}}），"
                          "不能用来生成报告：请以drafter自带的模板为底稿修改")
    ctx = context(report, draft)
    if template is None:
        return _fill(io.BytesIO(path.read_bytes()), path.name, ctx, report.year, fonts, bounded=False)
    return _fill_bounded(path, ctx, report.year, fonts)


def _break_title(doc, title: str, agency: str, year: int) -> None:
    """The title paragraph broken into `title_lines` with explicit line breaks (w:br)."""
    lines = title_lines(title, agency, year)
    if len(lines) < 2:
        return
    for p in doc.paragraphs:
        if p.text.strip() == title:
            runs = [r for r in p.runs if r.text]
            runs[0].text = "\n".join(lines)        # python-docx writes "\n" as <w:br/>
            for r in runs[1:]:
                r.text = ""
            return


def render_docx(report, out, draft: bool = False, template=None) -> Path:
    """Write the report as a .docx at `out` (atomically); returns the path."""
    from .files import atomic_write
    data = render_docx_bytes(report, draft, template)
    out = Path(out)
    try:
        atomic_write(out, data, keep_backup=False)
    except OSError as e:
        raise RenderError(f"无法写入「{out}」：{e.strerror or e}") from None
    return out


def _sign_indents(doc) -> None:
    """落款 without seal (GB/T 9704-2012 7.3.5.2): the name right-indented 2 characters, the date on the
    next line starting 2 characters right of the name's first character (if the date is the longer, it is
    right-indented 2 characters and the name moves left)."""
    name_p = next((p for p in doc.paragraphs if p.style is not None and p.style.name == STYLE_SIGN_NAME), None)
    date_p = next((p for p in doc.paragraphs if p.style is not None and p.style.name == STYLE_SIGN_DATE), None)
    if name_p is None or date_p is None:
        return
    n, d = text_width(name_p.text.strip()), text_width(date_p.text.strip())
    name_ri: float
    date_ri: float
    if d > n:
        name_ri, date_ri = d - n + 4, 2
    else:
        name_ri, date_ri = 2, n - d
    indent_chars(name_p, right=name_ri)
    indent_chars(date_p, right=date_ri)
    # the 落款 never stands alone on a page: it keeps the text's last paragraph with it
    paras = doc.paragraphs
    i = next(k for k, p in enumerate(paras) if p._p is name_p._p)
    for p in paras[max(0, i - 2):i + 1]:
        p.paragraph_format.keep_with_next = True


# ---- HTML (drafter/html.py: Jinja2 templates with autoescape) ------------------------------------------
def render_html(report, draft: bool = False) -> str:
    """The report as one HTML page for a website's CMS: headings, paragraphs, the three tables."""
    return report_page(context(report, draft), report.fmt)


# ---- PDF ---------------------------------------------------------------------------------------------
def libreoffice() -> str | None:
    """LibreOffice's program: on the PATH, else where its installers put it on Windows and macOS."""
    found = shutil.which("libreoffice") or shutil.which("soffice")
    if found:
        return found
    places = [Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")]
    for var in ("ProgramFiles", "ProgramFiles(x86)"):
        if os.environ.get(var):
            places.append(Path(os.environ[var]) / "LibreOffice" / "program" / "soffice.exe")
    return next((str(p) for p in places if p.is_file()), None)


def docx_to_pdf(docx: Path, outdir: Path, timeout: int = 180) -> Path:
    """Convert with `libreoffice --headless --convert-to pdf` (a private profile, so a running LibreOffice
    does not block it)."""
    exe = libreoffice()
    if not exe:
        raise RenderError("未安装LibreOffice，无法生成PDF：请安装LibreOffice（如 apt-get install libreoffice-writer），"
                          "或生成Word文件后用WPS/Word另存为PDF")
    with tempfile.TemporaryDirectory(prefix="drafter-lo-") as profile:
        cmd = [exe, f"-env:UserInstallation={Path(profile).resolve().as_uri()}", "--headless", "--convert-to", "pdf",
               "--outdir", str(outdir), str(docx)]
        try:
            res = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8",
                                 errors="replace", timeout=timeout)
        except subprocess.TimeoutExpired:
            raise RenderError(f"LibreOffice转换PDF超时（{timeout}秒）") from None
    pdf = Path(outdir) / (Path(docx).stem + ".pdf")
    if res.returncode != 0 or not pdf.is_file():
        msg = (res.stderr or res.stdout or "").strip().splitlines()
        raise RenderError("LibreOffice未能生成PDF" + (f"：{msg[-1]}" if msg else ""))
    return pdf


def render_pdf(report, out, draft: bool = False, template=None) -> Path:
    from .files import atomic_write
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="drafter-pdf-") as tmp:
        docx = Path(tmp) / (out.stem + ".docx")
        docx.write_bytes(render_docx_bytes(report, draft, template, fonts=font_substitutes()))
        pdf = docx_to_pdf(docx, Path(tmp))
        atomic_write(out, pdf.read_bytes(), keep_backup=False)
    return out
