"""Coverage of the seeds: no target sentence left unencoded without a stated reason."""

from click.testing import CliRunner

from checker.cli import main
from checker.coverage import candidates, coverage, render_markdown
from conftest import ROOT


def test_every_target_sentence_is_encoded_or_has_a_reason(book):
    report = coverage(book, ROOT / "rulesets")
    assert set(report) == {lr.ruleset.seed for lr in book.rulesets}
    unaccounted = [(seed, line.sentence) for seed, lines in report.items() for line in lines if not line.accounted]
    assert unaccounted == []


def test_every_rule_appears_in_the_listing(book):
    report = coverage(book, ROOT / "rulesets")
    listed = {rule for lines in report.values() for line in lines for rule in line.rules}
    assert listed == {r.id for lr in book.rulesets for r in lr.ruleset.rules}


def test_candidates_find_dated_and_numeric_targets():
    text = "到2020年,全区用水总量控制在1.11亿立方米以内。加强宣传教育。2017年底前,完成划定。"
    assert candidates(text) == ["到2020年,全区用水总量控制在1.11亿立方米以内。", "2017年底前,完成划定。"]


def test_docs_coverage_md_is_current(book):
    """docs/coverage.md is generated; regenerate with `checker rulesets coverage --output docs/coverage.md`."""
    expected = render_markdown(coverage(book, ROOT / "rulesets"))
    assert (ROOT / "docs" / "coverage.md").read_text(encoding="utf-8") == expected


def test_cli_coverage_exit_code():
    result = CliRunner().invoke(main, ["rulesets", "coverage", str(ROOT / "rulesets")])
    assert result.exit_code == 0 and "## jiamusi-2018.txt" in result.output
