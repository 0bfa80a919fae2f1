"""The city water-quality index CWQI and the ranking by it (环办监测〔2017〕51号 as
rulesets/standards/cwqi-2017.yaml encodes it): worked examples by hand, a plain reference
implementation under hypothesis, `checker rank` on real release rows, and the 480 readings."""

import csv
import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.cli import main
from checker.cwqi import item_index, jurisdiction_index, ranked
from conftest import RELEASE_HEADERS

DATA = Path(__file__).parent / "data" / "cnemc"
# GB 3838-2002's Class III limits, typed from the table for the reference implementation below.
CLASS_III = {
    "monitoring.do": 5,
    "monitoring.codmn": 6,
    "monitoring.cod": 20,
    "monitoring.bod5": 4,
    "monitoring.nh3n": 1.0,
    "monitoring.tp": 0.2,
    "monitoring.cu": 1.0,
    "monitoring.zn": 1.0,
    "monitoring.fluoride": 1.0,
    "monitoring.se": 0.01,
    "monitoring.as": 0.05,
    "monitoring.hg": 0.0001,
    "monitoring.cd": 0.005,
    "monitoring.cr6": 0.05,
    "monitoring.pb": 0.05,
    "monitoring.cn": 0.2,
    "monitoring.phenol": 0.005,
    "monitoring.petroleum": 0.05,
    "monitoring.las": 0.2,
    "monitoring.sulfide": 0.2,
}
LAKE_TP_III = 0.05


def reference_index(values: dict, lake: bool) -> float:
    """The sum of the item indices, written out plainly."""
    total = 0.0
    for code, c in values.items():
        if code == "monitoring.ph":
            total += (7 - c) / (7 - 6) if c <= 7 else (c - 7) / (9 - 7)
        elif code == "monitoring.do":
            total += CLASS_III[code] / c
        elif code == "monitoring.tp" and lake:
            total += c / LAKE_TP_III
        elif code in CLASS_III:
            total += c / CLASS_III[code]
    return total


def reference_body(sections: list[dict], lake: bool) -> float:
    """Each item averaged over the sections (pH through its hydrogen ions), then indexed and summed."""
    means = {}
    for code in {c for s in sections for c in s}:
        values = [s[code] for s in sections if code in s]
        if code == "monitoring.ph":
            means[code] = -math.log10(sum(10 ** (-v) for v in values) / len(values))
        else:
            means[code] = sum(values) / len(values)
    return reference_index(means, lake)


def reference_city(rivers: list[dict], lakes: list[dict]) -> float:
    parts = [(reference_body(b, lake), len(b)) for b, lake in ((rivers, False), (lakes, True)) if b]
    return sum(index * n for index, n in parts) / sum(n for _, n in parts)


# ---------------------------------------------------------------- worked examples, by hand


def test_item_indices_by_hand(book):
    rule, standard = book.cwqi, book.surface_water
    cases = [
        ("monitoring.ph", 6.5, False, 0.5),  # (7 − 6.5)/(7 − 6)
        ("monitoring.ph", 8.0, False, 0.5),  # (8 − 7)/(9 − 7)
        ("monitoring.ph", 7.0, False, 0.0),
        ("monitoring.do", 4.0, False, 1.25),  # 5/4: less oxygen, a larger index
        ("monitoring.nh3n", 0.5, False, 0.5),  # 0.5/1.0
        ("monitoring.tp", 0.1, False, 0.5),  # 0.1/0.2, the river limit
        ("monitoring.tp", 0.1, True, 2.0),  # 0.1/0.05, the lake limit
        ("monitoring.hg", 0.00005, False, 0.5),  # 0.00005/0.0001
    ]
    for code, value, lake, expected in cases:
        assert math.isclose(item_index(code, value, lake, rule, standard), expected), code


