""".xlsx read by python-calamine (Rust) where that gives exactly what our own reader gives.

checker.readers.xlsx_reader streams the sheet XML through expat, one Python call per element:
about 8 ms a county workbook, against calamine's 0.7. It stays the reader of record. This
path is taken only when a bytes search of the workbook's parts finds nothing calamine would
read differently, and every doubt sends the file there:
- a formula with no value saved, which must become a located problem (a saved value is read
  as any other: calamine gives the value Excel saved, as ours does);
- a merged range: our reader fills only the rows that hold something;
- a cell styled as a date or a duration (styles.xml read as openpyxl reads it): openpyxl's and
  calamine's date detection and conversion differ at the edges;
- an error value, a `t="d"` date, an `_xHHHH_` escape, an empty string, a number written with a
  point or an exponent that is whole (5.0: ours gives a float there, an int for 5), a whole
  number of 16 digits or more (calamine keeps it as a float);
- a chartsheet or macro sheet, more cells than the budget, or anything calamine raises.
What is left (numbers, text, booleans) is the same value either way (tests/test_xlsx_fast.py
compares the two on every workbook of the fixtures and the corpus).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from xml.etree.ElementTree import fromstring

from openpyxl.utils import column_index_from_string, get_column_letter

from checker.readers import RawSheet, rows_from_table
from checker.readers.xlsx_reader import PREFERRED_SHEETS, cell_budget

_SHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml")
_DOUBT = re.compile(rb"<(?:\w+:)?mergeCell|t=\"[ed]\"|_x[0-9A-Fa-f]{4}_|<(?:\w+:)?[tv](?: [^>]*)?(?:/>|></)")
_POINTED = re.compile(rb"<(?:\w+:)?v>([^<]*[.eE][^<]*)<")
# The same, in a cell that names its place and holds nothing else before it.
_POINTED_CELL = re.compile(rb'<(?:\w+:)?c r="([A-Z]{1,3})(\d{1,7})"(?: [a-zA-Z]+="[^"]*")*>\s*<(?:\w+:)?v>([^<]*[.eE][^<]*)<')
# A formula whose cell ends without a saved value (our reader makes it a located problem), or
# with an inline string after it.
_UNCOMPUTED = re.compile(rb"(?:</(?:\w+:)?f>|<(?:\w+:)?f[^>]*/>)\s*(?:</(?:\w+:)?c>|<(?:\w+:)?is>)")
_LONG = re.compile(rb"<(?:\w+:)?v>-?\d{16,}<")
_STYLE = re.compile(rb'<(?:\w+:)?c [^>]*\bs="(\d+)"')
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_DATES = (dt.date, dt.time, dt.timedelta)  # dt.datetime is a dt.date


def _date_styles(styles: bytes) -> set[int]:
    """Cell styles whose number format is a date or a duration, by openpyxl's own tests."""
    from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format

    root = fromstring(styles)
    custom = {f.get("numFmtId"): f.get("formatCode") for f in root.iter(f"{_NS}numFmt")}
    found = set()
    for xfs in root.iter(f"{_NS}cellXfs"):
        for index, xf in enumerate(xfs.iter(f"{_NS}xf")):
            number = xf.get("numFmtId", "0")
            code = custom[number] if number in custom else builtin_format_code(int(number))
            if is_date_format(code) or is_timedelta_format(code):
                found.add(index)
    return found


def _plain(archive: zipfile.ZipFile) -> dict[str, set[tuple[int, int]]] | None:
    """For each sheet part, the cells (row, column from 0) holding a whole number written with a
    point or an exponent, which stay floats; None where a sheet holds what calamine reads otherwise."""
    names = archive.namelist()
    if any(("chartsheets/" in n or "macrosheets/" in n or "dialogsheets/" in n) for n in names):
        return None
    sheets = [n for n in names if _SHEET_PART.fullmatch(n)]
    styles = [n for n in names if n.endswith("styles.xml")]
    if not sheets or styles not in ([], ["xl/styles.xml"]):
        return None
    dated = _date_styles(archive.read(styles[0])) if styles else set()
    if "xl/sharedStrings.xml" in names and _DOUBT.search(archive.read("xl/sharedStrings.xml")):
        return None
    floats: dict[str, set[tuple[int, int]]] = {}
    for name in sheets:
        xml = archive.read(name)
        if _DOUBT.search(xml) or _LONG.search(xml) or _UNCOMPUTED.search(xml):
            return None
        if dated and any(int(s) in dated for s in set(_STYLE.findall(xml))):
            return None
        pointed = _POINTED.findall(xml)
        if not pointed:
            continue
        placed = _POINTED_CELL.findall(xml)
        if len(placed) != len(pointed):
            return None
        whole = floats[name] = set()
        for letters, row, raw in placed:
            try:
                if float(raw).is_integer():
                    whole.add((int(row) - 1, column_index_from_string(letters.decode()) - 1))
            except ValueError:
                return None
    return floats


def _sheet_part(archive: zipfile.ZipFile, chosen: str) -> str | None:
    """The part holding the sheet named `chosen`, from workbook.xml and its relationships."""
    book = fromstring(archive.read("xl/workbook.xml"))
    rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    rid = next((s.get(f"{_R}id") for s in book.iter(f"{_NS}sheet") if s.get("name") == chosen), None)
    target = next((r.get("Target") for r in rels if r.get("Id") == rid), None)
    if target is None:
        return None
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _cell(value: object) -> object:
    if value == "":
        return None
    if type(value) is float and value.is_integer():
        return int(value)  # what our reader gives a number written without a point
    return value


def _table(rows: list[list], floats: set[tuple[int, int]]) -> list | None:
    """Rows as our reader builds them (a blank is None, each row cut after its last value, a row
    with none empty); None if calamine gave a date, which this path leaves to our reader."""
    table: list = []
    for row in rows:
        cells = [_cell(c) for c in row]
        if any(isinstance(c, _DATES) for c in cells):
            return None
        while cells and cells[-1] is None:
            cells.pop()
        table.append(cells or ())
    for r, c in floats:
        if r < len(table) and c < len(table[r]) and type(table[r][c]) is int:
            table[r][c] = float(table[r][c])
    while table and not table[-1]:
        table.pop()
    return table


def read_plain(path: Path, display: str, max_unzipped_bytes: int) -> RawSheet | None:
    """The sheet as checker.readers.xlsx_reader would give it, or None where that reader must read it.
    The zip is already checked (size, zip bomb) by the caller."""
    from python_calamine import CalamineWorkbook

    try:
        with zipfile.ZipFile(path) as archive:
            floats = _plain(archive)
            if floats is None:
                return None
            book = CalamineWorkbook.from_path(str(path))
            names = list(book.sheet_names)
            if not names:
                return None
            chosen = next((n for n in names if n.strip().lower() in PREFERRED_SHEETS), names[0])
            part = _sheet_part(archive, chosen) if floats else None
            if floats and part is None:
                return None
        sheet = book.get_sheet_by_name(chosen)
        # From A1, as our reader counts what it builds: rows and columns before the data too.
        last_row, last_column = sheet.end or (0, 0)
        if (last_row + 1) * (last_column + 1) > cell_budget(max_unzipped_bytes):
            return None
        table = _table(sheet.to_python(skip_empty_area=False), floats.get(part, set()))
    except Exception:  # damaged in a way our reader names: it reads it and says so
        return None
    if not table:
        return None
    width = max(len(r) for r in table)
    return rows_from_table(table, display, chosen, [get_column_letter(i + 1) for i in range(width)], path=path)
