"""drafter doctor: proves what it reports by doing it.

It checks the installed packages and data files, renders a small report to .docx, converts it to PDF with
LibreOffice where present, and reads from the PDF which font really set each kind of text (title, body,
headings). 一切正常 only when every step passed; otherwise each failed step with how to fix it, exit status 1.
"""
from __future__ import annotations

import importlib.metadata
import importlib.resources
import platform
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

PACKAGES = ("drafter", "textual", "docxtpl", "python-docx", "jinja2", "cerberus", "babel", "PyYAML", "lxml",
            "openpyxl", "pypdf")

# the sample doctor renders: each kind of text carries a marker found again in the PDF
SAMPLE_AGENCY = "青山镇人民政府"
FORM_TEST = "关骨直角写说过门"      # characters whose Simplified Chinese and Japanese glyphs differ
MARKERS = {                       # face → text set in it
    "方正小标宋简体": "工作年度报告",
    "黑体": "总体情况",
    "楷体_GB2312": "样张标题",
    "仿宋_GB2312": "环境检查样张",
}

INSTALL_LO = {
    "win32": "Windows：从 https://zh-cn.libreoffice.org 下载安装LibreOffice",
    "darwin": "macOS：从 https://zh-cn.libreoffice.org 下载安装LibreOffice（或 brew install --cask libreoffice）",
    "linux": "Debian/Ubuntu：sudo apt-get install libreoffice-writer-nogui fonts-noto-cjk fonts-arphic-ukai",
}
INSTALL_FONTS = {
    "win32": "Windows：安装单位下发的公文字体（方正小标宋简体、仿宋_GB2312、楷体_GB2312）",
    "darwin": "macOS：安装单位下发的公文字体，或思源宋体/思源黑体（Source Han Serif SC / Sans SC）",
    "linux": "Debian/Ubuntu：sudo apt-get install fonts-noto-cjk fonts-arphic-ukai",
}


def add_arguments(p):
    p.add_argument("--json", action="store_true", help="以JSON输出")


def _platform_hint(table: dict[str, str]) -> str:
    return table.get(sys.platform, table["linux"])


class Step:
    """One check: its name, whether it passed, what was found, and how to fix it when it did not."""

    def __init__(self, name: str):
        self.name = name
        self.ok = True
        self.lines: list[str] = []
        self.fix: list[str] = []

    def fail(self, line: str, fix: str | None = None) -> None:
        self.ok = False
        self.lines.append(line)
        if fix:
            self.fix.append(fix)

    def as_dict(self) -> dict:
        return {"step": self.name, "ok": self.ok, "lines": self.lines, "fix": self.fix}


def _versions(step: Step) -> dict[str, str | None]:
    versions: dict[str, str | None] = {}
    for pkg in PACKAGES:
        try:
            versions[pkg] = importlib.metadata.version(pkg)
        except importlib.metadata.PackageNotFoundError:
            versions[pkg] = None
    missing = [k for k, v in versions.items() if v is None]
    step.lines.append("、".join(f"{k} {v}" for k, v in versions.items() if v))
    if missing:
        step.fail(f"未安装：{'、'.join(missing)}",
                  "重新安装drafter：pipx install drafter-<版本>.whl 或 python -m pip install drafter-<版本>.whl")
    return versions


def _data_files(step: Step) -> dict[str, str]:
    from ..formats import FORMAT_IDS
    from ..render import templates_dir
    dirs = {"formats": importlib.resources.files("drafter.formats"),
            "validators": importlib.resources.files("drafter.validators"), "templates": templates_dir()}
    where = {k: str(v) for k, v in dirs.items()}
    missing = []
    for fid in FORMAT_IDS:
        for key, rel in (("formats", (f"{fid}.yaml",)), ("validators", (f"{fid}.yaml",)),
                         ("templates", (fid, "report.docx"))):
            if not dirs[key].joinpath(*rel).is_file():
                missing.append(f"{where[key]}/{'/'.join(rel)}")
    for key, name in (("formats", "报告格式"), ("validators", "检查规则"), ("templates", "Word模板")):
        step.lines.append(f"{name}：{where[key]}")
    if missing:
        step.fail(f"缺少文件：{'、'.join(missing)}", "drafter安装不完整，请重新安装")
    return where