def test_city_index_weights_rivers_and_lakes_by_their_sections(book):
    # Rivers A and B: pH 8, 8 → 8 → 0.5; DO 4, 6 → 5 → 1.0; CODMn 4, 8 → 6 → 1.0; NH3-N 0.4, 0.6 → 0.5;
    # TP 0.1, 0.3 → 0.2 → 1.0. River index 4.0. Lake L: pH 7 → 0; DO 5 → 1; CODMn 3 → 0.5;
    # NH3-N 0.25; TP 0.025/0.05 → 0.5. Lake index 2.25. City (4.0 × 2 + 2.25 × 1)/3 = 3.41666…
    a = {"monitoring.ph": 8, "monitoring.do": 4, "monitoring.codmn": 4, "monitoring.nh3n": 0.4, "monitoring.tp": 0.1}
    b = {"monitoring.ph": 8, "monitoring.do": 6, "monitoring.codmn": 8, "monitoring.nh3n": 0.6, "monitoring.tp": 0.3}
    lake = {"monitoring.ph": 7, "monitoring.do": 5, "monitoring.codmn": 3, "monitoring.nh3n": 0.25, "monitoring.tp": 0.025}
    found = jurisdiction_index("甲市", {"A": (a, False), "B": (b, False), "L": (lake, True)}, book.cwqi, book.surface_water)
    assert math.isclose(found.river.index, 4.0) and found.river.sections == 2
    assert math.isclose(found.lake.index, 2.25) and found.lake.sections == 1
    assert math.isclose(found.cwqi, 10.25 / 3)


def test_reference_items_never_enter_the_index(book):
    # TN 5 (five times its Class III limit), fecal coliform and water temperature: none counts.
    values = {"monitoring.nh3n": 0.5, "monitoring.tn": 5, "monitoring.fecal_coliform": 50000, "monitoring.water_temp": 25}
    found = jurisdiction_index("乙市", {"A": (values, False)}, book.cwqi, book.surface_water)
    assert math.isclose(found.cwqi, 0.5) and found.items == ["monitoring.nh3n"]


def test_the_rule_names_the_21_items_of_the_national_ranking(book):
    evaluated = [code for code, item in book.surface_water.items.items() if item.evaluated == "always"]
    assert sorted(book.cwqi.items) == sorted(evaluated) and len(evaluated) == 21
    assert {"monitoring.tn", "monitoring.fecal_coliform", "monitoring.water_temp"}.isdisjoint(book.cwqi.items)


def test_ties_are_ordered_by_name_and_marked():
    assert ranked({"乙": 2.0, "甲": 2.0, "丙": 1.5}) == [(1, "丙", 1.5, False), (2, "乙", 2.0, True), (3, "甲", 2.0, True)]


def test_every_unconfirmed_point_is_said(book):
    caveats = book.cwqi.caveats()
    unconfirmed = [p for p in book.cwqi.points.values() if not p.confirmed or not p.applied]
    assert len(caveats) == len(unconfirmed) > 0
    assert any("城市水质指数 =" in c.zh and "未经确认" in c.zh for c in caveats)
    assert all(c.en and c.zh for c in caveats)


def test_a_rule_without_the_source_of_a_point_is_refused(tmp_path):
    import shutil

    from checker.rulesets import RulesetError, load_rulebook

    folder = tmp_path / "rulesets"
    shutil.copytree(Path(__file__).parents[1] / "rulesets", folder)
    path = folder / "standards" / "cwqi-2017.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  - monitoring.sulfide\n", "  - monitoring.sulfide\n  - monitoring.tn_typo\n"), encoding="utf-8")
    with pytest.raises(RulesetError, match="monitoring.tn_typo"):
        load_rulebook(folder, cache=False)
    start = text.index("  ties:")
    path.write_text(text[:start] + text[text.index("  change:") :], encoding="utf-8")
    with pytest.raises(RulesetError, match="ties"):
        load_rulebook(folder, cache=False)


# ---------------------------------------------------------------- against a plain reference

VALUES = {
    "monitoring.ph": st.floats(6.0, 9.5),
    "monitoring.do": st.floats(0.5, 12),
    "monitoring.codmn": st.floats(0.5, 20),
    "monitoring.nh3n": st.floats(0.01, 5),
    "monitoring.tp": st.floats(0.001, 1),
    "monitoring.hg": st.floats(0.00001, 0.002),
    "monitoring.tn": st.floats(0.1, 10),
}


def a_section():
    return st.fixed_dictionaries({}, optional=VALUES).filter(lambda d: set(d) - {"monitoring.tn"})


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(a_section(), st.booleans()), min_size=1, max_size=8))
def test_city_index_equals_the_reference(book, sections):
    found = jurisdiction_index("丙市", {f"s{i}": s for i, s in enumerate(sections)}, book.cwqi, book.surface_water)
    rivers = [s for s, lake in sections if not lake]
    lakes = [s for s, lake in sections if lake]
    assert math.isclose(found.cwqi, reference_city(rivers, lakes), rel_tol=1e-9)
    assert found.sections == len(sections)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.text("甲乙丙丁戊", min_size=1, max_size=3), st.sampled_from([1.5, 2.0, 2.25, 3.0]), min_size=1))
