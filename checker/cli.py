"""The command line: parses options, calls the library (checker.run for `check`), prints its messages,
sets the exit code."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import sys
from pathlib import Path

import click

from checker import __version__, default_rulesets_dir, rulesets_sha256
from checker.atomic import write_atomically
from checker.baseline import BaselineError
from checker.cli_common import (
    CACHE_META,
    EXIT_FINDINGS,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_TERMINATED,
    EXIT_UNUSABLE,
    LANG_HELP,
    Group,
    _interruptible,
    _opened,
    _stdout,
    report_format,
    rulesets_option,
    say,
)
from checker.cli_draft import rulesets_draft
from checker.cli_rank import rank
from checker.cli_store import diff, history
from checker.intake import Limits
from checker.lint import lint
from checker.models import STATUSES, Report, SheetRow
from checker.pipeline import exit_code
from checker.progress import Progress
from checker.reports import RENDERERS
from checker.rules import Ruleset
from checker.rulesets import RulesetError, load_rulebook, ruleset_summary
from checker.run import Options, run


def _book(rulesets: str | None, progress: Progress | None = None):
    ctx = click.get_current_context(silent=True)
    cache = bool(ctx and ctx.meta.get(CACHE_META))
    try:
        return load_rulebook(Path(rulesets) if rulesets else default_rulesets_dir(), progress, cache=cache)
    except RulesetError as exc:
        if progress is not None:
            progress.finish()
        lang = ctx.params.get("lang") if ctx else None
        for problem in exc.problems:
            click.echo(
                say(f"规则集错误：{problem.zh}", f"ruleset error: {problem.en}", lang)
                if lang
                else f"规则集错误：{problem.zh}\nruleset error: {problem.en}",
                err=True,
            )
        sys.exit(EXIT_UNUSABLE)


def _date(ctx, param, value):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"“{value}”不是形如 2020-12-31 的日期 / {value!r} is not a date like 2020-12-31") from None


def _finite(ctx, param, value):
    if value is not None and not math.isfinite(value):
        raise click.BadParameter(f"{value} is not a finite number of megabytes / 须为有限的兆字节数")
    return value


def _statuses(ctx, param, value):
    named = {s.strip() for s in value.split(",") if s.strip()}
    unknown = sorted(named - set(STATUSES))
    if unknown:
        raise click.BadParameter(
            f"未知状态 {'、'.join(unknown)}（可用：{'、'.join(STATUSES)}） / "
            f"{', '.join(unknown)} is no status (the statuses: {', '.join(STATUSES)})"
        )
    return frozenset(named)


def _version(ctx, _param, value):
    """The version and the rulesets a bare `checker check` would use: a finding is only
    reproducible with both."""
    if not value or ctx.resilient_parsing:
        return
    folder = default_rulesets_dir().resolve()
    if (folder / "indicators.yaml").is_file():
        click.echo(f"checker {__version__} (rulesets sha256 {rulesets_sha256(folder)}, {folder})")
    else:
        click.echo(f"checker {__version__} (无规则集 / no rulesets: {folder / 'indicators.yaml'} is missing)")
    ctx.exit()


@click.group(cls=Group)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_version,
    help="版本及所用规则集的哈希 / the version and the default rulesets' hash",
)
def main():
    """checker — 水污染防治规划目标考核检查 / compliance checker for water-pollution-prevention plans."""


# \b keeps click from rewrapping the table; the numbers come from the constants the command exits with.
CHECK_EPILOG = f"""\b
退出码 / exit codes (contract §6):
  {EXIT_OK:<4} 全部通过、未到期或不适用 / every finding is pass, not_due or not_applicable
  {EXIT_FINDINGS:<4} 存在 --fail-on 所列状态（默认 fail、missing）/ a finding has a status --fail-on names
  {EXIT_UNUSABLE:<4} 输入或规则集无法使用（error），或命令行有误 / an input or ruleset could not be used, or a wrong command line
  {EXIT_INTERRUPTED:<4} 已中断（Ctrl-C）/ interrupted
  {EXIT_TERMINATED:<4} 已终止（SIGTERM）/ terminated
