"""Yongchuan's 63 annex tasks (issue 3's acceptance), and 长期坚持 duties."""

from conftest import finding

TASKS = range(1, 64)


def rows(status="completed", date="2020-08-31", year=2020, skip=()):
    return [("chongqing-yongchuan", year, "task.status", status, "", str(n), date) for n in TASKS if n not in skip]


def test_all_63_completed_on_2020_08_31_pass_with_their_numbers(sheet, run):
    report = run(sheet(rows()))
    [sub] = report.submissions
    # the annex rows; the body's 整改报告 (due 12月10日) is a task.status rule of its own
    tasks = [f for f in sub.findings if f.indicator == "task.status" and f.subject != "整改报告"]
    assert len(tasks) == 63
    assert {f.status for f in tasks} == {"pass"}
    assert sorted(int(f.subject) for f in tasks) == list(TASKS)


def test_late_overdue_and_not_due(sheet, run):
    data = rows(skip=(8, 12, 2)) + [
        ("chongqing-yongchuan", 2020, "task.status", "completed", "", "8", "2020-10-12"),  # due 2020-09-30
        ("chongqing-yongchuan", 2020, "task.status", "推进中", "", "12", ""),  # due 2020-09-30
        ("chongqing-yongchuan", 2020, "task.status", "推进中", "", "2", ""),  # due 2021-12-31
    ]
    report = run(sheet(data))
    late = finding(report, "chongqing-yongchuan-2020.task-08")
    assert (late.status, late.gap, late.subject) == ("fail", -12, "8") and "12" in late.message.zh
    overdue = finding(report, "chongqing-yongchuan-2020.task-12")
    assert overdue.status == "fail" and "overdue" in overdue.message.en
    assert finding(report, "chongqing-yongchuan-2020.task-02").status == "not_due"


def test_units_exactly_as_the_table_gives_them(sheet, run):
    report = run(sheet(rows()))
    one = finding(report, "chongqing-yongchuan-2020.task-01")
    assert (one.lead_units, one.responsible_units, one.cooperating_units) == (["区农业农村委"], ["各镇街"], [])
    two = finding(report, "chongqing-yongchuan-2020.task-02")
    assert (two.lead_units, two.responsible_units, two.cooperating_units) == ([], ["卫星湖街道"], ["区农业农村委"])


def test_ongoing_tasks_need_a_status_every_later_year(sheet, run):
    report = run(sheet([("chongqing-yongchuan", 2021, "task.status", "completed", "", "1", "2020-12-20")]))
    assert finding(report, "chongqing-yongchuan-2020.task-01").status == "pass"
    # Task 47 (2020年9月底完成,并长期坚持) unreported in 2021 is missing; so is task 3 (one-off, 2020):
    # no completion was reported, so it is carried forward (contract §5).
    assert finding(report, "chongqing-yongchuan-2020.task-47").status == "missing"
    carried = finding(report, "chongqing-yongchuan-2020.task-03")
    assert carried.status == "missing" and "every year" in carried.message.en


def test_standing_duty_without_deadline(sheet, run):
    report = run(
        sheet(
            [
                ("chongqing-yongchuan", 2020, "task.status", "推进中", "", "4"),
                ("chongqing-yongchuan", 2020, "task.status", "未启动", "", "6"),
            ]
        )
    )
    assert finding(report, "chongqing-yongchuan-2020.task-04").status == "pass"
    assert finding(report, "chongqing-yongchuan-2020.task-06").status == "fail"
    assert finding(report, "chongqing-yongchuan-2020.task-09").status == "missing"
