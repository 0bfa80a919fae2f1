"""Putuo's milestone schedule and per-year quantities; Lianyungang's attested duties."""

import pytest

from conftest import finding

SECTIONS = "shanghai-putuo-2016.water-quality.city-sections-class-v"


@pytest.mark.parametrize(
    "year,value,status",
    [
        (2016, 3, "pass"),
        (2016, 2, "fail"),
        (2017, 4, "fail"),
        (2017, 5, "pass"),
        (2019, 9, "pass"),
        (2020, 9, "fail"),
        (2020, 10, "pass"),
        (2024, 10, "pass"),
    ],
)
def test_cumulative_section_schedule(sheet, run, year, value, status):
    report = run(sheet([("上海市普陀区", year, "市考断面达标数", str(value))]))
    assert finding(report, SECTIONS).status == status


def test_black_odorous_8_then_all_26(sheet, run):
    rule = "shanghai-putuo-2016.water-quality.black-odorous-rivers"
    assert finding(run(sheet([("普陀", 2016, "累计消除黑臭河道", "8")])), rule).status == "pass"
    assert finding(run(sheet([("普陀", 2017, "累计消除黑臭河道", "25")])), rule).status == "fail"


def test_per_year_quantities_and_the_until_year(sheet, run):
    report = run(
        sheet([("普陀区", 2018, "阳台水雨污分流改造面积", "290000", "平方米"), ("普陀区", 2018, "生态屋顶绿化面积", "12000", "平方米")])
    )
    assert finding(report, "shanghai-putuo-2016.sewer.balcony-drains").status == "fail"
    assert finding(report, "shanghai-putuo-2016.green.eco-roofs").status == "pass"
    late = run(sheet([("普陀区", 2021, "生态屋顶绿化面积", "0.5", "万平方米")]))
    assert finding(late, "shanghai-putuo-2016.green.eco-roofs").status == "not_applicable"


def test_lianyungang_duties_are_attestations_with_evidence(sheet, run):
    rule = "lianyungang-2018.duty.zero-tolerance"
    subject = "对新发涉水违法行为实行“零容忍”"
    ok = run(sheet([("连云港", 2018, "承诺事项", "是", "", subject, "", "2018年立案查处涉水违法案件23起")]))
    assert finding(ok, rule).status == "pass" and finding(ok, rule).responsible_units == ["各地"]
    assert finding(run(sheet([("连云港", 2018, "承诺事项", "是", "", subject)])), rule).status == "missing"


def test_subjects_match_across_full_and_half_width_punctuation(sheet, run):
    rule = "lianyungang-2018.duty.office-staffing-training"  # subject: 加强各级河长办建设，定期组织培训
    report = run(sheet([("连云港", 2018, "承诺事项", "是", "", "加强各级河长办建设, 定期组织培训", "", "培训记录")]))
    assert finding(report, rule).status == "pass"


OUTFLOW = "shanghai-putuo-2016.water-quality.outflow-not-worse"


@pytest.mark.parametrize("inflow,outflow,status", [("Ⅳ", "Ⅳ", "pass"), ("Ⅴ", "Ⅳ", "pass"), ("Ⅳ", "Ⅴ", "fail"), ("劣Ⅴ", "Ⅴ", "pass")])
def test_outflow_not_worse_than_inflow(sheet, run, inflow, outflow, status):
    report = run(
        sheet(
            [
                ("普陀区", 2020, "断面水质类别", inflow, "", "苏州河 入境"),
                ("普陀区", 2020, "入境出境断面", "入境", "", "苏州河 入境"),
                ("普陀区", 2020, "断面水质类别", outflow, "", "苏州河 出境"),
                ("普陀区", 2020, "入境出境断面", "出境", "", "苏州河 出境"),
            ]
        )
    )
    assert finding(report, OUTFLOW).status == status
    derived = [d for d in report.submissions[0].derived if d.indicator == "surface_water.outflow_class_margin"]
    assert len(derived) == 1 and "苏州河 出境" in derived[0].from_


def test_outflow_rule_is_missing_without_marked_sections(sheet, run):
    report = run(sheet([("普陀区", 2020, "断面水质类别", "Ⅳ", "", "苏州河 入境")]))
    assert finding(report, OUTFLOW).status == "missing"
