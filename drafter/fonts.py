"""The faces a report asks for, and the installed faces that stand in for them when drafter makes a PDF itself
(LibreOffice): the closest Simplified Chinese (SC) face, never a Japanese (JP) variant.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys

from .typography import FONT_BODY, FONT_H1, FONT_H2, FONT_LATIN, FONT_PAGE, FONT_TITLE

# The official faces and, where one is not installed, the installed face that stands in when drafter itself
# makes a PDF (LibreOffice): the closest Simplified Chinese (SC) face, never a Japanese (JP) variant.
# The first of `aliases` names the face as the document asks for it.
_SERIF_SC = ("Noto Serif CJK SC", "Source Han Serif SC", "Source Han Serif CN", "思源宋体", "Noto Serif SC",
             "AR PL UMing CN")
_SANS_SC = ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "思源黑体", "Noto Sans SC",
            "WenQuanYi Zen Hei", "WenQuanYi Micro Hei")
FACES: dict[str, dict] = {
    FONT_TITLE: {"use": "标题", "aliases": ("方正小标宋简体", "FZXiaoBiaoSong-B05S"),
                 "standins": ("方正小标宋_GBK", "华文中宋", "STZhongsong", *_SERIF_SC, "宋体", "SimSun")},
    FONT_BODY: {"use": "正文", "aliases": ("仿宋_GB2312", "FangSong_GB2312"),
                "standins": ("仿宋", "FangSong", "华文仿宋", "STFangsong", *_SERIF_SC, "宋体", "SimSun")},
    FONT_H1: {"use": "一级标题", "aliases": ("黑体", "SimHei"),
              "standins": ("华文黑体", "STHeiti", *_SANS_SC, "微软雅黑", "Microsoft YaHei")},
    FONT_H2: {"use": "二级标题", "aliases": ("楷体_GB2312", "KaiTi_GB2312"),
              "standins": ("楷体", "KaiTi", "华文楷体", "STKaiti", "AR PL UKai CN", *_SERIF_SC)},
    FONT_PAGE: {"use": "页码", "aliases": ("宋体", "SimSun"),
                "standins": ("新宋体", "NSimSun", "Songti SC", *_SERIF_SC)},
    FONT_LATIN: {"use": "数字和西文", "aliases": ("Times New Roman",),
                 "standins": ("Liberation Serif", "Tinos", "Nimbus Roman", *_SERIF_SC)},
}


# ---- fonts installed on this machine ---------------------------------------------------------------
def installed_fonts() -> set[str] | None:
    """Family names of the installed fonts (fontconfig's fc-list, or the Windows registry); None when this
    machine cannot tell."""
    global _INSTALLED
    if _INSTALLED is None:
        _INSTALLED = (_fc_fonts() if shutil.which("fc-list") else _windows_fonts()) or set()
    return _INSTALLED or None


_INSTALLED: set[str] | None = None


def _fc_fonts() -> set[str]:
    try:
        out = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, encoding="utf-8",
                             errors="replace", timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return set()
    return {n.strip().replace("\\", "") for line in out.splitlines() for n in line.split(",") if n.strip()}


def _windows_fonts() -> set[str]:
    if sys.platform != "win32":
        return set()
    import winreg
    names: set[str] = set()
    key = r"SOFTWARE\Microsoft\Windows NT\CurrentVersion\Fonts"
    for hive in (winreg.HKEY_LOCAL_MACHINE, winreg.HKEY_CURRENT_USER):
        try:
            with winreg.OpenKey(hive, key) as k:
                for i in range(winreg.QueryInfoKey(k)[1]):
                    name = re.sub(r"\s*\((TrueType|OpenType)\)$", "", winreg.EnumValue(k, i)[0])
                    names |= {n.strip() for n in name.split("&") if n.strip()}
        except OSError:
            continue
    return names


def resolve_faces(installed: set[str] | None) -> dict[str, str | None]:
    """Each face of FACES → the installed face that prints it: itself (or an alias) when installed, else the
    first installed stand-in, None when there is none (or when the installed fonts are unknown)."""
    out: dict[str, str | None] = {}
    for face, d in FACES.items():
        out[face] = None
        if installed is None:
            continue
        out[face] = next((f for f in (*d["aliases"], *d["standins"]) if f in installed), None)
    return out


def font_substitutes(installed: set[str] | None = None) -> dict[str, str]:
    """Faces to rename in a .docx made into a PDF here: official face → installed face (only those that differ)."""
    faces = resolve_faces(installed if installed is not None else installed_fonts())
    return {face: got for face, got in faces.items() if got and got != face}


def rename_fonts(doc, fonts: dict[str, str]) -> None:
    """Every w:rFonts naming a face of `fonts` (styles, body, headers, footers) names its replacement."""
    from docx.oxml.ns import qn
    attrs = [qn(f"w:{a}") for a in ("ascii", "hAnsi", "eastAsia", "cs")]
    for part in doc.part.package.iter_parts():
        root = getattr(part, "_element", None)
        if root is None:
            continue
        for el in root.iter(qn("w:rFonts")):
            for a in attrs:
                v = el.get(a)
                if v in fonts:
                    el.set(a, fonts[v])
