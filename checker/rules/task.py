"""task: a dated task, completed by its deadline or not; or, without a deadline, a 长期坚持 duty
carried out every year.

    - id: daxinganling-2016.task.illegal-sludge-sites
      kind: task
      subject: 非法污泥堆放点全部取缔
      deadline: 2017-12-31              # none, with ongoing: true, for a 长期坚持 duty

    任务完成情况 已完成, 日期 2017-10-01   ->  pass
    任务完成情况 已完成, 日期 2018-01-10   ->  fail (late, gap -10 days)
    任务完成情况 推进中, as of 2018-03-01  ->  fail (overdue); before the deadline: not_due
    duty: 推进中 -> pass, 未启动 -> fail
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from pydantic import Field, model_validator

from checker.models import TASK_STATES_ZH, Finding, Observation, RuleBase, Target, Text
from checker.rules.base import BINARY, Context, Fact, Prepared, TemplateLine, finding, missing, reported, unusable, when
from checker.ruleset_problems import Bilingual

ID = "task"
NAME = Text(zh="限期任务", en="dated task")  # as `rules show` names the kind
NUMERIC = False


class TaskRule(RuleBase):
    """A dated task (completed by its deadline or not), or a 长期坚持 duty with no deadline."""

    kind: Literal["task"]
    indicator: Literal["task.status"] = "task.status"
    subject: str
    deadline: dt.date | None = Field(None, description="none for a pure 长期坚持 duty")
    ongoing: bool = Field(False, description="长期坚持: a status is expected every later year too")

    @model_validator(mode="after")
    def dated_or_ongoing(self) -> TaskRule:
        if self.deadline is None and not self.ongoing:
            raise Bilingual(
                "任务须有期限 deadline，长期坚持的任务写 ongoing: true", "a task needs a deadline, or ongoing: true for 长期坚持"
            )
        return self


MODEL = TaskRule


@dataclass(frozen=True, slots=True)
class Status(Prepared):
    obs: Observation


def years_read(rule: TaskRule, period) -> list[int]:
    return []


def task_fact(rule_id: str, completed: bool, done: dt.date | None, as_of: dt.date) -> Fact:
    return Fact(rule_id, {"completed": int(completed), "done_day": done.toordinal() if done else 0, "as_of_day": as_of.toordinal()})


def duty_fact(rule_id: str, active: bool) -> Fact:
    return Fact(rule_id, {"active": int(active)})


def _duty_target(ctx: Context) -> Target:
    return Target(value="in_progress", year=ctx.ruleset.period.start)


def prepare(rule: TaskRule, ctx: Context) -> Finding | Status:
    if rule.deadline is None:
        # 长期坚持 with no deadline: a status every year; 未启动 means the duty lapsed.
        obs = reported(rule, ctx, _duty_target(ctx), rule.subject)
        if isinstance(obs, Finding):
            return obs
        return Status(duty_fact(rule.id, obs.value in ("completed", "in_progress")), obs)
    target = Target(deadline=rule.deadline, value="completed")
    if (bad := unusable(rule, ctx, target, rule.subject)) is not None:
        return bad
    obs = ctx.sub.get(rule.indicator, rule.subject)
    if obs is None or obs.value is None:
        if rule.deadline.year < ctx.sub.year and not rule.ongoing:
            # Contract §5: a one-off task past its year is carried forward until a completion is
            # reported; once one is (this run's earlier years, or the store), it is done.
            done_in = _completed_in(rule, ctx)
            if done_in is not None:
                year, location = done_in
                return finding(
                    rule,
                    ctx,
                    "pass",
                    Text(
                        zh=f"已在{year}年度填报完成（截止 {rule.deadline}），不再考核进展",
                        en=f"reported completed in {year} (due {rule.deadline}); no further status is needed",
                    ),
                    target=target,
                    subject=rule.subject,
                    observed="completed",
                    locations=[location],
                )
            return missing(
                rule,
                ctx,
                target,
                rule.subject,
                Text(
                    zh=f"任务（{rule.subject}）截止 {rule.deadline}，此前未填报完成：逾期任务须每年填报进展，直至完成",
                    en=f"task {rule.subject} was due {rule.deadline} and no completion has been reported: an overdue "
                    f"task reports its status every year until it is done",
                ),
            )
        if ctx.as_of < rule.deadline:
            return finding(
                rule,
                ctx,
                "not_due",
                Text(zh=f"截止日期 {rule.deadline} 未到，未填报进展", en=f"due {rule.deadline}; no status reported yet"),
                target=target,
                subject=rule.subject,
            )
        return missing(rule, ctx, target, rule.subject)
    completed = obs.value == "completed"
    if completed and obs.date is None:
        return missing(
            rule,
            ctx,
            target,
            rule.subject,
            Text(
                zh=f"任务（{rule.subject}）填报为已完成，但未填写完成日期",
                en=f"task {rule.subject} is reported completed without a completion date",
            ),
        )
    if completed and obs.date > ctx.as_of:
        return finding(
            rule,
            ctx,
            "error",
            Text(
                zh=f"完成日期 {obs.date} 晚于考核截止日 {ctx.as_of}",
                en=f"the completion date {obs.date} is after the as-of date {ctx.as_of}",
            ),
            target=target,
            subject=rule.subject,
            observed=obs.value,
            locations=[obs.location],
        )
    return Status(task_fact(rule.id, completed, obs.date if completed else None, ctx.as_of), obs)


def _completed_in(rule: TaskRule, ctx: Context):
    """The earliest year since the deadline's that reported the task completed, with where."""
    for year in range(rule.deadline.year, ctx.sub.year):
        past = ctx.history.get(ctx.sub.jurisdiction, year, rule.indicator, rule.subject)
        if past is not None and past.value == "completed":
            return year, past.location
    return None


