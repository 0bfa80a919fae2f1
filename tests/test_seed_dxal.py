"""Daxinganling's plan to the letter (issue 14): what reading the plan found wrong in its ruleset,
judged through the public API (the rule book, and sheets checked against it)."""

from __future__ import annotations

import re

import pytest

from conftest import finding

P = "daxinganling-2016."
FARM_COOPERATING = [
    "行署发改委",
    "行署工信委",
    "行署国土局",
    "行署环保局",
    "行署水务局",
    "行署质监局",
    "行署营林局",
    "林业集团公司绿色产业处",
]


@pytest.fixture(scope="module")
def rules(book):
    (lr,) = [lr for lr in book.rulesets if lr.ruleset.id == "daxinganling-2016"]
    return {rule.id: rule for rule in lr.ruleset.rules}


def rows(year, *items):
    return [("daxinganling", year, *item) for item in items]


def test_villages_are_a_total_since_2016(rules, sheet, run):
    rule = rules[P + "rural.villages"]
    assert (rule.kind, rule.from_year) == ("cumulative", 2016)
    yearly = [(year, "rural.villages_rectified", "8", "个") for year in range(2016, 2021)]
    report = run(sheet([("daxinganling", *row) for row in yearly]))
    villages = finding(report, P + "rural.villages", year=2020)
    assert (villages.status, villages.observed) == ("pass", 40)
    # 2020 alone is not the plan's 40 villages: the years before it are asked for.
    report = run(sheet(rows(2020, ("rural.villages_rectified", "40", "个"))))
    assert finding(report, P + "rural.villages", year=2020).status == "missing"


@pytest.mark.parametrize("slug", ["unified-pest-control", "soil-testing", "fertilizer-efficiency", "green-food-area"])
def test_the_four_farm_targets_carry_their_cooperating_units(rules, slug):
    rule = rules[f"{P}agriculture.{slug}"]
    assert rule.lead_units == ["行署农委"]
    assert rule.cooperating_units[: len(FARM_COOPERATING)] == FARM_COOPERATING


def test_supply_coverage_says_its_year_is_read_and_water_quality_is_a_rule(rules):
    coverage = rules[P + "water-supply.coverage"]
    assert "方案未写年份" in coverage.title.zh and "no year" in coverage.title.en
    quality = [r for r in rules.values() if r.id != coverage.id and "水质达标双目标" in r.quote]
    assert [(r.kind, r.from_year) for r in quality] == [("attestation", 2020)]


def test_sewer_length_counts_every_drainage_pipe(book, rules, sheet, run):
    rule = rules[P + "sewer.cumulative-length"]
    assert "排水" in book.indicators[rule.indicator].name_zh and "污水" not in book.indicators[rule.indicator].name_zh
    yearly = [(year, "新改建排水管网长度", "41", "公里") for year in range(2016, 2021)]
    report = run(sheet([("daxinganling", *row) for row in yearly]))
    length = finding(report, P + "sewer.cumulative-length", year=2020)
    assert (length.status, length.observed) == ("pass", 205)


def test_jiagedaqi_standby_source_has_both_leads_the_text_gives(rules, sheet, run):
    assert set(rules[P + "task.jiagedaqi-standby-source"].lead_units) == {"行署住建局", "行署环保局"}
    report = run(sheet(rows(2020, ("task.status", "推进中", "", "加格达奇区备用水源或应急水源建设"))))
    late = finding(report, P + "task.jiagedaqi-standby-source", year=2020)
    assert set(late.lead_units) == {"行署住建局", "行署环保局"}


def test_quarterly_disclosure_has_two_milestones(sheet, run):
    prefecture = ("attestation.declared", "是", "", "地级政府每季度向社会公开饮水安全状况", "", "2017年四季度公告")
    report = run(sheet(rows(2017, prefecture)))
    assert finding(report, P + "drinking-water.quarterly-disclosure", year=2017).status == "pass"
    assert finding(report, P + "drinking-water.county-quarterly-disclosure", year=2017).status == "not_due"
    report = run(sheet(rows(2018, prefecture)))
    county = finding(report, P + "drinking-water.county-quarterly-disclosure", year=2018)
    assert county.status == "missing" and county.responsible_units == ["县区政府"]


