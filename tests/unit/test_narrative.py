"""The narrative: figures read from real report sentences, the reviewer's checks, drafted sentences that agree."""
import datetime as dt
import random
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from gen import random_report
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drafter import narrative as nar
from drafter.checks import check, compute_totals
from drafter.chinese import cn_int
from drafter.report import Report, load, loads

ROOT = Path(__file__).resolve().parents[2]

# ---- sentences of the seed reports (samples/seeds), as published --------------------------------------------
SEED000_REQUESTS = (
    "依申请公开政府信息方面，2020年，全镇共办理政府信息公开申请1件，上年度结转0件，按时办结1件，申请人为个人（南岳镇杏湾三村"
    "村民），其中属于已主动公开范围的0件，同意公开的0件、同意部分公开的0件，不予公开的0件、不属于被申请单位信息公开范围的1件，"
    "信息不存在的0件，告知作出更改补充的0件，告知通过其他途径办理的0件。")
SEED000_APPEALS = (
    "因政府信息公开申请行政复议、提起行政诉讼方面，2020年我镇因信息公开引起行政复议件累计0件，其中：维持具体行政行为0件，被依法"
    "纠错0件，其他情形0件。因信息公开引起行政诉讼累计2件，其中：维持具体行政行为或者驳回原告诉讼请求数2件，被依法纠错0件，"
    "其他情形0件。")
SEED000_ACTIVE = (
    "主动公开政府信息方面，以公开为常态、不公开为例外，切实把好重点，协同并深入推进重点领域信息公开，主动公开各类政府信息，确保"
    "“应公开尽公开”。2020年，主动公开政府信息66条，其中包括政策文件6条，重点领域信息3条，人事信息2条、规划总结1条、政务动态"
    "等53条，做到了主动、及时、规范的要求。财务信息方面，公开了《南岳镇人民政府2018年度财政决算审计整改公告》；扶贫信息方面，"
    "及时公开了《南岳镇2020年脱贫人员名单》、《南岳镇2020年临时救助名单》，接受群众监督。")
SEED002_REQUESTS = "我镇今年没有接到群众主动要求公开政府信息的申请。目前尚无发现应主动公开政府信息而未予公开的情况。"
SEED002_OTHER = ("(一)政府信息公开的收费及减免情况。全年未出现政府信息公开收费及减免情况。\n"
                 "(二)因政府信息公开工作被申请行政复议、提起行政诉讼情况。全年未发生因政府信息公开工作被申请行政复议、"
                 "提起行政诉讼情况。")
SEED003_OVERVIEW = ("2020 年，我镇认真贯彻落实新修订的《中华人民共和国政府信息公开条例》精神，规范政务公开内容，突出公开重点，"
                    "提高政务公开水平，推动各项工作的开展。2020 年，我镇共制作、获取政府信息 1 条，其中主动公开政府信息数 1 条、"
                    "作为依申请公开信息数 0 条、不予公开信息数 0 条，我机关向两馆移交主动公开政府信息 1 条。")
SEED003_REQUESTS = "2020年我镇未收到群众依申请信息公开件，未有因政府信息公开被申请行政复议、被提起行政诉讼情况。"
SEED003_PROBLEMS = ("2020 年度我镇政府信息公开工作虽然取得了一些成绩,但与上级的要求和公众的期望还存在一定的差距。一是主动公开信息"
                    "数量不多。为减轻基层负担,镇大力精简文件,发文数量大幅度减少。")
SEED004_INTRO = (
    "本年度报告根据《中华人民共和国政府信息公开条例》（国务院令 第 711 号，以下简称《条例》）和《国务院办公厅政府信息与政务公开"
    "办公室关于政府信息公开工作年度报告有关事项的通知》（国办公开办函〔2019〕60 号）有关要求编制而成。本报告包括政府信息公开总体"
    "情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况五个"
    "部分组成。报告中所列数据统计时限为 2020 年 1 月 1 日至 2020 年 12 月 31 日。如对本报告有任何疑问，请与南岗区王岗镇人民政府"
    "行政办联系（地址：王岗大街 777 号；邮编：150000；电话：0451-87542911）。")
SEED004_OVERVIEW = (
    "2020 年，王岗镇人民政府认真贯彻落实《条例》，按照《国务院办公厅关于印发 2019 年政务公开工作要点的通知》（国办发〔2019〕14 号）"
    "和《黑龙江省人民政府办公厅关于进一步加强全省政务公开工作的实施意见》（黑政办发〔2019〕98 号）部署，坚持以公开为常态、不公开为"
    "例外，在主动公开、依申请公开、政府信息管理、政府信息公开平台建设、监督考核保障、学习贯彻新《条例》等方面，积极推进各项工作任务"
    "完成，不断提升政府信息公开工作质量。")
SEED004_ACTIVE = ("2020年，王岗镇始终加强重点领域的信息公开，尽力公开好社会保障、就业、医疗、养老、救助、环境保护等领域群众最迫切"
                  "关心了解的内容，切实提高群众的知晓率和满意度。")
