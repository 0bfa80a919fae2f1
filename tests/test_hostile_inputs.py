"""Hostile inputs too large for the corpus, and hypothesis over the reader fixes of the reliability issue."""

import datetime as dt
import json
import os
import re
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.styles import Font

from checker.intake import read_inputs
from checker.values import ValueProblem, parse_date, parse_number
from conftest import HEADER, ROOT, finding, write_csv

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
GOOD = ["jiamusi", 2018, "livestock.waste_facility_rate", 72, "%"]
MEMORY = 1536 * 2**20  # what a regression may take before it fails rather than swaps


def _bounded():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def check_in_child(path: Path, *options: str) -> tuple[int, dict]:
    """The real command in a child bounded in time and memory: a regression fails, never hangs."""
    done = subprocess.run(
        [sys.executable, "-m", "checker.cli", "check", str(path), "--format", "json", "--lang", "en", *options],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        preexec_fn=_bounded,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    return done.returncode, json.loads(done.stdout)


def _errors(report: dict) -> list[str]:
    out = [e["message"]["en"] for e in report["errors"]]
    for sub in report["submissions"]:
        out += [p["message"]["en"] for p in sub["problems"]]
        out += [f["message"]["en"] for f in sub["findings"] if f["status"] == "error"]
    return out


def _workbook(path: Path, rows, after=None) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "指标"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    if after:
        after(sheet)
    book.save(path)
    return path


def _styled(row: int, column: int):
    def style(sheet):
        sheet.cell(row=row, column=column).font = Font(bold=True)  # formatting, no value

    return style


def _formatted_rows(path: Path, count: int) -> Path:
    """A sheet whose XML carries `count` formatted empty rows below its data, as left by selecting
    whole rows in Excel and giving them a style."""
    _workbook(path, [GOOD], after=_styled(2, 6))
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    rows = "".join(f'<row r="{r}" s="1" customFormat="1"><c r="A{r}" s="1"/></row>' for r in range(3, count + 3))
    sheet = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="A1:H{count + 2}"', parts["xl/worksheets/sheet1.xml"].decode())
    parts["xl/worksheets/sheet1.xml"] = sheet.replace("</sheetData>", rows + "</sheetData>").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize(
    "make",
    [
        lambda p: _workbook(p, [GOOD], after=_styled(1_048_576, 1)),  # 82 s and 5.8 GB before
        lambda p: _workbook(p, [GOOD], after=_styled(1_048_576, 16_384)),  # exhausted memory before
        lambda p: _workbook(p, [GOOD], after=_styled(2, 16_384)),  # trailing formatted columns
        lambda p: _formatted_rows(p, 1_000_000),  # 1.35 GB before
    ],
    ids=["A1048576", "XFD1048576", "XFD2", "a-million-formatted-rows"],
)
@pytest.mark.slow
def test_formatting_far_out_costs_nothing(tmp_path, make):
    path = make(tmp_path / "sheet.xlsx")
    code, report = check_in_child(path)
    assert (code, _errors(report)) == (1, [])
    rate = [f for s in report["submissions"] for f in s["findings"] if f["rule_id"] == "jiamusi-2018.livestock.waste-facility-rate"]
    assert [(f["observed"], f["locations"][0]["row"]) for f in rate] == [(72.0, 2)]


def test_content_past_the_bound_is_refused_at_its_row(tmp_path):
    # The bound is --max-unzipped-mb / 15 bytes (the least XML of a cell): 3495 cells at 0.05 MB.
    def far(sheet):
        sheet.cell(row=3, column=16_384, value="x")

    path = _workbook(tmp_path / "far.xlsx", [GOOD, GOOD], after=far)
    code, report = check_in_child(path, "--max-unzipped-mb", "0.05")
    assert code == 2
    [error] = report["errors"]
    assert "sheet 指标, row 3: the sheet holds more than 3495 cells" in error["message"]["en"]
    assert (error["location"]["sheet"], error["location"]["row"]) == ("指标", 3)


def _merged_and_formula(sheet):
    sheet.merge_cells("A2:A3")
    sheet["D4"] = "=5/9*100"


def _padded(small: Path, big: Path) -> Path:
    """The same workbook past 5 MB, the size that used to switch openpyxl to its streaming mode."""
    big.write_bytes(small.read_bytes())
    with zipfile.ZipFile(big, "a", zipfile.ZIP_STORED) as archive:
        archive.writestr("xl/media/photo.bin", os.urandom(6 * 2**20))
    assert big.stat().st_size > 5 * 2**20
    return big


def test_a_workbook_reads_the_same_whatever_its_size(tmp_path, run):
    rows = [GOOD, [None, 2018, "water_use.total", 47, "亿立方米"], ["jiamusi", 2018, "surface_water.good_section_share", None, "%"]]
    (tmp_path / "small").mkdir()
    (tmp_path / "big").mkdir()
    small = _workbook(tmp_path / "small" / "s.xlsx", rows, after=_merged_and_formula)
    big = _padded(small, tmp_path / "big" / "s.xlsx")
    verdicts = []
    for path in (small, big):
        report = run(path)
        verdicts.append(
            [(f.rule_id, f.status, f.observed, f.message.en.replace(str(path), "FILE")) for s in report.submissions for f in s.findings]
        )
        assert finding(report, "jiamusi-2018.water-resources.total-use").status == "pass"  # the merged 地区
        share = finding(report, "jiamusi-2018.water-quality.good-section-share")
        assert share.status == "error" and "the formula =5/9*100 has no saved value" in share.message.en
        assert (share.locations[0].row, share.locations[0].column) == (4, "D (value)")
    assert verdicts[0] == verdicts[1]


def test_a_cell_over_128_kb_is_read(tmp_path, run):
    note = "佐证材料" * 50_000  # 600 KB in UTF-8: csv's own limit is 128 KB
    path = write_csv(tmp_path / "long.csv", [(*GOOD, "", "", note)])
    f = finding(run(path), "jiamusi-2018.livestock.waste-facility-rate")
    assert (f.observed, f.note) == (72.0, note)


# ---- hypothesis


@FUZZ
@given(
    day=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
    time=st.times(),
    form=st.sampled_from(["{d} {t}", "{d}T{t}", "{d} {hm}", "{slash} {hm}", "{d}  {t}"]),
)
def test_a_date_with_a_time_of_day_keeps_its_date(day, time, form):
    text = form.format(
        d=day.isoformat(), t=time.isoformat(), hm=f"{time.hour}:{time.minute:02d}", slash=f"{day.year}/{day.month}/{day.day}"
    )
    assert parse_date(text) == day


@FUZZ
@given(
    number=st.decimals(min_value=-(10**9), max_value=10**9, places=3, allow_nan=False),
    mark=st.sampled_from(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]),
    unit=st.sampled_from(["", "%", " 亿立方米"]),
)
def test_zero_width_characters_around_a_number_are_dropped_and_inside_refused(number, mark, unit):
    text = f"{number}"
    assert parse_number(f"{mark}{text}{mark}{unit}{mark}") == parse_number(text + unit)
    digits = [i for i in range(1, len(text)) if text[i - 1].isdigit() and text[i].isdigit()]
    if digits:
        with pytest.raises(ValueProblem, match="zero-width"):
            parse_number(text[: digits[0]] + mark + text[digits[0] :])


