"""The pipeline: files -> raw rows -> observations -> facts -> engine -> findings -> Report.

`run_check` is what the CLI calls and what Python users call (`checker.pipeline`).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from checker import __version__
from checker.derive import depends_on, derive
from checker.grading import grade_submission
from checker.engine import Engine, Fact, attestation_fact, duty_fact, stable_fact, task_fact, threshold_fact
from checker.history import History, PastValue
from checker.progress import Progress
from checker.models import (STATUSES, Observation, TASK_STATES_ZH, AttestationRule, CumulativeRule, StableRule, Finding, FindingSource, InputFile, Location, Problem,
                            ReductionRule, Report, Ruleset, Submission, Target, TaskRule, Text, ThresholdRule)
from checker.observations import SubmissionInput, collect
from checker.readers import SUFFIXES, NotASheet, RawRow, read_sheet
from checker.rulesets import LoadedRuleset, RuleBook
from checker.waivers import WAIVER, apply_waivers, sheet_waivers

SEVERITY = ("error", "fail", "missing", "pass")


def _display(path: Path) -> str:
    return path.as_posix()


@dataclass(frozen=True)
class Limits:
    """What a file may cost before it is refused: a run must survive whatever arrives."""
    max_file_bytes: int = 200 * 1024 * 1024
    max_unzipped_bytes: int = 500 * 1024 * 1024  # an XLSX is a zip: refuse one that inflates past this


def walk(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """Every file under the given paths, sorted, each once, so runs are reproducible. A file found in
    a folder that is a link to somewhere outside that folder is refused, not followed."""
    files: list[Path] = []
    refused: list[Problem] = []
    for path in paths:
        if not path.is_dir():
            files.append(path)
            continue
        root = path.resolve()
        for found in sorted((p for p in path.rglob("*") if p.is_file() or p.is_symlink()), key=lambda p: p.as_posix()):
            display = _display(found)
            target = found.resolve()
            if not found.exists():
                refused.append(Problem(location=Location(file=display), message=Text(
                    zh=f"{display}：符号链接指向的文件不存在", en=f"{display}: a symbolic link to nothing")))
            elif target != root and root not in target.parents:
                refused.append(Problem(location=Location(file=display), message=Text(
                    zh=f"{display}：符号链接指向输入文件夹之外（{target}），未读取",
                    en=f"{display}: a symbolic link to outside the input folder ({target}); not read")))
            elif found.is_file():
                files.append(found)
    unique: dict[str, Path] = {}
    for f in files:
        unique.setdefault(os.path.normpath(f.as_posix()), f)
    return list(unique.values()), refused


def _unreadable(display: str, zh: str, en: str) -> Problem:
    return Problem(location=Location(file=display), message=Text(zh=f"{display}：{zh}", en=f"{display}: {en}"))


def read_inputs(paths: list[Path], limits: Limits = Limits(),
                progress: Progress | None = None) -> tuple[list[RawRow], list[InputFile], list[Problem]]:
    files, refused = walk(paths)
    progress = progress or Progress.silent()
    progress.start("sheets", len(files))
    rows, inputs, problems = read_files(files, limits, progress)
    return rows, inputs, refused + problems


def read_files(files: list[Path], limits: Limits = Limits(),
               progress: Progress | None = None) -> tuple[list[RawRow], list[InputFile], list[Problem]]:
    progress = progress or Progress.silent()
    rows: list[RawRow] = []
    inputs: list[InputFile] = []
    problems: list[Problem] = []
    for path in files:
        progress.advance()
        display = _display(path)
        try:
            found_rows, found_input, found_problems = _read_one(path, display, limits)
        except OSError as exc:  # unreadable (permissions, vanished while reading): this file only
            found_rows, found_input = [], None
            found_problems = [_unreadable(display, f"无法读取：{exc.strerror or exc}", f"cannot be read: {exc.strerror or exc}")]
        rows.extend(found_rows)
        problems.extend(found_problems)
        if found_input is not None:
            inputs.append(found_input)
    return rows, inputs, problems


def _read_one(path: Path, display: str, limits: Limits) -> tuple[list[RawRow], InputFile | None, list[Problem]]:
    if not path.exists():
        return [], None, [_unreadable(display, "文件不存在", "no such file")]
    size = path.stat().st_size
    digest = _sha256(path)
    if size > limits.max_file_bytes:
        problem = _unreadable(display, f"文件大小 {size} 字节，超过上限 {limits.max_file_bytes} 字节，未读取",
                              f"{size} bytes, over the limit of {limits.max_file_bytes}; not read")
        return [], InputFile(file=display, sha256=digest, read=False, note=problem.message.en), [problem]
    if path.suffix.lower() not in SUFFIXES:
        return [], InputFile(file=display, sha256=digest, read=False,
                             note="not a sheet type the checker reads (.csv .xlsx .json .yaml); skipped"), []
    try:
        sheet = read_sheet(path, display, limits.max_unzipped_bytes)
    except NotASheet as exc:
        return [], InputFile(file=display, sha256=digest, read=False, note=exc.text.en), \
            [Problem(location=Location(file=display, sheet=exc.sheet, row=exc.row, column=exc.column), message=exc.text)]
    except Exception as exc:  # a reader library's own failure: this file is lost, never the run
        problem = _unreadable(display, f"无法读取（{type(exc).__name__}: {exc}）", f"cannot be read ({type(exc).__name__}: {exc})")
        return [], InputFile(file=display, sha256=digest, read=False, note=problem.message.en), [problem]
    return sheet.rows, InputFile(file=display, sha256=digest, read=True), sheet.problems


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def target_in_force(rule: ThresholdRule, year: int) -> tuple[int, float] | None:
    """The milestone with the greatest year <= the assessment year (contract §5)."""
    years = [y for y in rule.targets if y <= year]
    if not years:
        return None
    milestone = max(years)
    return milestone, rule.targets[milestone]


def _finding(rule, lr: LoadedRuleset, status: str, message: Text, *, observed=None, gap=None,
             target: Target, subject=None, note=None, locations=()) -> Finding:
    rs: Ruleset = lr.ruleset
    return Finding(
        rule_id=rule.id, indicator=rule.indicator, status=status, observed=observed,
        unit=getattr(rule, "unit", None) or target.unit, target=target, gap=gap, subject=subject,
        title=rule.title, category=rule.category, lead_units=list(rule.lead_units),
        responsible_units=list(rule.responsible_units), cooperating_units=list(rule.cooperating_units),
        source=FindingSource(document=rs.document.title, number=rs.document.number, clause=rule.clause,
                             quote=rule.quote),
        message=message, note=note, locations=list(locations), weight=rule.weight)


def _problem_text(problems: list[Problem]) -> Text:
    return Text(zh="；".join(f"{p.location.describe()}：{p.message.zh}" for p in problems),
                en="; ".join(f"{p.location.describe()}: {p.message.en}" for p in problems))


def _fmt(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e15 else str(value)


class _RuleJudge:
    """Per rule kind: either a finding straight away (missing, error, not_due) or a fact."""

    def __init__(self, book: RuleBook, sub: SubmissionInput, as_of: dt.date,
                 history: History):
        self.book, self.sub, self.as_of, self.history = book, sub, as_of, history

    def prepare(self, rule, lr) -> Finding | Fact:
        return {"threshold": self._threshold, "reduction": self._reduction, "cumulative": self._cumulative,
                "stable": self._stable, "task": self._task, "attestation": self._attestation}[rule.kind](rule, lr)

    def _reported(self, rule, lr, target) -> Finding | Observation:
        """This year's value of the rule's indicator, or the `error`/`missing` finding it earns."""
        if (bad := self._unusable(rule, lr, target)) is not None:
            return bad
        obs = self.sub.get(rule.indicator)
        if obs is None or obs.value is None:
            return self._missing(rule, lr, target)
        return obs

    def _past_unusable(self, rule, lr, target, past: PastValue, year: int) -> Finding | None:
        if not past.problems:
            return None
        text = _problem_text(past.problems)
        return _finding(rule, lr, "error", Text(zh=f"{year}年数据无法使用：{text.zh}", en=f"the {year} data cannot be used: {text.en}"),
                        target=target, locations=[p.location for p in past.problems])

    def _cumulative(self, rule: CumulativeRule, lr) -> Finding | Fact:
        """The total since from_year: a running total the sheet gives, else the sum of every year's amount."""
        target, not_due = self._milestone(rule, lr, self.book.indicators[rule.indicator].unit)
        if not_due is not None:
            return not_due
        if rule.total_indicator and self.sub.get(rule.total_indicator) is not None:
            if (bad := self._unusable(rule, lr, target)) is not None:
                return bad
            total = self.sub.get(rule.total_indicator)
            if total.value is None:
                return self._missing(rule, lr, target)
            return threshold_fact(rule.id, target.year, float(total.value))
        amounts, absent = [], []
        for year in range(rule.from_year, self.sub.year + 1):
            past = self.history.get(self.sub.jurisdiction, year, rule.indicator)
            if past is not None and (bad := self._past_unusable(rule, lr, target, past, year)) is not None:
                return bad
            if past is None or past.value is None:
                absent.append(year)
            else:
                amounts.append(float(past.value))
        if absent:
            years = "、".join(map(str, absent))
            name = self.book.indicators[rule.indicator].name_zh
            return self._missing(rule, lr, target, why=Text(
                zh=f"累计需要{rule.from_year}–{self.sub.year}年每年的{name}，缺少 {years} 年",
                en=f"the total needs {rule.indicator} for every year {rule.from_year}-{self.sub.year}; "
                   f"{', '.join(map(str, absent))} absent"))
        return threshold_fact(rule.id, target.year, round(sum(amounts), 6))

    def _stable(self, rule: StableRule, lr) -> Finding | Fact:
        """保持稳定: this year against the year before."""
        unit = self.book.indicators[rule.indicator].unit
        target = Target(op=rule.op, unit=unit, year=self.sub.year - 1)
        if self.sub.year < rule.from_year:
            return _finding(rule, lr, "not_due", Text(zh=f"自{rule.from_year}年起考核", en=f"assessed from {rule.from_year}"),
                            target=target)
        obs = self._reported(rule, lr, target)
        if isinstance(obs, Finding):
            return obs
        previous = self.history.get(self.sub.jurisdiction, self.sub.year - 1, rule.indicator)
        if previous is not None and (bad := self._past_unusable(rule, lr, target, previous, self.sub.year - 1)) is not None:
            return bad
        if previous is None or previous.value is None:
            name = self.book.indicators[rule.indicator].name_zh
            return self._missing(rule, lr, target, why=Text(
                zh=f"缺少上一年（{self.sub.year - 1}年）的{name}，无法判断是否保持稳定",
                en=f"the {self.sub.year - 1} value of {rule.indicator} is absent; stability cannot be judged"))
        change = float(obs.value) - float(previous.value)
        return stable_fact(rule.id, round(change if rule.op == ">=" else -change, 6))

    def _reduction(self, rule: ReductionRule, lr) -> Finding | Fact:
        """A cut against the baseline year's value, read from rows of that year in this run."""
        target, not_due = self._milestone(rule, lr, "%")
        if not_due is not None:
            return not_due
        if (bad := self._unusable(rule, lr, target)) is not None:
            return bad
        baseline = self.history.get(self.sub.jurisdiction, rule.baseline_year, rule.indicator)
        if baseline is not None and baseline.problems:
            text = _problem_text(baseline.problems)
            return _finding(rule, lr, "error", Text(zh=f"基准年数据无法使用：{text.zh}", en=f"the baseline year's data cannot be used: {text.en}"),
                            target=target, locations=[p.location for p in baseline.problems])
        obs = self.sub.get(rule.indicator)
        if obs is None or obs.value is None:
            return self._missing(rule, lr, target)
        name = self.book.indicators[rule.indicator].name_zh
        if baseline is None or baseline.value is None:
            return self._missing(rule, lr, target, why=Text(
                zh=f"缺少基准年 {rule.baseline_year} 年的{name}，无法计算下降比例",
                en=f"the {rule.baseline_year} baseline of {rule.indicator} is absent; the reduction cannot be computed"))
        if baseline.value <= 0:
            return _finding(rule, lr, "error", Text(zh=f"基准年 {rule.baseline_year} 年的{name}为 {baseline.value}，不能作为基数",
                                                    en=f"the {rule.baseline_year} baseline is {baseline.value}; it cannot be a base"),
                            target=target, locations=[baseline.location])
        reduction = round((baseline.value - obs.value) * 100.0 / baseline.value, 4)
        return threshold_fact(rule.id, target.year, reduction)

    def _milestone(self, rule, lr, unit: str | None) -> tuple[Target, Finding | None]:
        """The target in force this year, or (before the first milestone) a not_due finding."""
        in_force = target_in_force(rule, self.sub.year)
        first = min(rule.targets)
        year, value = in_force or (first, rule.targets[first])
        target = Target(op=rule.op, value=value, unit=unit, year=year)
        if in_force is not None:
            return target, None
        return target, _finding(rule, lr, "not_due", Text(zh=f"目标自{first}年起考核，{self.sub.year}年尚未到期",
                                                          en=f"the target applies from {first}; not yet due in {self.sub.year}"),
                                target=target)

    def _unusable(self, rule, lr, target, subject=None) -> Finding | None:
        problems = self.sub.problems_for(rule.indicator, subject)
        # Bad rows of what a value is derived from only matter when the value was derived.
        if rule.indicator in self.sub.derived_codes or self.sub.get(rule.indicator) is None:
            # A rule reading a derived value is also broken by bad rows of what it derives from.
            problems += [p for p in self.sub.problems if depends_on(rule.indicator, p.indicator)]
        if not problems:
            return None
        text = _problem_text(problems)
        return _finding(rule, lr, "error", Text(zh=f"数据无法使用：{text.zh}", en=f"the data cannot be used: {text.en}"),
                        target=target, subject=subject, locations=[p.location for p in problems])

    def _missing(self, rule, lr, target, subject=None, why: Text | None = None) -> Finding:
        name = self.book.indicators[rule.indicator].name_zh
        what_zh = f"{name}" + (f"（{subject}）" if subject else "")
        what_en = rule.indicator + (f" ({subject})" if subject else "")
        why = why or Text(zh=f"未填报{what_zh}", en=f"{what_en} was not reported")
        return _finding(rule, lr, "missing", why, target=target, subject=subject)

    def _threshold(self, rule: ThresholdRule, lr) -> Finding | Fact:
        target, not_due = self._milestone(rule, lr, self.book.indicators[rule.indicator].unit)
        if not_due is not None:
            return not_due
        if rule.until is not None and self.sub.year > rule.until:
            return _finding(rule, lr, "not_applicable", Text(zh=f"该目标只适用至{rule.until}年", en=f"the target applies until {rule.until}"),
                            target=target)
        obs = self._reported(rule, lr, target)
        if isinstance(obs, Finding):
            return obs
        return threshold_fact(rule.id, target.year, obs.value)

    def _duty(self, rule: TaskRule, lr) -> Finding | Fact:
        """长期坚持 with no deadline: a status every year; 未启动 means the duty lapsed."""
        target = Target(value="in_progress", year=lr.ruleset.period.start)
        if (bad := self._unusable(rule, lr, target, rule.subject)) is not None:
            return bad
        obs = self.sub.get(rule.indicator, rule.subject)
        if obs is None or obs.value is None:
            return self._missing(rule, lr, target, rule.subject)
        return duty_fact(rule.id, obs.value in ("completed", "in_progress"))

    def _task(self, rule: TaskRule, lr) -> Finding | Fact:
        if rule.deadline is None:
            return self._duty(rule, lr)
        target = Target(deadline=rule.deadline, value="completed")
        if (bad := self._unusable(rule, lr, target, rule.subject)) is not None:
            return bad
        obs = self.sub.get(rule.indicator, rule.subject)
        if obs is None or obs.value is None:
            if rule.deadline.year < self.sub.year and not rule.ongoing:
                # A one-off task is assessed in its deadline's year; only 长期坚持 tasks report yearly.
                return _finding(rule, lr, "not_applicable", Text(
                    zh=f"一次性任务，截止 {rule.deadline}，已在{rule.deadline.year}年度考核；本年度未再填报",
                    en=f"one-off task due {rule.deadline}, assessed in {rule.deadline.year}; not reported again this year"),
                    target=target, subject=rule.subject)
            if self.as_of <= rule.deadline:
                return _finding(rule, lr, "not_due", Text(zh=f"截止日期 {rule.deadline} 未到，未填报进展",
                                                          en=f"due {rule.deadline}; no status reported yet"),
                                target=target, subject=rule.subject)
            return self._missing(rule, lr, target, rule.subject)
        completed = obs.value == "completed"
        if completed and obs.date is None:
            return self._missing(rule, lr, target, rule.subject, Text(
                zh=f"任务（{rule.subject}）填报为已完成，但未填写完成日期", en=f"task {rule.subject} is reported completed without a completion date"))
        if completed and obs.date > self.as_of:
            return _finding(rule, lr, "error", Text(
                zh=f"完成日期 {obs.date} 晚于考核截止日 {self.as_of}", en=f"the completion date {obs.date} is after the as-of date {self.as_of}"),
                target=target, subject=rule.subject, observed=obs.value, locations=[obs.location])
        return task_fact(rule.id, completed, obs.date if completed else None, self.as_of)

    def _attestation(self, rule: AttestationRule, lr) -> Finding | Fact:
        target = Target(value=True, year=rule.from_year)
        if self.sub.year < rule.from_year:
            return _finding(rule, lr, "not_due", Text(zh=f"自{rule.from_year}年起考核", en=f"assessed from {rule.from_year}"),
                            target=target, subject=rule.subject)
        if (bad := self._unusable(rule, lr, target, rule.subject)) is not None:
            return bad
        obs = self.sub.get(rule.indicator, rule.subject)
        if obs is None or obs.value is None:
            return self._missing(rule, lr, target, rule.subject)
        if obs.value is True and rule.evidence_required and not obs.note:
            return self._missing(rule, lr, target, rule.subject, Text(
                zh=f"已声明“{rule.subject}”，但备注未提供佐证材料", en=f"“{rule.subject}” is declared met but the note gives no evidence"))
        return attestation_fact(rule.id, bool(obs.value))


