"""A national batch, measured side by side (issue: performance).

    python benchmarks/run.py [--quick] [--submissions N] [--samples M] [--jobs J]

Generates, deterministically, N county sheets (about 100 indicator rows and 10 section
rows each) against N rulesets made from Jiamusi's, and M monitoring samples; then times,
in one run:

- `checker check` on the batch, end to end (reading, engine, JSON written), as a user
  runs it (a child process);
- a bare pandas floor: the same files read with pandas, each value compared with its
  threshold, nothing else;
- pandera validating the same thresholds, as a pandera user would for sheets arriving
  one by one: a schema per ruleset, each sheet read, pivoted wide and validated;
- the XLSX report of the quarter batch's findings, rendered once;
- GB 3838-2002 classification of the M samples by the checker, and a bare numpy floor
  doing the same comparisons (means per section and item, limits, worst item).

The checker and the pandas floor are timed in turns, five runs each, and each counts its
fastest (the quarter batch, for memory and linearity, the fastest of three); classification
and its numpy floor likewise in turns, the fastest of seven each; pandera once. It prints a table and, as its last
line, one JSON object. Needs `pip install -e '.[bench]'`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.batch import Batch, make_batch, make_samples, make_xlsx_batch  # noqa: E402
from checker.classify import classify_samples  # noqa: E402
from checker.models import Report  # noqa: E402
from checker.parallel import default_jobs  # noqa: E402
from checker.reports import render  # noqa: E402
from checker.rulesets import load_rulebook  # noqa: E402

WORK = ROOT / "benchmarks" / ".work"
CACHE = WORK / "cache"  # the checker's plan cache (CHECKER_CACHE_DIR): emptied for a first run, kept for a repeat
REPEATS = 5  # the checker and the pandas floor: the fastest of this many runs each


def timed(action):
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


# ---------------------------------------------------------------- the checker, as a user runs it

# A fresh parent per measured run: RUSAGE_CHILDREN keeps the maximum over every child a
# process ever waited for, so each run gets its own, which reports only that run's peak.
MEASURE = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "sys.stderr.write(done.stderr[-2000:])\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(done.returncode)\n"
)


def run_checker(batch: Batch, jobs: int, output: Path, warm: bool = False) -> tuple[float, float]:
    """Wall time and the peak resident memory (MB) of the largest process of the run: a first run
    (the plan cache emptied before it), or with `warm` a repeat of the run before it."""
    if not warm:
        shutil.rmtree(CACHE, ignore_errors=True)
    command = [
        sys.executable,
        "-m",
        "checker.cli",
        "check",
        str(batch.sheets),
        "--rulesets",
        str(batch.rulesets),
        "--format",
        "json",
        "--output",
        str(output),
        "--quiet",
        "--jobs",
        str(jobs),
    ]
    env = {**os.environ, "CHECKER_CACHE_DIR": str(CACHE)}
    seconds, done = timed(
        lambda: subprocess.run([sys.executable, "-c", MEASURE, *command], cwd=ROOT, env=env, capture_output=True, text=True)
    )
    if done.returncode not in (0, 1):
        raise SystemExit(f"checker failed ({done.returncode}): {done.stderr[-2000:]}")
    return seconds, int(done.stdout.split()[-1]) / 1024


# ---------------------------------------------------------------- the floors


def thresholds_frame(batch: Batch) -> pd.DataFrame:
    return pd.DataFrame([t.__dict__ for t in batch.thresholds])


def pandas_floor(batch: Batch, thresholds: pd.DataFrame) -> int:
    """Read each sheet, compare each value with its threshold: the least any tool must do."""
    by_county = {county: frame for county, frame in thresholds.groupby("county")}
    passed = 0
    for path in batch.files:
        sheet = pd.read_csv(path)
        rules = by_county[path.stem]
        merged = sheet.merge(rules, left_on="indicator", right_on="indicator")
        value = pd.to_numeric(merged["value"], errors="coerce").to_numpy()
        target = merged["target"].to_numpy()
        ok = np.where(merged["op"].to_numpy() == ">=", value >= target, value <= target)
        passed += int(ok.sum())
    return passed


def calamine_floor(batch: Batch) -> int:
    """The same for workbooks: each read with python-calamine, each value compared with its threshold."""
    from python_calamine import CalamineWorkbook

    rules: dict[str, dict[str, tuple[str, float]]] = {}
    for t in batch.thresholds:
        rules.setdefault(t.county, {})[t.indicator] = (t.op, t.target)
    passed = 0
    for path in batch.files:
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("指标").to_python()
        header = rows[0]
        at, value_at = header.index("指标"), header.index("数值")
        targets = rules[path.stem]
        for row in rows[1:]:
            rule = targets.get(row[at])
            value = row[value_at]
            if rule is not None and isinstance(value, float):
                passed += value >= rule[1] if rule[0] == ">=" else value <= rule[1]
    return passed


def pandera_run(batch: Batch, thresholds: pd.DataFrame) -> int:
    import pandera.pandas as pa

    schemas = {}
    for county, rules in thresholds.groupby("county"):
        columns = {
            row.indicator: pa.Column(
                float, pa.Check.ge(row.target) if row.op == ">=" else pa.Check.le(row.target), nullable=True, required=False
            )
            for row in rules.itertuples()
        }
        schemas[county] = pa.DataFrameSchema(columns)
    failures = 0
    for path in batch.files:
        sheet = pd.read_csv(path)
        numeric = sheet[sheet["subject"].isna()]
        wide = numeric.set_index("indicator")["value"].apply(pd.to_numeric, errors="coerce").to_frame().T
        try:
            schemas[path.stem].validate(wide, lazy=True)
        except pa.errors.SchemaErrors as errors:
            failures += len(errors.failure_cases)
    return failures


def numpy_floor(samples: pd.DataFrame, standard) -> np.ndarray:
    """The same comparisons with nothing around them: means by bincount, searchsorted, worst item."""
    subject, subjects = pd.factorize(samples["subject"])
    item, items = pd.factorize(samples["item"])
    n_items = len(items)
    key = subject * n_items + item
    counts = np.bincount(key, minlength=len(subjects) * n_items)
    sums = np.bincount(key, weights=samples["value"].to_numpy(), minlength=len(subjects) * n_items)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = (sums / counts).reshape(len(subjects), n_items)
    worst = np.zeros(len(subjects), dtype=np.int8)
    for j, code in enumerate(items):
        spec = standard.items[code]
        column = means[:, j]
        if spec.direction == "range":
            cls = np.where((column >= spec.low) & (column <= spec.high), 0, 5)
        elif spec.direction == "max":
            cls = np.searchsorted(np.asarray(spec.limits), column, side="left")
        else:
            cls = np.searchsorted(-np.asarray(spec.limits), -column, side="left")
        worst = np.maximum(worst, np.where(np.isnan(column), 0, cls))
    return worst


def duckdb_floor_query(path: Path, standard) -> str:
    """The same means and classes in one DuckDB query, nothing around it: non-detects at half the
    limit, monthly then annual means, DuckDB's own rounding, limits by CASE, the worst item."""
    fraction = standard.statistics.non_detect_fraction
    classed, cases = [], []
    for code, item in standard.items.items():
        if item.evaluated != "always":
            continue
        classed.append(f"'{code}'")
        if item.direction == "range":
            cases.append(f"WHEN item = '{code}' THEN CASE WHEN m BETWEEN {item.low} AND {item.high} THEN 0 ELSE 5 END")
        else:
            compare = "<=" if item.direction == "max" else ">="
            steps = " ".join(f"WHEN m {compare} {limit} THEN {i}" for i, limit in enumerate(item.limits))
            cases.append(f"WHEN item = '{code}' THEN CASE {steps} ELSE 5 END")
    decimals = " ".join(f"WHEN '{code}' THEN {item.decimals}" for code, item in standard.items.items() if item.decimals is not None)
    return f"""
        WITH parsed AS (
            SELECT subject, item, month(CAST(date AS DATE)) AS month,
                   coalesce(TRY_CAST(value AS DOUBLE), TRY_CAST(substr(value, 2) AS DOUBLE) * {fraction}) AS v
            FROM read_parquet('{path}') WHERE item IN ({", ".join(classed)})
        ), monthly AS (
            SELECT subject, item, avg(CASE WHEN item = 'monitoring.ph' THEN pow(10, -v) ELSE v END) AS x
            FROM parsed WHERE v IS NOT NULL GROUP BY subject, item, month
        ), annual AS (
            SELECT subject, item, avg(x) AS x FROM monthly GROUP BY subject, item
        ), rounded AS (
            SELECT subject, item, round(CASE WHEN item = 'monitoring.ph' THEN -log10(x) ELSE x END,
                                       CASE item {decimals} ELSE 9 END) AS m FROM annual
        )
        SELECT subject, max(CASE {" ".join(cases)} END) AS class_index FROM rounded GROUP BY subject ORDER BY subject
    """


