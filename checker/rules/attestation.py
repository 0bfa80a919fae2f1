"""attestation: a target no number can show (保持稳定, 全面达标); the submitter declares 是/否 and
gives the evidence in 备注.

    - id: daxinganling-2016.water-quality.rivers-stable
      kind: attestation
      subject: 主要河流、河段全部保持或优于现状水质
      from_year: 2016

    承诺事项 是, 备注 2016年水质年报         ->  pass
    承诺事项 否                              ->  fail
    承诺事项 是, 备注 empty                  ->  missing (evidence required)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from checker.models import Finding, Observation, RuleBase, Target, Text
from checker.rules.base import BINARY, Context, Fact, Prepared, TemplateLine, finding, missing, not_due_from, reported, when

ID = "attestation"
NAME = Text(zh="承诺事项", en="attestation (done or not)")  # as `rules show` names the kind
NUMERIC = False


class AttestationRule(RuleBase):
    """A target no number can show: the submitter declares yes/no, with evidence in `note`."""

    kind: Literal["attestation"]
    indicator: Literal["attestation.declared"] = "attestation.declared"
    subject: str
    from_year: int
    evidence_required: bool = True


MODEL = AttestationRule


@dataclass(frozen=True, slots=True)
class Declared(Prepared):
    obs: Observation


def years_read(rule: AttestationRule, period) -> list[int]:
    return []


def attestation_fact(rule_id: str, declared: bool) -> Fact:
    return Fact(rule_id, {"declared": int(declared)})


def prepare(rule: AttestationRule, ctx: Context) -> Finding | Declared:
    target = Target(value=True, year=rule.from_year)
    if ctx.sub.year < rule.from_year:
        return not_due_from(rule, ctx, rule.from_year, target, rule.subject)
    obs = reported(rule, ctx, target, rule.subject)
    if isinstance(obs, Finding):
        return obs
    if obs.value is True and rule.evidence_required and not obs.note:
        return missing(
            rule,
            ctx,
            target,
            rule.subject,
            Text(zh=f"已声明“{rule.subject}”，但备注未提供佐证材料", en=f"“{rule.subject}” is declared met but the note gives no evidence"),
        )
    return Declared(attestation_fact(rule.id, bool(obs.value)), obs)


def compile(rule: AttestationRule) -> dict[str, dict]:
    is_rule = {"rule": rule.id}
    return {
        f"{rule.id}$pass": {**when(is_rule, {"declared": 1}), "run": "pass"},
        f"{rule.id}$fail": {**when(is_rule, {"declared": 0}), "run": "fail"},
    }


def fact_shape(rule: AttestationRule) -> dict[str, object]:
    return {"declared": BINARY}


def judged(rule: AttestationRule, prepared: Declared, outcome: str, ctx: Context) -> Finding:
    obs = prepared.obs
    message = Text(
        zh=f"已声明“{rule.subject}”" if outcome == "pass" else f"声明未达到“{rule.subject}”",
        en=f"declared met: {rule.subject}" if outcome == "pass" else f"declared not met: {rule.subject}",
    )
    return finding(
        rule,
        ctx,
        outcome,
        message,
        observed=obs.value,
        target=Target(value=True, year=rule.from_year),
        subject=rule.subject,
        note=obs.note,
        locations=[obs.location],
    )


def template_lines(rule: AttestationRule, year: int, book) -> list[TemplateLine]:
    if year < rule.from_year:
        return []
    return [
        TemplateLine(
            "attestation.declared",
            rule.subject,
            f"自{rule.from_year}年起：是",
            "选择是/否；选“是”的须在备注中写明佐证材料" if rule.evidence_required else "选择是/否",
            "yes_no",
        )
    ]


def show(rule: AttestationRule, indicator, zh: bool) -> list[str]:
    return [f"  {'声明事项' if zh else 'attestation'}: {rule.subject} ({'自' if zh else 'from'} {rule.from_year})"]
