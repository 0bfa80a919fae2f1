"""Derivations return what they computed and leave the submission they were given as it was read."""

import copy

from checker.derive import derive
from checker.observations import collect
from checker.readers import read_sheet


def _submission(path, book):
    submissions, stray = collect(read_sheet(path, path.name).rows, book)
    assert stray == []
    (sub,) = submissions.values()
    return sub


def test_derive_returns_a_new_submission_and_leaves_its_input_unchanged(sheet, book):
    path = sheet(
        [
            ["jiamusi", 2018, "surface_water.section_class", "III", "", "甲"],
            ["jiamusi", 2018, "surface_water.section_class", "劣V", "", "乙"],
            ["jiamusi", 2018, "surface_water.good_section_share", "80", "%"],
        ]
    )  # 50 % derived: a problem
    sub = _submission(path, book)
    before = copy.deepcopy(sub)
    derived_sub, derived = derive(sub, book)
    assert sub == before
    assert {d.indicator for d in derived} >= {"surface_water.good_section_share", "surface_water.inferior_v_share"}
    assert derived_sub.get("surface_water.inferior_v_share").value == 50.0
    assert sub.get("surface_water.inferior_v_share") is None
    assert [p.indicator for p in derived_sub.problems] == ["surface_water.good_section_share"]
    assert sub.problems == []
    assert "surface_water.inferior_v_share" in derived_sub.derived_codes and not sub.derived_codes


def test_the_worst_class_is_derived_from_the_section_classes(tmp_path):
    """A class target (全面达到V类) reads the worst section class the sheet gives, as a rank."""
    import json

    from click.testing import CliRunner

    from checker.cli import main

    sheet = tmp_path / "s.csv"
    sheet.write_text(
        "地区,年度,指标,数值,对象\n普陀区,2030,断面水质类别,Ⅳ,A\n普陀区,2030,断面水质类别,劣Ⅴ,B\n普陀区,2030,断面水质类别,Ⅲ,C\n",
        encoding="utf-8",
    )
    (sub,) = json.loads(CliRunner().invoke(main, ["check", str(sheet), "--format", "json"]).output)["submissions"]
    (worst,) = [d for d in sub["derived"] if d["indicator"] == "surface_water.worst_class_rank"]
    assert worst["value"] == 6.0 and "B 劣V" in worst["from"]
    judged = [f for f in sub["findings"] if f["indicator"] == "surface_water.worst_class_rank"]
    assert judged and all(f["status"] == "fail" and f["observed"] == 6.0 for f in judged)
