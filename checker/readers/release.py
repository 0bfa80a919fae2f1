"""The national surface-water release's own tables, and the section list that goes with them.

The release (国家地表水水质自动监测实时数据发布系统) is wide: one row per section and reading, one
column per item, Chinese headers with their units ("溶解氧(mg/L)"), '--' or '*' where a value is
not reported, its own class column ("Ⅲ"). It names no jurisdiction and no year, so a section list
(a file named 断面名录, 断面清单 or sections beside it: 断面名称, 地区, 年度, 类型 河流/湖库) says
which jurisdiction and year each section is assessed for and whether it is a river or a lake.

Both become ordinary long rows: the section list's rows are `surface_water.section_type`, the
release's one sample per item and reading. The release's own class is not read: the checker
derives the class, and tests/test_monitoring.py holds it to the published one.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from pathlib import Path

from checker.models import Location, Problem, Text
from checker.names import fold
from checker.readers import HEADER_NAMES, NotASheet, RawRow, RawSheet, header_name

SECTION = "断面名称"
TIME = "监测时间"
TYPE_NAMES = ("类型", "断面类型", "水体类型", "type")
# The release's columns that are no sample of a GB 3838-2002 item or a trophic parameter.
PROVINCE = ("省份", "省份名称", "省")
META = ("省份", "流域", SECTION, TIME, "水质类别", "站点情况", "省份名称", "所在流域")
NOT_ASSESSED = ("电导率", "浊度", "藻密度")
SECTION_LIST_NAMES = ("断面名录", "断面清单", "断面列表", "sections", "section-list", "section_list")
_UNIT = re.compile(r"^(.*?)\s*[(（]\s*([^()（）]*)\s*[)）]\s*$")
NO_UNIT = ("无量纲", "")
# A section list named on the command line (`checker rank --sections`), read instead of one beside.
SECTION_LIST: ContextVar[Path | None] = ContextVar("section_list", default=None)


def _name_and_unit(label: object) -> tuple[str, str | None]:
    text = str(label).strip()
    if m := _UNIT.match(text):
        unit = m.group(2).strip()
        return m.group(1).strip(), (None if unit in NO_UNIT else unit)
    return text, None


def _find(header: list[object], names: tuple[str, ...]) -> int | None:
    folded = {fold(n) for n in names}
    return next((i for i, name in enumerate(header) if name is not None and header_name(_name_and_unit(name)[0]) in folded), None)


def read_table(table, file: str, sheet: str | None, labels: list[str] | None, first_row: int, path: Path | None) -> RawSheet | None:
    """A release table or a section list as long rows; None when the table is neither."""
    filled = [i for i, r in enumerate(table) if any(c is not None and str(c).strip() for c in r)]
    for at in filled[:20]:
        header = table[at]
        section = _find(header, (SECTION, "断面"))
        if section is None:
            continue
        if _find(header, (TIME,)) is not None:
            return _release(table, at, file, sheet, labels, first_row, path)
        if _find(header, TYPE_NAMES) is not None:
            return _section_list(table, at, file, sheet, labels, first_row)
    return None


def _cells(raw: list[object]):
    """The row's cell at a column index; None past its end or for a column the header lacks."""
    return lambda i: raw[i] if i is not None and i < len(raw) else None


def _label(header, labels, i) -> str:
    text = str(header[i]).strip()
    return f"{labels[i]} ({text})" if labels and i < len(labels) else text


def _section_list(table, at, file, sheet, labels, first_row) -> RawSheet:
    header = table[at]
    columns = {HEADER_NAMES.get(header_name(name)): i for i, name in enumerate(header) if name is not None}
    section, kind = _find(header, (SECTION, "断面")), _find(header, TYPE_NAMES)
    province = _find(header, PROVINCE)
    missing = [zh for zh, col in (("地区", "jurisdiction"), ("年度", "year")) if col not in columns]
    if missing:
        raise NotASheet(
            f"{file}：断面名录缺少列 {'、'.join(missing)}",
            f"{file}: the section list lacks the column(s) {', '.join(missing)} (jurisdiction, year)",
            sheet,
            at + first_row,
        )
    out = RawSheet(file)
    names = {"jurisdiction": _label(header, labels, columns["jurisdiction"]), "year": _label(header, labels, columns["year"])}
    names |= {"subject": _label(header, labels, section), "value": _label(header, labels, kind), "indicator": _label(header, labels, kind)}
    for offset, raw in enumerate(table[at + 1 :], start=at + 1):
        cell = _cells(raw)
        if cell(section) in (None, ""):
            continue
        cells = {
            "jurisdiction": cell(columns["jurisdiction"]),
            "year": cell(columns["year"]),
            "indicator": "surface_water.section_type",
            "value": cell(kind),
            "subject": cell(section),
            "province": cell(province) if province is not None else None,  # tells 临江 of two provinces apart
        }
        out.rows.append(RawRow(cells, Location(file=file, sheet=sheet, row=offset + first_row), names))
    return out