@FUZZ
@given(count=st.integers(2, 8), data=st.data())
def test_an_unclosed_quote_costs_its_own_row_only(tmp_path_factory, count, data):
    bad = data.draw(st.integers(0, count - 2))  # not the last row: a quote there swallows nothing
    column = data.draw(st.integers(0, len(HEADER) - 1))
    rows = [["jiamusi", 2018, "task.status", "已完成", "", f"任务{i}", "2018-06-30", "说明"] for i in range(count)]
    lines = [",".join(HEADER)] + [",".join(map(str, r)) for r in rows]
    cells = lines[bad + 1].split(",")
    cells[column] = '"' + cells[column]
    lines[bad + 1] = ",".join(cells)
    path = tmp_path_factory.mktemp("quote") / "q.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    raw_rows, _, problems = read_inputs([path])
    assert [(p.location.row, p.location.column) for p in problems] == [(bad + 2, HEADER[column])]
    assert "malformed CSV, row" in problems[0].message.en
    assert sorted(r.location.row for r in raw_rows) == [i + 2 for i in range(count) if i != bad]


rows = st.lists(
    st.fixed_dictionaries(
        {
            "jurisdiction": st.just("jiamusi"),
            "year": st.just(2018),
            "indicator": st.sampled_from(["water_use.total", "task.status"]),
            "value": st.one_of(st.integers(0, 99), st.text(max_size=5)),
        }
    ),
    min_size=1,
    max_size=5,
)


@FUZZ
@given(doc=rows, shared=st.one_of(st.none(), st.tuples(st.integers(0, 4), st.sampled_from(["value", "note", "subject"]))))
def test_yaml_anchors_are_refused_and_plain_documents_read_as_safe_load(tmp_path_factory, doc, shared):
    if shared is not None:  # one object in two places: yaml.dump writes it as an anchor and an alias
        payload = ["lol"] * 3
        for row in (doc[shared[0] % len(doc)], doc[-1]):
            row[shared[1]] = payload
    text = yaml.dump(doc, allow_unicode=True)
    path = tmp_path_factory.mktemp("yaml") / "s.yaml"
    path.write_text(text, encoding="utf-8")
    raw_rows, _, problems = read_inputs([path])
    if "&id" in text:
        assert raw_rows == [] and any("YAML anchors and aliases" in p.message.en for p in problems)
    else:
        assert [r.cells["value"] for r in raw_rows] == [row["value"] for row in yaml.safe_load(text)]


