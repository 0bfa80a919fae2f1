"""The rule engine: rulesets compiled into durable_rules definitions, facts in, outcomes out.

This is the only module that imports durable_rules (a C extension last released in
2020; see shared/reference/durable-rules.md for the traps measured here). What this
module guarantees to the C engine, because a crash there kills the process:
- one state (sid) per submission, deleted after use, with one fact per rule (never
  one per raw row: sections and samples are aggregated before they get here);
- no fact twice in a state (the caller passes one fact per rule id, each unique);
- only facts that some rule matches (facts are built from the ruleset's own rules).
"""

from __future__ import annotations

import json
import math
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import orjson
from durable.engine import durable_rules_engine

from checker.rules import KINDS, Ruleset
from checker.rules.base import Fact

# What a rule kind hands the engine is its own (checker/rules/<kind>.py: compile, fact_shape, the
# fact its prepare makes): plain JSON. What the C engine needs besides is done here, for all.


def compile_rule(rule) -> dict[str, dict]:
    """One plan rule -> named durable_rules rules, each running the outcome it names."""
    return {name: _positional(definition) for name, definition in KINDS[rule.kind].compile(rule).items()}


def fact_shape(rule) -> dict[str, object]:
    """The fields a rule's fact must carry and what each may hold, so that one of the
    compiled rules always matches: a fact no rule matches aborts the C engine (seen here)."""
    return KINDS[rule.kind].fact_shape(rule)


def _positional(conditions):
    """A kind's conditions with every float written as `_number` writes it. Leaves (mostly
    strings) are not called into."""
    kind = type(conditions)
    if kind is float:
        return _number(conditions)
    if kind is dict or isinstance(conditions, dict):
        return {key: value if type(value) in _LEAVES else _positional(value) for key, value in conditions.items()}
    if kind is list or isinstance(conditions, list):
        return [value if type(value) in _LEAVES else _positional(value) for value in conditions]
    return conditions


_LEAVES = frozenset((str, int, bool, type(None)))  # what the walk gives back as it is


def _fits(fields: dict, shape: dict[str, object]) -> bool:
    if set(fields) != set(shape):
        return False
    for name, allowed in shape.items():
        value = fields[name]
        if allowed == "finite":
            if not isinstance(value, float) or not math.isfinite(value):
                return False
        elif allowed == "int":
            if not isinstance(value, int) or isinstance(value, bool):
                return False
        elif value not in allowed:
            return False
    return True


def _number(value: float) -> orjson.Fragment:
    """A float as durable_rules' C parser reads it right. It misreads a number in exponent form
    without a decimal point (1e5, 1e-05, 1e+16: what repr gives below 1e-4 and from 1e16): in a
    rule the ruleset is refused, in a fact the state handle it returns crashes the process on the
    next call (measured: a sheet's 0.00005 killed the run). So every float reaches it in positional
    notation, exactly (the digits of its shortest repr, however many)."""
    if not math.isfinite(value):
        raise ValueError(f"{value} cannot be given to the engine")
    text = format(Decimal(repr(value)), "f")
    return orjson.Fragment(text if "." in text else text + ".0")


# What orjson writes only for a float the C engine misreads (exponent form) or cannot take (NaN and
# infinities become null); a match anywhere, inside a string too, only sends the plan the slow way.
_EXPONENT = re.compile(rb"[0-9][eE]")  # a class, not an alternation: four times faster on a plan's 40 KB


def _definition_json(definition: dict[str, dict]) -> str:
    """The definitions as the C engine reads them. orjson writes a float in positional form with
    the digits `_number` gives (checked over 200,000 floats), so a plan without the forms above
    skips the walk that writes each float by hand (a sixth of a batch's time)."""
    text = orjson.dumps(definition)
    if b"null" in text or _EXPONENT.search(text):
        text = orjson.dumps(_positional(definition))
    return text.decode("utf-8")


def compile_ruleset(ruleset: Ruleset) -> dict[str, dict]:
    definition: dict[str, dict] = {}
    for rule in ruleset.rules:
        definition.update(compile_rule(rule))
    return definition


def _message(fact: Fact, sid: str) -> dict:
    return {
        "sid": sid,
        "rule": fact.rule_id,
        **{name: _number(value) if type(value) is float else value for name, value in fact.fields.items()},
    }


@dataclass
class _Compiled:
    """One plan inside the C engine: its handle, the outcome each named rule records, and the
    fact shapes its rules accept."""

    handle: int
    outcomes: dict[str, str]
    shapes: dict[str, dict]


