"""The import pipeline on the forms real reports take (issue 14): text copied from a PDF, blank cells, a label
printed twice, 1、 sub-labels and the 2019 （六）其他处理 row, title and agency, and 一's lead paragraph."""
from __future__ import annotations

import io

import pytest
from docx import Document

from drafter.formats import load_format
from drafter.importing import import_file, place_rows
from drafter.importing.agency import level, title_lines, title_name
from drafter.importing.pipeline import drop_chrome, find_title, split_regions
from drafter.render import render_docx_bytes

NUMS = [21, 0, 0, 0, 0, 0, 21]


def _write(tmp_path, text: str, name: str = "r.txt"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _report(tables: dict[str, list[str]], fid: str = "2021", title: str = "青石镇人民政府2022年政府信息公开工作年度报告",
            overview: str = "（一）主动公开\n全年主动公开信息12条。", head: str = "") -> str:
    fmt = load_format(fid)
    out = [head, title, "本报告中所列数据的统计期限自2022年1月1日起至2022年12月31日止。"]
    for s in fmt.sections:
        out.append(s.heading)
        if s.id == "overview":
            out.append(overview)
        elif s.id in tables:
            out += tables[s.id]
        elif s.id in ("problems", "other"):
            out.append("无。")
    out += ["青石镇人民政府", "2023年1月20日"]
    return "\n".join(out) + "\n"


def _requests_rows(fid: str, sep: str, values=None) -> list[str]:
    """Every printed row of table 三 as `label<sep>v<sep>v…` (the label of a row is its innermost one)."""
    t = load_format(fid).tables["requests"]
    lines = []
    for _row, cells in t.rows():
        vals = values(cells) if values else [str(i % 5) for i, _ in enumerate(cells)]
        lines.append(sep.join([cells[0].row_label] + vals))
    return lines


# ---- item 2: text copied from a PDF -------------------------------------------------------------
@pytest.mark.parametrize("sep", ["      ", " ", "  \t"[:2]])
def test_pdf_text_cells_apart_by_spaces(tmp_path, sep):
    rows = _requests_rows("2021", sep)
    res = import_file(_write(tmp_path, _report({"requests": rows})))
    f = res.report.figures
    assert [f[f"requests.new.{c}"] for c in ("natural", "commercial", "legal_service", "total")] == [0, 1, 4, 1]
    assert f["requests.other.other.total"] == 1 and f["requests.carried_forward.other_org"] == 0
    assert not [d for d in res.doubts if "无法识别" in d["message"] or "位置不明" in d["message"]]


def test_issue_example_line():
    doubts: list = []
    line = "一、本年新收政府信息公开申请数量      21    0      0     0   0   0     21"
    from drafter.importing.text import text_lines
    f = place_rows("2021", "requests", text_lines(line), doubts).figures
    assert [f[f"requests.new.{c}"] for c in ("natural", "commercial", "research", "nonprofit", "legal_service",
                                              "other_org", "total")] == NUMS


def test_numbers_between_the_lines_of_a_wrapped_label():
    doubts: list = []
    lines = [["（二）部分公开（区分处理的，只计这一情"], ["4 0 0 0 0 0 4"], ["形，不计其他情形）"],
             ["5.要求行政机关确认或重 新出具"], ["已获取信息"], ["1 0 0 0 0 0 1"],
             ["1、申请人无正当理由逾期不补"], ["正、行政机关不再处理其政府信 2 0 0 0 0 0 2"], ["息公开申请"]]
    f = place_rows("2021", "requests", lines, doubts).figures
    assert f["requests.partial.total"] == 4 and f["requests.partial.natural"] == 4
    assert f["requests.rejected.confirmation.total"] == 1
    assert f["requests.other.no_correction.total"] == 2
    assert not [d for d in doubts if "无法识别" in d["message"] or "位置不明" in d["message"]]


def test_vertical_group_label_fragments_are_not_doubts():
    doubts: list = []
    lines = [["三", "、"], ["本年", "（一）予以公开", "1", "0", "0", "0", "0", "0", "1"],
             ["度办理结", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "2", "0", "0", "0", "0", "0", "2"],
             ["果"], ["（四）无 1.本机关不掌握相关政府信息 3 0 0 0 0 0 3"],
             ["", "法提供", "2.没有现成信息需要另行制作", "4", "0", "0", "0", "0", "0", "4"]]
    f = place_rows("2021", "requests", lines, doubts).figures
    assert (f["requests.granted.total"], f["requests.partial.total"]) == (1, 2)
    assert (f["requests.unable.not_held.total"], f["requests.unable.needs_creation.total"]) == (3, 4)
    assert not [d for d in doubts if "无法识别" in d["message"] or "按「" in d["message"]]


def test_prose_ending_in_a_number_is_not_split():
    doubts: list = []
    res = place_rows("2021", "requests", [["截至目前，全市在运维政务新媒体共计 95"]], doubts)
    assert res.figures == {}
    assert not any("位置不明" in d["message"] for d in doubts)


# ---- item 3: blank cells keep their place -------------------------------------------------------
def test_trailing_blank_cells_of_a_tab_row(tmp_path):
    rows = _requests_rows("2021", "\t", lambda cells: ["3"] + [""] * (len(cells) - 2) + ["3"])
    rows[0] = "\t".join(["一、本年新收政府信息公开申请数量", "3", "1"] + [""] * 5)   # ends in five blanks
    res = import_file(_write(tmp_path, _report({"requests": rows})))
    f = res.report.figures
    assert (f["requests.new.natural"], f["requests.new.commercial"], f["requests.new.total"]) == (3, 1, None)
    assert f["requests.granted.total"] == 3 and f["requests.granted.commercial"] is None


def test_trailing_blank_cells_of_an_html_row(tmp_path):
    html = ("<html><body><p>青石镇人民政府2022年政府信息公开工作年度报告</p><p>三、收到和处理政府信息公开申请情况</p>"
            "<table><tr><td>一、本年新收政府信息公开申请数量</td><td>5</td><td>2</td><td></td><td></td><td></td>"
            "<td></td><td></td></tr><tr><td>二、上年结转政府信息公开申请数量</td><td>1</td><td>0</td><td>0</td>"
            "<td>0</td><td>0</td><td>0</td><td>1</td></tr></table></body></html>")
    f = import_file(_write(tmp_path, html, "r.html")).report.figures
    assert (f["requests.new.natural"], f["requests.new.commercial"], f["requests.new.research"]) == (5, 2, None)
    assert f["requests.carried_over.total"] == 1


def test_blank_columns_said_once_per_table(tmp_path):
    """A county department fills only 自然人 and 总计: one doubt for the table, naming the blank columns."""
    rows = _requests_rows("2021", "\t", lambda cells: ["2"] + [""] * (len(cells) - 2) + ["2"])
    res = import_file(_write(tmp_path, _report({"requests": rows})))
    f = res.report.figures
    assert f["requests.new.natural"] == 2 and f["requests.new.commercial"] is None
    blank = [d for d in res.doubts if "空白" in d["message"]]
    assert len(blank) == 1
    assert "「法人或其他组织」各列空白，按0计？" in blank[0]["message"]
    assert len(blank[0]["cells"]) == 5 * len(load_format("2021").tables["requests"].rows())
    assert not [d for d in res.doubts if "requests" in " ".join(d["cells"]) and d is not blank[0]]


def test_a_blank_row_named_as_a_row():
    doubts: list = []
    rows = [["规章", "1", "0", "3"], ["行政规范性文件", "", "", ""]]
    f = place_rows("2021", "active", [["第二十条第（一）项"], ["信息内容", "本年制发件数"]] + rows, doubts).figures
    assert f["active.rules.issued"] == 1 and "active.normative.issued" not in f
    (d,) = [d for d in doubts if "空白" in d["message"]]
    assert "「第二十条第（一）项／行政规范性文件」整行" in d["message"]


# ---- item 4: a label printed twice --------------------------------------------------------------
def test_the_occurrence_with_numbers_wins():
    doubts: list = []
    lines = [["一、本年新收政府信息公开申请数量"], ["说明：本表数据……"],
             ["一、本年新收政府信息公开申请数量", "21", "0", "0", "0", "0", "0", "21"]]
    f = place_rows("2021", "requests", lines, doubts).figures
    assert f["requests.new.natural"] == 21 and f["requests.new.total"] == 21
    assert not any("出现了两次" in d["message"] for d in doubts)


def test_two_occurrences_with_numbers_keep_the_first_and_say_so():
    doubts: list = []
    row = ["一、本年新收政府信息公开申请数量", "1", "0", "0", "0", "0", "0", "1"]
    f = place_rows("2021", "requests", [row, row[:1] + ["9"] * 7], doubts).figures
    assert f["requests.new.natural"] == 1
    assert any("出现了两次" in d["message"] for d in doubts)


# ---- item 5: 1、 sub-labels; the 2019 （六）其他处理 row in a 2021 report -------------------------------
def test_sub_labels_numbered_with_a_dunhao():
    doubts: list = []
    lines = [["（三）不予公开", "1、属于国家秘密", "2", "0", "0", "0", "0", "0", "2"],
             ["2、其他法律行政法规禁止公开", "3", "0", "0", "0", "0", "0", "3"]]
    f = place_rows("2021", "requests", lines, doubts).figures
    assert f["requests.denied.state_secret.total"] == 2 and f["requests.denied.law_prohibited.total"] == 3
    assert not any("按「" in d["message"] for d in doubts)


def test_2019_other_row_in_a_2021_report_is_a_doubt():
    doubts: list = []
    lines = [["（五）不予处理", "5.要求行政机关确认或重新出具已获取信息", "1", "0", "0", "0", "0", "0", "1"],
             ["（六）其他处理", "4", "0", "0", "0", "0", "0", "4"],
             ["（七）总计", "5", "0", "0", "0", "0", "0", "5"]]
    f = place_rows("2021", "requests", lines, doubts).figures
    assert f["requests.rejected.confirmation.total"] == 1 and f["requests.total.total"] == 5
    assert not any(k.startswith("requests.other.") for k in f)
    (d,) = [d for d in doubts if "其他处理" in d["message"]]
    assert "4 0 0 0 0 0 4" in d["message"] and "分为3行" in d["message"]
    assert "requests.other.no_correction.natural" in d["cells"]
    assert not any("这一行在原文中没有找到" in x["message"] and "申请人无正当理由" in x["message"] for x in doubts)


# ---- item 6: title and agency -------------------------------------------------------------------
def test_title_is_the_line_that_reads_as_one():
    lines = [["首页 > 政府信息公开 > 年度报告"], ["字体：大 中 小"], ["上海市人民政府办公厅"],
             ["2019年政府信息公开工作年度报告"], ["本报告……"]]
    t = find_title(drop_chrome(lines)[0])
    assert t.norm == "上海市人民政府办公厅2019年政府信息公开工作年度报告"
    assert t.body == [["本报告……"]]
    assert title_lines(["一", "某某县人民政府", "2021年度政府信息公开工作年度报告"]) == [1, 2]


@pytest.mark.parametrize("title,name", [
    ("2019年上海市人民政府办公厅政府信息公开工作年度报告", "上海市人民政府办公厅"),
    ("二〇二一年度某某县人民政府政府信息公开工作年度报告", "某某县人民政府"),
    ("平潭综合实验区2024年度政府信息公开工作年度报告", "平潭综合实验区"),
])
def test_title_name_without_the_year(title, name):
    assert title_name(title) == name


def test_agency_from_a_title_with_a_year_in_front(tmp_path):
    text = _report({"requests": _requests_rows("2021", "\t")},
                   title="2022年上海市人民政府办公厅政府信息公开工作年度报告").replace("青石镇人民政府\n2023", "2023")
    r = import_file(_write(tmp_path, text)).report
    assert r.agency == {"name": "上海市人民政府办公厅", "level": "department"}
    assert r.year == 2022


@pytest.mark.parametrize("name,lv", [
    ("王岗镇人民政府", "township"), ("邓城乡人民政府", "township"), ("东湖街道办事处", "township"),
    ("洪泽区人民政府", "county"), ("某某县人民政府", "county"), ("淮安市人民政府", "city"),
    ("平潭综合实验区", "city"), ("平潭综合实验区管委会", "city"), ("某某经济技术开发区管委会", "county"),
    ("某某新区管理委员会", "county"), ("某某高新区人民政府", "county"), ("江苏省人民政府", "province"),
    ("上海市人民政府办公厅", "department"), ("某某市发展和改革委员会", "department"), ("某某县教育局", "department"),
    ("某某市政务服务中心", "department"), ("某某区人民政府办公室", "department"),
])
def test_level_follows_the_name(name, lv):
    assert level(name) == lv
    from drafter.report import LEVELS
    assert lv in LEVELS


# ---- item 7: 一's lead paragraph ---------------------------------------------------------------
def test_lead_paragraph_of_overview(tmp_path):
    text = _report({"requests": _requests_rows("2021", "\t")},
                   overview="2022年，我镇坚持以公开为常态。\n（一）主动公开\n全年主动公开信息12条。\n（二）依申请公开\n无。")
    r = import_file(_write(tmp_path, text)).report
    assert r.text["overview_lead"] == "2022年，我镇坚持以公开为常态。"
    assert [p["title"] for p in r.text["overview"]][:2] == ["主动公开", "依申请公开"]
    assert all(p["title"] for p in r.text["overview"])
    # printed where it was: after 一、总体情况 and before （一）
    doc = Document(io.BytesIO(render_docx_bytes(r)))
    paras = [p.text for p in doc.paragraphs]
    i = paras.index("一、总体情况")
    assert paras[i + 1] == "2022年，我镇坚持以公开为常态。" and paras[i + 2] == "（一）主动公开"
    # and it survives the drafter file
    r.save(tmp_path / "r.yaml")
    from drafter.report import load
    assert load(tmp_path / "r.yaml").text["overview_lead"] == r.text["overview_lead"]


def test_lead_is_carried_to_next_year(tmp_path):
    from drafter.carry import carry_forward
    text = _report({"requests": _requests_rows("2021", "\t")},
                   overview="2022年，我镇坚持以公开为常态。\n（一）主动公开\n全年主动公开信息12条。")
    r = import_file(_write(tmp_path, text)).report
    nxt = carry_forward(r)
    assert nxt.text["overview_lead"] == "2022年，我镇坚持以公开为常态。"
    assert "overview_lead" in nxt.extra["carried_text"]
    assert all(p["title"] for p in nxt.text["overview"])       # never an untitled part at the end


def test_regions_keep_a_row_label_that_reads_like_a_heading():
    lines = [["三、收到和处理政府信息公开申请情况"], ["一、本年新收政府信息公开申请数量", "1"], ["四、政府信息公开行政复议、行政诉讼情况"]]
    regions = split_regions(lines, "2021")
    assert [r.section for r in regions] == [None, "requests", "appeals"]
    assert regions[1].lines == [["一、本年新收政府信息公开申请数量", "1"]]


def test_table_broken_across_pages_with_its_header_repeated():
    """A table continued on the next page, its header rows printed again (and a page number between)."""
    doubts: list = []
    header = [["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"],
              ["自然人", "法人或其他组织", "总计"], ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]]
    body = [[cells[0].row_label] + [str(i % 3) for i in range(len(cells))]
            for _row, cells in load_format("2021").tables["requests"].rows()]
    from drafter.importing.text import text_lines
    lines = text_lines("\n".join("\t".join(x) for x in header + body[:10] + [["- 4 -"]] + header + body[10:]))
    assert ["- 4 -"] not in lines
    f = place_rows("2021", "requests", lines, doubts).figures
    assert len(f) == 7 * len(body) and f["requests.carried_forward.total"] == 0
    assert f["requests.unable.not_held.commercial"] == 1
    assert not [d for d in doubts if "无法识别" in d["message"] or "出现了两次" in d["message"]]
