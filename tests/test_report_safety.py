"""What reports do with hostile text and hostile output paths: control characters, terminal
escapes, Markdown links, negative zero, devices, FIFOs, symbolic links, file modes, size."""

import json
import os
import re
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from html.parser import HTMLParser

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from checker.cli import main
from checker.reports import EXTENSIONS, RENDERERS, render
from conftest import ROOT, write_csv

# C0 controls XML and openpyxl refuse, ESC sequences (colour, window title, clear screen), DEL, C1 (CSI).
CONTROLS = "vt\x0b|soh\x01|esc\x1b[31m|osc\x1b]0;owned\x07|cls\x1b[2J|del\x7f|csi\x9b31m"  # a NUL makes a CSV binary
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
LINKS = "[点击](javascript:alert(1)) ![x](http://evil.example/x.png) <img src=x> https://evil.example www.evil.example a@evil.example **b** `c` ~d~"


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def hostile_sheets(folder):
    """A CSV and a JSON sheet with control characters in notes, subjects and values."""
    write_csv(
        folder / "a.csv",
        [
            ("jiamusi", "2018", "livestock.waste_facility_rate", "72", "%", "", "", CONTROLS),
            ("jiamusi", "2018", "surface_water.section_class", "III", "", "断面" + CONTROLS, "", CONTROLS),
            ("jiamusi", "2018", "water_use.total", "4\x0b7" + CONTROLS),
        ],
    )
    (folder / "b.json").write_text(
        json.dumps(
            [
                {
                    "jurisdiction": "jiamusi",
                    "year": 2018,
                    "indicator": "task.status",
                    "value": "已完成",
                    "subject": "8类行业排污许可证核发",
                    "date": "2018-06-30",
                    "note": CONTROLS,
                }
            ]
        ),
        encoding="utf-8",
    )
    return folder


def hostile_report(run, extra: str = CONTROLS + "|nul\x00|surrogate\ud800"):
    """The bundled Jiamusi report with hostile text in every field a sheet or a ruleset fills."""
    report = run(ROOT / "inputs" / "jiamusi")
    sub = report.submissions[0]
    f = sub.findings[0]
    bad = f.model_copy(
        update={
            "rule_id": f.rule_id + extra,
            "subject": extra,
            "note": extra,
            "unit": "%" + extra,
            "title": f.title.model_copy(update={"zh": extra, "en": extra}),
            "message": f.message.model_copy(update={"zh": extra, "en": extra}),
            "lead_units": [extra],
            "source": f.source.model_copy(update={"quote": extra, "clause": extra}),
            "status": "fail",
        }
    )
    return report.model_copy(update={"submissions": [sub.model_copy(update={"findings": [bad, *sub.findings[1:]]})]})


class _Strict(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


def assert_all_six_parse(folder):
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"findings.{EXTENSIONS[f]}" for f in RENDERERS)
    openpyxl.load_workbook(folder / "findings.xlsx")
    docx_text = "".join(cell.text for table in docx.Document(folder / "findings.docx").tables for row in table.rows for cell in row.cells)
    assert not FORBIDDEN.findall(docx_text), "findings.docx"
    ET.parse(folder / "findings.junit.xml")
    json.loads((folder / "findings.json").read_text(encoding="utf-8"))
    page = (folder / "findings.html").read_text(encoding="utf-8")
    for name in ("findings.txt", "findings.md", "findings.html", "findings.junit.xml"):
        text = (folder / name).read_text(encoding="utf-8")
        assert not FORBIDDEN.findall(text), name
    # The page is HTML; the SVG charts inside it claim to be XML, so they must parse as XML.
    for svg in re.findall(r"<svg.*?</svg>", page, re.S):
        ET.fromstring(svg.replace('role="img"', 'xmlns="http://www.w3.org/2000/svg" role="img"', 1))
    parser = _Strict()
    parser.feed(page)
    assert "script" not in parser.tags and "img" not in parser.tags


