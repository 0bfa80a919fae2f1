"""Derived indicators: values the checker computes rather than reads (contract §5).

Each derivation takes a submission and the rule book and returns what it derived (listed
under `derived`, with how) and any problems. Derived values join the submission's
observations, so rules read them like any other; samples and section rows are
aggregated with pandas/numpy first (checker/classify.py), and only the aggregates ever
reach the engine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from checker.models import Derived, Observation, Problem, SurfaceWaterStandard, Text
from checker.observations import SubmissionInput, subject_key
from checker.rulesets import RuleBook

if TYPE_CHECKING:
    import pandas as pd

# pandas, numpy and checker.classify are imported where samples are aggregated, not here: they
# take half a second to import, and most sheets give classes and shares, not samples.

GOOD_CLASSES = ("I", "II", "III")
SHARE = "surface_water.good_section_share"
INFERIOR_SHARE = "surface_water.inferior_v_share"
SECTION_CLASS = "surface_water.section_class"
SECTION_TYPE = "surface_water.section_type"
STATUS = "surface_water.water_quality_status"
ODOUR_GRADE = "black_odorous.grade"
ODOUR_ELIMINATED = "black_odorous.rivers_eliminated_cumulative"
DEPTH = "monitoring.water_depth"
ODOUR_ONLY_ITEMS = ("monitoring.transparency", "monitoring.orp")
TOLERANCE_PP = 0.1  # contract §5: a given and a derived share may differ by this much
LISTED = 20  # sections named in a derivation's explanation; beyond that, only counted


def _listed(names: list[str]) -> str:
    return "、".join(names[:LISTED]) + (f" …(+{len(names) - LISTED})" if len(names) > LISTED else "")


def _fmt(value: float) -> str:
    return f"{value:.6g}"


@dataclass(frozen=True)
class Derivation:
    """What one derivation computed: values listed under `derived`, the observations rules
    read them as, and the problems it found."""

    derived: list[Derived] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Text] = field(default_factory=list)


def _observation(sub: SubmissionInput, code: str, subject: str | None, value, unit: str | None, note: str, location) -> Observation:
    return Observation(
        jurisdiction=sub.jurisdiction, year=sub.year, indicator=code, value=value, unit=unit, subject=subject, note=note, location=location
    )


def _with(sub: SubmissionInput, found: Derivation) -> SubmissionInput:
    """A new submission: `sub` with what a derivation computed; `sub` itself is left as it was read."""
    added = {(o.indicator, subject_key(o.subject)): o for o in found.observations}
    return replace(
        sub,
        observations={**sub.observations, **added},
        problems=[*sub.problems, *found.problems],
        notes=[*sub.notes, *found.notes],
        derived_codes=sub.derived_codes | {o.indicator for o in found.observations},
        derived_keys=sub.derived_keys | set(added),
    )


def _samples_frame(sub: SubmissionInput, book: RuleBook) -> tuple[pd.DataFrame, dict[str, Observation]]:
    """The submission's samples that count, as (subject, item, value, month, limit, timed), subjects
    folded so that spellings of one section meet; with the first sample of each subject."""
    from checker.monitoring import sample_set

    found = sample_set(sub.samples, sub.year, book.surface_water)
    return found.frame, found.first


def monitored_section_classes(sub: SubmissionInput, book: RuleBook) -> Derivation:
    """GB 3838-2002 class of each section (and trophic status of each lake) from its samples."""
    from checker.section_classes import monitored_section_classes as derive_classes

    return derive_classes(sub, book)


def _class_share(
    sub: SubmissionInput,
    code: str,
    counted: tuple[str, ...],
    listed_when: Callable[[str], bool],
    label_en: str,
    label_zh: str,
    listed_en: str,
    listed_zh: str,
) -> Derivation:
    """A share of sections by class, derived from the section classes; checked against a given one."""
    usable = [o for o in sub.of(SECTION_CLASS) if o.value is not None]
    if not usable:
        return Derivation()
    # A plain count: a county's ten sections cost less than building a pandas Series, and
    # 50,000 sections still take milliseconds.
    hits = sum(o.value in counted for o in usable)
    total = len(usable)
    # Rounded to 2 decimals, as shares are published; the verdict and the printed value agree.
    share = round(hits * 100.0 / total, 2)
    # Name the sections behind the share: what an officer looks for next.
    named = [f"{o.subject} ({o.value})" for o in usable if listed_when(o.value)]
    derived = Derived(
        indicator=code,
        subject=None,
        value=share,
        unit="%",
        **{"from": f"{hits} of {total} sections {label_en}" + (f"; {listed_en}: {_listed(named)}" if named else "")},
    )
    given = sub.get(code)
    if given is None:
        return Derivation(
            [derived],
            [
                _observation(
                    sub,
                    code,
                    None,
                    share,
                    "%",
                    f"由{total}个断面类别计算：{hits}个{label_zh}" + (f"；{listed_zh}：{_listed(named)}" if named else ""),
                    usable[0].location,
                )
            ],
        )
    if isinstance(given.value, float) and abs(given.value - share) > TOLERANCE_PP:
        name_zh = "水质优良比例" if code == SHARE else "劣V类比例"
        problem = Problem(
            location=given.location.model_copy(update={"column": "value"}),
            jurisdiction=sub.jurisdiction,
            year=sub.year,
            indicator=code,
            subject=None,
            message=Text(
                zh=f"填报的{name_zh} {given.value}% 与断面类别计算值 {share:.2f}%（{hits}/{total}）相差超过 0.1 个百分点",
                en=f"the reported {code.split('.')[-1].replace('_', ' ')} {given.value}% differs from the {share:.2f}% "
                f"derived from section classes ({hits} of {total}) by more than 0.1 percentage point",
            ),
        )
        return Derivation([derived], problems=[problem])
    return Derivation([derived])


def good_section_share(sub: SubmissionInput, book: RuleBook) -> Derivation:
    return _class_share(sub, SHARE, GOOD_CLASSES, lambda c: c not in GOOD_CLASSES, "at I-III", "达到或优于Ⅲ类", "below III", "劣于Ⅲ类")


def inferior_v_share(sub: SubmissionInput, book: RuleBook) -> Derivation:
    return _class_share(sub, INFERIOR_SHARE, ("劣V",), lambda c: c == "劣V", "worse than V", "为劣Ⅴ类", "劣V", "劣Ⅴ类")


def status_from_shares(good_share: float, inferior_share: float, standard: SurfaceWaterStandard) -> str:
    """Water-quality status of five or more sections, from the two shares (in %)."""
    for band in standard.water_quality_status.by_share:
        if band.good_share_at_least is not None and good_share < band.good_share_at_least:
            continue
        if band.inferior_v_share_below is not None and inferior_share >= band.inferior_v_share_below:
            continue
        return band.status
    return standard.water_quality_status.by_share[-1].status


def water_quality_status(sub: SubmissionInput, book: RuleBook) -> Derivation:
    """优 / 良好 / 轻度·中度·重度污染 of the sections as a whole. Five or more sections: by the two
    shares. Fewer: each item averaged over the sections' means, classed, and the class named."""
    standard = book.surface_water
    if standard is None or sub.get(STATUS) is not None:
        return Derivation()
    classes = [o for o in sub.of(SECTION_CLASS) if o.value is not None]
    if not classes:
        return Derivation()
    rule = standard.water_quality_status
    if len(classes) >= rule.min_sections:
        good, inferior = sub.get(SHARE), sub.get(INFERIOR_SHARE)
        status = status_from_shares(float(good.value), float(inferior.value), standard)
        how = f"{len(classes)} sections: {good.value:g}% at I-III, {inferior.value:g}% 劣V"
    else:
        if not sub.samples:
            return Derivation()  # fewer than five sections are judged by their items' means: none without samples
        from checker.classify import item_class_index
        from checker.monitoring import mean_over_sections, period_means

        frame, _ = _samples_frame(sub, book)
        sections = {subject_key(o.subject) for o in classes}
        frame = frame[frame["subject"].isin(sections) & frame["item"].isin(standard.items.keys())]
        if set(frame["subject"]) != sections:
            return Derivation()  # some class was given without samples: the items cannot be averaged
        overall = mean_over_sections(period_means(frame, standard), standard)
        lakes = {subject_key(o.subject) for o in sub.of(SECTION_TYPE) if o.value == "lake"}
        all_lake = sections <= lakes
        worst, worst_item = -1, None
        for code, mean in overall.items():
            item = standard.items[code]
            if item.evaluated == "never":
                continue
            index = int(item_class_index([mean], item, all_lake)[0])
            if index > worst:
                worst, worst_item = index, code
        if worst_item is None:
            return Derivation()
        status = rule.by_class[standard.classes[worst]]
        how = (
            f"fewer than {rule.min_sections} sections ({len(classes)}): items averaged over the sections; "
            f"{standard.items[worst_item].name} {_fmt(overall[worst_item])} → {standard.classes[worst]}"
        )
    return Derivation(
        [Derived(indicator=STATUS, subject=None, value=status, unit=None, **{"from": how})],
        [_observation(sub, STATUS, None, status, None, how, classes[0].location)],
    )


