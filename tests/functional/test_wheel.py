"""drafter as a clerk installs it: the wheel built from this checkout, installed (not editable) with plain pip
into a fresh virtual environment, run from a folder outside the checkout: new, check, render (docx, html, and
pdf where LibreOffice is present), summary and doctor. Part of `make test` (CI); about a minute."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "青山镇-2021.yaml"
LO = shutil.which("libreoffice") or shutil.which("soffice")

pytestmark = pytest.mark.xdist_group("wheel")


def _bin(venv: Path, name: str) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin") / (name + (".exe" if os.name == "nt" else ""))


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PYTHONIOENCODING"] = "utf-8"
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    """(venv, work folder): the wheel built from a copy of the sources and installed into a clean venv."""
    base = tmp_path_factory.mktemp("wheel")
    src = base / "src"
    src.mkdir()
    for name in ("drafter", "templates", "validators"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    dist = base / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                    "-w", str(dist), str(src)], check=True, cwd=base, env=_env(), timeout=300)
    wheels = list(dist.glob("drafter-*.whl"))
    assert len(wheels) == 1, wheels
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, env=_env(), timeout=300)
    subprocess.run([str(_bin(venv, "python")), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                    str(wheels[0])], check=True, cwd=base, env=_env(), timeout=900)
    work = base / "work"
    work.mkdir()
    shutil.copy2(SAMPLE, work / SAMPLE.name)
    return venv, work


def drafter(installed, *args: str) -> subprocess.CompletedProcess:
    venv, work = installed
    return subprocess.run([str(_bin(venv, "drafter")), *args], cwd=work, env=_env(), capture_output=True,
                          text=True, encoding="utf-8", timeout=600)


def test_installed_from_the_wheel_not_the_checkout(installed):
    venv, work = installed
    where = subprocess.run([str(_bin(venv, "python")), "-c",
                            "import drafter, drafter.render as r; print(drafter.__file__); print(r.templates_dir())"],
                           cwd=work, env=_env(), capture_output=True, text=True, check=True).stdout.split("\n")
    assert Path(where[0]).is_relative_to(venv) and Path(where[1]).is_relative_to(venv), where
    assert (Path(where[1]) / "2021" / "report.docx").is_file()


def test_new_and_check(installed):
    _, work = installed
    res = drafter(installed, "new", "--year", "2021", "--name", "王岗镇人民政府", "--no-edit", "-o", "王岗镇-2021.yaml")
    assert res.returncode == 0, res.stderr
    assert "已新建 王岗镇-2021.yaml" in res.stdout and (work / "王岗镇-2021.yaml").is_file()
    res = drafter(installed, "check", SAMPLE.name)
    assert res.returncode == 0, res.stdout + res.stderr
    res = drafter(installed, "check", "王岗镇-2021.yaml")      # an empty report: its errors, exit status 1
    assert res.returncode == 1 and "王岗镇" in res.stdout, res.stdout + res.stderr


def test_render_docx_and_html(installed):
    _, work = installed
    res = drafter(installed, "render", SAMPLE.name, "-o", "r.docx")
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith("已生成正式文件：")
    doc = Document(str(work / "r.docx"))
    assert doc.paragraphs[0].text == "青山镇人民政府2021年\n政府信息公开工作年度报告"
    assert len(doc.tables) == 3 and "（四）无法提供" in [c.text for c in doc.tables[1].columns[1].cells]
    assert doc.styles["公文正文"].element.rPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}lang").get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "zh-CN"
    res = drafter(installed, "render", SAMPLE.name, "--to", "html", "-o", "r.html")
    assert res.returncode == 0, res.stderr
    page = (work / "r.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and 'id="table-requests"' in page


@pytest.mark.skipif(not LO, reason="LibreOffice is not installed")
def test_render_pdf(installed):
    from drafter.commands.doctor import pdf_fonts
    _, work = installed
    res = drafter(installed, "render", SAMPLE.name, "-o", "r.pdf")
    assert res.returncode == 0, res.stderr
    fonts = pdf_fonts(work / "r.pdf")
    assert any("收到和处理政府信息公开申请情况" in t for t in fonts.values())
    assert {f.split("-")[0] for f in fonts} >= {"NotoSerifCJKjp", "NotoSansCJKjp", "UKaiCN"}


def test_summary(installed):
    _, work = installed
    folder = work / "reports"
    folder.mkdir()
    shutil.copy2(work / SAMPLE.name, folder / SAMPLE.name)
    res = drafter(installed, "summary", "reports", "-o", "汇总.xlsx")
    assert res.returncode == 0, res.stdout + res.stderr
    assert (work / "汇总.xlsx").stat().st_size > 1000


def test_doctor(installed):
    venv, _ = installed
    res = drafter(installed, "doctor")
    if LO:
        assert res.returncode == 0, res.stdout
        assert res.stdout.rstrip().endswith("检查完毕：一切正常")
        assert "PDF内嵌字体：" in res.stdout
    else:
        assert res.returncode == 1 and "未安装LibreOffice" in res.stdout
    assert f"Word模板：{venv}" in res.stdout          # the templates inside the installed package
