"""`checker rank`: the city water-quality index CWQI of each jurisdiction and the ranking by it
(checker/ranking.py), from the national release's tables and their section list."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from checker.atomic import write_atomically
from checker.cli_common import EXIT_UNUSABLE, LANG_HELP, Command, _interruptible, _stdout, rulesets_option, say


@click.command(cls=Command)
@click.argument("release", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--sections",
    type=click.Path(exists=True, dir_okay=False),
    help="断面名录（断面名称、地区、年度、类型），默认为 RELEASE 旁的名录 / section list (断面名称, 地区, 年度, 类型); default: the one beside RELEASE",
)
@click.option(
    "--baseline",
    type=click.Path(exists=True, dir_okay=False),
    help="基准期的发布数据，用于计算 ΔCWQI / the baseline period's release, for ΔCWQI",
)
@click.option(
    "--baseline-sections",
    type=click.Path(exists=True, dir_okay=False),
    help="基准期的断面名录（默认同 --sections，否则为其旁的名录）/ the baseline's section list (default: --sections, else the one beside it)",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="输出文件：.txt、.csv、.json 或 .xlsx（默认输出文本到标准输出）/ FILE.txt, .csv, .json or .xlsx (default: text on standard output)",
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help=LANG_HELP)
@rulesets_option
@_interruptible
def rank(release, sections, baseline, baseline_sections, output, rulesets, lang):
    """城市水质指数 CWQI 及排名 / each jurisdiction's city water-quality index CWQI and the ranking by it
    (环办监测〔2017〕51号), from a release table and its section list; with --baseline, ΔCWQI."""
    from checker.cli import _book
    from checker.ranking import RankError, read_period
    from checker.ranking import rank as ranking_of
    from checker.ranking_render import RENDER

    suffix = Path(output).suffix.lower() if output else ".txt"
    if suffix not in RENDER:
        raise click.UsageError(
            f"--output {output}：排名只写为 {' '.join(RENDER)} / --output {output}: the ranking is written as {' '.join(RENDER)}"
        )
    book = _book(rulesets)
    try:
        current = read_period(Path(release), Path(sections) if sections else None, book)
        base = None
        if baseline:
            listed = baseline_sections or sections
            base = read_period(Path(baseline), Path(listed) if listed else None, book)
    except RankError as exc:
        click.echo(f"{exc.zh}\n{exc.en}", err=True)
        sys.exit(EXIT_UNUSABLE)
    result = ranking_of(current, base, book)
    for problem in result.problems:
        where = problem.location.describe()
        click.echo(f"{where}: {problem.message.zh if lang == 'zh' else problem.message.en}", err=True)

    def names(code: str) -> str:
        return book.indicators[code].name_zh if lang == "zh" else book.surface_water.items[code].name

    data = RENDER[suffix](result, lang, names)
    if output:
        try:
            write_atomically(Path(output), data)
        except OSError as exc:
            click.echo(say(f"无法写入 {output}：{exc.strerror or exc}", f"cannot write {output}: {exc.strerror or exc}"), err=True)
            sys.exit(EXIT_UNUSABLE)
        click.echo(say(f"{output}：{len(result.rows)} 个地区", f"{output}: {len(result.rows)} jurisdictions", lang), err=True)
    else:
        _stdout().write(data)
