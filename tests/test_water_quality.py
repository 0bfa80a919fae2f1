"""Water quality by the national method, to the letter (issue 16): non-detects and values not
reported, sampling times and periods, rounding, trophic status."""

import math

import pandas as pd
import pytest

from checker.monitoring import period_means, round_half_even, trophic_index
from checker.values import NonDetect, NotReported, parse_sample_mark
from conftest import finding

SHARE = "jiamusi-2018.water-quality.good-section-share"


def derived_of(report, indicator):
    return {d.subject: d for s in report.submissions for d in s.derived if d.indicator == indicator}


def row(item, value, section="断面甲", date="2018-05-15", unit="", note="", year=2018):
    return ("jiamusi", year, item, value, unit, section, date, note)


def problems_of(report):
    """Every problem: those a finding carries (as `error`) and those listed apart."""
    listed = [p.message.en for s in report.submissions for p in s.problems]
    return listed + [f.message.en for s in report.submissions for f in s.findings if f.status == "error"]


# ---------------------------------------------------------------- non-detects


@pytest.mark.parametrize(
    "written", ["0.02L", "0.02l", "<0.02", "＜0.02", "ND(0.02)", "未检出(0.02)", "未检出（0.02）", "未检出（检出限0.02）"]
)
def test_each_non_detect_form_is_read_as_half_its_limit(sheet, run, written):
    # NH3-N: the non-detect counts 0.01 (half of 0.02), 0.4 is measured: (0.01 + 0.4) / 2 = 0.205,
    # 0.20 at two places (五成双). Read, never a parse error, and the class says how it was counted.
    report = run(sheet([row("monitoring.nh3n", written, date="2018-05-15"), row("monitoring.nh3n", 0.4, date="2018-06-15")]))
    assert not problems_of(report)
    derived = derived_of(report, "surface_water.section_class")["断面甲"]
    assert derived.value == "II"
    assert "NH3-N <0.02 (1 of 2 non-detect, at half the limit: 0.2) → II" in derived.from_


def test_a_non_detect_limit_is_converted_with_its_unit(sheet, run):
    report = run(sheet([row("monitoring.nh3n", "<20", unit="μg/L")]))
    assert (
        "NH3-N <0.02 (1 of 1 non-detect, at half the limit: 0.01) → I" in derived_of(report, "surface_water.section_class")["断面甲"].from_
    )


def test_a_non_detect_above_a_class_limit_cannot_set_that_class(sheet, run):
    # Cd "<0.01": half is 0.005, Class II's limit, but the true value may be anything below 0.01
    # (Class V's limit): Cd cannot give the section II; NH3-N 0.1 gives it I.
    report = run(sheet([row("monitoring.cd", "0.01L"), row("monitoring.nh3n", 0.1)]))
    derived = derived_of(report, "surface_water.section_class")["断面甲"]
    assert derived.value == "I" and "NH3-N 0.1 sets I" in derived.from_
    assert (
        "Cd <0.01 (1 of 1 non-detect, at half the limit: 0.005) → II (detection limit 0.01 above the II limit: cannot set it)"
        in derived.from_
    )
    # A limit at or below the class limit bounds nothing: Cd "<0.001" is 0.0005, Class I.
    report = run(sheet([row("monitoring.cd", "<0.001"), row("monitoring.nh3n", 0.3)]))
    derived = derived_of(report, "surface_water.section_class")["断面甲"]
    assert derived.value == "II" and "cannot set" not in derived.from_


@pytest.mark.parametrize("mark", ["--", "*", "未检出", "ND", "当天质控不合格"])
def test_a_value_not_reported_is_left_out_and_counted_never_an_error(sheet, run, mark):
    rows = [row("monitoring.nh3n", mark), row("monitoring.nh3n", 0.4, date="2018-06-15"), row("monitoring.do", 7.8)]
    report = run(sheet(rows))
    assert not problems_of(report)
    derived = derived_of(report, "surface_water.section_class")["断面甲"]
    assert derived.value == "II" and "means of 2 samples" in derived.from_
    assert derived.from_.endswith(f"; 1 not reported, left out of the means: {mark} ×1")
    assert finding(report, SHARE).status == "pass"