def test_ranking_equals_the_reference(values):
    result = ranked(values)
    assert [name for _, name, _, _ in result] == sorted(values, key=lambda n: (values[n], n))
    assert [n for n, *_ in result] == list(range(1, len(values) + 1))
    assert all(tied == (list(values.values()).count(v) > 1) for _, _, v, tied in result)


# ---------------------------------------------------------------- checker rank on release rows


def release_rows():
    with open(DATA / "section-types.csv", encoding="utf-8") as handle:
        types = {(r["province"], r["section"]): r["water_body_type"] for r in csv.DictReader(handle)}
    with open(DATA / "snapshot-2026-08-21-p1.csv", encoding="utf-8") as handle:
        return [(r, types[(r["province"], r["section"])]) for r in csv.DictReader(handle)]


def write(path, table):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(table)
    return path


def release_files(folder, rows, jurisdiction=lambda r: r["province"], year=2026):
    """The release table as published, and a section list mapping each section to `jurisdiction`."""
    table = [list(RELEASE_HEADERS.values())] + [[r[k] for k in RELEASE_HEADERS] for r, _ in rows]
    listed = [["省份", "断面名称", "地区", "年度", "类型"]]
    listed += [[r["province"], r["section"], jurisdiction(r), year, "湖库" if kind == "lake" else "河流"] for r, kind in rows]
    return write(folder / "实时数据.csv", table), write(folder / "list.csv", listed)


def rank_json(*args):
    result = CliRunner().invoke(main, ["rank", *map(str, args), "--lang", "en"])
    assert result.exit_code == 0, result.output
    return result


def test_rank_on_real_release_rows_by_hand(tmp_path):
    rows = [(r, kind) for r, kind in release_rows() if r["section"] in ("鼓楼外大街", "广北滨河路", "沙窝")]
    release, listed = release_files(tmp_path, rows, jurisdiction=lambda r: "甲" if r["section"] == "沙窝" else "乙")
    out = tmp_path / "rank.json"
    rank_json(release, "--sections", listed, "-o", out)
    data = json.loads(out.read_text(encoding="utf-8"))
    by_name = {r["jurisdiction"]: r for r in data["ranking"]}
    # 沙窝 (river): pH 7.26 → 0.13; DO 0.8 → 6.25; CODMn 7.07/6; NH3-N 3.693; TP 0.281/0.2.
    sha_wo = 0.26 / 2 + 5 / 0.8 + 7.07 / 6 + 3.693 / 1 + 0.281 / 0.2
    # 鼓楼外大街 and 广北滨河路: each item averaged over the two, pH through its hydrogen ions.
    ph = -math.log10((10**-7.6 + 10**-7.88) / 2)
    two = (ph - 7) / 2 + 5 / ((6.76 + 7.28) / 2) + (2.61 + 2.79) / 2 / 6 + (0.077 + 0.022) / 2 + (0.035 + 0.026) / 2 / 0.2
    assert by_name["甲"]["cwqi"] == round(sha_wo, 4) and by_name["乙"]["cwqi"] == round(two, 4)
    assert [r["jurisdiction"] for r in data["ranking"]] == ["乙", "甲"]  # ascending: 乙 has the better water
    assert by_name["乙"]["river_sections"] == 2 and by_name["乙"]["lake_sections"] == 0
    # TN (5.751 at 鼓楼外大街) and water temperature are reference items: not in the index.
    assert by_name["乙"]["items"] == ["monitoring.ph", "monitoring.do", "monitoring.codmn", "monitoring.nh3n", "monitoring.tp"]
    sections = {s["section"]: s for s in data["sections"]}
    assert sections["沙窝"]["class"] == "劣V" and sections["沙窝"]["cwqi"] == round(sha_wo, 4)
    assert any("city index" in c["en"] and "not confirmed" in c["en"] for c in data["caveats"])