class Engine:
    """Judges submissions: `evaluate` once per submission. Each plan is compiled when first judged,
    the few most recently used stay compiled, and `close` (or leaving a `with`) deletes them all.

    It drives durable_rules' C engine directly (create_ruleset, assert_facts, then each action in
    turn) rather than through `durable.engine.Host`. Our actions only record an outcome, so the
    Host's work around each one (a Closure, the whole state written back as JSON, a lease timer)
    bought nothing and cost half the engine's time (measured: 2.5 against 3.7 ms a submission on
    a county's plan, the same outcomes). It also starts no polling threads.
    """

    def __init__(self, find: Callable[[str], Ruleset], max_compiled: int = 8):
        # Plans are asked for by id when first judged: a national rulebook is never built whole.
        self._find = find
        self._compiled_plans: OrderedDict[str, _Compiled] = OrderedDict()
        # Rulesets are compiled into the C engine when first used, and the least recently used
        # are deleted beyond `max_compiled`: a compiled plan holds about 1 MB in durable_rules,
        # and a national batch has thousands of plans (measured: 700 kept = 800 MB). Submissions
        # come sorted by jurisdiction, so a plan is needed again only by the next few.
        self._max_compiled = max(1, max_compiled)
        self._serial = 0

    def _compiled(self, ruleset_id: str) -> _Compiled:
        if ruleset_id in self._compiled_plans:
            self._compiled_plans.move_to_end(ruleset_id)
            return self._compiled_plans[ruleset_id]
        ruleset = self._find(ruleset_id)
        definition: dict[str, dict] = {}
        for rule in ruleset.rules:
            definition.update(KINDS[rule.kind].compile(rule))
        # The C engine takes the conditions; which outcome a rule records stays on our side.
        outcomes = {name: rule.pop("run") for name, rule in definition.items()}
        handle = durable_rules_engine.create_ruleset(ruleset_id.replace(".", "_"), _definition_json(definition))
        compiled = self._compiled_plans[ruleset_id] = _Compiled(handle, outcomes, {r.id: fact_shape(r) for r in ruleset.rules})
        while len(self._compiled_plans) > self._max_compiled:
            _, oldest = self._compiled_plans.popitem(last=False)
            durable_rules_engine.delete_ruleset(oldest.handle)
        return compiled

    def close(self) -> None:
        """Delete every plan this engine compiled from the C engine. Its memory is not Python's:
        an engine dropped without this leaves its plans there for the life of the process."""
        while self._compiled_plans:
            _, plan = self._compiled_plans.popitem()
            durable_rules_engine.delete_ruleset(plan.handle)

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def evaluate(self, ruleset_id: str, facts: list[Fact]) -> dict[str, str]:
        """Assert the facts of one submission in a fresh state; return rule id -> outcome."""
        if not facts:
            return {}
        plan = self._compiled(ruleset_id)
        rule_ids = [f.rule_id for f in facts]
        if len(set(rule_ids)) != len(rule_ids):
            raise ValueError("facts must be one per rule: a repeated fact breaks the engine")
        for fact in facts:
            if fact.rule_id not in plan.shapes or not _fits(fact.fields, plan.shapes[fact.rule_id]):
                raise ValueError(f"fact {fact.fields} does not fit rule {fact.rule_id}: no compiled rule would match it")
        self._serial += 1
        sid = f"s{self._serial}"
        outcomes: dict[str, str] = {}
        try:
            code, state = durable_rules_engine.assert_facts(plan.handle, orjson.dumps([_message(f, sid) for f in facts]).decode("utf-8"))
            if code in (_NOT_HANDLED, _ALREADY_OBSERVED):  # what the checks above make impossible
                raise RuntimeError(f"the engine refused the facts of {ruleset_id} (durable_rules code {code})")
            started = durable_rules_engine.start_action_for_state(plan.handle, state)
            action = json.loads(started[1]) if started else None
            while action:
                # {"<rule name>": {"m": <the matched fact>}}: one rule, one fact, per action.
                ((name, matched),) = action.items()
                outcomes[matched["m"]["rule"]] = plan.outcomes[name]
                following = durable_rules_engine.complete_and_start_action(plan.handle, state)
                action = json.loads(following) if following else None
        finally:
            durable_rules_engine.delete_state(plan.handle, sid)
        unmatched = set(rule_ids) - set(outcomes)
        if unmatched:  # every fact shape has a matching rule; reaching here is a bug of ours
            raise RuntimeError(f"the engine reached no outcome for {sorted(unmatched)}")
        return outcomes


# durable_rules' result codes for an assert (durable/engine.py, Ruleset._handle_result).
_NOT_HANDLED, _ALREADY_OBSERVED = 1, 2
