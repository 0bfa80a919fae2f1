"""Readers turn one file into raw rows: header-mapped cells with their location.

Which reader runs is chosen by the file's suffix, from one plain dict. A reader never
interprets values (that is checker.observations); it only finds the rows and cells.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from checker.models import Location, Problem, Text
from checker.rulesets import fold

# Contract §4: columns in English or Chinese.
COLUMNS: dict[str, tuple[str, ...]] = {
    "jurisdiction": ("jurisdiction", "地区", "行政区", "行政区域", "地区名称"),
    "year": ("year", "年度", "年份", "考核年度"),
    "indicator": ("indicator", "指标", "指标名称", "指标代码"),
    "value": ("value", "数值", "值", "完成值", "实际值"),
    "unit": ("unit", "单位"),
    "subject": ("subject", "对象", "断面", "任务编号", "断面名称"),
    "date": ("date", "日期", "完成日期", "采样日期"),
    "note": ("note", "备注", "佐证", "说明"),
}
REQUIRED = ("jurisdiction", "year", "indicator", "value")
_HEADER_NAMES = {fold(name): column for column, names in COLUMNS.items() for name in names}


class NotASheet(Exception):
    """The file cannot be read as a sheet at all; the whole file becomes one located error."""

    def __init__(self, zh: str, en: str, sheet: str | None = None, row: int | None = None):
        super().__init__(en)
        self.text = Text(zh=zh, en=en)
        self.sheet, self.row = sheet, row


@dataclass(frozen=True)
class UncomputedFormula:
    """A cell holding a formula whose value was never saved (a program wrote the file, Excel never
    computed it): the row's observation turns it into a located problem, never a silent blank."""
    formula: str

    def __str__(self) -> str:
        return self.formula


@dataclass(frozen=True)
class RawRow:
    cells: dict[str, object]           # canonical column -> raw cell value
    location: Location                  # file, sheet, row (column filled in per problem)
    columns: dict[str, str]             # canonical column -> the sheet's column label


@dataclass
class RawSheet:
    file: str
    rows: list[RawRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def map_header(header: list[object], file: str, sheet: str | None, row: int) -> dict[int, str]:
    """Column index -> canonical column; raise NotASheet when a required column is absent."""
    mapping: dict[int, str] = {}
    for index, name in enumerate(header):
        if name is None:
            continue
        column = _HEADER_NAMES.get(fold(str(name)))
        if column and column not in mapping.values():
            mapping[index] = column
    absent = [c for c in REQUIRED if c not in mapping.values()]
    if absent:
        zh_names = "、".join(COLUMNS[c][1] for c in absent)
        where = f"{file}" + (f", sheet {sheet}" if sheet else "") + f", row {row}"
        raise NotASheet(f"{where}：表头缺少必填列 {zh_names}（{', '.join(absent)}）",
                        f"{where}: the header lacks the required column(s) {', '.join(absent)}", sheet, row)
    return mapping


HEADER_SEARCH_ROWS = 20  # title lines above the header ("佳木斯市2018年度指标") are skipped


def rows_from_table(table: list[list[object]], file: str, sheet: str | None,
                    labels: list[str] | None = None, first_row: int = 1) -> RawSheet:
    """Shared by the CSV and XLSX readers: the header is the first row, among the first
    non-blank ones, that names the required columns."""
    out = RawSheet(file)
    filled = [i for i, r in enumerate(table) if any(_filled(c) for c in r)]
    if not filled:
        raise NotASheet(f"{file}：文件中没有任何数据行", f"{file}: the file holds no rows")
    header_at, mapping = None, None
    for index in filled[:HEADER_SEARCH_ROWS]:
        try:
            mapping = map_header(table[index], file, sheet, index + first_row)
            header_at = index
            break
        except NotASheet:
            continue
    if mapping is None:
        map_header(table[filled[0]], file, sheet, filled[0] + first_row)  # raises, naming the first row
    header = table[header_at]
    # A column is named as the officer sees it: its letter (XLSX) and its header text.
    columns = {col: (f"{labels[i]} ({str(header[i]).strip()})" if labels and i < len(labels)
                     else str(header[i]).strip()) for i, col in mapping.items()}
    for offset, raw in enumerate(table[header_at + 1:], start=header_at + 1):
        if not any(_filled(c) for c in raw):
            continue  # blank rows are layout, not data
        cells = {col: (raw[i] if i < len(raw) else None) for i, col in mapping.items()}
        out.rows.append(RawRow(cells, Location(file=file, sheet=sheet, row=offset + first_row), columns))
    if not out.rows:
        raise NotASheet(f"{file}" + (f"，工作表 {sheet}" if sheet else "") + "：只有表头，没有数据行",
                        f"{file}" + (f", sheet {sheet}" if sheet else "") + ": a header and no data rows")
    return out


def _filled(cell: object) -> bool:
    return cell is not None and str(cell).strip() != ""


# Suffix -> (module, function) of its reader. A reader's module is imported when a file of its
# kind is first read: openpyxl (with the numpy and pandas it pulls in) costs a CSV-only run
# most of a second.
READERS: dict[str, tuple[str, str]] = {
    ".csv": ("checker.readers.csv_reader", "read"),
    ".xlsx": ("checker.readers.xlsx_reader", "read"),
    ".xlsm": ("checker.readers.xlsx_reader", "read"),
    ".json": ("checker.readers.structured", "read_json"),
    ".yaml": ("checker.readers.structured", "read_yaml"),
    ".yml": ("checker.readers.structured", "read_yaml"),
}
SUFFIXES = tuple(READERS)


def _reader(suffix: str) -> Callable[..., RawSheet] | None:
    if suffix not in READERS:
        return None
    module, function = READERS[suffix]
    return getattr(importlib.import_module(module), function)


def read_sheet(path: Path, display: str, max_unzipped_bytes: int = 500 * 1024 * 1024) -> RawSheet:
    """Read one file; a file that is no sheet raises NotASheet with a located message."""
    reader = _reader(path.suffix.lower())
    if reader is None:
        raise NotASheet(f"{display}：不支持的文件类型", f"{display}: not a supported sheet type")
    if path.stat().st_size == 0:
        raise NotASheet(f"{display}：空文件", f"{display}: the file is empty")
    return reader(path, display, max_unzipped_bytes)
