""".xlsx through python-calamine (checker/readers/xlsx_fast.py) gives what the streamed reader gives,
or declines the file: on every workbook of the fixtures and the corpus, on the benchmark's, on
hand-written XML (rich text, phonetic runs, shared strings) and on random workbooks."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from benchmarks.batch import _XLSX_PARTS, _xlsx
from checker.readers import NotASheet
from checker.readers.xlsx_fast import read_plain
from checker.readers.xlsx_reader import read, read_streamed

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 500 * 1024 * 1024
HEADER = ["地区", "年度", "指标", "数值", "单位", "对象", "日期", "备注"]


def _outcome(reader, path: Path, limit: int = LIMIT):
    """What a reader gives, compared by type as well as value (5 and 5.0 are different cells)."""
    try:
        sheet = reader(path, path.name, limit)
    except NotASheet as exc:
        return ("refused", exc.text, exc.sheet, exc.row, exc.column)
    return repr([(r.cells, r.location, r.columns) for r in sheet.rows]), repr(sheet.problems)


WORKBOOKS = sorted(p for p in ROOT.glob("**/*.xlsx") if ".work" not in p.parts and ".git" not in p.parts)


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: p.name)
def test_every_workbook_of_the_fixtures_and_corpus_reads_as_the_streamed_reader_reads_it(path):
    assert _outcome(read, path) == _outcome(read_streamed, path)


def test_the_corpus_bound_still_refuses_under_a_small_limit():
    path = ROOT / "tests" / "corpus" / "files" / "44-content-past-the-bound.xlsx"
    limit = 10 * 1024 * 1024
    assert read_plain(path, path.name, limit) is None
    assert _outcome(read, path, limit)[0] == "refused"


def test_a_plain_workbook_takes_the_calamine_path_with_the_same_rows(tmp_path):
    rows = [HEADER, ["合成县", "2018", "water.share", "100.0", "%", "", "", ""], ["合成县", "2018", "water.count", "7", "", "", "", "x"]]
    path = tmp_path / "plain.xlsx"
    path.write_bytes(_xlsx(rows))
    plain = read_plain(path, path.name, LIMIT)
    assert plain is not None
    cells = [r.cells["value"] for r in plain.rows]
    assert cells == [100.0, 7] and [type(c) for c in cells] == [float, int]
    assert _outcome(read, path) == _outcome(read_streamed, path)


def _book(sheet_xml: str, shared: str | None = None) -> bytes:
    parts = dict(_XLSX_PARTS)
    parts["xl/worksheets/sheet1.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{sheet_xml}</sheetData></worksheet>"
    )
    if shared is not None:
        parts["xl/sharedStrings.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{shared}</sst>'
        )
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            "</Types>",
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
        parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
            "</Relationships>",
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>',
        )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for name, xml in parts.items():
            book.writestr(name, xml.encode("utf-8"))
    return out.getvalue()


HEAD = "".join(f'<c r="{c}1" t="inlineStr"><is><t>{h}</t></is></c>' for c, h in zip("ABCDEFGH", HEADER, strict=True))


@pytest.mark.parametrize(
    "cells, shared",
    [
        # rich text runs and a phonetic guide, inline and shared
        (
            '<c r="A2" t="inlineStr"><is><r><t>合成</t></r><r><t xml:space="preserve"> 县 </t></r><rPh sb="0" eb="1"><t>he</t></rPh></is></c>',
            None,
        ),
        (
            '<c r="A2" t="s"><v>0</v></c><c r="F2" t="s"><v>1</v></c>',
            '<si><r><t>合成</t></r><r><t>县</t></r></si><si><t xml:space="preserve"> 断面\n一 </t><rPh sb="0" eb="1"><t>x</t></rPh></si>',
        ),
        ('<c r="A2" t="inlineStr"><is><t>县</t></is></c><c r="D2" t="b"><v>1</v></c><c r="E2" t="str"><v>mg/L</v></c>', None),
        ('<c r="A2" t="inlineStr"><is><t>县</t></is></c><c r="D2"><v>1.50E2</v></c><c r="G2"><v>-0</v></c>', None),
        ('<c r="A2" t="inlineStr"><is><t>县</t></is></c><c r="D2"><v>12345678901234567890</v></c>', None),
        ('<c r="A2" t="inlineStr"><is><t></t></is></c><c r="D2" t="e"><v>#N/A</v></c>', None),
        ('<c r="A2" t="inlineStr"><is><t>a_x000D_b</t></is></c><c r="D2"><f>1+1</f><v>2</v></c>', None),
        # formulas with their saved values (read by calamine), and without (left to our reader)
        ('<c r="A2" t="str"><f>"县"</f><v>县</v></c><c r="D2"><f>1+1</f><v>2</v></c><c r="E2" t="b"><f>TRUE</f><v>1</v></c>', None),
        ('<c r="A2" t="inlineStr"><is><t>县</t></is></c><c r="D2"><f t="shared" ref="D2:D3" si="0">B2*2</f><v>4036</v></c>', None),
        ('<c r="A2" t="inlineStr"><is><t>县</t></is></c><c r="D2"><f>1+1</f></c><c r="E2"><f t="shared" si="0"/></c>', None),
        ('<c r="A2" t="inlineStr"><is><t>县</t></is></c><c r="D2"><f>1+1</f><v></v></c>', None),
    ],
)
def test_hand_written_xml_reads_as_the_streamed_reader_reads_it(tmp_path, cells, shared):
    path = tmp_path / "hand.xlsx"
    path.write_bytes(
        _book(
            f'<row r="1">{HEAD}</row><row r="2">{cells}<c r="B2"><v>2018</v></c><c r="C2" t="inlineStr"><is><t>x.y</t></is></c></row>',
            shared,
        )
    )
    assert _outcome(read, path) == _outcome(read_streamed, path)


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from(" \n\t\r"), max_size=8)
_CELL = st.one_of(
    st.none(),
    st.integers(-(10**17), 10**17),
    st.floats(allow_nan=False, allow_infinity=False),
    st.floats(-1e6, 1e6).map(lambda v: float(round(v))),
    _TEXT,
    st.booleans(),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.lists(_CELL, min_size=1, max_size=9), min_size=1, max_size=6),
    # Mostly nothing the calamine path declines, so that it is the path taken; else one such thing.
    extra=st.sampled_from([None, None, None, "merge", "formula", "date"]),
    date=st.dates(dt.date(1900, 3, 1), dt.date(2100, 1, 1)),
)
def test_random_workbooks_read_as_the_streamed_reader_reads_them(tmp_path, rows, extra, date):
    wb = Workbook()
    sheet = wb.active
    sheet.title = "指标"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    if extra == "merge":
        sheet.merge_cells("A2:A3")
    elif extra == "formula":
        sheet["H2"] = "=D2*2"
    elif extra == "date":
        sheet["G2"] = date
    path = tmp_path / "random.xlsx"
    wb.save(path)
    assert _outcome(read, path) == _outcome(read_streamed, path)
