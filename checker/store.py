"""The findings store: every run's inputs, rulesets, observations and findings, by year.

SQLite by default (a file path: no server, WAL so that two runs at once never corrupt
it); any SQLAlchemy URL works the same (`postgresql+psycopg://…`). SQLAlchemy Core, no
ORM: the tables are the record. A run is identified by what went into it (checker
version, as-of date, input and ruleset hashes), so recording the same inputs twice
changes nothing; observations are keyed by their content, so one observation is kept
once however many runs saw it. The schema carries its version and is migrated forward
on open.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import (Column, Float, ForeignKey, Integer, MetaData, String, Table, Text, create_engine, event,
                        select)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from checker.models import Location, Observation, Report
from checker.observations import SubmissionInput, subject_key

SCHEMA_VERSION = 2
metadata = MetaData()

meta = Table("meta", metadata, Column("key", String(64), primary_key=True), Column("value", Text, nullable=False))
runs = Table(
    "runs", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_key", String(64), nullable=False, unique=True),
    Column("checker_version", String(32), nullable=False),
    Column("as_of", String(10)),
    Column("recorded_at", String(32), nullable=False),  # the store's own bookkeeping; never in a report
)
run_inputs = Table(
    "run_inputs", metadata,
    Column("run_id", Integer, ForeignKey("runs.id"), primary_key=True),
    Column("file", Text, primary_key=True),
    Column("sha256", String(64), nullable=False),
    Column("read", Integer, nullable=False),
)
run_rulesets = Table(
    "run_rulesets", metadata,
    Column("run_id", Integer, ForeignKey("runs.id"), primary_key=True),
    Column("ruleset_id", String(128), primary_key=True),
    Column("file", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
)
observations = Table(
    "observations", metadata,
    Column("obs_key", String(64), primary_key=True),
    Column("jurisdiction", String(64), nullable=False, index=True),
    Column("year", Integer, nullable=False),
    Column("indicator", String(128), nullable=False),
    Column("subject", Text),
    Column("subject_key", Text),
    Column("value_num", Float),
    Column("value_text", Text),
    Column("unit", String(32)),
    Column("date", String(10)),
    Column("note", Text),
    Column("file", Text, nullable=False),
    Column("sheet", Text),
    Column("row", Integer),
)
run_observations = Table(
    "run_observations", metadata,
    Column("run_id", Integer, ForeignKey("runs.id"), primary_key=True),
    Column("obs_key", String(64), ForeignKey("observations.obs_key"), primary_key=True),
)
findings = Table(
    "findings", metadata,
    Column("run_id", Integer, ForeignKey("runs.id"), primary_key=True),
    Column("jurisdiction", String(64), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("rule_id", String(200), primary_key=True),
    Column("subject_key", Text, primary_key=True),  # "" for findings without a subject
    Column("subject", Text),
    Column("indicator", String(128), nullable=False),
    Column("status", String(16), nullable=False),
    Column("observed_num", Float),
    Column("observed_text", Text),
    Column("gap", Float),
    Column("target", Text, nullable=False),
    Column("message_zh", Text, nullable=False),
    Column("message_en", Text, nullable=False),
)
# Schema version 2: the grade of each submission.
submissions = Table(
    "submissions", metadata,
    Column("run_id", Integer, ForeignKey("runs.id"), primary_key=True),
    Column("jurisdiction", String(64), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("status", String(16), nullable=False),
    Column("grade", String(16)),
    Column("water_quality_score", Float),
    Column("key_task_score", Float),
)
TABLES_BY_VERSION = {1: [meta, runs, run_inputs, run_rulesets, observations, run_observations, findings],
                     2: [submissions]}


class StoreError(Exception):
    pass


def database_url(target: str) -> str:
    """A SQLAlchemy URL for a SQLite file path or a database URL (postgresql:// means psycopg 3)."""
    if target.startswith(("postgresql://", "postgres://")):  # the usual URL means psycopg 3 here
        return "postgresql+psycopg://" + target.split("://", 1)[1]
    return target if "://" in target else f"sqlite:///{Path(target).resolve()}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=30000")  # a second writer waits its turn (first: WAL needs the lock)
    cursor.execute("PRAGMA journal_mode=WAL")   # readers never block the writer; a crash never corrupts
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def run_key(report: Report) -> str:
    """What identifies a run: the same inputs under the same rulesets give the same key."""
    material = {"checker": report.checker_version, "as_of": report.as_of.isoformat() if report.as_of else None,
                "inputs": sorted((i.file, i.sha256) for i in report.inputs),
                "rulesets": sorted((r.id, r.sha256) for r in report.rulesets),
                "grading": report.grading.sha256 if report.grading else None}
    return hashlib.sha256(json.dumps(material, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _obs_key(o: Observation) -> str:
    material = [o.jurisdiction, o.year, o.indicator, o.subject, repr(o.value), o.unit,
                o.date.isoformat() if o.date else None, o.note, o.location.file, o.location.sheet, o.location.row]
    return hashlib.sha256(json.dumps(material, ensure_ascii=False).encode()).hexdigest()


def _split(value) -> tuple[float | None, str | None]:
    if isinstance(value, bool):
        return None, "true" if value else "false"
    if isinstance(value, (int, float)):
        return float(value), None
    return None, None if value is None else str(value)


def _join(number, text):
    if text in ("true", "false"):
        return text == "true"
    return number if number is not None else text


@dataclass(frozen=True)
class RunInfo:
    id: int
    checker_version: str
    as_of: str | None
    recorded_at: str


@dataclass(frozen=True)
class StoredValue:
    value: float | str | bool | None
    location: Location  # the sheet location it was read from, naming the run that recorded it


class Store:
    def __init__(self, target: str):
        self.url = database_url(target)
        self.engine: Engine = create_engine(self.url, future=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._migrate()

    # ------------------------------------------------------------ schema

    def version(self, conn: Connection) -> int:
        if not self.engine.dialect.has_table(conn, "meta"):
            return 0
        found = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
        return int(found) if found is not None else 0

    def _migrate(self) -> None:
        # Two processes opening a new store at once race to create it: the loser sees the
        # winner's tables (or its lock) and simply looks again.
        for attempt in range(10):
            try:
                return self._migrate_once()
            except (OperationalError, IntegrityError, ProgrammingError):
                if attempt == 9:
                    raise
                time.sleep(0.2 * (attempt + 1))

    def _migrate_once(self) -> None:
        with self.engine.begin() as conn:
            current = self.version(conn)
            if current > SCHEMA_VERSION:
                raise StoreError(f"the store has schema version {current}; this checker knows up to {SCHEMA_VERSION}")
            for version in range(current + 1, SCHEMA_VERSION + 1):
                for table in TABLES_BY_VERSION[version]:
                    table.create(conn, checkfirst=True)
                self._set_version(conn, version)

    def _set_version(self, conn: Connection, version: int) -> None:
        if conn.execute(select(meta.c.key).where(meta.c.key == "schema_version")).first():
            conn.execute(meta.update().where(meta.c.key == "schema_version").values(value=str(version)))
        else:
            conn.execute(meta.insert().values(key="schema_version", value=str(version)))

    def _insert_ignoring_duplicates(self, conn: Connection, table: Table, rows: list[dict], keys: list[str]) -> None:
        if not rows:
            return
        if self.engine.dialect.name == "sqlite":
            from sqlalchemy.dialects.sqlite import insert
        elif self.engine.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            raise StoreError(f"unsupported database {self.engine.dialect.name}")
        for start in range(0, len(rows), 5000):
            conn.execute(insert(table).on_conflict_do_nothing(index_elements=keys), rows[start:start + 5000])

    # ------------------------------------------------------------ writing

    def record(self, report: Report, submissions_in: dict[tuple[str, int], SubmissionInput]) -> tuple[int, bool]:
        """Record a run; (run id, True) when new, (existing id, False) when these inputs were recorded before."""
        key = run_key(report)
        try:
            with self.engine.begin() as conn:
                existing = conn.execute(select(runs.c.id).where(runs.c.run_key == key)).scalar()
                if existing is not None:
                    return existing, False
                run_id = conn.execute(runs.insert().values(
                    run_key=key, checker_version=report.checker_version,
                    as_of=report.as_of.isoformat() if report.as_of else None, recorded_at=_now())).inserted_primary_key[0]
                self._write_run(conn, run_id, report, submissions_in)
                return run_id, True
        except IntegrityError:
            # Another process recorded the same run between our check and our insert.
            with self.engine.connect() as conn:
                return conn.execute(select(runs.c.id).where(runs.c.run_key == key)).scalar_one(), False

    def _write_run(self, conn: Connection, run_id: int, report: Report, submissions_in) -> None:
        opened = [i for i in report.inputs if i.sha256 is not None]  # a file refused unopened has no hash
        if opened:
            conn.execute(run_inputs.insert(), [{"run_id": run_id, "file": i.file, "sha256": i.sha256, "read": int(i.read)}
                                               for i in opened])
        if report.rulesets:
            conn.execute(run_rulesets.insert(), [{"run_id": run_id, "ruleset_id": r.id, "file": r.file, "sha256": r.sha256}
                                                 for r in report.rulesets])
        obs_rows, links = {}, set()
        for sub in submissions_in.values():
            read = [o for k, o in sub.observations.items() if k not in sub.derived_keys]  # computed values are not observed
            for o in read + sub.samples:
                key = _obs_key(o)
                number, text = _split(o.value)
                obs_rows[key] = {"obs_key": key, "jurisdiction": o.jurisdiction, "year": o.year, "indicator": o.indicator,
                                 "subject": o.subject, "subject_key": subject_key(o.subject), "value_num": number,
                                 "value_text": text, "unit": o.unit, "date": o.date.isoformat() if o.date else None,
                                 "note": o.note, "file": o.location.file, "sheet": o.location.sheet, "row": o.location.row}
                links.add(key)
        self._insert_ignoring_duplicates(conn, observations, list(obs_rows.values()), ["obs_key"])
        self._insert_ignoring_duplicates(conn, run_observations, [{"run_id": run_id, "obs_key": k} for k in sorted(links)],
                                         ["run_id", "obs_key"])
        finding_rows, submission_rows = {}, []
        for sub in report.submissions:
            submission_rows.append({"run_id": run_id, "jurisdiction": sub.jurisdiction, "year": sub.year, "status": sub.status,
                                    "grade": sub.grade.grade if sub.grade else None,
                                    "water_quality_score": sub.grade.water_quality_score if sub.grade else None,
                                    "key_task_score": sub.grade.key_task_score if sub.grade else None})
            for f in sub.findings:
                number, text = _split(f.observed)
                row_key = (sub.jurisdiction, sub.year, f.rule_id, subject_key(f.subject) or "")
                finding_rows[row_key] = {
                    "run_id": run_id, "jurisdiction": sub.jurisdiction, "year": sub.year, "rule_id": f.rule_id,
                    "subject_key": subject_key(f.subject) or "", "subject": f.subject, "indicator": f.indicator,
                    "status": f.status, "observed_num": number, "observed_text": text, "gap": f.gap,
                    "target": f.target.model_dump_json(), "message_zh": f.message.zh, "message_en": f.message.en}
        if finding_rows:
            conn.execute(findings.insert(), list(finding_rows.values()))
        if submission_rows:
            conn.execute(submissions.insert(), submission_rows)

    # ------------------------------------------------------------ reading

    def runs_of(self, jurisdiction: str) -> list[RunInfo]:
        """Runs that checked this jurisdiction, oldest first."""
        with self.engine.connect() as conn:
            query = (select(runs.c.id, runs.c.checker_version, runs.c.as_of, runs.c.recorded_at)
                     .where(runs.c.id.in_(select(submissions.c.run_id).where(submissions.c.jurisdiction == jurisdiction)))
                     .order_by(runs.c.id))
            return [RunInfo(*row) for row in conn.execute(query)]

    def findings_of(self, run_id: int, jurisdiction: str) -> list[dict]:
        with self.engine.connect() as conn:
            query = (select(findings).where(findings.c.run_id == run_id, findings.c.jurisdiction == jurisdiction)
                     .order_by(findings.c.year, findings.c.rule_id, findings.c.subject_key))
            return [dict(row._mapping) for row in conn.execute(query)]

    def latest_findings(self, jurisdiction: str, indicator: str | None = None) -> list[dict]:
        """For each year, the findings of the latest run that checked that year."""
        with self.engine.connect() as conn:
            latest = (select(submissions.c.year, submissions.c.run_id)
                      .where(submissions.c.jurisdiction == jurisdiction).order_by(submissions.c.run_id))
            by_year = {year: run_id for year, run_id in conn.execute(latest)}
            out = []
            for year, run_id in sorted(by_year.items()):
                query = select(findings).where(findings.c.run_id == run_id, findings.c.jurisdiction == jurisdiction,
                                               findings.c.year == year)
                if indicator:
                    query = query.where(findings.c.indicator == indicator)
                out += [dict(row._mapping) for row in conn.execute(query.order_by(findings.c.rule_id, findings.c.subject_key))]
            return out

    def value(self, jurisdiction: str, year: int, indicator: str, subject: str | None = None) -> StoredValue | None:
        """The value of the latest recorded run that read it."""
        with self.engine.connect() as conn:
            query = (select(observations, run_observations.c.run_id)
                     .join(run_observations, run_observations.c.obs_key == observations.c.obs_key)
                     .where(observations.c.jurisdiction == jurisdiction, observations.c.year == year,
                            observations.c.indicator == indicator,
                            observations.c.subject_key.is_(None) if subject is None
                            else observations.c.subject_key == subject_key(subject))
                     .order_by(run_observations.c.run_id.desc()).limit(1))
            row = conn.execute(query).first()
        if row is None:
            return None
        m = row._mapping
        return StoredValue(_join(m["value_num"], m["value_text"]),
                           Location(file=f"{m['file']} (store run {m['run_id']})", sheet=m["sheet"], row=m["row"]))


def open_store(target: str) -> Store:
    return Store(target)
