"""A clerk's own template (--template) that loops without end or eats memory is stopped: rendered in a child
process with a time and a memory limit, `*` and `**` bounded, the rendered text bounded. The clerk reads one
Chinese line, the exit status is 2 and no output file is written. The packaged templates stay in-process."""
from __future__ import annotations

import multiprocessing
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from docx import Document

from drafter import render as R
from drafter.cli import main
from drafter.report import load

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "青山镇-2021.yaml"
NATIONAL = ROOT / "templates" / "2021" / "report.docx"
DRAFTER = Path(sys.executable).with_name("drafter")
LIMIT = 3.0                 # seconds: the lowered time limit of these tests
SLACK = 6.0                 # what a render may take beyond it (the child's start, loading the report)


@pytest.fixture
def sample(tmp_path) -> Path:
    p = tmp_path / "青山镇-2021.yaml"
    shutil.copy(SAMPLE, p)
    return p


def hostile(folder: Path, jinja: str, name: str = "省模板.docx") -> Path:
    """The national template (so it holds the report's placeholders) with `jinja` typed into a paragraph."""
    doc = Document(str(NATIONAL))
    doc.paragraphs[1].add_run(jinja)
    out = folder / name
    doc.save(str(out))
    return out


def render(sample: Path, template: Path, *extra: str) -> tuple[int, Path, float]:
    out = sample.parent / "out.docx"
    start = time.monotonic()
    rc = main(["render", str(sample), "--template", str(template), "-o", str(out), *extra])
    return rc, out, time.monotonic() - start


def no_children_left() -> bool:
    return not multiprocessing.active_children()


ENDLESS = {
    "nested loops": "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
    "macro calling itself twice": ("{% macro f(n) %}{% if n < 60 %}{{ f(n + 1) }}{{ f(n + 1) }}{% endif %}"
                                   "{% endmacro %}{{ f(0) }}"),
}


@pytest.mark.parametrize("jinja", ENDLESS.values(), ids=ENDLESS.keys())
def test_endless_template_is_stopped_at_the_time_limit(sample, tmp_path, monkeypatch, capsys, jinja):
    monkeypatch.setattr(R, "TEMPLATE_SECONDS", LIMIT)
    rc, out, took = render(sample, hostile(tmp_path, jinja))
    err = capsys.readouterr()
    assert rc == 2
    assert f"模板处理超时（超过{LIMIT:g}秒）：模板「省模板.docx」中可能有无尽的循环" in err.err
    assert "请改用drafter自带的全国模板" in err.err and "已生成" not in err.out
    assert not out.exists()
    assert LIMIT <= took < LIMIT + SLACK, took
    assert no_children_left()


def test_endless_template_writes_no_pdf(sample, tmp_path, monkeypatch, capsys):
    """--to pdf renders the .docx first: stopped there, before LibreOffice is even looked for."""
    monkeypatch.setattr(R, "TEMPLATE_SECONDS", LIMIT)
    out = tmp_path / "out.pdf"
    start = time.monotonic()
    rc = main(["render", str(sample), "--template", str(hostile(tmp_path, ENDLESS["nested loops"])),
               "-o", str(out)])
    took = time.monotonic() - start
    assert rc == 2 and "模板处理超时" in capsys.readouterr().err
    assert not out.exists() and took < LIMIT + SLACK


def test_string_multiplication_is_refused(sample, tmp_path, capsys):
    """'x' * 10**9 would make a 1 GB string: refused before it is made, long before the time limit."""
    rc, out, took = render(sample, hostile(tmp_path, "{{ 'x' * 10**9 }}"))
    assert rc == 2 and "模板中的乘法结果过大" in capsys.readouterr().err
    assert not out.exists() and took < R.TEMPLATE_SECONDS


@pytest.mark.parametrize("jinja", ["{{ [0] * 10**8 }}", "{{ 10**9 * 'ab' }}", "{{ 7 ** 100000 }}"])
def test_other_huge_products_are_refused(sample, tmp_path, capsys, jinja):
    rc, out, _ = render(sample, hostile(tmp_path, jinja))
    assert rc == 2 and "结果过大" in capsys.readouterr().err and not out.exists()


