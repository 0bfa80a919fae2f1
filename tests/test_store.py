"""The findings store (--db), history, diff and --baseline, on SQLite and (in CI) PostgreSQL."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import create_engine, text

from checker.cli import main
from checker.store import open_store
from checker.store_schema import SCHEMA_VERSION, TABLES_BY_VERSION, metadata
from checker.store_urls import database_url
from conftest import ROOT, finding, write_csv

POSTGRES = os.environ.get("CHECKER_TEST_POSTGRES_URL")
BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(
            not POSTGRES and os.environ.get("CHECKER_REQUIRE_POSTGRES") != "1", reason="no PostgreSQL server (CI starts one)"
        ),
    ),
]


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
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "checker.cli", "check", str(sheet), "--db", db, "--format", "json"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for sheet in sheets
    ]
    errors = [run.communicate(timeout=120)[1] for run in runs]
    assert [run.returncode for run in runs] == [1, 1], errors
    assert count(db, "runs") == 2 and count(db, "observations") == 600
    if db.endswith(".db"):
        with sqlite3.connect(db) as conn:
            assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
            assert conn.execute("pragma journal_mode").fetchone() == ("wal",)


def putuo_sheet(folder: Path, year: int, gdp_use: float, industry_use: float) -> Path:
    return write_csv(
        folder / f"putuo-{year}.csv",
        [
            ("shanghai-putuo", year, "water_use.per_gdp", str(gdp_use), "立方米/万元"),
            ("shanghai-putuo", year, "water_use.per_industrial_value_added", str(industry_use), "立方米/万元"),
        ],
    )


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
    return [("daxinganling", year, "drainage.new_pipe_length", str(km), "公里") for year, km in years.items()]


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
    f = finding(run_check([write_csv(tmp_path / "2020.csv", sewer_rows({2020: 44.4}))], book, store=store), rule, year=2020)
    assert (f.status, f.observed) == ("fail", 203.4)  # 203 at the target's whole km
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
    changed = original.replace("livestock.waste_facility_rate,68.5%", "livestock.waste_facility_rate,72%").replace(
        "jiamusi,2018,water_use.total,46.95", "jiamusi,2018,water_use.total,47.5"
    )
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
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("部级水产健康示范场区数,23", "部级水产健康示范场区数,20"), encoding="utf-8")
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


# ---------------------------------------------------------------- reliability (issue 20)


def test_one_set_of_inputs_is_one_run_however_its_path_is_spelled(db, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert invoke("check", "inputs/", "--db", db).exit_code == 1
    observations = count(db, "observations")
    assert invoke("check", ROOT / "inputs", "--db", db).exit_code == 1
    monkeypatch.chdir(ROOT / "inputs")
    third = invoke("check", ".", "--db", db)
    assert third.exit_code == 1 and "already recorded as run 1" in third.stderr
    assert count(db, "runs") == 1 and count(db, "observations") == observations > 100


def test_a_store_failing_at_the_end_keeps_the_reports(tmp_path, monkeypatch):
    from checker.store import Store

    db = tmp_path / "store.db"
    original = Store.record

    def record_after_the_store_broke(self, *args):
        with sqlite3.connect(db) as conn:  # a real fault of the database, between open and record
            conn.execute("drop table runs")
        return original(self, *args)

    monkeypatch.setattr(Store, "record", record_after_the_store_broke)
    result = invoke("check", ROOT / "inputs" / "jiamusi", "--db", db, "--output", f"{tmp_path / 'out'}/")
    assert result.exit_code == 2
    assert json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))["submissions"]
    assert "未记录" in result.stderr and "the run was not recorded" in result.stderr and "no such table" in result.stderr
    assert "internal error" not in result.stderr and result.stderr.index("reports written") < result.stderr.index("not recorded")


def foreign_sqlite(path: Path) -> Path:
    with sqlite3.connect(path) as conn:  # another application's database, with a table named like ours
        conn.execute("create table runs (id integer primary key, athlete text, km real)")
        conn.execute("insert into runs (athlete, km) values ('li', 10.5)")
    conn.close()
    return path


@pytest.mark.parametrize(
    "make",
    [
        foreign_sqlite,
        lambda p: (p.write_text("not a database\n", encoding="utf-8"), p)[1],
        lambda p: (p.write_bytes(b"SQLite format 3\x00" + bytes(84)), p)[1],
    ],
    ids=["another-app", "text", "damaged"],
)
@pytest.mark.parametrize(
    "command",
    [["check", ROOT / "inputs" / "jiamusi"], ["history", "jiamusi"], ["diff", "jiamusi"], ["diff", "jiamusi", "--runs", "1", "2"]],
    ids=["check", "history", "diff", "diff-runs"],
)
def test_a_sqlite_file_that_is_not_a_store_is_refused_untouched(tmp_path, make, command):
    path = make(tmp_path / "other.db")
    before = path.read_bytes()
    result = invoke(*command, "--db", path)
    assert result.exit_code == 2, result.output
    assert "不是本工具的结果库" in result.stderr and "is not a checker store" in result.stderr
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


@pytest.mark.parametrize("command", [["history", "jiamusi"], ["diff", "jiamusi"]])
def test_reading_a_store_that_does_not_exist_creates_none(tmp_path, command):
    result = invoke(*command, "--db", tmp_path / "typo.db")
    assert result.exit_code == 2 and "no such store" in result.stderr and "结果库不存在" in result.stderr
    assert not list(tmp_path.iterdir())


def test_a_diff_of_runs_that_do_not_exist_names_them(db):
    invoke("check", ROOT / "inputs" / "jiamusi", "--db", db)
    for runs, missing in [(("999", "1000"), "999"), (("1", "1000"), "1000")]:
        result = invoke("diff", "jiamusi", "--db", db, "--runs", *runs)
        assert result.exit_code == 2 and f"no run {missing}" in result.stderr and f"中没有运行 {missing}" in result.stderr
    result = invoke("diff", "daxinganling", "--db", db, "--runs", "1", "1")
    assert result.exit_code == 2 and "run 1 did not check daxinganling" in result.stderr


def test_the_password_of_a_store_url_is_never_shown(tmp_path):
    url = "postgresql://postgres:S3cretPassw0rd@127.0.0.1:1/checker"  # nothing listens on port 1
    for command in (["check", ROOT / "inputs" / "jiamusi"], ["history", "jiamusi"], ["diff", "jiamusi"]):
        result = invoke(*command, "--db", url)
        assert result.exit_code == 2 and "S3cretPassw0rd" not in result.output
        assert "postgresql://postgres:***@127.0.0.1:1/checker" in result.stderr


@pytest.mark.skipif(not POSTGRES, reason="no PostgreSQL server (CI starts one)")
def test_the_password_is_masked_when_recording(db):
    from sqlalchemy.engine import make_url

    if db != POSTGRES:
        pytest.skip("a password is a server's")
    url = make_url(POSTGRES).set(password="S3cretPassw0rd").render_as_string(hide_password=False)  # trust ignores it
    result = invoke("check", ROOT / "inputs" / "jiamusi", "--db", url)
    assert "recorded as run 1 in postgresql://postgres:***@" in result.stderr and "S3cretPassw0rd" not in result.output


def test_history_where_no_store_was_made_creates_none(db, tmp_path):
    result = invoke("history", "jiamusi", "--db", db)
    assert result.exit_code == 2 and "(only check --db creates one)" in result.stderr
    if db == POSTGRES:
        from sqlalchemy import inspect

        engine = create_engine(database_url(POSTGRES))
        assert not set(inspect(engine).get_table_names()) & set(metadata.tables)
        engine.dispose()
    else:
        assert not list(tmp_path.iterdir())


def test_a_store_in_a_folder_that_does_not_exist_is_said_at_once(tmp_path):
    result = invoke("check", ROOT / "inputs" / "jiamusi", "--db", tmp_path / "no" / "such" / "store.db")
    assert result.exit_code == 2 and "there is no folder" in result.stderr and not list(tmp_path.iterdir())


@given(st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="*"), min_size=1, max_size=40))
def test_no_password_survives_redaction(password):
    from sqlalchemy.engine import URL

    from checker.store_urls import redact, shown

    url = URL.create("postgresql", "postgres", password, "db.example", 5432, "checker").render_as_string(hide_password=False)
    message = f"connection to {url} failed ({database_url(url)}); password={password!s}"
    masked = redact(message, url)
    assert shown(url) == "postgresql://postgres:***@db.example:5432/checker" and shown(url) in masked
    assert password not in masked or password in shown(url)
