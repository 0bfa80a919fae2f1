"""The CWQI ranking (checker/ranking.py) as text, CSV, JSON or a workbook, Chinese first (`--lang en`).

Every form carries the method's caveats: the points of the rule that its source does not confirm,
or that the checker does not apply (rulesets/standards/cwqi-2017.yaml)."""

from __future__ import annotations

import csv
import io
import json

from checker.ranking import Ranking

COLUMNS = [
    ("rank", "排名", "rank"),
    ("tied", "并列", "tied"),
    ("jurisdiction", "地区", "jurisdiction"),
    ("year", "年度", "year"),
    ("cwqi", "城市水质指数CWQI", "CWQI"),
    ("river_index", "河流水质指数", "river index"),
    ("river_sections", "河流断面数", "river sections"),
    ("lake_index", "湖库水质指数", "lake index"),
    ("lake_sections", "湖库点位数", "lake sections"),
    ("items", "参与计算的指标", "items"),
]
CHANGE_COLUMNS = [
    ("baseline_cwqi", "基准CWQI", "baseline CWQI"),
    ("delta_cwqi_percent", "ΔCWQI（%）", "ΔCWQI (%)"),
    ("change_rank", "变化排名", "change rank"),
    ("change_exempt", "不参加变化排名", "exempt from the change ranking"),
]
SECTION_COLUMNS = [
    ("jurisdiction", "地区", "jurisdiction"),
    ("year", "年度", "year"),
    ("section", "断面", "section"),
    ("type", "类型", "type"),
    ("class", "水质类别", "class"),
    ("cwqi", "断面水质指数", "section CWQI"),
    ("items", "单项指数", "item indices"),
]
TYPES = {"river": ("河流", "river"), "lake": ("湖库", "lake")}


def _columns(ranking: Ranking):
    return COLUMNS + (CHANGE_COLUMNS if ranking.with_baseline else [])


def _cell(key: str, value, lang: str, names) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return ("是" if value else "") if lang == "zh" else ("yes" if value else "")
    if key == "items" and isinstance(value, list):
        return "、".join(names(c) for c in value) if lang == "zh" else ", ".join(names(c) for c in value)
    if key == "items" and isinstance(value, dict):
        return "; ".join(f"{names(c)} {v:g}" for c, v in value.items())
    if key == "type":
        return TYPES[value][0 if lang == "zh" else 1]
    return value


def _table(rows, columns, lang, names) -> list[list[object]]:
    head = [zh if lang == "zh" else en for _, zh, en in columns]
    return [head] + [[_cell(k, r.get(k), lang, names) for k, _, _ in columns] for r in rows]


def _notes(ranking: Ranking, lang: str) -> list[str]:
    title = (
        f"方法：{ranking.standard}；以下要点未经规定原文确认或未执行："
        if lang == "zh"
        else (f"method: {ranking.standard}; these points are not confirmed by the notice's text, or not applied:")
    )
    return [title] + [f"- {t.zh if lang == 'zh' else t.en}" for t in ranking.caveats]


def render_text(ranking: Ranking, lang: str, names) -> bytes:
    table = _table(ranking.rows, _columns(ranking), lang, names)
    lines = ["\t".join(str(c) for c in row) for row in table]
    if not ranking.rows:
        lines.append("（没有可计算水质指数的地区）" if lang == "zh" else "(no jurisdiction has an index)")
    lines += ["", *_notes(ranking, lang)]
    if ranking.problems:
        lines.append(
            f"{len(ranking.problems)} 处数据未能使用，见标准错误输出"
            if lang == "zh"
            else f"{len(ranking.problems)} problems, listed on standard error"
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def render_csv(ranking: Ranking, lang: str, names) -> bytes:
    """The ranking, a blank row, then the caveats one to a row (a spreadsheet shows them under it)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(_table(ranking.rows, _columns(ranking), lang, names))
    writer.writerow([])
    writer.writerows([line] for line in _notes(ranking, lang))
    return out.getvalue().encode("utf-8-sig")  # Excel reads UTF-8 CSV as such only with its BOM


def render_json(ranking: Ranking, lang: str, names) -> bytes:
    data = {
        "standard": ranking.standard,
        "ranking": ranking.rows,
        "sections": ranking.sections,
        "caveats": [t.model_dump() for t in ranking.caveats],
        "problems": [p.model_dump(mode="json", exclude_none=True) for p in ranking.problems],
    }
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def render_xlsx(ranking: Ranking, lang: str, names) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheets = [
        ("排名" if lang == "zh" else "ranking", _table(ranking.rows, _columns(ranking), lang, names)),
        ("断面" if lang == "zh" else "sections", _table(ranking.sections, SECTION_COLUMNS, lang, names)),
        ("说明" if lang == "zh" else "notes", [[line] for line in _notes(ranking, lang)]),
    ]
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


RENDER = {".txt": render_text, ".csv": render_csv, ".json": render_json, ".xlsx": render_xlsx}
