"""What the store knows over the years: `checker history` (table or HTML chart) and `checker diff`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape

from checker.reports.common import (
    STATUS_NAMES,
    TASK_STATES_ZH,
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

    def text(self, lang: str) -> str:
        unit = unit_text(self.unit)
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
    unit = unit_text(unit)
    target_word = "目标" if lang == "zh" else "target"
    if not points:
        return ""
    if len(points) == 1:
        r = points[0]
        return (
            f'<p class="single"><strong>{r["year"]}: {escape(_observed(r, lang))}{escape(unit)}</strong> '
            f"({escape(target_word)} {escape(_target(r, lang))}{escape(unit)}, {escape(STATUS_NAMES[lang][r['status']])})</p>"
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
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="11">{unsigned_zero(tick):g}{escape(unit)}</text>'
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
            f"{escape(target_word)} {escape(_target(r, lang))}{escape(unit)}</text>"
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
        body.append(_chart(series, lang, heading.unit))
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


def diff_findings(before: list[dict], after: list[dict]) -> dict[str, list[tuple[dict | None, dict]]]:
    """Findings of the later run that newly fail, newly pass, or carry another value."""
    key = lambda r: (r["year"], r["rule_id"], r["subject_key"])  # noqa: E731 - a key, named once
    earlier = {key(r): r for r in before}
    changes: dict[str, list[tuple[dict | None, dict]]] = {"newly_failing": [], "newly_passing": [], "changed_value": []}
    for row in after:
        old = earlier.get(key(row))
        if row["status"] in BAD and (old is None or old["status"] not in BAD):
            changes["newly_failing"].append((old, row))
        elif row["status"] == "pass" and old is not None and old["status"] in BAD:
            changes["newly_passing"].append((old, row))
        elif old is not None and (old["observed_num"], old["observed_text"]) != (row["observed_num"], row["observed_text"]):
            changes["changed_value"].append((old, row))
    return changes


def render_diff(
    jurisdiction: str,
    before: int,
    after: int,
    changes: dict,
    lang: str,
    name: str | None = None,
    headings: dict[str, Heading] | None = None,
) -> bytes:
    names = STATUS_NAMES[lang]
    heads = {
        "zh": {"newly_failing": "新增未完成", "newly_passing": "新完成", "changed_value": "数值变化"},
        "en": {"newly_failing": "newly failing", "newly_passing": "newly passing", "changed_value": "changed value"},
    }[lang]
    run = "运行" if lang == "zh" else "run"
    shown = name if name and lang == "zh" else place(jurisdiction, lang)
    lines = [f"== {shown}: {run} {before} → {run} {after}"]
    for kind, rows in changes.items():
        lines.append(f"{heads[kind]}: {len(rows)}")
        for old, new in rows:
            was = f"{_observed(old, lang)} [{names[old['status']]}]" if old else "—"
            subject = f" ({new['subject']})" if new["subject"] else ""
            title = _heading(headings or {}, new["rule_id"]).text(lang)
            rule = f"{title} [{new['rule_id']}]" if title != new["rule_id"] else new["rule_id"]
            lines.append(f"  {new['year']} {rule}{subject}: {was} → {_observed(new, lang)} [{names[new['status']]}]")
    return terminal_safe("\n".join(lines) + "\n")
