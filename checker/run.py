"""One run, from the paths to the written reports and the record: the only place that chooses
how it goes. One process; every core for a large batch; every core with the findings JSON
streamed from a spill (never every finding in memory); or one process with a store, which
records what that process read.

The reports are written before the run is recorded: a store failing at the end never loses
the run's findings. `checker check` and `checker.check()` both come here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from checker.atomic import atomic_file, output_path, write_atomically
from checker.baseline import apply_baseline
from checker.intake import Limits, walk
from checker.models import Report
from checker.parallel import check_parallel, check_parallel_json, default_jobs
from checker.pipeline import check_inputs
from checker.processes import sweep_stale
from checker.progress import Progress
from checker.reports import EXTENSIONS, RENDERERS, render
from checker.rulesets import RuleBook


@dataclass(frozen=True)
class Options:
    as_of: dt.date | None = None  # None: deadlines judged on 31 Dec of each submission's year
    limits: Limits = Limits()
    jobs: int = 0  # 0: every core for a batch worth it, else one process
    store: object | None = None  # an open store: rules read the years this run lacks from it; the run is recorded
    baseline: Path | None = None  # a findings JSON of an earlier run: report only what is new since
    fmt: str | None = None  # None: nothing is written, the report is only returned
    lang: str = "zh"
    output: str | None = None  # a file; a folder (existing, or named with a trailing /) for every format; None: standard output
    progress: Progress | None = None


@dataclass(frozen=True)
class Outcome:
    report: Report  # what was reported: only what is new with a baseline, no submissions when streamed
    recorded: tuple[int, bool] | None = None  # the store's run id, and whether this run made it
    unrecorded: Exception | None = None  # why the store did not record the run (the reports were written)


def run(
    paths,
    book: RuleBook,
    options: Options = Options(),
    stdout: Callable[[], BinaryIO] | None = None,
    say: Callable[[str], None] = lambda message: None,
) -> Outcome:
    """Check `paths`, write the reports as `options` says, record the run in the store if there is
    one, and say on the way what was written where. `stdout` gives standard output, asked for
    only when something goes there: a run writing to --output works with standard output closed."""
    with _few_collections():
        return _run(paths, book, options, stdout, say)


# Objects made per row and per finding number in the millions, most of them long-lived until the
# report is written: with the default first threshold (700 allocations) the cyclic collector ran
# so often, re-scanning the rulebook and the findings, that it took about a third of a one-process
# run's CPU (measured: 6.8 s against 4.1 s of user time for 200 counties, the same bytes; in the
# two-process batch, whose chunks keep each heap small, no measurable change). Rows and findings
# make no reference cycles worth collecting early.
GEN0_THRESHOLD = 10_000


@contextlib.contextmanager
def _few_collections():
    """During a run: what exists before it (modules, the rulebook) is never scanned again (forked
    workers inherit that), and young objects are collected every GEN0_THRESHOLD allocations."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(GEN0_THRESHOLD, threshold[0]), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def _run(paths, book: RuleBook, options: Options, stdout, say) -> Outcome:
    paths = [Path(p) for p in paths]
    store, output = options.store, options.output
    if output:  # what killed runs left beside the output
        sweep_stale(Path(output) if _folder(output) else Path(output).absolute().parent)
    progress = options.progress or Progress.silent()
    with progress:
        files, _, _ = walk(paths)
        jobs = options.jobs or default_jobs(len(files))
        parallel = jobs > 1 and store is None  # the store records what one process read: --db runs in one
        streamed = parallel and options.fmt == "json" and not options.baseline and not (output and _folder(output))
        if streamed:
            with contextlib.ExitStack() as stack:
                target = stack.enter_context(atomic_file(Path(output))) if output else stdout()
                report = check_parallel_json(
                    paths,
                    book,
                    options.as_of,
                    options.limits,
                    jobs,
                    target,
                    progress,
                    spill_beside=Path(output).absolute().parent if output else None,
                )
            return Outcome(report)
        if parallel:
            report = check_parallel(paths, book, options.as_of, options.limits, jobs, progress)
        else:
            report, read = check_inputs(paths, book, options.as_of, options.limits, store, progress)
    recordable = report  # the store keeps every finding, never only those new since a baseline
    if options.baseline:
        report = apply_baseline(report, Path(options.baseline))
    if options.fmt is not None:
        _write(report, options.fmt, options.lang, output, stdout, say)
    if store is None:
        return Outcome(report)
    try:  # after the reports: a store failing at the end never loses the run's findings
        return Outcome(report, recorded=store.record(recordable, read))
    except Exception as exc:  # whatever the store's failure, the caller says the run was not recorded
        return Outcome(report, unrecorded=exc)


def _folder(output: str) -> bool:
    return Path(output).is_dir() or output.endswith(("/", os.sep))


def _write(
    report: Report, fmt: str, lang: str, output: str | None, stdout: Callable[[], BinaryIO] | None, say: Callable[[str], None]
) -> None:
    if output is None:
        # xlsx is bytes, the others UTF-8 text: both go to standard output unchanged.
        out = stdout()
        out.write(render(report, fmt, lang))
        out.flush()
    elif _folder(output):
        target = Path(output)
        for name in RENDERERS:  # a FIFO or a folder among them is refused before anything is written
            output_path(target / f"findings.{EXTENSIONS[name]}")
        # Render every format before writing any, so a renderer's failure leaves no mixed set.
        rendered = {name: render(report, name, lang) for name in sorted(RENDERERS)}
        for name, data in rendered.items():
            write_atomically(target / f"findings.{EXTENSIONS[name]}", data)
        if fmt == "text" and stdout is not None:  # the README's first command shows the findings as well as writing them
            stdout().write(rendered["text"])
        written = ", ".join(f"findings.{EXTENSIONS[n]}" for n in rendered)
        say(f"报告已写入 {target}/：{written}" if lang == "zh" else f"reports written to {target}/: {written}")
    else:
        output_path(Path(output))  # a device or a FIFO is refused before the report is rendered
        write_atomically(Path(output), render(report, fmt, lang))
