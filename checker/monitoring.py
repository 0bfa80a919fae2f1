"""Monitoring samples -> each section's value of each item for the year, as the national statistics
rules say (rulesets/standards/gb3838-2002.yaml, `statistics` and each item's `decimals` and `mean`).

- A non-detect ("0.01L", "<0.01", "未检出(0.01)") counts as a share of its limit (half, 环办监测函
  〔2020〕82号); the largest limit of each item is kept, for checker.classify to tell whether it
  bounds the class.
- A value not reported ('--', '*', '未检出' without a limit, a quality-control failure in the value
  or in 备注) is left out and counted; so is a sample dated outside the submission's year.
- The year's value is the mean of the monthly means; pH is averaged as hydrogen-ion concentration.
- The mean is rounded to the item's decimal places, 四舍六入五成双, before it is classed; a lone
  reading with its time of day (an automatic station's value) is classed as reported.

Aggregation is pandas groupby: nothing loops over samples but the reading of observations, and
the rounding loops over means (one per section and item).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

import numpy as np
import pandas as pd

from checker.models import Observation, SurfaceWaterStandard
from checker.observations import subject_key

NOISE_DECIMALS = 9  # float noise dropped before rounding: (0.1 + 0.2) / 2 is 0.15, not 0.15000000000000002


@dataclass
class SampleSet:
    """The samples that count, as (subject, item, value, month, limit, timed), and what was left out."""

    frame: pd.DataFrame
    first: dict[str, Observation]
    not_reported: dict[str, Counter] = field(default_factory=dict)  # subject -> mark -> count
    out_of_year: list[Observation] = field(default_factory=list)


def _qc_mark(note: str | None, marks: list[str]) -> str | None:
    if not note:
        return None
    return next((f"备注 {note}" for mark in marks if mark.lower() in note.lower()), None)


def sample_set(samples: list[Observation], year: int, standard: SurfaceWaterStandard | None) -> SampleSet:
    """Read each sample's value: a number, a non-detect (at its share of the limit) or a mark."""
    stats = standard.statistics if standard is not None else None
    fraction = stats.non_detect_fraction if stats is not None else 0.5
    marks = stats.quality_control_marks if stats is not None else []
    items = standard.items if standard is not None else {}
    first: dict[str, Observation] = {}
    not_reported: dict[str, Counter] = {}
    out_of_year: list[Observation] = []
    keys, codes, values, months, limits, timed = [], [], [], [], [], []
    for sample in samples:
        if sample.value is None:
            continue  # a blank row: noted when the sheet was read
        key = subject_key(sample.subject)
        first.setdefault(key, sample)
        if sample.date is not None and sample.date.year != year:
            out_of_year.append(sample)
            continue
        value, limit = sample.value, math.nan
        mark = _qc_mark(sample.note, marks)
        if mark is None and isinstance(value, str):
            item = items.get(sample.indicator)
            if value.startswith("<") and (item is None or item.direction == "max"):
                limit = float(value[1:])
                value = limit * fraction
            else:
                mark = value if not value.startswith("<") else f"{value} (a non-detect of an item bounded from below)"
        if mark is not None:
            not_reported.setdefault(key, Counter())[mark] += 1
            continue
        keys.append(key)
        codes.append(sample.indicator)
        values.append(float(value))
        months.append(sample.date.month if sample.date is not None else 0)
        limits.append(limit)
        timed.append(sample.time is not None)
    frame = pd.DataFrame({"subject": keys, "item": codes, "value": values, "month": months, "limit": limits, "timed": timed})
    return SampleSet(frame, first, not_reported, out_of_year)


def round_half_even(value: float, decimals: int | None) -> float:
    """四舍六入五成双 at `decimals` places (GB/T 8170), on the decimal value the float stands for."""
    if decimals is None or not math.isfinite(value):
        return value
    exact = Decimal(repr(round(value, NOISE_DECIMALS)))
    return float(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN))