def test_control_characters_in_sheets_leave_every_report_written_and_parsing(tmp_path):
    sheets = hostile_sheets(tmp_path / "in")
    out = tmp_path / "out"
    result = invoke("check", sheets, "--output", f"{out}/")
    assert result.exit_code == 2, result.output  # the bad value is a located error; the rest is checked
    assert_all_six_parse(out)
    wb = openpyxl.load_workbook(out / "findings.xlsx")
    cells = [c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any("esc␛[31m" in c for c in cells)  # visibly replaced, not silently dropped


def test_control_characters_in_a_rule_id_and_every_text_field(run, tmp_path):
    report = hostile_report(run)
    for fmt in RENDERERS:
        (tmp_path / f"findings.{EXTENSIONS[fmt]}").write_bytes(render(report, fmt, "zh"))
    assert_all_six_parse(tmp_path)


def test_lone_surrogates_from_a_json_sheet_leave_every_report_written(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "s.json").write_text(
        '[{"jurisdiction": "jiamusi", "year": 2018, "indicator": "task.status", '
        '"value": "已完成", "subject": "8类行业排污许可证核发", "date": "2018-06-30", '
        '"note": "half \\ud800 a pair"}]',
        encoding="utf-8",
    )
    result = invoke("check", tmp_path / "in", "--output", f"{tmp_path / 'out'}/")
    assert result.exit_code == 1, result.output
    assert_all_six_parse(tmp_path / "out")


def test_text_report_and_terminal_show_no_escape_sequences(tmp_path):
    output = invoke("check", hostile_sheets(tmp_path)).output
    assert not FORBIDDEN.findall(output)
    # The bad value, quoted in its located error, shown visibly.
    assert "“4␋7vt␋|soh␁|esc␛[31m|osc␛]0;owned␇|cls␛[2J|del␡|csi�31m”不是单个数值" in output


def test_markdown_keeps_no_link_image_or_html_from_submitted_text(run):
    md = render(hostile_report(run, LINKS), "md", "zh").decode("utf-8")
    lines = [line for line in md.splitlines() if "evil" in line]
    assert lines
    for line in lines:
        assert not re.search(r"(?<!\\)[\[\]`*~]", line), line  # every bracket, backtick, star, tilde escaped
        assert "<img" not in line and "https://" not in line and "www.evil" not in line and "a@evil" not in line
    # Readable: taking the escapes away gives back what was typed (less < >, which are entities).
    unescaped = re.sub(r"\\(.)", r"\1", lines[0]).replace("&lt;", "<").replace("&gt;", ">")
    assert LINKS in unescaped


def test_markdown_leaves_words_with_underscores_as_they_are(run):
    md = render(run(ROOT / "inputs" / "jiamusi"), "md", "en").decode("utf-8")
    assert "`surface_water.good_section_share`" in md and "\\_" not in md


def test_negative_zero_is_never_printed(tmp_path):
    sheet = write_csv(tmp_path / "in" / "z.csv", [("jiamusi", 2018, "livestock.waste_facility_rate", "-0", "%")])
    out = tmp_path / "out"
    invoke("check", sheet.parent, "--output", f"{out}/")
    minus_zero = re.compile(r"(?<![\w.])-0(?:\.0+)?(?![\d.])")
    for name in ("findings.txt", "findings.md", "findings.html", "findings.junit.xml", "findings.json"):
        assert not minus_zero.findall((out / name).read_text(encoding="utf-8")), name
    wb = openpyxl.load_workbook(out / "findings.xlsx")
    # A whole number is stored as one ("0", read back as an int): every number counts, and so does the stored text.
    numbers = [c.value for ws in wb for row in ws.iter_rows() for c in row if type(c.value) in (int, float)]
    assert 0 in numbers and not [n for n in numbers if n == 0 and str(n).startswith("-")]
    with zipfile.ZipFile(out / "findings.xlsx") as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not [s for s in sheets if re.search(rb"<v>-0(?:\.0*)?(?:E[+-]?\d+)?</v>", s)]


def test_negative_zero_gap_and_target_from_a_report_print_as_zero(run):
    report = run(ROOT / "inputs" / "jiamusi")
    sub = report.submissions[0]
    f = next(f for f in sub.findings if f.target.op and isinstance(f.observed, float))
    zero = f.model_copy(update={"observed": -0.0, "gap": -0.0, "target": f.target.model_copy(update={"value": -0.0})})
    report = report.model_copy(update={"submissions": [sub.model_copy(update={"findings": [zero]})]})
    for fmt in ("text", "md", "html", "junit"):
        assert not re.search(r"(?<![\w.])-0(?![\d.])", render(report, fmt, "zh").decode("utf-8")), fmt


# ---------------------------------------------------------------- where reports are written


def test_a_fifo_is_refused_before_anything_is_written(tmp_path):
    fifo = tmp_path / "out.json"
    os.mkfifo(fifo)
    result = invoke("check", ROOT / "inputs" / "jiamusi", "--format", "json", "--output", fifo)
    assert result.exit_code == 2 and "not a regular file" in result.output and "命名管道" in result.output
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    # In a folder of outputs too, and then no report at all is written.
    folder = tmp_path / "reports"
    folder.mkdir()
    os.mkfifo(folder / "findings.md")
    (folder / "findings.junit.xml").mkdir()
    result = invoke("check", ROOT / "inputs" / "jiamusi", "--output", f"{folder}/")
    assert result.exit_code == 2 and "not a regular file" in result.output
    assert sorted(p.name for p in folder.iterdir()) == ["findings.junit.xml", "findings.md"]
    assert stat.S_ISFIFO(os.lstat(folder / "findings.md").st_mode)


def test_a_template_onto_a_fifo_is_refused_in_one_line(tmp_path):
    fifo = tmp_path / "t.xlsx"
    os.mkfifo(fifo)
    result = CliRunner().invoke(main, ["template", "jiamusi", "2018", "-o", str(fifo)])
    assert result.exit_code == 2 and "not a regular file" in result.output and "Traceback" not in result.output
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_dev_null_is_refused_and_stays_a_device(tmp_path):
    # Only once the same refusal is shown on a FIFO of our own: a regression must never reach the real device.
    fifo = tmp_path / "guard"
    os.mkfifo(fifo)
    assert invoke("check", ROOT / "inputs" / "jiamusi", "--output", fifo).exit_code == 2
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    result = invoke("check", ROOT / "inputs" / "jiamusi", "--output", "/dev/null")
    assert result.exit_code == 2 and "character device" in result.output
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_symbolic_link_is_written_through_and_stays_a_link(tmp_path):
    real = tmp_path / "store" / "real.json"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert invoke("check", ROOT / "inputs" / "jiamusi", "--format", "json", "--output", link).exit_code == 1
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert json.loads(real.read_text(encoding="utf-8"))["submissions"]
    assert sorted(p.name for p in real.parent.iterdir()) == ["real.json"]  # the temporary file was beside the target
    # In a folder of outputs as well.
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "findings.md").symlink_to(tmp_path / "store" / "report.md")
    invoke("check", ROOT / "inputs" / "jiamusi", "--output", f"{folder}/")
    assert (folder / "findings.md").is_symlink() and (tmp_path / "store" / "report.md").read_text(encoding="utf-8").startswith("#")


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_reports_and_templates_get_the_mode_the_umask_gives(tmp_path, umask):
    old = os.umask(umask)
    try:
        invoke("check", ROOT / "inputs" / "jiamusi", "--format", "json", "--output", tmp_path / "one.json")
        invoke("check", ROOT / "inputs" / "jiamusi", "--output", f"{tmp_path / 'all'}/")
        invoke("template", "jiamusi", "2018", "-o", tmp_path / "t.xlsx")
        invoke("template", "jiamusi", "2018", "-o", tmp_path / "t.csv")
    finally:
        os.umask(old)
    written = [tmp_path / "one.json", tmp_path / "t.xlsx", tmp_path / "t.csv", *(tmp_path / "all").iterdir()]
    assert len(written) == 3 + len(RENDERERS)
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in written} == {p.name: 0o666 & ~umask for p in written}