def black_odour(sub: SubmissionInput, book: RuleBook) -> Derivation:
    """Each surveyed water body's grade, and (when the sheet gives no count) the number of them no
    longer black-odorous, which the plans' 消除黑臭 targets read."""
    standard = book.black_odour
    if standard is None or not sub.samples:
        return Derivation()
    from checker.classify import black_odour_grades
    from checker.section_classes import lakes_of, odour_points

    frame, first = _samples_frame(sub, book)
    points = odour_points(frame, lakes_of(sub))
    if not points:
        return Derivation()
    frame = frame[frame["subject"].isin(points)]
    depths = frame[frame["item"] == DEPTH].groupby("subject")["value"].mean().to_dict()
    grades = black_odour_grades(frame, depths, standard)
    derived: list[Derived] = []
    added: list[Observation] = []
    for key, row in grades.iterrows():
        sample = first[key]
        item = standard.items[row.deciding_item]
        how = f"{standard.standard}: worst item {item.name} {_fmt(row.deciding_mean)} {item.unit} → {row['grade']}"
        if key in depths and depths[key] < standard.shallow_water.below_depth_cm:
            how += f"; depth {_fmt(depths[key])} cm, transparency judged against the depth"
        if sub.get(ODOUR_GRADE, sample.subject) is None:
            added.append(_observation(sub, ODOUR_GRADE, sample.subject, row["grade"], None, how, sample.location))
        derived.append(Derived(indicator=ODOUR_GRADE, subject=sample.subject, value=row["grade"], unit=None, **{"from": how}))
    if sub.get(ODOUR_ELIMINATED) is None:
        clear = [first[k].subject for k, r in grades.iterrows() if r["grade_index"] == 0]
        still = [f"{first[k].subject} ({r['grade']})" for k, r in grades.iterrows() if r["grade_index"] > 0]
        how = f"{len(clear)} of {len(grades)} surveyed water bodies not black-odorous" + (
            f"; still black-odorous: {_listed(still)}" if still else ""
        )
        added.append(_observation(sub, ODOUR_ELIMINATED, None, float(len(clear)), "个", how, first[sorted(points)[0]].location))
        derived.append(Derived(indicator=ODOUR_ELIMINATED, subject=None, value=float(len(clear)), unit="个", **{"from": how}))
    return Derivation(derived, added)


