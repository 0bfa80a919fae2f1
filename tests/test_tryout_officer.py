"""The merged work tried end to end as an assessment officer and a county clerk would: the
findings' words for hedged targets and for tasks found open on their deadline day."""

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.cli import main

ROOT = Path(__file__).resolve().parent.parent


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def findings():
    ran = invoke("check", ROOT / "inputs", "--format", "json", "--quiet")
    assert ran.exit_code == 1
    return [f for s in json.loads(ran.output)["submissions"] for f in s["findings"]]


def test_a_task_open_on_its_deadline_day_reads_due_not_done_not_zero_days_late(findings, tmp_path):
    on_the_day = [f for f in findings if f["status"] == "fail" and f["gap"] == 0 and f["target"]["deadline"]]
    assert on_the_day
    for f in on_the_day:
        assert "到期未完成" in f["message"]["zh"] and "0 天" not in f["message"]["zh"]
        assert "0 days" not in f["message"]["en"] and "on that day" in f["message"]["en"]
    for lang, unsaid in (("zh", r"逾期 0 天"), ("en", r"\b0 days late")):
        shown = invoke("check", ROOT / "inputs", "--lang", lang, "-o", tmp_path / f"r-{lang}.txt", "--quiet")
        assert shown.exit_code == 1
        assert not re.search(unsaid, (tmp_path / f"r-{lang}.txt").read_text(encoding="utf-8"))


def test_a_missed_about_target_states_the_tolerance_it_missed(findings):
    missed = [f for f in findings if f["status"] == "fail" and (f["hedge"] or {}).get("word") == "左右"]
    assert missed
    for f in missed:
        assert "“左右”容差 ±" in f["message"]["zh"], f["message"]["zh"]
        assert "tolerance ±" in f["message"]["en"]


def test_a_missed_strive_target_reads_as_one_sentence(findings):
    missed = [f for f in findings if f["status"] == "fail" and (f["hedge"] or {}).get("word") == "力争"]
    assert missed
    for f in missed:
        assert f["message"]["zh"].startswith("力争目标未达；")
        assert f["message"]["zh"].count("：") <= 1, f["message"]["zh"]


@pytest.mark.parametrize("name", ["考核2018.pdf", "考核2018.xls", "考核2018.doc"])
def test_a_report_named_with_an_extension_no_format_has_is_refused(tmp_path, name):
    ran = invoke("check", ROOT / "inputs", "-o", tmp_path / name, "--quiet")
    assert ran.exit_code == 2 and not (tmp_path / name).exists()
    assert "可用的扩展名" in ran.output and ".docx" in ran.output


def test_any_file_name_is_taken_when_the_format_is_named(tmp_path):
    ran = invoke("check", ROOT / "inputs", "--format", "text", "-o", tmp_path / "findings.log", "--quiet")
    assert ran.exit_code == 1 and "总体结论" in (tmp_path / "findings.log").read_text(encoding="utf-8")


def _rules(predicate):
    from checker.rulesets import load_rulebook

    book = load_rulebook(ROOT / "rulesets")
    return [r for lr in book.rulesets for r in lr.ruleset.rules if predicate(r)]


def test_rules_show_reads_back_the_hedge_the_horizon_and_the_assumed_year():
    about = _rules(lambda r: r.hedge is not None and r.hedge.word == "左右")
    own = next(r for r in about if r.hedge.tolerance is not None)
    default = next(r for r in about if r.hedge.tolerance is None)
    assert f"限定词: “左右”（容差 ±{own.hedge.tolerance:g}）" in invoke("rules", "show", own.id).output
    assert "（grading.yaml 默认）" in invoke("rules", "show", default.id).output
    assert "grading.yaml's default" in invoke("rules", "show", default.id, "--lang", "en").output
    strive = _rules(lambda r: r.hedge is not None and r.hedge.word == "力争")[0]
    assert "不作一票否决" in invoke("rules", "show", strive.id).output
    until = _rules(lambda r: r.until is not None)[0]
    assert f"适用至: {until.until}年" in invoke("rules", "show", until.id).output
    assumed = _rules(lambda r: r.year_assumed is not None)[0]
    assert f"年份推定: {assumed.year_assumed.zh}" in invoke("rules", "show", assumed.id).output
    read = _rules(lambda r: r.hedge is not None and r.hedge.reading is not None)[0]
    assert read.hedge.reading.zh in invoke("rules", "show", read.id).output