SEED004_REQUESTS = "2020年，王岗镇人民政府接收邮寄信息公开申请3个，区转办信息公开申请7个。"
SEED004_PROBLEMS = "1、是偶有信息公开不及时，还需进一步完善和细化，加强工作力度。\n2、是信息公开内容不够详细，距离群众的要求还有一些差距。"


def zero(fid: str = "2019", year: int = 2020, name: str = "王岗镇人民政府", level: str = "township") -> Report:
    r = Report.new(year, name, level, fmt=fid)
    r.signed_on = dt.date(year + 1, 1, 26)
    for cid, cell in r.fmt.cells.items():
        r.figures[cid] = Decimal(0) if cell.kind == "amount" else 0
    return r


def narrative_findings(report, previous=None):
    return [f for f in check(report, previous) if f.rule.startswith("narrative.")]


def seed000() -> Report:
    """南岳镇 2020 as published: one 商业企业 application, whose result the table's 总计 column leaves out."""
    r = zero(name="南岳镇人民政府")
    f = r.figures
    f["requests.new.commercial"] = f["requests.new.total"] = 1
    f["requests.unable.not_held.commercial"] = 1
    f["requests.total.commercial"] = 1
    f["appeals.litigation_direct.upheld"] = f["appeals.litigation_direct.total"] = 2
    f["active.procurement.projects"], f["active.procurement.amount"] = 34, Decimal("50.920543")
    r.text["overview"] = [{"title": "政府信息公开工作情况", "body": "\n".join([SEED000_ACTIVE, SEED000_REQUESTS,
                                                                          SEED000_APPEALS])}]
    r.text["other"] = "无"
    return r


def seed004() -> Report:
    """王岗镇 2020 as published: ten applications of individuals, 2 granted, 3 partly, 5 not held; 复议 2, 诉讼 1."""
    r = zero()
    f = r.figures
    f["requests.new.natural"] = 10
    f["requests.granted.natural"], f["requests.partial.natural"], f["requests.unable.not_held.natural"] = 2, 3, 5
    f["appeals.review.upheld"], f["appeals.review.corrected"] = 1, 1
    f["appeals.litigation_after_review.upheld"] = 1
    f["active.penalty.change"], f["active.penalty.decisions"] = 1, 3
    f["active.procurement.projects"], f["active.procurement.amount"] = 7, Decimal("461.7")
    compute_totals(r)
    r.text["intro"] = SEED004_INTRO
    r.text["overview"] = [{"title": "", "body": SEED004_OVERVIEW}, {"title": "主动公开", "body": SEED004_ACTIVE},
                          {"title": "依申请公开", "body": SEED004_REQUESTS}]
    r.text["problems"] = SEED004_PROBLEMS
    return r


# ---- the seeds against their tables ---------------------------------------------------------------------------
def test_seed000_applicant_type_disagrees_with_table():
    r = seed000()
    found = {f.rule: f for f in narrative_findings(r)}
    f = found["narrative.applicant"]
    assert f.severity == "warning" and f.section == "overview"
    assert f.cells == ("requests.new.commercial", "text.overview.0")
    assert "申请人为个人" in f.message and "商业企业1件" in f.message
    # the table's 总计 column omits the 商业企业 result: the stated 办结1件 differs from 三（七）总计 = 0
    assert found["narrative.figures"].cells == ("requests.total.total", "text.overview.0")
    assert "按时办结1件" in found["narrative.figures"].message
    # 共办理1件, 上年度结转0件, 行政复议累计0件, 行政诉讼累计2件 agree: nothing else
    assert sorted(found) == ["narrative.applicant", "narrative.figures"]


def test_seed000_statements():
    sts, claims = nar.statements(SEED000_REQUESTS + "\n" + SEED000_APPEALS, "2019")
    assert [(s.kind, s.value) for s in sts] == [("handled", 1), ("carried_over", 0), ("results", 1),
                                                ("review", 0), ("litigation", 2)]
    assert claims == (nar.Claim(("natural",), "申请人为个人"),)
    # 主动公开政府信息66条，其中包括政策文件6条 states no cell of the format
    assert nar.statements(SEED000_ACTIVE, "2019") == ((), ())


def test_seed004_text_agrees_with_table():
    r = seed004()
    # its opening counts 五个部分 (the format has six): the only narrative finding
    assert [(f.rule, f.cells) for f in narrative_findings(r)] == [("narrative.intro_format", ("text.intro",))]
    # the two channels are read as parts of one total
    (st_,), _ = nar.statements(SEED004_REQUESTS, "2019")
    assert (st_.kind, st_.value) == ("received", 10)