# ---------------------------------------------------------------- size

SCALE = """
import sys
from pathlib import Path
from checker.pipeline import run_check
from checker.reports import render
from checker.rulesets import load_rulebook
report = run_check([Path("inputs")], load_rulebook(Path("rulesets")))
n = int(sys.argv[1])
subs = [s.model_copy(update={"jurisdiction": f"county-{i:04d}"}) for i in range(n // len(report.submissions) + 1)
        for s in report.submissions][:n]
data = render(report.model_copy(update={"submissions": subs}), "xlsx", "zh")
print(sum(len(s.findings) for s in subs), len(data))
"""


@pytest.mark.slow
def test_xlsx_of_800_submissions_is_written_in_a_minute(tmp_path):
    """It rescanned the sheet for every row: 200 counties took 212 s, 800 never finished."""
    done = subprocess.run([sys.executable, "-c", SCALE, "800"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    findings, size = map(int, done.stdout.split())
    assert findings > 25_000 and size > 1_000_000


def test_xlsx_rows_read_back_as_written(run, tmp_path):
    """Large or small, the workbook openpyxl reads back holds every finding, in order."""
    report = run(ROOT / "inputs")
    subs = [s.model_copy(update={"jurisdiction": f"county-{i}"}) for i in range(3) for s in report.submissions]
    big = report.model_copy(update={"submissions": subs})
    path = tmp_path / "r.xlsx"
    path.write_bytes(render(big, "xlsx", "en"))
    ws = openpyxl.load_workbook(path)["findings"]
    rule_ids = [row[2] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert rule_ids == [f.rule_id for s in subs for f in s.findings]
    assert ws.auto_filter.ref == f"A1:Z{len(rule_ids) + 1}"


def test_the_corpus_sheets_of_hostile_text_give_six_reports_that_parse(tmp_path):
    corpus = ROOT / "tests" / "corpus" / "files"
    for name in ("60-control-chars-in-note.csv", "61-control-chars.json", "62-escape-in-value.csv", "63-markdown-link-in-note.csv"):
        out = tmp_path / name
        invoke("check", corpus / name, "--output", f"{out}/")
        assert_all_six_parse(out)
        md = (out / "findings.md").read_text(encoding="utf-8")
        assert "](javascript" not in md and "<img" not in md