def test_small_products_still_work(sample, tmp_path, capsys):
    rc, out, _ = render(sample, hostile(tmp_path, "{{ '—' * 3 }}{{ 2 ** 10 }}"))
    assert rc == 0, capsys.readouterr().err
    assert "———1024" in "".join(p.text for p in Document(str(out)).paragraphs)


def test_huge_output_is_stopped(sample, tmp_path, monkeypatch, capsys):
    """10^10 characters printed one at a time: stopped when the text passes TEMPLATE_OUTPUT_CHARS (lowered here
    to 1 M, still 7 times the national template's document)."""
    monkeypatch.setattr(R, "TEMPLATE_OUTPUT_CHARS", 1_000_000)
    jinja = "{% for a in range(100000) %}{% for b in range(100000) %}x{% endfor %}{% endfor %}"
    rc, out, took = render(sample, hostile(tmp_path, jinja))
    assert rc == 2 and "生成的内容过多（超过1,000,000个字符）" in capsys.readouterr().err
    assert not out.exists() and took < R.TEMPLATE_SECONDS


def test_endless_recursion_is_said(sample, tmp_path, capsys):
    rc, out, _ = render(sample, hostile(tmp_path, "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}"))
    assert rc == 2 and "宏（macro）调用自身过深" in capsys.readouterr().err and not out.exists()


MEMORY_HOGS = {
    "str.ljust": "{{ 'x'.ljust(2000000000) }}",
    "str.format": "{{ '{:>2000000000}'.format('x') }}",
}


@pytest.mark.skipif(sys.platform == "win32", reason="the memory limit is POSIX RLIMIT_AS")
@pytest.mark.parametrize("jinja", MEMORY_HOGS.values(), ids=MEMORY_HOGS.keys())
def test_memory_exhaustion_is_said_by_the_real_command(sample, tmp_path, jinja):
    """A 2 GB string made without `*`, through the installed `drafter` command: the child's memory limit stops it."""
    out = tmp_path / "out.docx"
    start = time.monotonic()
    res = subprocess.run([str(DRAFTER), "render", str(sample), "--template", str(hostile(tmp_path, jinja)),
                          "-o", str(out)], capture_output=True, text=True, encoding="utf-8", timeout=120)
    took = time.monotonic() - start
    assert res.returncode == 2, res.stderr
    assert "模板处理占用内存过多（超过1 GB）：模板「省模板.docx」" in res.stderr
    assert "Traceback" not in res.stderr and "已生成" not in res.stdout
    assert not out.exists() and took < R.TEMPLATE_SECONDS


def test_custom_template_renders_by_the_real_command(sample, tmp_path):
    """A province's template that is only the national one: the same document as the packaged template gives,
    through the installed command (whose child process starts from the console script)."""
    mine = tmp_path / "省模板.docx"
    shutil.copy(NATIONAL, mine)
    out, ref = tmp_path / "out.docx", tmp_path / "ref.docx"
    res = subprocess.run([str(DRAFTER), "render", str(sample), "--template", str(mine), "-o", str(out)],
                         capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert res.returncode == 0, res.stderr
    assert "已生成正式文件" in res.stdout and res.stderr == ""
    R.render_docx(load(sample), ref)

    def texts(p):
        d = Document(str(p))
        return [x.text for x in d.paragraphs], [[c.text for c in row.cells] for t in d.tables for row in t.rows]
    assert texts(out) == texts(ref)


def test_packaged_template_stays_in_process(sample, tmp_path, monkeypatch):
    def no_child(*a, **k):
        raise AssertionError("a child process for the packaged template")
    monkeypatch.setattr(R, "_fill_bounded", no_child)
    out = R.render_docx(load(sample), tmp_path / "out.docx")
    assert "一、总体情况" in [p.text for p in Document(str(out)).paragraphs]
    with pytest.raises(AssertionError):
        R.render_docx(load(sample), tmp_path / "o2.docx", template=NATIONAL)