def test_seed004_disagreement_is_found():
    r = seed004()
    r.figures["requests.new.natural"] = 9      # the text says 3 + 7
    r.figures["requests.carried_forward.natural"] = 0
    r.figures["requests.unable.not_held.natural"] = 4
    compute_totals(r)
    (f,) = [f for f in narrative_findings(r) if f.rule != "narrative.intro_format"]
    assert f.rule == "narrative.figures" and f.cells == ("requests.new.total", "text.overview.2")
    assert "写的是10件" in f.message and "为9件" in f.message and f.message.startswith("一、总体情况（依申请公开）")


def test_seeds_002_003_zero_wordings_agree_with_zero_tables():
    r = zero(name="南黄镇人民政府")
    r.text["overview"] = [{"title": "依申请公开", "body": SEED002_REQUESTS},
                          {"title": "", "body": SEED003_OVERVIEW + "\n" + SEED003_REQUESTS}]
    r.text["problems"] = SEED003_PROBLEMS
    r.text["other"] = SEED002_OTHER
    # seed 003's 五 names its problems but no improvement
    assert [(f.rule, f.cells) for f in narrative_findings(r)] == [("narrative.problems", ("text.problems",))]
    r.figures["appeals.review.pending"] = r.figures["appeals.review.total"] = 1
    got = {(f.cells, f.message.split("「")[1].split("」")[0]) for f in narrative_findings(r)
           if f.rule != "narrative.problems"}
    assert got == {(("appeals.review.total", "text.overview.1"), "未有因政府信息公开被申请行政复议、被提起行政诉讼情况"),
                   (("appeals.review.total", "text.other"), "全年未发生因政府信息公开工作被申请行政复议、提起行政诉讼情况")}


def test_samples_of_the_seed_towns():
    by_name = {p.name.split("-")[0]: load(p) for p in (ROOT / "samples").glob("*-2020.yaml")}
    assert len(by_name) == 5
    for name, r in by_name.items():
        rules = {f.rule for f in narrative_findings(r)}
        assert "narrative.stray_year" not in rules, name
        if name == "南岳镇":
            assert "narrative.applicant" in rules
        elif name == "王岗镇":
            assert rules == {"narrative.intro_format"}       # 五个部分组成


# ---- the reader -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text,fid,expected", [
    ("2021年，本机关共收到政府信息公开申请12件。", "2021", [("received", 12)]),
    ("全年受理政府信息公开申请三件，均已按时办结。", "2021", [("received", 3)]),
    ("收到政府信息公开申请两件，办结十二件。", "2021", [("received", 2), ("results", 12)]),
    ("本年度共收到并办结政府信息公开申请5件。", "2021", [("received", 5), ("results", 5)]),
    ("我镇今年没有接到群众主动要求公开政府信息的申请。", "2019", [("received", 0)]),
    ("2020年我镇未收到群众依申请信息公开件。", "2019", [("received", 0)]),
    ("收到政府信息公开申请4件，上年度结转0件，尚未办结1件。", "2021",
     [("received", 4), ("carried_over", 0), ("carried_forward", 1)]),
    ("收到申请4件，无上年结转的申请，结转下年度继续办理的申请零件。", "2021",
     [("received", 4), ("carried_over", 0), ("carried_forward", 0)]),
    ("因信息公开引起行政复议件累计0件，行政诉讼2件。", "2019", [("review", 0), ("litigation", 2)]),
    ("因政府信息公开被申请行政复议1件；被提起行政诉讼一起，其中复议后起诉1件。", "2021",
     [("review", 1), ("litigation", 1), ("appeals.litigation_after_review.total", 1)]),
    ("未有因政府信息公开被申请行政复议、被提起行政诉讼情况。", "2021", [("review", 0), ("litigation", 0)]),
    ("全年制发行政规范性文件3件，废止1件，现行有效的行政规范性文件12件。", "2021",
     [("active.normative.issued", 3), ("active.normative.repealed", 1), ("active.normative.in_force", 12)]),
    ("新制作规范性文件2件、新公开2件。", "2019", [("active.normative.made", 2), ("active.normative.published", 2)]),
    ("作出行政许可决定46件、行政处罚决定18件。", "2021",
     [("active.licensing.decisions", 46), ("active.penalty.decisions", 18)]),
    ("共收到申请13件，上年结转1件。其中自然人申请9件，商业企业申请2件，其他组织申请2件。", "2021",
     [("received", 13), ("carried_over", 1), ("requests.new.natural", 9), ("requests.new.commercial", 2),
      ("requests.new.other_org", 2)]),
    # not statements of a table figure
    ("建立健全规章制度5项，3个工作日内答复。", "2021", []),
    ("无法提供5件，其中本机关不掌握相关政府信息5件。", "2021", []),
    ("收到良好效果，群众满意率100%。", "2021", []),
    ("共收到申请10件，其中当面申请3件，网上受理7件。", "2021", [("received", 10)]),
    ("全镇14个行政村，自然人9件。", "2021", []),
    ("人大代表建议12件，已全部答复。", "2021", []),
    ("便民服务中心全年受理办件12000件，办结12000件。群众可在线申请政府信息公开。", "2021", []),
    ("全年办理行政复议案件15件，行政诉讼案件8件。", "2021", []),
    ("全年因政府信息公开被申请行政复议1件；被直接提起行政诉讼1件，法院判决维持。", "2021",
     [("review", 1), ("litigation", 1)]),
    ("已办结的13件申请中，予以公开7件；结转下年度继续办理1件。", "2021", [("results", 13), ("carried_forward", 1)]),
    ("上年结转资金项目3个。", "2021", []),
])
def test_wordings(text, fid, expected):
    sts, _ = nar.statements(text, fid)
    assert [(s.kind, s.value) for s in sts] == expected


