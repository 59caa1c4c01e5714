"""drafter new --from: what carries into next year's report, and what must not."""
from pathlib import Path

from test_checks import zero_report

from drafter.carry import carry_forward
from drafter.checks import check, compute_totals
from drafter.cli import main
from drafter.report import load
from drafter.spam import screen, spam_names

SEED_002 = Path(__file__).resolve().parents[2] / "samples" / "seeds" / "002_9c5af0f5dc6921f6.txt"
SPAM = "澳门英皇娱乐_天下足球网-盘口官网"


def last_2020():
    r = zero_report("2019")
    r.agency["name"] = "青山镇人民政府"
    r.text["intro"] = "本报告中所列数据的统计期限为2020年1月1日至2020年12月31日。"
    r.text["overview"] = [{"title": "强化领导", "body": "第一段\n第二段"},
                          {"title": "依申请公开", "body": "2020年共收到申请4件。"}]
    r.text["problems"] = "一是公开不够及时。"
    f = r.figures
    f["requests.new.natural"], f["requests.new.commercial"] = 3, 1
    f["requests.granted.natural"] = 2
    f["requests.carried_forward.natural"], f["requests.carried_forward.commercial"] = 1, 1
    f["active.penalty.prev_items"], f["active.penalty.change"] = 38, -8
    compute_totals(r)
    assert [x for x in check(r) if x.severity == "error"] == []
    return r


def test_2019_to_2021():
    r = carry_forward(last_2020(), 2021)
    assert (r.format, r.year, r.agency_name) == ("2021", 2021, "青山镇人民政府")
    f = r.figures
    assert (f["requests.carried_over.natural"], f["requests.carried_over.commercial"],
            f["requests.carried_over.total"]) == (1, 1, 2)
    assert f["requests.carried_over.research"] == 0
    assert f["requests.new.natural"] is None and f["active.rules.in_force"] is None     # flows start empty
    assert r.signed_on is None
    assert r.text["intro"] == "本报告中所列数据的统计期限为2021年1月1日至2021年12月31日。"
    titles = [p["title"] for p in r.text["overview"]]
    assert titles[:5] == ["主动公开", "依申请公开", "政府信息管理", "政府信息公开平台建设", "监督保障"]
    assert r.text["overview"][1]["body"] == "2020年共收到申请4件。"     # matched to its topic
    assert titles[5] == "强化领导"                                      # unmatched parts kept after the topics
    assert set(r.extra["carried_text"]) == {"intro", "problems", "overview.1", "overview.5"}
    prev = r.previous()
    assert prev.year == 2020 and prev.figures["requests.carried_forward.natural"] == 1
    assert check(r, prev) and not [x for x in check(r, prev) if x.rule == "cross.carried_over"]


def test_2021_to_2022_in_force_base():
    last = zero_report("2021")
    last.figures["active.normative.in_force"] = 12
    r = carry_forward(last, 2022)
    assert r.figures["active.normative.in_force"] == 12 and r.figures["active.normative.issued"] is None


def test_2019_to_2020_prev_items():
    last = last_2020()
    last.year = 2019
    r = carry_forward(last, 2020)
    assert r.format == "2019"
    assert r.figures["active.penalty.prev_items"] == 30
    assert r.figures["active.licensing.prev_items"] == 0


def test_spam_of_seed_002_held_back():
    text = SEED_002.read_text(encoding="utf-8")
    assert spam_names([text]) == [SPAM]
    last = last_2020()
    last.agency["name"] = SPAM + "南黄镇人民政府"
    paras = [p for p in text.splitlines() if SPAM in p]
    last.text["overview"] = [{"title": "总体", "body": "\n".join(paras)}]
    r = carry_forward(last, 2021)
    assert r.agency_name == "南黄镇人民政府"
    import yaml
    kept = yaml.safe_dump([r.text, r.agency, r.extra["previous"]["text"], r.extra["previous"]["agency"]],
                          allow_unicode=True)
    assert SPAM not in kept and "盘口" not in kept           # listed under held_back only
    assert any(h["text"] == SPAM for h in r.extra["held_back"])
    body = r.text["overview"][-1]["body"]
    assert "认真贯彻落实上级政务公开的相关文件精神" in body and "吸引群众了解政务信息" in body


def test_screen_single_injection_and_links():
    clean, held = screen("我镇认真落实。点击进入太阳城娱乐，注册就送。详见 http://www.qingshan.gov.cn 。", "problems")
    assert clean == "我镇认真落实。详见 http://www.qingshan.gov.cn 。"
    assert held[0].where == "problems" and "太阳城" in held[0].reason
    clean, held = screen("请访问 www.bet365.com 了解。其余不变。", "other")
    assert clean == "其余不变。" and "bet365" in held[0].reason


def test_cli_new_from_drafter_file(tmp_path, capsys):
    last = last_2020()
    lp = last.save(tmp_path / "青山镇-2020.yaml")
    out = tmp_path / "青山镇-2021.yaml"
    assert main(["new", "--year", "2021", "--from", str(lp), "-o", str(out), "--no-edit"]) == 0
    msg = capsys.readouterr().out
    assert "已新建" in msg and "2019年格式" in msg
    r = load(out)
    assert r.format == "2021" and r.figures["requests.carried_over.total"] == 2
    assert main(["new", "--year", "2021", "--from", str(lp), "-o", str(out), "--no-edit"]) == 2   # no overwrite
    assert "已存在" in capsys.readouterr().err
    assert main(["new", "--year", "2020", "--from", str(lp), "-o", str(tmp_path / "x.yaml"), "--no-edit"]) == 2