"""


@main.command(epilog=CHECK_EPILOG)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@rulesets_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(RENDERERS)),
    help="报告格式（默认由 --output 文件的扩展名决定，否则为 text）/ report format; default: from the --output file's extension, else text",
)
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(),
    help="报告文件（格式由扩展名决定：.txt .json .html .xlsx .md .xml .docx），或写入全部格式的文件夹 / "
    "file (its extension gives the format), or folder for every format",
)
@click.option(
    "--as-of",
    "as_of",
    callback=_date,
    help="按此日期判断期限（默认各年 12 月 31 日）/ judge deadlines on this date (default: 31 Dec of each year)",
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help=LANG_HELP)
@click.option(
    "--max-file-mb",
    type=click.FloatRange(min=0, min_open=True),
    callback=_finite,
    default=Limits.max_file_bytes / 2**20,
    show_default=True,
    help="拒收大于此值（兆字节）的输入文件 / refuse input files larger than this (MB)",
)
@click.option(
    "--max-unzipped-mb",
    type=click.FloatRange(min=0, min_open=True),
    callback=_finite,
    default=Limits.max_unzipped_bytes / 2**20,
    show_default=True,
    help="拒收解压后超过此值（兆字节）的 XLSX（压缩炸弹）/ refuse an XLSX that would inflate past this (MB; zip bombs)",
)
@click.option(
    "--db",
    "db",
    help="将本次运行记录到此结果库（SQLite 文件或 postgresql:// 地址），跨年比较的规则从中读取本次缺少的年份 / "
    "record the run in this store (a SQLite file, or a postgresql:// URL); rules comparing years read the years this run lacks from it",
)
@click.option(
    "--baseline",
    "baseline",
    type=click.Path(exists=True, dir_okay=False),
    help="此前一次运行的结果 JSON：只报告其中没有的结果 / a findings JSON of an earlier run: report only findings that are not in it",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="使用的进程数；0：200 个文件及以上的批次用全部核心，否则一个 / "
    "processes to use; 0: every core for a batch of 200 files or more, else one",
)
@click.option(
    "--waivers",
    "waivers",
    type=click.Path(exists=True, dir_okay=False),
    help="考核方批准的豁免（YAML 列表：rule、reason、approved_by、expires，可加 subject），与规则集一样计入结果的哈希 / "
    "waivers the assessing side grants: a YAML list of rule, reason, approved_by, expires (and subject); hashed in the findings like a ruleset",
)
@click.option(
    "--fail-on",
    "fail_on",
    callback=_statuses,
    default="fail,missing",
    show_default=True,
    help="使退出码为 1 的状态（逗号分隔）；error 总是 2 / statuses that make the exit code 1 (comma-separated); an error is always 2",
)
@click.option("--quiet", is_flag=True, help="不显示进度条 / no progress bar")
@click.option("--debug", is_flag=True, help="显示内部错误的调用栈 / show tracebacks of internal errors")
@_interruptible
def check(paths, rulesets, fmt, output, as_of, lang, max_file_mb, max_unzipped_mb, db, baseline, jobs, waivers, fail_on, quiet, debug):
    """按规划目标检查指标报表（文件或文件夹） / Check indicator sheets (files or folders) against the plans' targets."""
    fmt = report_format(fmt, output)
    # A bar only where someone watches it: a terminal, and no --quiet.
    progress = Progress(sys.stderr if not quiet and sys.stderr.isatty() else None, lang)
    book = _book(rulesets, progress)
    if waivers:
        from checker.waivers import WaiversError, load_waivers

        try:
            granted, ref = load_waivers(Path(waivers))
        except WaiversError as exc:
            progress.finish()
            click.echo(("豁免文件无法使用：" if lang == "zh" else "waivers file unusable: ") + exc.said.in_lang(lang), err=True)
            sys.exit(EXIT_UNUSABLE)
        book = dataclasses.replace(book, granted_waivers=tuple(granted), waivers_ref=ref)
    limits = Limits(max_file_bytes=int(max_file_mb * 2**20), max_unzipped_bytes=int(max_unzipped_mb * 2**20))
    # A store that cannot be opened loses the record, never the reports: the run goes on without it.
    store, unopened = _opened(db, debug) if db else (None, None)
    options = Options(
        as_of=as_of,
        limits=limits,
        jobs=jobs,
        store=store,
        baseline=Path(baseline) if baseline else None,
        fmt=fmt,
        lang=lang,
        output=output,
        progress=progress,
    )
    try:
        outcome = run(paths, book, options, _stdout, lambda message: click.echo(message, err=True))
    except BaselineError as exc:
        click.echo(say(f"基线文件无法使用：{exc}", f"baseline: {exc}", lang), err=True)
        sys.exit(EXIT_UNUSABLE)
    except OSError as exc:  # e.g. an unwritable --output: the command line's problem, said plainly
        if debug:
            raise
        click.echo(say(f"无法写入报告：{exc}", f"cannot write the report: {exc}", lang), err=True)
        sys.exit(EXIT_UNUSABLE)
    except Exception as exc:  # an internal error: say so plainly, trace only on request
        if debug:
            raise
        click.echo(
            say(
                f"内部错误：{type(exc).__name__}: {exc}（加 --debug 重新运行可见调用栈）",
                f"internal error: {type(exc).__name__}: {exc} (rerun with --debug for the traceback)",
                lang,
            ),
            err=True,
        )
        sys.exit(EXIT_UNUSABLE)
    if outcome.unrecorded is not None:
        if debug:
            raise outcome.unrecorded
        _unrecorded(store, outcome.unrecorded)
    if outcome.recorded is not None:
        run_id, new = outcome.recorded
        click.echo(
            say(
                f"{'已记录为' if new else '此前已记录为'}结果库 {store.name} 中的第 {run_id} 次运行",
                f"{'recorded as' if new else 'already recorded as'} run {run_id} in {store.name}",
                lang,
            ),
            err=True,
        )
    if unopened is not None:
        from checker.store_urls import shown

        click.echo(
            f"本次运行未记录到结果库 {shown(db)}（报告已写出）：{unopened[0]}\n"
            f"the run was not recorded in the store {shown(db)} (the reports were written): {unopened[1]}",
            err=True,
        )
        sys.exit(EXIT_UNUSABLE)
    sys.exit(exit_code(outcome.report, fail_on))


