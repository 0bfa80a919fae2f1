"""Readers and observations: encodings, XLSX, JSON/YAML, bad rows located, the rest goes on."""

import json

import pytest
from openpyxl import Workbook

from conftest import HEADER, finding, write_csv

ZH_HEADER = ["地区", "年度", "指标", "数值", "单位", "对象", "日期", "备注"]


def test_gb18030_sheet_with_chinese_headers(tmp_path, run):
    path = write_csv(
        tmp_path / "gb.csv",
        [("大兴安岭地区", 2017, "管网漏损率", "２４．８", "％", "", "", "住建局年报")],
        header=ZH_HEADER,
        encoding="gb18030",
    )
    assert path.read_bytes().decode("gb18030")  # really GB18030, not UTF-8
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    leak = finding(run(path), "daxinganling-2016.water-supply.pipe-leakage")
    assert (leak.status, leak.observed, leak.note) == ("pass", 24.8, "住建局年报")


def test_utf8_with_bom(tmp_path, run):
    path = write_csv(tmp_path / "bom.csv", [("佳木斯", 2018, "水质优良比例", "60")], header=ZH_HEADER, encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert finding(run(path), "jiamusi-2018.water-quality.good-section-share").status == "pass"


def test_xlsx_with_a_cover_sheet_before_the_indicator_sheet(tmp_path, run):
    book = Workbook()
    book.active.title = "封面"
    book.active["A1"] = "佳木斯市2018年度考核报表"
    sheet = book.create_sheet("指标")
    sheet.append(ZH_HEADER)
    sheet.append(["佳木斯市", 2018, "规模化畜禽养殖场配套废弃物处理利用设施比例", 69.49, "%"])
    sheet.append(["佳木斯市", 2018, "用水总量", "abc", "亿立方米"])
    path = tmp_path / "s.xlsx"
    book.save(path)
    report = run(path)
    assert finding(report, "jiamusi-2018.livestock.waste-facility-rate").status == "fail"
    bad = finding(report, "jiamusi-2018.water-resources.total-use")
    assert bad.status == "error"
    assert bad.locations[0].sheet == "指标" and bad.locations[0].row == 3 and bad.locations[0].column == "D (数值)"
    assert "abc" in bad.message.zh


def test_formula_cells_give_their_cached_value(tmp_path, run):
    book = Workbook()
    sheet = book.active
    sheet.title = "indicators"
    sheet.append(HEADER)
    sheet.append(["jiamusi", 2018, "surface_water.good_section_share", "=5/9*100", "%"])
    path = tmp_path / "f.xlsx"
    book.save(path)  # openpyxl writes no cached value: an error saying so, never a silent blank
    f = finding(run(path), "jiamusi-2018.water-quality.good-section-share")
    assert f.status == "error" and "=5/9*100" in f.message.zh and "没有保存计算结果" in f.message.zh
    assert (f.locations[0].sheet, f.locations[0].row, f.locations[0].column) == ("indicators", 2, "D (value)")


def test_json_and_yaml_rows(tmp_path, run):
    (tmp_path / "a.json").write_text(
        json.dumps({"rows": [{"jurisdiction": "jiamusi", "year": 2018, "indicator": "surface_water.good_section_share", "value": 55}]})
    )
    (tmp_path / "b.yaml").write_text("- {地区: 大兴安岭, 年度: 2020, 指标: 管网漏损率, 数值: '18.51%'}\n", encoding="utf-8")
    report = run(tmp_path)
    assert finding(report, "jiamusi-2018.water-quality.good-section-share").status == "pass"
    assert finding(report, "daxinganling-2016.water-supply.pipe-leakage").status == "fail"


def test_non_number_value_is_an_error_naming_file_row_and_column(sheet, run):
    path = sheet([("jiamusi", 2018, "surface_water.good_section_share", "五十五")])
    f = finding(run(path), "jiamusi-2018.water-quality.good-section-share")
    assert f.status == "error"
    loc = f.locations[0]
    assert (loc.file.endswith("sheet.csv"), loc.row, loc.column) == (True, 2, "value")


def test_missing_indicator_is_missing_and_the_rest_is_checked(sheet, run):
    report = run(sheet([("jiamusi", 2018, "water_use.total", "40")]))
    assert finding(report, "jiamusi-2018.water-quality.good-section-share").status == "missing"
    assert finding(report, "jiamusi-2018.water-resources.total-use").status == "pass"


def test_blank_value_means_not_reported(sheet, run):
    report = run(sheet([("jiamusi", 2018, "water_use.total", "")]))
    assert finding(report, "jiamusi-2018.water-resources.total-use").status == "missing"


def test_a_file_that_is_not_a_sheet(tmp_path, run, sheet):
    good = sheet([("jiamusi", 2018, "water_use.total", "40")])
    (tmp_path / "junk.csv").write_bytes(b"\x00\x01\x02PK\x00binary")
    (tmp_path / "text.xlsx").write_text("not a workbook")
    (tmp_path / "notes.txt").write_text("not read")
    report = run(tmp_path)
    assert finding(report, "jiamusi-2018.water-resources.total-use").status == "pass"
    errors = {p.location.file.rsplit("/", 1)[-1]: p for p in report.errors}
    # A file of a type no reader takes is an error too: an officer must learn it was not checked.
    assert set(errors) == {"junk.csv", "text.xlsx", "notes.txt"}
    unread = [i for i in report.inputs if i.file.endswith("notes.txt")]
    assert unread and not unread[0].read and "not a sheet type" in unread[0].note
    assert good.exists()


def test_header_without_required_columns(sheet, run):
    path = sheet([("jiamusi", 2018)], header=["地区", "年度"])
    report = run(path)
    assert len(report.errors) == 1 and "indicator" in report.errors[0].message.en


def test_unknown_indicator_suggests_the_nearest(sheet, run):
    report = run(sheet([("jiamusi", 2018, "管网漏损", "20")]))
    problems = report.submissions[0].problems
    assert len(problems) == 1 and "water_supply.pipe_leakage_rate" in problems[0].message.en
    assert problems[0].location.column == "indicator"


def test_unknown_jurisdiction_and_bad_year_are_located(sheet, run):
    report = run(sheet([("哈尔滨", 2018, "用水总量", "1"), ("jiamusi", "二〇一八", "用水总量", "1")]))
    assert [(p.location.row, p.location.column) for p in report.errors] == [(2, "jurisdiction"), (3, "year")]


def test_incompatible_unit_is_an_error_for_that_row(sheet, run):
    report = run(sheet([("jiamusi", 2018, "water_use.total", "40", "公里")]))
    f = finding(report, "jiamusi-2018.water-resources.total-use")
    assert f.status == "error" and f.locations[0].column == "unit"


@pytest.mark.parametrize("value,unit,expected", [("10605", "亩", 10605), ("1.0605", "万亩", 10605), ("707", "公顷", 10605)])
def test_area_units_convert(sheet, run, value, unit, expected):
    f = finding(run(sheet([("jiamusi", 2018, "退耕还湿面积", value, unit)])), "jiamusi-2018.wetland.restored")
    assert f.observed == pytest.approx(expected, rel=1e-9) and f.status == "pass"


def test_identical_duplicates_count_once_conflicts_are_errors(sheet, run):
    report = run(
        sheet(
            [
                ("jiamusi", 2018, "water_use.total", "40"),
                ("佳木斯市", 2018, "用水总量", "40", "亿立方米"),
                ("jiamusi", 2018, "surface_water.good_section_share", "60"),
                ("jiamusi", 2018, "surface_water.good_section_share", "50"),
            ]
        )
    )
    assert finding(report, "jiamusi-2018.water-resources.total-use").status == "pass"
    [note] = report.submissions[0].notes
    assert "water_use.total" in note.en and "2 times" in note.en and "row 2" in note.en and "row 3" in note.en
    conflict = finding(report, "jiamusi-2018.water-quality.good-section-share")
    assert conflict.status == "error" and "60" in conflict.message.en and "50" in conflict.message.en


def sections(n_good, n_total):
    return [("jiamusi", 2018, "surface_water.section_class", "III" if i < n_good else "Ⅳ", "", f"断面{i}") for i in range(n_total)]


def test_derived_share_5_of_9_passes(sheet, run):
    report = run(sheet(sections(5, 9)))
    f = finding(report, "jiamusi-2018.water-quality.good-section-share")
    assert (f.status, f.observed, f.gap) == ("pass", 55.56, 0.56)
    derived = report.submissions[0].derived
    assert [(d.indicator, d.value, d.from_) for d in derived] == [
        ("surface_water.good_section_share", 55.56, "5 of 9 sections at I-III; below III: 断面5 (IV)、断面6 (IV)、断面7 (IV)、断面8 (IV)"),
        ("surface_water.inferior_v_share", 0.0, "0 of 9 sections worse than V"),
        # 55.56 % at I-III is below 75 %, and no 劣V: 轻度污染 (环办〔2011〕22号)
        ("surface_water.water_quality_status", "轻度污染", "9 sections: 55.56% at I-III, 0% 劣V"),
    ]


def test_derived_share_4_of_9_fails(sheet, run):
    f = finding(run(sheet(sections(4, 9))), "jiamusi-2018.water-quality.good-section-share")
    assert (f.status, f.observed) == ("fail", 44.44)


def test_given_and_derived_share_disagreeing_is_an_error(sheet, run):
    rows = sections(5, 9) + [("jiamusi", 2018, "surface_water.good_section_share", "66.7")]
    f = finding(run(sheet(rows)), "jiamusi-2018.water-quality.good-section-share")
    assert f.status == "error" and "0.1" in f.message.en
    rows = sections(5, 9) + [("jiamusi", 2018, "surface_water.good_section_share", "55.6")]
    assert finding(run(sheet(rows)), "jiamusi-2018.water-quality.good-section-share").status == "pass"


def test_bad_section_row_makes_the_derived_share_an_error(sheet, run):
    rows = sections(5, 8) + [("jiamusi", 2018, "surface_water.section_class", "VI", "", "断面X")]
    f = finding(run(sheet(rows)), "jiamusi-2018.water-quality.good-section-share")
    assert f.status == "error" and "VI" in f.message.zh


def test_inputs_are_never_modified(run):
    import hashlib
    from pathlib import Path

    files = sorted(Path("inputs").rglob("*"))
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in files if p.is_file()}
    run(Path("inputs"))
    assert before == {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in files if p.is_file()}
