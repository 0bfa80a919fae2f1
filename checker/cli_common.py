"""What every command shares: exit codes, standard output as bytes, opening the store, and the
handling of Ctrl-C and SIGTERM."""

from __future__ import annotations

import difflib
import functools
import os
import sys
from pathlib import Path

import click

from checker.processes import Terminated, sigterm_raises

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2
EXIT_INTERRUPTED, EXIT_TERMINATED = 128 + 2, 128 + 15  # what a shell reports for SIGINT and SIGTERM


def _stdout():
    """Standard output as bytes: reports are UTF-8 (and XLSX binary) whatever the locale says."""
    sys.stdout.flush()
    return sys.stdout.buffer


def _opened(db: str, debug: bool = False, create: bool = True):
    """The store, or (None, why not in Chinese and English)."""
    from checker.store import StoreError, open_store
    from checker.store_urls import redact, shown

    try:
        return open_store(db, create), None
    except StoreError as exc:
        if debug:
            raise
        return None, (exc.zh, exc.en)
    except Exception as exc:  # a store that cannot be opened is the command line's problem
        if debug:
            raise
        reason = redact(f"{type(exc).__name__}: {exc}", db)
        return None, (f"无法打开结果库 {shown(db)}：{reason}", f"cannot open the store {shown(db)}: {reason}")


def _store(db: str, debug: bool = False, create: bool = True):
    """The store, or exit 2 saying why not; only `check` (create=True) makes a new one."""
    store, why = _opened(db, debug, create)
    if store is None:
        click.echo("\n".join(why), err=True)
        sys.exit(EXIT_UNUSABLE)
    return store


def _store_failed(exc) -> None:
    click.echo(f"{exc.zh}\n{exc.en}", err=True)
    sys.exit(EXIT_UNUSABLE)


def _interruptible(command):
    """Ctrl-C and SIGTERM stop the command saying so, with the shell's codes (never 1, which means
    findings); the `with` blocks unwind first: temporary files go, workers are killed."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            with sigterm_raises():
                return command(*args, **kwargs)
        except KeyboardInterrupt:
            click.echo("\n已中断 / interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except Terminated:
            click.echo("已终止（SIGTERM）/ terminated", err=True)
            sys.exit(EXIT_TERMINATED)

    return run


LANG_HELP = "报告与消息的语言：zh 中文，en 英文 / the language of reports and messages"
HELP_HELP = "显示本帮助并退出 / show this message and exit"


def _usage_said(error: click.UsageError) -> tuple[str, str]:
    """click's refusal of a command line in Chinese, by its kind, and click's own English."""
    en = error.format_message()
    if isinstance(error, click.NoSuchOption):
        near = f"（是否想用 {'、'.join(error.possibilities)}？）" if error.possibilities else ""
        return f"没有此选项：{error.option_name}{near}", en
    if isinstance(error, click.MissingParameter):
        hint = error.param.get_error_hint(error.ctx) if error.param is not None and error.ctx is not None else ""
        kind = "参数" if error.param_type == "argument" or isinstance(error.param, click.Argument) else "选项"
        return f"缺少{kind} {hint}".rstrip(), en
    if isinstance(error, click.BadParameter):
        hint = error.param.get_error_hint(error.ctx) if error.param is not None and error.ctx is not None else ""
        kind = error.param.type if error.param is not None else None
        if isinstance(kind, click.Choice):
            detail = f"应为 {'、'.join(map(str, kind.choices))} 之一"
        elif isinstance(kind, click.Path) and "does not exist" in error.message:
            detail = "路径不存在：" + error.message.split("'")[1] if error.message.count("'") >= 2 else "路径不存在"
        else:
            detail = error.message
        return (f"{hint} 的值无效：{detail}" if hint else f"值无效：{detail}"), en
    if isinstance(error, click.BadOptionUsage):
        return f"选项 {error.option_name} 用法有误：{error.message}", en
    return f"命令行有误：{error.message}", en


class BilingualUsageError(click.UsageError):
    """A refused command line, said in Chinese and English (before --lang is known, both)."""

    def __init__(self, zh: str, en: str, ctx: click.Context | None):
        super().__init__(en, ctx)
        self.zh = zh

    def show(self, file=None) -> None:
        file = file if file is not None else sys.stderr
        if self.ctx is not None:
            click.echo(self.ctx.get_usage(), file=file)
            helps = self.ctx.command.get_help_option_names(self.ctx)
            if self.ctx.command.get_help_option(self.ctx) is not None and helps:
                asked = f"{self.ctx.command_path} {max(helps, key=len)}"
                click.echo(f"帮助请运行 '{asked}' / Try '{asked}' for help.\n", file=file)
        click.echo(f"错误：{self.zh}\nError: {self.message}", file=file)


class _BilingualHelp:
    """--help in Chinese and English: its own option's help, the usage line, the section headings,
    and click's refusals of a command line."""

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_HELP
        return option

    def format_usage(self, ctx, formatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix="用法 / Usage: ")

    def format_options(self, ctx, formatter) -> None:
        rows = [r for r in (p.get_help_record(ctx) for p in self.get_params(ctx)) if r is not None]
        if rows:
            with formatter.section("选项 / Options"):
                formatter.write_dl(rows)
        if isinstance(self, click.Group):
            self.format_commands(ctx, formatter)

    def format_commands(self, ctx, formatter) -> None:
        named = [(n, c) for n in self.list_commands(ctx) if (c := self.get_command(ctx, n)) is not None and not c.hidden]
        if named:
            limit = formatter.width - 6 - max(len(n) for n, _ in named)
            with formatter.section("命令 / Commands"):
                formatter.write_dl([(n, c.get_short_help_str(limit)) for n, c in named])

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except BilingualUsageError:
            raise
        except click.UsageError as error:
            raise BilingualUsageError(*_usage_said(error), error.ctx) from None

    def resolve_command(self, ctx, args):
        try:
            return super().resolve_command(ctx, args)
        except BilingualUsageError:
            raise
        except click.UsageError as error:
            asked = args[0] if args else ""
            near = difflib.get_close_matches(asked, self.list_commands(ctx), n=3)
            zh = f"没有此命令：{asked!r}" + (f"（是否想用 {'、'.join(near)}？）" if near else "")
            en = error.message + (f" Did you mean {', '.join(near)}?" if near and "Did you mean" not in error.message else "")
            raise BilingualUsageError(zh, en, error.ctx or ctx) from None


