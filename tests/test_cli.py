"""The command line through click's CliRunner: exit codes, formats, schema, rulesets, rules."""

import json
import shutil

import pytest
from click.testing import CliRunner

from checker.cli import main
from conftest import ROOT, write_csv


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_check_inputs_exits_1_and_reports_both_jurisdictions():
    result = invoke("check", ROOT / "inputs")
    assert result.exit_code == 1
    assert "黑龙江省佳木斯市 2018" in result.output and "黑龙江省大兴安岭地区 2017" in result.output
    assert "未通过" in result.output and "汇总" in result.output


def test_english_output():
    result = invoke("check", ROOT / "inputs", "--lang", "en")
    assert "overall: not every target met" in result.output and "summary" in result.output


def test_exit_0_when_everything_passes(tmp_path):
    path = write_csv(tmp_path / "ok.csv", [("jiamusi", 2018, "water_use.total", "40")])
    # Only the rule the sheet reports is judged pass; the others are missing, so use --as-of
    # before every deadline and a ruleset with just this rule.
    rules = tmp_path / "rules"
    rules.mkdir()
    shutil.copy(ROOT / "rulesets" / "indicators.yaml", rules)
    text = (ROOT / "rulesets" / "jiamusi-2018.yaml").read_text(encoding="utf-8")
    head, _, body = text.partition("rules:\n")
    only = [block for block in body.split("\n  - ") if "water-resources.total-use" in block]
    (rules / "j.yaml").write_text(head + "rules:\n  - " + only[0].lstrip("- ").rstrip() + "\n", encoding="utf-8")
    assert invoke("check", path, "--rulesets", rules).exit_code == 0


def test_exit_2_on_error_after_checking_everything(tmp_path):
    write_csv(tmp_path / "a.csv", [("jiamusi", 2018, "water_use.total", "many")])
    write_csv(tmp_path / "b.csv", [("daxinganling", 2017, "管网漏损率", "30")])
    result = invoke("check", tmp_path, "--format", "json")
    assert result.exit_code == 2
    doc = json.loads(result.output)
    assert {s["jurisdiction"] for s in doc["submissions"]} == {"jiamusi", "daxinganling"}
    assert doc["summary"]["error"] >= 1 and doc["summary"]["fail"] >= 1
    assert "Traceback" not in result.output


def test_bad_command_line_exits_2():
    assert invoke("check", "inputs", "--as-of", "yesterday").exit_code == 2
    assert invoke("check", "inputs", "--format", "pdf").exit_code == 2


def test_json_is_contract_shaped_and_deterministic(tmp_path):
    out1, out2 = tmp_path / "1.json", tmp_path / "2.json"
    assert invoke("check", "inputs/", "--format", "json", "--output", out1).exit_code == 1
    invoke("check", "inputs/", "--format", "json", "--output", out2)
    assert out1.read_bytes() == out2.read_bytes()
    doc = json.loads(out1.read_text(encoding="utf-8"))
    assert doc["checker_version"] == "0.1.0" and "as_of" in doc
    assert set(doc["summary"]) == {"submissions", "pass", "fail", "missing", "not_due", "not_applicable", "error"}
    sub = next(s for s in doc["submissions"] if s["jurisdiction"] == "jiamusi")
    assert sub["year"] == 2018 and sub["status"] == "fail"
    assert sub["files"] == ["inputs/jiamusi/2018-sections.xlsx", "inputs/jiamusi/2018.csv"]
    share = next(f for f in sub["findings"] if f["rule_id"] == "jiamusi-2018.water-quality.good-section-share")
    assert share["observed"] == 55.56 and share["gap"] == 0.56 and share["subject"] is None
    assert share["target"]["op"] == ">=" and share["target"]["value"] == 55 and share["target"]["unit"] == "%"
    assert share["source"]["number"] == "佳政办发〔2018〕17号" and share["lead_units"] == ["市环境保护局"]
    assert sub["derived"] == [
        {
            "from": "5 of 9 sections at I-III; below III: 倭肯河 倭肯河口 (IV)、挠力河 红旗岭 (V)、梧桐河 梧桐河口 (IV)、音达木河 入江口 (劣V)",
            "indicator": "surface_water.good_section_share",
            "subject": None,
            "unit": "%",
            "value": 55.56,
        },
        {
            "from": "1 of 9 sections worse than V; 劣V: 音达木河 入江口 (劣V)",
            "indicator": "surface_water.inferior_v_share",
            "subject": None,
            "unit": "%",
            "value": 11.11,
        },
        {
            "from": "9 sections: 55.56% at I-III, 11.11% 劣V",
            "indicator": "surface_water.water_quality_status",
            "subject": None,
            "unit": None,
            "value": "轻度污染",
        },
    ]
    for key in (
        "rule_id",
        "indicator",
        "status",
        "observed",
        "unit",
        "target",
        "gap",
        "subject",
        "title",
        "category",
        "lead_units",
        "source",
        "message",
    ):
        assert key in share
    # Audit trail: every input and ruleset with its hash.
    assert all(len(i["sha256"]) == 64 for i in doc["inputs"])
    assert {"jiamusi-2018", "daxinganling-2016"} <= {r["id"] for r in doc["rulesets"]}
    assert all(len(r["sha256"]) == 64 for r in doc["rulesets"])
    assert sub["rulesets"][0]["id"] == "jiamusi-2018"


