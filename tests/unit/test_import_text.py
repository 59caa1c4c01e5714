"""drafter import on pasted web text: tables in every layout the web gives, labels in their variants, the narrative,
the agency and 落款, the rules for missing cells, and files that are not reports."""
from __future__ import annotations

import random
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from drafter import cli
from drafter.formats import load_format
from drafter.importing import import_file, place_rows, place_tokens
from drafter.importing.labels import key, match_heading
from drafter.report import ReportError, load

NAME = "青石镇人民政府"


# ---- a published report written from the format data -------------------------------------------
def figures_for(fid: str, seed: int = 1) -> dict:
    rng = random.Random(seed)
    out = {}
    for cid, cell in load_format(fid).cells.items():
        if cell.kind == "amount":
            out[cid] = Decimal(rng.randint(0, 99999)) / 100
        elif cell.kind == "signed":
            out[cid] = rng.randint(-9, 9)
        else:
            out[cid] = rng.randint(0, 40)
    return out


def shown(v, kind) -> str:
    if kind == "signed" and v > 0:
        return f"+{v}"
    if kind == "amount":
        return f"{v} 万元"
    return str(v)


def table_rows(fid: str, tid: str, figures: dict) -> list[list[str]]:
    """The printed table, row by row, each merged cell once (what a .docx or .html table gives)."""
    fmt = load_format(fid)
    t = fmt.tables[tid]
    rows = []
    for r in range(t.n_rows):
        cells = sorted((g for g in t.grid if g.r == r), key=lambda g: g.c)
        rows.append([shown(figures[g.cell], fmt.cells[g.cell].kind) if g.cell else g.text for g in cells])
    return rows


