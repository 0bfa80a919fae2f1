"""Lianyungang's meeting to the letter (issue 14): the problem-list duty as the text says it
(no 销号), units as the text names them, and the river-chief duties the ruleset lacked."""

import pytest

from conftest import finding

P = "lianyungang-2018.duty."


def declared(subject, note="见县区报送材料"):
    return ("连云港", 2018, "承诺事项", "是", "", subject, "", note)


def test_problem_lists_are_issued_assigned_inspected_and_assessed_not_closed(sheet, run, book):
    rule = next(r for lr in book.rulesets for r in lr.ruleset.rules if r.id == P + "problem-list-closure")
    found = finding(run(sheet([declared("问题清单下达、交办、督查、考核", "市河长办问题清单台账")])), P + "problem-list-closure")
    assert found.status == "pass"
    assert "销号" not in found.title.zh and "销号" not in (found.subject or "")
    assert "销号" not in rule.subject and "销号" not in rule.title.zh


def test_units_are_named_as_the_text_names_them(sheet, run):
    report = run(sheet([declared("对新发涉水违法行为实行“零容忍”"), declared("建立健全部门联合执法机制")]))
    assert finding(report, P + "zero-tolerance").responsible_units == ["各地"]
    assert finding(report, P + "joint-enforcement").responsible_units == ["各地各部门"]


@pytest.mark.parametrize(
    "rule, subject, units",
    [
        ("market-access", "实行最严格的准入制度", ["各地"]),
        ("comprehensive-remediation", "对水质较差的河流实施水环境综合整治", ["各地"]),
        ("river-cleaning", "加强河道保洁和管护", ["各地"]),
        ("water-saving-dual-control", "推进国家节水行动、水资源消耗总量和强度双控行动", ["各县区"]),
        ("accountability", "对工作不力的追究责任", ["各地"]),
    ],
)
def test_river_chief_duties_are_attested(sheet, run, rule, subject, units):
    found = finding(run(sheet([declared(subject)])), P + rule)
    assert found.status == "pass" and found.category == "key_task" and found.responsible_units == units
