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
    "display", "document_property", "docx_to_pdf", "figures_text", "font_substitutes", "full_width_number",
    "grid_html", "indent_chars", "installed_fonts", "kept_rows", "libreoffice", "missing_placeholders",
    "overview_parts", "paragraphs", "read_grid", "rename_fonts", "render_docx", "render_docx_bytes", "render_html",
    "render_pdf", "resolve_faces", "row_groups", "set_page", "set_run_fonts", "template_path", "templates_dir",
    "text_width", "title_lines",
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


def render_docx_bytes(report, draft: bool = False, template=None, fonts: dict[str, str] | None = None) -> bytes:
    """The .docx. A template is rendered in Jinja2's sandbox (a template file from elsewhere cannot reach
    Python: no os, no attributes of internals, bounded ranges), values escaped; a clerk's template that
    prints none of the report's cells is refused. `fonts` renames faces (official → installed stand-in)
    for a PDF made on this machine."""
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError
    from jinja2.sandbox import SandboxedEnvironment

    path = template_path(report.format, template)
    if template is not None and len(missing_placeholders(path, report.fmt)) == len(report.fmt.cells):
        raise RenderError(f"模板「{path.name}」中没有报告的占位符（如 {{{{ f[\"requests.new.total\"] }}}}），"
                          "不能用来生成报告：请以drafter自带的模板为底稿修改")
    ctx = context(report, draft)
    try:
        tpl = DocxTemplate(path if template is not None else io.BytesIO(path.read_bytes()))
        tpl.render(ctx, jinja_env=SandboxedEnvironment(autoescape=True), autoescape=True)
    except TemplateError as e:
        raise RenderError(f"模板「{path.name}」有误：{clean_text(e)}") from None
    except Exception as e:  # a damaged .docx
        if template is None:
            raise
        raise RenderError(f"模板「{path.name}」无法使用：{type(e).__name__}") from None
    _sign_indents(tpl.docx)
    _break_title(tpl.docx, ctx["title"], ctx["agency"], report.year)
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
