"""JSON and YAML holding the same rows as a sheet: a list of objects, or {"rows": [...]}."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from checker.models import Location, Problem, Text
from checker.readers import COLUMNS, HEADER_NAMES, REQUIRED, NotASheet, RawRow, RawSheet, header_name


class _Object(dict):
    """A JSON object or YAML mapping that remembers the keys it was given more than once (a plain
    dict keeps the last silently)."""

    twice: tuple = ()

    @classmethod
    def of(cls, pairs) -> _Object:
        made = cls(pairs)
        if len(made) < len(pairs):
            seen: set = set()
            made.twice = tuple(k for k, _ in pairs if k in seen or seen.add(k))
        return made


class _Refused(Exception):
    def __init__(self, mark, row: int | None):
        super().__init__()
        self.mark, self.row = mark, row


class _SheetLoader(yaml.SafeLoader):
    """safe_load, less anchors and aliases: in a sheet they have no use, and one alias can stand for
    a billion cells (454 bytes of "billion laughs" crash or hang the reader). The row being composed
    is tracked so that the refusal names it."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth, self._root, self._row = 0, None, None

    def compose_node(self, parent, index):
        event = self.peek_event()
        if self._depth == 1:
            self._root = parent
        if isinstance(parent, yaml.SequenceNode) and (self._depth == 1 or (self._depth == 2 and isinstance(self._root, yaml.MappingNode))):
            self._row = index + 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused(event.start_mark, self._row)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_sheet_mapping(self, node):
        data = _Object()
        yield data
        self.flatten_mapping(node)
        pairs = [(self.construct_object(k, deep=True), self.construct_object(v, deep=True)) for k, v in node.value]
        try:
            made = _Object.of(pairs)
        except TypeError:  # an unhashable key: what safe_load itself says of it
            made = _Object(self.construct_mapping(node, deep=True))
        data.update(made)
        data.twice = made.twice


_SheetLoader.add_constructor("tag:yaml.org,2002:map", _SheetLoader.construct_sheet_mapping)


def _rows(data: object, display: str) -> RawSheet:
    if isinstance(data, dict) and isinstance(data.get("rows"), list):
        data = data["rows"]
    if not isinstance(data, list):
        raise NotASheet(f"{display}：应为行的列表", f"{display}: expected a list of rows")
    out = RawSheet(display)
    for index, item in enumerate(data, start=1):
        location = Location(file=display, row=index)
        if not isinstance(item, dict):
            out.problems.append(
                Problem(
                    location=location,
                    message=Text(
                        zh=f"{display}，第 {index} 行：应为含 地区/年度/指标/数值 的对象，实为 {type(item).__name__}",
                        en=f"{display}, row {index}: expected an object with jurisdiction/year/indicator/value, got {type(item).__name__}",
                    ),
                )
            )
            continue
        cells: dict[str, object] = {}
        columns: dict[str, str] = {}
        twice = [(str(key), str(key)) for key in getattr(item, "twice", ())]
        for key, value in item.items():
            column = HEADER_NAMES.get(header_name(key))
            if column and column in cells:
                twice.append((columns[column], str(key)))
            elif column:
                cells[column] = value
                columns[column] = str(key)
        if twice:
            first, second = twice[0]
            if first == second:
                zh, en = f"键“{first}”出现了两次", f"the key {first!r} is given twice"
            else:
                zh, en = f"键“{first}”与“{second}”是同一列", f"the keys {first!r} and {second!r} name the same column"
            out.problems.append(
                Problem(
                    location=location.model_copy(update={"column": second}),
                    message=Text(
                        zh=f"{display}，第 {index} 行：{zh}，无法确定取哪个值；请只保留一个",
                        en=f"{display}, row {index}: {en}; which value is meant is unclear: keep one",
                    ),
                )
            )
            continue
        for column in REQUIRED:
            columns.setdefault(column, column)
            cells.setdefault(column, None)
        for column in COLUMNS:
            columns.setdefault(column, column)
        out.rows.append(RawRow(cells, location, columns))
    return out


def read_json(path: Path, display: str, max_unzipped_bytes: int | None = None) -> RawSheet:
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"), object_pairs_hook=_Object.of)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise NotASheet(f"{display}：不是有效的 JSON：{exc}", f"{display}: not valid JSON: {exc}") from None
    _refuse_twice_at_top(data, display)
    return _rows(data, display)


def read_yaml(path: Path, display: str, max_unzipped_bytes: int | None = None) -> RawSheet:
    try:
        data = yaml.load(path.read_bytes().decode("utf-8-sig"), Loader=_SheetLoader)
    except _Refused as exc:
        line, column = exc.mark.line + 1, exc.mark.column + 1
        where = f"{display}" + (f", row {exc.row}" if exc.row else "")
        zh_where = f"{display}" + (f"，第 {exc.row} 行" if exc.row else "")
        raise NotASheet(
            f"{zh_where}（第 {line} 行第 {column} 列）：表格中不接受 YAML 锚点和别名（&名称、*名称），"
            f"一个别名可以代表上亿个单元格；请逐项写出数值",
            f"{where} (line {line}, column {column}): YAML anchors and aliases (&name, *name) are not "
            f"accepted in a sheet, since one alias can stand for a billion cells; write each value out",
            row=exc.row,
        ) from None
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise NotASheet(f"{display}：不是有效的 YAML：{exc}", f"{display}: not valid YAML: {exc}") from None
    _refuse_twice_at_top(data, display)
    return _rows(data, display)


def _refuse_twice_at_top(data: object, display: str) -> None:
    if isinstance(data, dict) and "rows" in getattr(data, "twice", ()):
        raise NotASheet(
            f"{display}：键“rows”出现了两次，无法确定读哪一组行",
            f"{display}: the key 'rows' is given twice; which list of rows is meant is unclear",
        )