CLASS_RANK = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "劣V": 6}
ROLE = "surface_water.section_role"
MARGIN = "surface_water.outflow_class_margin"


def outflow_class_margin(sub: SubmissionInput, book: RuleBook) -> Derivation:
    """出境断面水质不劣于入境断面: worst inflow class rank minus worst outflow class rank
    (>= 0 when the water leaves no worse than it came), from sections the sheet marks 入境/出境."""
    if sub.get(MARGIN) is not None:
        return Derivation()
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
        return Derivation()
    margin = float(worst["inflow"][0] - worst["outflow"][0])
    return Derivation(
        [
            Derived(
                indicator=MARGIN,
                subject=None,
                value=margin,
                unit="个",
                **{"from": f"worst inflow {worst['inflow'][1]}, worst outflow {worst['outflow'][1]}"},
            )
        ],
        [
            _observation(
                sub,
                MARGIN,
                None,
                margin,
                "个",
                f"入境最差：{worst['inflow'][1]}；出境最差：{worst['outflow'][1]}",
                sub.of(ROLE)[0].location,
            )
        ],
    )


WORST = "surface_water.worst_class_rank"


def worst_class_rank(sub: SubmissionInput, book: RuleBook) -> Derivation:
    """全面达到V类 and the like: the worst class of the sections as a rank (Ⅰ-Ⅴ 1-5, 劣Ⅴ 6), so
    that a class target is judged on the classes the sheet gives, not on a number typed by hand."""
    if sub.get(WORST) is not None:
        return Derivation()
    if not any(lr.reads(WORST) for lr in book.rulesets_for(sub.jurisdiction, sub.year)):
        return Derivation()  # only where a target reads it: a rank no rule asks for is noise in the report
    classes = [o for o in sub.of(SECTION_CLASS) if o.value is not None]
    if not classes:
        return Derivation()
    worst = max(classes, key=lambda o: CLASS_RANK[o.value])
    rank = float(CLASS_RANK[worst.value])
    how = f"worst of {len(classes)} sections: {worst.subject} {worst.value}"
    return Derivation(
        [Derived(indicator=WORST, subject=None, value=rank, unit="个", **{"from": how})],
        [_observation(sub, WORST, None, rank, "个", f"{len(classes)}个断面中最差：{worst.subject} {worst.value}类", worst.location)],
    )


