"""XLSX: the sheet named `indicators` or `指标`, else the first; cached values of formulas.

Hand-made workbooks arrive with merged cells (one 地区 for a block of rows) and formulas;
some were written by programs that never computed them. Merged ranges take their
top-left value on every row; a formula with no saved value is a located problem, never
a silent blank. A zip that would inflate past the limit is refused before it is opened.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from checker.readers import NotASheet, RawSheet, UncomputedFormula, rows_from_table

PREFERRED_SHEETS = ("indicators", "指标")
# Bigger workbooks are read in openpyxl's streaming mode, which knows no merged cells.
FULL_LOAD_BYTES = 5 * 1024 * 1024


def _check_zip(path: Path, display: str, max_unzipped_bytes: int) -> None:
    if not zipfile.is_zipfile(path):
        raise NotASheet(f"{display}：不是有效的 XLSX 文件（不是 zip 格式）", f"{display}: not a valid XLSX file (not a zip archive)")
    try:
        with zipfile.ZipFile(path) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise NotASheet(f"{display}：XLSX 文件已损坏：{exc}", f"{display}: the XLSX file is damaged: {exc}") from None
    if inflated > max_unzipped_bytes:
        raise NotASheet(f"{display}：解压后 {inflated} 字节，超过上限 {max_unzipped_bytes} 字节（疑似压缩炸弹），未读取",
                        f"{display}: inflates to {inflated} bytes, over the limit of {max_unzipped_bytes} "
                        f"(a zip bomb?); not read")


def _open(path: Path, display: str, **options):
    try:
        return load_workbook(path, **options)
    except Exception as exc:  # openpyxl raises many types for broken workbooks
        raise NotASheet(f"{display}：无法打开工作簿：{type(exc).__name__}: {exc}",
                        f"{display}: cannot open the workbook: {type(exc).__name__}: {exc}") from None


def _choose(names: list[str], display: str) -> str:
    chosen = next((n for n in names if n.strip().lower() in PREFERRED_SHEETS), names[0] if names else None)
    if chosen is None:
        raise NotASheet(f"{display}：工作簿中没有工作表", f"{display}: the workbook has no sheets")
    return chosen


def read(path: Path, display: str, max_unzipped_bytes: int = 500 * 1024 * 1024) -> RawSheet:
    _check_zip(path, display, max_unzipped_bytes)
    if path.stat().st_size > FULL_LOAD_BYTES:
        book = _open(path, display, read_only=True, data_only=True)
        try:
            chosen = _choose(book.sheetnames, display)
            table = [list(row) for row in book[chosen].iter_rows(values_only=True)]
        finally:
            book.close()
        return _sheet(table, display, chosen)
    # data_only: a formula cell gives the value Excel cached, never the formula text.
    values = _open(path, display, data_only=True)
    chosen = _choose(values.sheetnames, display)
    sheet = values[chosen]
    table = [list(row) for row in sheet.iter_rows(values_only=True)]
    for merged in sheet.merged_cells.ranges:
        top_left = table[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= len(table) else None
        for r in range(merged.min_row, min(merged.max_row, len(table)) + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                if c - 1 < len(table[r - 1]):
                    table[r - 1][c - 1] = top_left
    blanks = {(r, c) for r, row in enumerate(table) for c, v in enumerate(row) if v is None}
    if blanks:
        formulas = _open(path, display, data_only=False)[chosen]
        for r, row in enumerate(formulas.iter_rows(values_only=True)):
            for c, v in enumerate(row):
                if (r, c) in blanks and isinstance(v, str) and v.startswith("="):
                    table[r][c] = UncomputedFormula(v)
    return _sheet(table, display, chosen)


def _sheet(table: list[list], display: str, chosen: str) -> RawSheet:
    width = max((len(r) for r in table), default=0)
    labels = [get_column_letter(i + 1) for i in range(width)]
    return rows_from_table(table, display, chosen, labels)
