"""Reading published reports from .html pages saved from a government website."""
from __future__ import annotations

import codecs

import pytest
from docbuild import build_html, report_blocks
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_import_docx import FORMATS, VARIANTS, assert_same, sample

from drafter.importing import import_file
from drafter.importing.html import decode, html_lines, html_tables
from drafter.report import ReportError


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("fid,year", FORMATS)
def test_saved_page(tmp_path, fid, year, variant):
    want = sample(5, fid, year)
    p = tmp_path / "r.html"
    p.write_bytes(build_html(want, variant))
    res = import_file(p)
    assert_same(res.report, want, res.doubts)


@pytest.mark.parametrize("charset,bom,meta", [
    ("gbk", b"", True), ("gb2312", b"", True), ("gb18030", b"", True), ("gbk", b"", False),
    ("utf-8", codecs.BOM_UTF8, False), ("utf-16-le", codecs.BOM_UTF16_LE, False), ("utf-8", b"", False)])
def test_encodings(tmp_path, charset, bom, meta):
    want = sample(8, "2019", 2020, odd=False)       # GB2312 cannot encode the emoji of the odd texts
    page = build_html(want, "", "utf-8").decode("utf-8")
    page = page.replace('<meta charset="utf-8">', f'<meta http-equiv="Content-Type" content="text/html; '
                                                   f'charset={charset}">' if meta else "")
    enc = "gb18030" if charset == "gb2312" else charset
    p = tmp_path / "r.htm"
    p.write_bytes(bom + page.encode(enc))
    res = import_file(p)
    assert_same(res.report, want, res.doubts)


def test_wrong_declared_charset_falls_back(tmp_path):
    page = "<html><head><meta charset='utf-8'></head><body><p>南岳镇人民政府</p></body></html>"
    assert html_lines(tmp_path / "x.html", page.encode("gbk")) == [["南岳镇人民政府"]]


def _render_html(report) -> str:
    from drafter.render import render_html
    return render_html(report)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), fy=st.sampled_from(FORMATS), variant=st.sampled_from(VARIANTS),
       charset=st.sampled_from(["utf-8", "gb18030"]))
def test_round_trip_built_property(tmp_path, seed, fy, variant, charset):
    want = sample(seed, *fy)
    p = tmp_path / "r.html"
    p.write_bytes(build_html(want, variant, charset))
    res = import_file(p)
    assert_same(res.report, want, res.doubts)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), fy=st.sampled_from(FORMATS))
def test_round_trip_rendered_property(tmp_path, seed, fy):
    want = sample(seed, *fy)
    p = tmp_path / "r.html"
    p.write_text(_render_html(want), encoding="utf-8")
    res = import_file(p)
    assert_same(res.report, want, res.doubts)


def test_grid_rowspan_colspan(tmp_path):
    want = sample(2, "2019", 2020)
    tables = html_tables(tmp_path / "r.html", build_html(want, "split_head"))
    built = [b for b in report_blocks(want, "split_head") if b[0] == "table"]
    assert len(tables) == len(built) == 3
    for grid, (_, cells, n_rows, n_cols) in zip(tables, built, strict=True):
        expect = [[""] * n_cols for _ in range(n_rows)]
        for g in cells:
            expect[g.r][g.c] = g.text
        assert grid == expect


def test_page_structure(tmp_path):
    page = """<!DOCTYPE html><html><head><title>站点标题</title><style>p{color:red}</style>
    <script type="text/javascript">if (a < b && c) { document.write("<p>脚本</p>"); }</script></head>
    <body><nav><a href="/">首页</a> &gt; 年度报告</nav><div><div><div><p>第一段<br>第二段<br/>第 三 段</p>
    <p>未闭合的段落<p>下一段&nbsp;&amp;&lt;b&gt;</p>
    <noscript>请启用脚本</noscript><!-- 注释 -->
    <table><tr><td>a<td>b</td><tr><td colspan=2>c</table>
    <ul><li>一<li>二</ul><pre>
行一
行二</pre></div></div></div><script>tail()</script></body></html>"""
    assert html_lines(tmp_path / "x.html", page.encode()) == [
        ["第一段"], ["第二段"], ["第 三 段"], ["未闭合的段落"], ["下一段 &<b>"], ["a", "b"], ["c"], ["一"], ["二"],
        ["行一"], ["行二"]]


def test_binary_named_html(tmp_path):
    with pytest.raises(ReportError) as e:
        decode(tmp_path / "x.html", bytes(range(256)) * 40)
    assert "不是网页文件" in str(e.value)
