"""GB 3838-2002 classes and black-odorous grades from monitoring samples (contract §5)."""

import csv
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.classify import item_class_index, odour_grade_index
from checker.engine import Engine
from conftest import RELEASE_HEADERS, ROOT, finding

DATA = Path(__file__).parent / "data" / "cnemc"
# Every GB 3838-2002 Table 1 item the release carries, TN and water temperature included.
RELEASE_ITEMS = {
    "temperature_c": "monitoring.water_temp",
    "ph": "monitoring.ph",
    "do_mg_l": "monitoring.do",
    "codmn_mg_l": "monitoring.codmn",
    "nh3n_mg_l": "monitoring.nh3n",
    "tp_mg_l": "monitoring.tp",
    "tn_mg_l": "monitoring.tn",
}
# What else it carries: none of these is a Table 1 item, so none has a class to give.
RELEASE_NOT_TABLE_1 = {"conductivity_us_cm", "turbidity_ntu", "chla_mg_l", "algae_cells_l"}
CLASSES = ["I", "II", "III", "IV", "V", "劣V"]


def derived_of(report, indicator):
    return {d.subject: d for s in report.submissions for d in s.derived if d.indicator == indicator}


# ---------------------------------------------------------------- conformance with real data


def test_conformance_with_the_national_release(tmp_path, sheet, run, book):
    """Every classed reading of the CNEMC page, as a sheet of samples with every Table 1 item the
    release carries: the derived class equals the published one. TN and water temperature are
    reference items (环办〔2011〕22号), for lakes as for rivers, so the lakes whose TN alone is
    worse keep the class of their other items."""
    with open(DATA / "section-types.csv", encoding="utf-8") as handle:
        types = {(r["province"], r["section"]): r["water_body_type"] for r in csv.DictReader(handle)}
    rows, published, lakes, tn = [], {}, set(), {}
    with open(DATA / "snapshot-2026-08-21-p1.csv", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert (
            set(reader.fieldnames) - {"province", "basin", "section", "time", "published_class"} == set(RELEASE_ITEMS) | RELEASE_NOT_TABLE_1
        )  # a new column would be noticed here
        for r in reader:
            subject = f"{r['province']}/{r['section']}"
            if types[(r["province"], r["section"])] == "lake":
                lakes.add(subject)
                rows.append(("jiamusi", 2018, "surface_water.section_type", "湖库", "", subject))
            for column, code in RELEASE_ITEMS.items():
                if r[column] != "--":
                    # The release's own time ("08-21 20:00"), its year the sheet's.
                    rows.append(("jiamusi", 2018, code, r[column], "", subject, r["time"]))
            if r["tn_mg_l"] != "--":
                tn[subject] = float(r["tn_mg_l"])
            if r["published_class"] != "-1":
                published[subject] = CLASSES[int(r["published_class"]) - 1]
    report = run(sheet(rows))
    derived = derived_of(report, "surface_water.section_class")
    classes = {subject: d.value for subject, d in derived.items()}
    assert len(published) == 479
    mismatched = {s: (c, classes.get(s)) for s, c in published.items() if classes.get(s) != c}
    assert mismatched == {}
    # The lakes are among them, and some would be worse if TN set their class.
    classed_lakes = lakes & set(published)
    assert len(classed_lakes) == 14
    tn_item = book.surface_water.items["monitoring.tn"]
    tn_worse = {s for s in classed_lakes & set(tn) if int(item_class_index([tn[s]], tn_item)[0]) > CLASSES.index(published[s])}
    assert len(tn_worse) >= 5
    for s in tn_worse:
        assert "TN " in derived[s].from_ and "(reference)" in derived[s].from_
        assert "sets" in derived[s].from_ and "TN " not in derived[s].from_.split(";")[0]
    # Each derivation says which item set the class; water temperature is reported, never classed.
    one = derived["北京市/沙窝"]
    assert one.value == "劣V" and "sets 劣V" in one.from_
    assert "water temperature 28.17 (reference, not classed)" in one.from_
    assert one.from_.endswith("; reference items do not set the class (环办〔2011〕22号)")


# ---------------------------------------------------------------- the table's limits


def _standard(book):
    return book.surface_water


def limit_cases(book):
    for code, item in _standard(book).items.items():
        if item.direction == "range":
            continue
        for kind, limits in (("river", item.limits), ("lake", item.lake_limits)):
            if limits is None:
                continue
            for k, limit in enumerate(limits):
                yield code, kind, k, limit


def test_every_limit_belongs_to_the_better_class_and_one_step_past_to_the_worse(book):
    checked = 0
    for code, kind, k, limit in limit_cases(book):
        item = _standard(book).items[code]
        limits = item.lake_limits if kind == "lake" else item.limits
        at = int(item_class_index([limit], item, kind == "lake")[0])
        # At the limit: the best class whose limit it meets (COD 15 is Class I, not II).
        assert at == limits.index(limit), (code, kind, k)
        if item.direction == "max":
            past = math.nextafter(limit, math.inf)
            expected = next((j for j, lim in enumerate(limits) if lim > limit), 5)
        else:  # DO: the direction is reversed
            past = math.nextafter(limit, -math.inf)
            expected = next((j for j, lim in enumerate(limits) if lim < limit), 5)
        assert int(item_class_index([past], item, kind == "lake")[0]) == expected, (code, kind, k)
        checked += 1
    with_limits = [i for i in _standard(book).items.values() if i.direction in ("max", "min")]
    assert checked == 5 * len(with_limits) + 5  # every item's limits, and TP's lake limits


def test_ph_range(book):
    ph = _standard(book).items["monitoring.ph"]
    values = [6, 9, 7.5, math.nextafter(6, -math.inf), math.nextafter(9, math.inf), 5.2, 10]
    assert item_class_index(values, ph).tolist() == [0, 0, 0, 5, 5, 5, 5]


def reference_class(value, limits, direction):
    """The table read by hand: classes tried from I upward."""
    for k, limit in enumerate(limits):
        if (value <= limit) if direction == "max" else (value >= limit):
            return k
    return 5


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_vectorised_class_equals_the_table_read_by_hand(book, data):
    code = data.draw(st.sampled_from([c for c, i in _standard(book).items.items() if i.direction in ("max", "min")]))
    item = _standard(book).items[code]
    lake = data.draw(st.booleans()) and item.lake_limits is not None
    limits = item.lake_limits if lake else item.limits
    near_limit = st.sampled_from(limits).flatmap(
        lambda lim: st.sampled_from([lim, math.nextafter(lim, math.inf), math.nextafter(lim, -math.inf)])
    )
    value = data.draw(st.one_of(near_limit, st.floats(0, max(limits) * 3, allow_nan=False)))
    assert int(item_class_index([value], item, lake)[0]) == reference_class(value, limits, item.direction)


# ---------------------------------------------------------------- sections from samples, end to end


def samples(section, item, values, year=2018):
    return [("jiamusi", year, item, v, "", section, f"{year}-{month:02d}-15") for month, v in enumerate(values, start=1)]


def test_annual_mean_at_a_limit_stays_in_the_better_class(sheet, run):
    # 0.1 and 0.2 average to 0.15000000000000002 in floating point; the mean is 0.15, Class I's limit.
    report = run(sheet(samples("断面甲", "monitoring.nh3n", [0.1, 0.2]) + samples("断面甲", "monitoring.do", [8, 8])))
    derived = derived_of(report, "surface_water.section_class")["断面甲"]
    assert derived.value == "I"


def test_worst_item_sets_the_class_and_is_named(sheet, run):
    rows = (
        samples("断面乙", "monitoring.do", [6.5, 6.1])
        + samples("断面乙", "monitoring.nh3n", [1.1, 1.3])
        + samples("断面乙", "monitoring.codmn", [3, 3])
        + samples("断面乙", "高锰酸盐指数", [3.3])
    )  # by its Chinese name
    derived = derived_of(run(sheet(rows)), "surface_water.section_class")["断面乙"]
    assert derived.value == "IV"
    assert derived.from_.startswith("GB 3838-2002 single factor, river limits, means of 7 samples: NH3-N 1.2 sets IV")
    assert "CODMn 3.1 → II" in derived.from_ and "DO 6.3 → II" in derived.from_


def test_tn_is_a_reference_item_for_lakes_and_rivers_alike(sheet, run):
    # TN 2.5 alone would be 劣V; the other items are I (DO 7.6) and III (lake TP 0.04): the lake
    # keeps III, the river (TP 0.04 is II for rivers) keeps II, and both list TN as reference.
    rows = []
    for section in ("河流断面", "湖库断面"):
        rows += samples(section, "monitoring.do", [7.6]) + samples(section, "monitoring.tp", [0.04])
        rows += samples(section, "monitoring.tn", [2.5]) + samples(section, "monitoring.fecal_coliform", [90000])
    rows.append(("jiamusi", 2018, "surface_water.section_type", "湖库", "", "湖库断面"))
    report = run(sheet(rows))
    classes = derived_of(report, "surface_water.section_class")
    assert classes["湖库断面"].value == "III" and classes["河流断面"].value == "II"
    for section, kind, tp in (("湖库断面", "lake", "TP 0.04 sets III"), ("河流断面", "river", "TP 0.04 sets II")):
        how = classes[section].from_
        assert how.startswith(f"GB 3838-2002 single factor, {kind} limits, means of 4 samples: {tp}; ")
        assert "TN 2.5 → 劣V (reference)" in how and "fecal coliform 90000 → 劣V (reference)" in how
        assert how.endswith("; reference items do not set the class (环办〔2011〕22号)")
    # With only reference items, a section has nothing to be classed by.
    alone = run(sheet(samples("只测总氮", "monitoring.tn", [0.3]) + samples("只测总氮", "水温", [20])))
    assert "只测总氮" not in derived_of(alone, "surface_water.section_class")


def test_water_temperature_is_a_known_reference_item_never_classed(sheet, run):
    rows = (
        samples("断面庚", "水温", [18, 22])
        + samples("断面庚", "monitoring.nh3n", [0.4])
        + [("jiamusi", 2018, "monitoring.water_temp", 21, "°C", "断面庚", "2018-03-15")]
    )
    report = run(sheet(rows))
    assert not [p for s in report.submissions for p in s.problems if p.indicator == "monitoring.water_temp"]
    derived = derived_of(report, "surface_water.section_class")["断面庚"]
    assert derived.value == "II"
    assert "NH3-N 0.4 sets II" in derived.from_ and "water temperature 20.3 (reference, not classed)" in derived.from_
    # Five sections or fewer: the status averages the evaluated items only.
    status = derived_of(report, "surface_water.water_quality_status")[None]
    assert status.value == "优" and "NH3-N 0.4 → II" in status.from_


def test_an_item_without_classes_must_be_a_reference_item():
    from pydantic import ValidationError

    from checker.models import StandardItem

    with pytest.raises(ValidationError, match="direction: none"):
        StandardItem(name="water temperature", direction="none", evaluated="always")
    with pytest.raises(ValidationError):
        StandardItem(name="TN", direction="max", limits=[0.2, 0.5, 1.0, 1.5, 2.0], evaluated="lake")


def test_lake_phosphorus_limits(sheet, run):
    rows = samples("水库", "monitoring.tp", [0.04]) + samples("河道", "monitoring.tp", [0.04])
    rows.append(("jiamusi", 2018, "surface_water.section_type", "水库", "", "水库"))
    classes = derived_of(run(sheet(rows)), "surface_water.section_class")
    assert (classes["水库"].value, classes["河道"].value) == ("III", "II")


def test_derived_classes_feed_the_share_and_its_finding(sheet, run):
    rows = []
    for i in range(9):
        rows += samples(f"断面{i}", "monitoring.nh3n", [0.8 if i < 5 else 1.4])  # 5 at III, 4 at IV
    report = run(sheet(rows))
    f = finding(report, "jiamusi-2018.water-quality.good-section-share")
    assert (f.status, f.observed) == ("pass", 55.56)
    assert derived_of(report, "surface_water.good_section_share")[None].from_.startswith("5 of 9 sections at I-III")


def test_a_given_class_the_samples_contradict_is_an_error(sheet, run):
    rows = samples("断面丙", "monitoring.nh3n", [1.8]) + [("jiamusi", 2018, "surface_water.section_class", "II", "", "断面丙")]
    report = run(sheet(rows))
    f = finding(report, "jiamusi-2018.water-quality.good-section-share")
    assert f.status == "error" and "断面丙" in f.message.zh and "V类" in f.message.zh


def test_a_given_class_the_samples_confirm_is_used_as_given(sheet, run):
    rows = samples("断面丁", "monitoring.nh3n", [0.9]) + [("jiamusi", 2018, "surface_water.section_class", "Ⅲ", "", "断面丁")]
    report = run(sheet(rows))
    assert "断面丁" not in derived_of(report, "surface_water.section_class")
    assert finding(report, "jiamusi-2018.water-quality.good-section-share").observed == 100


def test_a_bad_sample_row_makes_the_share_an_error(sheet, run):
    rows = samples("断面戊", "monitoring.nh3n", [0.9, "未检出?"])
    f = finding(run(sheet(rows)), "jiamusi-2018.water-quality.good-section-share")
    assert f.status == "error" and f.locations[0].row == 3


def test_engine_never_sees_a_sample(sheet, run, monkeypatch):
    seen = []
    original = Engine.evaluate

    def counting(self, ruleset_id, facts):
        seen.append(len(facts))
        return original(self, ruleset_id, facts)

    monkeypatch.setattr(Engine, "evaluate", counting)
    rows = []
    for i in range(40):
        rows += samples(f"断面{i}", "monitoring.do", [6, 7, 8, 6, 7]) + samples(f"断面{i}", "monitoring.nh3n", [0.2] * 5)
    report = run(sheet(rows))
    rules = sum(len(lr.ruleset.rules) for lr in report_rulesets(report))
    assert sum(seen) <= rules < len(rows)


def report_rulesets(report):
    from checker.rulesets import load_rulebook

    book = load_rulebook(ROOT / "rulesets")
    ids = {r.id for s in report.submissions for r in s.rulesets}
    return [lr for lr in book.rulesets if lr.ruleset.id in ids]


# ---------------------------------------------------------------- water-quality status


def test_status_of_five_or_more_sections_from_the_shares(sheet, run):
    rows = []
    for i in range(10):  # 7 at III or better, 3 at 劣V: 70 % good, 30 % 劣V
        rows += samples(f"断面{i}", "monitoring.nh3n", [0.9 if i < 7 else 2.5])
    derived = derived_of(run(sheet(rows)), "surface_water.water_quality_status")[None]
    assert derived.value == "中度污染" and derived.from_ == "10 sections: 70% at I-III, 30% 劣V"


def test_status_of_fewer_than_five_sections_averages_the_items(sheet, run):
    # Three sections: NH3-N means 0.4, 0.6 and 1.7 average to 0.9 (Class III): 良好. Section by section
    # one of them is V, which the share-based method would count against the river.
    rows = samples("上游", "monitoring.nh3n", [0.4]) + samples("中游", "monitoring.nh3n", [0.6]) + samples("下游", "monitoring.nh3n", [1.7])
    derived = derived_of(run(sheet(rows)), "surface_water.water_quality_status")[None]
    assert derived.value == "良好" and "NH3-N 0.9 → III" in derived.from_


# ---------------------------------------------------------------- black-odorous water


@pytest.mark.parametrize(
    "code, value, grade",
    [
        ("monitoring.transparency", 25.01, 0),
        ("monitoring.transparency", 25, 1),
        ("monitoring.transparency", 10, 1),
        ("monitoring.transparency", 9.99, 2),
        ("monitoring.do", 2.01, 0),
        ("monitoring.do", 2.0, 1),
        ("monitoring.do", 0.2, 1),
        ("monitoring.do", 0.19, 2),
        ("monitoring.orp", 50.1, 0),
        ("monitoring.orp", 50, 1),
        ("monitoring.orp", -200, 1),
        ("monitoring.orp", -200.1, 2),
        ("monitoring.nh3n", 7.99, 0),
        ("monitoring.nh3n", 8.0, 1),
        ("monitoring.nh3n", 15, 1),
        ("monitoring.nh3n", 15.01, 2),
    ],
)
def test_black_odour_boundaries(book, code, value, grade):
    assert int(odour_grade_index([value], book.black_odour.items[code])[0]) == grade


def test_shallow_water_is_judged_against_its_depth(book):
    item, shallow = book.black_odour.items["monitoring.transparency"], book.black_odour.shallow_water
    # 20 cm deep, clear to the bottom: not black-odorous although 20 cm is below the table's 25.
    grades = odour_grade_index([20, 5, 20], item, np.array([20, 20, 100]), shallow)
    assert grades.tolist() == [0, 1, 1]


def putuo(item, body, values, year=2017):
    return [("shanghai-putuo", year, item, v, "", body, f"{year}-{m:02d}-10") for m, v in enumerate(values, start=1)]


def test_putuo_black_odorous_target_from_survey_samples(sheet, run):
    rows = []
    for i in range(26):
        rows += putuo("monitoring.transparency", f"河道{i}", [40, 45])
        rows += putuo("monitoring.do", f"河道{i}", [3.5, 4])
        rows += putuo("monitoring.orp", f"河道{i}", [120])
        rows += putuo("monitoring.nh3n", f"河道{i}", [2, 3] if i else [9, 10])  # 河道0 still 轻度黑臭
    report = run(sheet(rows))
    grades = derived_of(report, "black_odorous.grade")
    assert grades["河道0"].value == "轻度黑臭" and "NH3-N" not in grades["河道0"].from_ and "氨氮 9.5" in grades["河道0"].from_
    assert grades["河道1"].value == "无黑臭"
    eliminated = [f for s in report.submissions for f in s.findings if f.indicator == "black_odorous.rivers_eliminated_cumulative"]
    assert [(f.status, f.observed, f.gap) for f in eliminated] == [("fail", 25.0, -1.0)]
    # Survey points are graded for black odour, not counted as assessed sections.
    assert not derived_of(report, "surface_water.section_class")


def test_a_repeated_sample_row_counts_once_with_one_note(sheet, run):
    rows = samples("断面己", "monitoring.nh3n", [0.1, 2.0]) * 3  # every row three times
    report = run(sheet(rows))
    assert derived_of(report, "surface_water.section_class")["断面己"].from_.count("means of 2 samples") == 1
    notes = [n.en for n in report.submissions[0].notes]
    assert len(notes) == 1 and notes[0].startswith("4 monitoring rows repeat another row")


# ---------------------------------------------------------------- the release's own tables


ROMAN = ["Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "劣Ⅴ"]


def release_as_published():
    """The snapshot as the release prints it: Chinese headers with units, its class as 'Ⅲ', and
    '*' as well as '--' where a value is not reported; with its section list."""
    with open(DATA / "section-types.csv", encoding="utf-8") as handle:
        types = {(r["province"], r["section"]): r["water_body_type"] for r in csv.DictReader(handle)}
    with open(DATA / "snapshot-2026-08-21-p1.csv", encoding="utf-8") as handle:
        source = list(csv.DictReader(handle))
    table = [list(RELEASE_HEADERS.values())]
    published, seen = {}, set()
    sections = [["省份", "断面名称", "地区", "年度", "类型"]]
    for n, r in enumerate(source):
        cells = {k: r[k] for k in RELEASE_HEADERS}
        cells["published_class"] = ROMAN[int(r["published_class"]) - 1] if r["published_class"] != "-1" else "--"
        if n % 2:  # the release marks some missing values with a star
            cells = {k: ("*" if v == "--" and k not in ("published_class",) else v) for k, v in cells.items()}
        table.append([cells[k] for k in RELEASE_HEADERS])
        # Two provinces have a 临江 and a 江桥: the second of a name is assessed under another jurisdiction.
        jurisdiction = "daxinganling" if r["section"] in seen else "jiamusi"
        seen.add(r["section"])
        sections.append(
            [r["province"], r["section"], jurisdiction, 2018, "湖库" if types[(r["province"], r["section"])] == "lake" else "河流"]
        )
        if r["published_class"] != "-1":
            published[(jurisdiction, r["section"])] = CLASSES[int(r["published_class"]) - 1]
    return table, sections, published


def _write(path, table):
    if path.suffix == ".csv":
        with open(path, "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(table)
    elif path.suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        for r in table:
            book.active.append(r)
        book.save(path)
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.table({name: [str(r[i]) for r in table[1:]] for i, name in enumerate(table[0])}), path)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_the_release_table_read_as_published(tmp_path, run, suffix):
    if suffix == ".parquet":
        pytest.importorskip("pyarrow", reason="Parquet is read with pyarrow, which is not installed")
    table, sections, published = release_as_published()
    _write(tmp_path / f"实时数据{suffix}", table)
    _write(tmp_path / "断面名录.csv", sections)
    report = run(tmp_path)
    classes = {
        (s.jurisdiction, d.subject): d.value for s in report.submissions for d in s.derived if d.indicator == "surface_water.section_class"
    }
    assert len(published) == 479
    assert {k: (c, classes.get(k)) for k, c in published.items() if classes.get(k) != c} == {}
    lakes = {(s.jurisdiction, d.subject) for s in report.submissions for d in s.derived if d.indicator == "surface_water.trophic_index"}
    assert len({k for k in lakes if k in published}) >= 10  # lake sections, classed and given a trophic status
    assert not [p for s in report.submissions for p in s.problems]


def test_a_release_table_without_its_section_list_is_a_located_error(tmp_path, run):
    table, _, _ = release_as_published()
    _write(tmp_path / "实时数据.csv", table[:3])
    report = run(tmp_path)
    [problem] = report.errors
    assert "断面名录" in problem.message.zh and "section list" in problem.message.en and problem.location.row == 1


def test_a_release_row_whose_section_is_not_listed_is_reported_and_the_rest_read(tmp_path, run):
    table, sections, _ = release_as_published()
    _write(tmp_path / "实时数据.csv", table[:4])
    _write(tmp_path / "断面名录.csv", sections[:3])  # the third section is not listed
    report = run(tmp_path)
    problems = [p for s in report.submissions for p in s.problems] + list(report.errors)
    assert [(p.location.row, p.location.column) for p in problems] == [(4, "断面名称")]
    assert "不在断面名录中" in problems[0].message.zh
    assert len(derived_of(report, "surface_water.section_class")) == 2
