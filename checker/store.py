"""The findings store: every run's inputs, rulesets, observations and findings, by year.

SQLite by default (a file path: no server, WAL so that two runs at once never corrupt
it); any SQLAlchemy URL works the same (`postgresql+psycopg://…`). SQLAlchemy Core, no
ORM: the tables are the record. A run is identified by what went into it (checker
version, as-of date, input and ruleset hashes), so recording the same inputs twice
changes nothing; observations are keyed by their content, so one observation is kept
once however many runs saw it. The schema carries its version and is migrated forward
on open. A file or database that holds something else is refused, never written into; a
password in a URL is never shown (`shown`, `redact`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Table, create_engine, event, inspect, select
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError, SQLAlchemyError

from checker.models import Location, Observation, Report
from checker.observations import SubmissionInput, subject_key
from checker.store_guard import StoreError, refuse_foreign_sqlite, refuse_foreign_tables
from checker.store_schema import (
    SCHEMA_VERSION,
    TABLES_BY_VERSION,
    findings,
    meta,
    metadata,
    observations,
    run_inputs,
    run_observations,
    run_rulesets,
    runs,
    submissions,
)
from checker.store_urls import database_url, redact, shown


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=30000")  # a second writer waits its turn (first: WAL needs the lock)
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer; a crash never corrupts
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def run_key(report: Report) -> str:
    """What identifies a run: the same inputs under the same rulesets give the same key. Inputs
    count by content, not by path: `inputs/`, its absolute path and `.` inside it are one run.
    The suffix stays in, since it chooses the reader."""
    material = {
        "checker": report.checker_version,
        "as_of": report.as_of.isoformat() if report.as_of else None,
        "inputs": sorted((i.sha256, Path(i.file).suffix.lower(), i.read) for i in report.inputs),
        "rulesets": sorted((r.id, r.sha256) for r in report.rulesets),
        "grading": report.grading.sha256 if report.grading else None,
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _obs_key(o: Observation) -> str:
    material = [
        o.jurisdiction,
        o.year,
        o.indicator,
        o.subject,
        repr(o.value),
        o.unit,
        o.date.isoformat() if o.date else None,
        o.note,
        o.location.file,
        o.location.sheet,
        o.location.row,
    ]
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
    """The store at target; create=False (history, diff) opens only a store that already exists."""

    def __init__(self, target: str, create: bool = True):
        self.url = database_url(target)
        self.target, self.name = target, shown(target)
        self.create = create
        self.engine: Engine = create_engine(self.url, future=True)
        if self.engine.dialect.name == "sqlite":
            database = make_url(self.url).database
            if database and database != ":memory:" and not database.startswith("file:"):
                refuse_foreign_sqlite(Path(database), create)
            event.listen(self.engine, "connect", _sqlite_pragmas)
        with self._failures("打开", "open"):
            if self.engine.dialect.name != "sqlite":
                self.engine.connect().close()  # a server that is not there: said at once, never retried
            self._migrate()

    @contextmanager
    def _failures(self, zh: str, en: str):
        """The database's own errors as StoreErrors that name the store, without its password."""
        try:
            yield
        except SQLAlchemyError as exc:
            # The database's words, without SQLAlchemy's statement, parameters and link.
            said = str(exc.orig) if getattr(exc, "orig", None) is not None else str(exc).split("\n")[0]
            reason = redact(f"{type(exc).__name__}: {' '.join(said.split())}", self.target)
            raise StoreError(f"无法{zh}结果库 {self.name}：{reason}", f"cannot {en} the store {self.name}: {reason}", reason) from None

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
            if self.engine.dialect.name != "sqlite":  # a shared database: only our table names are checked
                found = inspect(conn)
                refuse_foreign_tables(
                    self.name,
                    {t: {c["name"] for c in found.get_columns(t)} for t in found.get_table_names() if t in metadata.tables},
                    False,
                )
            current = self.version(conn)
            if current == 0 and not self.create:
                raise StoreError(
                    f"{self.name} 中没有结果库（只有 check --db 会新建结果库）",
                    f"{self.name} holds no checker store (only check --db creates one)",
                )
            if current > SCHEMA_VERSION:
                raise StoreError(
                    f"结果库的模式版本为 {current}，本工具只认识到 {SCHEMA_VERSION}",
                    f"the store has schema version {current}; this checker knows up to {SCHEMA_VERSION}",
                )
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
            raise StoreError(f"不支持的数据库 {self.engine.dialect.name}", f"unsupported database {self.engine.dialect.name}")
        for start in range(0, len(rows), 5000):
            conn.execute(insert(table).on_conflict_do_nothing(index_elements=keys), rows[start : start + 5000])

    # ------------------------------------------------------------ writing

    def record(self, report: Report, submissions_in: dict[tuple[str, int], SubmissionInput]) -> tuple[int, bool]:
        """Record a run; (run id, True) when new, (existing id, False) when these inputs were recorded before."""
        with self._failures("记录到", "record in"):
            return self._record(report, submissions_in)

    def _record(self, report: Report, submissions_in) -> tuple[int, bool]:
        key = run_key(report)
        try:
            with self.engine.begin() as conn:
                existing = conn.execute(select(runs.c.id).where(runs.c.run_key == key)).scalar()
                if existing is not None:
                    return existing, False
                run_id = conn.execute(
                    runs.insert().values(
                        run_key=key,
                        checker_version=report.checker_version,
                        as_of=report.as_of.isoformat() if report.as_of else None,
                        recorded_at=_now(),
                    )
                ).inserted_primary_key[0]
                self._write_run(conn, run_id, report, submissions_in)
                return run_id, True
        except IntegrityError:
            # Another process recorded the same run between our check and our insert.
            with self.engine.connect() as conn:
                return conn.execute(select(runs.c.id).where(runs.c.run_key == key)).scalar_one(), False

    def _write_run(self, conn: Connection, run_id: int, report: Report, submissions_in) -> None:
        opened = [i for i in report.inputs if i.sha256 is not None]  # a file refused unopened has no hash
        if opened:
            conn.execute(run_inputs.insert(), [{"run_id": run_id, "file": i.file, "sha256": i.sha256, "read": int(i.read)} for i in opened])
        if report.rulesets:
            conn.execute(
                run_rulesets.insert(), [{"run_id": run_id, "ruleset_id": r.id, "file": r.file, "sha256": r.sha256} for r in report.rulesets]
            )
        obs_rows, links = {}, set()
        for sub in submissions_in.values():
            read = [o for k, o in sub.observations.items() if k not in sub.derived_keys]  # computed values are not observed
            for o in read + sub.samples:
                key = _obs_key(o)
                number, text = _split(o.value)
                obs_rows[key] = {
                    "obs_key": key,
                    "jurisdiction": o.jurisdiction,
                    "year": o.year,
                    "indicator": o.indicator,
                    "subject": o.subject,
                    "subject_key": subject_key(o.subject),
                    "value_num": number,
                    "value_text": text,
                    "unit": o.unit,
                    "date": o.date.isoformat() if o.date else None,
                    "note": o.note,
                    "file": o.location.file,
                    "sheet": o.location.sheet,
                    "row": o.location.row,
                }
                links.add(key)
        self._insert_ignoring_duplicates(conn, observations, list(obs_rows.values()), ["obs_key"])
        self._insert_ignoring_duplicates(
            conn, run_observations, [{"run_id": run_id, "obs_key": k} for k in sorted(links)], ["run_id", "obs_key"]
        )
        finding_rows, submission_rows = {}, []
        for sub in report.submissions:
            submission_rows.append(
                {
                    "run_id": run_id,
                    "jurisdiction": sub.jurisdiction,
                    "year": sub.year,
                    "status": sub.status,
                    "grade": sub.grade.grade if sub.grade else None,
                    "water_quality_score": sub.grade.water_quality_score if sub.grade else None,
                    "key_task_score": sub.grade.key_task_score if sub.grade else None,
                }
            )
            for f in sub.findings:
                number, text = _split(f.observed)
                row_key = (sub.jurisdiction, sub.year, f.rule_id, subject_key(f.subject) or "")
                finding_rows[row_key] = {
                    "run_id": run_id,
                    "jurisdiction": sub.jurisdiction,
                    "year": sub.year,
                    "rule_id": f.rule_id,
                    "subject_key": subject_key(f.subject) or "",
                    "subject": f.subject,
                    "indicator": f.indicator,
                    "status": f.status,
                    "observed_num": number,
                    "observed_text": text,
                    "gap": f.gap,
                    "target": f.target.model_dump_json(),
                    "message_zh": f.message.zh,
                    "message_en": f.message.en,
                }
        if finding_rows:
            conn.execute(findings.insert(), list(finding_rows.values()))
        if submission_rows:
            conn.execute(submissions.insert(), submission_rows)

    # ------------------------------------------------------------ reading

    def runs_of(self, jurisdiction: str) -> list[RunInfo]:
        """Runs that checked this jurisdiction, oldest first."""
        with self._failures("读取", "read"), self.engine.connect() as conn:
            query = (
                select(runs.c.id, runs.c.checker_version, runs.c.as_of, runs.c.recorded_at)
                .where(runs.c.id.in_(select(submissions.c.run_id).where(submissions.c.jurisdiction == jurisdiction)))
                .order_by(runs.c.id)
            )
            return [RunInfo(*row) for row in conn.execute(query)]

    def has_run(self, run_id: int) -> bool:
        with self._failures("读取", "read"), self.engine.connect() as conn:
            return conn.execute(select(runs.c.id).where(runs.c.id == run_id)).first() is not None

    def findings_of(self, run_id: int, jurisdiction: str) -> list[dict]:
        with self._failures("读取", "read"), self.engine.connect() as conn:
            query = (
                select(findings)
                .where(findings.c.run_id == run_id, findings.c.jurisdiction == jurisdiction)
                .order_by(findings.c.year, findings.c.rule_id, findings.c.subject_key)
            )
            return [dict(row._mapping) for row in conn.execute(query)]

    def latest_findings(self, jurisdiction: str, indicator: str | None = None) -> list[dict]:
        """For each year, the findings of the latest run that checked that year."""
        with self._failures("读取", "read"), self.engine.connect() as conn:
            latest = (
                select(submissions.c.year, submissions.c.run_id)
                .where(submissions.c.jurisdiction == jurisdiction)
                .order_by(submissions.c.run_id)
            )
            by_year = {year: run_id for year, run_id in conn.execute(latest)}
            out = []
            for year, run_id in sorted(by_year.items()):
                query = select(findings).where(
                    findings.c.run_id == run_id, findings.c.jurisdiction == jurisdiction, findings.c.year == year
                )
                if indicator:
                    query = query.where(findings.c.indicator == indicator)
                out += [dict(row._mapping) for row in conn.execute(query.order_by(findings.c.rule_id, findings.c.subject_key))]
            return out

    def latest_grades(self, jurisdiction: str) -> list[dict]:
        """For each year, the grade and scores of the latest run that checked that year."""
        with self._failures("读取", "read"), self.engine.connect() as conn:
            query = select(submissions).where(submissions.c.jurisdiction == jurisdiction).order_by(submissions.c.run_id)
            by_year = {row.year: dict(row._mapping) for row in conn.execute(query)}
        return [by_year[year] for year in sorted(by_year)]

    def value(self, jurisdiction: str, year: int, indicator: str, subject: str | None = None) -> StoredValue | None:
        """The value of the latest recorded run that read it."""
        with self._failures("读取", "read"), self.engine.connect() as conn:
            query = (
                select(observations, run_observations.c.run_id)
                .join(run_observations, run_observations.c.obs_key == observations.c.obs_key)
                .where(
                    observations.c.jurisdiction == jurisdiction,
                    observations.c.year == year,
                    observations.c.indicator == indicator,
                    observations.c.subject_key.is_(None) if subject is None else observations.c.subject_key == subject_key(subject),
                )
                .order_by(run_observations.c.run_id.desc())
                .limit(1)
            )
            row = conn.execute(query).first()
        if row is None:
            return None
        m = row._mapping
        return StoredValue(
            _join(m["value_num"], m["value_text"]), Location(file=f"{m['file']} (store run {m['run_id']})", sheet=m["sheet"], row=m["row"])
        )


def open_store(target: str, create: bool = True) -> Store:
    return Store(target, create)
