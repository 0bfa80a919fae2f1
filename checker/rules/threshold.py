"""threshold: a number against the target of the milestone in force.

- id: daxinganling-2016.water-supply.pipe-leakage
  kind: threshold
  indicator: water_supply.pipe_leakage_rate
  op: "<="
  targets: {2017: 25, 2020: 18}     # the latest milestone <= the year is in force

大兴安岭地区,2017,管网漏损率,24.8,%   ->  pass (gap 0.2)
大兴安岭地区,2017,管网漏损率,26,%     ->  fail (gap -1)
大兴安岭地区,2016,管网漏损率,26,%     ->  not_due (before the first milestone)
大兴安岭地区,2020,管网漏损率,18.5,%   ->  pass: compared at the target's precision (18: whole numbers),
                                          18.5 rounds half to even to 18 (GB/T 8170; WrittenTargets in base.py)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import Field, FiniteFloat

from checker.models import Finding, Observation, Op, Target, Text
from checker.precision import gap_at_precision
from checker.rules.base import (
    Context,
    Prepared,
    TemplateLine,
    WrittenTargets,
    at_target_precision,
    compile_milestones,
    finding,
    fmt,
    milestone,
    milestone_fact,
    milestone_shape,
    reported,
    target_in_force,
    verdict,
    with_rounding,
)

ID = "threshold"
NAME = Text(zh="数值目标", en="threshold target")  # as `rules show` names the kind
NUMERIC = True


class ThresholdRule(WrittenTargets):
    """A number compared with a target; targets are milestones keyed by year."""

    kind: Literal["threshold"]
    indicator: str
    op: Op
    targets: dict[int, FiniteFloat] = Field(min_length=1)
    unit: str | None = None


MODEL = ThresholdRule


@dataclass(frozen=True, slots=True)
class Reading(Prepared):
    obs: Observation
    target: Target
    compared: float  # the observed value at the target's precision
    rounding: Text | None


def years_read(rule: ThresholdRule, period) -> list[int]:
    return []


def prepare(rule: ThresholdRule, ctx: Context) -> Finding | Reading:
    target, not_due = milestone(rule, ctx, ctx.book.indicators[rule.indicator].unit)
    if not_due is not None:
        return not_due
    obs = reported(rule, ctx, target)
    if isinstance(obs, Finding):
        return obs
    compared, rounding = at_target_precision(rule, target.year, float(obs.value))
    return Reading(milestone_fact(rule.id, target.year, compared), obs, target, compared, rounding)


compile = compile_milestones
fact_shape = milestone_shape


def judged(rule: ThresholdRule, prepared: Reading, outcome: str, ctx: Context) -> Finding:
    obs, target = prepared.obs, prepared.target
    year, value, unit = target.year, target.value, target.unit
    observed = float(obs.value)
    gap = round(observed - value if rule.op in (">=", ">", "==") else value - observed, 6)
    gap = gap_at_precision(gap, prepared.compared, value, rule.op)
    unit_text = "" if unit in (None, "ratio") else unit
    unit_en = ctx.book.after_number_en(unit)
    zh, en = verdict(outcome)
    # A 2016 milestone judged in 2017 is the target in force since 2016, not last year's target.
    since = ctx.sub.year > year
    message = Text(
        zh=f"{zh}{year}年{'起的' if since else ''}目标：实际 {fmt(observed)}{unit_text}，目标 {rule.op} {fmt(value)}{unit_text}",
        en=f"{en} the {'target in force since ' + str(year) if since else str(year) + ' target'}: "
        f"observed {fmt(observed)}{unit_en}, target {rule.op} {fmt(value)}{unit_en}",
    )
    message = with_rounding(message, prepared.rounding)
    return finding(rule, ctx, outcome, message, observed=observed, gap=gap, note=obs.note, target=target, locations=[obs.location])


def _milestones(rule: ThresholdRule) -> str:
    return "；".join(f"{year}年 {rule.op} {value:g}" for year, value in sorted(rule.targets.items()))


def template_lines(rule: ThresholdRule, year: int, book) -> list[TemplateLine]:
    in_force = target_in_force(rule, year)
    if in_force is None:
        return []
    milestone_year, value = in_force
    ind = book.indicators[rule.indicator]
    return [
        TemplateLine(
            rule.indicator,
            None,
            f"{year}年目标 {rule.op} {value:g}{ind.unit or ''}（{_milestones(rule)}）",
            "填写数值；单位可不填（默认为单位列所示）",
            "share" if ind.kind == "percentage" else "number",
        )
    ]


_SIGNS = {">=": "≥", "<=": "≤"}  # as people read a target; the ruleset keeps ASCII


def show(rule: ThresholdRule, indicator, zh: bool) -> list[str]:
    unit = indicator.unit or ""
    return [
        f"  {'目标' if zh else 'target'} {year}{'年起' if zh else '+'}: {_SIGNS.get(rule.op, rule.op)} {value:g} {unit}"
        for year, value in sorted(rule.targets.items())
    ]