def _judged(rule, lr, outcome: str, sub: SubmissionInput, book: RuleBook, as_of: dt.date,
            history: History) -> Finding:
    """Turn the engine's outcome into a finding with observed value, gap and message."""
    if isinstance(rule, ReductionRule):
        milestone, required = target_in_force(rule, sub.year)
        obs = sub.get(rule.indicator)
        baseline = history.get(sub.jurisdiction, rule.baseline_year, rule.indicator)
        cut = round((baseline.value - obs.value) * 100.0 / baseline.value, 4)
        unit = book.indicators[rule.indicator].unit or ""
        verdict = "达到" if outcome == "pass" else "未达到"
        message = Text(zh=f"{verdict}{milestone}年目标：比{rule.baseline_year}年下降 {cut:g}%（{_fmt(baseline.value)} → {_fmt(obs.value)} {unit}），目标下降 ≥ {_fmt(required)}%",
                       en=f"{'meets' if outcome == 'pass' else 'misses'} the {milestone} target: down {cut:g}% on {rule.baseline_year} "
                          f"({_fmt(baseline.value)} → {_fmt(obs.value)} {unit}), target a cut of at least {_fmt(required)}%")
        return _finding(rule, lr, outcome, message, observed=cut, gap=round(cut - required, 6), note=obs.note,
                        target=Target(op=">=", value=required, unit="%", year=milestone),
                        locations=[obs.location, baseline.location])
    if isinstance(rule, CumulativeRule):
        milestone, required = target_in_force(rule, sub.year)
        unit = book.indicators[rule.indicator].unit or ""
        total_obs = sub.get(rule.total_indicator) if rule.total_indicator else None
        if total_obs is not None:
            total, locations = float(total_obs.value), [total_obs.location]
            how_zh, how_en = f"填报累计值 {_fmt(total)}{unit}", f"reported running total {_fmt(total)} {unit}"
        else:
            years = [(y, history.get(sub.jurisdiction, y, rule.indicator)) for y in range(rule.from_year, sub.year + 1)]
            total, locations = round(sum(float(p.value) for _, p in years), 6), [p.location for _, p in years]
            parts = "，".join(f"{y}年 {_fmt(float(p.value))}" for y, p in years)
            how_zh, how_en = f"{rule.from_year}–{sub.year}年累计 {_fmt(total)}{unit}（{parts}）", \
                f"{_fmt(total)} {unit} over {rule.from_year}-{sub.year} ({parts.replace('，', ', ').replace('年', '')})"
        verdict = "达到" if outcome == "pass" else "未达到"
        message = Text(zh=f"{verdict}{milestone}年目标：{how_zh}，目标 ≥ {_fmt(required)}{unit}",
                       en=f"{'meets' if outcome == 'pass' else 'misses'} the {milestone} target: {how_en}, "
                          f"target at least {_fmt(required)} {unit}")
        return _finding(rule, lr, outcome, message, observed=total, gap=round(total - required, 6),
                        target=Target(op=">=", value=required, unit=unit or None, year=milestone), locations=locations)
    if isinstance(rule, StableRule):
        obs = sub.get(rule.indicator)
        previous = history.get(sub.jurisdiction, sub.year - 1, rule.indicator)
        unit = book.indicators[rule.indicator].unit or ""
        now, before = float(obs.value), float(previous.value)
        direction_zh = "不低于" if rule.op == ">=" else "不高于"
        kept = outcome == "pass"
        message = Text(zh=f"{'保持稳定' if kept else '未保持稳定'}：{sub.year}年 {_fmt(now)}{unit}，"
                          f"{sub.year - 1}年 {_fmt(before)}{unit}（应{direction_zh}上年）",
                       en=f"{'stable' if kept else 'worse than the year before'}: {_fmt(now)}{unit} in {sub.year}, "
                          f"{_fmt(before)}{unit} in {sub.year - 1} (must be {'at least' if rule.op == '>=' else 'at most'} last year's)")
        change = round(now - before if rule.op == ">=" else before - now, 6)
        return _finding(rule, lr, outcome, message, observed=now, gap=change, note=obs.note,
                        target=Target(op=rule.op, value=before, unit=unit or None, year=sub.year - 1),
                        locations=[obs.location, previous.location])
    if isinstance(rule, ThresholdRule):
        milestone, value = target_in_force(rule, sub.year)
        obs = sub.get(rule.indicator)
        unit = book.indicators[rule.indicator].unit
        observed = float(obs.value)
        gap = round(observed - value if rule.op in (">=", ">", "==") else value - observed, 6)
        unit_text = "" if unit in (None, "ratio") else unit
        verdict_zh = "达到" if outcome == "pass" else "未达到"
        message = Text(zh=f"{verdict_zh}{milestone}年目标：实际 {_fmt(observed)}{unit_text}，目标 {rule.op} {_fmt(value)}{unit_text}",
                       en=f"{'meets' if outcome == 'pass' else 'misses'} the {milestone} target: observed {_fmt(observed)}{unit_text}, "
                          f"target {rule.op} {_fmt(value)}{unit_text}")
        return _finding(rule, lr, outcome, message, observed=observed, gap=gap, note=obs.note,
                        target=Target(op=rule.op, value=value, unit=unit, year=milestone), locations=[obs.location])
    if isinstance(rule, TaskRule) and rule.deadline is None:
        obs = sub.get(rule.indicator, rule.subject)
        state = TASK_STATES_ZH[obs.value]
        message = Text(zh=f"长期坚持事项，本年度“{state}”" + ("" if outcome == "pass" else "，未落实"),
                       en=f"a standing duty (长期坚持), reported {obs.value} this year" + ("" if outcome == "pass" else ": not carried out"))
        return _finding(rule, lr, "pass" if outcome == "pass" else "fail", message, observed=obs.value,
                        target=Target(value="in_progress", year=lr.ruleset.period.start),
                        subject=rule.subject, note=obs.note, locations=[obs.location])
    if isinstance(rule, TaskRule):
        obs = sub.get(rule.indicator, rule.subject)
        target = Target(deadline=rule.deadline, value="completed")
        status, gap = ("pass" if outcome == "pass" else "not_due" if outcome == "not_due" else "fail"), None
        if outcome == "pass":
            message = Text(zh=f"已于 {obs.date} 完成（截止 {rule.deadline}）", en=f"completed on {obs.date} (due {rule.deadline})")
        elif outcome == "late":
            days = (obs.date - rule.deadline).days
            gap = float(-days)
            message = Text(zh=f"逾期完成：{obs.date} 完成，晚于截止日期 {rule.deadline} 共 {days} 天",
                           en=f"completed late: on {obs.date}, {days} days after the deadline {rule.deadline}")
        elif outcome == "overdue":
            days = (as_of - rule.deadline).days
            gap = float(-days)
            state = TASK_STATES_ZH.get(obs.value, obs.value)
            message = Text(zh=f"逾期未完成：截止 {rule.deadline}，至 {as_of} 仍为“{state}”，已逾期 {days} 天",
                           en=f"overdue: due {rule.deadline}, still {obs.value} on {as_of}, {days} days overdue")
        else:
            state = TASK_STATES_ZH.get(obs.value, obs.value)
            message = Text(zh=f"截止日期 {rule.deadline} 未到，当前为“{state}”", en=f"due {rule.deadline}; currently {obs.value}")
        return _finding(rule, lr, status, message, observed=obs.value, gap=gap, target=target,
                        subject=rule.subject, note=obs.note, locations=[obs.location])
    obs = sub.get(rule.indicator, rule.subject)
    message = Text(zh=f"已声明“{rule.subject}”" if outcome == "pass" else f"声明未达到“{rule.subject}”",
                   en=f"declared met: {rule.subject}" if outcome == "pass" else f"declared not met: {rule.subject}")
    return _finding(rule, lr, outcome, message, observed=obs.value, target=Target(value=True, year=rule.from_year),
                    subject=rule.subject, note=obs.note, locations=[obs.location])


