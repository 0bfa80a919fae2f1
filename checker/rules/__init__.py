"""The rule kinds: one module each, listed here by hand (as yamllint lists its rules).

Adding a kind is a new module of the shape checker/rules/base.py describes, one line in KINDS
and a case file tests/kinds/<kind>.yml. The Rule union, the Ruleset model and every list of
kinds are built from KINDS.
"""

from __future__ import annotations

from typing import Annotated, Union

from pydantic import Field, field_validator

from checker.models import Document, Period, Strict, Waiver
from checker.rules import attestation, cumulative, reduction, stable, task, threshold
from checker.ruleset_problems import Bilingual

KINDS = {
    threshold.ID: threshold,
    reduction.ID: reduction,
    cumulative.ID: cumulative,
    stable.ID: stable,
    task.ID: task,
    attestation.ID: attestation,
}

NUMERIC_KINDS: tuple[str, ...] = tuple(kind_id for kind_id, kind in KINDS.items() if kind.NUMERIC)


def get(kind_id: str):
    """The module of a rule kind; a clear error for a kind that does not exist."""
    if kind_id not in KINDS:
        raise ValueError(f"no such rule kind: {kind_id!r} (the kinds are {', '.join(KINDS)})")
    return KINDS[kind_id]


# Union[...] of a tuple built at run time; `A | B` cannot be written for it.
Rule = Annotated[Union[tuple(kind.MODEL for kind in KINDS.values())], Field(discriminator="kind")]  # noqa: UP007


# Here rather than in checker.models, which the kinds' models build on; checker.models still
# gives it (and Rule) by name.
class Ruleset(Strict):
    id: str
    jurisdiction: str
    jurisdiction_names: list[str] = Field(
        [],
        description="Chinese names a sheet may use, for a jurisdiction beyond the contract's fixed five "
        "(a county of a provincial batch); the first is its full name",
    )
    period: Period
    document: Document
    seed: str = Field(description="file name of the seed text in shared/seeds")
    rules: list[Rule] = Field(min_length=1)
    waivers: list[Waiver] = []

    @field_validator("rules")
    @classmethod
    def unique_ids(cls, rules: list) -> list:
        seen: set[str] = set()
        for rule in rules:
            if rule.id in seen:
                raise Bilingual(f"规则 id {rule.id} 重复", f"duplicate rule id {rule.id}")
            seen.add(rule.id)
        return rules