def test_a_quality_control_failure_in_the_note_leaves_the_sample_out(sheet, run):
    rows = [row("monitoring.nh3n", 1.8, note="当天质控不合格"), row("monitoring.nh3n", 0.4, date="2018-06-15")]
    derived = derived_of(run(sheet(rows)), "surface_water.section_class")["断面甲"]
    assert derived.value == "II" and "备注 当天质控不合格 ×1" in derived.from_


def test_marks_are_recognised_and_numbers_are_not():
    assert parse_sample_mark("0.005L") == NonDetect(0.005)
    assert parse_sample_mark("未检出") == NotReported("未检出")
    assert parse_sample_mark("0.5") is None and parse_sample_mark(0.5) is None and parse_sample_mark("未检出?") is None


def test_a_negative_concentration_is_refused_with_its_location(sheet, run):
    report = run(sheet([row("monitoring.nh3n", -0.1), row("monitoring.do", 7.8)]))
    f = finding(report, SHARE)
    assert f.status == "error" and (f.locations[0].file.endswith("sheet.csv"), f.locations[0].row, f.locations[0].column) == (
        True,
        2,
        "value",
    )
    assert "不能为负值" in f.message.zh and "monitoring.nh3n cannot be negative (got -0.1)" in f.message.en
    # Water temperature may be below zero: no problem.
    assert not problems_of(run(sheet([row("水温", -0.5), row("monitoring.do", 7.8)], name="cold.csv")))


def test_an_unknown_section_type_is_an_error_for_that_section_never_a_river(sheet, run):
    rows = [row("monitoring.tp", 0.04), row("surface_water.section_type", "海湾", date=""), row("monitoring.tp", 0.04, section="断面乙")]
    report = run(sheet(rows))
    classes = derived_of(report, "surface_water.section_class")
    assert "断面甲" not in classes and classes["断面乙"].value == "II"
    f = finding(report, SHARE)
    assert f.status == "error" and "断面“断面甲”的类型（河流/湖库）无法识别，不按河流推定" in f.message.zh


# ---------------------------------------------------------------- samples and periods


def test_readings_of_one_day_at_different_times_are_samples(sheet, run):
    # The example: 0.025 three times in a day and 1.9 average to 0.494 (0.49), not 0.9625.
    rows = [row("monitoring.nh3n", v, date=f"2018-05-15 {h}:00") for v, h in ((0.025, "08"), (0.025, "12"), (0.025, "16"), (1.9, "20"))]
    derived = derived_of(run(sheet(rows)), "surface_water.section_class")["断面甲"]
    assert "means of 4 samples: NH3-N 0.49 sets II" in derived.from_


def test_the_same_row_repeated_counts_once(sheet, run):
    rows = [row("monitoring.nh3n", 0.025, date="2018-05-15 08:00")] * 3 + [row("monitoring.nh3n", 1.9, date="2018-05-15 20:00")]
    report = run(sheet(rows))
    assert "means of 2 samples" in derived_of(report, "surface_water.section_class")["断面甲"].from_


def test_the_release_s_own_times_take_the_sheet_s_year(sheet, run):
    rows = [row("monitoring.nh3n", 0.4, date="05-15 08:00"), row("monitoring.nh3n", 0.6, date="05-15 12:00")]
    report = run(sheet(rows))
    assert not problems_of(report)
    assert "means of 2 samples: NH3-N 0.5 sets II" in derived_of(report, "surface_water.section_class")["断面甲"].from_


def test_the_annual_value_is_the_mean_of_monthly_means(sheet, run):
    # January's three samples count once: (0.1 + 1.3) / 2 = 0.7 (III), not (0.1×3 + 1.3) / 4 = 0.4 (II).
    rows = [row("monitoring.nh3n", 0.1, date=f"2018-01-{d:02d}") for d in (5, 15, 25)] + [row("monitoring.nh3n", 1.3, date="2018-02-15")]
    derived = derived_of(run(sheet(rows)), "surface_water.section_class")["断面甲"]
    assert derived.value == "III" and "NH3-N 0.7 sets III" in derived.from_


