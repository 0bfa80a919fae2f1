"""stable (保持稳定): no worse than the year before; `op` says which way is better.

- id: jiamusi-2018.water-quality.groundwater-stable
  kind: stable
  indicator: groundwater.very_poor_share
  op: "<="                          # a share that must not rise
  from_year: 2018                   # compared with 2017, from this run's rows or the store

2017 row 10 %, 2018 row 10 %   ->  pass (gap 0)
2017 row 10 %, 2018 row 12 %   ->  fail (gap -2)
2018 row only                  ->  missing (names 2017)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from checker.models import Finding, Observation, RuleBase, Target, Text
from checker.rules.base import Context, Fact, Prepared, TemplateLine, finding, fmt, missing, not_due_from, past_unusable, reported, when

if TYPE_CHECKING:
    from checker.history import PastValue

ID = "stable"
NAME = Text(zh="保持稳定", en="kept stable (no decline)")  # as `rules show` names the kind
NUMERIC = True


class StableRule(RuleBase):
    """保持稳定: no worse than the year before. `op` says which way is better
    (>= a share that should not fall, <= a share that should not rise)."""

    kind: Literal["stable"]
    indicator: str
    op: Literal[">=", "<="]
    from_year: int = Field(description="the first year assessed (compared with the year before it)")


MODEL = StableRule


@dataclass(frozen=True, slots=True)
class Change(Prepared):
    obs: Observation
    previous: PastValue
    change: float  # signed so that >= 0 is no worse


def years_read(rule: StableRule, period) -> list[int]:
    return [rule.from_year - 1]


def stable_fact(rule_id: str, change: float) -> Fact:
    return Fact(rule_id, {"value": float(change)})


def prepare(rule: StableRule, ctx: Context) -> Finding | Change:
    """This year against the year before."""
    sub = ctx.sub
    target = Target(op=rule.op, unit=ctx.book.indicators[rule.indicator].unit, year=sub.year - 1)
    if sub.year < rule.from_year:
        return not_due_from(rule, ctx, rule.from_year, target)
    obs = reported(rule, ctx, target)
    if isinstance(obs, Finding):
        return obs
    previous = ctx.history.get(sub.jurisdiction, sub.year - 1, rule.indicator)
    if previous is not None and (bad := past_unusable(rule, ctx, target, previous, sub.year - 1)) is not None:
        return bad
    if previous is None or previous.value is None:
        name = ctx.book.indicators[rule.indicator].name_zh
        return missing(
            rule,
            ctx,
            target,
            why=Text(
                zh=f"缺少上一年（{sub.year - 1}年）的{name}，无法判断是否保持稳定",
                en=f"the {sub.year - 1} value of {rule.indicator} is absent; stability cannot be judged",
            ),
        )
    now, before = float(obs.value), float(previous.value)
    change = round(now - before if rule.op == ">=" else before - now, 6)
    return Change(stable_fact(rule.id, change), obs, previous, change)


def compile(rule: StableRule) -> dict[str, dict]:
    is_rule = {"rule": rule.id}
    return {
        f"{rule.id}$pass": {**when(is_rule, {"$gte": {"value": 0.0}}), "run": "pass"},
        f"{rule.id}$fail": {**when(is_rule, {"$lt": {"value": 0.0}}), "run": "fail"},
    }


def fact_shape(rule: StableRule) -> dict[str, object]:
    return {"value": "finite"}


def judged(rule: StableRule, prepared: Change, outcome: str, ctx: Context) -> Finding:
    obs, year = prepared.obs, ctx.sub.year
    unit = ctx.book.indicators[rule.indicator].unit or ""
    unit_en = f" {ctx.book.unit_en(unit)}" if ctx.book.unit_en(unit) != unit else unit  # a name with an English form is spaced off
    now, before = float(obs.value), float(prepared.previous.value)
    direction_zh = "不低于" if rule.op == ">=" else "不高于"
    kept = outcome == "pass"
    message = Text(
        zh=f"{'保持稳定' if kept else '未保持稳定'}：{year}年 {fmt(now)}{unit}，{year - 1}年 {fmt(before)}{unit}（应{direction_zh}上年）",
        en=f"{'stable' if kept else 'worse than the year before'}: {fmt(now)}{unit_en} in {year}, "
        f"{fmt(before)}{unit_en} in {year - 1} (must be {'at least' if rule.op == '>=' else 'at most'} last year's)",
    )
    return finding(
        rule,
        ctx,
        outcome,
        message,
        observed=now,
        gap=prepared.change,
        note=obs.note,
        target=Target(op=rule.op, value=before, unit=unit or None, year=year - 1),
        locations=[obs.location, prepared.previous.location],
    )


def template_lines(rule: StableRule, year: int, book) -> list[TemplateLine]:
    if year < rule.from_year:
        return []
    better = "不低于" if rule.op == ">=" else "不高于"
    kind = "share" if book.indicators[rule.indicator].kind == "percentage" else "number"
    return [
        TemplateLine(rule.indicator, None, f"保持稳定：{better}上年（{year - 1}年）", f"填写{year}年数值", kind),
        TemplateLine(rule.indicator, None, f"上年数值（{year - 1}年，供比较）", f"填写{year - 1}年数值", kind, year - 1),
    ]


def show(rule: StableRule, indicator, zh: bool) -> list[str]:
    if zh:
        return [f"  保持稳定: {'不低于' if rule.op == '>=' else '不高于'}上年（自{rule.from_year}年起）"]
    return [f"  stable: {'no lower' if rule.op == '>=' else 'no higher'} than the year before (from {rule.from_year})"]