class Command(_BilingualHelp, click.Command):
    pass


class Group(_BilingualHelp, click.Group):
    command_class = Command
    group_class = type  # subgroups are Groups too


CACHE_META = "checker.plan_cache"  # in the click context: whether this command's plans may come from the cache


def _cache_flag(ctx, _param, no_cache):
    ctx.meta[CACHE_META] = not no_cache


def rulesets_option(command):
    """--rulesets, and --no-cache: every command that loads the plans may take them from the cache."""
    command = click.option(
        "--no-cache",
        is_flag=True,
        expose_value=False,
        callback=_cache_flag,
        help="不用已校验规划的缓存（~/.cache/checker），逐个重新校验 / validate every plan again, without the cache of validated plans",
    )(command)
    return click.option(
        "--rulesets",
        "rulesets",
        type=click.Path(file_okay=False),
        help="规则集文件夹（默认 ./rulesets，否则用随程序安装的一份）/ rulesets folder (default: ./rulesets, else the copy installed with checker)",
    )(command)


# A report file's extension names its format (junit's .junit.xml ends in .xml too).
FORMAT_OF_EXTENSION = {
    ".txt": "text",
    ".json": "json",
    ".html": "html",
    ".htm": "html",
    ".xlsx": "xlsx",
    ".md": "md",
    ".xml": "junit",
    ".docx": "docx",
}


# Extensions an office program opens as its own document: plain text under them would not open.
OFFICE_EXTENSIONS = frozenset(".pdf .doc .rtf .odt .wps .xls .xlsm .xlsb .ods .et .csv .ppt .pptx".split())


def report_format(fmt: str | None, output: str | None) -> str:
    """The format to write: --format, else the --output file's extension, else text. An
    extension that names another format than --format is a usage error: `--format json -o r.xlsx`
    would write JSON into a file every program opens as a workbook."""
    if not output or output.endswith(("/", os.sep)) or Path(output).is_dir():
        return fmt or "text"
    suffix = Path(output).suffix.lower()
    named = FORMAT_OF_EXTENSION.get(suffix)
    if not fmt and suffix in OFFICE_EXTENSIONS:
        # 考核.pdf or 考核.xls would otherwise get plain text that Word or Excel refuses to open
        # (a name of no program's, such as r.log, stays plain text).
        known = " ".join(FORMAT_OF_EXTENSION)
        raise click.UsageError(
            f"--output {output}：不能写出 {suffix} 格式的报告；可用的扩展名：{known}（或用 --format 指定格式） / "
            f"--output {output}: no report is written as {suffix}; the extensions are {known} (or name one with --format)"
        )
    if fmt and named and fmt != named:
        raise click.UsageError(
            f"--output {output} 的扩展名表示 {named} 格式，与 --format {fmt} 不符 / "
            f"the extension of --output {output} means {named}, not --format {fmt}"
        )
    return fmt or named or "text"


def say(zh: str, en: str, lang: str | None = None) -> str:
    """A message in the command's --lang; a command without --lang says both, Chinese first."""
    return zh if lang == "zh" else en if lang == "en" else f"{zh} / {en}"