@pytest.mark.parametrize("suffix", [".txt", ".csv", ".xlsx"])
def test_rank_writes_each_format_chinese_first(tmp_path, suffix):
    rows = release_rows()[:30]
    release, listed = release_files(tmp_path, rows)
    out = tmp_path / f"排名{suffix}"
    result = CliRunner().invoke(main, ["rank", str(release), "--sections", str(listed), "-o", str(out)])
    assert result.exit_code == 0, result.output
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(out)
        assert book.sheetnames == ["排名", "断面", "说明"]
        assert [c.value for c in book["排名"][1]][:5] == ["排名", "并列", "地区", "年度", "城市水质指数CWQI"]
        assert "未经确认" in "".join(str(r[0].value) for r in book["说明"].iter_rows())
        return
    text = out.read_text(encoding="utf-8-sig")
    assert text.startswith("排名") and "北京市" in text and "未经确认" in text


def test_rank_in_english_and_an_unknown_extension_refused(tmp_path):
    release, listed = release_files(tmp_path, release_rows()[:5])
    result = rank_json(release, "--sections", listed)
    assert result.output.startswith("rank\ttied\tjurisdiction") and "not confirmed" in result.output
    refused = CliRunner().invoke(main, ["rank", str(release), "--sections", str(listed), "-o", str(tmp_path / "r.docx")])
    assert refused.exit_code == 2 and ".xlsx" in refused.output and not (tmp_path / "r.docx").exists()


def test_a_section_of_unknown_type_is_located_and_the_rest_ranked(tmp_path):
    rows = release_rows()[:4]
    release, listed = release_files(tmp_path, rows)
    lines = listed.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("河流", "沟渠")
    listed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["rank", str(release), "--sections", str(listed), "--lang", "en", "-o", str(tmp_path / "r.json")])
    assert result.exit_code == 0, result.output
    assert "list.csv, row 3" in result.output
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["ranking"][0]["river_sections"] == 3 and data["problems"]


def test_change_against_a_baseline(tmp_path):
    # Two jurisdictions of one real section each; the baseline has 乙's NH3-N doubled and 甲 the same.
    rows = [(r, kind) for r, kind in release_rows() if r["section"] in ("沙窝", "新八里桥")]
    now, base = tmp_path / "now", tmp_path / "base"
    now.mkdir(), base.mkdir()
    name = {"沙窝": "甲", "新八里桥": "乙"}
    release, listed = release_files(now, rows, jurisdiction=lambda r: name[r["section"]])
    doubled = [({**r, "nh3n_mg_l": str(float(r["nh3n_mg_l"]) * 2)} if r["section"] == "新八里桥" else r, kind) for r, kind in rows]
    base_release, base_list = release_files(base, doubled, jurisdiction=lambda r: name[r["section"]], year=2025)
    out = tmp_path / "r.json"
    rank_json(release, "--sections", listed, "--baseline", base_release, "--baseline-sections", base_list, "-o", out)
    by_name = {r["jurisdiction"]: r for r in json.loads(out.read_text(encoding="utf-8"))["ranking"]}
    # 新八里桥: pH 8.06 → 0.53, DO 5/8.2, CODMn 3.92/6, NH3-N 0.027, TP 0.11/0.2; the baseline's NH3-N 0.054.
    now_index = round(0.53 + 5 / 8.2 + 3.92 / 6 + 0.027 + 0.11 / 0.2, 4)
    base_index = round(now_index + 0.027, 4)
    assert by_name["乙"]["cwqi"] == now_index and by_name["乙"]["baseline_cwqi"] == base_index
    assert by_name["乙"]["delta_cwqi_percent"] == round((now_index - base_index) / base_index * 100, 2) < 0
    assert by_name["甲"]["delta_cwqi_percent"] == 0 and by_name["乙"]["change_rank"] == 1  # improved most


def test_sections_at_class_ii_in_both_periods_take_no_part_in_the_change_ranking(tmp_path):
    rows = [(r, kind) for r, kind in release_rows() if r["section"] == "鼓楼外大街"]  # published Class II
    release, listed = release_files(tmp_path, rows)
    out = tmp_path / "r.json"
    rank_json(release, "--sections", listed, "--baseline", release, "-o", out)
    [row] = json.loads(out.read_text(encoding="utf-8"))["ranking"]
    assert row["change_exempt"] is True and row["delta_cwqi_percent"] is None and row["change_rank"] is None


# ---------------------------------------------------------------- the 480 readings, end to end


