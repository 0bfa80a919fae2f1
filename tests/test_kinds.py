"""Every rule kind, from its case file tests/kinds/<kind>.yml (as sqlfluff's std_rule_cases):
each case's sheet gives the status, gap and message it names. And every kind in KINDS works
with `rules show`, templates, the engine and every report, so a new kind is covered by adding it."""

from __future__ import annotations

import csv
import datetime as dt
import shutil

import docx
import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from checker.cli import main
from checker.pipeline import run_check
from checker.reports import RENDERERS
from checker.rules import KINDS, get
from checker.rulesets import load_rulebook
from conftest import ROOT

CASES = ROOT / "tests" / "kinds"
FILLER = {"indicator": "water_supply.coverage_rate", "value": 90}  # so that a case without rows is a submission
REQUIRED = ("pass", "fail", "missing", "error")


def _spec(kind: str) -> dict:
    return yaml.safe_load((CASES / f"{kind}.yml").read_text(encoding="utf-8"))


def _cases():
    for path in sorted(CASES.glob("*.yml")):
        for name in _spec(path.stem)["cases"]:
            yield pytest.param(path.stem, name, id=f"{path.stem}-{name}")


def _plan(folder, rule: dict) -> str:
    """A rulesets folder with the catalog and one plan holding `rule`; returns the rule's id."""
    folder.mkdir()
    shutil.copy(ROOT / "rulesets" / "indicators.yaml", folder / "indicators.yaml")
    rule = {
        "id": "kinds-2016.case",
        "title": {"zh": "示例规则", "en": "a rule"},
        "category": "key_task",
        "lead_units": ["示例单位"],
        "clause": "一",
        "quote": "示例",
        **rule,
    }
    plan = {
        "id": "kinds-2016",
        "jurisdiction": "jiamusi",
        "period": {"start": 2016, "end": 2020},
        "document": {"title": "示例方案"},
        "seed": "none.txt",
        "rules": [rule],
    }
    (folder / "kinds-2016.yaml").write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    return rule["id"]


def _sheet(path, rows: list[dict], year: int) -> None:
    header = ["jurisdiction", "year", "indicator", "value", "unit", "subject", "date", "note"]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header)
        writer.writeheader()
        for row in [*rows, FILLER]:
            writer.writerow({"jurisdiction": "jiamusi", "year": year, **row})


def _setup(tmp_path, kind: str, name: str):
    spec = _spec(kind)
    case = spec["cases"][name]
    rule_id = _plan(tmp_path / "rulesets", {**spec["rule"], **case.get("rule", {})})
    year = case.get("year", spec["year"])
    _sheet(tmp_path / "sheet.csv", case["rows"], year)
    return case, rule_id, year


def _cells(path) -> list[str]:
    return [
        str(c) for ws in openpyxl.load_workbook(path).worksheets for row in ws.iter_rows(values_only=True) for c in row if c is not None
    ]


@pytest.mark.parametrize("kind,name", list(_cases()))
def test_case(tmp_path, kind, name):
    case, rule_id, year = _setup(tmp_path, kind, name)
    as_of = dt.date.fromisoformat(str(case["as_of"])) if "as_of" in case else None
    report = run_check([tmp_path / "sheet.csv"], load_rulebook(tmp_path / "rulesets"), as_of)
    submission = next(s for s in report.submissions if s.year == year)
    (finding,) = [f for f in submission.findings if f.rule_id == rule_id]
    assert finding.status == case["status"], finding.message
    if "gap" in case:
        assert finding.gap == pytest.approx(case["gap"])
    elif finding.status not in ("pass", "fail"):
        assert finding.gap is None
    if "message" in case:
        assert case["message"] in finding.message.zh or case["message"] in finding.message.en, finding.message


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_has_its_cases(kind):
    assert (CASES / f"{kind}.yml").is_file(), f"tests/kinds/{kind}.yml: the kind's cases"
    spec = _spec(kind)
    assert spec["rule"]["kind"] == kind
    assert set(REQUIRED) <= set(spec["cases"])
    assert {spec["cases"][name]["status"] for name in REQUIRED} == set(REQUIRED)


def test_an_unknown_kind_is_a_clear_error():
    with pytest.raises(ValueError, match="no such rule kind: 'trend'.*threshold"):
        get("trend")
    assert get("stable") is KINDS["stable"]


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_works_with_rules_show_templates_the_engine_and_every_report(tmp_path, kind):
    case, rule_id, year = _setup(tmp_path, kind, "fail")
    rulesets = str(tmp_path / "rulesets")
    runner = CliRunner()
    for lang in ("zh", "en"):
        shown = runner.invoke(main, ["rules", "show", rule_id, "--rulesets", rulesets, "--lang", lang])
        assert shown.exit_code == 0 and shown.exception is None, shown.output
        named = f"类型: {KINDS[kind].NAME.zh}（{kind}）" if lang == "zh" else f"kind: {KINDS[kind].NAME.en} ({kind})"
        assert named in shown.output and "示例" in shown.output, shown.output
    for suffix in ("csv", "xlsx"):
        target = tmp_path / f"template.{suffix}"
        made = runner.invoke(main, ["template", "jiamusi", str(year), "-o", str(target), "--rulesets", rulesets])
        assert made.exit_code == 0, made.output
    assert rule_id in (tmp_path / "template.csv").read_text(encoding="utf-8-sig")
    assert any(rule_id in cell for cell in _cells(tmp_path / "template.xlsx"))
    for fmt in sorted(RENDERERS):
        for lang in ("zh", "en"):
            out = tmp_path / f"findings-{lang}.{fmt}"
            checked = runner.invoke(
                main,
                [
                    "check",
                    str(tmp_path / "sheet.csv"),
                    "--rulesets",
                    rulesets,
                    "--format",
                    fmt,
                    "--lang",
                    lang,
                    "--output",
                    str(out),
                    "--quiet",
                ],
            )
            assert checked.exit_code == 1, (fmt, lang, checked.output)  # the case fails, through the engine
            if fmt == "xlsx":
                assert any(rule_id in cell for cell in _cells(out))
            elif fmt == "docx":
                cells = [c.text for t in docx.Document(out).tables for row in t.rows for c in row.cells]
                assert any("示例规则" in c or "a rule" in c for c in cells), (fmt, lang)
            else:
                text = out.read_text(encoding="utf-8")
                assert rule_id in text or "示例规则" in text or "a rule" in text, (fmt, lang)
