"""A large batch on every core: contiguous chunks of files, each read, collected and judged
in its own process (durable_rules holds the GIL and keeps its state in C, so threads
would not help).

The result is the single-process report, byte for byte. A submission, and the other
years a rule may read, can come from files in different chunks: every jurisdiction seen
in more than one chunk is judged again in this process from all of its files, and that
judgement replaces the chunks'. Workers are forked, so they share the loaded rulebook.
"""
from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from checker.pipeline import Limits, _display, assemble, evaluate_all, read_files, walk
from checker.models import STATUSES, InputFile, Problem, Report, Submission
from checker.reports.json_report import render_with_fragments, submission_fragment
from checker.observations import collect
from checker.rulesets import RuleBook

CHUNKS_PER_JOB = 8  # small enough to balance the cores, large enough to amortise each task


@dataclass(frozen=True)
class Rendered:
    """A judged submission already written as its JSON fragment, with what the summary needs."""
    jurisdiction: str
    year: int
    fragment: bytes
    statuses: tuple[str, ...]  # its findings' statuses, and "error" once per input problem


def _rendered(sub: Submission) -> Rendered:
    statuses = tuple(f.status for f in sub.findings) + ("error",) * len(sub.problems)
    return Rendered(sub.jurisdiction, sub.year, submission_fragment(sub), statuses)


@dataclass
class ChunkResult:
    inputs: list[InputFile]
    read_problems: list[Problem]
    unplaced: list[Problem]
    submissions: list[Submission | Rendered]
    files_of: dict[str, list[str]]  # jurisdiction -> the files (as displayed) that hold its rows


def _check_chunk(book: RuleBook, files: list[Path], as_of: dt.date | None, limits: Limits,
                 as_json: bool = False) -> ChunkResult:
    rows, inputs, read_problems = read_files(files, limits)
    submissions_in, unplaced = collect(rows, book)
    files_of: dict[str, set[str]] = {}
    for (jurisdiction, _), sub in submissions_in.items():
        files_of.setdefault(jurisdiction, set()).update(sub.files)
    judged = evaluate_all(submissions_in, book, as_of)
    return ChunkResult(inputs, read_problems, unplaced, [_rendered(s) for s in judged] if as_json else judged,
                       {j: sorted(f) for j, f in files_of.items()})


_BOOK: RuleBook | None = None  # set in each forked worker by _start, read only there


def _start(book: RuleBook) -> None:
    global _BOOK
    _BOOK = book


def _work(files: list[Path], as_of: dt.date | None, limits: Limits, as_json: bool) -> ChunkResult:
    return _check_chunk(_BOOK, files, as_of, limits, as_json)


def check_parallel(paths: list[Path], book: RuleBook, as_of: dt.date | None, limits: Limits, jobs: int,
                   progress: Callable[[int], None] | None = None) -> Report:
    report, _ = _run(paths, book, as_of, limits, jobs, progress, as_json=False)
    return report


def check_parallel_json(paths: list[Path], book: RuleBook, as_of: dt.date | None, limits: Limits, jobs: int,
                        progress: Callable[[int], None] | None = None) -> tuple[Report, bytes]:
    """The findings JSON of a batch, and its report without submissions (for the summary and
    exit code): no process ever holds every finding of the batch as objects."""
    return _run(paths, book, as_of, limits, jobs, progress, as_json=True)


def _run(paths, book, as_of, limits, jobs, progress, as_json: bool) -> tuple[Report, bytes | None]:
    files, refused = walk([Path(p) for p in paths])
    size = max(1, -(-len(files) // (jobs * CHUNKS_PER_JOB)))
    chunks = [files[i:i + size] for i in range(0, len(files), size)]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_start, initargs=(book,)) as pool:
        futures = [pool.submit(_work, chunk, as_of, limits, as_json) for chunk in chunks]
        results = []
        for future, chunk in zip(futures, chunks):
            results.append(future.result())
            if progress:
                progress(len(chunk))
    seen_in: dict[str, int] = {}
    for result in results:
        for jurisdiction in result.files_of:
            seen_in[jurisdiction] = seen_in.get(jurisdiction, 0) + 1
    split = {j for j, n in seen_in.items() if n > 1}
    submissions = [s for r in results for s in r.submissions if s.jurisdiction not in split]
    if split:
        by_display = {_display(f): f for f in files}
        again = sorted({f for r in results for j, fs in r.files_of.items() if j in split for f in fs})
        rows, _, _ = read_files([by_display[f] for f in again], limits)
        submissions_in, _ = collect(rows, book)
        again_judged = evaluate_all(submissions_in, book, as_of, only=split)
        submissions += [_rendered(s) for s in again_judged] if as_json else again_judged
    submissions.sort(key=lambda s: (s.jurisdiction, s.year))
    inputs = [i for r in results for i in r.inputs]
    stray = refused + [p for r in results for p in r.read_problems] + [p for r in results for p in r.unplaced]
    if not as_json:
        return assemble(inputs, stray, submissions, book, as_of), None
    shell = assemble(inputs, stray, [], book, as_of)
    counts = Counter(status for s in submissions for status in s.statuses)
    counts["error"] += len(stray)
    summary = {"submissions": len(submissions), **{status: counts.get(status, 0) for status in STATUSES}}
    shell = shell.model_copy(update={"summary": summary})
    return shell, render_with_fragments(shell, [s.fragment for s in submissions])


def default_jobs(files: int) -> int:
    """Every core for a batch worth it (a few hundred files), one process otherwise."""
    return (os.cpu_count() or 1) if files >= 200 else 1
