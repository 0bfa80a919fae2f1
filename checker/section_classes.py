"""Derivations from monitoring samples: each section's GB 3838-2002 class, and each lake's trophic
status. Split from checker/derive.py, which runs them; the statistics are checker/monitoring.py's."""

from __future__ import annotations

from checker.derive import DEPTH, ODOUR_ONLY_ITEMS, SECTION_CLASS, SECTION_TYPE, Derivation, _fmt, _observation
from checker.models import Derived, Problem, SurfaceWaterStandard, Text
from checker.observations import SubmissionInput, subject_key
from checker.rulesets import RuleBook

TROPHIC_INDEX = "surface_water.trophic_index"
TROPHIC_STATUS = "surface_water.trophic_status"


def lakes_of(sub: SubmissionInput) -> set[str]:
    return {subject_key(o.subject) for o in sub.of(SECTION_TYPE) if o.value == "lake"}


def odour_points(frame, lakes: set[str]) -> set[str]:
    """Water bodies surveyed for black odour (transparency or ORP samples, and not a lake, whose
    transparency is a trophic parameter): graded by the guideline, not counted as sections."""
    return set(frame.loc[frame["item"].isin(ODOUR_ONLY_ITEMS), "subject"]) - lakes


def _item_part(standard: SurfaceWaterStandard, r) -> str:
    """One item's mean in a section's explanation: its class, and whether it is a reference item."""
    item = standard.items[r.item]
    shown = (
        f"<{_fmt(r.limit)} ({int(r.non_detects)} of {int(r.samples)} non-detect, at half the limit: {_fmt(r.mean)})"
        if r.non_detects
        else _fmt(r.mean)
    )
    if not item.classed:
        return f"{item.name} {shown} (reference, not classed)"
    part = f"{item.name} {shown} → {standard.classes[r.class_index]}"
    if r.bounded:
        return part + f" (detection limit {_fmt(r.limit)} above the {standard.classes[r.class_index]} limit: cannot set it)"
    return part + ("" if r.evaluated else " (reference)")


def _unknown_type(sub: SubmissionInput) -> dict[str, Problem]:
    """Sections whose type could not be read: judging them as rivers would be a guess."""
    return {subject_key(p.subject): p for p in sub.problems_for(SECTION_TYPE) if p.subject is not None}


def monitored_section_classes(sub: SubmissionInput, book: RuleBook) -> Derivation:
    """GB 3838-2002 class of each section from its samples, where the sheet gives no class for it."""
    standard = book.surface_water
    if standard is None or not sub.samples:
        return Derivation()
    from checker.classify import classify_means, section_classes
    from checker.monitoring import left_out, period_means, sample_set

    found = sample_set(sub.samples, sub.year, standard)
    frame = found.frame
    lakes = lakes_of(sub)
    trophic = set(standard.trophic_status.items) if standard.trophic_status is not None else set()
    frame = frame[~frame["subject"].isin(odour_points(frame, lakes)) & frame["item"].isin(standard.items.keys() | trophic)]
    notes = _out_of_year_notes(sub, found.out_of_year)
    unknown = _unknown_type(sub)
    problems = [_unknown_type_problem(sub, key, found.first[key], p) for key, p in unknown.items() if key in set(frame["subject"])]
    frame = frame[~frame["subject"].isin(unknown)]
    if frame.empty:
        return Derivation(problems=problems, notes=notes)
    all_means = period_means(frame, standard)
    means = classify_means(all_means, lakes, standard)
    classes = section_classes(means, standard)
    counts = frame[frame["item"].isin(standard.items.keys())].groupby("subject")["value"].size()
    by_section = {key: list(rows.itertuples()) for key, rows in means.groupby("subject", sort=False)}
    derived: list[Derived] = []
    added = []
    for key, row in classes.iterrows():
        sample = found.first[key]
        kind = "lake" if key in lakes else "river"
        parts = [_item_part(standard, r) for r in by_section[key]]
        how = (
            f"GB 3838-2002 single factor, {kind} limits, means of {int(counts[key])} samples: "
            f"{standard.items[row.deciding_item].name} {_fmt(row.deciding_mean)} sets {row['class']}; " + ", ".join(parts)
        )
        if not all(r.evaluated or r.bounded for r in by_section[key]):
            how += "; reference items do not set the class (环办〔2011〕22号)"
        how += left_out(found, key)
        given = sub.get(SECTION_CLASS, sample.subject)
        if given is not None and given.value is not None:
            if given.value != row["class"]:
                problems.append(_contradiction(sub, given, row, standard))
            continue
        added.append(
            _observation(
                sub,
                SECTION_CLASS,
                sample.subject,
                row["class"],
                None,
                f"由监测数据按单因子评价计算：{standard.items[row.deciding_item].name}均值 {_fmt(row.deciding_mean)}，{row['class']}类",
                sample.location,
            )
        )
        derived.append(Derived(indicator=SECTION_CLASS, subject=sample.subject, value=row["class"], unit=None, **{"from": how}))
    derived += _trophic(all_means, lakes, found.first, standard)
    if book.cwqi is not None:
        from checker.cwqi import derived_cwqi

        derived += derived_cwqi(all_means, lakes, found.first, book.cwqi, standard)
    return Derivation(derived, added, problems, notes)