def sample_report():
    """A small report with text in each face: title, 一级标题, 二级标题, body."""
    import datetime as dt

    from ..report import Report
    r = Report.new(2021, SAMPLE_AGENCY)
    r.signed_on = dt.date(2022, 1, 28)
    r.text["intro"] = "这是drafter环境检查样张，用于确认本机能生成Word和PDF文件。"
    r.text["overview"] = [{"title": "样张标题", "body": "本段为仿宋正文：" + FORM_TEST + "。"}]
    return r


def _render(step: Step, tmp: Path) -> Path | None:
    from docx import Document

    from ..render import RenderError, render_docx_bytes
    report = sample_report()
    try:
        data = render_docx_bytes(report, draft=True)
    except (RenderError, OSError) as e:
        step.fail(f"生成Word失败：{e}", "drafter安装不完整，请重新安装")
        return None
    path = tmp / "样张.docx"
    path.write_bytes(data)
    text = "".join(p.text for p in Document(str(path)).paragraphs)
    if MARKERS["仿宋_GB2312"] not in text or MARKERS["黑体"] not in text:
        step.fail("生成的Word文件缺少报告内容", "drafter安装不完整，请重新安装")
        return None
    step.lines.append(f"已生成样张（{len(data) // 1024} KB）")
    return path


def _pdf(step: Step, docx: Path, tmp: Path) -> Path | None:
    from ..render import RenderError, docx_to_pdf, font_substitutes, libreoffice, render_docx_bytes
    exe = libreoffice()
    if not exe:
        step.fail("未安装LibreOffice：drafter不能直接生成PDF（Word文件不受影响，可用Word/WPS另存为PDF）",
                  _platform_hint(INSTALL_LO))
        return None
    step.lines.append(f"LibreOffice：{exe}")
    src = tmp / "pdf" / docx.name
    src.parent.mkdir()
    src.write_bytes(render_docx_bytes(sample_report(), draft=True, fonts=font_substitutes()))
    try:
        pdf = docx_to_pdf(src, src.parent)
    except RenderError as e:
        step.fail(f"转换PDF失败：{e}", "关闭正在运行的LibreOffice后重试；仍失败请重新安装LibreOffice")
        return None
    step.lines.append(f"已转换为PDF（{pdf.stat().st_size // 1024} KB）")
    return pdf


