"""The commands that read the findings store: `checker history` and `checker diff`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from checker.atomic import write_atomically
from checker.cli_common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_UNUSABLE,
    LANG_HELP,
    Command,
    _interruptible,
    _stdout,
    _store,
    _store_failed,
    rulesets_option,
    say,
)


def _book_and_jurisdiction(rulesets: str | None, jurisdiction: str, lang: str):
    """The rulebook (for names, titles and units) and the jurisdiction it names, or exit 2."""
    from checker.cli import _book  # at run time: checker.cli imports this module
    from checker.observations import RowProblem, resolve_jurisdiction

    book = _book(rulesets)
    try:
        return book, resolve_jurisdiction(jurisdiction, book)
    except RowProblem as exc:
        click.echo(say(exc.zh, exc.en, lang), err=True)
        sys.exit(EXIT_UNUSABLE)


def _indicator_code(book, raw: str, lang: str) -> str:
    """A catalog code, or a Chinese name or alias as a clerk writes it; unknown: exit 2 with a guess."""
    from checker.observations import RowProblem, resolve_indicator

    if raw in book.indicators:
        return raw
    try:
        return resolve_indicator(raw, book).code
    except RowProblem as exc:
        click.echo(say(exc.zh, exc.en, lang), err=True)
        sys.exit(EXIT_UNUSABLE)


def _headings(book, jid: str):
    from checker.reports.history_report import Heading

    return {
        rule.id: Heading(rule.title.zh, rule.title.en, unit, book.unit_en(unit) if unit else None)
        for lr in book.by_jurisdiction.get(jid, ())
        for rule in lr.ruleset.rules
        for unit in (book.indicators[rule.indicator].unit,)
    }


@click.command(cls=Command)
@click.argument("jurisdiction")
@click.option("--db", "db", required=True, help="结果库 / the store (SQLite file or postgresql:// URL)")
@click.option("--indicator", help="只看此指标（代码、中文名或别名）/ only this indicator (code, Chinese name or alias)")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "html"]),
    default="text",
    show_default=True,
    help="输出格式：文本或带图表的 HTML / text, or HTML charts",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="写到此文件而非标准输出 / write here instead of standard output")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help=LANG_HELP)
@rulesets_option
@_interruptible
def history(jurisdiction, db, indicator, fmt, output, lang, rulesets):
    """结果库中的逐年等级、得分、数值和状态 / Grades, scores, values and statuses by year from the store (text, or HTML charts)."""
    from checker.reports.history_report import render_history
    from checker.store import StoreError

    book, jid = _book_and_jurisdiction(rulesets, jurisdiction, lang)
    code = _indicator_code(book, indicator, lang) if indicator else None
    store = _store(db, create=False)
    try:
        rows = store.latest_findings(jid, code)
        grades = [] if code else store.latest_grades(jid)
    except StoreError as exc:
        _store_failed(exc)
    name = book.jurisdiction_name(jid)
    if not rows:
        on_zh, on_en = (f"（指标 {book.indicators[code].name_zh}）", f" on {code}") if code else ("", "")
        click.echo(say(f"结果库中没有{name}的检查结果{on_zh}", f"the store holds no findings for {jid}{on_en}", lang), err=True)
        sys.exit(EXIT_FINDINGS)
    data = render_history(jid, rows, fmt, lang, _headings(book, jid), grades, name)
    if output:
        write_atomically(Path(output), data)
    else:
        _stdout().write(data)


@click.command(cls=Command)
@click.argument("jurisdiction")
@click.option("--db", "db", required=True, help="结果库 / the store (SQLite file or postgresql:// URL)")
@click.option(
    "--runs",
    nargs=2,
    type=int,
    help="比较这两次运行（默认该地区最近两次）/ compare these two runs (default: the last two of the jurisdiction)",
)
@click.option(
    "--years",
    nargs=2,
    type=int,
    help="改为比较这两个年度，各取检查该年的最近一次运行 / compare these two years instead: each as the latest run that checked it records it",
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help=LANG_HELP)
@rulesets_option
@_interruptible
def diff(jurisdiction, db, runs, years, lang, rulesets):
    """两次运行间（或两个年度间）的变化 / What changed between two recorded runs (newly failing, newly
    passing, every other status change, changed values), or with --years from one year to the next."""
    from checker.reports.history_report import BAD, diff_findings, diff_years, render_diff, render_year_diff
    from checker.store import StoreError

    book, jid = _book_and_jurisdiction(rulesets, jurisdiction, lang)
    store = _store(db, create=False)
    try:
        if years:
            if runs:
                click.echo(say("--runs 与 --years 只能选一个", "--runs and --years cannot be given together", lang), err=True)
                sys.exit(EXIT_UNUSABLE)
            first, second = years
            rows = store.latest_findings(jid)
            by_year = {year: [r for r in rows if r["year"] == year] for year in years}
            for year in years:
                if not by_year[year]:
                    name = book.jurisdiction_name(jid)
                    click.echo(
                        say(f"结果库中没有{name} {year} 年的检查结果", f"the store holds no findings of {jid} for {year}", lang), err=True
                    )
                    sys.exit(EXIT_UNUSABLE)
            changes = diff_years(by_year[first], by_year[second])
            _stdout().write(render_year_diff(jid, first, second, changes, lang, book.jurisdiction_name(jid), _headings(book, jid)))
            worse = [
                new for old, new in changes["status_changed"] if new and new["status"] in BAD and (old is None or old["status"] not in BAD)
            ]
            sys.exit(EXIT_FINDINGS if worse else EXIT_OK)
        before, after = _runs_to_compare(store, jid, runs, lang, book.jurisdiction_name(jid))
        changes = diff_findings(store.findings_of(before, jid), store.findings_of(after, jid))
    except StoreError as exc:
        _store_failed(exc)
    _stdout().write(render_diff(jid, before, after, changes, lang, book.jurisdiction_name(jid), _headings(book, jid)))
    sys.exit(EXIT_FINDINGS if changes["newly_failing"] else EXIT_OK)


def _runs_to_compare(store, jid: str, runs: tuple[int, int] | None, lang: str, name: str) -> tuple[int, int]:
    """The two runs a diff compares, or exit 2 naming a run that does not exist or did not check jid."""
    recorded = [r.id for r in store.runs_of(jid)]
    if not runs:
        if len(recorded) < 2:
            click.echo(
                say(
                    f"结果库中{name}只有 {len(recorded)} 次运行；比较需要两次",
                    f"the store holds {len(recorded)} run(s) of {jid}; a diff needs two",
                    lang,
                ),
                err=True,
            )
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
