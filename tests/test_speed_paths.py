"""The shortcuts of issue 19 give what the long ways give: a plan rebuilt from its packed JSON
without reading its targets' digits again, `LoadedRuleset.reads` by a bytes search first, the
engine's definitions written by orjson where no float needs rewriting."""

from __future__ import annotations

from pathlib import Path

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.engine import _definition_json, _positional
from checker.rules import KINDS, Ruleset
from checker.rulesets import LoadedRuleset

_WRITTEN = st.one_of(
    st.decimals(-(10**6), 10**6, places=4, allow_nan=False, allow_infinity=False).map(str),
    st.integers(-1000, 1000).map(lambda n: f"{n}.{'0' * (abs(n) % 5)}"),
    st.floats(-1e9, 1e9, allow_nan=False),
)


def _plan(targets: dict, decimals: dict | None, quote: str) -> Ruleset:
    rule = {
        "id": "p.t",
        "kind": "threshold",
        "indicator": "water_use.total",
        "op": "<=",
        "targets": targets,
        "title": {"zh": "t", "en": "t"},
        "category": "key_task",
        "lead_units": ["u"],
        "clause": "c",
        "quote": quote,
    }
    if decimals is not None:
        rule["decimals"] = decimals
    return Ruleset.model_validate(
        {
            "id": "p",
            "jurisdiction": "jiamusi",
            "period": {"start": 2016, "end": 2030},
            "document": {"title": "d", "number": None},
            "seed": "s.txt",
            "rules": [rule],
        }
    )


@settings(max_examples=80, deadline=None)
@given(
    targets=st.dictionaries(st.integers(2016, 2030), _WRITTEN, min_size=1, max_size=4),
    given_places=st.integers(0, 6) | st.none(),
    quote=st.sampled_from(["", "surface_water.worst_class_rank", "\"surface_water.worst_class_rank\""]),
)
def test_a_rebuilt_plan_is_the_validated_plan_digit_for_digit(targets, given_places, quote):
    decimals = None if given_places is None else {min(targets): given_places}
    plan = _plan(targets, decimals, quote)
    loaded = LoadedRuleset.of(plan, Path("p.yaml"), "0" * 64)
    assert loaded.ruleset == plan
    assert loaded.ruleset.model_dump_json() == plan.model_dump_json()
    # A quote naming an indicator is not a rule reading it.
    assert not loaded.reads("surface_water.worst_class_rank")
    assert loaded.reads("water_use.total")


def test_reads_agrees_with_the_rules_of_every_bundled_plan(book):
    codes = set(book.indicators)
    for lr in book.rulesets:
        read = {r.indicator for r in lr.ruleset.rules}
        assert {code for code in codes if lr.reads(code)} == read & codes


@settings(max_examples=200, deadline=None)
@given(
    targets=st.dictionaries(
        st.integers(2016, 2030), st.floats(allow_nan=False, allow_infinity=False) | st.floats(-1e-3, 1e-3), min_size=1, max_size=4
    ),
    op=st.sampled_from([">=", "<=", ">", "<", "=="]),
)
def test_the_definitions_reach_the_engine_as_the_float_walk_writes_them(targets, op):
    plan = _plan({y: v for y, v in targets.items()}, None, "")
    rule = plan.rules[0].model_copy(update={"op": op})
    definition = KINDS[rule.kind].compile(rule)
    assert _definition_json(definition) == orjson.dumps(_positional(definition)).decode("utf-8")


def test_a_run_leaves_the_collector_as_it_found_it():
    """A run freezes what exists before it and collects young objects less often; a library
    caller gets its collector back as it was, its own objects unfrozen."""
    import gc

    import checker

    ROOT = Path(__file__).resolve().parent.parent
    threshold = gc.get_threshold()
    seen = []
    callback = lambda phase, info: seen.append(gc.get_threshold()[0]) if phase == "start" else None  # noqa: E731
    gc.callbacks.append(callback)
    try:
        report = checker.check([ROOT / "inputs"], ROOT / "rulesets")
    finally:
        gc.callbacks.remove(callback)
    assert report.submissions
    assert gc.get_threshold() == threshold and gc.get_freeze_count() == 0
    assert seen and max(seen) >= 10_000  # collections during the run ran with the raised threshold