def test_units_named_once_for_all_later_items_are_on_every_later_rule(rules):
    """二(一)1: "以下均需县区政府落实,各林业局配合,不再列出"."""
    later = [r for r in rules.values() if not r.clause.startswith("一")]
    assert later and all("县区政府" in r.responsible_units and "各林业局" in r.cooperating_units for r in later)


ISSUE_EXAMPLES = [
    "现有污泥处理设施基本完成达标改造",
    "加格达奇区建城区基本实现污水全收集、全处理",
    "所有县以上城市和3万人口以上城镇具备污水收集处理能力",
    "新建的城镇污水处理设施应达到一级A排放标准",
    "自2016年起实施环境监管网格化管理",
    "自2016年起,各级政府要制定和完善水污染事故处置应急预案",
    "行署同各县区人民政府签订水污染防治目标责任书",
]


@pytest.mark.parametrize("sentence", ISSUE_EXAMPLES, ids=[f"example{n}" for n in range(len(ISSUE_EXAMPLES))])
def test_the_duties_issue_14_names_are_rules(rules, sentence):
    squash = lambda text: re.sub(r"\s+", "", text)  # noqa: E731
    assert any(squash(sentence) in squash(r.quote) or squash(r.quote) in squash(sentence) for r in rules.values())


DAMAGE = [
    r"〔\d{5,}号",  # a document number that lost its 〕
    r"(?m)^\.\S+",  # a heading that lost its numeral
    r"\d%\d+%",  # two figures of 分别 run together
    r"[^“\d]\d{4,}”",  # a quotation that lost its opening mark
]


def test_source_md_names_every_damaged_spot_of_the_seed():
    from conftest import ROOT

    seed = (ROOT / "rulesets" / "seeds" / "daxinganling.txt").read_text(encoding="utf-8")
    source = (ROOT / "rulesets" / "seeds" / "SOURCE.md").read_text(encoding="utf-8")
    spots = [m.group(0).lstrip("，,。 ") for pattern in DAMAGE for m in re.finditer(pattern, seed)]
    assert len(spots) >= 20
    assert [spot for spot in spots if spot not in source] == []


def test_both_sewage_rates_are_about_their_figures(sheet, run):
    report = run(sheet(rows(2020, ("sewage.county_treatment_rate", "86", "%"), ("sewage.city_treatment_rate", "97.5", "%"))))
    county = finding(report, P + "sewage.county-treatment-rate", year=2020)
    city = finding(report, P + "sewage.city-treatment-rate", year=2020)
    assert (county.status, city.status) == ("pass", "pass")
    assert "左右" in county.message.zh and county.hedge.word == city.hedge.word == "左右"
    report = run(sheet(rows(2020, ("sewage.county_treatment_rate", "85", "%"))))
    assert finding(report, P + "sewage.county-treatment-rate", year=2020).status == "fail"


def test_green_food_area_is_aspirational(sheet, run):
    report = run(sheet(rows(2020, ("agriculture.green_food_certified_area", "85", "万亩"))))
    area = finding(report, P + "agriculture.green-food-area", year=2020)
    assert area.status == "fail" and area.message.zh.startswith("力争目标未达")


def test_the_year_read_for_supply_coverage_is_shown(sheet, run):
    report = run(sheet(rows(2020, ("water_supply.coverage_rate", "100", "%"))))
    coverage = finding(report, P + "water-supply.coverage", year=2020)
    assert coverage.status == "pass" and "考核年份为推定" in coverage.message.zh and coverage.year_assumed is not None


def test_2020_targets_end_with_2020_but_standing_duties_do_not(sheet, run):
    report = run(
        sheet(
            rows(
                2021,
                ("water_supply.pipe_leakage_rate", "19", "%"),
                ("attestation.declared", "是", "", "定期公布黄牌、红牌企业名单", "", "2021年名单公告"),
            )
        )
    )
    assert finding(report, P + "water-supply.pipe-leakage", year=2021).status == "not_applicable"
    assert finding(report, P + "enforcement.yellow-red-lists", year=2021).status == "pass"
