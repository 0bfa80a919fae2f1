"""Grades: two scores by rule weight, quality sets the grade, tasks adjust it, the share target vetoes."""

import shutil
from pathlib import Path

import pytest

from checker.grading import grade_submission
from checker.rulesets import RulesetError, load_rulebook
from conftest import ROOT


def test_jiamusi_inputs_graded(run):
    report = run(ROOT / "inputs" / "jiamusi")
    grade = report.submissions[0].grade
    # 3 water-quality targets all met; 88 scored key tasks of which 80 pass (7 fail, 1 missing):
    # a task still in progress on its deadline, 31 December, is overdue (a 力争 one, earning
    # grading.yaml's half credit), and the sheet's own waiver of the sludge target is a request
    # that changes nothing (contract §5).
    assert grade.water_quality_score == 100
    assert grade.key_task_score == round(100 * 80.5 / 88, 1)
    assert grade.grade == "优秀"
    assert report.grading.file == "grading.yaml"
    assert any(not a.confirmed for a in report.grading.assumptions)


def test_missed_share_vetoes(run, sheet):
    # Four of nine sections good: 44.44 % against 55 %; the other quality targets still met.
    rows = [("jiamusi", 2018, "surface_water.section_class", "III" if i < 4 else "IV", "", f"断面{i}") for i in range(9)]
    report = run(ROOT / "inputs" / "jiamusi" / "2018.csv", sheet(rows))
    grade = report.submissions[0].grade
    assert grade.grade == "不合格"
    # Named by the plan's title and words, not by a rule id an officer never sees.
    assert any("一票否决" in r.zh and "水质优良比例达到55%以上" in r.zh and "规划原文" in r.zh for r in grade.reasons)


def _variant(template, status, category="water_quality", weight=1.0, indicator=None):
    return template.model_copy(
        update={"status": status, "category": category, "weight": weight, "indicator": indicator or "water_use.total"}
    )


# (quality statuses, task statuses, expected quality score, task score, grade): the scheme's default bands.
CASES = [
    (["pass"] * 10, ["pass"] * 10, 100, 100, "优秀"),
    (["pass"] * 9 + ["fail"], ["pass"] * 10, 90, 100, "优秀"),  # at the 90 cut-off: the better band
    (["pass"] * 17 + ["fail"] * 3, ["pass"], 85, 100, "良好"),
    (["pass"] * 7 + ["missing"] * 3, ["pass"], 70, 100, "合格"),
    (["pass"] * 5 + ["fail"] * 5, ["pass"], 50, 100, "不合格"),
    (["pass"] * 10, ["pass"] * 5 + ["fail"] * 6, 100, 45.5, "良好"),  # tasks below 60: one band down
    (["pass"] * 17 + ["fail"] * 3, ["pass", "fail", "fail"], 85, 33.3, "合格"),
    ([], ["pass"] * 9 + ["error"], None, 90, "优秀"),  # no quality target: tasks graded
    (["not_due", "not_applicable"], ["not_due"], None, None, None),  # nothing scored: no grade
]


@pytest.mark.parametrize("quality, tasks, quality_score, task_score, expected", CASES)
def test_grade_cases(run, book, quality, tasks, quality_score, task_score, expected):
    template = run(ROOT / "inputs" / "jiamusi").submissions[0].findings[0]
    findings = [_variant(template, s) for s in quality] + [_variant(template, s, "key_task") for s in tasks]
    grade = grade_submission(findings, book.grading)
    assert (grade.water_quality_score, grade.key_task_score, grade.grade) == (quality_score, task_score, expected)
    assert grade.reasons


def test_weights_count(run, book):
    template = run(ROOT / "inputs" / "jiamusi").submissions[0].findings[0]
    findings = [_variant(template, "pass", weight=3), _variant(template, "fail", weight=1)]
    assert grade_submission(findings, book.grading).water_quality_score == 75


def test_veto_on_inferior_v_share_even_with_a_high_score(run, book):
    template = run(ROOT / "inputs" / "jiamusi").submissions[0].findings[0]
    findings = [_variant(template, "pass")] * 19 + [_variant(template, "missing", indicator="surface_water.inferior_v_share")]
    grade = grade_submission(findings, book.grading)
    assert grade.water_quality_score == 95 and grade.grade == "不合格"


def _copy_rulesets(tmp_path: Path) -> Path:
    folder = tmp_path / "rulesets"
    shutil.copytree(ROOT / "rulesets", folder)
    return folder


def test_scheme_errors_name_file_and_key(tmp_path):
    folder = _copy_rulesets(tmp_path)
    scheme = (folder / "grading.yaml").read_text(encoding="utf-8")
    scheme = scheme.replace("{grade: 良好, min_score: 80}", "{grade: 良好, min_score: 95}")
    scheme = scheme.replace("- surface_water.inferior_v_share", "- surface_water.no_such_share")
    (folder / "grading.yaml").write_text(scheme, encoding="utf-8")
    with pytest.raises(RulesetError) as caught:
        load_rulebook(folder)
    problems = caught.value.problems
    assert any("grading.yaml: key bands: Value error, bands must be listed best first" in p.en for p in problems)
    assert any("grading.yaml：键 bands：等级须从最好的列起，min_score 依次递减" in p.zh for p in problems)


def test_scheme_unknown_veto_indicator(tmp_path):
    folder = _copy_rulesets(tmp_path)
    scheme = (folder / "grading.yaml").read_text(encoding="utf-8")
    (folder / "grading.yaml").write_text(scheme.replace("- surface_water.inferior_v_share", "- surface_water.nope"), encoding="utf-8")
    with pytest.raises(RulesetError) as caught:
        load_rulebook(folder)
    assert any("grading.yaml: key veto.indicators: unknown indicator 'surface_water.nope'" in p.en for p in caught.value.problems)
    assert any("grading.yaml：键 veto.indicators：未知指标 'surface_water.nope'" in p.zh for p in caught.value.problems)


def test_without_a_scheme_nothing_is_graded(tmp_path):
    folder = _copy_rulesets(tmp_path)
    (folder / "grading.yaml").unlink()
    from checker.pipeline import run_check

    report = run_check([ROOT / "inputs" / "jiamusi"], load_rulebook(folder))
    assert report.grading is None and report.submissions[0].grade is None


def test_a_low_quality_score_is_given_as_a_reason_once(run, book):
    # 50 < 60 is both the bottom band's line and the veto's minimum: one sentence says it, not two.
    template = run(ROOT / "inputs" / "jiamusi").submissions[0].findings[0]
    findings = [_variant(template, s) for s in ["pass"] * 5 + ["fail"] * 5]
    grade = grade_submission(findings, book.grading)
    assert grade.grade == "不合格"
    below = [r.zh for r in grade.reasons if "低于" in r.zh and "60" in r.zh]
    assert len(below) == 1, grade.reasons
    assert "对应“不合格”" in below[0]
