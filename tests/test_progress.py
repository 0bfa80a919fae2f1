"""The progress bar: drawn on a terminal once a run has taken a couple of seconds, never with
--quiet or when stderr is not a terminal; the library only says which stage and how far."""

import io

import click.testing
from click.testing import CliRunner

import checker.progress
from checker.cli import main
from checker.progress import Progress
from conftest import ROOT


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_nothing_is_drawn_in_the_first_two_seconds():
    stream, clock = io.StringIO(), Clock()
    progress = Progress(stream, "zh", clock)
    progress.start("checking", 10)
    for _ in range(9):
        clock.now += 0.2
        progress.advance()
    progress.finish()
    assert stream.getvalue() == ""


def test_after_two_seconds_the_bar_shows_the_stage_count_share_and_time_left():
    stream, clock = io.StringIO(), Clock()
    progress = Progress(stream, "zh", clock)
    progress.start("plans", 400)
    clock.now = 2.5
    progress.advance(100)
    line = stream.getvalue().split("\r")[-1]
    assert line.startswith("读取规划 [#######-") and "100/400" in line and "25%" in line
    assert line.rstrip().endswith("0:07")  # 100 plans in 2.5 s: 300 more in 7.5 s
    clock.now = 2.55
    progress.advance(1)  # within a tenth of a second of the last: not redrawn
    assert "101/400" not in stream.getvalue()
    clock.now = 2.7
    progress.advance(1)
    assert "102/400" in stream.getvalue()
    progress.start("checking", 2)  # a new stage ends the last one's line
    progress.advance(2)
    progress.finish()
    assert "\n检查 [" in stream.getvalue().replace("\r", "") and stream.getvalue().endswith("\n")


def test_english_labels_and_a_silent_bar():
    stream, clock = io.StringIO(), Clock()
    progress = Progress(stream, "en", clock)
    clock.now = 3
    progress.start("sheets", 4)
    assert stream.getvalue().startswith("\rreading sheets [")
    silent = Progress.silent()
    silent.start("checking", 3)
    silent.advance(3)
    silent.finish()  # nothing to write to, nothing raised


def check_on_a_terminal(monkeypatch, *args):
    monkeypatch.setattr(checker.progress, "DELAY_S", 0.0)
    monkeypatch.setattr(click.testing._NamedTextIOWrapper, "isatty", lambda self: True, raising=False)
    return CliRunner().invoke(main, ["check", str(ROOT / "inputs"), "--format", "json", *args])


def test_the_command_line_draws_the_bar_on_a_terminal_only_without_quiet(monkeypatch):
    shown = check_on_a_terminal(monkeypatch)
    assert shown.exit_code == 1
    assert "读取规划 [" in shown.stderr and "读取报表 [" in shown.stderr and "检查 [" in shown.stderr
    assert shown.stdout.lstrip().startswith("{")  # the bar never reaches the findings
    assert "[" not in check_on_a_terminal(monkeypatch, "--quiet").stderr


def test_no_bar_when_stderr_is_not_a_terminal(monkeypatch):
    monkeypatch.setattr(checker.progress, "DELAY_S", 0.0)
    result = CliRunner().invoke(main, ["check", str(ROOT / "inputs"), "--format", "json", "--lang", "en"])
    assert result.exit_code == 1 and "checking [" not in result.stderr
