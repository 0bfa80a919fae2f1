"""Excel 97-2003 (.xls), binary (.xlsb), OpenDocument (.ods) and WPS (.et) workbooks, read
with python-calamine (Rust's calamine): the sheet named `indicators` or `指标`, else the first.

Counties save what their office suite saves: WPS writes .et, LibreOffice .ods, old Excel .xls.
The .xlsx reader (checker.readers.xlsx_reader) stays for .xlsx and .xlsm, because it finds
what calamine does not tell apart: a formula whose value was never computed is a located
problem there, where calamine gives an empty cell. Here, as there, merged ranges take their
top-left value on every row, dates are dates, and cells are located by row and column letter.

A WPS .et is opened by its content, not its name: WPS writes it in the same compound-file
form as .xls, which calamine reads.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from checker.readers import NotASheet, RawSheet, rows_from_table
from checker.readers.xlsx_reader import PREFERRED_SHEETS, cell_budget, refuse_zip_bomb

# What each suffix is called in messages.
KIND_NAMES = {
    ".xls": "Excel 97-2003 工作簿 (.xls)",
    ".xlsb": "Excel 二进制工作簿 (.xlsb)",
    ".ods": "OpenDocument 表格 (.ods)",
    ".et": "WPS 表格 (.et)",
}


def _letters(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def _check_size(path: Path, display: str, max_unzipped_bytes: int) -> None:
    """An .ods is a zip: refused before it is opened when it would inflate past the limit."""
    if zipfile.is_zipfile(path):
        refuse_zip_bomb(path, display, max_unzipped_bytes)


_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_T = f"{{{_TABLE}}}"


def _ods_merges(path: Path, sheet: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Merged ranges of one sheet of an .ods, which calamine does not give: each cell that spans
    rows or columns (table:number-rows-spanned / -columns-spanned), by its absolute position."""
    from xml.etree.ElementTree import iterparse

    merges = []
    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as content:
        inside, row = False, -1
        column = 0
        for event, element in iterparse(content, events=("start", "end")):
            tag = element.tag
            if tag == f"{_T}table":
                if event == "start":
                    inside = element.get(f"{_T}name") == sheet
                    row = -1
                elif inside:
                    break
                continue
            if not inside:
                continue
            if tag == f"{_T}table-row" and event == "start":
                row += 1
                column = 0
            elif tag == f"{_T}table-row" and event == "end":
                row += int(element.get(f"{_T}number-rows-repeated", "1")) - 1
                element.clear()
            elif tag in (f"{_T}table-cell", f"{_T}covered-table-cell") and event == "start":
                rows = int(element.get(f"{_T}number-rows-spanned", "1"))
                cols = int(element.get(f"{_T}number-columns-spanned", "1"))
                if tag == f"{_T}table-cell" and (rows > 1 or cols > 1):
                    merges.append(((row, column), (row + rows - 1, column + cols - 1)))
                column += int(element.get(f"{_T}number-columns-repeated", "1"))
    return merges


def _value(cell: object) -> object:
    """A cell as the .xlsx reader gives it: a blank is None, not an empty string."""
    return None if cell == "" else cell


def read(path: Path, display: str, max_unzipped_bytes: int = 500 * 1024 * 1024) -> RawSheet:
    from python_calamine import CalamineWorkbook

    _check_size(path, display, max_unzipped_bytes)
    kind = KIND_NAMES.get(path.suffix.lower(), path.suffix)
    try:
        with open(path, "rb") as handle:
            book = CalamineWorkbook.from_filelike(handle)
            names = list(book.sheet_names)
            if not names:
                raise NotASheet(f"{display}：工作簿中没有工作表", f"{display}: the workbook has no sheets")
            chosen = next((n for n in names if n.strip().lower() in PREFERRED_SHEETS), names[0])
            sheet = book.get_sheet_by_name(chosen)
            if sheet.height * max(sheet.width, 1) > cell_budget(max_unzipped_bytes):
                raise NotASheet(
                    f"{display}，工作表 {chosen}：工作表内容超过 {cell_budget(max_unzipped_bytes)} 个单元格，未读取",
                    f"{display}, sheet {chosen}: the sheet holds more than {cell_budget(max_unzipped_bytes)} cells; not read",
                    chosen,
                )
            # Absolute positions (rows and columns before the first filled cell kept), so that
            # row numbers and column letters are the ones the officer sees.
            table = [[_value(c) for c in row] for row in sheet.to_python(skip_empty_area=False)]
            merged = sheet.merged_cell_ranges
            if merged is None and zipfile.is_zipfile(path):
                merged = _ods_merges(path, chosen)
    except NotASheet:
        raise
    except Exception as exc:  # calamine's errors: encrypted, damaged, not a workbook at all
        raise NotASheet(
            f"{display}：无法作为{kind}读取：{exc}；如设有密码请取消后另存",
            f"{display}: cannot be read as {kind}: {exc}; if it has a password, remove it and save again",
        ) from None
    for (top, left), (bottom, right) in merged or []:
        value = table[top][left] if top < len(table) and left < len(table[top]) else None
        for r in range(top, min(bottom, len(table) - 1) + 1):
            row = table[r]
            for c in range(left, right + 1):
                if c < len(row):
                    row[c] = value
    width = max((len(r) for r in table), default=0)
    labels = [_letters(i) for i in range(width)]
    return rows_from_table(table, display, chosen, labels, path=path)
