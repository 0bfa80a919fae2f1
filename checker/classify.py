"""Water quality from monitoring samples, vectorised: GB 3838-2002 classes and black-odorous grades.

Samples arrive as a DataFrame (subject, item, value) and leave as one row per section;
nothing here loops over samples in Python, and no sample ever becomes an engine fact.
The limits are data (rulesets/standards/); this module only knows the methods:

- GB 3838-2002, single-factor (单因子评价, 环办〔2011〕22号): each item's mean over the
  section's samples is classed against Table 1 (a value at a limit is in the better
  class; worse than Class V is 劣V; pH outside its range is 劣V); the section takes the
  worst class among its evaluated items. The reference items (water temperature, TN, fecal
  coliform) are classed where Table 1 gives them classes, for rivers and lakes alike, and
  never set the section's class.
- 城市黑臭水体整治工作指南 (2015): each item's mean graded none/light/severe; the water
  body takes the worst grade.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from checker.models import BlackOdourStandard, StandardItem, SurfaceWaterStandard

WORST_CLASS = 5  # index of 劣V in the standard's classes
# Means are rounded before classing so that float noise (0.1 + 0.2 ...) never pushes a
# value that sits on a limit into the worse class; 9 decimals keep Hg's 0.00005 exact.
MEAN_DECIMALS = 9


def item_class_index(values: np.ndarray, item: StandardItem, lake: np.ndarray | bool = False) -> np.ndarray:
    """Class index (0 = I … 5 = 劣V) of each value. `lake` picks the lake/reservoir limits where the
    item has them. A value at a limit belongs to the better class."""
    if not item.classed:
        raise ValueError(f"{item.name} has no classes in the table")
    values = np.asarray(values, dtype=float)
    if item.direction == "range":
        inside = (values >= item.low) & (values <= item.high)
        return np.where(inside, 0, WORST_CLASS).astype(np.int8)
    if item.direction == "max":
        # The first class whose limit is >= the value: searchsorted's left side is exactly that.
        river = np.searchsorted(np.asarray(item.limits, dtype=float), values, side="left")
        if item.lake_limits is None:
            return river.astype(np.int8)
        lake_index = np.searchsorted(np.asarray(item.lake_limits, dtype=float), values, side="left")
        return np.where(lake, lake_index, river).astype(np.int8)
    # "min" (dissolved oxygen): the first class whose limit is <= the value; negate to reuse searchsorted.
    return np.searchsorted(-np.asarray(item.limits, dtype=float), -values, side="left").astype(np.int8)


def item_means(samples: pd.DataFrame) -> pd.DataFrame:
    """Mean and count of each item per subject: columns subject, item, mean, samples."""
    grouped = samples.groupby(["subject", "item"], sort=True)["value"].agg(["mean", "count"]).reset_index()
    grouped["mean"] = grouped["mean"].round(MEAN_DECIMALS)
    return grouped.rename(columns={"count": "samples"})


def class_limit(class_index: np.ndarray, item: StandardItem, lake: np.ndarray) -> np.ndarray:
    """The upper limit of each class index (inf for 劣V) of a max item, lake limits where given."""
    limits = np.append(np.asarray(item.limits, dtype=float), np.inf)
    chosen = limits[class_index]
    if item.lake_limits is not None:
        lake_limits = np.append(np.asarray(item.lake_limits, dtype=float), np.inf)
        chosen = np.where(lake, lake_limits[class_index], chosen)
    return chosen


def classify_means(means: pd.DataFrame, lake_subjects: set[str], standard: SurfaceWaterStandard) -> pd.DataFrame:
    """Add class_index (-1 for an item without classes), evaluated and bounded to a frame of item
    means (subject, item, mean[, limit]). `bounded`: the mean holds a non-detect whose detection
    limit (`limit`) is above the limit of the class the mean falls in, so the item cannot set that
    class (the true value may be anywhere below the detection limit); such an item is not evaluated."""
    means = means[means["item"].isin(standard.items.keys())].copy()
    lake = means["subject"].isin(lake_subjects).to_numpy()
    class_index = np.full(len(means), -1, dtype=np.int8)
    evaluated = np.zeros(len(means), dtype=bool)
    bounded = np.zeros(len(means), dtype=bool)
    item_column = means["item"].to_numpy()
    values = means["mean"].to_numpy(dtype=float)
    detection = means["limit"].to_numpy(dtype=float) if "limit" in means else np.full(len(means), np.nan)
    for code, item in standard.items.items():
        rows = item_column == code
        if not rows.any() or not item.classed:
            continue
        class_index[rows] = item_class_index(values[rows], item, lake[rows])
        if item.direction == "max":
            with np.errstate(invalid="ignore"):
                bounded[rows] = detection[rows] > class_limit(class_index[rows], item, lake[rows])
        evaluated[rows] = (item.evaluated == "always") & ~bounded[rows]
    means["class_index"] = class_index
    means["evaluated"] = evaluated
    means["bounded"] = bounded
    return means


def section_classes(means: pd.DataFrame, standard: SurfaceWaterStandard) -> pd.DataFrame:
    """One row per subject with at least one evaluated item: class, class_index, the item that set
    it (the worst; on a tie the first in the table's order) and its mean."""
    order = {code: i for i, code in enumerate(standard.items)}
    judged = means[means["evaluated"]].copy()
    judged["order"] = judged["item"].map(order)
    judged = judged.sort_values(["subject", "class_index", "order"], ascending=[True, False, True], kind="stable")
    worst = judged.drop_duplicates("subject", keep="first").set_index("subject")
    result = pd.DataFrame({"class_index": worst["class_index"], "deciding_item": worst["item"], "deciding_mean": worst["mean"]})
    result["class"] = [standard.classes[i] for i in result["class_index"]]
    return result


def classify_samples(samples: pd.DataFrame, lake_subjects: set[str], standard: SurfaceWaterStandard) -> pd.DataFrame:
    """Samples (subject, item, value) -> one row per section: class, class_index, deciding_item, deciding_mean."""
    return section_classes(classify_means(item_means(samples), lake_subjects, standard), standard)


def odour_grade_index(values: np.ndarray, item, depth_cm: np.ndarray | None = None, shallow=None) -> np.ndarray:
    """0 none, 1 light, 2 severe for each mean. Ranges include both ends; severe is strictly beyond."""
    values = np.asarray(values, dtype=float)
    low, high = item.light
    if item.bad == "low":
        grade = np.where(values < item.severe_beyond, 2, np.where(values <= high, 1, 0))
    else:
        grade = np.where(values > item.severe_beyond, 2, np.where(values >= low, 1, 0))
    if depth_cm is not None and shallow is not None:
        # Shallow water: transparency judged against the depth; clear to the bottom is not black-odorous.
        depth_cm = np.asarray(depth_cm, dtype=float)
        is_shallow = depth_cm < shallow.below_depth_cm
        shallow_grade = np.where(values <= depth_cm * shallow.light_bound_fraction_of_depth, 1, 0)
        grade = np.where(is_shallow, shallow_grade, grade)
    return grade.astype(np.int8)


def black_odour_grades(samples: pd.DataFrame, depths: dict[str, float], standard: BlackOdourStandard) -> pd.DataFrame:
    """Samples (subject, item, value) -> one row per water body: grade, grade_index, deciding_item, deciding_mean."""
    means = item_means(samples[samples["item"].isin(standard.items.keys())])
    grade = np.zeros(len(means), dtype=np.int8)
    items = means["item"].to_numpy()
    values = means["mean"].to_numpy(dtype=float)
    depth = means["subject"].map(depths).to_numpy(dtype=float)  # NaN where no depth is given: never shallow
    for code, item in standard.items.items():
        rows = items == code
        if rows.any():
            shallow = standard.shallow_water if code == "monitoring.transparency" else None
            grade[rows] = odour_grade_index(values[rows], item, depth[rows] if shallow else None, shallow)
    means["grade_index"] = grade
    order = {code: i for i, code in enumerate(standard.items)}
    means["order"] = means["item"].map(order)
    worst = (
        means.sort_values(["subject", "grade_index", "order"], ascending=[True, False, True], kind="stable")
        .drop_duplicates("subject", keep="first")
        .set_index("subject")
    )
    result = pd.DataFrame({"grade_index": worst["grade_index"], "deciding_item": worst["item"], "deciding_mean": worst["mean"]})
    result["grade"] = [standard.grades[i] for i in result["grade_index"]]
    return result
