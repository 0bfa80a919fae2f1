"""The findings store (--db), history, diff and --baseline, on SQLite and (in CI) PostgreSQL."""
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from checker.cli import main
from checker.store import SCHEMA_VERSION, TABLES_BY_VERSION, database_url, metadata, open_store
from conftest import ROOT, finding, write_csv

POSTGRES = os.environ.get("CHECKER_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not POSTGRES and os.environ.get("CHECKER_REQUIRE_POSTGRES") != "1", reason="no PostgreSQL server (CI starts one)"))]


@pytest.fixture(params=BACKENDS)
def db(request, tmp_path):
    """A fresh, empty store: a SQLite file, or the CI's PostgreSQL database emptied."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    assert POSTGRES, "CHECKER_REQUIRE_POSTGRES=1 but CHECKER_TEST_POSTGRES_URL is not set"
    engine = create_engine(database_url(POSTGRES))
    metadata.drop_all(engine)
    engine.dispose()
    return POSTGRES


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def count(db: str, table: str) -> int:
    store = open_store(db)
    with store.engine.connect() as conn:
        return conn.execute(text(f"select count(*) from {table}")).scalar()


def test_recording_twice_keeps_one_copy_and_history_shows_the_year(db):
    first = invoke("check", ROOT / "inputs", "--db", db, "--format", "json")
    observations = count(db, "observations")
    second = invoke("check", ROOT / "inputs", "--db", db, "--format", "json")
    assert first.exit_code == second.exit_code == 1
    assert first.stdout == second.stdout  # the store never changes a report
    assert observations > 100 and count(db, "observations") == observations
    assert count(db, "runs") == 1 and count(db, "run_observations") == observations
    shown = invoke("history", "jiamusi", "--db", db)
    assert shown.exit_code == 0
    assert "2018  jiamusi-2018.livestock.waste-facility-rate" in shown.output and "68.5" in shown.output
    html = invoke("history", "佳木斯市", "--db", db, "--format", "html", "--indicator", "livestock.waste_facility_rate").output
    assert "<svg" in html and "68.5" in html and "jiamusi-2018.water-use" not in html


def test_the_store_keeps_its_schema_version_and_migrates_forward(tmp_path):
    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:  # a store as schema version 1 left it, with one run in it
        for table in TABLES_BY_VERSION[1]:
            table.create(conn)
        conn.execute(text("insert into meta values ('schema_version', '1')"))
        conn.execute(text("insert into runs (run_key, checker_version, as_of, recorded_at) values ('k', '0.1.0', null, 'then')"))
    engine.dispose()
    store = open_store(str(path))
    with store.engine.connect() as conn:
        assert store.version(conn) == SCHEMA_VERSION == 2
        assert conn.execute(text("select count(*) from runs")).scalar() == 1
        assert conn.execute(text("select count(*) from submissions")).scalar() == 0


def test_a_newer_store_is_refused(tmp_path):
    path = tmp_path / "new.db"
    open_store(str(path))
    with sqlite3.connect(path) as conn:
        conn.execute("update meta set value = '99' where key = 'schema_version'")
    result = CliRunner().invoke(main, ["check", str(ROOT / "inputs" / "jiamusi"), "--db", str(path)])
    assert result.exit_code == 2 and "schema version 99" in result.output


def test_two_runs_at_once_never_corrupt_the_store(db, tmp_path):
    sheets = []
    for i in range(2):
        rows = [("jiamusi", 2018, "surface_water.section_class", "III", "", f"断面{i}-{n}") for n in range(300)]
        sheets.append(write_csv(tmp_path / f"s{i}" / "sections.csv", rows))
    runs = [subprocess.Popen([sys.executable, "-m", "checker.cli", "check", str(sheet), "--db", db, "--format", "json"],
                             cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for sheet in sheets]
    errors = [run.communicate(timeout=120)[1] for run in runs]
    assert [run.returncode for run in runs] == [1, 1], errors
    assert count(db, "runs") == 2 and count(db, "observations") == 600
    if db.endswith(".db"):
        with sqlite3.connect(db) as conn:
            assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
            assert conn.execute("pragma journal_mode").fetchone() == ("wal",)


def putuo_sheet(folder: Path, year: int, gdp_use: float, industry_use: float) -> Path:
    return write_csv(folder / f"putuo-{year}.csv", [
        ("shanghai-putuo", year, "water_use.per_gdp", str(gdp_use), "立方米/万元"),
        ("shanghai-putuo", year, "water_use.per_industrial_value_added", str(industry_use), "立方米/万元")])


def test_putuo_reduction_against_2015_from_the_store(db, tmp_path, book):
    from checker.pipeline import run_check
    baseline = putuo_sheet(tmp_path / "2015", 2015, 20, 30)
    later = putuo_sheet(tmp_path / "2020", 2020, 15.4, 24)  # −23 % and −20 %: exactly the targets
    rule = "shanghai-putuo-2016.water-use.per-gdp-reduction"
    alone = run_check([later], book)
    assert finding(alone, rule).status == "missing" and "2015" in finding(alone, rule).message.zh
    store = open_store(db)
    run_check([baseline], book, store=store)  # 2015 alone: recorded, though no plan covers the year
    report = run_check([later], book, store=store)
    f = finding(report, rule)
    assert (f.status, f.observed) == ("pass", 23.0)
    assert any("(store run 1)" in loc.file for loc in f.locations)  # the baseline says where it came from
    assert finding(report, "shanghai-putuo-2016.water-use.per-industrial-value-reduction").status == "pass"


def sewer_rows(years: dict[int, float]):
    return [("daxinganling", year, "sewer.new_pipe_length", str(km), "公里") for year, km in years.items()]


def test_daxinganling_204_km_summed_over_the_years(db, tmp_path, book):
    from checker.pipeline import run_check
    rule = "daxinganling-2016.sewer.cumulative-length"
    one_sheet = write_csv(tmp_path / "all.csv", sewer_rows({2016: 30, 2017: 40, 2018: 45, 2019: 44, 2020: 45}))
    f = finding(run_check([one_sheet], book), rule, year=2020)
    assert (f.status, f.observed, f.gap) == ("pass", 204.0, 0.0)
    assert "2016年 30" in f.message.zh and len(f.locations) == 5
    # Earlier years from the store, 2020 alone in this run: the same total.
    store = open_store(db)
    run_check([write_csv(tmp_path / "early.csv", sewer_rows({2016: 30, 2017: 40, 2018: 45, 2019: 44}))], book, store=store)
    f = finding(run_check([write_csv(tmp_path / "2020.csv", sewer_rows({2020: 44.9}))], book, store=store), rule, year=2020)
    assert (f.status, f.observed) == ("fail", 203.9)
    # A year nobody gave: missing, and the year named.
    f = finding(run_check([write_csv(tmp_path / "gap.csv", sewer_rows({2016: 30, 2017: 40, 2019: 44, 2020: 45}))], book), rule, year=2020)
    assert f.status == "missing" and "2018" in f.message.zh and "2018" in f.message.en


def test_stay_stable_reads_last_year(db, tmp_path, book):
    from checker.pipeline import run_check
    rule = "jiamusi-2018.water-quality.groundwater-stable"
    row = lambda year, value: ("jiamusi", year, "地下水质量考核点位极差比例", value, "%")  # noqa: E731
    store = open_store(db)
    run_check([write_csv(tmp_path / "2017.csv", [row(2017, "11.1")])], book, store=store)
    worse = finding(run_check([write_csv(tmp_path / "2018.csv", [row(2018, "12.5")])], book, store=store), rule)
    assert (worse.status, worse.target.value, worse.target.year, worse.gap) == ("fail", 11.1, 2017, -1.4)
    alone = finding(run_check([write_csv(tmp_path / "only.csv", [row(2018, "9")])], book), rule)
    assert alone.status == "missing" and "2017" in alone.message.zh


def test_diff_between_the_last_two_runs(db, tmp_path):
    first = tmp_path / "v1" / "2018.csv"
    first.parent.mkdir()
    original = (ROOT / "inputs" / "jiamusi" / "2018.csv").read_text(encoding="utf-8")
    first.write_text(original, encoding="utf-8")
    invoke("check", first.parent, "--db", db)
    second = tmp_path / "v2" / "2018.csv"
    second.parent.mkdir()
    changed = original.replace("livestock.waste_facility_rate,68.5%", "livestock.waste_facility_rate,72%") \
                      .replace("jiamusi,2018,water_use.total,46.95", "jiamusi,2018,water_use.total,47.5")
    second.write_text(changed, encoding="utf-8")
    invoke("check", second.parent, "--db", db)
    result = invoke("diff", "jiamusi", "--db", db, "--lang", "en")
    assert result.exit_code == 1  # something newly fails
    out = result.output
    assert "run 1 → run 2" in out
    assert "newly passing: 1" in out and "jiamusi-2018.livestock.waste-facility-rate: 68.5 [fail] → 72 [pass]" in out
    assert "newly failing: 1" in out and "jiamusi-2018.water-resources.total-use: 46.95 [pass] → 47.5 [fail]" in out


def test_baseline_reports_only_new_findings(tmp_path):
    base = tmp_path / "base.json"
    invoke("check", ROOT / "inputs", "--format", "json", "--output", base)
    same = invoke("check", ROOT / "inputs", "--baseline", base, "--format", "json")
    report = json.loads(same.stdout)
    assert same.exit_code == 0 and report["summary"]["fail"] == 0 and report["baseline"]["suppressed"] > 100
    folder = tmp_path / "all"
    import shutil
    shutil.copytree(ROOT / "inputs", folder)
    sheet = folder / "jiamusi" / "2018.csv"  # one target met in the baseline is now missed
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("部级水产健康示范场区数,23", "部级水产健康示范场区数,20"),
                     encoding="utf-8")
    result = invoke("check", folder, "--baseline", base, "--format", "json")
    report = json.loads(result.stdout)
    statuses = [(f["rule_id"], f["status"]) for s in report["submissions"] for f in s["findings"]]
    assert result.exit_code == 1
    assert ("jiamusi-2018.aquaculture.demo-farms", "fail") in statuses  # it passed in the baseline: new
    assert all(status != "fail" or rule == "jiamusi-2018.aquaculture.demo-farms" for rule, status in statuses)


def test_a_broken_baseline_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(ROOT / "inputs"), "--baseline", str(bad)])
    assert result.exit_code == 2 and "is not a findings JSON" in result.output