def test_samples_dated_outside_the_year_are_reported_not_averaged(sheet, run):
    rows = [row("monitoring.nh3n", 0.4), row("monitoring.nh3n", 1.9, date="2017-12-15")]
    report = run(sheet(rows))
    assert "means of 1 samples: NH3-N 0.4 sets II" in derived_of(report, "surface_water.section_class")["断面甲"].from_
    [note] = [n for s in report.submissions for n in s.notes if "outside 2018" in n.en]
    assert note.en.startswith("1 monitoring rows are dated outside 2018 and are not averaged: 2017-12-15")


# ---------------------------------------------------------------- rounding


def _one_mean(standard, code, value, timed=False):
    frame = pd.DataFrame({"subject": ["s"], "item": [code], "value": [value], "month": [5], "limit": [math.nan], "timed": [timed]})
    return float(period_means(frame, standard)["mean"].iloc[0])


def test_each_item_rounds_half_to_even_at_its_decimal_places(book):
    standard = book.surface_water
    checked = 0
    for code, item in standard.items.items():
        if item.decimals is None or item.mean != "arithmetic":
            continue
        step = 10.0**-item.decimals
        # x.xx5 after an even digit goes down, after an odd digit goes up; past the half goes up.
        for kept, expected in ((2, 2), (3, 4)):
            value = (kept + 0.5) * step
            assert _one_mean(standard, code, value) == pytest.approx(expected * step, abs=step / 100), (code, value)
        assert _one_mean(standard, code, 2.5001 * step) == pytest.approx(3 * step), code
        checked += 1
    assert checked == 23  # Table 1's 24 items but pH, which is averaged as hydrogen ions


@pytest.mark.parametrize(
    "code, value, lake, expected",
    [
        ("monitoring.nh3n", 0.155, False, "II"),  # 0.16
        ("monitoring.nh3n", 0.145, False, "I"),  # 0.14
        ("monitoring.tp", 0.0255, True, "III"),  # 0.026
        ("monitoring.tp", 0.0245, True, "II"),  # 0.024
        ("monitoring.do", 4.95, False, "III"),  # 5.0 (4 is even: 4.95 → 5.0 as 9 is odd)
        ("monitoring.codmn", 6.05, False, "III"),  # 6.0
    ],
)
def test_the_rounded_mean_is_what_is_classed(sheet, run, code, value, lake, expected):
    rows = [row(code, value)] + ([row("surface_water.section_type", "湖库", date="")] if lake else [])
    assert derived_of(run(sheet(rows)), "surface_water.section_class")["断面甲"].value == expected


def test_a_lone_timed_reading_is_classed_as_reported(book):
    # An automatic station's reading, as the national release classes it: not a period's mean.
    assert _one_mean(book.surface_water, "monitoring.nh3n", 0.155, timed=True) == 0.155


def test_ph_is_averaged_as_hydrogen_ions(sheet, run):
    # pH 6 and 8: hydrogen ions 1e-6 and 1e-8 average to 5.05e-7, pH 6.3, 6 as a whole number.
    rows = [row("monitoring.ph", 6), row("monitoring.ph", 8, date="2018-05-16")]
    assert "pH 6 → I" in derived_of(run(sheet(rows)), "surface_water.section_class")["断面甲"].from_


def test_round_half_even_uses_the_decimal_the_float_stands_for():
    assert round_half_even(2.675, 2) == 2.68  # the float is 2.67499999…; the written value is 2.675
    assert round_half_even((0.1 + 0.2) / 2, 2) == 0.15


# ---------------------------------------------------------------- trophic status


def tli_by_hand(chla, tp, tn, sd, codmn):
    """总站生字〔2001〕090号, 1: written out from the formulas, chl a in mg/m³ and SD in m."""
    singles = [
        10 * (2.5 + 1.086 * math.log(chla)),
        10 * (9.436 + 1.624 * math.log(tp)),
        10 * (5.453 + 1.694 * math.log(tn)),
        10 * (5.118 - 1.94 * math.log(sd)),
        10 * (0.109 + 2.661 * math.log(codmn)),
    ]
    r2 = [1, 0.7056, 0.6724, 0.6889, 0.6889]
    return sum(w * t for w, t in zip(r2, singles, strict=True)) / sum(r2)