def _unrecorded(store, exc: Exception) -> None:
    from checker.store import StoreError
    from checker.store_urls import redact

    if isinstance(exc, StoreError):
        zh, en = (exc.reason, exc.reason) if exc.reason else (exc.zh, exc.en)
    else:
        zh = en = redact(f"{type(exc).__name__}: {exc}", store.target)
    click.echo(
        f"本次运行未记录到结果库 {store.name}（报告已写出）：{zh}\n"
        f"the run was not recorded in the store {store.name} (the reports were written): {en}",
        err=True,
    )
    sys.exit(EXIT_UNUSABLE)


@main.command()
@click.argument("jurisdiction")
@click.argument("year", type=int)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="模板文件：FILE.xlsx 或 FILE.csv / the template: FILE.xlsx or FILE.csv",
)
@rulesets_option
@_interruptible
def template(jurisdiction, year, output, rulesets):
    """为地区和年度生成空白报表，每行旁列出当年有效的目标 / Write an empty sheet for JURISDICTION and YEAR, with every target in force beside its row."""
    from checker.observations import RowProblem, resolve_jurisdiction
    from checker.template import TemplateError, render_csv, render_xlsx, template_rows

    book = _book(rulesets)
    try:
        jid = resolve_jurisdiction(jurisdiction, book)
        rows = template_rows(book, jid, year)
    except (RowProblem, TemplateError) as exc:
        click.echo(say(f"无法生成模板：{exc.zh}", f"cannot make a template: {exc.en}"), err=True)
        sys.exit(EXIT_UNUSABLE)
    suffix = Path(output).suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        click.echo(say("模板只写为 .xlsx 或 .csv：请以此命名文件", "the template is written as .xlsx or .csv: name the file so"), err=True)
        sys.exit(EXIT_UNUSABLE)
    data = render_xlsx(rows, book) if suffix == ".xlsx" else render_csv(rows)
    try:
        write_atomically(Path(output), data)
    except OSError as exc:  # a read-only folder, a full disk, a file where a folder should be
        click.echo(f"无法写入模板 / cannot write the template {output}: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_UNUSABLE)
    click.echo(
        say(f"{output}：{book.jurisdiction_name(jid)} {year} 年，{len(rows)} 行", f"{output}: {len(rows)} rows for {jid} {year}"), err=True
    )


@main.command()
@click.argument("readings", type=click.Path(exists=True, dir_okay=False))
@rulesets_option
@click.option("--year", type=int, help="只用此年的监测数据 / only readings dated in this year")
@click.option("--lake", "lakes", multiple=True, help="湖库断面（可重复）/ a section that is a lake or reservoir (repeatable)")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="CSV 文件（默认标准输出）/ CSV file (default: standard output)")
@_interruptible
def classify(readings, rulesets, year, lakes, output):
    """由全年监测数据计算各断面水质类别 / GB 3838-2002 class of each section from a year of station
    readings (Parquet or CSV: subject, item, value, date), averaged by DuckDB in bounded memory."""
    import csv
    import io

    from checker.columnar import ColumnarError, classify_readings

    book = _book(rulesets)
    if book.surface_water is None:
        click.echo("规则集中没有 GB 3838-2002 标准表 / the rulesets hold no GB 3838-2002 table", err=True)
        sys.exit(EXIT_UNUSABLE)
    try:
        classes = classify_readings(Path(readings), book.surface_water, set(lakes), year)
    except ColumnarError as exc:
        click.echo(f"{exc.zh}\n{exc.en}", err=True)
        sys.exit(EXIT_UNUSABLE)
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["subject", "class", "deciding_item", "deciding_mean"])
    for subject, row in classes.iterrows():
        writer.writerow([subject, row["class"], row["deciding_item"], repr(float(row["deciding_mean"]))])
    data = text.getvalue().encode("utf-8")
    if output:
        write_atomically(Path(output), data)
        click.echo(f"{output}: {len(classes)} sections", err=True)
    else:
        _stdout().write(data)


