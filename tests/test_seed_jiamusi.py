"""The Jiamusi 2018 ruleset read to the letter (issue 14): one name per body, the counties'
blanket responsibility as data, and the targets and duties reading found missing."""

from __future__ import annotations

import pytest

from conftest import finding

RULESET = "jiamusi-2018"
COUNTIES = "各县(市)区政府"


def _rules(book):
    (loaded,) = [lr for lr in book.rulesets if lr.ruleset.id == RULESET]
    return loaded.ruleset.rules


def _units(rule) -> list[str]:
    return [*rule.lead_units, *rule.responsible_units, *rule.cooperating_units]


def test_one_body_has_one_name(book):
    # "市工信委、城乡建设局配合" writes 市 once: 城乡建设局 is 市城乡建设局, not a second body.
    names = {name for rule in _rules(book) for name in _units(rule)}
    doubled = sorted(name for name in names if "市" + name in names)
    assert doubled == []


def test_counties_answer_for_every_item_after_the_blanket_sentence(book):
    # 二(一)1: "以下均需各县(市)区政府落实……不再列出" — every later item is the counties' too.
    later = [rule for rule in _rules(book) if rule.clause.startswith(("二", "三"))]
    assert len(later) > 80
    assert [rule.id for rule in later if COUNTIES not in rule.responsible_units] == []


def test_county_monitoring_is_the_counties_alone(book):
    rule = next(r for r in _rules(book) if r.id == f"{RULESET}.monitoring.county-source-semiannual")
    assert (rule.lead_units, rule.responsible_units, rule.targets) == ([], [COUNTIES], {2018: 2})


@pytest.mark.parametrize(
    "indicator, value, rule, status",
    [
        ("市级水源地水质监测次数", "11", "monitoring.city-source-monthly", "fail"),  # 一月一测: 12 a year
        ("市级水源地水质监测次数", "12", "monitoring.city-source-monthly", "pass"),
        ("市级水源地全分析监测次数", "1", "monitoring.city-source-full-analysis", "pass"),
        ("县级水源地水质监测次数", "1", "monitoring.county-source-semiannual", "fail"),  # 半年一测: 2 a year
        ("乡镇级水源地水质监测次数", "1", "monitoring.township-source-annual", "pass"),
        ("地表水体常规监测次数", "0", "monitoring.surface-water-routine", "fail"),
        ("公共机构节水型单位建成比例", "96", "water-efficiency.public-institutions", "fail"),  # 全部 is 100 %
    ],
)
def test_counted_targets(run, sheet, indicator, value, rule, status):
    report = run(sheet([("jiamusi", 2018, indicator, value, "次" if "次数" in indicator else "%")]))
    assert finding(report, f"{RULESET}.{rule}").status == status


@pytest.mark.parametrize(
    "rule, subject",
    [
        ("lake-chief.work-plan", "制定实施《佳木斯市实施湖长制工作方案》"),
        ("river-chief.one-river-one-policy", "开展“一河(湖)一策”方案编制工作"),
        ("reporting.county-quarterly", "各县(市)区每季度向“市水污防办”报送水污染防治工作实施情况"),
        ("monitoring.county-source-full-analysis", "县级水源地每两年开展1次全分析监测"),
    ],
)
def test_duties_are_asked(run, sheet, rule, subject):
    met = run(sheet([("jiamusi", 2018, "attestation.declared", "是", "", subject, "", "印发文件")]))
    unmet = run(sheet([("jiamusi", 2018, "attestation.declared", "否", "", subject)], name="unmet.csv"))
    assert (finding(met, f"{RULESET}.{rule}").status, finding(unmet, f"{RULESET}.{rule}").status) == ("pass", "fail")


def test_ship_waste_supervision_runs_from_2018(run, sheet):
    subject = "运行船舶污染物接收、转运、处置监管制度"
    running = run(sheet([("jiamusi", 2018, "task.status", "推进中", "", subject)]))
    idle = run(sheet([("jiamusi", 2018, "task.status", "未启动", "", subject)], name="idle.csv"))
    rule = f"{RULESET}.task.ship-waste-supervision"
    assert (finding(running, rule).status, finding(idle, rule).status) == ("pass", "fail")


def test_high_tech_zone_works_completion_in_2019_is_its_own_task(run, sheet):
    report = run(sheet([("jiamusi", 2018, "task.status", "推进中", "", "高新区废水集中处理工程完成建设")]))
    assert finding(report, f"{RULESET}.task.high-tech-zone-wastewater-built").status == "not_due"


def test_strive_targets_are_marked_and_read_as_such(book, run, sheet):
    hedged = {rule.id.removeprefix(f"{RULESET}."): rule.hedge.word for rule in _rules(book) if rule.hedge}
    assert hedged == {
        "task.groundwater-balance": "基本",
        "task.high-tech-zone-wastewater-start": "力争",
        "task.high-tech-zone-wastewater-built": "力争",
        "agriculture.green-food-area": "力争",
        "fishery.fry-released": "力争",
        "task.groundwater-93-items": "力争",
    }
    short = finding(run(sheet([("jiamusi", 2018, "增殖放流鱼类苗种数量", "2900", "万尾")])), f"{RULESET}.fishery.fry-released")
    assert short.status == "fail" and short.message.zh.startswith("力争目标未达")
