"""The rulesets against their seeds: every quote verbatim; every rule usable by the engine."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.engine import Engine
from checker.rules.attestation import attestation_fact
from checker.rules.base import milestone_fact as threshold_fact
from checker.rules.stable import stable_fact
from checker.rules.task import duty_fact, task_fact
from checker.ruleset_problems import Said
from conftest import ROOT

SEEDS = ROOT / "rulesets" / "seeds"


def squash(text):
    return re.sub(r"\s+", "", text)


def test_every_quote_is_verbatim_in_its_seed(book):
    for lr in book.rulesets:
        seed = squash((SEEDS / lr.ruleset.seed).read_text(encoding="utf-8"))
        for rule in lr.ruleset.rules:
            assert squash(rule.quote) in seed, f"{rule.id}: quote not in {lr.ruleset.seed}"


def test_every_rule_has_the_contract_fields(book):
    for lr in book.rulesets:
        for rule in lr.ruleset.rules:
            assert rule.title.zh and rule.title.en and rule.clause and rule.quote
            assert rule.lead_units or rule.responsible_units
            assert rule.id.startswith(lr.ruleset.id + ".")


def test_the_catalog_has_the_fixed_codes(book):
    for code in (
        "surface_water.good_section_share",
        "surface_water.section_class",
        "water_supply.pipe_leakage_rate",
        "livestock.waste_facility_rate",
        "water_use.total",
        "task.status",
        "surface_water.section_type",
        "monitoring.ph",
        "monitoring.do",
        "monitoring.codmn",
        "monitoring.cod",
        "monitoring.bod5",
        "monitoring.nh3n",
        "monitoring.tp",
        "monitoring.tn",
    ):
        assert code in book.indicators
    assert book.indicators["water_use.total"].unit == "亿立方米"


def test_engine_reaches_an_outcome_for_every_rule_and_milestone(book):
    import datetime as dt

    engine = Engine(book.ruleset)
    for lr in book.rulesets:
        facts = []
        for rule in lr.ruleset.rules:
            if rule.kind in ("threshold", "reduction", "cumulative"):
                year, value = max(rule.targets.items())
                facts.append(threshold_fact(rule.id, year, value))
            elif rule.kind == "stable":
                facts.append(stable_fact(rule.id, 0.0))  # unchanged since last year: stable
            elif rule.kind == "task" and rule.deadline is None:
                facts.append(duty_fact(rule.id, True))
            elif rule.kind == "task":
                facts.append(task_fact(rule.id, True, rule.deadline, dt.date(2030, 12, 31)))
            else:
                facts.append(attestation_fact(rule.id, True))
        outcomes = engine.evaluate(lr.ruleset.id, facts)
        assert set(outcomes) == {r.id for r in lr.ruleset.rules}
        assert set(outcomes.values()) == {"pass"}  # at the threshold, on the deadline, declared: all pass


def test_engine_refuses_duplicate_facts(book):
    engine = Engine(book.ruleset)
    fact = threshold_fact("jiamusi-2018.water-resources.total-use", 2018, 40)
    with pytest.raises(ValueError):
        engine.evaluate("jiamusi-2018", [fact, fact])


def test_engine_refuses_facts_no_rule_would_match(book):
    """Such a fact aborts the C engine (the whole process); the engine must refuse it first."""
    import datetime as dt

    engine = Engine(book.ruleset)
    duty = "chongqing-yongchuan-2020.task-04"  # 长期坚持, no deadline
    with pytest.raises(ValueError):
        engine.evaluate("chongqing-yongchuan-2020", [task_fact(duty, True, None, dt.date(2020, 12, 31))])
    with pytest.raises(ValueError):
        engine.evaluate("jiamusi-2018", [threshold_fact("jiamusi-2018.water-resources.total-use", 2017, 40)])
    with pytest.raises(ValueError):
        engine.evaluate("jiamusi-2018", [threshold_fact("jiamusi-2018.water-resources.total-use", 2018, float("nan"))])
    assert engine.evaluate("chongqing-yongchuan-2020", [duty_fact(duty, False)]) == {duty: "lapsed"}


def test_an_alias_naming_two_indicators_is_refused(tmp_path):
    from checker.rulesets import RulesetError, load_rulebook

    text = (ROOT / "rulesets" / "indicators.yaml").read_text(encoding="utf-8")
    text = text.replace("aliases: [管网漏损率, 供水管网漏损率]", "aliases: [管网漏损率, 供水管网漏损率, 用水总量]")
    (tmp_path / "indicators.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(RulesetError) as error:
        load_rulebook(tmp_path)
    # water_supply.pipe_leakage_rate comes first in the catalog, so water_use.total's own name clashes.
    said = error.value.problems
    assert [p.en for p in said] == [
        f"{tmp_path / 'indicators.yaml'}: indicator water_use.total, key aliases: '用水总量' already names water_supply.pipe_leakage_rate"
    ]
    assert [p.zh for p in said] == [
        f"{tmp_path / 'indicators.yaml'}：指标 water_use.total，键 aliases：“用水总量”已是 water_supply.pipe_leakage_rate 的名称"
    ]


def test_engine_keeps_only_recent_rulesets_compiled_and_recompiles_on_return(book):
    """Compiled plans are deleted from the C engine beyond the limit, and come back when needed."""
    engine = Engine(book.ruleset, max_compiled=1)
    fact = threshold_fact("jiamusi-2018.water-resources.total-use", 2018, 40)
    leak = threshold_fact("daxinganling-2016.water-supply.pipe-leakage", 2020, 19)
    for _ in range(3):  # back and forth: each call evicts the other plan and compiles its own again
        assert engine.evaluate("jiamusi-2018", [fact]) == {"jiamusi-2018.water-resources.total-use": "pass"}
        assert engine.evaluate("daxinganling-2016", [leak]) == {"daxinganling-2016.water-supply.pipe-leakage": "fail"}


def test_a_packed_plan_comes_back_as_yaml_safe_load_and_pydantic_give_it(book):
    """The rulebook keeps each plan as compressed JSON and rebuilds it when asked: what it gives
    back equals the plan read the contract's way, and what it indexes agrees with it."""
    import yaml

    from checker.rules import Ruleset

    for lr in book.rulesets:
        fresh = Ruleset.model_validate(yaml.safe_load(lr.path.read_text(encoding="utf-8")))
        assert lr.ruleset == fresh
        assert (lr.id, lr.jurisdiction, lr.period) == (fresh.id, fresh.jurisdiction, fresh.period)
        assert list(lr.jurisdiction_names) == fresh.jurisdiction_names
    putuo = book.by_id["shanghai-putuo-2016"]
    assert putuo.needs == ((2015, "water_use.per_gdp"), (2015, "water_use.per_industrial_value_added"))


