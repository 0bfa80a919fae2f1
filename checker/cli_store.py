"""The commands that read the findings store: `checker history` and `checker diff`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from checker.atomic import write_atomically
from checker.cli_common import EXIT_FINDINGS, EXIT_OK, EXIT_UNUSABLE, _interruptible, _stdout, _store, _store_failed


@click.command()
@click.argument("jurisdiction")
@click.option("--db", "db", required=True, help="the store (SQLite file or postgresql:// URL)")
@click.option("--indicator", help="only this indicator (catalog code)")
@click.option("--format", "fmt", type=click.Choice(["text", "html"]), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="write here instead of standard output")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@_interruptible
def history(jurisdiction, db, indicator, fmt, output, lang):
    """Values and statuses by year from the store, as a table (or an HTML chart)."""
    from checker.observations import RowProblem, resolve_jurisdiction
    from checker.reports.history_report import render_history

    try:
        jid = resolve_jurisdiction(jurisdiction)
    except RowProblem as exc:
        click.echo(str(exc), err=True)
        sys.exit(EXIT_UNUSABLE)
    from checker.store import StoreError

    try:
        rows = _store(db, create=False).latest_findings(jid, indicator)
    except StoreError as exc:
        _store_failed(exc)
    if not rows:
        click.echo(f"the store holds no findings for {jid}" + (f" on {indicator}" if indicator else ""), err=True)
        sys.exit(EXIT_FINDINGS)
    data = render_history(jid, rows, fmt, lang)
    if output:
        write_atomically(Path(output), data)
    else:
        _stdout().write(data)


@click.command()
@click.argument("jurisdiction")
@click.option("--db", "db", required=True, help="the store (SQLite file or postgresql:// URL)")
@click.option("--runs", nargs=2, type=int, help="compare these two runs (default: the last two of the jurisdiction)")
@click.option("--years", nargs=2, type=int, help="compare these two years instead: each as the latest run that checked it records it")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@_interruptible
def diff(jurisdiction, db, runs, years, lang):
    """What changed between two recorded runs (newly failing, newly passing, every other status
    change, changed values), or with --years from one year to the next (status, value, target)."""
    from checker.observations import RowProblem, resolve_jurisdiction
    from checker.reports.history_report import BAD, diff_findings, diff_years, render_diff, render_year_diff

    try:
        jid = resolve_jurisdiction(jurisdiction)
    except RowProblem as exc:
        click.echo(str(exc), err=True)
        sys.exit(EXIT_UNUSABLE)
    if runs and years:
        click.echo("--runs 与 --years 只能选一个\n--runs and --years cannot be given together", err=True)
        sys.exit(EXIT_UNUSABLE)
    from checker.store import StoreError

    store = _store(db, create=False)
    try:
        if years:
            first, second = years
            rows = store.latest_findings(jid)
            by_year = {year: [r for r in rows if r["year"] == year] for year in years}
            for year in years:
                if not by_year[year]:
                    click.echo(f"结果库中没有 {jid} {year} 年的检查结果\nthe store holds no findings of {jid} for {year}", err=True)
                    sys.exit(EXIT_UNUSABLE)
            changes = diff_years(by_year[first], by_year[second])
            _stdout().write(render_year_diff(jid, first, second, changes, lang))
            worse = [
                new for old, new in changes["status_changed"] if new and new["status"] in BAD and (old is None or old["status"] not in BAD)
            ]
            sys.exit(EXIT_FINDINGS if worse else EXIT_OK)
        before, after = _runs_to_compare(store, jid, runs)
        changes = diff_findings(store.findings_of(before, jid), store.findings_of(after, jid))
    except StoreError as exc:
        _store_failed(exc)
    _stdout().write(render_diff(jid, before, after, changes, lang))
    sys.exit(EXIT_FINDINGS if changes["newly_failing"] else EXIT_OK)


def _runs_to_compare(store, jid: str, runs: tuple[int, int] | None) -> tuple[int, int]:
    """The two runs a diff compares, or exit 2 naming a run that does not exist or did not check jid."""
    recorded = [r.id for r in store.runs_of(jid)]
    if not runs:
        if len(recorded) < 2:
            click.echo(f"the store holds {len(recorded)} run(s) of {jid}; a diff needs two", err=True)
            sys.exit(EXIT_UNUSABLE)
        return recorded[-2], recorded[-1]
    for run_id in runs:
        if run_id not in recorded:
            if store.has_run(run_id):
                click.echo(f"运行 {run_id} 没有检查 {jid}\nrun {run_id} did not check {jid}", err=True)
            else:
                click.echo(f"结果库 {store.name} 中没有运行 {run_id}\nno run {run_id} in the store {store.name}", err=True)
            sys.exit(EXIT_UNUSABLE)
    return runs
