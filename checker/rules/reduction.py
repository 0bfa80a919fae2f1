"""reduction: a cut against a baseline year's value, in percent: (baseline − value) / baseline × 100.

- id: shanghai-putuo-2016.water-use.per-gdp-reduction
  kind: reduction
  indicator: water_use.per_gdp
  baseline_year: 2015                # read from this run's 2015 rows, or from the store
  targets: {2020: 23}                # a cut of at least 23 %

2015 row 20, 2020 row 15   ->  pass (a 25 % cut, gap 2)
2020 row 15, no 2015 row   ->  missing (names the baseline year)
2015 row 0                 ->  error (no base)
The cut is compared at the precision its target is written in (WrittenTargets in base.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from pydantic import Field, FiniteFloat

from checker.models import Finding, Observation, Target, Text
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
    missing,
    past_unusable,
    target_in_force,
    unusable,
    verdict,
    with_rounding,
)

if TYPE_CHECKING:
    from checker.history import PastValue

ID = "reduction"
NAME = Text(zh="削减目标", en="reduction against a baseline year")  # as `rules show` names the kind
NUMERIC = True


class ReductionRule(WrittenTargets):
    """A cut against a baseline year's value, in percent: (baseline − value) / baseline × 100."""

    kind: Literal["reduction"]
    indicator: str
    baseline_year: int
    op: Literal[">="] = ">="
    targets: dict[int, FiniteFloat] = Field(min_length=1, description="the reduction in % required, by year")


MODEL = ReductionRule


@dataclass(frozen=True, slots=True)
class Cut(Prepared):
    obs: Observation
    baseline: PastValue
    cut: float
    target: Target


def years_read(rule: ReductionRule, period) -> list[int]:
    return [rule.baseline_year]


def prepare(rule: ReductionRule, ctx: Context) -> Finding | Cut:
    """A cut against the baseline year's value, read from rows of that year in this run."""
    target, not_due = milestone(rule, ctx, "%")
    if not_due is not None:
        return not_due
    if (bad := unusable(rule, ctx, target)) is not None:
        return bad
    baseline = ctx.history.get(ctx.sub.jurisdiction, rule.baseline_year, rule.indicator)
    baseline_year = Text(zh="基准年", en="the baseline year's")
    if baseline is not None and (bad := past_unusable(rule, ctx, target, baseline, rule.baseline_year, baseline_year)):
        return bad
    obs = ctx.sub.get(rule.indicator)
    if obs is None or obs.value is None:
        return missing(rule, ctx, target)
    name = ctx.book.indicators[rule.indicator].name_zh
    if baseline is None or baseline.value is None:
        return missing(
            rule,
            ctx,
            target,
            why=Text(
                zh=f"缺少基准年 {rule.baseline_year} 年的{name}，无法计算下降比例",
                en=f"the {rule.baseline_year} baseline of {rule.indicator} is absent; the reduction cannot be computed",
            ),
        )
    if baseline.value <= 0:
        return finding(
            rule,
            ctx,
            "error",
            Text(
                zh=f"基准年 {rule.baseline_year} 年的{name}为 {baseline.value}，不能作为基数",
                en=f"the {rule.baseline_year} baseline is {baseline.value}; it cannot be a base",
            ),
            target=target,
            locations=[baseline.location],
        )
    cut = round((baseline.value - obs.value) * 100.0 / baseline.value, 4)
    return Cut(milestone_fact(rule.id, target.year, at_target_precision(rule, target.year, cut)[0]), obs, baseline, cut, target)


compile = compile_milestones
fact_shape = milestone_shape


def judged(rule: ReductionRule, prepared: Cut, outcome: str, ctx: Context) -> Finding:
    obs, baseline, cut, target = prepared.obs, prepared.baseline, prepared.cut, prepared.target
    year, required = target.year, target.value
    unit = ctx.book.indicators[rule.indicator].unit or ""
    zh, en = verdict(outcome)
    message = Text(
        zh=f"{zh}{year}年目标：比{rule.baseline_year}年下降 {cut:g}%（{fmt(baseline.value)} → {fmt(obs.value)} {unit}），目标下降 ≥ {fmt(required)}%",
        en=f"{en} the {year} target: down {cut:g}% on {rule.baseline_year} "
        f"({fmt(baseline.value)} → {fmt(obs.value)} {ctx.book.unit_en(unit)}), target a cut of at least {fmt(required)}%",
    )
    compared, rounding = at_target_precision(rule, year, cut)
    message = with_rounding(message, rounding)
    return finding(
        rule,
        ctx,
        outcome,
        message,
        observed=cut,
        gap=gap_at_precision(round(cut - required, 6), compared, required, ">="),
        note=obs.note,
        target=target,
        locations=[obs.location, baseline.location],
    )


def template_lines(rule: ReductionRule, year: int, book) -> list[TemplateLine]:
    in_force = target_in_force(rule, year)
    if in_force is None:
        return []
    milestone_year, value = in_force
    return [
        TemplateLine(
            rule.indicator, None, f"比{rule.baseline_year}年下降 ≥ {value:g}%（{milestone_year}年目标）", f"填写{year}年数值", "number"
        ),
        TemplateLine(
            rule.indicator, None, f"{rule.baseline_year}年基准值", f"填写{rule.baseline_year}年（基准年）数值", "number", rule.baseline_year
        ),
    ]


def show(rule: ReductionRule, indicator, zh: bool) -> list[str]:
    return [
        f"  {'目标' if zh else 'target'} {year}{'年起' if zh else '+'}: "
        + (f"比{rule.baseline_year}年下降 ≥ {value:g}%" if zh else f"a cut of at least {value:g}% on {rule.baseline_year}")
        for year, value in sorted(rule.targets.items())
    ]
