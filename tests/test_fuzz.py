"""Hypothesis against the readers and value parsers: no exception escapes, no row is lost."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.intake import read_inputs
from checker.observations import collect
from checker.values import ValueProblem, parse_date, parse_number, parse_year
from conftest import ROOT, write_csv

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
cells = st.one_of(
    st.none(), st.text(max_size=12), st.integers(-(10**6), 10**6), st.floats(allow_nan=True, allow_infinity=True), st.booleans()
)
names = st.sampled_from(["jiamusi", "佳木斯市", "大兴安岭", "daxinganling", "哈尔滨", ""])
indicators = st.sampled_from(
    [
        "water_use.total",
        "管网漏损率",
        "surface_water.section_class",
        "task.status",
        "monitoring.nh3n",
        "livestock.waste_facility_rate",
        "nonsense",
        "",
    ]
)


@FUZZ
@given(raw=cells)
def test_value_parsers_raise_only_their_own_problem(raw):
    for parse in (parse_number, parse_date, parse_year):
        try:
            parse(raw)
        except ValueProblem:
            pass


@FUZZ
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".csv", ".xlsx", ".json", ".yaml"]))
def test_any_bytes_under_any_name_never_escape(tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("bytes") / f"f{suffix}"
    path.write_bytes(data)
    rows, inputs, problems = read_inputs([path])
    assert len(inputs) == 1
    assert inputs[0].read or problems  # a file not read always says why


def _valid_xlsx() -> bytes:
    return (ROOT / "inputs" / "jiamusi" / "2018-sections.xlsx").read_bytes()


@FUZZ
@given(position=st.integers(0, 10_000), replacement=st.binary(min_size=1, max_size=40))
def test_damaged_workbooks_never_escape(tmp_path_factory, position, replacement):
    data = bytearray(_valid_xlsx())
    position %= len(data)
    data[position : position + len(replacement)] = replacement
    path = tmp_path_factory.mktemp("xlsx") / "damaged.xlsx"
    path.write_bytes(bytes(data))
    read_inputs([path])  # must return, whatever it finds


@FUZZ
@given(
    rows=st.lists(st.tuples(names, st.one_of(st.just(2018), cells), indicators, cells, cells, cells, cells, cells), min_size=1, max_size=12)
)
def test_every_row_becomes_an_observation_or_a_located_problem(tmp_path_factory, book, rows):
    text_rows = [tuple("" if c is None else str(c) for c in row) for row in rows]
    path = write_csv(tmp_path_factory.mktemp("rows") / "s.csv", text_rows)
    raw_rows, _, problems = read_inputs([path])
    submissions, stray = collect(raw_rows, book)
    accounted: set[int] = {p.location.row for p in problems + stray}
    for sub in submissions.values():
        accounted |= {o.location.row for o in list(sub.observations.values()) + sub.samples}
        accounted |= {p.location.row for p in sub.problems}
        for note in sub.notes:  # identical duplicates are counted once, and the note names them all
            accounted |= {r.location.row for r in raw_rows if f"row {r.location.row}" in note.en}
        # Conflicts name every row involved in their message.
        accounted |= {r.location.row for r in raw_rows for p in sub.problems if f"row {r.location.row})" in p.message.en}
    expected = {r.location.row for r in raw_rows}
    assert expected <= accounted


@FUZZ
@given(
    doc=st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8)),
        lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)),
        max_leaves=20,
    )
)
def test_any_json_document_never_escapes(tmp_path_factory, book, doc):
    path = tmp_path_factory.mktemp("json") / "d.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    raw_rows, _, problems = read_inputs([path])
    collect(raw_rows, book)


def test_a_valid_row_among_junk_is_never_lost(tmp_path, run):
    junk = [("jiamusi", 2018, "nonsense", "x"), ("哈尔滨", 2018, "water_use.total", "1"), ("", "", "", "")]
    path = write_csv(tmp_path / "mixed.csv", junk + [("jiamusi", 2018, "water_use.total", "47")] + junk)
    report = run(path)
    total = [f for s in report.submissions for f in s.findings if f.rule_id == "jiamusi-2018.water-resources.total-use"]
    assert [(f.status, f.observed, f.locations[0].row) for f in total] == [("pass", 47.0, 5)]
