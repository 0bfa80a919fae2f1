"""Every report format, through the CLI: deterministic bytes, escaping, formula-safe cells, JUnit counts."""

import io
import json
import os
import time
import xml.etree.ElementTree as ET
import zipfile

import openpyxl
import pytest
from browser import Browser, chromium_path
from click.testing import CliRunner

from checker.cli import main
from checker.reports import EXTENSIONS, RENDERERS
from conftest import ROOT

HOSTILE_SECTION = '<script>alert("x")</script>断面'
FORMULA_NOTES = ['=HYPERLINK("http://evil.example","点击")', "+SUM(1,2)", "-2+3", "@SUM(1)", "=1+1"]


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def hostile_inputs(tmp_path_factory):
    """The bundled inputs plus a Jiamusi section sheet with a section named like markup and notes like formulas."""
    folder = tmp_path_factory.mktemp("hostile")
    rows = [
        (
            "jiamusi",
            "2018",
            "surface_water.section_class",
            "IV" if i == 0 else "III",
            "",
            HOSTILE_SECTION if i == 0 else f"断面{i}",
            "",
            FORMULA_NOTES[i % len(FORMULA_NOTES)],
        )
        for i in range(9)
    ]
    from conftest import write_csv

    write_csv(folder / "jiamusi-sections.csv", rows)
    (folder / "jiamusi-2018.csv").write_bytes((ROOT / "inputs" / "jiamusi" / "2018.csv").read_bytes())
    return folder


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    result = CliRunner().invoke(main, ["check", str(ROOT / "inputs"), "--output", str(out) + "/"])
    assert result.exit_code == 1, result.output
    return out


def test_output_folder_holds_every_format(reports):
    assert sorted(p.name for p in reports.iterdir()) == sorted(f"findings.{EXTENSIONS[f]}" for f in RENDERERS)
    assert not [p for p in reports.iterdir() if p.name.startswith(".")]  # no temporary files left behind


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_same_inputs_same_bytes(tmp_path, fmt, lang):
    first, second = tmp_path / f"a.{EXTENSIONS[fmt]}", tmp_path / f"b.{EXTENSIONS[fmt]}"
    for target in (first, second):
        invoke("check", ROOT / "inputs", "--format", fmt, "--lang", lang, "--output", target)
    assert first.read_bytes() == second.read_bytes()


def test_xlsx_sheets_headers_and_filters(reports):
    wb = openpyxl.load_workbook(reports / "findings.xlsx")
    assert wb.sheetnames == ["汇总", "检查结果", "按责任单位", "评分说明", "输入文件与问题"]
    for ws in wb:
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
    summary = wb["汇总"]
    header = [c.value for c in summary[1]]
    assert header[:5] == ["地区代码", "地区", "年度", "总体结论", "等级"]
    grades = {(r[0], r[2]): r[4] for r in summary.iter_rows(min_row=2, values_only=True)}
    assert grades[("daxinganling", 2017)] == "不合格" and grades[("jiamusi", 2018)] == "优秀"
    findings = wb["检查结果"]
    report = json.loads(invoke("check", ROOT / "inputs", "--format", "json").output)
    assert findings.max_row - 1 == sum(len(s["findings"]) for s in report["submissions"])


def test_xlsx_sheets_print_landscape_one_page_wide_with_the_header_on_every_page(reports):
    wb = openpyxl.load_workbook(reports / "findings.xlsx")
    for ws in wb:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1), ws.title
        assert ws.page_setup.fitToHeight == 0, ws.title  # as many pages down as the rows need
        assert ws.print_title_rows.replace("$", "") == "1:1", ws.title


def test_xlsx_same_bytes_whatever_the_clock_time_zone_or_umask(run, monkeypatch):
    from checker.reports.xlsx_report import render

    report = run(ROOT / "inputs" / "jiamusi")
    first = render(report, "zh")
    monkeypatch.setenv("TZ", "America/St_Johns")  # a half-hour offset, far from the first run's
    time.tzset()
    old = os.umask(0o077)
    try:
        time.sleep(1.1)  # a second later: no timestamp may show it
        second = render(report, "zh")
    finally:
        os.umask(old)
        monkeypatch.undo()
        time.tzset()
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert len({info.date_time for info in archive.infolist()}) == 1
        assert archive.infolist()[0].date_time[0] == 1980
        assert b"1980-01-01T00:00:00Z" in archive.read("docProps/core.xml")


