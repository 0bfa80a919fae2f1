"""Every option of every command says what it does in Chinese and in English, --help included."""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from checker.cli import main

CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_WORD = re.compile(r"\b[A-Za-z]{3,}\b")


def _commands(command: click.Command, path: tuple[str, ...] = ()):
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from _commands(sub, (*path, name))


COMMANDS = list(_commands(main))


@pytest.mark.parametrize("path, command", COMMANDS, ids=[" ".join(p) or "checker" for p, _ in COMMANDS])
def test_every_option_has_chinese_and_english_help(path, command):
    ctx = click.Context(command, info_name=path[-1] if path else "checker")
    options = [p for p in command.get_params(ctx) if isinstance(p, click.Option)]
    assert options
    unsaid = [o.opts for o in options if not (o.help and CJK.search(o.help) and ENGLISH_WORD.search(o.help))]
    assert unsaid == []


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=[" ".join(p) or "checker" for p, _ in COMMANDS])
def test_help_shows_both_languages(path):
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0
    assert "显示本帮助并退出 / show this message and exit" in result.output


# click's own refusals of a command line, said in Chinese first and in click's English beside it.
REFUSED = [
    (["check", "--bogus"], "没有此选项：--bogus", "No such option"),
    (["chek"], "没有此命令：'chek'（是否想用 check", "No such command"),
    (["check"], "缺少参数 'PATHS...'", "Missing argument"),
    (["check", "inputs", "--format", "pdf"], "'--format' 的值无效：应为 docx、html", "Invalid value for '--format'"),
    (["rank", "no-such-release.csv"], "'RELEASE' 的值无效：路径不存在：no-such-release.csv", "Invalid value for 'RELEASE'"),
    (["rulesets", "validate", "--lang", "fr"], "'--lang' 的值无效：应为 zh、en 之一", "Invalid value for '--lang'"),
]


@pytest.mark.parametrize("args, zh, en", REFUSED, ids=[" ".join(a) for a, _, _ in REFUSED])
def test_a_refused_command_line_is_said_in_chinese_and_english(args, zh, en):
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert "用法 / Usage:" in result.output
    assert f"错误：{zh}" in result.output and f"Error: {en}" in result.output, result.output


def test_help_headings_are_chinese_and_english():
    top = CliRunner().invoke(main, ["--help"]).output
    assert "用法 / Usage:" in top and "选项 / Options:" in top and "命令 / Commands:" in top
    sub = CliRunner().invoke(main, ["rulesets", "--help"]).output
    assert "命令 / Commands:" in sub and sub.count("Commands:") == 1
