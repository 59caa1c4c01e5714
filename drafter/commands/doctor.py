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

PACKAGES = ("drafter", "textual", "docxtpl", "python-docx", "jinja2", "cerberus", "babel", "PyYAML", "lxml",
            "openpyxl", "pypdf")

# the sample doctor renders: each kind of text carries a marker found again in the PDF
SAMPLE_AGENCY = "青山镇人民政府"
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
    r.text["overview"] = [{"title": "样张标题", "body": "本段为仿宋正文。"}]
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
    if any("CJKjp" in name for name in embedded):
        step.lines.append("注：Noto CJK字体集各语言共用一套字形表，PDF中的名称总带“jp”；drafter指定的是简体中文（SC）字形")
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
