"""What a hostile tryout of the reliability fixes still found: each case as it was run then."""

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from checker.cli import main
from conftest import ROOT, write_csv


def _sheet(tmp_path):
    # One target met, the rest of the plan not reported: `missing`, no `fail`.
    return write_csv(tmp_path / "s.csv", [("jiamusi", 2018, "livestock.waste_facility_rate", "72", "%")])


def test_fail_on_chooses_the_statuses_that_give_exit_1(tmp_path):
    sheet = _sheet(tmp_path)
    statuses = {
        f["status"]
        for s in json.loads(CliRunner().invoke(main, ["check", str(sheet), "--format", "json"]).stdout)["submissions"]
        for f in s["findings"]
    }
    assert "missing" in statuses and "fail" not in statuses
    assert CliRunner().invoke(main, ["check", str(sheet)]).exit_code == 1
    assert CliRunner().invoke(main, ["check", str(sheet), "--fail-on", "fail"]).exit_code == 0
    assert CliRunner().invoke(main, ["check", str(sheet), "--fail-on", "fail,missing"]).exit_code == 1
    wrong = CliRunner().invoke(main, ["check", str(sheet), "--fail-on", "failed"])
    assert wrong.exit_code == 2 and "failed is no status" in wrong.output


@pytest.mark.parametrize("option", [["--max-file-mb", "inf"], ["--max-unzipped-mb", "nan"]])
def test_limits_that_are_no_finite_number_are_a_usage_error(tmp_path, option):
    result = CliRunner().invoke(main, ["check", str(_sheet(tmp_path)), *option])
    assert result.exit_code == 2 and "finite" in result.output
    assert not isinstance(result.exception, (OverflowError, ValueError))


@pytest.mark.parametrize("store", ["not-a-store.txt", "other-app.sqlite"])
def test_a_store_that_cannot_be_opened_leaves_the_reports_written(tmp_path, store):
    import sqlite3

    target = tmp_path / store
    if store.endswith(".txt"):
        target.write_text("notes, not a database\n", encoding="utf-8")
    else:
        with sqlite3.connect(target) as conn:
            conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    before = target.read_bytes()
    out = tmp_path / "reports"
    result = CliRunner().invoke(main, ["check", str(ROOT / "inputs"), "--db", str(target), "--output", f"{out}/"])
    assert result.exit_code == 2, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "findings.docx",
        "findings.html",
        "findings.json",
        "findings.junit.xml",
        "findings.md",
        "findings.txt",
        "findings.xlsx",
    ]
    assert "the run was not recorded" in result.stderr and "本次运行未记录" in result.stderr
    assert target.read_bytes() == before


@pytest.mark.parametrize(
    "url", ["postgresql://127.0.0.1:1/x?password=S3cret", "postgresql://u:S3cret@host:abc/x", "postgresql://u:S3cret@[::1:1/x"]
)
def test_no_password_is_shown_however_the_url_is_written(tmp_path, url):
    for args in (["check", str(_sheet(tmp_path)), "--db", url], ["history", "jiamusi", "--db", url]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2, result.output
        assert "S3cret" not in result.output and "Traceback" not in result.output


def test_a_baseline_that_is_a_fifo_is_refused_without_waiting(tmp_path):
    fifo = tmp_path / "last.json"
    os.mkfifo(fifo)
    done = subprocess.run(
        [sys.executable, "-m", "checker.cli", "check", str(_sheet(tmp_path)), "--baseline", str(fifo)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert done.returncode == 2 and "not a regular file" in done.stderr


@pytest.mark.parametrize("weight", ['"3"', "true"])
def test_a_weight_that_is_no_number_is_refused_by_validate(tmp_path, weight):
    import shutil

    folder = tmp_path / "rulesets"
    shutil.copytree(ROOT / "rulesets", folder)
    plan = folder / "jiamusi-2018.yaml"
    text = plan.read_text(encoding="utf-8")
    marker = "    kind: stable"
    assert marker in text
    plan.write_text(text.replace(marker, f"{marker}\n    weight: {weight}", 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["rulesets", "validate", str(folder)])
    assert result.exit_code == 2 and "weight" in result.output, result.output


def test_ctrl_c_in_any_command_says_interrupted_and_exits_130(monkeypatch):
    """Only `check` said so; the others printed click's 'Aborted!' and exited 1 (findings)."""
    import checker.cli

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(checker.cli, "_book", interrupted)
    for args in (["rulesets", "list"], ["rulesets", "validate"], ["rules", "show", "x"], ["template", "jiamusi", "2018", "-o", "t.csv"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 130 and "interrupted" in result.output, (args, result.output)


@pytest.mark.parametrize("ending", ["\n", ""])
def test_a_quote_left_open_on_the_last_line_is_a_located_error(tmp_path, ending):
    path = tmp_path / "s.csv"
    path.write_text(
        "jurisdiction,year,indicator,value,unit,subject,date,note\n"
        "jiamusi,2018,livestock.waste_facility_rate,72,%,,,ok\n"
        f'jiamusi,2018,water_use.total,40,亿立方米,,,"last{ending}',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["check", str(path), "--format", "json"])
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    problems = [p for s in report["submissions"] for p in s["problems"]] + report["errors"]
    assert [
        (p["location"]["row"], p["location"]["column"]) for p in problems if "not closed before the end of the file" in p["message"]["en"]
    ] == [(3, "note")]


def test_a_lone_quote_inside_a_cell_is_no_error(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text(
        "jurisdiction,year,indicator,value,unit,subject,date,note\njiamusi,2018,livestock.waste_facility_rate,72,%,,,12\" pipe\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["check", str(path), "--format", "json"])
    assert result.exit_code == 1, result.output


def test_a_task_named_unlike_any_task_of_the_plan_is_noted(tmp_path):
    """A subject that no rule asks about was dropped without a trace; its rule read `missing`."""
    import yaml

    plan = yaml.safe_load((ROOT / "rulesets" / "jiamusi-2018.yaml").read_text(encoding="utf-8"))
    task = next(r for r in plan["rules"] if r["kind"] == "task")
    typo = task["subject"] + "二期"
    sheet = write_csv(tmp_path / "s.csv", [("jiamusi", 2018, "task.status", "已完成", "", typo, "2018-06-30")])
    report = json.loads(CliRunner().invoke(main, ["check", str(sheet), "--format", "json"]).stdout)
    (sub,) = report["submissions"]
    notes = [n["en"] for n in sub["notes"] if "is no task or duty of the plans in force" in n["en"]]
    assert len(notes) == 1 and typo in notes[0] and "row 2" in notes[0]
    assert next(f for f in sub["findings"] if f["rule_id"] == task["id"])["status"] in ("missing", "not_due")
