"""Derived indicators: values the checker computes rather than reads (contract §5).

Vectorised over the section rows with pandas, so a sheet of 50,000 sections costs one
group-by, and only the derived share ever reaches the engine.
"""
from __future__ import annotations

import pandas as pd

from checker.models import Derived, Observation, Problem, Text
from checker.observations import SubmissionInput, subject_key

GOOD_CLASSES = ("I", "II", "III")
SHARE = "surface_water.good_section_share"
SECTION_CLASS = "surface_water.section_class"
TOLERANCE_PP = 0.1  # contract §5: a given and a derived share may differ by this much
BELOW_LISTED = 20  # sections below Class III named in the derivation; beyond that, only counted


def good_section_share(sub: SubmissionInput) -> tuple[list[Derived], list[Problem]]:
    """Derive the share from section classes; add it as an observation when none was given."""
    sections = sub.of(SECTION_CLASS)
    usable = [o for o in sections if o.value is not None]
    if not usable:
        return [], []
    classes = pd.Series([o.value for o in usable], dtype="string")
    good = int(classes.isin(GOOD_CLASSES).sum())
    total = int(classes.size)
    # Rounded to 2 decimals, as shares are published; the verdict and the printed value agree.
    share = round(good * 100.0 / total, 2)
    # Name the sections that miss Class III: that is what an officer looks for next.
    below = [f"{o.subject} ({o.value})" for o in usable if o.value not in GOOD_CLASSES]
    listed = "、".join(below[:BELOW_LISTED]) + (f" …(+{len(below) - BELOW_LISTED})" if len(below) > BELOW_LISTED else "")
    derived = Derived(indicator=SHARE, subject=None, value=share, unit="%",
                      **{"from": f"{good} of {total} sections at I-III" + (f"; below III: {listed}" if below else "")})
    given = sub.get(SHARE)
    if given is None:
        sub.observations[(SHARE, None)] = Observation(
            jurisdiction=sub.jurisdiction, year=sub.year, indicator=SHARE, value=share, unit="%",
            note=f"由{total}个断面类别计算：{good}个达到或优于Ⅲ类" + (f"；劣于Ⅲ类：{listed}" if below else ""),
            location=usable[0].location)
        sub.derived_codes.add(SHARE)
        return [derived], []
    if isinstance(given.value, float) and abs(given.value - share) > TOLERANCE_PP:
        problem = Problem(
            location=given.location.model_copy(update={"column": "value"}), jurisdiction=sub.jurisdiction,
            year=sub.year, indicator=SHARE, subject=None,
            message=Text(zh=f"填报的水质优良比例 {given.value}% 与断面类别计算值 {share:.2f}%（{good}/{total}）相差超过 0.1 个百分点",
                         en=f"the reported good-section share {given.value}% differs from the {share:.2f}% "
                            f"derived from section classes ({good} of {total}) by more than 0.1 percentage point"))
        return [derived], [problem]
    return [derived], []


CLASS_RANK = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "劣V": 6}
ROLE = "surface_water.section_role"
MARGIN = "surface_water.outflow_class_margin"


def outflow_class_margin(sub: SubmissionInput) -> tuple[list[Derived], list[Problem]]:
    """出境断面水质不劣于入境断面: worst inflow class rank minus worst outflow class rank
    (>= 0 when the water leaves no worse than it came), from sections the sheet marks 入境/出境."""
    if sub.get(MARGIN) is not None:
        return [], []
    classes = {subject_key(o.subject): o.value for o in sub.of(SECTION_CLASS) if o.value is not None}
    worst: dict[str, tuple[int, str]] = {}
    for role in sub.of(ROLE):
        cls = classes.get(subject_key(role.subject))
        if role.value is None or cls is None:
            continue
        current = worst.get(role.value)
        if current is None or CLASS_RANK[cls] > current[0]:
            worst[role.value] = (CLASS_RANK[cls], f"{role.subject} {cls}")
    if "inflow" not in worst or "outflow" not in worst:
        return [], []
    margin = float(worst["inflow"][0] - worst["outflow"][0])
    sub.observations[(MARGIN, None)] = Observation(
        jurisdiction=sub.jurisdiction, year=sub.year, indicator=MARGIN, value=margin, unit="个",
        note=f"入境最差：{worst['inflow'][1]}；出境最差：{worst['outflow'][1]}", location=sub.of(ROLE)[0].location)
    sub.derived_codes.add(MARGIN)
    return [Derived(indicator=MARGIN, subject=None, value=margin, unit="个",
                    **{"from": f"worst inflow {worst['inflow'][1]}, worst outflow {worst['outflow'][1]}"})], []


DERIVATIONS = (good_section_share, outflow_class_margin)


def derive(sub: SubmissionInput) -> list[Derived]:
    """Run every derivation; their problems join the submission's."""
    derived: list[Derived] = []
    for derivation in DERIVATIONS:
        values, problems = derivation(sub)
        derived.extend(values)
        sub.problems.extend(problems)
    return derived
