"""The hand-checked lists are sound (every quote stands in its seed, every field is readable),
and the bundled rulesets hold them (issue 14: ≥ 95 % of the targets, ≥ 80 % of the duties)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from plan_lists import PlanList, lists, load, measure, norm

from checker.rulesets import load_rulebook

RULESETS = Path(__file__).resolve().parent.parent / "rulesets"
OPS = {">=", "<=", "==", "reduction", "stable", "done"}


@pytest.mark.parametrize("path", lists(), ids=lambda p: p.stem)
def test_list_is_sound(path: Path):
    plan: PlanList = load(path)
    text = norm((RULESETS / "seeds" / plan.seed).read_text(encoding="utf-8"))
    ids = [e["id"] for e in plan.targets + plan.duties]
    assert len(ids) == len(set(ids)), "ids repeat"
    for entry in plan.targets + plan.duties:
        assert norm(entry["quote"]) in text, f"{entry['id']}: quote not in the seed: {entry['quote']}"
        assert entry.get("clause"), f"{entry['id']}: no clause"
    for entry in plan.targets:
        assert entry.get("op") in OPS, f"{entry['id']}: op {entry.get('op')!r}"
        assert isinstance(entry.get("year"), int) and 1990 < entry["year"] < 2100, f"{entry['id']}: year"
        assert entry.get("value") is not None or entry["op"] in ("stable", "done"), f"{entry['id']}: value"
        if entry.get("deadline"):
            assert isinstance(entry["deadline"], dt.date), f"{entry['id']}: deadline is not a date"


def _ruleset_for(book, seed: str):
    return [lr.ruleset for lr in book.rulesets if lr.ruleset.seed == seed]


@pytest.mark.parametrize("path", lists(), ids=lambda p: p.stem)
def test_rulesets_hold_the_list(path: Path):
    plan = load(path)
    book = load_rulebook(RULESETS)
    rules = [rule for ruleset in _ruleset_for(book, plan.seed) for rule in ruleset.rules]
    fig = measure(plan, rules, own_only=True)
    print(fig.line(path.stem))
    detail = "\n  ".join(["missed targets:", *fig.missed_targets, "missed duties:", *fig.missed_duties])
    assert fig.target_share >= 95.0 and fig.duty_share >= 80.0, f"{fig.line(path.stem)}\n  {detail}"
