"""Derived indicators: values the checker computes rather than reads (contract §5).

Vectorised over the section rows with pandas, so a sheet of 50,000 sections costs one
group-by, and only the derived share ever reaches the engine.
"""
from __future__ import annotations

import pandas as pd

from checker.models import Derived, Observation, Problem, Text
from checker.observations import SubmissionInput

GOOD_CLASSES = ("I", "II", "III")
SHARE = "surface_water.good_section_share"
SECTION_CLASS = "surface_water.section_class"
TOLERANCE_PP = 0.1  # contract §5: a given and a derived share may differ by this much


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
    derived = Derived(indicator=SHARE, subject=None, value=share, unit="%",
                      **{"from": f"{good} of {total} sections at I-III"})
    given = sub.get(SHARE)
    if given is None:
        sub.observations[(SHARE, None)] = Observation(
            jurisdiction=sub.jurisdiction, year=sub.year, indicator=SHARE, value=share, unit="%",
            note=f"由{total}个断面类别计算：{good}个达到或优于Ⅲ类", location=usable[0].location)
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


DERIVATIONS = (good_section_share,)


def derive(sub: SubmissionInput) -> list[Derived]:
    """Run every derivation; their problems join the submission's."""
    derived: list[Derived] = []
    for derivation in DERIVATIONS:
        values, problems = derivation(sub)
        derived.extend(values)
        sub.problems.extend(problems)
    return derived
