"""The rulesets' own example cases (rulesets/tests/), run by pytest as by `checker rulesets test`."""

import pytest
from click.testing import CliRunner

from checker.cli import main
from checker.selftest import Case, load_cases, run_case
from conftest import ROOT

CASES = [(cases.ruleset, case) for _, cases in load_cases(ROOT / "rulesets") for case in cases.cases]


def test_every_ruleset_ships_cases(book):
    assert {lr.ruleset.id for lr in book.rulesets} == {ruleset for ruleset, _ in CASES}


@pytest.mark.parametrize("ruleset,case", CASES, ids=[f"{r}: {c.name}" for r, c in CASES])
def test_ruleset_case(book, ruleset, case):
    result = run_case(book, ruleset, case)
    assert result.ok, result.mismatches


def test_a_wrong_expectation_is_reported(book):
    case = Case(
        name="wrong on purpose",
        rows=[{"jurisdiction": "jiamusi", "year": 2018, "indicator": "water_use.total", "value": "40"}],
        expect={"jiamusi-2018.water-resources.total-use": "fail"},
    )
    result = run_case(book, "jiamusi-2018", case)
    assert result.mismatches == ("jiamusi-2018.water-resources.total-use: expected fail, got pass",)


def test_cli_rulesets_test():
    result = CliRunner().invoke(main, ["rulesets", "test", str(ROOT / "rulesets")])
    assert result.exit_code == 0, result.output
    assert f"{len(CASES)} passed, 0 failed" in result.output
