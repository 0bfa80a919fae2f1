"""cumulative: a total over the years since `from_year`, against the milestone in force.

- id: daxinganling-2016.sewer.cumulative-length
  kind: cumulative
  indicator: sewer.new_pipe_length                 # each year's amount
  total_indicator: sewer.new_pipe_length_cumulative  # or a running total the sheet gives
  from_year: 2016
  targets: {2020: 204}

2016–2020 rows of 40, 45, 50, 40, 30 km   ->  pass (205 km, gap 1)
2020 row of the running total, 190 km     ->  fail (gap -14)
2016–2020 rows without 2018               ->  missing (names 2018)
The total is compared at the precision its target is written in (WrittenTargets in base.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import Field, FiniteFloat

from checker.models import Finding, Location, Target, Text
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

ID = "cumulative"
NAME = Text(zh="累计目标", en="cumulative target")  # as `rules show` names the kind
NUMERIC = True


class CumulativeRule(WrittenTargets):
    """A total over the years since `from_year` (新、改建排水管网不低于204公里): the sum of the
    yearly amounts, read from this run's rows of each year or from the store."""

    kind: Literal["cumulative"]
    indicator: str = Field(description="the yearly amount")
    from_year: int = Field(description="the first year counted")
    op: Literal[">="] = ">="
    targets: dict[int, FiniteFloat] = Field(min_length=1, description="the total required, by year")
    total_indicator: str | None = Field(None, description="a running total the sheet may give instead of every year")

    def indicators_read(self) -> tuple[str, ...]:
        return (self.indicator, self.total_indicator) if self.total_indicator else (self.indicator,)


MODEL = CumulativeRule


@dataclass(frozen=True, slots=True)
class Total(Prepared):
    total: float
    target: Target
    locations: list[Location]
    amounts: list[tuple[int, float]] | None  # each year's amount; None when the sheet gave the running total


def years_read(rule: CumulativeRule, period) -> list[int]:
    return list(range(rule.from_year, period.start))


def prepare(rule: CumulativeRule, ctx: Context) -> Finding | Total:
    """The total since from_year: a running total the sheet gives, else the sum of every year's amount."""
    sub = ctx.sub
    target, not_due = milestone(rule, ctx, ctx.book.indicators[rule.indicator].unit)
    if not_due is not None:
        return not_due
    # A blank running-total row (a template's, left empty beside filled years) gives no total.
    total = sub.get(rule.total_indicator) if rule.total_indicator else None
    if total is not None and total.value is not None:
        if (bad := unusable(rule, ctx, target)) is not None:
            return bad
        value = float(total.value)
        return Total(
            milestone_fact(rule.id, target.year, at_target_precision(rule, target.year, value)[0]), value, target, [total.location], None
        )
    amounts, locations, absent = [], [], []
    for year in range(rule.from_year, sub.year + 1):
        past = ctx.history.get(sub.jurisdiction, year, rule.indicator)
        if past is not None and (bad := past_unusable(rule, ctx, target, past, year)) is not None:
            return bad
        if past is None or past.value is None:
            absent.append(year)
        else:
            amounts.append((year, float(past.value)))
            locations.append(past.location)
    if absent:
        years = "、".join(map(str, absent))
        name = ctx.book.indicators[rule.indicator].name_zh
        return missing(
            rule,
            ctx,
            target,
            why=Text(
                zh=f"累计需要{rule.from_year}–{sub.year}年每年的{name}，缺少 {years} 年",
                en=f"the total needs {rule.indicator} for every year {rule.from_year}-{sub.year}; {', '.join(map(str, absent))} absent",
            ),
        )
    total = round(sum(amount for _, amount in amounts), 6)
    return Total(milestone_fact(rule.id, target.year, at_target_precision(rule, target.year, total)[0]), total, target, locations, amounts)


compile = compile_milestones
fact_shape = milestone_shape


def judged(rule: CumulativeRule, prepared: Total, outcome: str, ctx: Context) -> Finding:
    year, required = prepared.target.year, prepared.target.value
    unit = ctx.book.indicators[rule.indicator].unit or ""
    unit_en = ctx.book.unit_en(unit)
    total, this_year = prepared.total, ctx.sub.year
    if prepared.amounts is None:
        how_zh, how_en = f"填报累计值 {fmt(total)}{unit}", f"reported running total {fmt(total)} {unit_en}"
    else:
        parts = "，".join(f"{y}年 {fmt(amount)}" for y, amount in prepared.amounts)
        how_zh = f"{rule.from_year}–{this_year}年累计 {fmt(total)}{unit}（{parts}）"
        how_en = f"{fmt(total)} {unit_en} over {rule.from_year}-{this_year} ({parts.replace('，', ', ').replace('年', '')})"
    zh, en = verdict(outcome)
    message = Text(
        zh=f"{zh}{year}年目标：{how_zh}，目标 ≥ {fmt(required)}{unit}",
        en=f"{en} the {year} target: {how_en}, target at least {fmt(required)} {unit_en}",
    )
    compared, rounding = at_target_precision(rule, year, total)
    message = with_rounding(message, rounding)
    return finding(
        rule,
        ctx,
        outcome,
        message,
        observed=total,
        gap=gap_at_precision(round(total - required, 6), compared, required, ">="),
        target=Target(op=">=", value=required, unit=unit or None, year=year),
        locations=prepared.locations,
    )


def template_lines(rule: CumulativeRule, year: int, book) -> list[TemplateLine]:
    """Every year's amount since from_year (a total sums them, and a year before the milestone
    is counted in it later), and the running total where the plan allows one instead."""
    if year < rule.from_year:
        return []
    unit = book.indicators[rule.indicator].unit or ""
    in_force = target_in_force(rule, year)
    if in_force is None:
        milestone_year, value = min(rule.targets.items())
        return [
            TemplateLine(
                rule.indicator,
                None,
                f"{year}年当年数（计入{milestone_year}年累计目标 >= {value:g}{unit}）",
                f"填写{year}年当年数",
                "number",
            )
        ]
    milestone_year, value = in_force
    lines = [
        TemplateLine(
            rule.indicator,
            None,
            f"{counted}年当年数（累计目标 {milestone_year}年 >= {value:g}{unit}）",
            f"填写{counted}年当年数",
            "number",
            counted,
        )
        for counted in range(rule.from_year, year + 1)
    ]
    if rule.total_indicator:
        lines.append(
            TemplateLine(
                rule.total_indicator,
                None,
                f"{milestone_year}年目标 >= {value:g}{unit}（{rule.from_year}年起累计）",
                f"或只填{rule.from_year}年以来的累计数（填了累计数，各年数可不填）",
                "number",
            )
        )
    return lines


def show(rule: CumulativeRule, indicator, zh: bool) -> list[str]:
    unit = indicator.unit or ""
    lines = [
        f"  {'目标' if zh else 'target'} {year}{'年起' if zh else '+'}: "
        + (f"自{rule.from_year}年累计 ≥ {value:g} {unit}" if zh else f"at least {value:g} {unit} in total since {rule.from_year}")
        for year, value in sorted(rule.targets.items())
    ]
    if rule.total_indicator:
        lines.append(f"  {'累计值指标' if zh else 'running total'}: {rule.total_indicator}")
    return lines
