"""`checker rulesets draft PLAN`: a plan's text -> a draft ruleset to review, with the indicators
it proposes beside it; and `checker rulesets validate FILE` for one such file."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from checker import default_rulesets_dir
from checker.atomic import write_atomically
from checker.cli_common import EXIT_OK, EXIT_UNUSABLE, Command, _interruptible, say


@click.command(name="draft", cls=Command)
@click.argument("plan", type=click.Path(exists=True, dir_okay=False))
@click.option("--jurisdiction", required=True, help="地区 id（如县名拼音）/ the jurisdiction's id (e.g. a county's pinyin slug)")
@click.option(
    "--year",
    "year",
    required=True,
    type=click.IntRange(1949, 2100),
    help="规划印发的年份（文中“今年”即此年）/ the year the plan was issued (今年 = this year)",
)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="规则集草稿（YAML）/ the draft ruleset (YAML)")
@click.option(
    "--rulesets",
    type=click.Path(file_okay=False),
    help="草稿所对照的 indicators.yaml 所在的规则集文件夹 / the folder whose indicators.yaml the draft is matched to",
)
@_interruptible
def rulesets_draft(plan, jurisdiction, year, output, rulesets):
    """从规划文本起草规则集供审核，建议的指标另存其旁 / Draft a ruleset from a plan (.txt, .docx, .html) to review; the indicators it proposes go beside it."""
    from checker.plan import read_plan
    from checker.plan.catalog import proposed_path
    from checker.plan.draft import draft

    try:
        read = read_plan(Path(plan))
    except (OSError, ValueError) as exc:
        click.echo(f"无法读取规划 {plan}：{exc}\ncannot read the plan {plan}: {exc}", err=True)
        sys.exit(EXIT_UNUSABLE)
    result = draft(read, jurisdiction, year, Path(rulesets) if rulesets else default_rulesets_dir())
    if not result.rules:
        # A ruleset needs one rule at least: an empty draft would not validate, so none is written.
        click.echo(f"规划 {plan} 中未找到目标或任务，未写出草稿\nno target or duty found in the plan {plan}: no draft written", err=True)
        sys.exit(EXIT_UNUSABLE)
    out = Path(output)
    write_atomically(out, result.ruleset)
    write_atomically(proposed_path(out), result.indicators)
    kinds: dict[str, int] = {}
    for rule in result.rules:
        kinds[rule["kind"]] = kinds.get(rule["kind"], 0) + 1
    summary = ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items()))
    click.echo(f"已起草 {len(result.rules)} 条规则（{summary}）：{out}，新拟指标：{proposed_path(out)}；请逐条审核后使用")
    click.echo(
        f"drafted {len(result.rules)} rules ({summary}) to {out}, proposed indicators to {proposed_path(out)}; review every rule before use"
    )
    sys.exit(EXIT_OK)


def validate_one(path: Path, lang: str | None = None) -> None:
    from checker.plan.catalog import validate_file

    rules, problems = validate_file(path, default_rulesets_dir())
    if problems:
        click.echo("\n".join(p.in_lang(lang) for p in problems), err=True)
        click.echo(say(f"{len(problems)} 处问题", f"{len(problems)} problem(s)", lang), err=True)
        sys.exit(EXIT_UNUSABLE)
    click.echo(say(f"通过：{path}：{rules} 条规则", f"ok: {path}: {rules} rules", lang))
