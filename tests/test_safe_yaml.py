"""checker.safe_yaml.load returns what yaml.safe_load returns, or raises what it raises.

The reference is yaml.safe_load as the checker has always run it, with libyaml's CSafeLoader
(PyYAML's pure-Python loader differs from it on rare input: a lone `!` is '' in C, None in Python).
"""

import datetime as dt

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker import safe_yaml
from conftest import ROOT


def outcome(load, text):
    try:
        value = load(text)
    except Exception as exc:  # the same error, class and message, is the same outcome
        return ("raised", type(exc).__name__, str(exc))
    return ("value", value, repr(value))  # repr tells 1 from 1.0 from True, and date from datetime


def assert_same(text):
    raw = text.encode("utf-8") if isinstance(text, str) else text
    assert outcome(safe_yaml.load, raw) == outcome(lambda r: yaml.load(r, Loader=safe_yaml.SafeLoader), raw)


# Less the corpus's billion-laughs sheets (yaml-alias-*): any loader that expands aliases, as both
# compared here do, runs out of memory on them; the sheet reader refuses them unexpanded.
@pytest.mark.parametrize(
    "path",
    sorted(
        p.relative_to(ROOT)
        for p in ROOT.rglob("*.y*ml")
        if ".ci-venv" not in p.parts and "benchmarks" not in p.parts and "yaml-alias-" not in p.name
    ),
    ids=str,
)
def test_every_yaml_file_of_the_repository(path):
    assert_same((ROOT / path).read_bytes())


EDGES = [
    "",
    "---",
    "--- \n...",
    "~",
    "null",
    "a: ~",
    "a:",
    "[]",
    "{}",
    "- ",
    "-",
    "? a\n: b",
    "yes",
    "No",
    "on",
    "OFF",
    "true",
    "y",
    "n",
    "=",
    "!",
    "&",
    "*",
    "'yes'",
    '"1"',
    "! 5",
    "!!str 5",
    "!!int '5'",
    "0o17",
    "017",
    "0x1F",
    "0b101",
    "1_000",
    "+12",
    "-0",
    "1:30:00",
    "190:20:30.15",
    ".inf",
    "-.Inf",
    ".nan",
    "1e3",
    "1.0e+3",
    "6.8523015e+5",
    "685.230_15e+03",
    "2018-12-31",
    "2001-12-14t21:59:43.10-05:00",
    "2001-12-14 21:59:43.10",
    "2018-13-45",
    "2018-02-30",
    "a: 2018-02-30\nb: [",
    "1: a\n1: b",
    "a: 1\na: 2",
    "{a: 1, a: 2, b: 3}",
    "? [1, 2]\n: x",
    "? {a: 1}\n: x",
    "[1, [2, [3, {a: b}]]]",
    "a: &x 1\nb: *x",
    "a: &x [1]\nb: *x",
    "*x",
    "base: &b {x: 1}\nd:\n  <<: *b\n  y: 2",
    "<<: {a: 1}",
    "a: !!set {x, y}",
    "a: !!omap [{x: 1}]",
    "a: !!binary aGVsbG8=",
    "!!python/object:os.system x",
    "!!python/name:os.system",
    "a: !custom 1",
    "--- a\n--- b",
    "a: 1\n---\nb: 2",
    "key: 'it''s'\nother: \"tab\\there\\u00e9\"",
    "folded: >\n  one\n  two\n",
    "literal: |\n  one\n  two\n",
    "a: b: c",
    "\ufeffa: 1",
    "规划: 佳木斯\n目标: [55, '55%', 2018-12-31]",
    "a:\n  - b\n  -\n    c: d\n  - [e, {f: g}]",
    "[a, b\n",
    "{a: 1",
    "a: 'unterminated",
    "\t- a",
    "- a\n - b",
    "%YAML 1.1\n--- a",
    "%TAG !e! tag:example.com,2000:\n--- !e!foo 1",
]


@pytest.mark.parametrize("text", EDGES, ids=range(len(EDGES)))
def test_the_edges_of_yaml_1_1(text):
    assert_same(text)


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=12),
    st.dates(),
    st.datetimes(),
    st.sampled_from(["yes", "no", "on", "1_0", "0o7", "1:30", "~", "=", "<<"]),
)
data = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=6), st.integers(), st.booleans(), st.none(), st.dates()), inner, max_size=4),
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=data, flow=st.sampled_from([None, True, False]), unicode=st.booleans())
def test_dumped_data_comes_back_the_same(value, flow, unicode):
    assert_same(yaml.safe_dump(value, default_flow_style=flow, allow_unicode=unicode))


TOKENS = [
    "a",
    "b",
    "规划",
    "1",
    "0o17",
    "1_000",
    "1:30",
    "2018-12-31",
    "2018-02-30",
    "yes",
    "~",
    ".inf",
    "=",
    "!",
    "<<",
    ": ",
    ":",
    "- ",
    "-",
    "? ",
    ",",
    "[",
    "]",
    "{",
    "}",
    "'",
    '"',
    "&x ",
    "*x",
    "!!str ",
    "!!int ",
    "!!map ",
    "! ",
    "#c",
    "|",
    ">",
    "---",
    "...",
    "\n",
    "\n  ",
    "\n    ",
    " ",
    "\t",
    "\\",
    "%",
    "@",
]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=30).map("".join))
def test_any_arrangement_of_yaml_tokens_gives_the_same_value_or_error(text):
    assert_same(text)


def test_a_plan_takes_the_fast_road():
    """The plans' own YAML (no anchors, tags or merges) is built from the events, not handed over."""
    text = (ROOT / "rulesets" / "jiamusi-2018.yaml").read_bytes()
    loader = safe_yaml.SafeLoader(text)
    try:
        value = safe_yaml._from_events(loader)  # raises _NotHere where it would hand over
    finally:
        loader.dispose()
    assert value == yaml.safe_load(text)
    assert any(isinstance(r.get("deadline"), dt.date) for r in value["rules"])