def submission_status(statuses: list[str]) -> str:
    """The worst status: error, else fail, else missing, else pass (contract §7)."""
    present = set(statuses)
    return next((s for s in SEVERITY if s in present), "pass")


def evaluate_submission(sub: SubmissionInput, book: RuleBook, engine: Engine, as_of: dt.date,
                        history: History | None = None) -> Submission:
    history = history or History({})
    derived = derive(sub, book)
    findings: list[Finding] = []
    rulesets = book.rulesets_for(sub.jurisdiction, sub.year)
    for lr in rulesets:
        judge = _RuleJudge(book, sub, as_of, history)
        facts: list[Fact] = []
        for rule in lr.ruleset.rules:
            prepared = judge.prepare(rule, lr)
            if isinstance(prepared, Fact):
                facts.append(prepared)
            else:
                findings.append(prepared)
        outcomes = engine.evaluate(lr.ruleset.id, facts)
        rules = {r.id: r for r in lr.ruleset.rules}
        findings.extend(_judged(rules[rid], lr, outcome, sub, book, as_of, history) for rid, outcome in outcomes.items())
    known = {r.id for lr in rulesets for r in lr.ruleset.rules}
    from_sheet, waiver_problems = sheet_waivers(sub, known)
    findings = apply_waivers(findings, [w for lr in rulesets for w in lr.ruleset.waivers] + from_sheet, as_of)
    problems = list(sub.problems) + waiver_problems
    if not rulesets:
        problems.append(Problem(location=Location(file=sorted(sub.files)[0] if sub.files else ""),
                                jurisdiction=sub.jurisdiction, year=sub.year, message=Text(
            zh=f"没有覆盖{book.jurisdiction_name(sub.jurisdiction)} {sub.year} 年度的规划",
            en=f"no plan covers {sub.jurisdiction} in {sub.year}")))
    # Water quality first, then the plan's own order: how an officer reads the plan.
    position = {r.id: (i, n) for i, lr in enumerate(rulesets) for n, r in enumerate(lr.ruleset.rules)}
    findings.sort(key=lambda f: (f.category != "water_quality", position[f.rule_id], f.subject or ""))
    listed_problems = [p for p in problems if not _is_rule_problem(p, rulesets)]
    status = submission_status([f.status for f in findings] + ["error"] * len(listed_problems))
    grade = grade_submission(findings, book.grading) if book.grading and rulesets else None
    return Submission(jurisdiction=sub.jurisdiction, year=sub.year, as_of=as_of, files=sorted(sub.files),
                      status=status, rulesets=[lr.ref for lr in rulesets], derived=derived, findings=findings,
                      problems=listed_problems, notes=list(sub.notes), grade=grade)


