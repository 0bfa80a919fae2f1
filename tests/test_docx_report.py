"""`--format docx`: the 考核 report in Word, read back with python-docx — its tables, repeated
header rows, Chinese fonts, landscape pages, the plan's words, and the same bytes each run."""

from __future__ import annotations

import docx
from click.testing import CliRunner
from docx.oxml.ns import qn

from checker.cli import main
from conftest import ROOT


def _report(tmp_path, *extra) -> docx.document.Document:
    out = tmp_path / "r.docx"
    result = CliRunner().invoke(main, ["check", str(ROOT / "inputs"), "--format", "docx", "--output", str(out), *extra])
    assert result.exit_code == 1, result.output
    return docx.Document(out)


def _rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_the_word_report_holds_the_summary_the_unit_view_and_every_finding(tmp_path):
    document = _report(tmp_path)
    summary = _rows(document.tables[0])
    assert summary[0][:4] == ["地区", "年度", "总体结论", "等级"]
    assert any(row[0] == "黑龙江省佳木斯市" and row[1] == "2018" for row in summary[1:])
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "按责任单位：未完成目标（问责）" in headings and "评分方案说明" in headings
    finding_rows = [row for table in document.tables[1:] for row in _rows(table)[1:]]
    # The plan's words stand beside each finding: the Jiamusi plan's 55 % target quoted.
    assert any("55%" in row[-1] and "《" in row[-1] for row in finding_rows)
    assert any(row[0] == "未通过" for row in finding_rows)


def test_tables_repeat_their_header_rows_and_never_split_a_row(tmp_path):
    document = _report(tmp_path)
    for table in document.tables:
        first = table.rows[0]._tr.trPr
        assert first.find(qn("w:tblHeader")) is not None
        assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)


def test_pages_are_landscape_and_chinese_text_has_a_chinese_font(tmp_path):
    document = _report(tmp_path)
    section = document.sections[0]
    assert section.page_width > section.page_height
    fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "宋体"
    assert document.styles["Heading 1"].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "黑体"


def test_english_beside_it(tmp_path):
    document = _report(tmp_path, "--lang", "en")
    assert _rows(document.tables[0])[0][:3] == ["jurisdiction", "year", "overall"]


def test_same_inputs_same_bytes(tmp_path):
    runner = CliRunner()
    outs = []
    for name in ("a.docx", "b.docx"):
        out = tmp_path / name
        runner.invoke(main, ["check", str(ROOT / "inputs"), "--format", "docx", "--output", str(out), "--as-of", "2020-12-31"])
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