@pytest.mark.parametrize("s,v", [("一", 1), ("两", 2), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23),
                                 ("一百零五", 105), ("零", 0), ("三十", 30)])
def test_chinese_numerals(s, v):
    # the reader's numerals are drafter.chinese's
    assert cn_int(s) == v
    if v:
        (st_,), _ = nar.statements(f"2021年，我镇共收到政府信息公开申请{s}件。", "2021")
        assert (st_.kind, st_.value) == ("received", v)


REQUESTS_TEXT = ("2021年，我镇共收到政府信息公开申请4件，上年结转政府信息公开申请1件。本年度办结政府信息公开申请4件。"
                 "结转下年度继续办理的政府信息公开申请1件。")


def consistent_2021() -> Report:
    r = zero("2021", 2021, "青山镇人民政府")
    f = r.figures
    f["requests.new.natural"], f["requests.carried_over.natural"] = 4, 1
    f["requests.granted.natural"], f["requests.carried_forward.natural"] = 4, 1
    f["appeals.review.upheld"] = 1
    f["appeals.litigation_direct.pending"] = 2
    f["active.normative.issued"], f["active.normative.in_force"] = 3, 12
    compute_totals(r)
    for part, body in zip(r.text["overview"], [
            "2021年，我镇制发行政规范性文件3件、废止0件、现行有效12件。",
            REQUESTS_TEXT + "\n全年因政府信息公开被申请行政复议1件，被提起行政诉讼2件。",
            "严格落实保密审查制度。", "优化政府网站专栏。", "将政务公开纳入年度考核。"], strict=True):
        part["body"] = body
    r.text["other"] = "本年度未收取信息处理费。"
    return r


@pytest.mark.parametrize("cid,value,cells", [
    ("requests.new.natural", 5, ("requests.new.total", "text.overview.1")),
    ("requests.carried_over.natural", 2, ("requests.carried_over.total", "text.overview.1")),
    ("requests.granted.natural", 5, ("requests.total.total", "text.overview.1")),
    ("requests.carried_forward.natural", 0, ("requests.carried_forward.total", "text.overview.1")),
    ("appeals.review.upheld", 2, ("appeals.review.total", "text.overview.1")),
    ("appeals.litigation_after_review.other", 1,
     ("appeals.litigation_direct.total", "appeals.litigation_after_review.total", "text.overview.1")),
    ("active.normative.issued", 4, ("active.normative.issued", "text.overview.0")),
])
def test_each_stated_figure_is_checked(cid, value, cells):
    r = consistent_2021()
    assert narrative_findings(r) == []
    r.figures[cid] = value
    compute_totals(r)
    found = [f for f in narrative_findings(r) if f.rule == "narrative.figures"]
    assert [f.cells for f in found] == [cells]
    assert found[0].section == "overview" and "「" in found[0].message


def test_blank_figures_are_not_compared():
    r = consistent_2021()
    r.figures["requests.new.natural"] = None
    compute_totals(r)
    assert [f for f in narrative_findings(r) if "requests.new.total" in f.cells] == []


# ---- 2021: five topics, 信息处理费 ------------------------------------------------------------------------------
def test_topics_and_fee_statement():
    r = consistent_2021()
    r.text["overview"][4]["body"] = ""
    r.text["other"] = "无"
    found = {f.rule: f for f in narrative_findings(r)}
    assert found["narrative.topics"].cells == ("text.overview.4",)
    assert "监督保障" in found["narrative.topics"].message
    assert found["narrative.fee"].cells == ("text.other",)
    # topics as clerks title them, or as the opening of a paragraph
    r.text["overview"] = [{"title": "（一）主动公开情况", "body": "x"}, {"title": "二、依申请公开", "body": "x"},
                          {"title": "政府信息管理方面", "body": "x"}, {"title": "（四）平台建设", "body": "x"},
                          {"title": "", "body": "监督考核保障方面，将政务公开纳入年度考核。"}]
    r.text["other"] = "根据国办函〔2020〕109号，本年度未收取信息处理费。"
    assert {f.rule for f in narrative_findings(r)} == set()
    del r.text["overview"][2]
    (f,) = narrative_findings(r)
    assert f.rule == "narrative.topics" and f.cells == ("text.overview",) and "「政府信息管理」" in f.message


def test_empty_narrative_is_not_nagged_and_2019_has_no_topic_rules():
    assert narrative_findings(zero("2021", 2021)) == []
    r = zero()
    r.text["overview"] = [{"title": "", "body": "我镇认真落实条例。"}]
    assert narrative_findings(r) == []


