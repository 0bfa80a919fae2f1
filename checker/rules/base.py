"""What every rule kind shares: the judging context, the finding builder, the missing / error /
not_due findings, the milestone in force, the engine's condition form, template lines.

A kind module (checker/rules/<kind>.py) holds:
  ID, MODEL                          its `kind:` and its pydantic model
  NAME                               what the kind is called, in Chinese and English
  NUMERIC                            whether its indicator must be a number (ruleset validation)
  years_read(rule, period)           the earlier years (before the plan's own) that it reads
  prepare(rule, ctx)                 a finding straight away, or a Prepared: the engine fact and
                                     whatever was read and computed to make it
  compile(rule), fact_shape(rule)    its durable_rules conditions (plain JSON) and its fact's fields
  judged(rule, prepared, outcome, ctx)  the engine's outcome -> a finding, recomputing nothing
  template_lines(rule, year, book)   the rows a submitter's template needs for it
  show(rule, indicator, zh)          its lines of `checker rules show`
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from pydantic import Field, ValidationInfo, model_validator

from checker.models import Finding, FindingSource, Problem, RuleBase, Target, Text
from checker.precision import MAX_DECIMALS, at_precision, record_decimals
from checker.ruleset_problems import Bilingual

if TYPE_CHECKING:
    from checker.history import History, PastValue
    from checker.models import Observation
    from checker.observations import SubmissionInput
    from checker.rules import Ruleset
    from checker.rulesets import RuleBook


@dataclass(frozen=True)
class Fact:
    """What the engine sees of one rule for one submission."""

    rule_id: str
    fields: dict


@dataclass(frozen=True, slots=True)
class Prepared:
    """A fact for the engine; each kind adds what it read and computed to make it."""

    fact: Fact


@dataclass(frozen=True, slots=True)
class Context:
    """One submission judged against one plan."""

    book: RuleBook
    sub: SubmissionInput
    as_of: dt.date
    history: History
    ruleset: Ruleset


class TemplateLine(NamedTuple):
    """One row a template asks for: `kind` is what its value column accepts (number, share,
    status, yes_no); `year` is None for the template's own year."""

    indicator: str
    subject: str | None
    target: str
    hint: str
    kind: str
    year: int | None = None


# Validation context of a plan rebuilt from the JSON pydantic dumped of it once validated.
REBUILT = "rebuilt_from_validated"


class WrittenTargets(RuleBase):
    """A rule whose targets are numbers the plan writes: the observed value is compared at the
    precision each target is written in (GB/T 8170 修约值比较法, 四舍六入五成双; checker/precision.py).

    targets: {2018: 66.7}  ->  one decimal: 66.67 is 66.7 and meets ">= 66.7", 66.64 is 66.6 and misses;
    targets: {2018: 55}    ->  whole numbers: 54.5 is 54 (half to even) and misses ">= 55", 54.6 is 55.
    YAML reads 66.70 as 66.7: quote a target ("66.70") to keep its trailing zeros, or give `decimals`."""

    decimals: dict[int, int] = Field(
        {},
        description="decimal places each milestone's target is compared at; by default as the target is written "
        "(66.7 → 1, 55 → 0, \"66.70\" → 2)",
    )

    @model_validator(mode="before")
    @classmethod
    def _as_written(cls, data, info: ValidationInfo):
        if info.context and info.context.get(REBUILT):
            return data  # a validated plan's own JSON: its decimals are all there, as first recorded
        return record_decimals(data)

    @model_validator(mode="after")
    def _decimals_of_targets(self):
        if not set(self.decimals) <= set(self.targets):
            raise Bilingual("decimals 列出了没有目标的年份", "decimals names a year that has no target")
        if any(not 0 <= d <= MAX_DECIMALS for d in self.decimals.values()):
            raise Bilingual(f"decimals 须为 0 至 {MAX_DECIMALS}", f"decimals must be 0 to {MAX_DECIMALS}")
        return self


def at_target_precision(rule, year: int, value: float) -> tuple[float, Text | None]:
    """The value compared with the target in force, and the sentence saying how it was rounded."""
    return at_precision(value, getattr(rule, "decimals", {}).get(year))


def with_rounding(message: Text, rounding: Text | None) -> Text:
    if rounding is None:
        return message
    return Text(zh=f"{message.zh}；{rounding.zh}", en=f"{message.en}; {rounding.en}")


def target_in_force(rule, year: int) -> tuple[int, float] | None:
    """The milestone with the greatest year <= the assessment year (contract §5)."""
    years = [y for y in rule.targets if y <= year]
    if not years:
        return None
    milestone = max(years)
    return milestone, rule.targets[milestone]


def fmt(value: float) -> str:
    if value == 0:
        value = 0.0  # -0.0 would print as "-0"
    return f"{value:g}" if abs(value) < 1e15 else str(value)


def verdict(outcome: str) -> tuple[str, str]:
    return ("达到", "meets") if outcome == "pass" else ("未达到", "misses")


def finding(
    rule, ctx: Context, status: str, message: Text, *, observed=None, gap=None, target: Target, subject=None, note=None, locations=()
) -> Finding:
    rs = ctx.ruleset
    return Finding(
        rule_id=rule.id,
        indicator=rule.indicator,
        status=status,
        observed=observed,
        unit=getattr(rule, "unit", None) or target.unit,
        target=target,
        gap=gap,
        subject=subject,
        title=rule.title,
        category=rule.category,
        lead_units=list(rule.lead_units),
        responsible_units=list(rule.responsible_units),
        cooperating_units=list(rule.cooperating_units),
        source=FindingSource(document=rs.document.title, number=rs.document.number, clause=rule.clause, quote=rule.quote),
        message=message,
        note=note,
        locations=list(locations),
        weight=rule.weight,
    )