@main.command()
@click.argument("what", type=click.Choice(["ruleset", "sheet", "findings"]))
@_interruptible
def schema(what):
    """输出规则集、报表行或结果 JSON 的 JSON Schema / Print the JSON Schema of a ruleset file, a sheet row, or the findings JSON."""
    model = {"ruleset": Ruleset, "sheet": SheetRow, "findings": Report}[what]
    click.echo(json.dumps(model.model_json_schema(by_alias=True), ensure_ascii=False, indent=2, sort_keys=True))


@main.group(name="rulesets")
def rulesets_group():
    """列出、校验、起草、测试规则集 / List, validate, draft and test rulesets."""


@rulesets_group.command(name="list")
@rulesets_option
@_interruptible
def rulesets_list(rulesets):
    """列出规则集及其地区、期限和规则数 / List the rulesets with their jurisdiction, period and number of rules."""
    for row in ruleset_summary(_book(rulesets)):
        click.echo(
            f"{row['id']:<22} {row['jurisdiction']:<20} {row['period']:<10} {row['rules']:>3} 条规则/rules  {row['file']}  {row['document']}"
        )


@rulesets_group.command(name="validate")
@click.argument("folder", required=False, type=click.Path())
@rulesets_option
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help=LANG_HELP)
@_interruptible
def rulesets_validate(folder, rulesets, lang):
    """校验规则集文件夹或单个规则集文件 / Validate a rulesets folder, or one ruleset FILE (against the bundled
    catalog and the FILE.indicators.yaml a draft writes beside it); every problem names the file, the rule and the key."""
    if folder and Path(folder).is_file():
        from checker.cli_draft import validate_one

        validate_one(Path(folder), lang)
        return
    book = _book(folder or rulesets)
    rules = sum(len(lr.ruleset.rules) for lr in book.rulesets)
    flags = lint(book)
    for flag in flags:
        click.echo(flag.in_lang(lang), err=True)
    if flags:
        sys.exit(EXIT_FINDINGS)
    click.echo(
        say(
            f"通过：{len(book.rulesets)} 个规则集，{rules} 条规则，{len(book.indicators)} 个指标",
            f"ok: {len(book.rulesets)} rulesets, {rules} rules, {len(book.indicators)} indicators",
            lang,
        )
    )


