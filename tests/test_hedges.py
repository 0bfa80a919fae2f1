"""Hedges as data in grading: a missed 力争 target earns grading.yaml's credit and never vetoes,
and the hedge travels with the finding into the JSON; past its horizon a rule is out of the template."""

from __future__ import annotations

import json
import shutil

import yaml
from click.testing import CliRunner

from checker.cli import main
from conftest import ROOT


def _rulesets(folder, hedge: dict | None) -> str:
    folder.mkdir()
    for name in ("indicators.yaml", "grading.yaml"):
        shutil.copy(ROOT / "rulesets" / name, folder / name)
    share = {
        "id": "hedge-2016.good-share",
        "kind": "threshold",
        "indicator": "surface_water.good_section_share",
        "op": ">=",
        "targets": {2018: 60},
        "title": {"zh": "优良比例力争达到60%", "en": "good share, strive for 60%"},
        "category": "water_quality",
        "lead_units": ["示例局"],
        "clause": "一",
        "quote": "力争达到60%",
        **({"hedge": hedge} if hedge else {}),
    }
    use = {
        "id": "hedge-2016.water-use",
        "kind": "threshold",
        "indicator": "water_use.total",
        "op": "<=",
        "targets": {2018: 40},
        "until": 2018,
        "title": {"zh": "用水总量", "en": "water use"},
        "category": "water_quality",
        "lead_units": ["示例局"],
        "clause": "二",
        "quote": "用水总量控制在40亿立方米以内",
    }
    plan = {
        "id": "hedge-2016",
        "jurisdiction": "jiamusi",
        "period": {"start": 2016, "end": 2020},
        "document": {"title": "示例方案"},
        "seed": "none.txt",
        "rules": [share, use],
    }
    (folder / "hedge-2016.yaml").write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    return str(folder)


def _check(tmp_path, hedge):
    tmp_path.mkdir()
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(
        "jurisdiction,year,indicator,value\njiamusi,2018,surface_water.good_section_share,50\njiamusi,2018,water_use.total,39\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["check", str(sheet), "--format", "json", "--rulesets", _rulesets(tmp_path / "rs", hedge)])
    assert result.exit_code == 1, result.output
    (submission,) = json.loads(result.output)["submissions"]
    return submission


def test_a_missed_strive_target_earns_its_credit_and_never_vetoes(tmp_path):
    hard = _check(tmp_path / "hard", None)
    strive = _check(tmp_path / "strive", {"word": "力争"})
    assert hard["grade"]["grade"] == "不合格" and any("一票否决" in r["zh"] for r in hard["grade"]["reasons"])
    assert hard["grade"]["water_quality_score"] == 50.0
    assert not any("一票否决" in r["zh"] for r in strive["grade"]["reasons"])
    assert strive["grade"]["water_quality_score"] == 75.0  # (0.5 × 1 + 1 × 1) / 2
    finding = next(f for f in strive["findings"] if f["rule_id"] == "hedge-2016.good-share")
    assert finding["status"] == "fail" and finding["hedge"]["word"] == "力争"
    assert finding["message"]["zh"].startswith("力争目标未达")


def test_past_its_horizon_a_rule_asks_nothing(tmp_path):
    rulesets = _rulesets(tmp_path / "rs", None)
    runner = CliRunner()
    for year, asked in (("2018", True), ("2019", False)):
        out = tmp_path / f"t{year}.csv"
        made = runner.invoke(main, ["template", "jiamusi", year, "-o", str(out), "--rulesets", rulesets])
        assert made.exit_code == 0, made.output
        assert ("hedge-2016.water-use" in out.read_text(encoding="utf-8-sig")) is asked
