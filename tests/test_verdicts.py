"""Verdicts an officer can sign (issue 15): comparisons at the plan's precision, grades explained,
year-to-year diffs, the exit codes in --help; and the landed parts checked through the CLI."""

import json
import shutil
from decimal import Decimal
from fractions import Fraction

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from checker.cli import main
from checker.precision import round_half_even, written_decimals
from conftest import ROOT, write_csv

SHARE = "jiamusi-2018.water-quality.good-section-share"


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def findings(result) -> list[dict]:
    return [f for s in json.loads(result.stdout)["submissions"] for f in s["findings"]]


def the(result, rule_id: str, year: int | None = None) -> dict:
    report = json.loads(result.stdout)
    return next(f for s in report["submissions"] if year in (None, s["year"]) for f in s["findings"] if f["rule_id"] == rule_id)


# ---------------------------------------------------------------- precision (GB/T 8170)


@pytest.fixture
def plan_at_66_7(tmp_path):
    """The plans, with Jiamusi's good-section share written as 66.7 (one decimal), as a plan of
    2 in 3 good sections writes it."""
    folder = tmp_path / "rulesets"
    shutil.copytree(ROOT / "rulesets", folder)
    plan = folder / "jiamusi-2018.yaml"
    text = plan.read_text(encoding="utf-8")
    assert text.count("targets: {2018: 55}") == 1
    plan.write_text(text.replace("targets: {2018: 55}", "targets: {2018: 66.7}"), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    "value,status,rounded",
    [("66.67", "pass", "66.7"), ("66.64", "fail", "66.6"), ("66.65", "fail", "66.6"), ("66.75", "pass", "66.8"), ("66.7", "pass", None)],
)
def test_the_observed_value_is_compared_at_the_targets_precision(tmp_path, plan_at_66_7, value, status, rounded):
    sheet = write_csv(tmp_path / "s.csv", [("jiamusi", 2018, "surface_water.good_section_share", value, "%")])
    f = the(invoke("check", sheet, "--rulesets", plan_at_66_7, "--format", "json"), SHARE)
    assert f["status"] == status and f["observed"] == float(value)  # the value as reported stays the observed one
    if rounded is None:
        assert "修约" not in f["message"]["zh"]
    else:
        assert f"按目标精度修约：{value} → {rounded}（GB/T 8170 四舍六入五成双）" in f["message"]["zh"]
        assert f"rounded to the target's precision: {value} → {rounded} (GB/T 8170, round half to even)" in f["message"]["en"]
    assert (f["gap"] < 0) == (status == "fail")  # the gap never contradicts the verdict


def test_two_of_three_good_sections_meet_a_target_of_66_7(tmp_path, plan_at_66_7):
    rows = [("jiamusi", 2018, "surface_water.section_class", c, "", name) for c, name in (("II", "A"), ("III", "B"), ("IV", "C"))]
    f = the(invoke("check", write_csv(tmp_path / "s.csv", rows), "--rulesets", plan_at_66_7, "--format", "json"), SHARE)
    assert f["status"] == "pass" and "→ 66.7" in f["message"]["zh"] and f["gap"] == 0


def test_a_whole_number_target_compares_whole_numbers(tmp_path):
    sheet = write_csv(tmp_path / "s.csv", [("jiamusi", 2018, "surface_water.good_section_share", "54.5", "%")])
    f = the(invoke("check", sheet, "--format", "json"), SHARE)
    assert f["status"] == "fail" and "54.5 → 54" in f["message"]["zh"]  # 五成双: 54.5 goes to the even 54


def test_a_quoted_target_keeps_its_trailing_zeros(tmp_path, plan_at_66_7):
    plan = plan_at_66_7 / "jiamusi-2018.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("{2018: 66.7}", '{2018: "66.70"}'), encoding="utf-8")
    sheet = write_csv(tmp_path / "s.csv", [("jiamusi", 2018, "surface_water.good_section_share", "66.694", "%")])
    f = the(invoke("check", sheet, "--rulesets", plan_at_66_7, "--format", "json"), SHARE)
    assert f["status"] == "fail" and "66.694 → 66.69" in f["message"]["zh"]  # at one place it would be 66.7, a pass
    assert f["target"]["value"] == 66.7


def _reference(value: float, places: int) -> Fraction:
    """Half to even in exact fractions, on the value's shortest decimal spelling."""
    scaled = Fraction(repr(value)) * 10**places
    whole, rest = divmod(scaled, 1)
    if rest > Fraction(1, 2) or (rest == Fraction(1, 2) and whole % 2):
        whole += 1
    return Fraction(whole, 10**places)


@given(
    value=st.one_of(
        st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
        st.decimals(min_value=-1000, max_value=1000, places=3, allow_nan=False).map(float),
    ),
    places=st.integers(0, 10),
)
def test_rounding_agrees_with_a_plain_reference(value, places):
    rounded = round_half_even(value, places)
    assert Fraction(rounded) == _reference(value, places)
    assert -rounded.as_tuple().exponent == places


@given(st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False))
def test_decimals_are_read_as_the_target_is_written(number):
    written = f"{number:f}"
    assert written_decimals(written) == max(0, -Decimal(written).as_tuple().exponent)
    assert written_decimals(float(written)) == max(0, -Decimal(repr(float(written))).as_tuple().exponent)
    assert written_decimals(55) == 0 and written_decimals(66.7) == 1 and written_decimals("66.70") == 2