def compile(rule: TaskRule) -> dict[str, dict]:
    is_rule = {"rule": rule.id}
    if rule.deadline is None:
        # Each year the duty is either being carried out or not.
        return {
            f"{rule.id}$sustained": {**when(is_rule, {"active": 1}), "run": "pass"},
            f"{rule.id}$lapsed": {**when(is_rule, {"active": 0}), "run": "lapsed"},
        }
    deadline = rule.deadline.toordinal()
    done, open_ = {"completed": 1}, {"completed": 0}
    return {
        f"{rule.id}$pass": {**when(is_rule, done, {"$lte": {"done_day": deadline}}), "run": "pass"},
        f"{rule.id}$late": {**when(is_rule, done, {"$gt": {"done_day": deadline}}), "run": "late"},
        # Contract §5: not completed with the deadline on or before the as-of date is overdue.
        f"{rule.id}$overdue": {**when(is_rule, open_, {"$gte": {"as_of_day": deadline}}), "run": "overdue"},
        f"{rule.id}$not_due": {**when(is_rule, open_, {"$lt": {"as_of_day": deadline}}), "run": "not_due"},
    }


def fact_shape(rule: TaskRule) -> dict[str, object]:
    if rule.deadline is None:
        return {"active": BINARY}
    return {"completed": BINARY, "done_day": "int", "as_of_day": "int"}


def judged(rule: TaskRule, prepared: Status, outcome: str, ctx: Context) -> Finding:
    obs = prepared.obs
    if rule.deadline is None:
        state = TASK_STATES_ZH[obs.value]
        message = Text(
            zh=f"长期坚持事项，本年度“{state}”" + ("" if outcome == "pass" else "，未落实"),
            en=f"a standing duty (长期坚持), reported {obs.value} this year" + ("" if outcome == "pass" else ": not carried out"),
        )
        return finding(
            rule,
            ctx,
            "pass" if outcome == "pass" else "fail",
            message,
            observed=obs.value,
            target=_duty_target(ctx),
            subject=rule.subject,
            note=obs.note,
            locations=[obs.location],
        )
    target = Target(deadline=rule.deadline, value="completed")
    status, gap = ("pass" if outcome == "pass" else "not_due" if outcome == "not_due" else "fail"), None
    if outcome == "pass":
        message = Text(zh=f"已于 {obs.date} 完成（截止 {rule.deadline}）", en=f"completed on {obs.date} (due {rule.deadline})")
    elif outcome == "late":
        days = (obs.date - rule.deadline).days
        gap = float(-days)
        message = Text(
            zh=f"逾期完成：{obs.date} 完成，晚于截止日期 {rule.deadline} 共 {days} 天",
            en=f"completed late: on {obs.date}, {days} days after the deadline {rule.deadline}",
        )
    elif outcome == "overdue":
        days = (ctx.as_of - rule.deadline).days
        gap = float(-days)
        state = TASK_STATES_ZH.get(obs.value, obs.value)
        if days == 0:
            # Judged on the deadline day itself: due and not done, not "0 days overdue".
            message = Text(
                zh=f"到期未完成：截止 {rule.deadline}，截止日仍为“{state}”",
                en=f"overdue: due {rule.deadline}, still {obs.value} on that day",
            )
        else:
            message = Text(
                zh=f"逾期未完成：截止 {rule.deadline}，至 {ctx.as_of} 仍为“{state}”，已逾期 {days} 天",
                en=f"overdue: due {rule.deadline}, still {obs.value} on {ctx.as_of}, {days} days overdue",
            )
    else:
        state = TASK_STATES_ZH.get(obs.value, obs.value)
        message = Text(zh=f"截止日期 {rule.deadline} 未到，当前为“{state}”", en=f"due {rule.deadline}; currently {obs.value}")
    return finding(
        rule,
        ctx,
        status,
        message,
        observed=obs.value,
        gap=gap,
        target=target,
        subject=rule.subject,
        note=obs.note,
        locations=[obs.location],
    )


def template_lines(rule: TaskRule, year: int, book) -> list[TemplateLine]:
    target = f"截止 {rule.deadline.isoformat()}" if rule.deadline else "长期坚持"
    if rule.deadline is not None and rule.deadline.year < year and not rule.ongoing:
        target += " （已过期限：未完成的每年填报进展，直至完成）"  # carried forward (contract §5)
    return [TemplateLine("task.status", rule.subject, target, "选择完成情况；已完成的须填写完成日期", "status")]


def show(rule: TaskRule, indicator, zh: bool) -> list[str]:
    return [f"  {'任务' if zh else 'task'}: {rule.subject}  {'截止' if zh else 'deadline'}: {rule.deadline}"]
