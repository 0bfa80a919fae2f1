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


# ---------------------------------------------------------------- the exit codes in --help


def test_check_help_lists_every_exit_code():
    from checker.cli_common import EXIT_FINDINGS, EXIT_INTERRUPTED, EXIT_OK, EXIT_TERMINATED, EXIT_UNUSABLE

    shown = invoke("check", "--help").output
    assert "退出码 / exit codes" in shown
    for code, words in (
        (EXIT_OK, "pass, not_due or not_applicable"),
        (EXIT_FINDINGS, "--fail-on"),
        (EXIT_UNUSABLE, "could not be used"),
        (EXIT_INTERRUPTED, "Ctrl-C"),
        (EXIT_TERMINATED, "SIGTERM"),
    ):
        (line,) = [line for line in shown.splitlines() if line.strip().startswith(f"{code} ")]
        assert words in line, line
    assert (EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE, EXIT_INTERRUPTED, EXIT_TERMINATED) == (0, 1, 2, 130, 143)


# ---------------------------------------------------------------- the landed parts, through the CLI

TRANSFER = ("jiamusi-2018.task.east-west-water-transfer", "胜利路和长安路等2个东水西调工程")  # due 2018-09-30
TOTAL_USE = "jiamusi-2018.water-resources.total-use"


def test_a_task_finished_late_reads_overdue_completion_in_chinese(tmp_path):
    sheet = write_csv(tmp_path / "s.csv", [("jiamusi", 2018, "task.status", "已完成", "", TRANSFER[1], "2018-10-15")])
    f = the(invoke("check", sheet, "--format", "json"), TRANSFER[0])
    assert f["status"] == "fail" and "逾期完成" in f["message"]["zh"] and "15" in f["message"]["zh"]


def test_a_sheets_waiver_is_a_request_in_every_format_and_a_waivers_file_grants(tmp_path):
    import yaml

    reason = "区政府无相关工作职能，由市政府直属责任部门负责"
    rows = [("jiamusi", 2018, "water_use.total", "50"), ("jiamusi", 2018, "豁免", reason, "", TOTAL_USE, "2019-06-30", "市水污防办")]
    sheet = write_csv(tmp_path / "s.csv", rows)
    assert the(invoke("check", sheet, "--format", "json"), TOTAL_USE)["status"] == "fail"
    for fmt in ("text", "md", "html", "json"):
        assert "豁免申请（待审核）" in invoke("check", sheet, "--format", fmt).stdout, fmt
    out = tmp_path / "reports"
    invoke("check", sheet, "--output", f"{out}/")
    assert "豁免申请（待审核）" in _xlsx_text(out / "findings.xlsx")
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        yaml.safe_dump([{"rule": TOTAL_USE, "reason": reason, "approved_by": "市水污防办", "expires": "2019-06-30"}], allow_unicode=True),
        encoding="utf-8",
    )
    granted = tmp_path / "granted"
    invoke("check", sheet, "--waivers", waivers, "--output", f"{granted}/")
    f = the(type("R", (), {"stdout": (granted / "findings.json").read_text(encoding="utf-8")}), TOTAL_USE)
    assert f["status"] == "not_applicable" and f["waiver"]["approved_by"] == "市水污防办"
    for name in ("findings.txt", "findings.md", "findings.html", "findings.junit.xml"):
        assert reason in (granted / name).read_text(encoding="utf-8"), name
    assert reason in _xlsx_text(granted / "findings.xlsx")


def _xlsx_text(path) -> str:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    return "\n".join(str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c is not None)


# ---------------------------------------------------------------- grades explained


def test_points_scores_veto_and_the_overall_line_in_every_format(tmp_path):
    rows = [
        ("jiamusi", 2018, "surface_water.good_section_share", "50", "%"),  # missed: the veto
        ("jiamusi", 2018, "livestock.waste_facility_rate", "72", "%"),
        ("jiamusi", 2018, "water_use.total", "40"),
    ]
    sheet = write_csv(tmp_path / "s.csv", rows)
    out = tmp_path / "reports"
    invoke("check", sheet, "--output", f"{out}/")
    (sub,) = json.loads((out / "findings.json").read_text(encoding="utf-8"))["submissions"]
    share = next(f for f in sub["findings"] if f["rule_id"] == SHARE)
    assert (share["status"], share["weight"], share["earned"]) == ("fail", 3, 0)
    assert all(f["earned"] is None for f in sub["findings"] if f["status"] in ("not_due", "not_applicable"))
    for score in sub["grade"]["scores"]:
        scored = [f for f in sub["findings"] if f["category"] == score["category"] and f["earned"] is not None]
        assert score["earned"] == sum(f["earned"] for f in scored) and score["weight"] == sum(f["weight"] for f in scored)
        name = {"water_quality": "水质得分", "key_task": "重点工作得分"}[score["category"]]
        formula = f"{name} = {score['earned']:g} / {score['weight']:g} × 100 = {score['score']:g}"
        assert score["formula"]["zh"] == formula and formula in [r["zh"] for r in sub["grade"]["reasons"]]
    (veto,) = [r["zh"] for r in sub["grade"]["reasons"] if "一票否决" in r["zh"]]
    assert share["title"]["zh"] in veto and share["source"]["quote"] in veto and SHARE not in veto
    missed = sum(f["status"] in ("fail", "missing") for f in sub["findings"])
    overall = f"未全部达标（{missed}项未达标）；考核等级：不合格"

    shown = {name: (out / name).read_text(encoding="utf-8") for name in ("findings.txt", "findings.md", "findings.html")}
    for name, body in shown.items():
        assert overall in body and "水质得分 = " in body and share["source"]["quote"] in body, name
        assert "未通过  (" not in body and "— 未通过" not in body, name  # no bare status beside the grade
    assert (
        "0 / 3" in shown["findings.txt"] and "| 0 / 3 |" in shown["findings.md"] and '<td class="num">0 / 3</td>' in shown["findings.html"]
    )
    from openpyxl import load_workbook

    book = load_workbook(out / "findings.xlsx", read_only=True)
    summary = list(book["汇总"].iter_rows(values_only=True))
    assert summary[1][summary[0].index("总体结论")] == overall
    results = list(book["检查结果"].iter_rows(values_only=True))
    row = next(r for r in results[1:] if r[results[0].index("规则编号")] == SHARE)
    assert (row[results[0].index("权重")], row[results[0].index("得分")]) == (3, 0)
    english = invoke("check", sheet, "--lang", "en").stdout
    assert f"not every target met ({missed} missed); grade: unsatisfactory" in english and "water-quality score = " in english


