"""What the store knows over the years: `checker history` (table or HTML chart) and `checker diff`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape

from checker.reports.common import (
    STATUS_NAMES,
    TASK_STATES_ZH,
    after_number,
    grade_name,
    op_text,
    place,
    readable_ops,
    score,
    unit_text,
    unsigned_zero,
    visible,
)
from checker.reports.html_report import STATUS_COLOURS, STYLE
from checker.reports.text_report import table, terminal_safe

BAD = ("fail", "missing", "error")


@dataclass(frozen=True)
class Heading:
    """What a series is called where people read it: the rule's title and the indicator's unit
    (from the rulebook; a rule no longer in it is named by its id)."""

    zh: str
    en: str
    unit: str | None = None
    unit_en: str | None = None  # the catalog's English form of the unit, where it has one

    def unit_in(self, lang: str) -> str | None:
        return self.unit_en or self.unit if lang == "en" else self.unit

    def text(self, lang: str) -> str:
        unit = unit_text(self.unit_in(lang))
        return (self.zh if lang == "zh" else self.en) + (f"（{unit}）" if unit and lang == "zh" else f" ({unit})" if unit else "")


def _observed(row: dict, lang: str = "zh") -> str:
    if row["observed_num"] is not None:
        return f"{unsigned_zero(row['observed_num']):g}"
    value = row["observed_text"]
    if value in ("true", "false"):  # a declaration, as the store keeps it
        return {"zh": {"true": "是", "false": "否"}, "en": {"true": "yes", "false": "no"}}[lang][value]
    return (TASK_STATES_ZH.get(value, value) if lang == "zh" else value) or "—"


def _target(row: dict, lang: str = "zh") -> str:
    target = json.loads(row["target"])
    if target.get("deadline"):
        return ("截止 " if lang == "zh" else "by ") + target["deadline"]
    if target.get("op") and target.get("value") is not None:
        value = target["value"]
        shown = f"{unsigned_zero(value):g}" if isinstance(value, (int, float)) else str(value)
        return f"{op_text(target['op'])} {shown}"
    value = target.get("value")
    if isinstance(value, str):  # a task's state
        return TASK_STATES_ZH.get(value, value) if lang == "zh" else value
    return "—" if value is None else "是" if lang == "zh" else "yes"  # a declaration (the model keeps True as 1.0)


def _series(rows: list[dict]) -> dict[tuple[str, str], list[dict]]:
    by_rule: dict[tuple[str, str], list[dict]] = {}
    for r in sorted(rows, key=lambda r: (r["rule_id"], r["subject_key"], r["year"])):
        by_rule.setdefault((r["rule_id"], r["subject_key"]), []).append(r)
    return by_rule


def _grade_rows(grades: list[dict], lang: str) -> list[tuple[str, ...]]:
    header = ("年度", "等级", "水质得分", "重点工作得分") if lang == "zh" else ("year", "grade", "water-quality score", "key-task score")
    return [header] + [
        (str(g["year"]), grade_name(g["grade"], lang), score(g["water_quality_score"]), score(g["key_task_score"])) for g in grades
    ]


def _heading(headings: dict[str, Heading], rule_id: str) -> Heading:
    return headings.get(rule_id) or Heading(rule_id, rule_id)


def _text_history(name: str, rows: list[dict], lang: str, headings: dict[str, Heading], grades: list[dict]) -> bytes:
    names = STATUS_NAMES[lang]
    lines = [f"== {name} {'历年考核情况' if lang == 'zh' else 'by year'}", ""]
    if grades:
        lines += table(_grade_rows(grades, lang)) + [""]
    header = ("年度", "对象", "实际值", "目标", "状态") if lang == "zh" else ("year", "subject", "observed", "target", "status")
    for (rule_id, _), series in _series(rows).items():
        lines.append(f"{_heading(headings, rule_id).text(lang)}  [{rule_id}]")
        lines += table(
            [header] + [(str(r["year"]), r["subject"] or "", _observed(r, lang), _target(r, lang), names[r["status"]]) for r in series]
        )
        lines.append("")
    return terminal_safe("\n".join(lines))


def _chart(series: list[dict], lang: str, unit: str | None) -> str:
    """The observed value by year, each point coloured by its status, on labelled axes, with the
    target drawn and named; a single year is a value to read, not a chart."""
    points = [r for r in series if r["observed_num"] is not None]
    after = after_number(unit, lang)  # written after a value
    unit = unit_text(unit)
    target_word = "目标" if lang == "zh" else "target"
    if not points:
        return ""
    if len(points) == 1:
        r = points[0]
        return (
            f'<p class="single"><strong>{r["year"]}: {escape(_observed(r, lang))}{escape(after)}</strong> '
            f"({escape(target_word)} {escape(_target(r, lang))}{escape(after)}, {escape(STATUS_NAMES[lang][r['status']])})</p>"
        )
    width, height, left, right, top, bottom = 560, 200, 64, 110, 20, 44
    years = [r["year"] for r in points]
    values = [r["observed_num"] for r in points]
    targets = [json.loads(r["target"]).get("value") for r in points]
    numeric_targets = [t for t in targets if isinstance(t, (int, float))]
    low, high = min(values + numeric_targets), max(values + numeric_targets)
    span = (high - low) or 1.0
    first, last = min(years), max(years)

    def x(year: int) -> float:
        return left + (year - first) / ((last - first) or 1) * (width - left - right)

    def y(value: float) -> float:
        return height - bottom - (value - low) / span * (height - top - bottom)

    base = height - bottom
    parts = [
        f'<svg role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        f'<line class="x-axis" x1="{left}" y1="{base}" x2="{width - right}" y2="{base}" stroke="#57606a"/>',
        f'<line class="y-axis" x1="{left}" y1="{top}" x2="{left}" y2="{base}" stroke="#57606a"/>',
        f'<text x="{(left + width - right) / 2:.1f}" y="{height - 6}" text-anchor="middle" font-size="11">'
        f"{'年度' if lang == 'zh' else 'year'}</text>",
        f'<text x="12" y="{(top + base) / 2:.1f}" text-anchor="middle" font-size="11" '
        f'transform="rotate(-90 12 {(top + base) / 2:.1f})">{escape(unit or ("数值" if lang == "zh" else "value"))}</text>',
    ]
    for tick in sorted({low, high}):
        parts.append(
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="11">{unsigned_zero(tick):g}{escape(after)}</text>'
            f'<line x1="{left - 3}" x2="{left}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#57606a"/>'
        )
    line = " ".join(f"{x(r['year']):.1f},{y(r['observed_num']):.1f}" for r in points)
    parts.append(f'<polyline points="{line}" fill="none" stroke="#57606a" stroke-width="2"/>')
    dated = [(r, t) for r, t in zip(points, targets, strict=True) if isinstance(t, (int, float))]
    if dated:
        path = " ".join(f"{x(r['year']):.1f},{y(t):.1f}" for r, t in dated)
        parts.append(f'<polyline class="target" points="{path}" fill="none" stroke="#1f2328" stroke-width="1.5" stroke-dasharray="5 3"/>')
        r, t = dated[-1]
        parts.append(
            f'<text class="target-label" x="{x(r["year"]) + 8:.1f}" y="{y(t) + 4:.1f}" font-size="11">'
            f"{escape(target_word)} {escape(_target(r, lang))}{escape(after)}</text>"
        )
    for r in points:
        parts.append(
            f'<circle cx="{x(r["year"]):.1f}" cy="{y(r["observed_num"]):.1f}" r="5" fill="{STATUS_COLOURS[r["status"]]}">'
            f'<title>{r["year"]}: {escape(_observed(r, lang))} ({escape(STATUS_NAMES[lang][r["status"]])})</title></circle>'
        )
        parts.append(f'<text x="{x(r["year"]):.1f}" y="{base + 16}" text-anchor="middle" font-size="11">{r["year"]}</text>')
        parts.append(
            f'<text x="{x(r["year"]):.1f}" y="{y(r["observed_num"]) - 9:.1f}" text-anchor="middle" '
            f'font-size="11">{escape(_observed(r, lang))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _html_table(header: tuple[str, ...], rows: list[tuple[str, ...]], classes: list[str] | None = None) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join(
        f'<tr{f" class={chr(34)}{escape(c)}{chr(34)}" if c else ""}>' + "".join(f"<td>{escape(v)}</td>" for v in row) + "</tr>"
        for row, c in zip(rows, classes or [""] * len(rows), strict=True)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _html_history(name: str, rows: list[dict], lang: str, headings: dict[str, Heading], grades: list[dict]) -> bytes:
    names = STATUS_NAMES[lang]
    title = f"{name} — {'历年考核情况' if lang == 'zh' else 'findings by year'}"
    body = [f"<h1>{escape(title)}</h1>"]
    if grades:
        grade_rows = _grade_rows(grades, lang)
        body.append(f"<h2>{'等级与得分' if lang == 'zh' else 'grade and scores'}</h2>" + _html_table(grade_rows[0], grade_rows[1:]))
    header = ("年度", "实际值", "目标", "状态", "说明") if lang == "zh" else ("year", "observed", "target", "status", "message")
    for (rule_id, _), series in _series(rows).items():
        subject = series[0]["subject"]
        heading = _heading(headings, rule_id)
        body.append(
            f"<h3>{escape(heading.text(lang))}{' · ' + escape(subject) if subject else ''} "
            f'<span class="muted">{escape(rule_id)}</span></h3>'
        )
        body.append(_chart(series, lang, heading.unit_in(lang)))
        cells = [
            (
                str(r["year"]),
                _observed(r, lang),
                _target(r, lang),
                names[r["status"]],
                readable_ops(r["message_zh"] if lang == "zh" else r["message_en"]),
            )
            for r in series
        ]
        body.append(_html_table(header, cells, [f"st-{r['status']}" for r in series]))
    page = (
        f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )
    return visible(page).encode("utf-8")


def render_history(
    jurisdiction: str,
    rows: list[dict],
    fmt: str,
    lang: str,
    headings: dict[str, Heading] | None = None,
    grades: list[dict] | None = None,
    name: str | None = None,
) -> bytes:
    shown = name if name and lang == "zh" else place(jurisdiction, lang)
    render = _html_history if fmt == "html" else _text_history
    return render(shown, rows, lang, headings or {}, grades or [])


def _key(row: dict) -> tuple:
    return (row["rule_id"], row["subject_key"])


def diff_findings(before: list[dict], after: list[dict]) -> dict[str, list[tuple[dict | None, dict | None]]]:
    """Findings of the later run that newly fail, newly pass, change status in any other way
    (to or from 不适用 and 未到期 as well, or gone from the later run), or carry another value."""
    earlier = {(r["year"], *_key(r)): r for r in before}
    later = {(r["year"], *_key(r)): r for r in after}
    changes: dict[str, list[tuple[dict | None, dict | None]]] = {
        "newly_failing": [],
        "newly_passing": [],
        "status_changed": [],
        "changed_value": [],
    }
    for row in after:
        old = earlier.get((row["year"], *_key(row)))
        if row["status"] in BAD and (old is None or old["status"] not in BAD):
            changes["newly_failing"].append((old, row))
        elif row["status"] == "pass" and old is not None and old["status"] in BAD:
            changes["newly_passing"].append((old, row))
        elif old is not None and old["status"] != row["status"]:
            changes["status_changed"].append((old, row))
        elif old is not None and _value(old) != _value(row):
            changes["changed_value"].append((old, row))
    changes["status_changed"] += [(row, None) for row in before if (row["year"], *_key(row)) not in later]
    return changes


def diff_years(earlier: list[dict], later: list[dict]) -> dict[str, list[tuple[dict | None, dict | None]]]:
    """One year's findings against another's, rule by rule (and subject): every status that
    changed (a rule judged in one year only included), every value and every target."""
    first, second = {_key(r): r for r in earlier}, {_key(r): r for r in later}
    changes: dict[str, list[tuple[dict | None, dict | None]]] = {"status_changed": [], "changed_value": [], "changed_target": []}
    for key in sorted(first.keys() | second.keys(), key=lambda k: (k[0], k[1] or "")):
        old, new = first.get(key), second.get(key)
        if old is None or new is None or old["status"] != new["status"]:
            changes["status_changed"].append((old, new))
        if old is not None and new is not None:
            if _value(old) != _value(new):
                changes["changed_value"].append((old, new))
            if _target(old) != _target(new):
                changes["changed_target"].append((old, new))
    return changes


def _value(row: dict) -> tuple:
    return (row["observed_num"], row["observed_text"])


HEADS = {
    "zh": {
        "newly_failing": "新增未完成",
        "newly_passing": "新完成",
        "status_changed": "其他状态变化",
        "changed_value": "数值变化",
        "changed_target": "目标变化",
    },
    "en": {
        "newly_failing": "newly failing",
        "newly_passing": "newly passing",
        "status_changed": "other status changes",
        "changed_value": "changed value",
        "changed_target": "changed target",
    },
}


def _side(row: dict | None, names: dict, shown) -> str:
    return "—" if row is None else f"{shown(row)} [{names[row['status']]}]"


def _changes(changes: dict, lang: str, headings: dict[str, Heading], with_year: bool = True) -> list[str]:
    names, heads = STATUS_NAMES[lang], HEADS[lang]
    if "changed_target" in changes:  # between years every status change is one list
        heads = {**heads, "status_changed": "状态变化" if lang == "zh" else "status changes"}
    lines = []
    for kind, rows in changes.items():
        lines.append(f"{heads[kind]}: {len(rows)}")
        for old, new in rows:
            row = new or old
            subject = f" ({row['subject']})" if row["subject"] else ""
            year = f"{row['year']} " if with_year else ""
            title = _heading(headings, row["rule_id"]).text(lang)
            rule = f"{title} [{row['rule_id']}]" if title != row["rule_id"] else row["rule_id"]

            def show(r: dict, kind: str = kind) -> str:
                return _target(r, lang) if kind == "changed_target" else _observed(r, lang)

            lines.append(f"  {year}{rule}{subject}: {_side(old, names, show)} → {_side(new, names, show)}")
    return lines


def render_diff(
    jurisdiction: str,
    before: int,
    after: int,
    changes: dict,
    lang: str,
    name: str | None = None,
    headings: dict[str, Heading] | None = None,
) -> bytes:
    run = "运行" if lang == "zh" else "run"
    shown = name if name and lang == "zh" else place(jurisdiction, lang)
    lines = [f"== {shown}: {run} {before} → {run} {after}", *_changes(changes, lang, headings or {})]
    return terminal_safe("\n".join(lines) + "\n")


def render_year_diff(
    jurisdiction: str,
    first: int,
    second: int,
    changes: dict,
    lang: str,
    name: str | None = None,
    headings: dict[str, Heading] | None = None,
) -> bytes:
    shown = name if name and lang == "zh" else place(jurisdiction, lang)
    lines = [f"== {shown}: {first} → {second}", *_changes(changes, lang, headings or {}, with_year=False)]
    return terminal_safe("\n".join(lines) + "\n")
