"""--lang en writes units, signs and headings in English: each catalog unit named in Chinese has
an English form (data), which every report, `rules show` and the history use; the findings JSON
keeps the catalog's own unit names."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from checker.cli import main
from checker.reports import render
from checker.reports.common import english_units, gap_text, target_text
from checker.reports.history_report import Heading
from conftest import ROOT, finding

CJK = re.compile(r"[\u4e00-\u9fff]")
RULE = "jiamusi-2018.agri-water.dryland-irrigation"  # 万亩


def test_every_unit_named_in_chinese_has_an_english_form(book):
    unnamed = [name for name, unit in book.catalog.units.items() if CJK.search(name) and not unit.en]
    assert unnamed == []
    assert not [unit.en for unit in book.catalog.units.values() if unit.en and CJK.search(unit.en)]


@pytest.fixture(scope="module")
def report(book):
    from checker.pipeline import run_check

    return run_check([ROOT / "inputs"], book, None)


def test_english_targets_and_gaps_carry_no_chinese_unit(report):
    english = english_units(report)
    numeric = [f for s in english.submissions for f in s.findings if f.target.op and f.target.unit]
    assert numeric
    for f in numeric:
        assert not CJK.search(target_text(f, "en") + gap_text(f, "en")), f.rule_id
    f = finding(english, RULE)
    assert (target_text(f, "en"), gap_text(f, "en")) == ("≥ 40 × 10⁴ mu (2018)", "-1.8 × 10⁴ mu")
    chinese = finding(report, RULE)
    assert (target_text(chinese, "zh"), gap_text(chinese, "zh")) == ("≥ 40万亩 (2018)", "-1.8 万亩")


def test_the_english_message_writes_the_english_unit_and_the_json_the_catalogs(report):
    f = finding(report, RULE)
    assert "observed 38.2 × 10⁴ mu, target >= 40 × 10⁴ mu" in f.message.en
    assert "实际 38.2万亩，目标 >= 40万亩" in f.message.zh
    assert f.unit == f.target.unit == "万亩"  # the JSON names the catalog's unit
    assert b'"unit": "\xe4\xb8\x87\xe4\xba\xa9"' in render(report, "json", "en")  # "万亩"
    assert b"unit_names_en" not in render(report, "json", "en")
    assert "unit_names_en" not in CliRunner().invoke(main, ["schema", "findings"]).output  # nor in its schema


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_every_english_report_shows_the_english_unit(report, fmt):
    data = render(report, fmt, "en").decode("utf-8")
    assert "≥ 40 × 10⁴ mu (2018)" in data and "≥ 40万亩" not in data
    assert "≥ 40万亩" in render(report, fmt, "zh").decode("utf-8")


def test_english_grade_reasons_and_notable_findings_read_as_english(report):
    data = render(report, "text", "en").decode("utf-8")
    assert "；" not in "\n".join(line for line in data.splitlines() if line.startswith("   grade:"))
    f = finding(report, RULE)
    assert f"· [fail] {f.title.en} [{RULE}]: misses the 2018 target" in data
    assert f"· [未通过] {f.title.zh} [{RULE}]: " in render(report, "text", "zh").decode("utf-8")


def test_rules_show_writes_signs_and_english_units():
    english = CliRunner().invoke(main, ["rules", "show", RULE, "--lang", "en"])
    assert english.exit_code == 0 and "target 2018+: ≥ 40 × 10⁴ mu" in english.output
    assert "万亩" not in english.output.split("quote:")[0] and ">=" not in english.output
    chinese = CliRunner().invoke(main, ["rules", "show", RULE])
    assert "目标 2018年起: ≥ 40 万亩" in chinese.output and ">=" not in chinese.output
    below = CliRunner().invoke(main, ["rules", "show", "jiamusi-2018.water-resources.total-use", "--lang", "en"])
    assert ": ≤ 47.38 × 10⁸ m³" in below.output and "<=" not in below.output


def test_a_history_heading_names_the_english_unit():
    heading = Heading("旱田节水灌溉面积", "dryland irrigation", "万亩", "× 10⁴ mu")
    assert heading.text("en") == "dryland irrigation (× 10⁴ mu)"
    assert heading.text("zh") == "旱田节水灌溉面积（万亩）"


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_english_reports_write_status_words_not_codes(report, fmt):
    data = render(report, fmt, "en").decode("utf-8")
    shown = re.sub(r"st-not_\w+", "", data)  # the HTML's CSS classes keep the codes
    assert "not due" in shown and "not_due" not in shown
    assert "未到期" in render(report, fmt, "zh").decode("utf-8")
