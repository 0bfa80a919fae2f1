"""A large batch on every core: contiguous chunks of files, each read, collected and judged
in its own process (durable_rules holds the GIL and keeps its state in C, so threads
would not help).

The result is the single-process report, byte for byte. A submission, and the other
years a rule may read, can come from files in different chunks: every jurisdiction seen
in more than one chunk is judged again in this process from all of its files, and that
judgement replaces the chunks'. Workers are forked, so they share the loaded rulebook.

Memory stays flat as the batch grows: a chunk holds at most MAX_CHUNK_FILES files, and for
the findings JSON each worker writes its submissions' fragments to a private spill folder
and returns only where they are; the report is then streamed from there in order.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import tempfile
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from checker.intake import Limits, display_name, read_files, walk
from checker.models import InputFile, Problem, Report, Submission
from checker.observations import collect
from checker.pipeline import assemble, evaluate_all, jurisdiction_names
from checker.processes import die_with_parent, signals_held, spill_prefix, sweep_stale
from checker.progress import Progress
from checker.reports.json_report import submission_fragment, write_with_fragments
from checker.rulesets import RuleBook
from checker.statuses import summarize

CHUNKS_PER_JOB = 8  # small enough to balance the cores, large enough to amortise each task
MAX_CHUNK_FILES = 32  # what one chunk holds at once, whatever the size of the batch
JOBS_PER_CORE = 4  # --jobs is capped at this many processes per core


@dataclass(frozen=True)
class Rendered:
    """A judged submission already written as its JSON fragment into a spill file: where it is,
    and what the summary needs."""

    jurisdiction: str
    year: int
    spill: str
    offset: int
    length: int
    statuses: tuple[str, ...]  # its findings' statuses, and "error" once per input problem


def _spill(judged: list[Submission], path: Path) -> list[Rendered]:
    rendered = []
    with open(path, "wb") as handle:
        for sub in judged:
            fragment = submission_fragment(sub)
            statuses = tuple(f.status for f in sub.findings) + ("error",) * len(sub.problems)
            rendered.append(Rendered(sub.jurisdiction, sub.year, str(path), handle.tell(), len(fragment), statuses))
            handle.write(fragment)
    return rendered


def _fragments(rendered: list[Rendered]) -> Iterator[bytes]:
    handles: dict[str, BinaryIO] = {}
    try:
        for r in rendered:
            if r.spill not in handles:
                handles[r.spill] = open(r.spill, "rb")
            yield os.pread(handles[r.spill].fileno(), r.length, r.offset)
    finally:
        for handle in handles.values():
            handle.close()


@dataclass
class ChunkResult:
    inputs: list[InputFile]
    read_problems: list[Problem]
    unplaced: list[Problem]
    submissions: list[Submission | Rendered]
    files_of: dict[str, list[str]]  # jurisdiction -> the files (as displayed) that hold its rows


def _check_chunk(book: RuleBook, files: list[Path], as_of: dt.date | None, limits: Limits, spill: Path | None = None) -> ChunkResult:
    """Read, collect and judge one chunk; with `spill`, its submissions are written there as JSON
    fragments and only their places come back."""
    rows, inputs, read_problems = read_files(files, limits)
    submissions_in, unplaced = collect(rows, book)
    files_of: dict[str, set[str]] = {}
    for (jurisdiction, _), sub in submissions_in.items():
        files_of.setdefault(jurisdiction, set()).update(sub.files)
    judged = evaluate_all(submissions_in, book, as_of)
    return ChunkResult(
        inputs, read_problems, unplaced, _spill(judged, spill) if spill else judged, {j: sorted(f) for j, f in files_of.items()}
    )


_BOOK: RuleBook | None = None  # set in each forked worker by _start, read only there


def _start(book: RuleBook, parent: int) -> None:
    global _BOOK
    die_with_parent(parent)
    _BOOK = book


def _work(files: list[Path], as_of: dt.date | None, limits: Limits, spill: Path | None) -> ChunkResult:
    return _check_chunk(_BOOK, files, as_of, limits, spill)


def check_parallel(
    paths: list[Path], book: RuleBook, as_of: dt.date | None, limits: Limits, jobs: int, progress: Progress | None = None
) -> Report:
    results, again, stray, passed = _run(paths, book, as_of, limits, jobs, progress, spill=None)
    submissions = sorted([s for r in results for s in r.submissions] + again, key=lambda s: (s.jurisdiction, s.year))
    return assemble([i for r in results for i in r.inputs] + passed, stray, submissions, book, as_of)


def check_parallel_json(
    paths: list[Path],
    book: RuleBook,
    as_of: dt.date | None,
    limits: Limits,
    jobs: int,
    out: BinaryIO,
    progress: Progress | None = None,
    spill_beside: Path | None = None,
) -> Report:
    """Write the findings JSON of a batch to `out`, and return its report without submissions
    (for the summary and exit code): no process ever holds every finding of the batch. The
    spill is as large as the report: it goes in `spill_beside` (the output's folder, which must
    hold the report anyway), else in the system's temporary folder. Spills of killed runs there
    are removed first."""
    if spill_beside is not None:
        sweep_stale(spill_beside)
    with tempfile.TemporaryDirectory(prefix=spill_prefix(), dir=spill_beside) as spill:
        results, again, stray, passed = _run(paths, book, as_of, limits, jobs, progress, spill=Path(spill))
        rendered = sorted([s for r in results for s in r.submissions] + again, key=lambda s: (s.jurisdiction, s.year))
        shell = assemble([i for r in results for i in r.inputs] + passed, stray, [], book, as_of)
        summary = summarize([*(status for s in rendered for status in s.statuses), *["error"] * len(stray)], len(rendered))
        names = jurisdiction_names(book, (s.jurisdiction for s in rendered))
        shell = shell.model_copy(update={"summary": summary, "jurisdiction_names": names})
        write_with_fragments(shell, _fragments(rendered), out)
    return shell


def _run(paths, book, as_of, limits, jobs, progress, spill: Path | None):
    """The chunks' results, the jurisdictions split across chunks judged again here, the
    problems that belong to no submission, and the hidden files passed over."""
    files, refused, passed = walk([Path(p) for p in paths])
    # More processes than cores only add forks and memory: `--jobs 100000` once forked until the
    # machine ran out of memory. Never more than a few per core, nor more than there are chunks.
    jobs = max(1, min(jobs, JOBS_PER_CORE * (os.cpu_count() or 1)))
    size = max(1, min(MAX_CHUNK_FILES, -(-len(files) // (jobs * CHUNKS_PER_JOB))))
    chunks = [files[i : i + size] for i in range(0, len(files), size)]
    jobs = min(jobs, max(1, len(chunks)))
    progress = progress or Progress.silent()
    progress.start("checking", len(files))
    context = multiprocessing.get_context("fork")
    results: list[ChunkResult | None] = [None] * len(chunks)
    others = set(multiprocessing.active_children())  # a library caller's own processes are left alone
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_start, initargs=(book, os.getpid())) as pool:
        try:
            with signals_held():  # the workers are forked at the first submit
                futures = {
                    pool.submit(_work, chunk, as_of, limits, spill / f"{index:06d}" if spill else None): index
                    for index, chunk in enumerate(chunks)
                }
            for future in as_completed(futures):
                index = futures[future]
                results[index] = future.result()
                progress.advance(len(chunks[index]))
        except BaseException:  # Ctrl-C, SIGTERM, a worker's failure: stop now, not after every chunk
            _stop(pool, others)
            raise
    seen_in: dict[str, int] = {}
    for result in results:
        for jurisdiction in result.files_of:
            seen_in[jurisdiction] = seen_in.get(jurisdiction, 0) + 1
    split = {j for j, n in seen_in.items() if n > 1}
    for result in results:
        result.submissions = [s for s in result.submissions if s.jurisdiction not in split]
    again = []
    if split:
        by_display = {display_name(f): f for f in files}
        files_again = sorted({f for r in results for j, fs in r.files_of.items() if j in split for f in fs})
        rows, _, _ = read_files([by_display[f] for f in files_again], limits)
        submissions_in, _ = collect(rows, book)
        again = evaluate_all(submissions_in, book, as_of, only=split)
        if spill:
            again = _spill(again, spill / "again")
    stray = refused + [p for r in results for p in r.read_problems] + [p for r in results for p in r.unplaced]
    return results, again, stray, passed


def _stop(pool: ProcessPoolExecutor, others: set) -> None:
    """The pool's workers killed and waited for, so that none writes into a spill folder that is
    being removed, and the pool's own shutdown does not run the chunks still queued."""
    pool.shutdown(wait=False, cancel_futures=True)
    workers = [p for p in multiprocessing.active_children() if p not in others]
    for worker in workers:
        worker.kill()
    for worker in workers:
        worker.join(5)


def default_jobs(files: int) -> int:
    """Every core for a batch worth it (a few hundred files), one process otherwise."""
    return (os.cpu_count() or 1) if files >= 200 else 1