@pytest.mark.parametrize(
    "chla, tp, tn, sd, codmn",
    [(2, 0.01, 0.2, 4, 1.5), (10, 0.05, 1.0, 1.0, 4), (40, 0.2, 2.5, 0.3, 8), (150, 0.5, 6, 0.2, 12)],
)
def test_tli_equals_the_formulas_written_out(book, chla, tp, tn, sd, codmn):
    means = {
        "monitoring.chla": chla / 1000,
        "monitoring.tp": tp,
        "monitoring.tn": tn,
        "monitoring.transparency": sd * 100,
        "monitoring.codmn": codmn,
    }
    index, status, how = trophic_index(means, book.surface_water)
    assert index == pytest.approx(tli_by_hand(chla, tp, tn, sd, codmn), abs=1e-9)
    assert "chl a" in how and "(W 0.2663)" in how  # 1 / 3.7558, the weight the source's table gives chl a


@pytest.mark.parametrize(
    "index, status",
    [
        (29.99, "贫营养"),
        (30, "中营养"),
        (50, "中营养"),
        (50.01, "轻度富营养"),
        (60, "轻度富营养"),
        (70, "中度富营养"),
        (70.01, "重度富营养"),
    ],
)
def test_tli_bands_as_the_source_draws_them(book, index, status):
    # A TP-only index: 10·(9.436 + 1.624 ln TP) = index, so TP = exp((index/10 - 9.436) / 1.624).
    tp = math.exp((index / 10 - 9.436) / 1.624)
    assert trophic_index({"monitoring.tp": tp}, book.surface_water)[1] == status


def test_lakes_get_their_trophic_status_under_derived(sheet, run):
    rows = [
        row("surface_water.section_type", "湖库", date=""),
        row("monitoring.chla", 0.01),
        row("monitoring.tp", 0.05),
        row("monitoring.tn", 1.0),
        row("monitoring.transparency", 100),
        row("monitoring.codmn", 4),
    ]
    report = run(sheet(rows))
    index = derived_of(report, "surface_water.trophic_index")["断面甲"]
    assert index.value == round(tli_by_hand(10, 0.05, 1.0, 1.0, 4), 2)
    assert index.from_.startswith("TLI(Σ) = Σ Wj·TLI(j), 总站生字〔2001〕090号, from chl a 10 mg/m³")
    assert derived_of(report, "surface_water.trophic_status")["断面甲"].value == "中营养"  # TLI(Σ) 48.02
    # The lake is classed as a section, not surveyed for black odour, though it has transparency.
    assert derived_of(report, "surface_water.section_class")["断面甲"].value == "III"
    assert not derived_of(report, "black_odorous.grade")


# ---------------------------------------------------------------- against a plain reference


# The rules written out plainly, apart from the checker: Class I..V limits, direction, the
# decimal places of the year's value (rulesets/standards/gb3838-2002.yaml says the same).
REFERENCE = {
    "monitoring.ph": ("range", (6, 9), 0),
    "monitoring.do": ("min", (7.5, 6, 5, 3, 2), 1),
    "monitoring.nh3n": ("max", (0.15, 0.5, 1.0, 1.5, 2.0), 2),
    "monitoring.tp": ("max", (0.02, 0.1, 0.2, 0.3, 0.4), 3),
    "monitoring.cd": ("max", (0.001, 0.005, 0.005, 0.005, 0.01), 5),
    "monitoring.tn": ("reference", (0.2, 0.5, 1.0, 1.5, 2.0), 2),
}
LAKE_TP = (0.01, 0.025, 0.05, 0.1, 0.2)
CLASS_NAMES = ["I", "II", "III", "IV", "V", "劣V"]


