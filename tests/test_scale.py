"""Scale without a crash (durable_rules segfaults at ~50,000 facts in one state): not a timed test."""

import pytest

from conftest import finding, write_csv

pytestmark = pytest.mark.slow  # the default run leaves these out; CI runs them (`pytest -m slow`)


def test_fifty_thousand_section_rows(tmp_path, run):
    rows = [
        ("jiamusi", 2018, "surface_water.section_class", ("II", "III", "IV", "V", "III")[i % 5], "", f"断面{i:05d}") for i in range(50_000)
    ]
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


def test_a_million_samples_are_classified_without_the_engine_seeing_them(tmp_path, run, monkeypatch):
    """2,000 sections × 5 items × 100 samples. Not timed: benchmarks/ measures the time."""
    import csv
    import datetime as dt

    from checker.engine import Engine

    facts_seen = []
    original = Engine.evaluate
    monkeypatch.setattr(Engine, "evaluate", lambda self, rid, facts: facts_seen.append(len(facts)) or original(self, rid, facts))
    base = {"monitoring.ph": 7.2, "monitoring.do": 6.4, "monitoring.codmn": 3.5, "monitoring.tp": 0.08}
    days = [(dt.date(2018, 1, 1) + dt.timedelta(days=3 * n)).isoformat() for n in range(100)]
    path = tmp_path / "samples.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["jurisdiction", "year", "indicator", "value", "unit", "subject", "date", "note"])
        for section in range(2000):
            nh3n = 0.42 if section < 1200 else 1.2  # 1,200 sections at II, 800 at IV
            for n, day in enumerate(days):
                wobble = (n % 5 - 2) * 0.01  # averages out over each section's samples
                for code, value in base.items():
                    writer.writerow(["jiamusi", 2018, code, f"{value + wobble:.3f}", "", f"断面{section:04d}", day, ""])
                writer.writerow(["jiamusi", 2018, "monitoring.nh3n", f"{nh3n + wobble:.3f}", "", f"断面{section:04d}", day, ""])
    report = run(path)
    sub = report.submissions[0]
    classes = [d.value for d in sub.derived if d.indicator == "surface_water.section_class"]
    assert len(classes) == 2000 and classes.count("II") == 1200 and classes.count("IV") == 800
    f = finding(report, "jiamusi-2018.water-quality.good-section-share")
    assert (f.status, f.observed) == ("pass", 60.0)
    assert sum(facts_seen) < 100  # one fact per rule, never one per sample
