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