def _contradiction(sub: SubmissionInput, given, row, standard: SurfaceWaterStandard) -> Problem:
    name = standard.items[row.deciding_item].name
    return Problem(
        location=given.location.model_copy(update={"column": "value"}),
        jurisdiction=sub.jurisdiction,
        year=sub.year,
        indicator=SECTION_CLASS,
        subject=given.subject,
        message=Text(
            zh=f"断面“{given.subject}”填报为{given.value}类，监测数据计算为{row['class']}类（{name} 均值 {_fmt(row.deciding_mean)}）",
            en=f"section {given.subject!r} is reported as {given.value} but its samples give "
            f"{row['class']} ({name} mean {_fmt(row.deciding_mean)})",
        ),
    )


def _unknown_type_problem(sub: SubmissionInput, key: str, sample, problem: Problem) -> Problem:
    return Problem(
        location=problem.location,
        jurisdiction=sub.jurisdiction,
        year=sub.year,
        indicator=SECTION_CLASS,
        subject=sample.subject,
        message=Text(
            zh=f"断面“{sample.subject}”的类型（河流/湖库）无法识别，不按河流推定，其水质类别不予计算",
            en=f"section {sample.subject!r} has a section type (river/lake) that could not be read: "
            f"it is not assumed to be a river, and its class is not derived",
        ),
    )


def _out_of_year_notes(sub: SubmissionInput, samples) -> list[Text]:
    if not samples:
        return []
    where = "; ".join(f"{o.date} ({o.location.describe()})" for o in samples[:5]) + (f" …(+{len(samples) - 5})" if len(samples) > 5 else "")
    return [
        Text(
            zh=f"{len(samples)} 行监测数据的采样日期不在{sub.year}年内，不计入均值：{where}",
            en=f"{len(samples)} monitoring rows are dated outside {sub.year} and are not averaged: {where}",
        )
    ]


def _trophic(means, lakes: set[str], first, standard: SurfaceWaterStandard) -> list[Derived]:
    """TLI(Σ) and trophic status of every lake section with a trophic parameter (总站生字〔2001〕090号)."""
    from checker.monitoring import trophic_index

    if standard.trophic_status is None:
        return []
    derived = []
    lake_means = means[means["subject"].isin(lakes)]
    for key, rows in lake_means.groupby("subject", sort=True):
        result = trophic_index(dict(zip(rows["item"], rows["mean"], strict=True)), standard)
        if result is None:
            continue
        index, status, parts = result
        how = f"TLI(Σ) = Σ Wj·TLI(j), 总站生字〔2001〕090号, from {parts}"
        subject = first[key].subject
        derived.append(Derived(indicator=TROPHIC_INDEX, subject=subject, value=round(index, 2), unit=None, **{"from": how}))
        derived.append(
            Derived(indicator=TROPHIC_STATUS, subject=subject, value=status, unit=None, **{"from": f"TLI(Σ) {index:.2f} → {status}"})
        )
    return derived


__all__ = ["monitored_section_classes", "odour_points", "lakes_of", "DEPTH"]