def pdf_fonts(pdf: Path) -> dict[str, str]:
    """Embedded font (its name without the subset tag) → the text set in it, read from the PDF."""
    from pypdf import PdfReader
    out: dict[str, list[str]] = {}

    def visit(text, cm, tm, font_dict, font_size):
        if font_dict is not None and text.strip():
            name = re.sub(r"^[A-Z]{6}\+", "", str(font_dict.get("/BaseFont", "?")).lstrip("/"))
            out.setdefault(name, []).append(text)

    for page in PdfReader(str(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return {k: re.sub(r"\s+", "", "".join(v)) for k, v in out.items()}


def embedded_glyphs(pdf: Path) -> dict[str, set[int]]:
    """Embedded font (name without subset tag) → the CIDs its font program holds (LibreOffice names the glyphs
    of a CID-keyed OpenType font cidNNNNN)."""
    from pypdf import PdfReader
    out: dict[str, set[int]] = {}
    for page in PdfReader(str(pdf)).pages:
        resources: Any = page.get("/Resources")
        fonts: Any = resources.get_object().get("/Font") if resources is not None else None
        for ref in (fonts.get_object().values() if fonts is not None else ()):
            font = ref.get_object()
            desc = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            fd = desc["/FontDescriptor"].get_object()
            prog = next((fd[k] for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in fd), None)
            if prog is None:
                continue
            name = re.sub(r"^[A-Z]{6}\+", "", str(font["/BaseFont"]).lstrip("/"))
            out.setdefault(name, set()).update(int(g) for g in re.findall(rb"/cid(\d+)", prog.get_object().get_data()))
    return out


def _font_file(family: str) -> tuple[str, int] | None:
    """(file, face index) fontconfig gives for `family`, when it is that family."""
    import shutil
    import subprocess
    if not shutil.which("fc-match"):
        return None
    try:
        out = subprocess.run(["fc-match", "-f", "%{family}\t%{file}\t%{index}", family], capture_output=True,
                             text=True, encoding="utf-8", errors="replace", timeout=30).stdout
        fams, path, index = out.split("\t")
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    return (path, int(index)) if family in fams.split(",") else None


def cmap(path: str, index: int) -> dict[int, int]:
    """Character → glyph of face `index` of an OpenType collection (.ttc) or font: its Unicode cmap
    (format 12 or 4), read directly (no font library needed)."""
    import struct
    data = Path(path).read_bytes()
    base = struct.unpack_from(">I", data, 12 + 4 * index)[0] if data[:4] == b"ttcf" else 0
    n = struct.unpack_from(">H", data, base + 4)[0]
    tables = {data[base + 12 + 16 * i:base + 16 + 16 * i]: struct.unpack_from(">I", data, base + 20 + 16 * i)[0]
              for i in range(n)}
    cm = tables[b"cmap"]
    subs = {struct.unpack_from(">HH", data, cm + 4 + 8 * i): cm + struct.unpack_from(">I", data, cm + 8 + 8 * i)[0]
            for i in range(struct.unpack_from(">H", data, cm + 2)[0])}
    out: dict[int, int] = {}
    at = next((subs[k] for k in ((3, 10), (0, 4), (0, 6)) if k in subs), None)
    if at is not None and struct.unpack_from(">H", data, at)[0] == 12:
        for g in range(struct.unpack_from(">I", data, at + 12)[0]):
            start, end, gid = struct.unpack_from(">III", data, at + 16 + 12 * g)
            out.update({c: gid + c - start for c in range(start, end + 1)})
        return out
    at = next((subs[k] for k in ((3, 1), (0, 3)) if k in subs), None)
    if at is None or struct.unpack_from(">H", data, at)[0] != 4:
        return out
    segs = struct.unpack_from(">H", data, at + 6)[0] // 2
    ends, starts = at + 14, at + 16 + 2 * segs
    deltas, ranges = starts + 2 * segs, starts + 4 * segs
    for i in range(segs):
        end, start = struct.unpack_from(">H", data, ends + 2 * i)[0], struct.unpack_from(">H", data, starts + 2 * i)[0]
        delta, ro = struct.unpack_from(">h", data, deltas + 2 * i)[0], struct.unpack_from(">H", data, ranges + 2 * i)[0]
        for c in range(start, min(end, 0xFFFE) + 1):
            if ro == 0:
                out[c] = (c + delta) & 0xFFFF
            else:
                gid = struct.unpack_from(">H", data, ranges + 2 * i + ro + 2 * (c - start))[0]
                out[c] = (gid + delta) & 0xFFFF if gid else 0
    return out


def glyph_forms(family: str, text: str, used: set[int]) -> str | None:
    """Which forms a PDF font of the CJK collection `family` (…CJK SC) used for `text`: 'SC', 'JP', or None
    when this machine cannot tell (no fontconfig, no JP face in the collection, no telling character)."""
    sc, jp = _font_file(family), _font_file(re.sub(r"\bSC$", "JP", family))
    if sc is None or jp is None or sc[0] != jp[0] or sc[1] == jp[1]:
        return None
    sc_map, jp_map = cmap(*sc), cmap(*jp)
    sc_g = {sc_map[ord(c)] for c in text if ord(c) in sc_map}
    jp_g = {jp_map[ord(c)] for c in text if ord(c) in jp_map}
    if used & (jp_g - sc_g):
        return "JP"
    return "SC" if used & (sc_g - jp_g) else None


def _fonts(step: Step, pdf: Path | None) -> dict:
    from ..render import FACES, installed_fonts, resolve_faces
    installed = installed_fonts()
    faces = resolve_faces(installed)
    embedded = pdf_fonts(pdf) if pdf else {}
    report: dict[str, dict] = {}
    for face, marker in MARKERS.items():
        got = faces.get(face)
        official = installed is not None and any(a in installed for a in FACES[face]["aliases"])
        in_pdf = next((name for name, text in embedded.items() if marker in text), None)
        report[face] = {"use": FACES[face]["use"], "installed": official, "stands_in": None if official else got,
                        "pdf": in_pdf}
        use = FACES[face]["use"]
        if installed is None:
            line = f"{face}（{use}）：本机无法列出已安装字体"
        elif official:
            line = f"{face}（{use}）：已安装"
        elif got:
            line = f"{face}（{use}）：未安装，由 {got} 代替"
        else:
            line = f"{face}（{use}）：未安装，也没有可代替的中文字体"
            step.fail(line, _platform_hint(INSTALL_FONTS))
            continue
        if pdf is not None:
            if in_pdf is None:
                step.fail(f"{line}；PDF中找不到这部分文字", "请把本输出发给技术支持")
                continue
            line += f"（PDF内嵌字体：{in_pdf}）"
        step.lines.append(line)
    if installed is None and sys.platform != "darwin":
        step.lines.append("无法列出已安装字体（没有fc-list）：PDF由LibreOffice自行选择代替字体")
    glyphs = embedded_glyphs(pdf) if pdf else {}
    for face, f in report.items():
        stand_in = f["stands_in"] or ""
        if f["pdf"] and re.search(r"CJK SC$", stand_in):
            forms = glyph_forms(stand_in, embedded[f["pdf"]], glyphs.get(f["pdf"], set()))
            f["forms"] = forms
            if forms == "JP":
                step.fail(f"{face}：PDF中用的是日文字形（{f['pdf']}）", "请把本输出发给技术支持")
            elif forms == "SC":
                step.lines.append(f"{face}：PDF中为简体中文字形（已逐字比对{stand_in}与日文字形）")
    if any("CJKjp" in name for name in embedded):
        step.lines.append("注：Noto CJK字体集各语言共用一套字形表，PDF中的名称总带“jp”；实际字形见上")
    if not all(f["installed"] for f in report.values()):
        step.lines.append("缺少的公文字体只影响本机生成的PDF；Word文件中仍写正式字体名，在装有公文字体的电脑上用Word/WPS打开即为正式字体")
    return report


def diagnose() -> dict:
    steps = {k: Step(n) for k, n in (("packages", "组件"), ("files", "数据文件"), ("docx", "生成Word"),
                                     ("pdf", "生成PDF"), ("fonts", "中文字体"))}
    versions = _versions(steps["packages"])
    where = _data_files(steps["files"])
    with tempfile.TemporaryDirectory(prefix="drafter-doctor-") as t:
        tmp = Path(t)
        docx = _render(steps["docx"], tmp) if steps["files"].ok else None
        pdf = _pdf(steps["pdf"], docx, tmp) if docx else None
        fonts = _fonts(steps["fonts"], pdf)
    if docx is None and steps["docx"].ok:
        steps["docx"].fail("未能生成样张（数据文件缺失）")
    if docx is None:
        steps["pdf"].fail("没有样张，未能转换PDF")
    from ..render import libreoffice
    return {"python": sys.version.split()[0], "platform": platform.platform(), "versions": versions,
            "where": where, "libreoffice": {"path": libreoffice()}, "fonts": fonts,
            "steps": [s.as_dict() for s in steps.values()], "ok": all(s.ok for s in steps.values())}


def run(args) -> int:
    d = diagnose()
    if args.json:
        import json
        json.dump(d, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0 if d["ok"] else 1
    print(f"Python {d['python']}（{d['platform']}）")
    failed = []
    for s in d["steps"]:
        print(f"{'✓' if s['ok'] else '✗'} {s['step']}")
        for line in s["lines"]:
            print(f"    {line}")
        for fix in s["fix"]:
            print(f"    → {fix}")
        if not s["ok"]:
            failed.append(s["step"])
    if d["ok"]:
        print("检查完毕：一切正常")
        return 0
    print(f"检查完毕：{'、'.join(failed)}未通过，按上面 → 后的办法处理后再运行 drafter doctor")
    return 1
