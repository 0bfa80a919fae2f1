"""Scale without a crash (durable_rules segfaults at ~50,000 facts in one state): not a timed test."""
from conftest import finding, write_csv


def test_fifty_thousand_section_rows(tmp_path, run):
    rows = [("jiamusi", 2018, "surface_water.section_class", ("II", "III", "IV", "V", "III")[i % 5], "", f"断面{i:05d}")
            for i in range(50_000)]
    report = run(write_csv(tmp_path / "big.csv", rows))
    f = finding(report, "jiamusi-2018.water-quality.good-section-share")
    assert (f.status, f.observed) == ("pass", 60.0)
    assert report.submissions[0].derived[0].from_.startswith("30000 of 50000 sections at I-III; below III: ")
    assert report.submissions[0].derived[0].from_.endswith(" …(+19980)")  # 20 named, the rest counted


def test_many_submissions_in_one_run(tmp_path, run):
    rows = [("daxinganling", 2016 + i % 15, "管网漏损率", str(10 + i % 20)) for i in range(15)]
    rows += [("jiamusi", 2018, "用水总量", "40")]
    report = run(write_csv(tmp_path / "multi.csv", rows))
    assert len(report.submissions) == 16