def _is_rule_problem(problem: Problem, rulesets: list[LoadedRuleset]) -> bool:
    """Problems already reported as a rule's `error` finding are not listed twice."""
    read = {r.indicator for lr in rulesets for r in lr.ruleset.rules} - {WAIVER}
    return problem.indicator in read or any(depends_on(code, problem.indicator) for code in read)


def run_check(paths: list[Path], book: RuleBook, as_of: dt.date | None = None, limits: Limits = Limits(),
              store=None) -> Report:
    """Check the sheets; with a store, rules read the years this run lacks from it, and the run is recorded."""
    report, submissions_in = check_inputs(paths, book, as_of, limits, store)
    if store is not None:
        store.record(report, submissions_in)
    return report


def check_inputs(paths: list[Path], book: RuleBook, as_of: dt.date | None = None, limits: Limits = Limits(),
                 store=None, progress: Progress | None = None) -> tuple[Report, dict[tuple[str, int], SubmissionInput]]:
    """The report, and what was read for it (which a store records)."""
    rows, inputs, stray = read_inputs([Path(p) for p in paths], limits, progress)
    submissions_in, unplaced = collect(rows, book)
    stray.extend(unplaced)
    submissions = evaluate_all(submissions_in, book, as_of, store, progress=progress)
    return assemble(inputs, stray, submissions, book, as_of), submissions_in


