"""Every spreadsheet an office has: .xls, .ods and WPS .et sheets read as the .xlsx they were
saved from. The files are made here by a real program (LibreOffice, headless, which .ci/run
installs) converting one .xlsx fixture written with openpyxl; the .et is LibreOffice's .xls
under WPS's name, which is how WPS writes it (a compound file in the .xls form)."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess

import openpyxl
import pytest
from click.testing import CliRunner

from checker.cli import main

SOFFICE = shutil.which("soffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None and os.environ.get("CHECKER_REQUIRE_LIBREOFFICE") != "1", reason="no LibreOffice (CI installs it)"
)


def _fixture(path) -> None:
    """A county's workbook as clerks make them: a cover sheet first, the 指标 sheet second, a
    title line above the header, 地区 merged down the rows, a date cell, a number typed as text."""
    book = openpyxl.Workbook()
    cover = book.active
    cover.title = "说明"
    cover["A1"] = "本表由县环保局填报"
    sheet = book.create_sheet("指标")
    sheet["A1"] = "佳木斯市2018年度水污染防治指标"
    sheet.append([])
    sheet.append(["地区", "年度", "指标", "数值", "单位", "对象", "日期", "备注"])
    sheet.append(["佳木斯市", 2018, "水质优良比例", 55.56, "%", None, None, None])
    sheet.append([None, 2018, "用水总量", "47.39", "亿立方米", None, None, None])
    sheet.append([None, 2018, "任务完成情况", "已完成", None, "胜利路和长安路等2个东水西调工程", dt.datetime(2018, 10, 8), None])
    sheet.merge_cells("A4:A6")
    book.save(path)


def _convert(source, suffix: str, tmp_path) -> object:
    if SOFFICE is None:
        pytest.fail("CHECKER_REQUIRE_LIBREOFFICE=1 but soffice is not installed")
    profile = tmp_path / "lo-profile"
    out = tmp_path / "converted"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", suffix, "--outdir", str(out), str(source)],
        check=True,
        capture_output=True,
        timeout=120,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    return out / f"{source.stem}.{suffix}"


def _findings(path) -> tuple[int, list[tuple]]:
    result = CliRunner().invoke(main, ["check", str(path), "--format", "json", "--as-of", "2018-12-31"])
    doc = json.loads(result.output)
    assert not doc["errors"], doc["errors"]
    rows = [
        (f["rule_id"], f["status"], f["observed"], f["subject"], [(loc["sheet"], loc["row"]) for loc in f["locations"]])
        for s in doc["submissions"]
        for f in s["findings"]
    ]
    return result.exit_code, rows


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("office")
    source = tmp_path / "sheet.xlsx"
    _fixture(source)
    xls = _convert(source, "xls", tmp_path)
    ods = _convert(source, "ods", tmp_path)
    et = tmp_path / "converted" / "sheet.et"
    shutil.copy(xls, et)
    return {"xlsx": source, "xls": xls, "ods": ods, "et": et}


@pytest.mark.parametrize("kind", ["xls", "ods", "et"])
def test_an_office_sheet_reads_as_the_xlsx_it_was_saved_from(workbooks, kind):
    code, expected = _findings(workbooks["xlsx"])
    got_code, got = _findings(workbooks[kind])
    assert got_code == code == 1
    assert got == expected
    by_rule = {rule: (status, observed) for rule, status, observed, _, _ in got}
    assert by_rule["jiamusi-2018.water-quality.good-section-share"] == ("pass", 55.56)
    assert by_rule["jiamusi-2018.water-resources.total-use"][0] == "fail"  # the merged 地区 reached row 5
    # The date cell came through as a date: the task done 2018-10-08 is judged late against its deadline.
    assert by_rule["jiamusi-2018.task.east-west-water-transfer"][0] == "fail"
    locations = {loc for _, _, _, _, locs in got for loc in locs}
    assert ("指标", 4) in locations


@pytest.mark.parametrize("suffix", [".xls", ".ods", ".et", ".xlsb"])
def test_a_damaged_office_sheet_is_an_error_and_exit_2(tmp_path, suffix):
    bad = tmp_path / f"county{suffix}"
    bad.write_bytes(b"\xd0\xcf\x11\xe0 not really a workbook" * 10)
    result = CliRunner().invoke(main, ["check", str(tmp_path), "--format", "json"])
    assert result.exit_code == 2, result.output
    (error,) = json.loads(result.output)["errors"]
    assert error["location"]["file"].endswith(f"county{suffix}") and "无法作为" in error["message"]["zh"]
