"""A year of station readings at national scale (`checker classify READINGS`), in bounded memory.

An automatic station reports every four hours: 1,900 stations × 2,190 readings × 9 items is
37 million values a year, too many to hold as Python objects or even as one DataFrame. DuckDB
(`pip install 'checker[columnar]'`) reads the Parquet or CSV file and does the averaging (per
section, item and month, then the year), spilling to disk past its memory limit; what comes
back is one row per section and item. The rounding and classing are the in-memory path's own
(checker.monitoring, checker.classify), so the classes are the same.

The file's columns: subject (the section), item (the catalog code), value (a number, or a
non-detect written `<0.01` or `0.01L`), and date (a date, or a timestamp: a lone reading with its
time is classed as reported, as checker.monitoring does). A non-detect counts
as the standard's share of its limit for items bounded from above; any other text is not
reported and left out, as the in-memory path does.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from checker.classify import classify_means, section_classes
from checker.models import SurfaceWaterStandard
from checker.monitoring import NOISE_DECIMALS, round_half_even

MEMORY_LIMIT = "1GB"  # DuckDB spills its hash tables to disk past this


class ColumnarError(Exception):
    def __init__(self, zh: str, en: str):
        super().__init__(f"{zh}\n{en}")
        self.zh, self.en = zh, en


def _source(path: Path) -> str:
    quoted = str(path).replace("'", "''")
    if path.suffix.lower() == ".parquet":
        return f"read_parquet('{quoted}')"
    return f"read_csv('{quoted}', header = true, all_varchar = true)"


def _connect():
    try:
        import duckdb
    except ImportError:
        raise ColumnarError(
            "按年读取站点数据需要安装 duckdb（pip install 'checker[columnar]'）",
            "reading a year of station readings needs duckdb, which is not installed (pip install 'checker[columnar]')",
        ) from None
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute("SET preserve_insertion_order = false")  # lets the aggregation stream
    con.execute("SET enable_progress_bar = false")  # its bar goes to standard output, which holds the classes
    return con


def period_means_of(path: Path, standard: SurfaceWaterStandard, year: int | None = None) -> pd.DataFrame:
    """checker.monitoring.period_means of a readings file: subject, item, mean (rounded), samples,
    months, non_detects, limit."""
    stats = standard.statistics
    fraction = stats.non_detect_fraction if stats is not None else 0.5
    codes = [code for code, item in standard.items.items()]
    if not codes:
        return pd.DataFrame(columns=["subject", "item", "mean", "samples", "months", "non_detects", "limit"])
    ph_like = [code for code, item in standard.items.items() if item.mean == "hydrogen_ion"]
    from_above = [code for code, item in standard.items.items() if item.direction == "max"]

    def listed(values):
        return ", ".join("'" + v.replace("'", "''") + "'" for v in values) or "NULL"

    by_samples = stats is not None and stats.annual_mean == "mean_of_samples"
    con = _connect()
    try:
        # A reading with its time of day (an automatic station's value) is timed, as in checker.monitoring.
        kind = dict(con.execute(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM {_source(path)})").fetchall()).get(
            "date", ""
        )
        timed = "true" if kind.startswith("TIMESTAMP") else "length(CAST(date AS VARCHAR)) > 10" if kind == "VARCHAR" else "false"
        con.execute(
            f"""
            CREATE TEMP VIEW readings AS
            WITH raw AS (
                SELECT CAST(subject AS VARCHAR) AS subject, CAST(item AS VARCHAR) AS item,
                       CAST(value AS VARCHAR) AS text, CAST(date AS DATE) AS day, {timed} AS timed
                FROM {_source(path)}
                WHERE CAST(item AS VARCHAR) IN ({listed(codes)}) {f"AND year(CAST(date AS DATE)) = {int(year)}" if year else ""}
            ), parsed AS (
                SELECT subject, item, day, timed, number,
                       -- only what is not a number is looked at again: a non-detect of an item bounded from above
                       CASE WHEN number IS NULL AND item IN ({listed(from_above)}) THEN
                           CASE WHEN starts_with(trim(text), '<') THEN TRY_CAST(trim(substr(trim(text), 2)) AS DOUBLE)
                                WHEN upper(trim(text)) LIKE '%L' THEN TRY_CAST(trim(rtrim(upper(trim(text)), 'L')) AS DOUBLE)
                           END
                       END AS limit_value
                FROM (SELECT *, TRY_CAST(text AS DOUBLE) AS number FROM raw)
            )
            SELECT subject, item, month(day) AS month, limit_value, timed,
                   CASE WHEN item IN ({listed(ph_like)}) THEN pow(10, -v) ELSE v END AS value
            FROM (SELECT *, coalesce(number, limit_value * {float(fraction)}) AS v FROM parsed)
            WHERE v IS NOT NULL
            """
        )
        annual = "sum(s) / sum(n)" if by_samples else "avg(s / n)"
        frame = con.execute(
            f"""
            SELECT subject, item, {annual} AS mean, sum(n)::BIGINT AS samples, count(*)::BIGINT AS months,
                   sum(nd)::BIGINT AS non_detects, max(lim) AS "limit", bool_and(t) AS timed
            FROM (SELECT subject, item, month, sum(value) AS s, count(*) AS n,
                         count(limit_value) AS nd, max(limit_value) AS lim, bool_and(timed) AS t
                  FROM readings GROUP BY subject, item, month)
            GROUP BY subject, item ORDER BY subject, item
            """
        ).df()
    except Exception as exc:  # duckdb's own errors: a missing column, a file that is no table
        if isinstance(exc, ColumnarError):
            raise
        raise ColumnarError(f"{path}：无法读取站点数据：{exc}", f"{path}: the readings cannot be read: {exc}") from None
    finally:
        con.close()
    hydrogen = frame["item"].isin(ph_like).to_numpy()
    import numpy as np

    frame.loc[hydrogen, "mean"] = -np.log10(frame.loc[hydrogen, "mean"].to_numpy())
    frame["limit"] = frame["limit"].astype(float)
    decimals = [standard.items[code].decimals for code in frame["item"]]
    # A lone reading is an automatic station's real-time value, classed as reported (as in checker.monitoring).
    frame["mean"] = [
        round(mean, NOISE_DECIMALS) if samples == 1 and timed else round_half_even(mean, places)
        for mean, places, samples, timed in zip(frame["mean"], decimals, frame["samples"], frame["timed"], strict=True)
    ]
    frame = frame.drop(columns="timed")
    return frame


def classify_readings(path: Path, standard: SurfaceWaterStandard, lakes: set[str] = frozenset(), year: int | None = None) -> pd.DataFrame:
    """One row per section: class, class_index, deciding_item, deciding_mean (as classify_samples)."""
    return section_classes(classify_means(period_means_of(Path(path), standard, year), set(lakes), standard), standard)
