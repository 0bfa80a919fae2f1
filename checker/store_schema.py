"""The findings store's tables, by the schema version that added them (SQLAlchemy Core)."""

from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Integer, MetaData, String, Table, Text

SCHEMA_VERSION = 2
metadata = MetaData()

meta = Table("meta", metadata, Column("key", String(64), primary_key=True), Column("value", Text, nullable=False))
runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_key", String(64), nullable=False, unique=True),
    Column("checker_version", String(32), nullable=False),
    Column("as_of", String(10)),
    Column("recorded_at", String(32), nullable=False),  # the store's own bookkeeping; never in a report
)
run_inputs = Table(
    "run_inputs",
    metadata,
    Column("run_id", Integer, ForeignKey("runs.id"), primary_key=True),
    Column("file", Text, primary_key=True),
    Column("sha256", String(64), nullable=False),
    Column("read", Integer, nullable=False),
)
run_rulesets = Table(
    "run_rulesets",
    metadata,
    Column("run_id", Integer, ForeignKey("runs.id"), primary_key=True),
    Column("ruleset_id", String(128), primary_key=True),
    Column("file", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
)
observations = Table(
    "observations",
    metadata,
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
    "run_observations",
    metadata,
    Column("run_id", Integer, ForeignKey("runs.id"), primary_key=True),
    Column("obs_key", String(64), ForeignKey("observations.obs_key"), primary_key=True),
)
findings = Table(
    "findings",
    metadata,
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
    "submissions",
    metadata,
    Column("run_id", Integer, ForeignKey("runs.id"), primary_key=True),
    Column("jurisdiction", String(64), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("status", String(16), nullable=False),
    Column("grade", String(16)),
    Column("water_quality_score", Float),
    Column("key_task_score", Float),
)
TABLES_BY_VERSION = {1: [meta, runs, run_inputs, run_rulesets, observations, run_observations, findings], 2: [submissions]}