def report_text(fid: str, year: int, figures: dict, style: str = "tabs", name: str = NAME,
                signed: str | None = "2021年1月28日") -> str:
    fmt = load_format(fid)
    out = [f"# {fmt.title(name, year)}", "",
           f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。", ""]
    for s in fmt.sections:
        out += [f"## {s.heading}", ""]
        if s.id == "overview":
            out += ["今年我镇认真贯彻《条例》。", "", "（一）切实加强组织领导。成立了领导小组。", "",
                    "(二)主动公开", "", "全年主动公开信息12条。", ""]
        elif s.id in fmt.tables:
            rows = table_rows(fid, s.id, figures)
            if style == "tabs":
                out += ["\t".join(r) for r in rows]
            elif style == "lines":
                for r in rows:
                    out += [""] + ["\t" + c for c in r]
            elif style == "markdown":
                width = max(len(r) for r in rows)
                out.append("| " + " | ".join(rows[0] + [""] * (width - len(rows[0]))) + " |")
                out.append("|" + "---|" * width)
                out += ["| " + " | ".join(r + [""] * (width - len(r))) + " |" for r in rows[1:]]
            out.append("")
        elif s.id == "problems":
            out += ["一是公开内容不够丰富。", "二是形式单一。", ""]
        else:
            out += ["无。", ""]
    if signed:
        out += [name, "", signed]
    return "\n".join(out) + "\n"


def write(tmp_path, text: str, name="report.txt", encoding="utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


# ---- tables in every layout ----------------------------------------------------------------------
@pytest.mark.parametrize("fid,year", [("2019", 2020), ("2021", 2022)])
@pytest.mark.parametrize("style", ["tabs", "lines", "markdown"])
def test_every_cell_read_back(tmp_path, fid, year, style):
    figs = figures_for(fid, seed=year)
    res = import_file(write(tmp_path, report_text(fid, year, figs, style)))
    r = res.report
    assert (r.year, r.format) == (year, fid)
    assert r.figures == figs
    assert res.doubts == []
    assert r.agency == {"name": NAME, "level": "township"}
    assert str(r.signed_on) == "2021-01-28"


def test_table_rows_api_for_other_readers():
    """place_rows takes a table as a .docx/.html reader gives it; place_tokens a flattened stream."""
    figs = figures_for("2019", 7)
    for tid in ("active", "requests", "appeals"):
        doubts: list = []
        rows = table_rows("2019", tid, figs)
        placed = place_rows("2019", tid, rows, doubts)
        assert doubts == []
        assert placed.figures == {k: v for k, v in figs.items() if k.startswith(tid + ".")}
        doubts = []
        flat = place_tokens("2019", tid, [c for r in rows for c in r], doubts)
        assert flat.figures == placed.figures and doubts == []


def test_label_variants():
    rows = [["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况", "总计"],
            ["自 然 人", "法人或其他组织"], ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
            ["一、本年新收政府信息公开申请数量", "３", "0", "0", "0", "0", "0", "３"],
            ["三、本年度办理结果", "(三)不予公开", "1、属于国家秘密", "1", "0", "0", "0", "0", "0", "1"],
            ["", "", '3．危及"三安全一稳定"', "0", "0", "0", "0", "0", "0", "0"],
            ["（五） 不予处理", "5. 要求行政机关确认或", "重新出具已获取信息", "2", "0", "0", "0", "0", "0", "2"]]
    doubts: list = []
    f = place_rows("2019", "requests", rows, doubts).figures
    assert f["requests.new.natural"] == 3 and f["requests.new.total"] == 3
    assert f["requests.denied.state_secret.total"] == 1
    assert f["requests.denied.three_safety.natural"] == 0
    assert f["requests.rejected.confirmation.natural"] == 2
    assert key("（一）予以公开") == key("(一) 予以公开")


def test_blank_cell_is_not_shifted():
    doubts: list = []
    rows = [["规章", "1", "", "3"]]
    f = place_rows("2019", "active", [["第二十条第（一）项"], ["信息内容", "本年新制作数量"]] + rows, doubts).figures
    assert f["active.rules.made"] == 1 and "active.rules.published" not in f and f["active.rules.total_published"] == 3
    assert any(d["cells"] == ["active.rules.published"] and "空白，按0计？" in d["message"] for d in doubts)


def test_short_row_with_a_nonzero_stays_missing():
    doubts: list = []
    f = place_tokens("2019", "requests", ["一、本年新收政府信息公开申请数量", "2", "0", "2",
                                          "二、上年结转政府信息公开申请数量", "0", "0"], doubts).figures
    assert not any(k.startswith("requests.new.") for k in f)
    # a table with a non-zero anywhere: the all-zero short row is not filled either
    assert not any(k.startswith("requests.carried_over.") for k in f)
    msgs = " ".join(d["message"] for d in doubts)
    assert "原文有3个数（应为7个）：2 0 2" in msgs
    assert "四、结转下年度继续办理」这一行在原文中没有找到" in msgs


def test_short_zero_rows_filled_only_when_the_table_has_no_nonzero():
    doubts: list = []
    f = place_tokens("2019", "appeals", ["行政复议", "行政诉讼", "结果", "维持", "总", "计", "0", "0", "0"], doubts).figures
    assert len(f) == 15 and set(f.values()) == {0}
    [d] = doubts
    assert len(d["cells"]) == 15 and "原文只有3个数（应为15个）" in d["message"] and "按0填入" in d["message"]


def test_unreadable_value_is_a_doubt():
    doubts: list = []
    f = place_rows("2019", "active", [["政府集中采购", "3", "12.5元"], ["行政许可", "1.5", "+2", "3件"]], doubts).figures
    assert f["active.procurement.amount"] == Decimal("0.00125")
    assert "active.licensing.prev_items" not in f
    assert (f["active.licensing.change"], f["active.licensing.decisions"]) == (2, 3)
    assert any("换算" in d["message"] for d in doubts)
    assert any(d["cells"] == ["active.licensing.prev_items"] and "「1.5」无法读取" in d["message"] for d in doubts)


# ---- the narrative, agency and 落款 ------------------------------------------------------------
def test_narrative(tmp_path):
    figs = figures_for("2019")
    res = import_file(write(tmp_path, report_text("2019", 2020, figs)))
    t = res.report.text
    assert t["intro"] == "本报告中所列数据的统计期限自2020年1月1日起至2020年12月31日止。"
    assert t["overview_lead"] == "今年我镇认真贯彻《条例》。"      # 一's paragraph before （一）: its lead
    assert t["overview"] == [{"title": "切实加强组织领导", "body": "成立了领导小组。"},
                             {"title": "主动公开", "body": "全年主动公开信息12条。"}]
    assert t["problems"] == "一是公开内容不够丰富。\n二是形式单一。"
    assert t["other"] == "无。"


def test_chrome_spam_title_and_broken_lines(tmp_path):
    figs = figures_for("2019")
    text = report_text("2019", 2020, figs, signed=None)
    text = text.replace("# 青石镇人民政府2020", "# 金沙娱乐城-青石镇2020", 1)
    text = text.replace("今年我镇认真贯彻《条例》。", "  • 发布日期:2021-01-30 09:00\n  • 点击次数:\n今年我镇认真\n\n贯彻《条例》。")
    text += "上一篇:\n下一篇:\n"
    res = import_file(write(tmp_path, text))
    r = res.report
    assert r.agency_name == "青石镇人民政府"
    assert str(r.signed_on) == "2021-01-30"
    assert r.text["overview_lead"] == "今年我镇认真贯彻《条例》。"
    assert r.text["other"] == "无。"
    msgs = [d["message"] for d in res.doubts]
    assert any("金沙娱乐城" in m and "已从机关名称中删除" in m for m in msgs)
    assert any("补全为「青石镇人民政府」" in m for m in msgs)


def test_signature_in_chinese_numerals(tmp_path):
    text = report_text("2019", 2020, figures_for("2019"), signed="二〇二一年一月二十八日")
    text = text.replace(f"\n{NAME}\n", "\n城东区青石镇人民政府\n")
    r = import_file(write(tmp_path, text)).report
    assert str(r.signed_on) == "2021-01-28"
    assert r.agency_name == "城东区青石镇人民政府"


def test_headings():
    fmt = load_format("2019")
    assert match_heading("### 一、政府信息公开总体情况".lstrip("# "), fmt)[0].id == "overview"
    assert match_heading("五、存在的主要问题及改进措施", fmt)[0].id == "problems"
    assert match_heading("四、结转下年度继续办理", fmt)[0] is None
    assert match_heading("一、本年新收政府信息公开申请数量", fmt)[0] is None
    assert match_heading("二、我镇今年做了大量工作，主动公开政府信息、依申请公开政府信息。", fmt)[0] is None


def test_user_strings_reach_the_file_literally(tmp_path):
    odd = '模板{{ name }}与{% if x %}、<b>&amp;</b>、"引号"\'单引号\'、😀'
    text = report_text("2019", 2020, figures_for("2019")).replace("形式单一。", f"形式单一{odd}。\x07")
    out = tmp_path / "out.yaml"
    assert cli.main(["import", str(write(tmp_path, text)), "-o", str(out)]) == 0
    r = load(out)
    assert r.text["problems"] == f"一是公开内容不够丰富。\n二是形式单一{odd}。"


def test_gbk_and_crlf(tmp_path):
    figs = figures_for("2019", 3)
    p = write(tmp_path, report_text("2019", 2020, figs).replace("\n", "\r\n"), encoding="gb18030")
    assert import_file(p).report.figures == figs


def test_year_from_text_or_option(tmp_path):
    figs = figures_for("2019")
    text = report_text("2019", 2020, figs).replace("青石镇人民政府2020年", "青石镇人民政府", 1)
    res = import_file(write(tmp_path, text))
    assert res.report.year == 2020 and any(d["cells"] == ["year"] for d in res.doubts)
    no_year = text.replace("2020年", "本年").replace("2021年1月28日", "")
    with pytest.raises(ReportError, match="--year"):
        import_file(write(tmp_path, no_year, "b.txt"))
    assert import_file(write(tmp_path, no_year, "b.txt"), year=2020).report.year == 2020


def test_default_output_name(tmp_path, monkeypatch, capsys):
    p = write(tmp_path, report_text("2019", 2020, figures_for("2019")))
    monkeypatch.chdir(tmp_path)
    assert cli.main(["import", str(p)]) == 0
    assert load(tmp_path / f"{NAME}-2020.yaml").agency_name == NAME
    assert "没有存疑之处" in capsys.readouterr().out


# ---- files that are not reports -----------------------------------------------------------------
BAD = {
    "empty.txt": (b"", "文件是空的"),
    "spaces.txt": (b"  \n\t\n", "文件是空的"),
    "garbage.bin": (random.Random(5).randbytes(4000), "不是文本文件"),
    "nonul.bin": (bytes(b for b in random.Random(6).randbytes(6000) if b)[:4000], "无法识别文件的文字编码"),
    "gbk-noise.txt": (b"\x82\x82" * 2000, "无法确定报告年度"),
    "notables.txt": ("青石镇2020年工作总结\n\n今年我镇各项工作稳步推进。\n".encode(), "没有找到报告的表格"),
    "doc.pdf": (b"%PDF-1.7\n%\xe2\xe3\n1 0 obj", "PDF"),
    "old.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".docx"),
}


@pytest.mark.parametrize("name", list(BAD))
def test_not_a_report(tmp_path, name, capsys):
    raw, words = BAD[name]
    p = tmp_path / name
    p.write_bytes(raw)
    assert cli.main(["import", str(p), "-o", str(tmp_path / "o.yaml")]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err and err.startswith("drafter：")
    assert not (tmp_path / "o.yaml").exists()


def test_missing_file_and_folder(tmp_path, capsys):
    assert cli.main(["import", str(tmp_path / "nope.txt")]) == 2
    assert cli.main(["import", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "文件不存在" in err and "文件夹" in err


def test_process_exit_status(tmp_path):
    """The installed command: exit 2 and one Chinese line, no traceback."""
    p = tmp_path / "g.bin"
    p.write_bytes(b"\x00\x01\x02garbage")
    proc = subprocess.run([sys.executable, "-m", "drafter.cli", "import", str(p)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith("drafter：") and "Traceback" not in proc.stderr
