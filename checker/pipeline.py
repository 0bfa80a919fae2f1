"""Judgement: raw rows -> observations -> facts -> engine -> findings -> Report.

What arrives is read by checker.intake; checker.run chooses how a run goes (one process,
every core, the JSON streamed, a store). `run_check` is the single-process path that
Python users and the tests call.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from checker import __version__
from checker.derive import depends_on, derive
from checker.engine import Engine
from checker.grading import grade_submission, with_points
from checker.hedges import hedged
from checker.history import History
from checker.intake import Limits, read_inputs
from checker.models import Derived, Finding, HedgeScheme, InputFile, Location, Problem, Report, Submission, Text
from checker.observations import SubmissionInput, collect, subject_key
from checker.progress import Progress
from checker.rules import KINDS
from checker.rules.base import Context, Prepared
from checker.rulesets import LoadedRuleset, RuleBook
from checker.statuses import submission_status, summarize
from checker.unread_rows import unread_notes
from checker.waivers import WAIVER, apply_waivers, request_note, sheet_waivers


def evaluate_submission(
    sub: SubmissionInput, derived: list[Derived], book: RuleBook, engine: Engine, as_of: dt.date, history: History | None = None
) -> Submission:
    """One submission judged: `sub` as derive() returned it, with `derived`, the list of what it derived."""
    history = history or History({})
    findings: list[Finding] = []
    rulesets = book.rulesets_for(sub.jurisdiction, sub.year)
    hedges = book.grading.hedges if book.grading else HedgeScheme()
    for lr in rulesets:
        ctx = Context(book, sub, as_of, history, lr.ruleset)
        waiting: dict[str, tuple[object, Prepared]] = {}
        for rule in ctx.ruleset.rules:
            prepared = KINDS[rule.kind].prepare(rule, ctx)
            if isinstance(prepared, Prepared):
                waiting[rule.id] = rule, prepared
            else:
                findings.append(hedged(prepared, rule, sub.year, hedges))
        outcomes = engine.evaluate(ctx.ruleset.id, [prepared.fact for _, prepared in waiting.values()])
        for rule_id, outcome in outcomes.items():
            rule, prepared = waiting[rule_id]
            findings.append(hedged(KINDS[rule.kind].judged(rule, prepared, outcome, ctx), rule, sub.year, hedges))
    known = {r.id for lr in rulesets for r in lr.ruleset.rules}
    # Contract §5: only the assessing side grants waivers; a sheet's are requests, listed, granting nothing.
    requested, waiver_problems = sheet_waivers(sub, known)
    granted = [w for lr in rulesets for w in lr.ruleset.waivers] + [w for w in book.granted_waivers if w.rule in known]
    findings = apply_waivers(findings, granted, as_of)
    problems = list(sub.problems) + waiver_problems
    if not rulesets:
        problems.append(
            Problem(
                location=Location(file=sorted(sub.files)[0] if sub.files else ""),
                jurisdiction=sub.jurisdiction,
                year=sub.year,
                message=Text(**dict(zip(("zh", "en"), book.not_covered(sub.jurisdiction, sub.year), strict=True))),
            )
        )
    # Water quality first, then the plan's own order: how an officer reads the plan.
    position = {r.id: (i, n) for i, lr in enumerate(rulesets) for n, r in enumerate(lr.ruleset.rules)}
    findings.sort(key=lambda f: (f.category != "water_quality", position[f.rule_id], f.subject or ""))
    listed_problems = [p for p in problems if not _is_rule_problem(p, rulesets)]
    status = submission_status([f.status for f in findings] + ["error"] * len(listed_problems))
    if book.grading and rulesets:
        findings = with_points(findings, book.grading)
    grade = grade_submission(findings, book.grading) if book.grading and rulesets else None
    return Submission(
        jurisdiction=sub.jurisdiction,
        year=sub.year,
        as_of=as_of,
        files=sorted(sub.files),
        status=status,
        rulesets=[lr.ref for lr in rulesets],
        derived=derived,
        findings=findings,
        problems=listed_problems,
        # Without a plan the problem above says why nothing was read; with one, an unread row is named.
        notes=[
            *sub.notes,
            *map(request_note, requested),
            *_unmatched_subjects(sub, rulesets, book),
            *(unread_notes(sub, rulesets, book) if rulesets else []),
        ],
        grade=grade,
    )


def _unmatched_subjects(sub: SubmissionInput, rulesets: list[LoadedRuleset], book: RuleBook) -> list[Text]:
    """Rows naming a task or duty (a subject) that no rule in force asks about: most often a name
    typed differently from the plan's, which would otherwise leave its rule `missing` unexplained."""
    asked = {(r.indicator, subject_key(r.subject)) for lr in rulesets for r in lr.ruleset.rules if getattr(r, "subject", None)}
    by_subject = {indicator for indicator, _ in asked}
    notes = []
    for (indicator, key), obs in sorted(sub.observations.items(), key=lambda kv: str(kv[0])):
        if indicator in by_subject and key is not None and (indicator, key) not in asked:
            name = book.indicators[indicator].name_zh if indicator in book.indicators else indicator
            notes.append(
                Text(
                    zh=f"{obs.location.describe()}：“{obs.subject}”（{name}）不是本年度规划中的任何任务或事项，"
                    f"未用于检查；请核对名称是否与规划一致",
                    en=f"{obs.location.describe()}: “{obs.subject}” ({indicator}) is no task or duty of the "
                    f"plans in force this year and was not used; check that it is named as the plan names it",
                )
            )
    return notes


