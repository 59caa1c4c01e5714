"""`drafter new --year 2021 --from <last year's published report>`: the seeds' texts, and .docx/.html of 2020 reports."""
from __future__ import annotations

import random
from pathlib import Path

import pytest
from docbuild import build_docx, build_html
from gen import random_report

from drafter import cli
from drafter.formats import load_format
from drafter.report import load
from drafter.spam import TERMS

ROOT = Path(__file__).resolve().parents[2]
SEEDS = Path(__file__).resolve().parents[2] / "samples" / "seeds"
SAMPLES = {"000": "南岳镇", "001": "姚集镇", "002": "南黄镇", "003": "灵秀镇", "004": "王岗镇"}
COLS = load_format("2021").tables["requests"].col_ids


def _texts(r) -> list[str]:
    out = [r.agency["name"], r.text["intro"], r.text["problems"], r.text["other"]]
    for p in r.text["overview"]:
        out += [p["title"], p["body"]]
    return out


def _new(tmp_path, source: Path) -> object:
    out = tmp_path / "new.yaml"
    assert cli.main(["new", "--year", "2021", "--from", str(source), "-o", str(out), "--no-edit"]) == 0
    return load(out)


@pytest.mark.parametrize("n", list(SAMPLES))
def test_new_from_seed_text(n, tmp_path, capsys):
    seed = next(SEEDS.glob(f"{n}_*.txt"))
    sample = load(ROOT / "samples" / f"{SAMPLES[n]}-2020.yaml")      # the seed, reviewed by hand
    r = _new(tmp_path, seed)
    assert (r.year, r.format) == (2021, "2021")
    assert r.agency["name"] == sample.agency["name"]
    assert set(r.figures) == set(load_format("2021").cells)
    for col in COLS:                                                 # 2019 → 2021: 上年结转 ← 结转下年度
        assert r.figures[f"requests.carried_over.{col}"] == sample.figures[f"requests.carried_forward.{col}"]
        assert r.figures[f"requests.new.{col}"] is None                # flow figures start empty
    prev = r.previous()
    assert prev is not None and prev.year == 2020 and prev.format == "2019"
    assert "已新建" in capsys.readouterr().out
    joined = "\n".join(_texts(r))
    if n == "002":                                                   # the defaced page: spam held back, never copied
        held = r.extra.get("held_back")
        assert held and all(h["text"] and h["reason"] for h in held)
        assert not [t for t in TERMS if t.lower() in joined.lower()]
        assert "英皇" not in joined and "盘口" not in joined
    else:
        assert not r.extra.get("held_back")


@pytest.mark.parametrize("kind", ["docx", "html"])
def test_new_from_published_2020_maps_columns(kind, tmp_path):
    """A 2020 report (format 2019) published as .docx/.html with non-zero 结转下年度 carries column by column."""
    last = random_report(random.Random(7), "2019", 2020, name="柳河镇人民政府", level="township")
    req = last.fmt.tables["requests"]
    for i, col in enumerate(c for c in req.col_ids if c != "total"):   # keep the table consistent: move into 结转
        last.figures[f"requests.carried_forward.{col}"] += i + 1
        last.figures[f"requests.new.{col}"] += i + 1
    for row in ("carried_forward", "new"):
        last.figures[f"requests.{row}.total"] = sum(last.figures[f"requests.{row}.{c}"] for c in req.col_ids
                                                    if c != "total")
    src = tmp_path / f"2020.{kind}"
    if kind == "docx":
        build_docx(last, src, "spaced")
    else:
        src.write_bytes(build_html(last, "split_head", "gbk"))
    r = _new(tmp_path, src)
    assert (r.format, r.agency["name"]) == ("2021", "柳河镇人民政府")
    got = [r.figures[f"requests.carried_over.{c}"] for c in COLS]
    assert got == [last.figures[f"requests.carried_forward.{c}"] for c in COLS]
    assert all(got)
    assert r.previous().figures == last.figures
