"""drafter doctor proves what it reports: it renders a small report, converts it to PDF where LibreOffice is
present and reads which fonts the PDF embedded; 一切正常 only when every step passed, else exit status 1."""
import json

import pytest

from drafter import render as R
from drafter.cli import main

needs_lo = pytest.mark.skipif(not R.libreoffice(), reason="LibreOffice is not installed")


@needs_lo
def test_doctor_renders_converts_and_names_the_fonts(capsys):
    assert main(["doctor", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["ok"] and all(s["ok"] for s in d["steps"])
    assert [s["step"] for s in d["steps"]] == ["组件", "数据文件", "生成Word", "生成PDF", "中文字体"]
    assert d["versions"]["textual"] and d["versions"]["docxtpl"] and d["versions"]["pypdf"]
    assert d["where"]["validators"].endswith("validators")
    faces = R.resolve_faces(R.installed_fonts())
    for face in ("方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"):
        f = d["fonts"][face]
        assert f["pdf"], face                                  # the PDF really set that text in a font
        assert f["installed"] or f["stands_in"] == faces[face]
    # on this machine (fonts-noto-cjk, fonts-arphic-ukai): the SC stand-ins, read back from the PDF
    assert d["fonts"]["仿宋_GB2312"]["pdf"].startswith("NotoSerifCJK")
    assert d["fonts"]["黑体"]["pdf"].startswith("NotoSansCJK")
    assert d["fonts"]["楷体_GB2312"]["pdf"] == "UKaiCN"
    # the glyphs compared with the collection's SC and JP faces: Simplified Chinese forms
    assert d["fonts"]["仿宋_GB2312"]["forms"] == d["fonts"]["黑体"]["forms"] == "SC"


@needs_lo
def test_doctor_text_ends_all_well(capsys):
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    assert "仿宋_GB2312（正文）：未安装，由 Noto Serif CJK SC 代替（PDF内嵌字体：NotoSerifCJK" in out
    assert "楷体_GB2312（二级标题）：未安装，由 AR PL UKai CN 代替（PDF内嵌字体：UKaiCN）" in out
    assert out.rstrip().endswith("检查完毕：一切正常")


def test_doctor_without_libreoffice_fails_and_says_what_to_install(capsys, monkeypatch):
    monkeypatch.setattr(R, "libreoffice", lambda: None)
    monkeypatch.setattr("sys.platform", "linux")
    assert main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "✗ 生成PDF" in out and "未安装LibreOffice" in out
    assert "→ Debian/Ubuntu：sudo apt-get install libreoffice-writer-nogui fonts-noto-cjk fonts-arphic-ukai" in out
    assert "✓ 生成Word" in out and "一切正常" not in out and "生成PDF未通过" in out


@needs_lo
def test_doctor_without_chinese_fonts_fails(capsys, monkeypatch):
    monkeypatch.setattr(R, "installed_fonts", lambda: {"DejaVu Sans", "DejaVu Serif"})
    monkeypatch.setattr("sys.platform", "linux")
    assert main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "仿宋_GB2312（正文）：未安装，也没有可代替的中文字体" in out
    assert "→ Debian/Ubuntu：sudo apt-get install fonts-noto-cjk fonts-arphic-ukai" in out
    assert "✗ 中文字体" in out and "一切正常" not in out


def test_doctor_with_templates_missing_fails(capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(R, "templates_dir", lambda: tmp_path)
    assert main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "✗ 数据文件" in out and "2021/report.docx" in out and "请重新安装" in out
    assert "✗ 生成Word" in out and "一切正常" not in out


def test_cmap_reader_agrees_with_fonttools():
    """doctor reads a collection's cmap itself (no font library at run time): the same as fontTools."""
    import subprocess

    from fontTools.ttLib import TTCollection

    from drafter.commands.doctor import cmap
    path, index = subprocess.run(["fc-match", "-f", "%{file}\t%{index}", "Noto Serif CJK SC"], capture_output=True,
                                 text=True, check=True).stdout.split("\t")
    face = TTCollection(path).fonts[int(index)]
    order = face.getGlyphOrder()
    got = cmap(path, int(index))
    want = face.getBestCmap()
    assert len(got) == len(want) > 40000
    assert all(order[got[c]] == name for c, name in want.items())


def _one_line_pdf(tmp_path, face: str, lang: str, text: str):
    from docx import Document
    from docx.oxml.ns import qn
    d = Document()
    run = d.add_paragraph().add_run(text)
    rpr = run._r.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for a in ("ascii", "hAnsi", "eastAsia"):
        fonts.set(qn(f"w:{a}"), face)
    rpr.append(rpr.makeelement(qn("w:lang"), {qn("w:val"): lang, qn("w:eastAsia"): lang}))
    src = tmp_path / f"{lang}.docx"
    d.save(str(src))
    return R.docx_to_pdf(src, tmp_path)


@needs_lo
def test_glyph_forms_tell_japanese_from_simplified_chinese(tmp_path):
    from drafter.commands.doctor import FORM_TEST, embedded_glyphs, glyph_forms, pdf_fonts
    for face, lang, want in (("Noto Serif CJK JP", "ja-JP", "JP"), ("Noto Serif CJK SC", "zh-CN", "SC")):
        pdf = _one_line_pdf(tmp_path, face, lang, FORM_TEST)
        (name, text), = pdf_fonts(pdf).items()
        assert glyph_forms("Noto Serif CJK SC", text, embedded_glyphs(pdf)[name]) == want, face


@needs_lo
def test_doctor_fails_on_japanese_forms(capsys, monkeypatch):
    from drafter.commands import doctor
    monkeypatch.setattr(doctor, "glyph_forms", lambda family, text, used: "JP")
    assert main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "仿宋_GB2312：PDF中用的是日文字形" in out and "✗ 中文字体" in out and "一切正常" not in out


def test_console_with_a_gbk_code_page(tmp_path):
    """A Windows console on code page 936 (GBK) cannot show ✓ and ✗: doctor still runs to its end, with
    replacements for them and the Chinese intact."""
    import os
    import subprocess
    import sys
    env = {**os.environ, "PYTHONIOENCODING": "gbk"}
    res = subprocess.run([sys.executable, "-m", "drafter.cli", "doctor"], capture_output=True, env=env, cwd=tmp_path,
                         timeout=600)
    out = res.stdout.decode("gbk")
    assert "Traceback" not in res.stderr.decode("gbk", errors="replace")
    assert "? 组件" in out and "检查完毕：" in out
    assert res.returncode == (0 if R.libreoffice() else 1)