# ---- 内容雷同 ---------------------------------------------------------------------------------------------------
def test_same_as_previous():
    prev = zero("2019", 2020)
    prev.text["problems"] = SEED003_PROBLEMS
    prev.text["overview"] = [{"title": "", "body": SEED003_OVERVIEW}]
    prev.text["other"] = "无"
    r = zero("2021", 2021)
    r.text["problems"] = SEED003_PROBLEMS.replace("2020", "2021")
    r.text["other"] = "无"
    r.text["overview"][0]["body"] = SEED003_OVERVIEW.replace("2020", "2021")
    r.text["overview"][1]["body"] = SEED004_OVERVIEW.replace("2020", "2021")
    found = [f for f in narrative_findings(r, prev) if f.rule == "narrative.same_as_previous"]
    assert sorted(f.cells for f in found) == [("text.overview.0",), ("text.problems",)]
    assert all("2020年度" in f.message and "内容雷同" in f.message for f in found)
    assert [f for f in narrative_findings(r) if f.rule == "narrative.same_as_previous"] == []
    # a rewritten section is not a copy
    r.text["problems"] = ("本年度我镇政务公开工作仍存在短板：一是政策解读形式单一，图解、视频解读较少；二是村级公开栏更新不及时，"
                          "部分村公开内容滞后。下一步将加强培训，建立村级公开台账，按季度督查。")
    assert [f.cells for f in narrative_findings(r, prev) if f.rule == "narrative.same_as_previous"] == [
        ("text.overview.0",)]


# ---- years left from another report ---------------------------------------------------------------------------
@pytest.mark.parametrize("text,years", [
    ("2020年，我镇认真贯彻落实条例。", [2020]),
    ("（一）主动公开。2019年共公开政府信息35条。", [2019]),
    ("本报告中所列数据的统计期限为2020年1月1日至2020年12月31日。", [2020, 2020]),
    ("2020 年度我镇政府信息公开工作虽然取得了一些成绩。", [2020]),
    ("2021年，我镇认真贯彻落实条例。2022年，我镇将进一步加强培训。", []),
    ("按照《国务院办公厅关于印发2019年政务公开工作要点的通知》（国办发〔2019〕14号）部署。", []),
    ("根据《中华人民共和国政府信息公开条例》（2019年修订）和国办公开办函〔2019〕60号。", []),
    ("新修订的《条例》自2019年5月15日起施行，与2020年相比申请数量增加。", []),
    ("公开了《南岳镇人民政府2018年度财政决算审计整改公告》。", []),
])
def test_stray_years(text, years):
    assert [y for y, _ in nar.stray_years(text, 2021)] == years


def test_seed_texts_have_no_stray_year_in_their_own_year():
    for text in (SEED000_ACTIVE, SEED000_REQUESTS, SEED000_APPEALS, SEED002_REQUESTS, SEED002_OTHER, SEED003_OVERVIEW,
                 SEED003_REQUESTS, SEED003_PROBLEMS, SEED004_INTRO, SEED004_OVERVIEW, SEED004_ACTIVE, SEED004_REQUESTS):
        assert nar.stray_years(text, 2020) == [], text


def test_stray_year_finding_names_the_passage():
    r = consistent_2021()
    r.text["problems"] = "2020年我镇在政府信息公开工作上取得了一定成效，但仍有不足。下一步将加强培训。"
    (f,) = narrative_findings(r)
    assert f.rule == "narrative.stray_year" and f.cells == ("text.problems",) and f.section == "problems"
    assert "2020年不是本报告年度（2021年）" in f.message
    # a sub-part titled with last year (seed 001: （四）2020年政府信息公开工作情况)
    r.text["problems"] = "公开栏目更新不够及时。下一步将加强培训。"
    r.text["overview"][2]["title"] = "（三）2020年政府信息管理情况"
    (f,) = narrative_findings(r)
    assert f.cells == ("text.overview.2",) and "「（三）2020年政府信息管理情况」" in f.message


# ---- drafts ---------------------------------------------------------------------------------------------------
def test_drafts_of_seed004_read_back_as_its_table():
    r = seed004()
    d = nar.drafts(r)
    assert sorted(d) == ["appeals", "overview:主动公开", "overview:依申请公开"]      # no 信息处理费 in 2019
    assert d["overview:依申请公开"].startswith("2020年，我镇共收到政府信息公开申请10件，申请人均为自然人。")
    assert "部分公开3件" in d["overview:依申请公开"] and "（区分处理的" not in d["overview:依申请公开"]
    assert d["appeals"] == ("2020年，我镇因政府信息公开被申请行政复议2件（结果维持1件、结果纠正1件）；"
                            "因政府信息公开被提起行政诉讼1件，其中复议后起诉1件（结果维持1件）。")
    assert "开展政府集中采购7项，采购总金额461.7万元" in d["overview:主动公开"]