def test_xlsx_never_turns_a_note_into_a_formula(hostile_inputs, tmp_path):
    target = tmp_path / "r.xlsx"
    invoke("check", hostile_inputs, "--format", "xlsx", "--output", target)
    wb = openpyxl.load_workbook(target)
    cells = [c for ws in wb for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    # The section named like markup reaches the workbook (in the share's note) as plain text.
    assert any(HOSTILE_SECTION in c.value for c in cells if isinstance(c.value, str))


def test_xlsx_neutralises_every_formula_start(run, tmp_path):
    from checker.reports.xlsx_report import render

    report = run(ROOT / "inputs" / "jiamusi")
    sub = report.submissions[0]
    tricky = [sub.findings[i].model_copy(update={"note": note}) for i, note in enumerate(FORMULA_NOTES)]
    report = report.model_copy(update={"submissions": [sub.model_copy(update={"findings": tricky})]})
    path = tmp_path / "t.xlsx"
    path.write_bytes(render(report, "zh"))
    ws = openpyxl.load_workbook(path)["检查结果"]
    note_column = [c.value for c in ws[1]].index("备注")
    notes = [row[note_column] for row in ws.iter_rows(min_row=2)]
    assert [c.value for c in notes] == FORMULA_NOTES
    assert all(c.data_type == "s" and c.quotePrefix for c in notes)


def test_junit_counts_match_findings(reports):
    root = ET.parse(reports / "findings.junit.xml").getroot()
    report = json.loads((reports / "findings.json").read_text(encoding="utf-8"))
    statuses = [f["status"] for s in report["submissions"] for f in s["findings"]]
    failures = root.findall(".//testcase/failure")
    assert len(failures) == statuses.count("fail") + statuses.count("missing") == int(root.get("failures"))
    assert len(root.findall(".//testcase/error")) == report["summary"]["error"] == int(root.get("errors"))
    assert len(root.findall(".//testcase/skipped")) == statuses.count("not_due") + statuses.count("not_applicable")
    assert int(root.get("tests")) == len(root.findall(".//testcase"))
    assert {f.get("type") for f in failures} == {"fail", "missing"}


def test_junit_errors_for_unusable_input(tmp_path, sheet):
    bad = sheet([("jiamusi", 2018, "livestock.waste_facility_rate", "很多")])
    out = tmp_path / "j.xml"
    result = invoke("check", bad, "--format", "junit", "--output", out)
    assert result.exit_code == 2
    root = ET.parse(out).getroot()
    assert int(root.get("errors")) >= 1 and root.find(".//testcase/error") is not None


def test_markdown_escapes_and_shows_grades(hostile_inputs):
    md = invoke("check", hostile_inputs, "--format", "md").output
    assert "<script>" not in md and "&lt;script>" in md
    assert "| 黑龙江省佳木斯市 | 2018 |" in md and "按责任单位" in md
    english = invoke("check", ROOT / "inputs", "--format", "md", "--lang", "en").output
    assert "By unit: targets missed" in english and "unsatisfactory" in english


def test_html_escapes_markup_from_sheets(hostile_inputs):
    page = invoke("check", hostile_inputs, "--format", "html").output
    assert "<script" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;断面 (IV)" in page


def test_html_self_contained(reports):
    page = (reports / "findings.html").read_text(encoding="utf-8")
    for fetch in ("http://", "https://", "src=", "<link", "@import", "url("):
        assert fetch not in page, fetch
    assert "<svg" in page and "<style>" in page


def test_text_lists_unread_files(tmp_path, sheet):
    good = sheet([("jiamusi", 2018, "livestock.waste_facility_rate", "72")])
    (good.parent / "readme.docx").write_bytes(b"PK\x03\x04not really")
    (good.parent / ".DS_Store").write_bytes(b"\0")
    output = invoke("check", good.parent).output
    assert "readme.docx：不是检查程序读取的表格类型" in output  # an error: it was not checked
    assert "未读取: " in output and ".DS_Store" in output  # passed over, with a note


browser_required = os.environ.get("CHECKER_REQUIRE_BROWSER") == "1"


@pytest.mark.skipif(chromium_path() is None and not browser_required, reason="chromium not installed")
def test_html_in_headless_chromium(hostile_inputs, tmp_path):
    page = tmp_path / "report.html"
    invoke("check", ROOT / "inputs", hostile_inputs, "--output", page, "--format", "html")
    with Browser(width=1280, height=1000) as browser:
        browser.open(page)
        shown = browser.evaluate("document.body.innerText")  # rendered text only: nothing hidden counts
        png = browser.screenshot(tmp_path / "report.png")
        grades = browser.evaluate(
            "[...document.querySelectorAll('.grade')].filter(e => e.getBoundingClientRect().width > 0).map(e => e.textContent)"
        )
        unit_view = browser.evaluate(
            "(() => { const h = document.getElementById('by-unit'); const r = h.getBoundingClientRect();"
            " return [h.textContent, r.width > 0 && r.height > 0, document.querySelectorAll('.unit').length]; })()"
        )
        scripts = browser.evaluate("document.querySelectorAll('script').length")
        section_cells = browser.evaluate(
            "[...document.querySelectorAll('td')].filter(td => td.textContent.includes('alert(')).map(td => td.textContent)"
        )
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(png[16:20], "big") == 1280 and len(png) > 50_000
    assert {"优秀", "不合格"} <= set(grades)
    assert unit_view[0] == "按责任单位：未完成目标（问责）" and unit_view[1] and unit_view[2] >= 5
    assert "市畜牧兽医局" in shown and "水质得分" in shown
    assert scripts == 0  # the section named <script> did not become one
    assert HOSTILE_SECTION + " (IV)" in shown and any(HOSTILE_SECTION in cell for cell in section_cells)