def test_submission_status_is_its_worst_finding(tmp_path):
    path = write_csv(tmp_path / "s.csv", [("jiamusi", 2018, "water_use.total", "50")])
    doc = json.loads(invoke("check", path, "--format", "json").output)
    assert doc["submissions"][0]["status"] == "fail"


def test_output_folder_gets_every_format(tmp_path):
    result = invoke("check", "inputs/", "--output", str(tmp_path / "reports") + "/")
    assert result.exit_code == 1
    assert {"findings.json", "findings.txt", "findings.html", "findings.xlsx", "findings.md", "findings.junit.xml", "findings.docx"} == {
        p.name for p in (tmp_path / "reports").iterdir()
    }


@pytest.mark.parametrize("what", ["ruleset", "sheet", "findings"])
def test_schema(what):
    result = invoke("schema", what)
    assert result.exit_code == 0 and "properties" in json.loads(result.output)


def test_rulesets_list_and_validate():
    listed = invoke("rulesets", "list").output
    assert "jiamusi-2018" in listed and "daxinganling-2016" in listed
    result = invoke("rulesets", "validate", ROOT / "rulesets")
    assert result.exit_code == 0 and result.output.startswith("通过：") and " 条规则，" in result.output
    result = invoke("rulesets", "validate", ROOT / "rulesets", "--lang", "en")
    assert result.exit_code == 0 and result.output.startswith("ok: ") and " rules, " in result.output


def test_validate_names_file_rule_and_key(tmp_path):
    shutil.copy(ROOT / "rulesets" / "indicators.yaml", tmp_path)
    text = (ROOT / "rulesets" / "jiamusi-2018.yaml").read_text(encoding="utf-8")
    text = text.replace("    indicator: water_use.total\n", "    indicator: water_use.totl\n", 1)
    text = text.replace("    op: \">=\"\n    targets: {2018: 3}", "    op: \">=\"\n    targets: {2018: 3}\n    colour: red", 1)
    (tmp_path / "jiamusi-2018.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["rulesets", "validate", str(tmp_path)])
    assert result.exit_code == 2
    assert (
        "jiamusi-2018.yaml：规则 jiamusi-2018.water-resources.total-use，键 indicator：未知指标 'water_use.totl'，是否为 water_use.total"
        in result.output
    )
    assert "规则 jiamusi-2018.agri-water.irrigation-districts，键 colour：不允许此键" in result.output
    result = CliRunner().invoke(main, ["rulesets", "validate", str(tmp_path), "--lang", "en"])
    assert result.exit_code == 2
    assert (
        "jiamusi-2018.yaml: rule jiamusi-2018.water-resources.total-use, key indicator: unknown indicator 'water_use.totl'" in result.output
    )
    assert "did you mean water_use.total" in result.output
    assert "rule jiamusi-2018.agri-water.irrigation-districts, key colour: Extra inputs are not permitted" in result.output


def test_rules_show():
    result = invoke("rules", "show", "daxinganling-2016.water-supply.pipe-leakage")
    assert result.exit_code == 0
    assert "2017年起: ≤ 25 %" in result.output and "2020年起: ≤ 18 %" in result.output and "<=" not in result.output
    assert "到2017年,管网漏损率控制在25%以内" in result.output and "行署住建局" in result.output
    assert invoke("rules", "show", "no.such.rule").exit_code == 2


def test_a_json_check_without_samples_never_imports_pandas_or_openpyxl(tmp_path):
    """Startup is paid on every run: pandas, numpy and openpyxl (0.6 s together) wait until a
    sheet brings monitoring samples or an XLSX is read or written."""
    import subprocess
    import sys

    sheet = write_csv(
        tmp_path / "s.csv",
        [("jiamusi", 2018, "water_use.total", "40"), ("jiamusi", 2018, "surface_water.section_class", "III", "", "松花江 佳木斯上")],
    )
    code = (
        "import sys\nfrom checker.cli import main\n"
        "try:\n    main(['check', sys.argv[1], '--format', 'json'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('pandas', 'numpy', 'openpyxl', 'sqlalchemy') if m in sys.modules), file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code, str(sheet)], capture_output=True, text=True, cwd=ROOT)
    assert '"surface_water.good_section_share"' in done.stdout  # the sheet was checked, the share derived
    assert done.stderr.strip().splitlines()[-1] == "[]"