def test_insert_update_and_never_overwrite():
    r = seed004()
    key = "overview:依申请公开"
    assert nar.draft_status(r, key) == "absent" and nar.draft_conflict(r, key) == SEED004_REQUESTS
    # the clerk's own sentence states the same figures: nothing is replaced without asking
    assert nar.insert_draft(r, key) is False
    assert r.text["overview"][2]["body"] == SEED004_REQUESTS
    # an unrelated paragraph is kept, the draft goes after it
    r.text["overview"][2]["body"] = "王岗镇规范依申请公开办理流程。"
    assert nar.insert_draft(r, key) is True
    body = r.text["overview"][2]["body"].split("\n")
    assert body[0] == "王岗镇规范依申请公开办理流程。" and body[1] == nar.drafts(r)[key]
    assert r.extra["drafted"][key] == body[1] and nar.draft_status(r, key) == "current"
    # the appeals sentence follows in the same sub-part
    assert nar.insert_draft(r, "appeals") is True
    assert r.text["overview"][2]["body"].split("\n")[2] == nar.drafts(r)["appeals"]
    # figures change: the unchanged drafts follow
    r.figures["requests.new.natural"] = 11
    r.figures["requests.carried_forward.natural"] = 1
    compute_totals(r)
    assert nar.draft_status(r, key) == "stale"
    assert nar.refresh_drafts(r) == [key]
    assert "共收到政府信息公开申请11件" in r.text["overview"][2]["body"]
    assert [f.rule for f in narrative_findings(r)] == ["narrative.intro_format"]     # seed 004's 五个部分
    # the clerk edits the drafted paragraph: it is theirs now
    ps = r.text["overview"][2]["body"].split("\n")
    ps[1] = ps[1].replace("申请人均为自然人", "申请人均为本镇村民")
    r.text["overview"][2]["body"] = "\n".join(ps)
    r.figures["requests.new.natural"] = 12
    r.figures["requests.carried_forward.natural"] = 2
    compute_totals(r)
    assert nar.draft_status(r, key) == "edited"
    assert nar.refresh_drafts(r) == []
    assert nar.insert_draft(r, key) is False and "本镇村民" in r.text["overview"][2]["body"]
    assert nar.draft_conflict(r, key) == ps[1]
    # asked and confirmed: replaced in place, nothing else touched
    assert nar.insert_draft(r, key, force=True) is True
    ps2 = r.text["overview"][2]["body"].split("\n")
    assert ps2[0] == ps[0] and ps2[2] == ps[2] and "共收到政府信息公开申请12件" in ps2[1]
    assert [f.rule for f in narrative_findings(r)] == ["narrative.intro_format"]


def test_insert_creates_the_topic_part_in_format_order_and_fee():
    r = consistent_2021()
    r.text["overview"] = [{"title": "政府信息管理", "body": "严格落实保密审查制度。"}]
    r.text["other"] = ""
    r.extra["carried_text"] = ["intro", "overview.0"]
    assert nar.insert_draft(r, "overview:依申请公开")
    assert nar.insert_draft(r, "overview:主动公开")
    assert [p["title"] for p in r.text["overview"]] == ["主动公开", "依申请公开", "政府信息管理"]
    assert r.extra["carried_text"] == ["intro", "overview.2"]      # still names the carried part
    assert nar.insert_draft(r, "other:fee") and r.text["other"] == "2021年，我镇未收取信息处理费。"
    # 无 is the clerk's: replaced only when asked
    r.text["other"] = "无"
    assert nar.draft_conflict(r, "other:fee") == "无" and not nar.insert_draft(r, "other:fee")
    assert nar.insert_draft(r, "other:fee", force=True) and r.text["other"] == "2021年，我镇未收取信息处理费。"


def test_draft_needs_complete_figures():
    r = consistent_2021()
    r.figures["requests.partial.legal_service"] = None
    assert "overview:依申请公开" not in nar.drafts(r)
    with pytest.raises(nar.DraftError, match="三、收到和处理政府信息公开申请情况还有1项数字未填写"):
        nar.insert_draft(r, "overview:依申请公开")
    assert nar.draft_status(r, "overview:依申请公开") == "unavailable"
    with pytest.raises(nar.DraftError):
        nar.draft(zero(), "other:fee")


def test_clerk_text_survives_literally_through_insert_and_save(tmp_path):
    r = consistent_2021()
    weird = "{{ agency }} {% if x %}<b>&amp;</b> “引号” 😀"
    r.text["overview"][1] = {"title": "依申请公开", "body": weird}
    assert nar.insert_draft(r, "overview:依申请公开")
    back = loads(r.dumps())
    assert back.text["overview"][1]["body"].split("\n")[0] == weird
    assert nar.draft_status(back, "overview:依申请公开") == "current"


def test_we():
    assert [nar.we(zero(name=n)) for n in ("南岗区王岗镇人民政府", "张湾乡人民政府", "城关街道办事处", "县教育局")] == [
        "我镇", "我乡", "本街道", "本机关"]