def period_means(frame: pd.DataFrame, standard: SurfaceWaterStandard) -> pd.DataFrame:
    """Per subject and item: mean (the year's value, rounded), samples, months, non_detects and the
    largest non-detect limit (NaN when none). `frame` is SampleSet.frame."""
    if frame.empty:
        return pd.DataFrame(columns=["subject", "item", "mean", "samples", "months", "non_detects", "limit"])
    ph_like = {code for code, item in standard.items.items() if item.mean == "hydrogen_ion"}
    work = frame.copy()
    hydrogen = work["item"].isin(ph_like).to_numpy()
    work.loc[hydrogen, "value"] = np.power(10.0, -work.loc[hydrogen, "value"].to_numpy())
    by_month = work.groupby(["subject", "item", "month"], sort=True)["value"].mean()
    stats = standard.statistics
    if stats is not None and stats.annual_mean == "mean_of_samples":
        annual = work.groupby(["subject", "item"], sort=True)["value"].mean()
    else:
        annual = by_month.groupby(level=["subject", "item"]).mean()
    grouped = work.groupby(["subject", "item"], sort=True)
    result = pd.DataFrame(
        {
            "mean": annual,
            "samples": grouped["value"].size(),
            "months": by_month.groupby(level=["subject", "item"]).size(),
            "non_detects": grouped["limit"].count(),
            "limit": grouped["limit"].max(),
            "lone_reading": (grouped["value"].size() == 1) & grouped["timed"].all(),
        }
    ).reset_index()
    is_hydrogen = result["item"].isin(ph_like).to_numpy()
    result.loc[is_hydrogen, "mean"] = -np.log10(result.loc[is_hydrogen, "mean"].to_numpy())
    # A plain list: a Series would turn the None of an item without decimals into NaN, and 2 into 2.0.
    decimals = [standard.items[code].decimals if code in standard.items else None for code in result["item"]]
    result["mean"] = [
        round(mean, NOISE_DECIMALS) if lone else round_half_even(mean, places)
        for mean, places, lone in zip(result["mean"], decimals, result["lone_reading"], strict=True)
    ]
    return result


def mean_over_sections(per_section: pd.DataFrame, standard: SurfaceWaterStandard) -> dict[str, float]:
    """Each item's mean over the sections' means (a river of fewer than five sections), averaged
    and rounded as the sections' own means are."""
    result = {}
    for code, rows in per_section.groupby("item", sort=True):
        item = standard.items[code]
        values = rows["mean"].to_numpy(dtype=float)
        if item.mean == "hydrogen_ion":
            mean = float(-np.log10(np.power(10.0, -values).mean()))
        else:
            mean = float(values.mean())
        result[code] = round_half_even(mean, item.decimals)
    return result


def left_out(found: SampleSet, key: str) -> str:
    """What was not averaged at one section, for its derivation's explanation."""
    counts = found.not_reported.get(key)
    if not counts:
        return ""
    marks = ", ".join(f"{mark} ×{n}" for mark, n in sorted(counts.items()))
    return f"; {sum(counts.values())} not reported, left out of the means: {marks}"


# ---------------------------------------------------------------- trophic status of lakes


def trophic_index(means: dict[str, float], standard: SurfaceWaterStandard) -> tuple[float, str, str] | None:
    """TLI(Σ) from a lake's item means (catalog units): (index, status, how), or None without any
    of the five parameters. The weights are normalised over the parameters measured."""
    rule = standard.trophic_status
    if rule is None:
        return None
    used = {code: p for code, p in rule.items.items() if code in means and means[code] > 0}
    if not used:
        return None
    total_r2 = sum(p.r**2 for p in used.values())
    index, parts = 0.0, []
    for code, p in used.items():
        value = means[code] * p.factor
        single = 10 * (p.intercept + p.slope * math.log(value))
        weight = p.r**2 / total_r2
        index += weight * single
        parts.append(f"{p.name} {value:.6g} {p.unit} → {single:.2f} (W {weight:.4f})")
    status = rule.bands[-1].status
    for band in rule.bands:
        if (band.below is not None and index < band.below) or (band.at_most is not None and index <= band.at_most):
            status = band.status
            break
    return index, status, "; ".join(parts)
