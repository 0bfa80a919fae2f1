"""Waivers granted by the ruleset or a waivers file; a sheet's waiver is a request; expired waivers stop applying."""

import datetime as dt
import shutil

import yaml

from checker.pipeline import run_check
from checker.rulesets import load_rulebook
from conftest import ROOT, finding, write_csv

RULE = "jiamusi-2018.water-resources.total-use"


def waiver_row(expires="2019-06-30", rule=RULE, approved="市水污防办"):
    return ("jiamusi", 2018, "豁免", "区政府无相关工作职能，由市政府直属责任部门负责", "", rule, expires, approved)


def test_a_sheets_waiver_is_a_request_that_changes_no_status(sheet, run):
    """Contract §5: only the assessing side grants waivers; the county's own row is listed as a request."""
    report = run(sheet([("jiamusi", 2018, "water_use.total", "50"), waiver_row()]))
    f = finding(report, RULE)
    assert f.status == "fail" and f.waiver is None
    (request,) = [n for n in report.submissions[0].notes if "豁免申请（待审核）" in n.zh]
    assert RULE in request.zh and "市政府直属责任部门" in request.zh and "pending review" in request.en


def _waivers_file(tmp_path, expires="2019-06-30"):
    path = tmp_path / "waivers.yaml"
    path.write_text(
        yaml.safe_dump(
            [{"rule": RULE, "reason": "区政府无相关工作职能，由市政府直属责任部门负责", "approved_by": "市水污防办", "expires": expires}],
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    return path


def test_a_waivers_file_grants_and_is_hashed_and_shown_in_every_format(tmp_path):
    import hashlib
    import json

    from click.testing import CliRunner

    from checker.cli import main

    sheet = write_csv(tmp_path / "s.csv", [("jiamusi", 2018, "water_use.total", "50")])
    waivers = _waivers_file(tmp_path)
    result = CliRunner().invoke(main, ["check", str(sheet), "--waivers", str(waivers), "--format", "json"])
    report = json.loads(result.stdout)
    f = next(f for s in report["submissions"] for f in s["findings"] if f["rule_id"] == RULE)
    assert f["status"] == "not_applicable" and f["waiver"]["approved_by"] == "市水污防办"
    assert {"id": "waivers", "file": waivers.as_posix(), "sha256": hashlib.sha256(waivers.read_bytes()).hexdigest()} in report["rulesets"]
    for fmt in ("text", "md", "html"):
        shown = CliRunner().invoke(main, ["check", str(sheet), "--waivers", str(waivers), "--format", fmt]).stdout
        assert "市政府直属责任部门" in shown, fmt
    bad = tmp_path / "bad.yaml"
    bad.write_text("- {rule: x, reason: y}\n", encoding="utf-8")
    refused = CliRunner().invoke(main, ["check", str(sheet), "--waivers", str(bad)])
    assert refused.exit_code == 2 and "approved_by" in refused.output


def test_expired_waiver_stops_applying(tmp_path):
    from click.testing import CliRunner

    from checker.cli import main

    sheet = write_csv(tmp_path / "s.csv", [("jiamusi", 2018, "water_use.total", "50")])
    result = CliRunner().invoke(
        main, ["check", str(sheet), "--waivers", str(_waivers_file(tmp_path, "2018-06-30")), "--format", "json", "--lang", "en"]
    )
    import json

    f = next(f for s in json.loads(result.stdout)["submissions"] for f in s["findings"] if f["rule_id"] == RULE)
    assert f["status"] == "fail" and "expired" in f["message"]["en"] and f["waiver"] is not None


def test_waiver_of_an_unknown_rule_or_without_approver_is_an_error(sheet, run):
    report = run(sheet([waiver_row(rule="jiamusi-2018.no-such-rule"), waiver_row(approved="")]))
    problems = report.submissions[0].problems
    assert [p.location.column for p in problems] == ["subject", "note"]
    assert report.submissions[0].status == "error"


def test_ruleset_waiver(tmp_path):
    for name in ("indicators.yaml", "jiamusi-2018.yaml"):
        shutil.copy(ROOT / "rulesets" / name, tmp_path)
    data = yaml.safe_load((tmp_path / "jiamusi-2018.yaml").read_text(encoding="utf-8"))
    data["waivers"] = [{"rule": RULE, "reason": "省考核范围调整，2018年不考核用水总量", "approved_by": "市政府", "expires": "2018-12-31"}]
    (tmp_path / "jiamusi-2018.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    book = load_rulebook(tmp_path)
    path = write_csv(tmp_path / "s.csv", [("jiamusi", 2018, "water_use.total", "50")])
    assert finding(run_check([path], book), RULE).status == "not_applicable"
    late = run_check([path], book, as_of=dt.date(2019, 1, 31))
    assert finding(late, RULE).status == "fail"


def test_an_unusable_waivers_file_is_said_in_the_commands_language_where_it_fails(tmp_path):
    from click.testing import CliRunner

    from checker.cli import main

    broken = tmp_path / "waivers.yaml"
    cases = {
        "- rule: x\n  reason: [\n": ("第 3 行第 1 列：文件意外结束", "line 3, column 1"),
        "- rule: x\n  reason: r\n  approved_by: 7\n": (
            "第 1 条，键 approved_by：应为文字（字符串）",
            "entry 1, key approved_by: Input should be a valid string",
        ),
        "rule: x\n": ("豁免文件应为豁免条目的 YAML 列表", "a waivers file is a YAML list of waivers"),
    }
    for text, (zh, en) in cases.items():
        broken.write_text(text, encoding="utf-8")
        args = ["check", str(ROOT / "inputs" / "jiamusi"), "--waivers", str(broken), "--quiet"]
        said_zh = CliRunner().invoke(main, args)
        said_en = CliRunner().invoke(main, [*args, "--lang", "en"])
        assert said_zh.exit_code == 2 and said_en.exit_code == 2
        assert f"豁免文件无法使用：{broken}：" in said_zh.output and zh in said_zh.output, said_zh.output
        assert f"waivers file unusable: {broken}: " in said_en.output and en in said_en.output, said_en.output
        assert "Input should" not in said_zh.output and "豁免" not in said_en.output