def test_the_480_readings_ranked_by_province(tmp_path):
    rows = release_rows()
    assert len(rows) == 480
    release, listed = release_files(tmp_path, rows)
    out = tmp_path / "r.json"
    rank_json(release, "--sections", listed, "-o", out)
    data = json.loads(out.read_text(encoding="utf-8"))
    ranking = data["ranking"]
    assert len(ranking) == len({r["province"] for r, _ in rows}) == 12
    assert [r["rank"] for r in ranking] == list(range(1, 13))
    assert [r["cwqi"] for r in ranking] == sorted(r["cwqi"] for r in ranking)
    # Every section with a value of an item counts once; 安固桥 reports none.
    assert sum(r["river_sections"] + r["lake_sections"] for r in ranking) == len(data["sections"]) == 479
    assert len({s["section"] for s in data["sections"] if s["type"] == "lake"}) == sum(1 for _, kind in rows if kind == "lake")
    # Each province's index is the reference implementation's, from the values as the CSV gives them.
    columns = {
        "ph": "monitoring.ph",
        "do_mg_l": "monitoring.do",
        "codmn_mg_l": "monitoring.codmn",
        "nh3n_mg_l": "monitoring.nh3n",
        "tp_mg_l": "monitoring.tp",
    }
    for row in ranking:
        rivers, lakes = [], []
        for r, kind in rows:
            if r["province"] == row["jurisdiction"]:
                values = {code: float(r[c]) for c, code in columns.items() if r[c] != "--"}
                if values:
                    (lakes if kind == "lake" else rivers).append(values)
        assert row["cwqi"] == round(reference_city(rivers, lakes), 4), row["jurisdiction"]
        assert row["river_sections"] == len(rivers) and row["lake_sections"] == len(lakes)
        if row["lake_index"] is not None:
            weighted = (row["river_index"] * len(rivers) + row["lake_index"] * len(lakes)) / (len(rivers) + len(lakes))
            assert abs(weighted - row["cwqi"]) < 1e-3


def test_per_section_and_city_cwqi_are_derived_where_sections_are_judged(sheet, run):
    rows = [
        ("jiamusi", 2018, "monitoring.nh3n", 0.4, "", "断面甲", "2018-01-15"),
        ("jiamusi", 2018, "monitoring.nh3n", 0.6, "", "断面甲", "2018-02-15"),  # mean 0.5 → 0.5
        ("jiamusi", 2018, "monitoring.do", 4, "", "断面甲", "2018-01-15"),  # 5/4 → 1.25
        ("jiamusi", 2018, "monitoring.tp", 0.1, "", "水库乙", "2018-01-15"),  # 0.1/0.05 → 2.0
        ("jiamusi", 2018, "surface_water.section_type", "水库", "", "水库乙"),
    ]
    report = run(sheet(rows))
    [sub] = [s for s in report.submissions if s.jurisdiction == "jiamusi"]
    section = {d.subject: d for d in sub.derived if d.indicator == "surface_water.cwqi"}
    assert section["断面甲"].value == 1.75 and section["水库乙"].value == 2.0
    assert "lake limits" in section["水库乙"].from_ and "NH3-N 0.5 → 0.5000" in section["断面甲"].from_
    [city] = [d for d in sub.derived if d.indicator == "surface_water.city_cwqi"]
    assert city.value == 1.875  # (1.75 × 1 + 2.0 × 1)/2
    assert "rivers 1.7500 × 1 + lakes 2.0000 × 1" in city.from_ and "not confirmed" in city.from_


def test_a_release_without_its_section_list_is_refused_saying_so(tmp_path):
    release, listed = release_files(tmp_path, release_rows()[:3])
    listed.unlink()
    result = CliRunner().invoke(main, ["rank", str(release)])
    assert result.exit_code == 2 and "断面名录" in result.output and "section list" in result.output


def test_a_section_listed_without_its_jurisdiction_is_located_once(tmp_path):
    release, listed = release_files(tmp_path, release_rows()[:3], jurisdiction=lambda r: "" if r["section"] == "沙窝" else "乙")
    result = CliRunner().invoke(main, ["rank", str(release), "--sections", str(listed), "--lang", "en", "-o", str(tmp_path / "r.json")])
    assert result.exit_code == 0, result.output
    assert result.output.count("no jurisdiction") == 1 and "实时数据.csv, row 4" in result.output
    [row] = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["ranking"]
    assert row["jurisdiction"] == "乙" and row["river_sections"] == 2


def test_a_dissolved_oxygen_of_zero_is_left_out_not_infinite(book):
    found = jurisdiction_index("丁市", {"A": ({"monitoring.do": 0.0, "monitoring.nh3n": 0.5}, False)}, book.cwqi, book.surface_water)
    assert math.isclose(found.cwqi, 0.5) and found.items == ["monitoring.nh3n"]
