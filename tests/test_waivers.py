"""Waivers from the ruleset and from the sheet; expired waivers stop applying."""
import datetime as dt
import shutil

import yaml

from checker.pipeline import run_check
from checker.rulesets import load_rulebook
from conftest import ROOT, finding, write_csv

RULE = "jiamusi-2018.water-resources.total-use"


def waiver_row(expires="2019-06-30", rule=RULE, approved="市水污防办"):
    return ("jiamusi", 2018, "豁免", "区政府无相关工作职能，由市政府直属责任部门负责", "", rule, expires, approved)


def test_sheet_waiver_makes_the_finding_not_applicable(sheet, run):
    report = run(sheet([("jiamusi", 2018, "water_use.total", "50"), waiver_row()]))
    f = finding(report, RULE)
    assert f.status == "not_applicable" and "市政府直属责任部门" in f.message.zh
    assert f.waiver.approved_by == "市水污防办" and f.waiver.expires == dt.date(2019, 6, 30)


def test_expired_waiver_stops_applying(sheet, run):
    report = run(sheet([("jiamusi", 2018, "water_use.total", "50"), waiver_row(expires="2018-06-30")]))
    f = finding(report, RULE)
    assert f.status == "fail" and "expired" in f.message.en and f.waiver is not None


def test_waiver_of_an_unknown_rule_or_without_approver_is_an_error(sheet, run):
    report = run(sheet([waiver_row(rule="jiamusi-2018.no-such-rule"), waiver_row(approved="")]))
    problems = report.submissions[0].problems
    assert [p.location.column for p in problems] == ["subject", "note"]
    assert report.submissions[0].status == "error"


def test_ruleset_waiver(tmp_path):
    for name in ("indicators.yaml", "jiamusi-2018.yaml"):
        shutil.copy(ROOT / "rulesets" / name, tmp_path)
    data = yaml.safe_load((tmp_path / "jiamusi-2018.yaml").read_text(encoding="utf-8"))
    data["waivers"] = [{"rule": RULE, "reason": "省考核范围调整，2018年不考核用水总量", "approved_by": "市政府",
                        "expires": "2018-12-31"}]
    (tmp_path / "jiamusi-2018.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    book = load_rulebook(tmp_path)
    path = write_csv(tmp_path / "s.csv", [("jiamusi", 2018, "water_use.total", "50")])
    assert finding(run_check([path], book), RULE).status == "not_applicable"
    late = run_check([path], book, as_of=dt.date(2019, 1, 31))
    assert finding(late, RULE).status == "fail"