FLOOR_SCRIPT = (
    "import sys, duckdb\n"
    "con = duckdb.connect(); con.execute(\"SET memory_limit = '1GB'\")\n"
    "con.execute(\"COPY (\" + open(sys.argv[1], encoding='utf-8').read() + \") TO '\" + sys.argv[2] + \"' (HEADER)\")\n"
)


def run_measured(command: list[str]) -> tuple[float, float]:
    """Wall time and peak resident memory (MB) of a child process."""
    env = {**os.environ, "CHECKER_CACHE_DIR": str(CACHE)}
    seconds, done = timed(
        lambda: subprocess.run([sys.executable, "-c", MEASURE, *command], cwd=ROOT, env=env, capture_output=True, text=True)
    )
    if done.returncode != 0:
        raise SystemExit(f"{command[:4]} failed ({done.returncode}): {done.stderr[-2000:]}")
    return seconds, int(done.stdout.split()[-1]) / 1024


def monitoring_runs(book, stations: int, repeats: int) -> dict:
    """A year of automatic stations (2,190 readings of 9 items each) classed by `checker classify`
    and by the DuckDB floor, in turns; both must reach the same classes."""
    from benchmarks.batch import make_readings

    readings = WORK / "readings.parquet"
    generate_s, values = timed(lambda: make_readings(readings, stations, 2190))
    print(f"generated {values} station values in {generate_s:.1f} s", file=sys.stderr)
    query = WORK / "floor.sql"
    query.write_text(duckdb_floor_query(readings, book.surface_water), encoding="utf-8")
    checker_out, floor_out = WORK / "classes.csv", WORK / "floor-classes.csv"
    classify = [
        sys.executable,
        "-m",
        "checker.cli",
        "classify",
        str(readings),
        "--rulesets",
        str(ROOT / "rulesets"),
        "-o",
        str(checker_out),
    ]
    floor = [sys.executable, "-c", FLOOR_SCRIPT, str(query), str(floor_out)]
    runs, floors = [], []
    for _ in range(repeats):
        runs.append(run_measured(classify))
        floors.append(run_measured(floor))
    ours = pd.read_csv(checker_out).set_index("subject")
    theirs = pd.read_csv(floor_out).set_index("subject")
    classes = [str(c) for c in book.surface_water.classes]
    agree = float((ours["class"].map(classes.index) == theirs.loc[ours.index, "class_index"]).mean())
    seconds, floor_s = min(s for s, _ in runs), min(s for s, _ in floors)
    return {
        "monitoring_values": values,
        "monitoring_s": round(seconds, 2),
        "duckdb_floor_s": round(floor_s, 2),
        "monitoring_ratio_vs_floor": round(seconds / floor_s, 2),
        "monitoring_peak_mb": round(max(mb for _, mb in runs), 1),
        "duckdb_floor_peak_mb": round(max(mb for _, mb in floors), 1),
        "monitoring_classes_agree": round(agree, 4),
    }