# ---- the property: drafted sentences, checked by the same checker, give no narrative warning -------------------
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), fid=st.sampled_from(["2019", "2021"]),
       level=st.sampled_from(["township", "county", "department"]), empty=st.booleans())
def test_drafts_agree_with_random_consistent_reports(seed, fid, level, empty):
    rng = random.Random(seed)
    year = 2020 if fid == "2019" else rng.randint(2021, 2030)
    r = random_report(rng, fid, year, level=level)
    assert [f for f in check(r) if f.severity == "error"] == []
    if empty:
        r.text = {"intro": "", "overview": [], "problems": "", "other": ""}
    keys = nar.draft_keys(fid)
    assert sorted(nar.drafts(r)) == sorted(keys)
    for key in keys:
        assert nar.insert_draft(r, key, force=True)
    found = narrative_findings(r)
    if empty and fid == "2021":
        # the drafts cover 主动公开 and 依申请公开; the other three topics are the clerk's to write
        assert [f.rule for f in found] == ["narrative.topics"] and "依申请公开" not in found[0].message.split("：")[0]
    else:
        assert found == []
    # the drafts state the figures (read back, they equal the table)
    stated = {s.kind: s.value for _, t in nar.text_items(r) for s in nar.statements(t, fid)[0]}
    assert stated["received"] == r.figures["requests.new.total"]
    assert stated["review"] == r.figures["appeals.review.total"]
    doc = "active.normative.issued" if fid == "2021" else "active.normative.made"
    assert stated[doc] == r.figures[doc]
    # inserting again changes nothing
    before = r.dumps()
    for key in keys:
        assert nar.insert_draft(r, key)
    assert r.dumps() == before