def _key(province: object, section: object) -> tuple[str, str]:
    return (fold(str(province)) if province not in (None, "") else "", fold(str(section)))


def _sections_beside(path: Path | None) -> dict[tuple[str, str], RawRow]:
    """The section list beside a release table: (province, section), folded, -> its row; a list
    without provinces is keyed by section alone."""
    from checker.readers import read_sheet

    if path is None:
        return {}
    found: dict[str, RawRow] = {}
    named = SECTION_LIST.get()
    for candidate in [named] if named is not None else sorted(path.parent.iterdir()):
        if named is None and (
            candidate == path or not candidate.is_file() or fold(candidate.stem) not in {fold(n) for n in SECTION_LIST_NAMES}
        ):
            continue
        try:
            listed = read_sheet(candidate, str(candidate))
        except (NotASheet, OSError):
            continue  # reported where the section list is read as an input of its own
        for row in listed.rows:
            if row.cells.get("indicator") == "surface_water.section_type":
                found.setdefault(_key(row.cells.get("province"), row.cells["subject"]), row)
    return found


def _release(table, at, file, sheet, labels, first_row, path) -> RawSheet:
    header = table[at]
    section, time = _find(header, (SECTION, "断面")), _find(header, (TIME,))
    skipped = {fold(n) for n in (*META, *NOT_ASSESSED)}
    items = [(i, *_name_and_unit(name)) for i, name in enumerate(header) if name is not None and str(name).strip()]
    items = [(i, name, unit) for i, name, unit in items if header_name(name) not in skipped and i not in (section, time)]
    status, province = _find(header, ("站点情况",)), _find(header, PROVINCE)
    sections = _sections_beside(path)
    out = RawSheet(file)
    if not sections:
        raise NotASheet(
            f"{file}：国家地表水监测发布表需在同一文件夹中附断面名录（断面名称、地区、年度、类型）",
            f"{file}: a national release table needs a section list beside it (a file named 断面名录 or "
            f"sections, with 断面名称, 地区, 年度, 类型), which maps each section to a jurisdiction and year",
            sheet,
            at + first_row,
        )
    for offset, raw in enumerate(table[at + 1 :], start=at + 1):
        cell = _cells(raw)
        name = cell(section)
        if name in (None, ""):
            continue
        location = Location(file=file, sheet=sheet, row=offset + first_row)
        listed = sections.get(_key(cell(province), name)) or sections.get(_key(None, name))
        if listed is None:
            out.problems.append(
                Problem(
                    location=location.model_copy(update={"column": _label(header, labels, section)}),
                    message=Text(
                        zh=f"断面“{name}”不在断面名录中，无法确定所属地区与年度，本行不予使用",
                        en=f"section {name!r} is not in the section list: its jurisdiction and year are unknown, the row is not used",
                    ),
                )
            )
            continue
        for i, item, unit in items:
            cells = {
                "jurisdiction": listed.cells["jurisdiction"],
                "year": listed.cells["year"],
                "indicator": item,
                "value": cell(i),
                "unit": unit,
                "subject": listed.cells["subject"],
                "date": cell(time),
                "note": cell(status),
            }
            columns = {
                "value": _label(header, labels, i),
                "indicator": _label(header, labels, i),
                "unit": _label(header, labels, i),
                "subject": _label(header, labels, section),
                "date": _label(header, labels, time),
                "jurisdiction": f"{listed.location.describe()}",
                "year": f"{listed.location.describe()}",
            }
            out.rows.append(RawRow(cells, location, columns))
    return out