rulesets_group.add_command(rulesets_draft)


@rulesets_group.command(name="coverage")
@click.argument("folder", required=False, type=click.Path(file_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="将 Markdown 清单写到此处（如 docs/coverage.md）/ write the Markdown listing here (e.g. docs/coverage.md)",
)
@rulesets_option
@_interruptible
def rulesets_coverage(folder, output, rulesets):
    """列出规划阅读器在原文中找到的每项目标和任务及对应规则或未编码原因 / List each seed's targets and duties (as the plan reader finds them) with the rule encoding each, or why it is not encoded."""
    from checker.coverage import coverage, render_markdown

    folder = folder or rulesets  # the folder as an argument, or as every other command names it
    directory = Path(folder) if folder else default_rulesets_dir()
    report = coverage(_book(str(directory)), directory)
    markdown = render_markdown(report).encode("utf-8")
    if output:
        write_atomically(Path(output), markdown)
    else:
        click.echo(markdown.decode("utf-8"), nl=False)
    unaccounted = sum(not line.accounted for lines in report.values() for line in lines)
    if unaccounted:
        click.echo(
            say(f"{unaccounted} 项目标或任务既未编码也未说明理由", f"{unaccounted} target(s) or duties neither encoded nor given a reason"),
            err=True,
        )
    sys.exit(EXIT_FINDINGS if unaccounted else EXIT_OK)


@rulesets_group.command(name="test")
@click.argument("folder", required=False, type=click.Path(file_okay=False))
@rulesets_option
@_interruptible
def rulesets_test(folder, rulesets):
    """运行规则集自带的示例用例 / Run the rulesets' own example cases (rulesets/tests/*.yaml), like `opa test`."""
    from checker.selftest import run_all

    folder = folder or rulesets
    directory = Path(folder) if folder else default_rulesets_dir()
    results = run_all(_book(str(directory)), directory)
    for result in results:
        click.echo(f"{'PASS' if result.ok else 'FAIL'}  {result.ruleset}: {result.case}")
        for mismatch in result.mismatches:
            click.echo(f"      {mismatch}")
    failed = sum(not r.ok for r in results)
    click.echo(say(f"{len(results) - failed} 个通过，{failed} 个未通过", f"{len(results) - failed} passed, {failed} failed"))
    sys.exit(EXIT_FINDINGS if failed else EXIT_OK)


@main.group(name="rules")
def rules_group():
    """查看规则 / Show rules."""


@rules_group.command(name="show")
@click.argument("rule_id")
@rulesets_option
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help=LANG_HELP)
@_interruptible
def rules_show(rule_id, rulesets, lang):
    """查看一条规则：逐年目标或期限、责任单位和原文 / Show one rule: its targets by year or deadline, its units and its source quote."""
    from checker.reports.common import CATEGORY_NAMES
    from checker.rules import KINDS

    book = _book(rulesets)
    found = book.find_rule(rule_id)
    if found is None:
        click.echo(_no_rule(book, rule_id, lang), err=True)
        sys.exit(EXIT_UNUSABLE)
    lr, rule = found
    zh = lang == "zh"
    indicator = book.indicators[rule.indicator]
    if not zh and indicator.unit:
        indicator = indicator.model_copy(update={"unit": book.unit_en(indicator.unit)})
    lines = [
        f"{rule.id}",
        f"  {'标题' if zh else 'title'}: {rule.title.zh if zh else rule.title.en}",
        f"  类型: {KINDS[rule.kind].NAME.zh}（{rule.kind}）   类别: {CATEGORY_NAMES['zh'][rule.category]}（{rule.category}）"
        if zh
        else f"  kind: {KINDS[rule.kind].NAME.en} ({rule.kind})   category: {CATEGORY_NAMES['en'][rule.category]} ({rule.category})",
        f"  {'指标' if zh else 'indicator'}: {rule.indicator} ({indicator.name_zh if zh else indicator.name_en})",
    ]
    lines += KINDS[rule.kind].show(rule, indicator, zh)
    lines += _hedge_lines(rule, book, zh)
    lines += [
        f"  {'牵头单位' if zh else 'lead units'}: {'、'.join(rule.lead_units) or '—'}",
        f"  {'责任单位' if zh else 'responsible'}: {'、'.join(rule.responsible_units) or '—'}",
        f"  {'配合单位' if zh else 'cooperating'}: {'、'.join(rule.cooperating_units) or '—'}",
        f"  {'来源' if zh else 'source'}: 《{lr.ruleset.document.title}》{lr.ruleset.document.number or ''} {rule.clause}",
        f"  {'原文' if zh else 'quote'}: {rule.quote}",
    ]
    click.echo("\n".join(lines))


