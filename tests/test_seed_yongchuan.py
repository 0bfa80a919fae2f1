"""Yongchuan's plan to the letter (issue 14): the annex's run-together unit cells split into
names, the 12月10日 rectification report, and the body's duties no annex row carries."""

import datetime as dt

from checker.rulesets import load_rulebook
from conftest import ROOT, finding

RULESET = "chongqing-yongchuan-2020"
REPORT = f"{RULESET}.task.rectification-report"
DUTIES = {
    f"{RULESET}.duty.farm-pollution-baseline": ("查清农业面源污染基数", ["相关部门"]),
    f"{RULESET}.duty.last-mile-interception": ("截污管网“最后一公里”建设", ["区人民政府"]),
    f"{RULESET}.duty.measures-and-closure": ("细化整改措施、明确时限、销号落实", ["各有关单位"]),
}


def _rules():
    book = load_rulebook(ROOT / "rulesets")
    [ruleset] = [lr.ruleset for lr in book.rulesets if lr.ruleset.id == RULESET]
    return {rule.id: rule for rule in ruleset.rules}


def _units(rule):
    return [*rule.lead_units, *rule.responsible_units, *rule.cooperating_units]


def test_no_unit_is_a_run_together_cell():
    # "区住房城乡建委等区级部门及各镇街" and "区市场监管局等" were single names: a body that
    # answers for nothing, and 区市场监管局 under two names.
    for rule in _rules().values():
        for unit in _units(rule):
            assert not unit.endswith("等") and "等区级部门" not in unit and "及各镇街" not in unit, (rule.id, unit)


def test_tasks_48_49_57_name_each_body_once(sheet, run):
    rows = [("chongqing-yongchuan", 2020, "task.status", "已完成", "", str(n), "2020-09-01") for n in (48, 49, 57)]
    report = run(sheet(rows))
    assert finding(report, f"{RULESET}.task-48").cooperating_units == [
        "区水利局",
        "区农业农村委",
        "区城市管理局",
        "区交通局",
        "区住房城乡建委",
        "各镇街",
    ]
    for n in (49, 57):
        assert finding(report, f"{RULESET}.task-{n}").cooperating_units == [
            "区生态环境局",
            "区水利局",
            "区住房城乡建委",
            "区农业农村委",
            "区城市管理局",
            "区市场监管局",
        ]


def test_market_regulator_has_one_name():
    # Row 10 writes 区市场管理局; every other row 区市场监管局: the district has one such body.
    names = {unit for rule in _rules().values() for unit in _units(rule)}
    assert "区市场监管局" in names and "区市场管理局" not in names


def test_rectification_report_due_2020_12_10(sheet, run, tmp_path):
    rule = _rules()[REPORT]
    assert (rule.kind, rule.deadline, rule.ongoing, rule.lead_units) == ("task", dt.date(2020, 12, 10), False, ["各牵头单位"])
    assert rule.category == "key_task" and "12月10日前" in rule.quote
    on_time = run(sheet([("永川区", 2020, "任务完成情况", "已完成", "", "整改报告", "2020-12-10")], name="a.csv"))
    assert finding(on_time, REPORT).status == "pass"
    late = finding(run(sheet([("永川区", 2020, "任务完成情况", "已完成", "", "整改报告", "2020-12-14")], name="b.csv")), REPORT)
    assert (late.status, late.gap) == ("fail", -4)
    open_ = [("永川区", 2020, "任务完成情况", "推进中", "", "整改报告")]
    assert finding(run(sheet(open_, name="c.csv")), REPORT).status == "fail"
    assert finding(run(sheet(open_, name="d.csv"), as_of=dt.date(2020, 11, 30)), REPORT).status == "not_due"


def test_body_duties_are_attestations_with_evidence(sheet, run):
    rules = _rules()
    for rule_id, (subject_part, units) in DUTIES.items():
        rule = rules[rule_id]
        assert (rule.kind, rule.from_year, rule.category, rule.evidence_required) == ("attestation", 2020, "key_task", True)
        assert subject_part in rule.subject and _units(rule) == units
    rows = [("永川区", 2020, "承诺事项", "是", "", rules[r].subject, "", "2020年基数调查报告") for r in DUTIES]
    rows[1] = (*rows[1][:7], "")  # declared without evidence
    rows[2] = ("永川区", 2020, "承诺事项", "否", "", rules[list(DUTIES)[2]].subject)
    report = run(sheet(rows))
    assert [finding(report, r).status for r in DUTIES] == ["pass", "missing", "fail"]


def test_report_year_is_marked_assumed(sheet, run):
    # 二(三) says 12月10日前 and no year: 2020 is read, and every finding says so.
    rule = _rules()[REPORT]
    assert rule.year_assumed is not None and "2020" in rule.year_assumed.zh
    report = run(sheet([("永川区", 2020, "任务完成情况", "已完成", "", "整改报告", "2020-12-09")]))
    found = finding(report, REPORT)
    assert found.status == "pass" and "考核年份为推定" in found.message.zh and found.year_assumed == rule.year_assumed


def test_further_improvement_rows_carry_their_hedge(sheet, run):
    # 进一步加快 / 进一步摸排 / 进一步购置 / 进一步提高 / 进一步健全 / 进一步建立健全: no number to reach.
    rules = _rules()
    hedged = {n for n in range(1, 64) if rules[f"{RULESET}.task-{n:02d}"].hedge is not None}
    assert hedged == {12, 35, 45, 46, 61, 62}
    assert {rules[f"{RULESET}.task-{n}"].hedge.word for n in hedged} == {"进一步"}
    report = run(sheet([("永川区", 2020, "任务完成情况", "已完成", "", "12", "2020-09-20")]))
    assert "“进一步”的读法" in finding(report, f"{RULESET}.task-12").message.zh


def test_closing_off_ends_with_the_last_dated_row(sheet, run):
    # 销号 is done once the last dated row (2, 2021年12月底) is: not asked in 2022.
    rule_id = f"{RULESET}.duty.measures-and-closure"
    rule = _rules()[rule_id]
    assert rule.until == 2021
    later = run(sheet([("永川区", 2022, "承诺事项", "是", "", rule.subject, "", "销号清单")]))
    assert finding(later, rule_id).status == "not_applicable"