# Order matters: section classes from samples first, then everything computed from classes.
DERIVATIONS = (
    monitored_section_classes,
    black_odour,
    good_section_share,
    inferior_v_share,
    water_quality_status,
    outflow_class_margin,
    worst_class_rank,
)
# What each derived indicator is computed from: a bad row of these makes a rule on it `error`.
# A code ending in "." stands for every code it begins (all monitoring samples).
SAMPLES = "monitoring."
DEPENDS_ON = {
    SHARE: (SECTION_CLASS, SAMPLES),
    INFERIOR_SHARE: (SECTION_CLASS, SAMPLES),
    STATUS: (SECTION_CLASS, SAMPLES),
    MARGIN: (SECTION_CLASS, ROLE, SAMPLES),
    WORST: (SECTION_CLASS, SAMPLES),
    ODOUR_ELIMINATED: (ODOUR_GRADE, SAMPLES),
}


def depends_on(indicator: str, code: str | None) -> bool:
    """Whether a problem on `code` affects a rule reading `indicator`."""
    return code is not None and any(code == dep or (dep.endswith(".") and code.startswith(dep)) for dep in DEPENDS_ON.get(indicator, ()))


def derive(sub: SubmissionInput, book: RuleBook) -> tuple[SubmissionInput, list[Derived]]:
    """Run every derivation in turn, each seeing what the ones before it computed. Returns a new
    submission with the derived values and their problems, and the list of what was derived;
    the submission given is not changed (it is also what the store records as read)."""
    derived: list[Derived] = []
    for derivation in DERIVATIONS:
        found = derivation(sub, book)
        derived.extend(found.derived)
        sub = _with(sub, found)
    return sub, derived