def _is_rule_problem(problem: Problem, rulesets: list[LoadedRuleset]) -> bool:
    """Problems already reported as a rule's `error` finding are not listed twice."""
    read = {r.indicator for lr in rulesets for r in lr.ruleset.rules} - {WAIVER}
    if not (problem.indicator in read or any(depends_on(code, problem.indicator) for code in read)):
        return False
    # A task or duty row is a rule's problem only if a rule asks for that very subject: a row
    # with a mistyped name and a bad date would otherwise vanish from every report.
    asked = {(r.indicator, subject_key(r.subject)) for lr in rulesets for r in lr.ruleset.rules if getattr(r, "subject", None)}
    if problem.subject is not None and problem.indicator in {indicator for indicator, _ in asked}:
        return (problem.indicator, subject_key(problem.subject)) in asked
    return True


def run_check(paths: list[Path], book: RuleBook, as_of: dt.date | None = None, limits: Limits = Limits(), store=None) -> Report:
    """Check the sheets; with a store, rules read the years this run lacks from it, and the run is recorded."""
    report, submissions_in = check_inputs(paths, book, as_of, limits, store)
    if store is not None:
        store.record(report, submissions_in)
    return report


def check_inputs(
    paths: list[Path], book: RuleBook, as_of: dt.date | None = None, limits: Limits = Limits(), store=None, progress: Progress | None = None
) -> tuple[Report, dict[tuple[str, int], SubmissionInput]]:
    """The report, and what was read for it (which a store records)."""
    rows, inputs, stray = read_inputs([Path(p) for p in paths], limits, progress)
    submissions_in, unplaced = collect(rows, book)
    stray.extend(unplaced)
    submissions = evaluate_all(submissions_in, book, as_of, store, progress=progress)
    return assemble(inputs, stray, submissions, book, as_of), submissions_in


def evaluate_all(
    submissions_in: dict[tuple[str, int], SubmissionInput],
    book: RuleBook,
    as_of: dt.date | None,
    store=None,
    only: set[str] | None = None,
    progress: Progress | None = None,
) -> list[Submission]:
    """Every submission of these inputs (or of the jurisdictions in `only`), in key order."""
    wanted = {key: sub for key, sub in submissions_in.items() if only is None or sub.jurisdiction in only}
    # Every year derived before any is judged: a rule comparing years reads the other year's
    # derived values (a share from section classes) even where that year is only a baseline.
    derived = {key: derive(sub, book) for key, sub in wanted.items()}
    history = History({**submissions_in, **{key: sub for key, (sub, _) in derived.items()}}, store)
    judged = [key for key in sorted(derived) if not _baseline_only(wanted[key], book)]
    progress = progress or Progress.silent()
    progress.start("checking", len(judged))
    submissions = []
    with Engine(book.ruleset) as engine:
        for key in judged:
            sub, values = derived[key]
            submissions.append(evaluate_submission(sub, values, book, engine, as_of or dt.date(sub.year, 12, 31), history))
            progress.advance()
    return submissions


def assemble(inputs: list[InputFile], stray: list[Problem], submissions: list[Submission], book: RuleBook, as_of: dt.date | None) -> Report:
    summary = summarize(
        [*(f.status for s in submissions for f in s.findings), *["error"] * (len(stray) + sum(len(s.problems) for s in submissions))],
        len(submissions),
    )
    return Report(
        checker_version=__version__,
        as_of=as_of,
        inputs=inputs,
        rulesets=[lr.ref for lr in book.rulesets] + ([book.waivers_ref] if book.waivers_ref else []),
        submissions=submissions,
        jurisdiction_names=jurisdiction_names(book, (s.jurisdiction for s in submissions)),
        errors=sorted(stray, key=lambda p: (p.location.file, p.location.row or 0)),
        grading=book.grading_ref,
        summary=summary,
        unit_names_en=book.unit_names_en,
    )


def jurisdiction_names(book: RuleBook, jurisdictions: Iterable[str]) -> dict[str, str]:
    """What the reports call each jurisdiction: a county its plan declares keeps its own name."""
    return {j: book.jurisdiction_name(j) for j in sorted(set(jurisdictions))}


def _baseline_only(sub: SubmissionInput, book: RuleBook) -> bool:
    """Rows of a year no plan covers that only give baselines (e.g. Putuo's 2015 water use)
    are read by the reduction rules, not checked as a submission of their own."""
    wanted = book.baseline_needs.get((sub.jurisdiction, sub.year))
    return (
        bool(wanted)
        and not book.rulesets_for(sub.jurisdiction, sub.year)
        and not sub.problems
        and {code for code, _ in sub.observations} <= wanted
    )


def exit_code(report: Report, fail_on: Iterable[str] = ("fail", "missing")) -> int:
    """Contract §6: 2 if anything could not be used, 1 if any finding has a status of `fail_on`
    (`--fail-on`; fail and missing by default), else 0."""
    if report.summary["error"]:
        return 2
    return 1 if any(report.summary.get(status, 0) for status in fail_on) else 0
