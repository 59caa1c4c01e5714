"""Random consistent reports, for tests and benchmarks.

`random_report(rng, fmt_id, year)` returns a Report that satisfies every error rule of drafter.checks.check:
every cell filled with a value of its kind (non-negative counts, signed `.change`, Decimal amounts with 2–6
decimals), every row and column total and the identity of table `requests`, the appeals totals, an agency name
and a signing date. Warnings (cross-year, township 规章) may or may not hold: they are not errors.
"""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from drafter.formats import load_format
from drafter.report import Report

# two-character place names, combined at random
_CHARS = ("青山 南岳 姚集 南黄 灵秀 王岗 石桥 柳河 东湖 西岭 北坡 白沙 黄土 长岗 新店 马集 李庄 张湾 周口 杨柳 "
          "桃园 梅林 松柏 竹溪 清泉 金川 银滩 龙门 凤凰 双庙 三里 五里 七星 九龙 红庙 古城 高桥 平原 太平 永安 "
          "兴隆 和平 团结 光明 胜利 前进 红旗 东风 大营 小营 城关 河口 岔河 汤庄 邓城 固墙 练集 巴村 化河 谭庄").split()
_SUFFIX = ("镇人民政府", "乡人民政府", "街道办事处")

_SENTENCES = (
    "本年度严格落实政府信息公开条例，坚持以公开为常态、不公开为例外。",
    "依托门户网站、政务新媒体和公开栏及时发布政府信息。",
    "健全政府信息公开审查机制，严格执行保密审查制度。",
    "加强政府信息公开平台建设，规范栏目设置。",
    "将政府信息公开工作纳入年度考核，接受社会监督。",
    "工作人员业务水平有待提高，公开内容的及时性和全面性还需加强。",
)
# 五、存在的主要问题及改进情况: a problem and its improvement each (as many as _SENTENCES: the same draws)
_PROBLEMS = (
    "公开内容不够全面，下一步将完善公开目录。",
    "工作人员业务水平有待提高，将加强业务培训。",
    "政策解读形式单一，下一步将丰富解读形式。",
    "公开栏更新不及时，将建立定期更新制度。",
    "依申请公开答复不够规范，将严格答复流程。",
    "政务新媒体发布较少，今后将加大发布力度。",
)


def agency_names(rng: random.Random, n: int) -> list[str]:
    """`n` distinct agency names such as 青山镇人民政府."""
    out: dict[str, None] = {}
    while len(out) < n:
        name = rng.choice(_CHARS) + rng.choice(_SUFFIX)
        if name in out:
            name = rng.choice(_CHARS) + rng.choice(_CHARS) + rng.choice(_SUFFIX)
        out[name] = None
    return list(out)


def _count(rng: random.Random, zero_bias: float = 0.6, high: int = 30) -> int:
    return 0 if rng.random() < zero_bias else rng.randint(1, high)


def _amount(rng: random.Random) -> Decimal:
    places = rng.randint(2, 6)
    if rng.random() < 0.3:
        return Decimal(0)
    return Decimal(rng.randint(0, 5_000 * 10**places)).scaleb(-places)


def _text(rng: random.Random, n: int = 2) -> str:
    return "".join(rng.sample(_SENTENCES, n))


def random_report(rng: random.Random, fmt_id: str, year: int, name: str | None = None,
                  level: str | None = None) -> Report:
    """A random report of format `fmt_id` on `year` that has no error finding."""
    fmt = load_format(fmt_id)
    if name is None:
        name = agency_names(rng, 1)[0]
    r = Report.new(year, name, level or rng.choice(("township", "township", "department")), fmt=fmt_id)
    r.signed_on = dt.date(year + 1, 1, rng.randint(10, 31))
    r.text["intro"] = f"本报告所列数据的统计期限为{year}年1月1日至{year}年12月31日。"
    for part in r.text["overview"] or [{"title": "", "body": ""}]:
        part["body"] = _text(rng)
    if not r.text["overview"]:
        r.text["overview"] = [{"title": "", "body": _text(rng)}]
    r.text["problems"] = rng.sample(_PROBLEMS, 1)[0]
    r.text["other"] = "本年度未收取信息处理费。"
    f = r.figures

    for cell in fmt.tables["active"].cells:
        if cell.kind == "amount":
            f[cell.id] = _amount(rng)
        elif cell.kind == "signed":
            f[cell.id] = rng.randint(-10, 10) if rng.random() < 0.5 else 0
        elif cell.row == "rules" and r.agency["level"] == "township":
            f[cell.id] = 0
        else:
            f[cell.id] = _count(rng, 0.4, 200)

    req = fmt.tables["requests"]
    result_rows = [row for row in req.row_ids if req.cell(row, "total").row_path[-1].role == "result"]
    applicant_cols = [c for c in req.col_ids if c != "total"]
    for col in applicant_cols:
        active = rng.random() < 0.5
        results = {row: (_count(rng, 0.7, 12) if active else 0) for row in result_rows}
        total = sum(results.values())
        carried_forward = _count(rng, 0.8, 5) if active else 0
        carried_over = rng.randint(0, total + carried_forward) if active and rng.random() < 0.3 else 0
        for row, v in results.items():
            f[req.cell(row, col).id] = v
        f[req.cell("total", col).id] = total
        f[req.cell("carried_forward", col).id] = carried_forward
        f[req.cell("carried_over", col).id] = carried_over
        f[req.cell("new", col).id] = total + carried_forward - carried_over
    for row in req.row_ids:
        f[req.cell(row, "total").id] = sum(f[req.cell(row, c).id] for c in applicant_cols)

    appeals = fmt.tables["appeals"]
    for group, cells in appeals.rows():
        parts = [c for c in cells if c.col != "total"]
        for c in parts:
            f[c.id] = _count(rng, 0.85, 3)
        f[f"appeals.{group}.total"] = sum(f[c.id] for c in parts)
    return r


def random_reports(rng: random.Random, fmt_id: str, year: int, n: int) -> list[Report]:
    """`n` consistent reports of distinct agencies."""
    return [random_report(rng, fmt_id, year, name) for name in agency_names(rng, n)]


YEAR = {"2019": 2020, "2021": 2021}   # a report year of each format


def zero_report(fid="2021", level="township") -> Report:
    """A complete report of the format fid whose every figure is 0."""
    r = Report.new(YEAR[fid], "青山镇人民政府", level)
    r.signed_on = dt.date(YEAR[fid] + 1, 1, 28)
    for k in r.figures:
        r.figures[k] = Decimal("0") if r.fmt.cells[k].kind == "amount" else 0
    return r