@settings(max_examples=60, deadline=None)
@given(
    targets=st.dictionaries(st.integers(2016, 2030), st.floats(allow_nan=False, allow_infinity=False), min_size=1),
    weight=st.floats(min_value=0, max_value=1000, exclude_min=True),
    deadline=st.dates(),
    text=st.text(min_size=1),
)
def test_packing_keeps_every_number_date_and_text(targets, weight, deadline, text):
    from pathlib import Path

    from checker.rules import Ruleset
    from checker.rulesets import LoadedRuleset

    common = {
        "title": {"zh": text, "en": text},
        "category": "key_task",
        "lead_units": [text],
        "clause": text,
        "quote": text,
        "weight": weight,
    }
    ruleset = Ruleset.model_validate(
        {
            "id": "p",
            "jurisdiction": "jiamusi",
            "period": {"start": 2016, "end": 2030},
            "document": {"title": text, "number": None},
            "seed": "s.txt",
            "rules": [
                {"id": "p.t", "kind": "threshold", "indicator": "water_use.total", "op": "<=", "targets": targets, **common},
                {"id": "p.d", "kind": "task", "subject": text, "deadline": deadline, **common},
            ],
        }
    )
    assert LoadedRuleset.of(ruleset, Path("p.yaml"), "0" * 64).ruleset == ruleset


def test_judging_again_and_again_leaves_no_plans_in_the_c_engine(book):
    """Each judging compiles its plans into durable_rules' C memory (about 1 MB a plan) and
    must delete them afterwards: a worker judges hundreds of chunks in one process."""
    from checker.pipeline import check_inputs

    def resident_mb() -> float:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * 4096 / 2**20

    check_inputs([ROOT / "inputs"], book)
    before = resident_mb()
    for _ in range(60):
        check_inputs([ROOT / "inputs"], book)
    assert resident_mb() - before < 40  # measured: +300 MB when the engine's plans were never deleted


def test_a_target_that_is_no_finite_number_is_refused_where_it_stands(tmp_path):
    """.inf or .nan as a target cannot be compared, nor handed to the engine."""
    import shutil

    from checker.rulesets import RulesetError, load_rulebook

    shutil.copytree(ROOT / "rulesets", tmp_path / "rulesets")
    plan = tmp_path / "rulesets" / "jiamusi-2018.yaml"
    text = plan.read_text(encoding="utf-8")
    assert "targets: {2018: 47.38}" in text
    plan.write_text(text.replace("targets: {2018: 47.38}", "targets: {2018: .nan}"), encoding="utf-8")
    with pytest.raises(RulesetError) as error:
        load_rulebook(tmp_path / "rulesets")
    rule = "jiamusi-2018.water-resources.total-use"
    assert (
        Said(
            f"{plan}：规则 {rule}，键 targets.2018：应为有限数值（不能是 inf 或 nan）",
            f"{plan}: rule {rule}, key targets.2018: Input should be a finite number",
        )
        in error.value.problems
    )
