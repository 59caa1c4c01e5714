"""drafter doctor: versions, where files are, LibreOffice and the Chinese fonts, with what to install when missing."""
from __future__ import annotations

import importlib.metadata
import importlib.resources
import platform
import shutil
import subprocess
import sys

PACKAGES = ("drafter", "textual", "docxtpl", "python-docx", "cerberus", "babel", "PyYAML", "lxml", "openpyxl")
# The fonts GB/T 9704 names; the document asks for them, and Word/WPS substitute when absent.
FONTS = {
    "方正小标宋简体": "标题",
    "仿宋_GB2312": "正文",
    "黑体": "一级标题",
    "楷体_GB2312": "二级标题",
}
FALLBACK = ("Noto Serif CJK SC", "Noto Sans CJK SC", "AR PL UMing", "WenQuanYi")


def add_arguments(p):
    p.add_argument("--json", action="store_true", help="以JSON输出")


def _fonts() -> list[str] | None:
    if not shutil.which("fc-list"):
        return None
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return sorted({name.strip() for line in out.splitlines() for name in line.split(",") if name.strip()})


def _libreoffice() -> tuple[str | None, str | None]:
    exe = shutil.which("libreoffice") or shutil.which("soffice")
    if not exe:
        return None, None
    try:
        v = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        v = ""
    return exe, v or None


def diagnose() -> dict:
    versions = {}
    for pkg in PACKAGES:
        try:
            versions[pkg] = importlib.metadata.version(pkg)
        except importlib.metadata.PackageNotFoundError:
            versions[pkg] = None
    where = {
        "formats": str(importlib.resources.files("drafter.formats")),
        "validators": str(importlib.resources.files("drafter.validators")),
        "templates": str(importlib.resources.files("drafter.templates")),
    }
    exe, lo_version = _libreoffice()
    fonts = _fonts()
    return {"python": sys.version.split()[0], "platform": platform.platform(), "versions": versions, "where": where,
            "libreoffice": {"path": exe, "version": lo_version},
            "fonts": None if fonts is None else {
                "official": {f: any(f in x for x in fonts) for f in FONTS},
                "fallback": [f for f in FALLBACK if any(f in x for x in fonts)]}}


def run(args) -> int:
    d = diagnose()
    if args.json:
        import json
        json.dump(d, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    ok = True
    print(f"Python {d['python']}（{d['platform']}）")
    for pkg, v in d["versions"].items():
        print(f"  {pkg:<12} {v or '未安装'}")
        if v is None:
            ok = False
    if any(v is None for v in d["versions"].values()):
        print("  → 请在drafter目录执行：python3 -m pip install -e .")
    print("文件位置：")
    for k, name in (("formats", "报告格式"), ("validators", "检查规则"), ("templates", "Word模板")):
        print(f"  {name}：{d['where'][k]}")
    lo = d["libreoffice"]
    if lo["path"]:
        print(f"LibreOffice：{lo['version'] or lo['path']}（可生成PDF）")
    else:
        print("LibreOffice：未安装（生成PDF需要它；Word文件不受影响）")
        print("  → Debian/Ubuntu：sudo apt-get install libreoffice-writer-nogui fonts-noto-cjk")
    f = d["fonts"]
    if f is None:
        print("中文字体：无法检查（没有fc-list；Windows和WPS自带公文字体）")
    else:
        for font, use in FONTS.items():
            print(f"  {font}（{use}）：{'已安装' if f['official'][font] else '未安装'}")
        if not all(f["official"].values()):
            if f["fallback"]:
                print(f"  缺少的公文字体在本机转PDF时以 {'、'.join(f['fallback'])} 代替；在装有这些字体的电脑上用Word/WPS打开即为正式字体")
            else:
                print("  本机没有中文字体，转PDF会显示为方框")
                print("  → Debian/Ubuntu：sudo apt-get install fonts-noto-cjk")
    print("检查完毕：" + ("一切正常" if ok else "有需要安装的组件，见上"))
    return 0 if ok else 1
