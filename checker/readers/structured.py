"""JSON and YAML holding the same rows as a sheet: a list of objects, or {"rows": [...]}."""
from __future__ import annotations

import json
from pathlib import Path

import yaml

from checker.models import Location, Problem, Text
from checker.readers import REQUIRED, COLUMNS, NotASheet, RawRow, RawSheet, _HEADER_NAMES
from checker.rulesets import fold


def _rows(data: object, display: str) -> RawSheet:
    if isinstance(data, dict) and isinstance(data.get("rows"), list):
        data = data["rows"]
    if not isinstance(data, list):
        raise NotASheet(f"{display}：应为行的列表", f"{display}: expected a list of rows")
    out = RawSheet(display)
    for index, item in enumerate(data, start=1):
        location = Location(file=display, row=index)
        if not isinstance(item, dict):
            out.problems.append(Problem(location=location, message=Text(
                zh=f"{display}，第 {index} 行：应为含 地区/年度/指标/数值 的对象，实为 {type(item).__name__}",
                en=f"{display}, row {index}: expected an object with jurisdiction/year/indicator/value, got {type(item).__name__}")))
            continue
        cells: dict[str, object] = {}
        columns: dict[str, str] = {}
        for key, value in item.items():
            column = _HEADER_NAMES.get(fold(str(key)))
            if column and column not in cells:
                cells[column] = value
                columns[column] = str(key)
        for column in REQUIRED:
            columns.setdefault(column, column)
            cells.setdefault(column, None)
        for column in COLUMNS:
            columns.setdefault(column, column)
        out.rows.append(RawRow(cells, location, columns))
    return out


def read_json(path: Path, display: str, max_unzipped_bytes: int | None = None) -> RawSheet:
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise NotASheet(f"{display}：不是有效的 JSON：{exc}", f"{display}: not valid JSON: {exc}") from None
    return _rows(data, display)


def read_yaml(path: Path, display: str, max_unzipped_bytes: int | None = None) -> RawSheet:
    try:
        data = yaml.safe_load(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise NotASheet(f"{display}：不是有效的 YAML：{exc}", f"{display}: not valid YAML: {exc}") from None
    return _rows(data, display)
