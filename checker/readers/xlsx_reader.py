"""XLSX: the sheet named `indicators` or `指标`, else the first; cached values of formulas."""
from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from checker.readers import NotASheet, RawSheet, rows_from_table

PREFERRED_SHEETS = ("indicators", "指标")


def read(path: Path, display: str) -> RawSheet:
    if not zipfile.is_zipfile(path):
        raise NotASheet(f"{display}：不是有效的 XLSX 文件", f"{display}: not a valid XLSX file")
    try:
        # data_only: a formula cell gives the value Excel cached, never the formula text.
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken workbooks
        raise NotASheet(f"{display}：无法打开工作簿：{exc}", f"{display}: cannot open the workbook: {exc}") from None
    try:
        names = book.sheetnames
        chosen = next((n for n in names if n.strip().lower() in PREFERRED_SHEETS), names[0] if names else None)
        if chosen is None:
            raise NotASheet(f"{display}：工作簿中没有工作表", f"{display}: the workbook has no sheets")
        table = [list(row) for row in book[chosen].iter_rows(values_only=True)]
    finally:
        book.close()
    width = max((len(r) for r in table), default=0)
    labels = [get_column_letter(i + 1) for i in range(width)]
    return rows_from_table(table, display, chosen, labels)
