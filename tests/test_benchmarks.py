"""The benchmark's generated batch is a valid one, and its numpy floor reaches the checker's classes."""

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT))
from benchmarks.batch import make_batch, make_samples, make_xlsx_batch  # noqa: E402
from benchmarks.run import calamine_floor, numpy_floor, pandas_floor, thresholds_frame  # noqa: E402


def test_generated_batch_checks_without_errors(tmp_path):
    from checker.pipeline import run_check
    from checker.rulesets import load_rulebook

    batch = make_batch(tmp_path, 3)
    book = load_rulebook(batch.rulesets)
    report = run_check([batch.sheets], book)
    assert report.summary["submissions"] == 3 and report.summary["error"] == 0
    assert {s.jurisdiction for s in report.submissions} == {"county-0000", "county-0001", "county-0002"}
    # The floor compares the same numbers the checker judges: the same passes, rule for rule.
    checked = sum(
        f.status == "pass"
        for s in report.submissions
        for f in s.findings
        if f.indicator in set(thresholds_frame(batch)["indicator"]) and f.indicator != "surface_water.good_section_share"
    )
    assert pandas_floor(batch, thresholds_frame(batch)) == checked


def test_numpy_floor_agrees_with_the_classifier(book):
    from checker.classify import classify_samples

    samples = make_samples(20_000)
    classes = classify_samples(samples, set(), book.surface_water)
    import pandas as pd

    subjects = pd.factorize(samples["subject"])[1]
    assert (classes.loc[list(subjects), "class_index"].to_numpy() == numpy_floor(samples, book.surface_water)).all()


def test_the_workbook_batch_is_the_same_batch(tmp_path):
    """The .xlsx batch gives the checker the same findings, and its calamine floor the same passes."""
    from checker.pipeline import run_check
    from checker.rulesets import load_rulebook

    batch = make_batch(tmp_path, 3)
    workbooks = make_xlsx_batch(batch, tmp_path / "xlsx")
    book = load_rulebook(batch.rulesets)

    def judged(folder):
        report = run_check([folder], book)
        return [(s.jurisdiction, f.rule_id, f.status) for s in report.submissions for f in s.findings]

    assert judged(workbooks.sheets) == judged(batch.sheets)
    assert calamine_floor(workbooks) == pandas_floor(batch, thresholds_frame(batch))
