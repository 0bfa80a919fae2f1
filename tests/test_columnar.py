"""A year of station readings through DuckDB gives the in-memory path's means and classes."""

import csv
import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from conftest import ROOT

duckdb = pytest.importorskip("duckdb")

from checker.classify import classify_means, section_classes  # noqa: E402
from checker.cli import main  # noqa: E402
from checker.columnar import classify_readings, period_means_of  # noqa: E402
from checker.monitoring import period_means  # noqa: E402

ITEMS = {  # centre, spread, detection limit of the non-detects (None: never one)
    "monitoring.ph": (7.5, 1.8, None),
    "monitoring.do": (5.5, 3.0, None),
    "monitoring.codmn": (5.0, 4.0, None),
    "monitoring.nh3n": (0.6, 0.6, 0.025),
    "monitoring.tp": (0.15, 0.15, 0.05),
    "monitoring.tn": (1.2, 1.0, None),
    "monitoring.water_temp": (15.0, 8.0, None),
}


def _readings(seed: int, sections: int = 40):
    """(subject, item, text, date) rows: months sampled very unevenly (so the mean of monthly means
    differs from the mean of samples), non-detects, values close to the class limits."""
    rng = np.random.default_rng(seed)
    rows = []
    for s in range(sections):
        for code, (centre, spread, limit) in ITEMS.items():
            for month in rng.choice(np.arange(1, 13), size=rng.integers(1, 12), replace=False):
                count = int(rng.choice([1, 2, 3, 30]))
                level = centre + spread * rng.uniform(-1, 1)
                for k in range(count):
                    day = dt.date(2024, int(month), 1 + k % 28)
                    if limit is not None and rng.random() < 0.2:
                        text = f"<{limit}"
                    else:
                        text = repr(round(abs(level + spread * 0.2 * rng.normal()), 3))
                    rows.append((f"断面{s:03d}", code, text, day))
    return rows


def _in_memory(rows, standard, lakes):
    """The frame checker.monitoring.sample_set builds, through the in-memory path."""
    fraction = standard.statistics.non_detect_fraction
    records = []
    for subject, code, text, day in rows:
        limit = float(text[1:]) if text.startswith("<") else math.nan
        value = limit * fraction if text.startswith("<") else float(text)
        records.append((subject, code, value, day.month, limit, False))
    frame = pd.DataFrame(records, columns=["subject", "item", "value", "month", "limit", "timed"])
    means = period_means(frame, standard)
    return means, section_classes(classify_means(means, lakes, standard), standard)


def _write(rows, path):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["subject", "item", "value", "date"])
        writer.writerows((s, i, v, d.isoformat()) for s, i, v, d in rows)
    return path


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_columnar_path_gives_the_in_memory_classes(book, tmp_path, seed, suffix):
    rows = _readings(seed)
    path = _write(rows, tmp_path / "readings.csv")
    if suffix == ".parquet":
        con = duckdb.connect()
        con.execute(f"COPY (SELECT * FROM read_csv('{path}', header = true, all_varchar = true)) TO '{tmp_path / 'r.parquet'}'")
        con.close()
        path = tmp_path / "r.parquet"
    lakes = {f"断面{s:03d}" for s in range(0, 40, 3)}
    means, expected = _in_memory(rows, book.surface_water, lakes)
    columnar = period_means_of(path, book.surface_water)
    merged = means.merge(columnar, on=["subject", "item"], suffixes=("", "_columnar"))
    assert len(merged) == len(means) == len(columnar)
    differ = merged[merged["mean"] != merged["mean_columnar"]]
    assert differ.empty, differ.to_string()
    assert (merged["non_detects"] == merged["non_detects_columnar"]).all()
    got = classify_readings(path, book.surface_water, lakes)
    pd.testing.assert_frame_equal(got.sort_index(), expected.sort_index(), check_dtype=False)
    assert expected["class"].nunique() >= 3  # the data reaches several classes, not one


def test_classify_command(tmp_path):
    rows = [("断面A", "monitoring.codmn", "3.5", dt.date(2024, 1, 5)), ("断面A", "monitoring.codmn", "<0.5", dt.date(2024, 2, 5))]
    rows += [("断面A", "monitoring.codmn", "9.0", dt.date(2023, 2, 5)), ("断面A", "monitoring.codmn", "--", dt.date(2024, 3, 5))]
    path = _write(rows, tmp_path / "r.csv")
    result = CliRunner().invoke(main, ["classify", str(path), "--year", "2024", "--rulesets", str(ROOT / "rulesets")])
    assert result.exit_code == 0, result.output
    # (3.5 + 0.25) / 2 = 1.875 -> 1.9 (one decimal): Class I; 2023's 9.0 and the '--' are left out.
    assert result.stdout.splitlines() == ["subject,class,deciding_item,deciding_mean", "断面A,I,monitoring.codmn,1.9"]


def test_classify_says_what_is_wrong_with_a_file(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("station,reading\n1,2\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["classify", str(path), "--rulesets", str(ROOT / "rulesets")])
    assert result.exit_code == 2
    assert "cannot be read" in result.output and str(path) in result.output
