"""Readers turn one file into raw rows: header-mapped cells with their location.

Which reader runs is chosen by the file's suffix, from one plain dict. A reader never
interprets values (that is checker.observations); it only finds the rows and cells.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from checker.models import Location, Problem, Text
from checker.names import fold
from checker.values import strip_zero_width

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
HEADER_NAMES = {fold(name): column for column, names in COLUMNS.items() for name in names}


class NotASheet(Exception):
    """The file cannot be read as a sheet at all; the whole file becomes one located error."""

    def __init__(self, zh: str, en: str, sheet: str | None = None, row: int | None = None, column: str | None = None):
        super().__init__(en)
        self.text = Text(zh=zh, en=en)
        self.sheet, self.row, self.column = sheet, row, column


class DuplicateColumn(NotASheet):
    """The header row names one column twice: which of the two holds the data is anyone's guess."""


@dataclass(frozen=True)
class UncomputedFormula:
    """A cell holding a formula whose value was never saved (a program wrote the file, Excel never
    computed it): the row's observation turns it into a located problem, never a silent blank."""

    formula: str

    def __str__(self) -> str:
        return self.formula


@dataclass(frozen=True)
class RawRow:
    cells: dict[str, object]  # canonical column -> raw cell value
    location: Location  # file, sheet, row (column filled in per problem)
    columns: dict[str, str]  # canonical column -> the sheet's column label


@dataclass
class RawSheet:
    file: str
    rows: list[RawRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def header_name(name: object) -> str:
    """A header cell as compared: a BOM or zero-width character (a double BOM, a name pasted from
    a web page) is invisible to the officer, so it is dropped rather than failing the header."""
    return fold(strip_zero_width(str(name)))


def map_header(header: list[object], file: str, sheet: str | None, row: int, labels: list[str] | None = None) -> dict[int, str]:
    """Column index -> canonical column; raise NotASheet when a required column is absent, and
    DuplicateColumn when two columns name the same one."""
    mapping: dict[int, str] = {}
    twice: list[tuple[int, int, str]] = []
    for index, name in enumerate(header):
        if name is None:
            continue
        column = HEADER_NAMES.get(header_name(name))
        if column in mapping.values():
            twice.append((next(i for i, c in mapping.items() if c == column), index, column))
        elif column:
            mapping[index] = column
    zh_where = f"{file}" + (f"，工作表 {sheet}" if sheet else "") + f"，第 {row} 行"
    where = f"{file}" + (f", sheet {sheet}" if sheet else "") + f", row {row}"
    absent = [c for c in REQUIRED if c not in mapping.values()]
    if absent:
        zh_names = "、".join(COLUMNS[c][1] for c in absent)
        raise NotASheet(
            f"{where}：表头缺少必填列 {zh_names}（{', '.join(absent)}）",
            f"{where}: the header lacks the required column(s) {', '.join(absent)}",
            sheet,
            row,
        )
    if twice:
        first, second, column = twice[0]

        def label(i: int) -> str:
            text = str(header[i]).strip()
            return f"{labels[i]} ({text})" if labels and i < len(labels) else text

        raise DuplicateColumn(
            f"{zh_where}：表头中 {label(first)} 与 {label(second)} 两列都是 {COLUMNS[column][1]}（{column}），"
            f"无法确定读哪一列；请删除或改名其中一列",
            f"{where}: the header names the column {column} twice, as {label(first)} and {label(second)}; "
            f"which one holds the data is unclear: remove or rename one",
            sheet,
            row,
            label(second),
        )
    return mapping


HEADER_SEARCH_ROWS = 20  # title lines above the header ("某市2018年度指标") are skipped


def rows_from_table(
    table: list[list[object]], file: str, sheet: str | None, labels: list[str] | None = None, first_row: int = 1, path: Path | None = None
) -> RawSheet:
    """Shared by the CSV and XLSX readers: the header is the first row, among the first
    non-blank ones, that names the required columns. A table without them may be the national
    release's own, or its section list (checker/readers/release.py)."""
    out = RawSheet(file)
    filled = [i for i, r in enumerate(table) if any(_filled(c) for c in r)]
    if not filled:
        raise NotASheet(f"{file}：文件中没有任何数据行", f"{file}: the file holds no rows")
    header_at, mapping = None, None
    for index in filled[:HEADER_SEARCH_ROWS]:
        try:
            mapping = map_header(table[index], file, sheet, index + first_row, labels)
            header_at = index
            break
        except DuplicateColumn:
            raise
        except NotASheet:
            continue
    if mapping is None:
        from checker.readers.release import read_table

        if (release := read_table(table, file, sheet, labels, first_row, path)) is not None:
            return release
        map_header(table[filled[0]], file, sheet, filled[0] + first_row)  # raises, naming the first row
    header = table[header_at]
    # A column is named as the officer sees it: its letter (XLSX) and its header text.
    columns = {
        col: (
            f"{labels[i]} ({strip_zero_width(str(header[i])).strip()})"
            if labels and i < len(labels)
            else strip_zero_width(str(header[i])).strip()
        )
        for i, col in mapping.items()
    }
    for offset, raw in enumerate(table[header_at + 1 :], start=header_at + 1):
        if not any(_filled(c) for c in raw):
            continue  # blank rows are layout, not data
        cells = {col: (raw[i] if i < len(raw) else None) for i, col in mapping.items()}
        out.rows.append(RawRow(cells, Location(file=file, sheet=sheet, row=offset + first_row), columns))
    if not out.rows:
        raise NotASheet(
            f"{file}" + (f"，工作表 {sheet}" if sheet else "") + "：只有表头，没有数据行",
            f"{file}" + (f", sheet {sheet}" if sheet else "") + ": a header and no data rows",
        )
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
    ".xls": ("checker.readers.calamine_reader", "read"),
    ".xlsb": ("checker.readers.calamine_reader", "read"),
    ".ods": ("checker.readers.calamine_reader", "read"),
    ".et": ("checker.readers.calamine_reader", "read"),
    ".parquet": ("checker.readers.parquet_reader", "read"),
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