def _half_even(value, places):
    from fractions import Fraction

    scaled = Fraction(value) * 10**places
    whole = scaled.numerator // scaled.denominator
    rest = scaled - whole
    if rest > Fraction(1, 2) or (rest == Fraction(1, 2) and whole % 2 == 1):
        whole += 1
    return Fraction(whole, 10**places)


def reference_class(samples, lake):
    """samples: (item, written value, month). The class, or None when nothing can set one."""
    from fractions import Fraction

    by_item = {}
    for item, written, month in samples:
        if written == "--":
            continue
        limit = None
        if isinstance(written, str) and written.endswith("L"):
            limit = Fraction(written[:-1])
            value = limit / 2
        else:
            value = Fraction(str(written))
        by_item.setdefault(item, {}).setdefault(month, []).append((value, limit))
    worst = None
    for item, months in by_item.items():
        direction, limits, places = REFERENCE[item]
        if direction == "reference":
            continue
        if item == "monitoring.ph":  # averaged as hydrogen ions
            monthly = [sum(10 ** -float(v) for v, _ in s) / len(s) for s in months.values()]
            mean = Fraction(-math.log10(sum(monthly) / len(monthly))).limit_denominator(10**12)
        else:
            monthly = [sum(v for v, _ in s) / len(s) for s in months.values()]
            mean = sum(monthly) / len(monthly)
        mean = _half_even(mean, places)
        if direction == "range":
            k = 0 if limits[0] <= mean <= limits[1] else 5
        elif direction == "min":
            k = next((i for i, lim in enumerate(limits) if mean >= Fraction(str(lim))), 5)
        else:
            limits = LAKE_TP if (lake and item == "monitoring.tp") else limits
            k = next((i for i, lim in enumerate(limits) if mean <= Fraction(str(lim))), 5)
            detection = max((lim for s in months.values() for _, lim in s if lim is not None), default=None)
            if detection is not None and k < 5 and detection > Fraction(str(limits[k])):
                continue  # a non-detect above the class limit cannot set the class
        worst = k if worst is None else max(worst, k)
    return None if worst is None else CLASS_NAMES[worst]


def _written(item):
    from hypothesis import strategies as st

    direction, limits, places = REFERENCE[item]
    if item == "monitoring.ph":
        return st.decimals(min_value=5, max_value=10, places=2).map(float)
    from decimal import Decimal

    top = Decimal(str(max(limits))) * Decimal("1.5")
    near = st.sampled_from(limits).flatmap(
        lambda lim: st.sampled_from([lim, lim + 5 * 10.0 ** -(places + 1), lim - 5 * 10.0 ** -(places + 1)])
    )
    plain = st.decimals(min_value=0, max_value=top, places=places + 1).map(float)
    values = st.one_of(near.filter(lambda v: v >= 0).map(lambda v: round(v, places + 1)), plain)
    if direction == "max":
        non_detect = st.sampled_from(sorted(set(limits) | {limits[0] / 2})).map(lambda lim: f"{lim:g}L")
        return st.one_of(values, values, non_detect, st.just("--"))
    return st.one_of(values, values, st.just("--"))


def test_any_sample_set_gives_the_reference_class(book, tmp_path_factory):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from checker.pipeline import run_check
    from conftest import write_csv

    sample = st.sampled_from(sorted(REFERENCE)).flatmap(lambda item: st.tuples(st.just(item), _written(item), st.integers(1, 12)))

    @settings(max_examples=60, deadline=None)
    @given(samples=st.lists(sample, min_size=1, max_size=12), lake=st.booleans())
    def check(samples, lake):
        rows = [row(item, value, date=f"2018-{month:02d}-{i + 1:02d}") for i, (item, value, month) in enumerate(samples)]
        if lake:
            rows.append(row("surface_water.section_type", "湖库", date=""))
        path = write_csv(tmp_path_factory.mktemp("any") / "sheet.csv", rows)
        classes = derived_of(run_check([path], book, None), "surface_water.section_class")
        got = classes["断面甲"].value if "断面甲" in classes else None
        assert got == reference_class(samples, lake), (samples, classes.get("断面甲"))

    check()