def problem_text(problems: list[Problem]) -> Text:
    return Text(
        zh="；".join(f"{p.location.describe()}：{p.message.zh}" for p in problems),
        en="; ".join(f"{p.location.describe()}: {p.message.en}" for p in problems),
    )


def not_due_from(rule, ctx: Context, from_year: int, target: Target, subject=None) -> Finding:
    return finding(rule, ctx, "not_due", Text(zh=f"自{from_year}年起考核", en=f"assessed from {from_year}"), target=target, subject=subject)


def milestone(rule, ctx: Context, unit: str | None) -> tuple[Target, Finding | None]:
    """The target in force this year, or (before the first milestone) a not_due finding."""
    in_force = target_in_force(rule, ctx.sub.year)
    first = min(rule.targets)
    year, value = in_force or (first, rule.targets[first])
    target = Target(op=rule.op, value=value, unit=unit, year=year)
    if in_force is not None:
        return target, None
    return target, finding(
        rule,
        ctx,
        "not_due",
        Text(zh=f"目标自{first}年起考核，{ctx.sub.year}年尚未到期", en=f"the target applies from {first}; not yet due in {ctx.sub.year}"),
        target=target,
    )


def unusable(rule, ctx: Context, target: Target, subject=None) -> Finding | None:
    # checker.derive reads the rulebook, whose loading needs the rule kinds: imported when judging.
    from checker.derive import depends_on

    sub = ctx.sub
    problems = sub.problems_for(rule.indicator, subject)
    # Bad rows of what a value is derived from only matter when the value was derived.
    if rule.indicator in sub.derived_codes or sub.get(rule.indicator) is None:
        # A rule reading a derived value is also broken by bad rows of what it derives from.
        problems += [p for p in sub.problems if depends_on(rule.indicator, p.indicator)]
    if not problems:
        return None
    text = problem_text(problems)
    return finding(
        rule,
        ctx,
        "error",
        Text(zh=f"数据无法使用：{text.zh}", en=f"the data cannot be used: {text.en}"),
        target=target,
        subject=subject,
        locations=[p.location for p in problems],
    )


def missing(rule, ctx: Context, target: Target, subject=None, why: Text | None = None) -> Finding:
    name = ctx.book.indicators[rule.indicator].name_zh
    what_zh = f"{name}" + (f"（{subject}）" if subject else "")
    what_en = rule.indicator + (f" ({subject})" if subject else "")
    why = why or Text(zh=f"未填报{what_zh}", en=f"{what_en} was not reported")
    return finding(rule, ctx, "missing", why, target=target, subject=subject)


def reported(rule, ctx: Context, target: Target, subject=None) -> Finding | Observation:
    """This year's value of the rule's indicator, or the `error`/`missing` finding it earns."""
    if (bad := unusable(rule, ctx, target, subject)) is not None:
        return bad
    obs = ctx.sub.get(rule.indicator, subject)
    if obs is None or obs.value is None:
        return missing(rule, ctx, target, subject)
    return obs


def past_unusable(rule, ctx: Context, target: Target, past: PastValue, year: int, what: Text | None = None) -> Finding | None:
    """The `error` a past year's unusable rows earn; `what` names that year otherwise than by its number."""
    if not past.problems:
        return None
    text = problem_text(past.problems)
    what = what or Text(zh=f"{year}年", en=f"the {year}")
    return finding(
        rule,
        ctx,
        "error",
        Text(zh=f"{what.zh}数据无法使用：{text.zh}", en=f"{what.en} data cannot be used: {text.en}"),
        target=target,
        locations=[p.location for p in past.problems],
    )


# ---------------------------------------------------------------- the engine's conditions

# The engine's outcomes are the `run` of each compiled rule (pass, fail, late, ...); everything
# else (missing, error, not_due by period, not_applicable) is decided before a fact is made.
PASS_OP = {">=": "$gte", "<=": "$lte", ">": "$gt", "<": "$lt"}
FAIL_OP = {">=": "$lt", "<=": "$gt", ">": "$lte", "<": "$gte", "==": "$neq"}


def when(*conditions: dict) -> dict:
    """durable_rules' form of one fact matching every condition (floats are made positional by the engine)."""
    return {"all": [{"m": {"$and": list(conditions)}}]}


def compile_milestones(rule) -> dict[str, dict]:
    """One pass/fail pair per milestone of a rule judged on one number: the fact says which
    milestone is in force (a reduction's cut and a cumulative total are computed before)."""
    out: dict[str, dict] = {}
    is_rule = {"rule": rule.id}
    for year, target in sorted(rule.targets.items()):
        in_force = {"milestone": year}
        # durable_rules spells equality as a plain field match, not an operator.
        passing = {"value": target} if rule.op == "==" else {PASS_OP[rule.op]: {"value": target}}
        out[f"{rule.id}@{year}$pass"] = {**when(is_rule, in_force, passing), "run": "pass"}
        out[f"{rule.id}@{year}$fail"] = {**when(is_rule, in_force, {FAIL_OP[rule.op]: {"value": target}}), "run": "fail"}
    return out


def milestone_shape(rule) -> dict[str, object]:
    return {"milestone": frozenset(rule.targets), "value": "finite"}


def milestone_fact(rule_id: str, year: int, value: float) -> Fact:
    """The fact of a threshold, reduction or cumulative rule: the milestone in force and the number."""
    return Fact(rule_id, {"milestone": year, "value": float(value)})


BINARY = frozenset((0, 1))
