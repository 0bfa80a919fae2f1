"""A row for an indicator no rule reads that year is named in a note (zh + en), never silent."""

from __future__ import annotations

from click.testing import CliRunner

from checker.cli import main

UNREAD = "water_supply.pipe_leakage_rate"  # jiamusi-2018 has no rule on it; daxinganling's plan has


def _notes(report, lang):
    return [getattr(n, lang) for s in report.submissions for n in s.notes]


def test_a_row_no_rule_reads_gets_a_note_naming_it(sheet, run):
    path = sheet([("jiamusi", 2018, "water_use.total", "46.95", "亿立方米"), ("jiamusi", 2018, UNREAD, "12")])
    report = run(path)
    assert _notes(report, "zh") == [f"{path}, row 3：本年度无规则读取此指标（公共供水管网漏损率），未用于检查"]
    assert _notes(report, "en") == [f"{path}, row 3: no rule reads this indicator this year ({UNREAD}); not used in the check"]


def test_rows_that_rules_read_directly_or_through_a_derivation_get_no_note(sheet, run):
    rows = [("jiamusi", 2018, "water_use.total", "46.95", "亿立方米")]
    rows += [("jiamusi", 2018, "surface_water.section_class", c, "", f"断面{i}") for i, c in enumerate(["II", "III", "IV"])]
    assert _notes(run(sheet(rows)), "en") == []


def test_sampled_items_no_rule_reads_get_one_note_each(sheet, run):
    rows = [("chongqing-yongchuan", 2020, "monitoring.nh3n", v, "", "断面甲", f"2020-{m:02d}-15") for m, v in enumerate([0.1] * 8, 1)]
    notes = _notes(run(sheet(rows)), "en")
    assert len(notes) == 1 and "and 3 more rows: no rule reads this indicator this year (monitoring.nh3n)" in notes[0], notes


def test_every_report_shows_the_note_in_its_language(sheet):
    path = sheet([("jiamusi", 2018, UNREAD, "12")])
    for lang, said in (("zh", "本年度无规则读取此指标"), ("en", "no rule reads this indicator this year")):
        for fmt in ("text", "md", "html"):
            result = CliRunner().invoke(main, ["check", str(path), "--format", fmt, "--lang", lang])
            assert said in result.output, (lang, fmt)