def test_rule_kinds_are_registered_by_importing_checks_alone():
    # the registry (drafter.rules) holds a function for every kind it names once drafter.checks is imported
    code = ("import sys\n"
            "from drafter.report import Report\n"
            "from drafter.checks import check\n"
            "from drafter.rules import KIND_FIELDS, KINDS\n"
            "assert set(KINDS) == set(KIND_FIELDS), sorted(set(KINDS) ^ set(KIND_FIELDS))\n"
            "r = Report.new(2021, '青山镇人民政府')\n"
            "r.text['other'] = '无'\n"
            "print(sorted({f.rule for f in check(r) if f.rule.startswith('narrative.')}))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "['narrative.fee', 'narrative.topics']"


# ---- issue 14: what real reports trip -------------------------------------------------------------------------
def test_received_may_be_new_plus_carried_over():
    r = consistent_2021()               # 新收 4, 上年结转 1
    r.text["overview"][1]["body"] = "2021年，我镇共收到政府信息公开申请5件，本年度办结政府信息公开申请4件。"
    assert [f for f in narrative_findings(r) if f.rule == "narrative.figures"] == []
    r.text["overview"][1]["body"] = "2021年，我镇共收到政府信息公开申请6件，本年度办结政府信息公开申请4件。"
    (f,) = [f for f in narrative_findings(r) if f.rule == "narrative.figures"]
    assert f.cells == ("requests.new.total", "text.overview.1")
    # the message names both sums it compared
    assert "写的是6件" in f.message and "为4件" in f.message and "＋二、上年结转政府信息公开申请数量为5件" in f.message


def test_in_force_is_compared_with_in_force_only():
    r = consistent_2021()               # 本年制发 3, 现行有效 12
    for text in ("截至年底，我镇制发的行政规范性文件现行有效12件。", "现行有效规章0件，现行有效规范性文件12件，本年制发3件。"):
        r.text["overview"][0]["body"] = text
        assert [f for f in narrative_findings(r) if f.rule == "narrative.figures"] == [], text
        kinds = {s.kind: s.value for s in nar.statements(text, "2021")[0]}
        assert kinds["active.normative.in_force"] == 12 and kinds.get("active.normative.issued", 3) == 3
    r.text["overview"][0]["body"] = "我镇制发的行政规范性文件现行有效11件。"
    (f,) = [f for f in narrative_findings(r) if f.rule == "narrative.figures"]
    assert f.cells == ("active.normative.in_force", "text.overview.0") and "现行有效件数为12件" in f.message


def test_sub_heading_containing_the_topic_counts():
    r = consistent_2021()
    r.text["overview"][2] = {"title": "", "body": "（三）完善公开制度规范，加强政府信息管理\n严格落实保密审查制度。"}
    assert [f for f in narrative_findings(r) if f.rule == "narrative.topics"] == []
    r.text["overview"][2] = {"title": "（三）完善公开制度规范，加强政府信息管理", "body": "严格落实保密审查制度。"}
    assert [f for f in narrative_findings(r) if f.rule == "narrative.topics"] == []
    assert nar.topic_part(r, "政府信息管理") == 2
    # a topic word deep inside a long paragraph is no heading
    r.text["overview"][2] = {"title": "", "body": ("（三）我镇严格落实保密审查制度，按照上级要求认真做好各项工作，"
                                          "切实加强政府信息管理。")}
    (f,) = [f for f in narrative_findings(r) if f.rule == "narrative.topics"]
    assert "「政府信息管理」" in f.message


def test_lead_paragraph_of_overview_is_read():
    r = consistent_2021()
    r.text["overview_lead"] = "2021年，我镇共收到政府信息公开申请9件。"
    (f,) = [f for f in narrative_findings(r) if f.rule == "narrative.figures"]
    assert f.cells == ("requests.new.total", "text.overview_lead") and f.section == "overview"
    assert f.message.startswith("一、总体情况（开头一段）")


# ---- issue 15: the opening and 五 -----------------------------------------------------------------------------
INTRO_2021 = ("根据《中华人民共和国政府信息公开条例》和《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开"
              "工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）要求，编制本报告。本报告由总体情况、主动公开政府信息情况、"
              "收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项"
              "六个部分组成。本报告所列数据的统计期限为2021年1月1日至2021年12月31日。")


def intro_findings(r):
    return [(f.rule, f.message) for f in narrative_findings(r) if f.rule.startswith("narrative.intro")]


def test_intro_of_this_format_is_not_flagged():
    r = consistent_2021()
    r.text["intro"] = INTRO_2021
    assert intro_findings(r) == []
    r.text["intro"] = INTRO_2021.replace("六个部分", "6个部分")
    assert intro_findings(r) == []


def test_intro_naming_another_formats_notice_or_part_count():
    r = consistent_2021()
    r.text["intro"] = SEED004_INTRO.replace("2020 年", "2021 年")      # 〔2019〕60 号, 五个部分
    got = intro_findings(r)
    assert [rule for rule, _ in got] == ["narrative.intro_format", "narrative.intro_format"]
    assert "国办公开办函〔2019〕60号" in got[0][1] and "国办公开办函〔2021〕30号" in got[0][1]
    assert "「五个部分」" in got[1][1] and "六个部分" in got[1][1]
    (f,) = [f for f in narrative_findings(r) if f.rule == "narrative.intro_format" and "部分" in f.message]
    assert f.cells == ("text.intro",) and f.section == "overview" and f.severity == "warning"
    # a 2020 report of the 2019 format may cite 〔2019〕60号, not 〔2021〕30号
    r2 = seed004()
    r2.text["intro"] = INTRO_2021.replace("2021年", "2020年")
    assert [m for _, m in intro_findings(r2)] == [
        "报告开头引用的是国办公开办函〔2021〕30号：2020年度报告应按国办公开办函〔2019〕60号的格式编写"]


@pytest.mark.parametrize("intro,years", [
    ("现将2024年政府信息公开工作年度报告如下。", [2024]),
    ("本报告所列数据的统计期限为2024年1月1日至2024年12月31日。", [2024, 2024]),
    ("2019年以来，我镇持续推进政务公开。", []),
    ("《条例》自2008年5月1日起施行，2019年修订。", []),
    ("按照《2025年政务公开工作要点》要求，现将2025年度报告公布如下。", []),
    ("本报告于2026年1月20日公布。", []),
    ("根据国办公开办函〔2021〕30号编制。", []),
])
def test_intro_years(intro, years):
    assert [y for y, _ in nar.kinds.intro_years(intro, 2025)] == years


def test_intro_year_finding_and_no_double_with_stray_year():
    r = consistent_2021()
    r.text["intro"] = "2020年，现将我镇2020年政府信息公开工作年度报告如下。"
    (f,) = [f for f in narrative_findings(r) if f.rule in ("narrative.intro_year", "narrative.stray_year")]
    assert f.rule == "narrative.intro_year" and f.cells == ("text.intro",)
    assert "2020年不是本报告年度（2021年）" in f.message
    r.text["intro"] = "2019年以来，我镇持续推进政务公开，现将2021年度报告公布如下。"
    assert [f for f in narrative_findings(r) if f.rule in ("narrative.intro_year", "narrative.stray_year")] == []


@pytest.mark.parametrize("text,what", [
    ("无", "只写了「无」"),
    ("暂无问题。", "只写了「暂无问题。」"),
    ("本年度无。", "只写了"),
    ("一是公开内容不够全面；二是更新不及时。", "没有写改进情况"),
    ("下一步，我镇将进一步加强培训，完善制度。", "没有写存在的问题"),
    ("一是公开内容不够全面。下一步将完善公开目录。", None),
    (SEED004_PROBLEMS, None),
])
def test_problems_need_problems_and_improvements(text, what):
    r = consistent_2021()
    r.text["problems"] = text
    found = [f for f in narrative_findings(r) if f.rule == "narrative.problems"]
    if what is None:
        assert found == []
    else:
        (f,) = found
        assert what in f.message and f.message.startswith("五、存在的主要问题及改进情况")
        assert f.cells == ("text.problems",) and f.section == "problems" and f.severity == "warning"