@FUZZ
@given(keys=st.lists(st.sampled_from(["value", "数值", "note", "备注", "unit"]), min_size=1, max_size=5))
def test_a_json_row_naming_a_column_twice_is_refused(tmp_path_factory, keys):
    pairs = [("jurisdiction", "jiamusi"), ("year", 2018), ("indicator", "water_use.total")] + [(k, 1) for k in keys]
    text = "[{" + ", ".join(f"{json.dumps(k, ensure_ascii=False)}: {json.dumps(v)}" for k, v in pairs) + "}]"
    path = tmp_path_factory.mktemp("json") / "d.json"
    path.write_text(text, encoding="utf-8")
    raw_rows, _, problems = read_inputs([path])
    canonical = [{"数值": "value", "备注": "note"}.get(k, k) for k in keys]
    twice = len(set(canonical)) < len(canonical)
    assert (len(raw_rows), len(problems)) == ((0, 1) if twice else (1, 0))


def _excel_style(path: Path) -> Path:
    """A sheet as Excel and WPS write it: shared strings, a date style, a shared formula whose
    second cell was never computed, a cached string formula, booleans and error values."""
    book = Workbook()
    book.active.title = "指标"
    book.active.append(HEADER)
    book.active.append([None] * 6 + [dt.date(2018, 12, 24)])  # so that styles.xml holds a date style
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    date_style = parts["xl/worksheets/sheet1.xml"].decode().split('r="G2" s="')[1].split('"')[0]
    strings = HEADER + ["jiamusi", "task.status", "已完成", "8类行业排污许可证核发", "water_use.total", "亿立方米"]
    parts["xl/sharedStrings.xml"] = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + "".join(f"<si><t>{s}</t></si>" for s in strings)
        + "</sst>"
    ).encode()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        (
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            b'spreadsheetml.sharedStrings+xml"/></Types>'
        ),
    )
    s = {name: i for i, name in enumerate(strings)}
    header = "".join(f'<c r="{chr(65 + i)}1" t="s"><v>{i}</v></c>' for i in range(len(HEADER)))
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:H5"/><sheetData>'
        f'<row r="1" spans="1:8">{header}</row>'
        f'<row r="2"><c r="A2" t="s"><v>{s["jiamusi"]}</v></c><c r="B2"><v>2018</v></c><c r="C2" t="s"><v>{s["task.status"]}</v></c>'
        f'<c r="D2" t="s"><v>{s["已完成"]}</v></c><c r="F2" t="s"><v>{s["8类行业排污许可证核发"]}</v></c>'
        f'<c r="G2" s="{date_style}"><v>43459</v></c><c r="H2" t="str"><f>"见"&amp;"附件"</f><v>见附件</v></c></row>'
        f'<row r="3"><c r="A3" t="s"><v>{s["jiamusi"]}</v></c><c r="B3"><v>2018</v></c><c r="C3" t="s"><v>{s["water_use.total"]}</v></c>'
        f'<c r="D3"><f t="shared" ref="D3:D4" si="0">B3/50</f><v>40.36</v></c><c r="E3" t="s"><v>{s["亿立方米"]}</v></c>'
        '<c r="H3" t="b"><v>1</v></c></row>'
        f'<row r="4"><c r="A4" t="s"><v>{s["jiamusi"]}</v></c><c r="B4"><v>2018</v></c><c r="C4" t="s"><v>{s["water_use.total"]}</v></c>'
        f'<c r="D4"><f t="shared" si="0"/></c><c r="H4" t="e"><v>#N/A</v></c></row>'
        '</sheetData></worksheet>'
    )
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_an_excel_written_sheet_reads_as_openpyxl_reads_it(tmp_path):
    from openpyxl import load_workbook

    from checker.readers import UncomputedFormula, read_sheet

    path = _excel_style(tmp_path / "excel.xlsx")
    sheet = read_sheet(path, "excel.xlsx")
    full = load_workbook(path, data_only=True)["指标"]
    for row in sheet.rows:
        for column, value in row.cells.items():
            expected = full.cell(row=row.location.row, column=HEADER.index(column) + 1).value
            if isinstance(value, UncomputedFormula):
                assert (row.location.row, column, expected, value.formula) == (4, "value", None, "=B4/50")
            else:
                assert value == expected and type(value) is type(expected), (row.location.row, column)
    assert sheet.rows[0].cells["date"] == dt.datetime(2018, 12, 25)  # serial 43459, date-styled