def _hedge_lines(rule, book, zh: bool) -> list[str]:
    """The hedge, horizon and assumed year a finding of the rule is judged by, so that the rule
    author reads back what the officer will see (issue 14: never a silent choice)."""
    from checker.models import HedgeScheme

    lines = []
    hedge = rule.hedge
    if hedge is not None:
        if hedge.word == "左右":
            scheme = book.grading.hedges if book.grading else HedgeScheme()
            share = f"{scheme.about.relative_tolerance * 100:g}%"
            told = (
                (f"容差 ±{hedge.tolerance:g}" if zh else f"within ±{hedge.tolerance:g}")
                if hedge.tolerance is not None
                else (f"容差为目标值的 ±{share}（grading.yaml 默认）" if zh else f"within ±{share} of the target (grading.yaml's default)")
            )
        elif hedge.word == "力争":
            told = (
                "争取性目标：未达到时按 grading.yaml 计分，不作一票否决"
                if zh
                else "aspirational: a miss is scored as grading.yaml says, never a veto"
            )
        else:
            told = ""
        reading = (hedge.reading.zh if zh else hedge.reading.en) if hedge.reading else ""
        said = "；".join(t for t in (told, reading) if t)
        lines.append(f"  {'限定词' if zh else 'hedge'}: “{hedge.word}”" + (f"（{said}）" if zh and said else f" ({said})" if said else ""))
    if rule.until is not None:
        lines.append(f"  {'适用至' if zh else 'applies until'}: {rule.until}{'年' if zh else ''}")
    if rule.year_assumed is not None:
        lines.append(f"  {'年份推定' if zh else 'year assumed'}: {rule.year_assumed.zh if zh else rule.year_assumed.en}")
    return lines


def _no_rule(book, rule_id: str, lang: str) -> str:
    import difflib

    ids = [r.id for lr in book.rulesets for r in lr.ruleset.rules]
    guess = difflib.get_close_matches(rule_id, ids, n=1, cutoff=0.6)
    return say(
        f"没有规则 {rule_id}" + (f"；是否为 {guess[0]}？" if guess else "") + "（`checker rulesets list` 列出规则集）",
        f"no rule {rule_id}" + (f"; did you mean {guess[0]}?" if guess else "") + " (`checker rulesets list` lists the rulesets)",
        lang,
    )


main.add_command(history)  # the store's commands live in checker/cli_store.py
main.add_command(diff)
main.add_command(rank)  # the CWQI ranking: checker/cli_rank.py

if __name__ == "__main__":
    main()
