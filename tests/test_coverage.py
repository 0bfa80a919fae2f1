"""Coverage of the seeds, built on the plan reader: every target and duty it finds is listed with
the rule quoting it, a stated reason, or as unaccounted; the command exits 1 while any is."""

import shutil

from click.testing import CliRunner

from checker.cli import main
from checker.coverage import candidates, coverage, render_markdown
from checker.rulesets import load_rulebook
from conftest import ROOT


def test_every_seed_is_listed_and_every_line_is_encoded_a_reason_or_unaccounted(book):
    report = coverage(book, ROOT / "rulesets")
    assert set(report) == {lr.ruleset.seed for lr in book.rulesets}
    for lines in report.values():
        assert lines
        for line in lines:
            assert not (line.rules and line.reason), line.sentence


def test_every_rule_appears_in_the_listing(book):
    report = coverage(book, ROOT / "rulesets")
    listed = {rule for lines in report.values() for line in lines for rule in line.rules}
    assert listed == {r.id for lr in book.rulesets for r in lr.ruleset.rules}


def test_candidates_find_dated_numeric_undated_and_yearless_targets_and_duties():
    text = (
        "一、任务\n"
        "到2020年,全区用水总量控制在1.11亿立方米以内。加强宣传教育。2017年底前,完成划定。\n"
        "各镇街要于12月10日前上报整改报告。市级水源地水质一月一测。\n"
        "建立河长制工作通报制度。(区水务局牵头,各镇街负责)\n"
    )
    found = candidates(text, 2018)
    assert "到2020年,全区用水总量控制在1.11亿立方米以内" in found
    assert "2017年底前,完成划定" in found
    assert any("12月10日前上报" in quote for quote in found)  # a date with no year: the plan's
    assert any("一月一测" in quote for quote in found)  # a frequency
    assert any("建立河长制工作通报制度" in quote for quote in found)  # a duty with no number
    assert not any(quote.startswith("加强宣传教育") for quote in found)  # binds no one


def test_docs_coverage_md_is_current(book):
    """docs/coverage.md is generated; regenerate with `checker rulesets coverage --output docs/coverage.md`."""
    expected = render_markdown(coverage(book, ROOT / "rulesets"))
    assert (ROOT / "docs" / "coverage.md").read_text(encoding="utf-8") == expected


def test_cli_coverage_exits_1_while_anything_is_unaccounted(book):
    report = coverage(book, ROOT / "rulesets")
    unaccounted = sum(not line.accounted for lines in report.values() for line in lines)
    result = CliRunner().invoke(main, ["rulesets", "coverage", str(ROOT / "rulesets")])
    assert "## jiamusi-2018.txt" in result.output
    assert result.exit_code == (1 if unaccounted else 0)


def test_cli_coverage_exits_0_when_every_candidate_is_accounted(tmp_path):
    folder = tmp_path / "rulesets"
    folder.mkdir()
    shutil.copy(ROOT / "rulesets" / "indicators.yaml", folder)
    (folder / "seeds").mkdir()
    (folder / "coverage").mkdir()
    (folder / "seeds" / "plan.txt").write_text(
        "一、任务\n到2017年,完成河道排查。(区水务局)\n2018年底前,建成污水厂。(区水务局)\n", encoding="utf-8"
    )
    (folder / "plan.yaml").write_text(
        "id: some-plan\njurisdiction: shanghai-putuo\nperiod: {start: 2017, end: 2018}\nseed: plan.txt\n"
        "document: {title: 方案}\nrules:\n"
        "  - {id: some-plan.t1, kind: task, title: {zh: 排查, en: survey}, category: key_task, subject: 河道排查,"
        " deadline: 2017-12-31, responsible_units: [区水务局], clause: 一, quote: '到2017年,完成河道排查'}\n",
        encoding="utf-8",
    )
    (folder / "coverage" / "plan.yaml").write_text("- quote: 建成污水厂\n  reason: 已由上级方案考核\n", encoding="utf-8")
    load_rulebook(folder)
    result = CliRunner().invoke(main, ["rulesets", "coverage", str(folder)])
    assert result.exit_code == 0, result.output
    assert "not encoded: 已由上级方案考核" in result.output
    (folder / "coverage" / "plan.yaml").write_text("[]\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["rulesets", "coverage", str(folder)])
    assert result.exit_code == 1 and "UNACCOUNTED" in result.output