def evaluate_all(submissions_in: dict[tuple[str, int], SubmissionInput], book: RuleBook, as_of: dt.date | None,
                 store=None, only: set[str] | None = None, progress: Progress | None = None) -> list[Submission]:
    """Every submission of these inputs (or of the jurisdictions in `only`), in key order."""
    history = History(submissions_in, store)
    judged = [sub for _, sub in sorted(submissions_in.items())
              if (only is None or sub.jurisdiction in only) and not _baseline_only(sub, book)]
    progress = progress or Progress.silent()
    progress.start("checking", len(judged))
    submissions = []
    with Engine(book.ruleset) as engine:
        for sub in judged:
            submissions.append(evaluate_submission(sub, book, engine, as_of or dt.date(sub.year, 12, 31), history))
            progress.advance()
    return submissions


def assemble(inputs: list[InputFile], stray: list[Problem], submissions: list[Submission], book: RuleBook,
             as_of: dt.date | None) -> Report:
    counts = Counter(f.status for s in submissions for f in s.findings)
    counts["error"] += len(stray) + sum(len(s.problems) for s in submissions)
    summary = {"submissions": len(submissions), **{status: counts.get(status, 0) for status in STATUSES}}
    return Report(checker_version=__version__, as_of=as_of, inputs=inputs,
                  rulesets=[lr.ref for lr in book.rulesets], submissions=submissions,
                  errors=sorted(stray, key=lambda p: (p.location.file, p.location.row or 0)),
                  grading=book.grading_ref, summary=summary)


def _baseline_only(sub: SubmissionInput, book: RuleBook) -> bool:
    """Rows of a year no plan covers that only give baselines (e.g. Putuo's 2015 water use)
    are read by the reduction rules, not checked as a submission of their own."""
    wanted = book.baseline_needs.get((sub.jurisdiction, sub.year))
    return bool(wanted) and not book.rulesets_for(sub.jurisdiction, sub.year) and not sub.problems \
        and {code for code, _ in sub.observations} <= wanted


def exit_code(report: Report) -> int:
    """Contract §6: 2 if anything could not be used, 1 if any fail or missing, else 0."""
    if report.summary["error"]:
        return 2
    if report.summary["fail"] or report.summary["missing"]:
        return 1
    return 0
