"""drafter.html: every HTML page drafter writes comes from the Jinja2 templates of drafter/html_templates with
autoescape; what a clerk typed reaches the page literally (never markup, never a template expression)."""
from __future__ import annotations

import fnmatch
import importlib.resources
import random
import re
import tomllib
from pathlib import Path

from gen import random_report
from pages import page_attrs, page_texts

from drafter import html as H
from drafter import render as R
from drafter.formats import load_format
from drafter.report import load
from drafter.summary import summarise, to_html

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "青山镇-2021.yaml"

# typed text that would be markup, a template expression or an entity if it were not escaped
HOSTILE = [
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "{% if x %}不该执行{% endif %}",
    "{# 注释 #}",
    "A & B &amp; C &lt;",
    '双引号"与单引号\'',
    "</td></tr></table><h1>假标题</h1>",
    "]]><!-- -->",
]
# names as a clerk may type them (one line, no control characters, at most 60 characters)
HOSTILE_NAMES = ["<script>alert(1)</script>镇人民政府", "{{ 7*7 }}镇人民政府", "{% raw %}镇人民政府",
                 "A & B &amp; C镇人民政府", "\"'><b>街道办事处"]


def test_report_page_prints_hostile_agency_and_texts_literally():
    r = load(SAMPLE)
    r.agency["name"] = HOSTILE[0] + "镇\x1b[2J人民政府"
    r.text["intro"] = "\n".join(HOSTILE) + "\n坏\x00字\x07符"
    r.text["overview"] = [{"title": "{{ title }}<i>", "body": "\n".join(HOSTILE)}]
    r.text["problems"] = "（一）<b>问题</b>\n{% raw %}正文"
    page = R.render_html(r)
    assert "<script>" not in page and "<b>" not in page and "<i>" not in page and "<h1>假标题" not in page
    assert "49" not in page and "\x1b" not in page and "\x00" not in page and "\x07" not in page
    texts = page_texts(page)
    shown = texts["p"] + texts["h3"]
    for s in HOSTILE:
        assert shown.count(s) == 2, s                    # in the intro and in the overview, literally
    assert "坏字符" in texts["p"]
    assert "（一）{{ title }}<i>" in texts["h3"] and "（一）<b>问题</b>" in texts["h3"]
    assert "{% raw %}正文" in texts["p"]
    agency = "<script>alert(1)</script>镇[2J人民政府"
    assert texts["p"][-2] == agency and texts["h1"] == [agency + "2021年政府信息公开工作年度报告"]
    assert texts["title"] == texts["h1"]


def test_summary_page_prints_hostile_agency_names_literally(tmp_path):
    rng = random.Random(31)
    this, last = tmp_path / "2022", tmp_path / "2021"
    this.mkdir()
    last.mkdir()
    paths = []
    for i, name in enumerate(HOSTILE_NAMES):
        r = random_report(rng, "2021", 2022, name)
        if i == 1:
            r.figures["requests.new.natural"] += 1      # a file with errors: its row and findings
        paths.append(r.save(this / f"{i}.yaml"))
    paths.append(random_report(rng, "2021", 2022, HOSTILE_NAMES[0]).save(this / "dup.yaml"))   # left out
    prev = [random_report(rng, "2021", 2021, n).save(last / f"{i}.yaml")
            for i, n in enumerate(["{{ 7*7 }}镇人民政府", "<b>缺报</b>镇人民政府"])]
    title = "<h1>汇总</h1> & {{ title }} {% if %}"
    page = to_html(summarise(paths, prev, title=title))
    assert "<b>" not in page and "<script>" not in page and "<h1>汇总" not in page and "49" not in page
    texts = page_texts(page)
    assert texts["title"] == [title] and texts["h1"] == [title]
    assert [t for t in texts["td"] if t in HOSTILE_NAMES] == HOSTILE_NAMES + HOSTILE_NAMES[:1]   # the file list
    assert any(t.startswith("机关名称与已计入的0.yaml相同（<script>alert(1)</script>镇人民政府）") for t in texts["td"])
    assert any("缺报1个：<b>缺报</b>镇人民政府" in t for t in texts["p"])
    new = "、".join(HOSTILE_NAMES[i] for i in (0, 2, 3, 4))
    assert f"本年度新增4个：{new}" in texts["p"]


def test_grid_html_spans_values_and_notes():
    table = load_format("2021").tables["requests"]
    note = '未计入："><script>x</script>&'
    first = table.cells[0].id
    page = H.grid_html(table, lambda g: f"<{g.cell}>", {first: note})
    assert "<script>" not in page and page.count("<table") == 1
    cells = {a["data-cell"]: a for a in page_attrs(page) if a.get("data-cell")}
    assert set(cells) == {c.id for c in table.cells}
    assert cells[first]["title"] == note and cells[first]["class"] == "num incomplete"
    assert all("title" not in a and a["class"] == "num" for cid, a in cells.items() if cid != first)
    texts = page_texts(page)
    assert {f"<{c.id}>" for c in table.cells} <= set(texts["td"])
    assert set(texts["th"]) >= {g.text for g in table.grid if g.role == "header"}
    assert 'rowspan="22"' in page


def test_environment_escapes_and_refuses_unknown_names():
    env = H.environment()
    assert env.autoescape is True
    page = H.render_template("base.html.j2", title="<&>\x07\t")
    assert "<title>&lt;&amp;&gt; </title>" in page
    try:
        H.render_template("base.html.j2")
    except Exception as e:      # a template that names what it was not given fails, never prints ''
        assert type(e).__name__ == "UndefinedError"
    else:
        raise AssertionError("an undefined name printed nothing")


def test_templates_ship_in_the_wheel():
    folder = importlib.resources.files("drafter").joinpath("html_templates")
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".html.j2"))
    assert names == ["base.html.j2", "grid.html.j2", "report.html.j2", "summary.html.j2"]
    conf = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = conf["tool"]["setuptools"]["package-data"]["drafter"]
    assert all(any(fnmatch.fnmatch(f"html_templates/{n}", p) for p in patterns) for n in names)
    assert any(d.startswith("jinja2") for d in conf["project"]["dependencies"])


def test_no_html_is_written_by_hand():
    """Markup lives in the templates only: no Python source of drafter builds tags or escapes by hand."""
    tag = re.compile(r"""["']</?(html|head|title|body|table|tr|td|th|h[1-6]|p|ul|li)\b""")
    found = []
    for path in sorted((ROOT / "drafter").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for n, line in enumerate(text.splitlines(), 1):
            if tag.search(line) or "html.escape(" in line or "markupsafe.escape(" in line:
                found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert found == []
