"""`checker rulesets validate` flags one body under two names and a category that contradicts
the rule's kind; the bundled rulesets have neither."""

from __future__ import annotations

import shutil

import yaml
from click.testing import CliRunner

from checker.cli import main
from conftest import ROOT


def _folder(tmp_path, rules: list[dict]) -> str:
    folder = tmp_path / "rs"
    folder.mkdir()
    shutil.copy(ROOT / "rulesets" / "indicators.yaml", folder / "indicators.yaml")
    shutil.copy(ROOT / "rulesets" / "grading.yaml", folder / "grading.yaml")
    base = {"title": {"zh": "示例", "en": "example"}, "clause": "一", "quote": "示例"}
    plan = {
        "id": "lint-2016",
        "jurisdiction": "jiamusi",
        "period": {"start": 2016, "end": 2020},
        "document": {"title": "示例方案"},
        "seed": "none.txt",
        "rules": [{**base, **rule} for rule in rules],
    }
    (folder / "lint-2016.yaml").write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    return str(folder)


TASK = {"kind": "task", "subject": "示例任务", "deadline": "2018-12-31"}
SHARE = {"kind": "threshold", "indicator": "surface_water.good_section_share", "op": ">=", "targets": {2018: 60}}


def _validate(folder, lang="zh"):
    return CliRunner().invoke(main, ["rulesets", "validate", folder, "--lang", lang])


def test_one_body_under_two_names_is_flagged(tmp_path):
    rules = [
        {**TASK, "id": "lint-2016.a", "category": "key_task", "lead_units": ["市示例局"], "cooperating_units": ["样板委"]},
        {**TASK, "id": "lint-2016.b", "category": "key_task", "lead_units": ["示例局"], "cooperating_units": ["市样板委员会"]},
    ]
    folder = _folder(tmp_path, rules)
    result = _validate(folder)
    assert result.exit_code == 1
    assert "lint-2016.yaml：单位“示例局”与“市示例局”只差前缀" in result.output and "differ" not in result.output
    result = _validate(folder, "en")
    assert result.exit_code == 1
    assert "lint-2016.yaml: unit names '示例局' and '市示例局' differ only by a prefix" in result.output and "只差" not in result.output
    assert "样板委" not in result.output  # 样板委 and 市样板委员会 are not one name with a prefix


def test_a_category_that_contradicts_the_kind_is_flagged(tmp_path):
    rules = [
        {**TASK, "id": "lint-2016.task-as-quality", "category": "water_quality", "lead_units": ["示例局"]},
        {**SHARE, "id": "lint-2016.share-as-task", "category": "key_task", "lead_units": ["示例局"]},
        {
            "kind": "attestation",
            "subject": "完成整改",
            "from_year": 2018,
            "id": "lint-2016.work-as-quality",
            "category": "water_quality",
            "lead_units": ["示例局"],
        },
        {
            "kind": "attestation",
            "subject": "水源水质保持稳定",
            "from_year": 2018,
            "id": "lint-2016.state",
            "category": "water_quality",
            "lead_units": ["示例局"],
        },
    ]
    folder = _folder(tmp_path, rules)
    result, english = _validate(folder), _validate(folder, "en")
    assert result.exit_code == english.exit_code == 1
    for rule_id in ("task-as-quality", "share-as-task", "work-as-quality"):
        assert f"规则 lint-2016.{rule_id}：类别与规则类型不符" in result.output
        assert f"rule lint-2016.{rule_id}: category contradicts the kind" in english.output
    assert "lint-2016.state" not in result.output


def test_the_bundled_rulesets_are_clean():
    result = _validate(str(ROOT / "rulesets"))
    assert result.exit_code == 0, result.output
