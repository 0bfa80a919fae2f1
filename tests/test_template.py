"""`checker template`: a sheet to fill in that, filled in, checks cleanly."""

import datetime as dt

import openpyxl
import pytest
from click.testing import CliRunner

from checker.cli import main


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def passing_value(target: str, year: int):
    """A value that meets the target written beside the row (the target itself: at the threshold passes)."""
    import re

    if target.startswith("截止"):  # done by the deadline, and not after the year being reported
        return "已完成", min(dt.date.fromisoformat(target.split()[1]), dt.date(year, 12, 31)), None
    if target == "长期坚持":
        return "推进中", None, None
    if target.startswith("自"):
        return "是", None, "佐证：测试用文件 2018-1 号"
    if "基准值" in target:
        return 100, None, None
    if target.startswith(("保持稳定", "上年数值")):
        return 10, None, None  # the same value both years: stable
    if target.startswith("比"):
        cut = float(re.search(r"≥ ([\d.]+)%", target).group(1))
        return 100 - cut, None, None
    value = float(re.search(r"(>=|<=|≥|≤|>|<|==) ?([\d.]+)", target).group(2))
    return value, None, None


@pytest.mark.parametrize("jurisdiction, year", [("jiamusi", 2018), ("shanghai-putuo", 2020), ("daxinganling", 2017)])
def test_a_template_filled_with_passing_values_passes(tmp_path, jurisdiction, year):
    path = tmp_path / "t.xlsx"
    assert invoke("template", jurisdiction, year, "-o", path).exit_code == 0
    wb = openpyxl.load_workbook(path)
    ws = wb["指标"]
    header = [c.value for c in ws[1]]
    value_col, date_col, note_col, target_col, rule_col = (
        header.index(h) + 1 for h in ("数值", "日期", "备注", "目标（只读）", "规则（只读）")
    )
    rules = set()
    for r in range(2, ws.max_row + 1):
        target = ws.cell(r, target_col).value
        if target is None:
            continue
        value, date, note = passing_value(target.split("；")[0], year)
        ws.cell(r, value_col, value)
        if date:
            ws.cell(r, date_col, date)
        if note:
            ws.cell(r, note_col, note)
        rules |= set(ws.cell(r, rule_col).value.split("\n"))
    wb.save(path)
    result = CliRunner().invoke(main, ["check", str(path), "--format", "json"])
    import json

    report = json.loads(result.output)
    assert report["errors"] == [] and all(s["problems"] == [] for s in report["submissions"])
    findings = {
        f["rule_id"]: f["status"]
        for s in report["submissions"]
        for f in s["findings"]
        if (s["jurisdiction"], s["year"]) == (jurisdiction, year)
    }
    assert rules and rules <= set(findings)
    assert {r: findings[r] for r in rules if findings[r] not in ("pass", "not_due")} == {}
    # Every rule of the plans assessed that year has its row (one-off tasks of earlier years are not).
    assert {r for r, status in findings.items() if status not in ("not_due", "not_applicable")} <= rules


def test_template_validation_and_protection(tmp_path):
    path = tmp_path / "t.xlsx"
    invoke("template", "佳木斯市", 2018, "-o", path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["指标", "说明", "取值"]
    ws = wb["指标"]
    assert [c.value for c in ws[1]][:8] == ["地区", "年度", "指标", "数值", "单位", "对象", "日期", "备注"]
    assert ws.protection.sheet and ws["D2"].protection.locked is False and ws["I2"].protection.locked is True
    kinds = {(v.type, v.formula1) for v in ws.data_validations.dataValidation}
    assert ("list", '"已完成,推进中,未启动"') in kinds and ("list", '"是,否"') in kinds
    assert ("decimal", "0") in kinds and ("date", "DATE(2000,1,1)") in kinds
    shares = [v for v in ws.data_validations.dataValidation if v.type == "decimal" and v.operator == "between"]
    assert shares and shares[0].formula2 == "100"
    assert "填写说明" in wb["说明"]["A1"].value


def test_template_csv_is_a_readable_empty_sheet(tmp_path):
    path = tmp_path / "t.csv"
    invoke("template", "lianyungang", 2018, "-o", path)
    assert path.read_bytes().startswith("\ufeff地区,年度,指标,数值".encode("utf-8"))
    result = CliRunner().invoke(main, ["check", str(path), "--format", "json"])
    import json

    report = json.loads(result.output)
    assert report["errors"] == [] and report["summary"]["error"] == 0 and report["summary"]["missing"] > 0


def test_template_same_bytes_twice(tmp_path):
    invoke("template", "jiamusi", 2018, "-o", tmp_path / "a.xlsx")
    invoke("template", "jiamusi", 2018, "-o", tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


@pytest.mark.parametrize(
    "args, message",
    [(("哈尔滨", 2018), "unknown jurisdiction"), (("jiamusi", 2030), "no plan covers"), (("jiamusi", 2018, "x.pdf"), ".xlsx or .csv")],
)
def test_template_refusals(tmp_path, args, message):
    out = tmp_path / (args[2] if len(args) > 2 else "t.xlsx")
    result = CliRunner().invoke(main, ["template", str(args[0]), str(args[1]), "-o", str(out)])
    assert result.exit_code == 2 and message in result.output and not out.exists()
