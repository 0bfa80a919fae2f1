"""The lead-unit view: named bodies answer for their misses; a collective address (各地, 相关部门)
is kept as the plan writes it, listed after them and marked, since no one body answers for it."""

import json

from click.testing import CliRunner

from checker.accountability import UnitAccount
from checker.cli import main
from conftest import ROOT


def test_a_collective_address_is_marked_and_listed_after_the_named_bodies():
    ran = CliRunner().invoke(main, ["check", str(ROOT / "inputs"), "--format", "text", "--quiet"])
    view = ran.output[ran.output.index("== 按责任单位") :].split("\n\n")[0].splitlines()[1:]
    heads = [line for line in view if not line.startswith("    -")]
    assert heads, ran.output
    by_place: dict[str, list[bool]] = {}
    for line in heads:
        place = line.split()[0]
        by_place.setdefault(place, []).append("泛指" in line)
    assert any(any(marks) for marks in by_place.values())  # the inputs do address some units collectively
    for marks in by_place.values():
        assert marks == sorted(marks), heads  # named bodies first, then collective addresses
    for line in heads:
        unit = line.split()[1].split("（")[0].split(":")[0]
        assert ("泛指" in line) == UnitAccount("x", unit, ()).collective, line


def test_collective_addresses_in_english_and_in_the_json_untouched():
    ran = CliRunner().invoke(main, ["check", str(ROOT / "inputs"), "--format", "text", "--quiet", "--lang", "en"])
    assert "(a collective address, not one body)" in ran.output
    as_json = CliRunner().invoke(main, ["check", str(ROOT / "inputs"), "--format", "json", "--quiet"]).output
    assert "泛指" not in as_json and "collective address" not in as_json  # the findings keep the plan's own words
    assert json.loads(as_json)["submissions"]


def test_what_counts_as_collective():
    for unit in ("各地", "各乡镇人民政府", "相关部门", "有关单位", "区各街道", "县水利局等"):
        assert UnitAccount("x", unit, ()).collective, unit
    for unit in ("市水务局", "县生态环境分局", "区城市管理委员会", "高新区管委会"):
        assert not UnitAccount("x", unit, ()).collective, unit