def test_cli_new_blank(tmp_path):
    out = tmp_path / "r.yaml"
    assert main(["new", "--year", "2021", "--name", "青山镇人民政府", "-o", str(out), "--no-edit"]) == 0
    r = load(out)
    assert r.agency_name == "青山镇人民政府" and all(v is None for v in r.figures.values())
    assert main(["new", "--year", "2021", "-o", str(tmp_path / "y.yaml"), "--no-edit"]) == 2
    assert main(["new", "--year", "2015", "--name", "x", "-o", str(tmp_path / "z.yaml"), "--no-edit"]) == 2


# ---- the cross-year rules are read from validators/ ------------------------------------------------------------
def test_carried_figures_follow_the_cross_year_rules(monkeypatch):
    import drafter.carry as carry
    from drafter.rules import rules_of_kind

    last = zero_report("2021")
    last.figures["active.normative.in_force"] = 12
    last.figures["active.rules.in_force"] = 2
    assert {k: v for k, v in carry.carried_figures(last, last.fmt).items() if k.startswith("active.")} == {
        "active.rules.in_force": 2, "active.normative.in_force": 12}
    # a rule file that compares other rows carries other rows: nothing is restated in carry.py
    real = rules_of_kind

    def edited(fid, kind_):
        rules = [dict(r) for r in real(fid, kind_)]
        for r in rules:
            if kind_ == "previous_formula":
                r["rows"] = ["normative"]
        return rules
    monkeypatch.setattr(carry, "rules_of_kind", edited)
    got = carry.carried_figures(last, last.fmt)
    assert "active.rules.in_force" not in got and got["active.normative.in_force"] == 12
    monkeypatch.setattr(carry, "rules_of_kind", lambda fid, kind_: [])
    assert carry.carried_figures(last, last.fmt) == {}


# ---- the opening follows this year's format --------------------------------------------------------------------
SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def test_intro_follows_this_years_format():
    from drafter.carry import describe

    last = load(SAMPLES / "王岗镇-2020.yaml")
    assert "〔2019〕60 号" in last.text["intro"] and "五个部分" in last.text["intro"]
    r = carry_forward(last, 2021)
    intro = r.text["intro"]
    assert "国办公开办函〔2021〕30号" in intro and "〔2019〕" not in intro
    assert "关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知" in intro and "有关事项的通知" not in intro
    assert "六个部分组成" in intro and "五个部分" not in intro
    assert "存在的主要问题及改进情况、其他需要报告的事项六个部分组成" in intro      # the list names all six
    assert "2021 年 1 月 1 日至 2021 年 12 月 31 日" in intro
    assert [f for f in check(r, r.previous()) if f.rule == "narrative.intro_format"] == []
    lines = describe(r)
    assert ("报告开头按国办公开办函〔2021〕30号的格式改写：国办公开办函〔2019〕60号 → 国办公开办函〔2021〕30号；"
            "「五个部分」→「六个部分」；补上「其他需要报告的事项」") in lines
    # 2020 → 2021 of the same notice and six parts: nothing to say
    same = carry_forward(r, 2022)
    assert same.text["intro"] == intro.replace("2021 年 1 月 1 日至 2021 年 12 月 31 日",
                                               "2022 年 1 月 1 日至 2022 年 12 月 31 日")
    assert not any(x.startswith("报告开头") for x in describe(same))


def test_update_intro_keeps_arabic_counts_and_other_notices():
    from drafter.carry import update_intro
    from drafter.formats import load_format

    text, changes = update_intro("依据国办公开办函[2019]60号和国办发〔2020〕17号，本报告共分5个部分。", load_format("2021"))
    assert text == "依据国办公开办函〔2021〕30号和国办发〔2020〕17号，本报告共分6个部分。"
    assert changes == ["国办公开办函〔2019〕60号 → 国办公开办函〔2021〕30号", "「5个部分」→「6个部分」"]
    assert update_intro(text, load_format("2021")) == (text, [])


def test_a_list_of_parts_is_completed_only_where_it_lists_them():
    from drafter.carry import update_intro
    from drafter.formats import load_format

    fmt = load_format("2021")
    listed = "本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、存在的主要问题及改进情况五个部分组成。"
    text, changed = update_intro(listed, fmt)
    assert text.endswith("存在的主要问题及改进情况、其他需要报告的事项六个部分组成。")
    assert changed == ["「五个部分」→「六个部分」", "补上「其他需要报告的事项」"]
    bare = "本报告共五个部分。"                       # no list: only the count changes
    assert update_intro(bare, fmt) == ("本报告共六个部分。", ["「五个部分」→「六个部分」"])
    out_of_order = "包括存在的主要问题及改进情况、总体情况、主动公开政府信息情况五个部分。"
    assert "其他需要报告的事项" not in update_intro(out_of_order, fmt)[0]