def test_every_target_met_says_so_beside_its_grade(tmp_path):
    sheet = write_csv(tmp_path / "s.csv", [("jiamusi", 2018, "livestock.waste_facility_rate", "72", "%")])
    report = json.loads(invoke("check", sheet, "--format", "json", "--fail-on", "fail").stdout)
    from checker.models import Report
    from checker.reports.common import overall_text

    (sub,) = Report.model_validate(report).submissions
    only_met = sub.model_copy(update={"findings": [f for f in sub.findings if f.status == "pass"]})
    assert overall_text(only_met, "zh").startswith("全部达标（1项）；考核等级：")
    assert overall_text(only_met.model_copy(update={"findings": [], "grade": None}), "en") == "no target due; not graded"


# ---------------------------------------------------------------- checker diff: every status change, and year to year


def test_a_diff_of_two_runs_shows_every_status_change(tmp_path):
    import yaml

    db = tmp_path / "store.db"
    sheet = write_csv(
        tmp_path / "in" / "s.csv", [("jiamusi", 2018, "water_use.total", "50"), ("jiamusi", 2018, "livestock.waste_facility_rate", "72")]
    )
    assert invoke("check", sheet, "--db", db, "--format", "json").exit_code == 1
    waivers = tmp_path / "waivers.yaml"
    waiver = {"rule": TOTAL_USE, "reason": "省考核范围调整", "approved_by": "市政府", "expires": "2019-06-30"}
    waivers.write_text(yaml.safe_dump([waiver], allow_unicode=True), encoding="utf-8")
    # Waived, and judged before the transfer task's deadline: fail → 不适用, missing → 未到期.
    invoke("check", sheet, "--db", db, "--waivers", waivers, "--as-of", "2018-08-01", "--format", "json")
    result = invoke("diff", "jiamusi", "--db", db, "--lang", "en")
    out = result.output
    assert "run 1 → run 2" in out and "other status changes:" in out
    assert f"[{TOTAL_USE}]: 50 [fail] → 50 [not applicable]" in out
    assert f"[{TRANSFER[0]}] ({TRANSFER[1]}): — [missing] → — [not due]" in out
    assert result.exit_code == 0  # nothing newly fails
    back = invoke("diff", "jiamusi", "--db", db, "--runs", "2", "1")
    assert f"[{TOTAL_USE}]: 50 [不适用] → 50 [未通过]" in back.output and back.exit_code == 1  # newly failing again
    assert "其他状态变化" in back.output and "— [未到期] → — [缺报]" in back.output


def test_a_diff_between_two_years_shows_status_value_and_target(tmp_path):
    db = tmp_path / "store.db"
    leak = "daxinganling-2016.water-supply.pipe-leakage"
    rows = [("daxinganling", 2019, "管网漏损率", "20"), ("daxinganling", 2020, "管网漏损率", "19")]
    invoke("check", write_csv(tmp_path / "a" / "s.csv", rows), "--db", db, "--format", "json")
    result = invoke("diff", "daxinganling", "--db", db, "--years", "2019", "2020", "--lang", "en")
    out = result.output
    assert "2019 → 2020" in out
    assert f"[{leak}]: 20 [pass] → 19 [fail]" in out  # the status
    assert "changed value:" in out and "changed target:" in out
    assert f"[{leak}]: ≤ 25 [pass] → ≤ 18 [fail]" in out  # the milestone in force moved
    assert result.exit_code == 1  # something got worse
    # A later run of 2020 alone is what the store now says of 2020.
    invoke("check", write_csv(tmp_path / "b" / "s.csv", [("daxinganling", 2020, "管网漏损率", "17")]), "--db", db, "--format", "json")
    again = invoke("diff", "daxinganling", "--db", db, "--years", "2019", "2020")
    assert f"[{leak}]: 20 [通过] → 17 [通过]" in again.output and "状态变化" in again.output
    absent = invoke("diff", "daxinganling", "--db", db, "--years", "2019", "2031")
    assert absent.exit_code == 2 and "2031" in absent.stderr
    both = invoke("diff", "daxinganling", "--db", db, "--years", "2019", "2020", "--runs", "1", "2")
    assert both.exit_code == 2 and "只能选一个" in both.stderr