# ---------------------------------------------------------------- the run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smaller batch, within two minutes")
    parser.add_argument("--submissions", type=int)
    parser.add_argument("--samples", type=int)
    parser.add_argument("--stations", type=int, help="automatic stations of the monitoring year (default 1,900; 100 with --quick)")
    parser.add_argument("--jobs", type=int, default=0, help="checker processes (0: its default)")
    args = parser.parse_args()
    n = args.submissions or (400 if args.quick else 2800)
    m = args.samples or (200_000 if args.quick else 1_000_000)
    WORK.mkdir(parents=True, exist_ok=True)

    generate_s, batch = timed(lambda: make_batch(WORK / "batch", n))
    quarter = make_batch(WORK / "quarter", max(n // 4, 1))
    thresholds = thresholds_frame(batch)
    print(f"generated {n} sheets, {batch.rows} rows, {len(thresholds)} numeric targets in {generate_s:.1f} s", file=sys.stderr)

    # Both batches with the processes the full one gets by default, so that time and memory are
    # compared on the same path (below 200 files the checker would run in one process).
    jobs = args.jobs or default_jobs(n)
    # The checker and the floor the ratio is taken of, each the fastest of REPEATS runs: this
    # machine's speed drifts by a fifth and more from minute to minute (best of three, the
    # checker's runs first and the floor's after, gave ratios from 2.1 to 3.2 on the same code).
    # Peak memory is the highest of the runs.
    # Taken in turns, checker then floor, so that both see the same moments of the machine.
    # Each first run (the plan cache emptied) is followed by its repeat (the cache as it left it).
    repeats = 3 if args.quick else REPEATS
    runs, warm_runs, floors = [], [], []
    for _ in range(repeats):
        runs.append(run_checker(batch, jobs, WORK / "findings.json"))
        warm_runs.append(run_checker(batch, jobs, WORK / "findings-warm.json", warm=True))
        floors.append(timed(lambda: pandas_floor(batch, thresholds))[0])
    checker_s, peak_mb = min(s for s, _ in runs), max(mb for _, mb in runs)
    warm_s = min(s for s, _ in warm_runs)
    floor_s = min(floors)
    same_with_cache = (WORK / "findings.json").read_bytes() == (WORK / "findings-warm.json").read_bytes()
    # The same counties as workbooks, against python-calamine reading them: first runs, in turns.
    xlsx_batch = make_xlsx_batch(batch, WORK / "xlsx")
    xlsx_runs, xlsx_floors = [], []
    for _ in range(repeats):
        xlsx_runs.append(run_checker(xlsx_batch, jobs, WORK / "findings-xlsx.json")[0])
        xlsx_floors.append(timed(lambda: calamine_floor(xlsx_batch))[0])
    xlsx_checker_s, calamine_s = min(xlsx_runs), min(xlsx_floors)
    runs = [run_checker(quarter, jobs, WORK / "findings-quarter.json") for _ in range(3)]
    quarter_s, quarter_peak_mb = min(s for s, _ in runs), max(mb for _, mb in runs)
    pandera_s, _ = timed(lambda: pandera_run(batch, thresholds))  # once: it is the slowest by far
    # The workbook of the quarter batch's findings (the full batch's would not fit in this process's memory).
    quarter_report = Report.model_validate_json((WORK / "findings-quarter.json").read_bytes())
    xlsx_s, xlsx = timed(lambda: render(quarter_report, "xlsx"))

    book = load_rulebook(ROOT / "rulesets")
    samples = make_samples(m)
    # In turns too, the fastest of seven each: at 200,000 samples both take tens of milliseconds.
    classify_runs, floor_runs = [], []
    for _ in range(7):
        classify_runs.append(timed(lambda: classify_samples(samples, set(), book.surface_water)))
        floor_runs.append(timed(lambda: numpy_floor(samples, book.surface_water)))
    classify_s, classes = min(classify_runs, key=lambda run: run[0])
    numpy_s, floor_classes = min(floor_runs, key=lambda run: run[0])
    # Both must reach the same classes, or the comparison means nothing.
    subjects = pd.factorize(samples["subject"])[1]
    agree = bool((classes.loc[list(subjects), "class_index"].to_numpy() == floor_classes).all())

    monitoring = monitoring_runs(book, args.stations or (100 if args.quick else 1900), repeats)

    result = {
        "submissions": n,
        "rows": batch.rows,
        "jobs": jobs,
        "checker_s": round(checker_s, 2),
        "pandas_floor_s": round(floor_s, 2),
        "pandera_s": round(pandera_s, 2),
        "ratio_vs_floor": round(checker_s / floor_s, 2),
        "ratio_vs_pandera": round(checker_s / pandera_s, 2),
        "repeat_checker_s": round(warm_s, 2),
        "repeat_speedup": round(checker_s / warm_s, 2),
        "repeat_ratio_vs_floor": round(warm_s / floor_s, 2),
        "same_findings_with_cache": same_with_cache,
        "xlsx_checker_s": round(xlsx_checker_s, 2),
        "calamine_floor_s": round(calamine_s, 2),
        "xlsx_ratio_vs_floor": round(xlsx_checker_s / calamine_s, 2),
        "classify_samples": m,
        "classify_s": round(classify_s, 3),
        "numpy_floor_s": round(numpy_s, 3),
        "classify_ratio_vs_floor": round(classify_s / numpy_s, 2),
        "classes_agree": agree,
        "peak_rss_mb": round(peak_mb, 1),
        "quarter_submissions": max(n // 4, 1),
        "quarter_checker_s": round(quarter_s, 2),
        "quarter_peak_rss_mb": round(quarter_peak_mb, 1),
        "quarter_xlsx_s": round(xlsx_s, 2),
        **monitoring,
    }
    rows = [
        ("checker check (end to end)", f"{checker_s:.2f} s", f"{n} sheets, {batch.rows} rows, peak {peak_mb:.0f} MB"),
        ("  same, a quarter of the batch", f"{quarter_s:.2f} s", f"{max(n // 4, 1)} sheets, peak {quarter_peak_mb:.0f} MB"),
        (
            "  its XLSX report rendered",
            f"{xlsx_s:.2f} s",
            f"{sum(len(s.findings) for s in quarter_report.submissions)} findings, {len(xlsx) / 2**20:.1f} MB",
        ),
        (
            "  same, repeated (plan cache warm)",
            f"{warm_s:.2f} s",
            f"first / repeat = {checker_s / warm_s:.2f}; same findings: {same_with_cache}",
        ),
        ("pandas floor", f"{floor_s:.2f} s", f"checker / floor = {checker_s / floor_s:.2f}"),
        ("checker check, the batch as .xlsx", f"{xlsx_checker_s:.2f} s", f"{n} workbooks"),
        ("python-calamine floor", f"{calamine_s:.2f} s", f"checker / floor = {xlsx_checker_s / calamine_s:.2f}"),
        ("pandera, schema per ruleset", f"{pandera_s:.2f} s", f"checker / pandera = {checker_s / pandera_s:.2f}"),
        ("GB 3838 classification", f"{classify_s:.3f} s", f"{m} samples"),
        ("numpy floor", f"{numpy_s:.3f} s", f"classify / floor = {classify_s / numpy_s:.2f}; same classes: {agree}"),
        (
            "checker classify, a year of stations",
            f"{monitoring['monitoring_s']:.2f} s",
            f"{monitoring['monitoring_values']} values, peak {monitoring['monitoring_peak_mb']:.0f} MB",
        ),
        (
            "DuckDB floor",
            f"{monitoring['duckdb_floor_s']:.2f} s",
            f"classify / floor = {monitoring['monitoring_ratio_vs_floor']:.2f}; same classes: {monitoring['monitoring_classes_agree']:.2%}",
        ),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'what':<{width}}  {'time':>10}  notes")
    for name, seconds, notes in rows:
        print(f"{name:<{width}}  {seconds:>10}  {notes}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
