"""Dated tasks and attestations (contract §5)."""

import datetime as dt

from conftest import finding

REDLINE = ("jiamusi-2018.task.ecological-redline", "佳木斯市生态保护红线划定方案")  # due 2018-12-31
TRANSFER = ("jiamusi-2018.task.east-west-water-transfer", "胜利路和长安路等2个东水西调工程")  # due 2018-09-30
EMERGENCY = ("jiamusi-2018.task.emergency-water-source", "应急水源或备用水源建设")  # due 2020-12-31


def task_row(subject, status, date=""):
    return ("jiamusi", 2018, "task.status", status, "", subject, date)


def test_completed_on_the_deadline_passes(sheet, run):
    f = finding(run(sheet([task_row(TRANSFER[1], "已完成", "2018年9月30日")])), TRANSFER[0])
    assert f.status == "pass" and f.subject == TRANSFER[1]


def test_completed_late_fails_with_the_days(sheet, run):
    f = finding(run(sheet([task_row(TRANSFER[1], "completed", "2018-10-15")])), TRANSFER[0])
    assert f.status == "fail" and f.gap == -15 and "15" in f.message.zh and "late" in f.message.en


def test_unfinished_past_deadline_is_overdue(sheet, run):
    f = finding(run(sheet([task_row(TRANSFER[1], "推进中")])), TRANSFER[0])
    assert f.status == "fail" and "overdue" in f.message.en and f.gap == -92


def test_unfinished_before_deadline_is_not_due(sheet, run):
    f = finding(run(sheet([task_row(EMERGENCY[1], "推进中")])), EMERGENCY[0])
    assert f.status == "not_due"


def test_as_of_moves_the_judgement(sheet, run):
    path = sheet([task_row(REDLINE[1], "in_progress")])
    # Due 2018-12-31: on the default as-of date (31 December) it is due, and not done (contract §5).
    on_the_day = finding(run(path), REDLINE[0])
    assert on_the_day.status == "fail" and "overdue" in on_the_day.message.en and on_the_day.gap == 0
    assert finding(run(path, as_of=dt.date(2018, 12, 30)), REDLINE[0]).status == "not_due"
    late = finding(run(path, as_of=dt.date(2019, 1, 15)), REDLINE[0])
    assert late.status == "fail" and late.gap == -15


def test_unreported_task_is_missing_after_its_deadline_and_not_due_before(sheet, run):
    path = sheet([task_row(REDLINE[1], "completed", "2018-12-01")])
    assert finding(run(path), TRANSFER[0]).status == "missing"
    assert finding(run(path, as_of=dt.date(2018, 8, 1)), TRANSFER[0]).status == "not_due"


def test_completed_without_a_date_is_missing_the_date(sheet, run):
    f = finding(run(sheet([task_row(REDLINE[1], "completed")])), REDLINE[0])
    assert f.status == "missing" and "date" in f.message.en


def test_one_off_task_of_an_earlier_year_is_carried_forward_until_done(tmp_path, book):
    """Contract §5: never not_applicable because its year has passed."""
    from click.testing import CliRunner

    from checker.cli import main
    from checker.template import template_rows
    from conftest import write_csv

    (lr,) = [lr for lr in book.rulesets if lr.jurisdiction == "daxinganling"]
    task = next(
        r
        for r in lr.ruleset.rules
        if r.kind == "task"
        and r.deadline
        and not r.ongoing
        and r.deadline.month == 12
        and r.deadline.day == 31
        and r.deadline.year + 3 <= lr.period.end
    )
    y = task.deadline.year
    rows = [
        ("daxinganling", y, "task.status", "推进中", "", task.subject),
        ("daxinganling", y + 1, "task.status", "推进中", "", task.subject),
        ("daxinganling", y + 2, "water_supply.pipe_leakage_rate", "17"),  # the task left out
        ("daxinganling", y + 3, "task.status", "已完成", "", task.subject, f"{y + 3}-03-01"),
    ]
    write_csv(tmp_path / "s.csv", rows)

    def status(year):
        import json

        report = json.loads(CliRunner().invoke(main, ["check", str(tmp_path / "s.csv"), "--format", "json"]).stdout)
        sub = next(s for s in report["submissions"] if s["year"] == year)
        return next(f for f in sub["findings"] if f["rule_id"] == task.id)

    assert status(y)["status"] == "fail" and "overdue" in status(y)["message"]["en"]  # on its deadline
    assert status(y + 1)["status"] == "fail" and status(y + 1)["gap"] == -365  # still not done
    assert status(y + 2)["status"] == "missing" and "every year" in status(y + 2)["message"]["en"]  # not reported
    done = status(y + 3)
    assert done["status"] == "fail" and "completed late" in done["message"]["en"]  # 逾期完成, once
    assert any(r.subject == task.subject for r in template_rows(book, "daxinganling", y + 1))  # still asked for
    write_csv(tmp_path / "s.csv", [*rows, ("daxinganling", y + 4, "water_supply.pipe_leakage_rate", "17")])
    assert status(y + 4)["status"] == "pass" and f"{y + 3}" in status(y + 4)["message"]["en"]


def test_attestation_needs_evidence(sheet, run):
    rule = "jiamusi-2018.water-quality.drinking-water-stable"
    subject = "县级以上集中式饮用水水源水质保持稳定"
    with_note = ("jiamusi", 2018, "承诺事项", "是", "", subject, "", "水源地月报")
    assert finding(run(sheet([with_note])), rule).status == "pass"
    assert finding(run(sheet([with_note[:6]])), rule).status == "missing"
    assert finding(run(sheet([("jiamusi", 2018, "承诺事项", "否", "", subject)])), rule).status == "fail"
    assert finding(run(sheet([("jiamusi", 2018, "承诺事项", "也许", "", subject)])), rule).status == "error"