def test_a_task_row_with_a_mistyped_name_and_a_bad_date_is_still_reported(tmp_path):
    from checker.rulesets import load_rulebook

    book = load_rulebook(ROOT / "rulesets")
    lr = next(lr for lr in book.rulesets if any(r.kind == "task" for r in lr.ruleset.rules))
    task = next(r for r in lr.ruleset.rules if r.kind == "task")
    year, who = lr.period.start, lr.ruleset.jurisdiction
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(
        f"地区,年度,指标,数值,单位,对象,日期,备注\n{who},{year},任务完成情况,已完成,,{task.subject}（错字）,{year}年13月1日,\n",
        encoding="utf-8",
    )
    ran = invoke("check", sheet, "--format", "json", "--quiet")
    listed = json.loads(ran.output)["submissions"][0]["problems"]
    assert any(p["location"]["row"] == 2 and "13月1日" in p["message"]["zh"] for p in listed), listed
    shown = invoke("check", sheet, "--quiet")
    assert "row 2" in shown.output and "13月1日" in shown.output


def test_a_score_in_the_bottom_band_names_the_line_it_fell_below():
    ran = invoke("check", ROOT / "inputs", "--format", "json", "--quiet")
    grades = [s["grade"] for s in json.loads(ran.output)["submissions"] if s["grade"]]
    low = [g for g in grades if g["water_quality_score"] is not None and g["water_quality_score"] < 60]
    assert low
    for g in grades:
        assert not any("（≥0）" in r["zh"] or "(≥ 0)" in r["en"] for r in g["reasons"])
    for g in low:
        assert any("低于“合格”的 60 分" in r["zh"] for r in g["reasons"]), g["reasons"]


def test_a_milestone_judged_in_a_later_year_reads_as_the_target_in_force_since(tmp_path):
    ran = invoke("check", ROOT / "inputs", "--format", "json", "--quiet")
    later = [
        (s["year"], f)
        for s in json.loads(ran.output)["submissions"]
        for f in s["findings"]
        if f["status"] in ("pass", "fail")
        and f["target"]["year"]
        and f["target"]["year"] < s["year"]
        and f["indicator"] != "task.status"
        and "实际" in f["message"]["zh"]
        and "下降" not in f["message"]["zh"]
        and "累计" not in f["message"]["zh"]
    ]
    assert later
    for _year, f in later:
        assert f"{f['target']['year']}年起的目标" in f["message"]["zh"], f["message"]["zh"]
        assert f"in force since {f['target']['year']}" in f["message"]["en"]
    year, f = later[0]
    made = invoke("template", f["rule_id"].split(".")[0].rsplit("-", 1)[0], year, "-o", tmp_path / "t.csv")
    assert made.exit_code == 0
    text = (tmp_path / "t.csv").read_text(encoding="utf-8-sig")
    row = next(line for line in text.splitlines() if f["rule_id"] in line)
    assert f"{year}年目标" in row and f"{f['target']['year']}年目标" not in row


def test_the_plans_own_words_for_a_cumulative_targets_yearly_amount_reach_it():
    from checker.observations import resolve_indicator
    from checker.rulesets import load_rulebook

    book = load_rulebook(ROOT / "rulesets")
    checked = 0
    for lr in book.rulesets:
        for rule in (r for r in lr.ruleset.rules if r.kind == "cumulative"):
            names = [a for ind in book.indicators.values() for a in (ind.name_zh, *ind.aliases) if a in rule.quote]
            if not names:
                continue
            said = max(names, key=len)  # the plan's own words for what is summed, as a clerk would copy them
            code = resolve_indicator(said, book).code
            assert code in (rule.indicator, rule.indicator + "_cumulative"), (rule.id, said, code)
            checked += 1
    assert checked


def test_about_is_judged_on_the_value_the_finding_says_it_compared(tmp_path):
    from checker.rulesets import load_rulebook

    book = load_rulebook(ROOT / "rulesets")
    share = book.grading.hedges.about.relative_tolerance
    lr, rule, year, target = next(
        (lr, r, y, t)
        for lr in book.rulesets
        for r in lr.ruleset.rules
        if r.kind == "threshold" and r.op == ">=" and r.hedge is not None and r.hedge.word == "左右" and r.hedge.tolerance is None
        for y, t in r.targets.items()
        if float(t).is_integer() and float(t * share).is_integer()
    )
    edge = target - target * share
    cases = {"pass": f"{edge - 0.1:.1f}", "fail": f"{edge - 0.6:.1f}"}  # read as the edge, and as one below it
    for status, value in cases.items():
        sheet = tmp_path / f"{status}.csv"
        sheet.write_text(
            f"jurisdiction,year,indicator,value\n{lr.ruleset.jurisdiction},{year},{rule.indicator},{value}\n", encoding="utf-8"
        )
        ran = invoke("check", sheet, "--format", "json", "--quiet", "--as-of", f"{year}-12-31")
        found = next(f for s in json.loads(ran.output)["submissions"] for f in s["findings"] if f["rule_id"] == rule.id)
        assert found["status"] == status, (value, edge, found["message"]["zh"])
