"""What the store knows over the years: `checker history` (table or HTML chart) and `checker diff`."""

from __future__ import annotations

import json
from html import escape

from checker.reports.common import STATUS_NAMES, place, unsigned_zero, visible
from checker.reports.html_report import STATUS_COLOURS, STYLE
from checker.reports.text_report import table, terminal_safe

BAD = ("fail", "missing", "error")


def _observed(row: dict) -> str:
    if row["observed_num"] is not None:
        return f"{unsigned_zero(row['observed_num']):g}"
    return row["observed_text"] or "—"


def _target(row: dict) -> str:
    target = json.loads(row["target"])
    if target.get("deadline"):
        return f"≤ {target['deadline']}"
    if target.get("op") and target.get("value") is not None:
        value = target["value"]
        return f"{target['op']} {unsigned_zero(value):g}" if isinstance(value, (int, float)) else f"{target['op']} {value}"
    return "—" if target.get("value") is None else str(target["value"])


def _text_history(jurisdiction: str, rows: list[dict], lang: str) -> bytes:
    names = STATUS_NAMES[lang]
    header = (
        ("年度", "规则", "对象", "实际值", "目标", "状态") if lang == "zh" else ("year", "rule", "subject", "observed", "target", "status")
    )
    lines = [f"== {place(jurisdiction, lang)}"]
    ordered = sorted(rows, key=lambda r: (r["rule_id"], r["subject_key"], r["year"]))
    lines += table(
        [header] + [(str(r["year"]), r["rule_id"], r["subject"] or "", _observed(r), _target(r), names[r["status"]]) for r in ordered]
    )
    return terminal_safe("\n".join(lines) + "\n")


def _chart(series: list[dict], lang: str) -> str:
    """One small line chart: the observed value by year, each point coloured by its status."""
    points = [r for r in series if r["observed_num"] is not None]
    if len(points) < 1:
        return ""
    width, height, pad = 520, 160, 36
    years = [r["year"] for r in points]
    values = [r["observed_num"] for r in points]
    targets = [json.loads(r["target"]).get("value") for r in points]
    numeric_targets = [t for t in targets if isinstance(t, (int, float))]
    low, high = min(values + numeric_targets), max(values + numeric_targets)
    span = (high - low) or 1.0
    first, last = min(years), max(years)

    def x(year: int) -> float:
        return pad + (year - first) / ((last - first) or 1) * (width - 2 * pad)

    def y(value: float) -> float:
        return height - pad - (value - low) / span * (height - 2 * pad)

    parts = [
        f'<svg role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" stroke="#d0d7de"/>',
    ]
    line = " ".join(f"{x(r['year']):.1f},{y(r['observed_num']):.1f}" for r in points)
    parts.append(f'<polyline points="{line}" fill="none" stroke="#57606a" stroke-width="2"/>')
    for r, target in zip(points, targets, strict=True):
        if isinstance(target, (int, float)):
            parts.append(
                f'<line x1="{x(r["year"]) - 8:.1f}" x2="{x(r["year"]) + 8:.1f}" y1="{y(target):.1f}" '
                f'y2="{y(target):.1f}" stroke="#1f2328" stroke-width="2"><title>{escape(_target(r))}</title></line>'
            )
        parts.append(
            f'<circle cx="{x(r["year"]):.1f}" cy="{y(r["observed_num"]):.1f}" r="5" fill="{STATUS_COLOURS[r["status"]]}">'
            f'<title>{r["year"]}: {escape(_observed(r))} ({escape(STATUS_NAMES[lang][r["status"]])})</title></circle>'
        )
        parts.append(f'<text x="{x(r["year"]):.1f}" y="{height - pad + 16}" text-anchor="middle" font-size="11">{r["year"]}</text>')
        parts.append(
            f'<text x="{x(r["year"]):.1f}" y="{y(r["observed_num"]) - 9:.1f}" text-anchor="middle" '
            f'font-size="11">{escape(_observed(r))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _html_history(jurisdiction: str, rows: list[dict], lang: str) -> bytes:
    names = STATUS_NAMES[lang]
    title = f"{place(jurisdiction, lang)} — {'历年考核情况' if lang == 'zh' else 'findings by year'}"
    body = [f"<h1>{escape(title)}</h1>"]
    by_rule: dict[tuple[str, str], list[dict]] = {}
    for r in sorted(rows, key=lambda r: (r["rule_id"], r["subject_key"], r["year"])):
        by_rule.setdefault((r["rule_id"], r["subject_key"]), []).append(r)
    for (rule_id, _), series in by_rule.items():
        subject = series[0]["subject"]
        body.append(f"<h3>{escape(rule_id)}{' · ' + escape(subject) if subject else ''}</h3>")
        body.append(_chart(series, lang))
        body.append(
            "<table><thead><tr>"
            + "".join(
                f"<th>{h}</th>"
                for h in (
                    ("年度", "实际值", "目标", "状态", "说明") if lang == "zh" else ("year", "observed", "target", "status", "message")
                )
            )
            + "</tr></thead><tbody>"
        )
        for r in series:
            body.append(
                f'<tr class="st-{escape(r["status"])}"><td class="num">{r["year"]}</td><td class="num">{escape(_observed(r))}</td>'
                f'<td class="num">{escape(_target(r))}</td><td class="status">{escape(names[r["status"]])}</td>'
                f'<td>{escape(r["message_zh"] if lang == "zh" else r["message_en"])}</td></tr>'
            )
        body.append("</tbody></table>")
    page = (
        f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )
    return visible(page).encode("utf-8")


def render_history(jurisdiction: str, rows: list[dict], fmt: str, lang: str) -> bytes:
    return _html_history(jurisdiction, rows, lang) if fmt == "html" else _text_history(jurisdiction, rows, lang)


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


def _changes(changes: dict, lang: str, shown=_observed, with_year: bool = True) -> list[str]:
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
            show = _target if kind == "changed_target" else shown
            lines.append(f"  {year}{row['rule_id']}{subject}: {_side(old, names, show)} → {_side(new, names, show)}")
    return lines


def render_diff(jurisdiction: str, before: int, after: int, changes: dict, lang: str) -> bytes:
    lines = [f"== {place(jurisdiction, lang)}: run {before} → run {after}", *_changes(changes, lang)]
    return terminal_safe("\n".join(lines) + "\n")


def render_year_diff(jurisdiction: str, first: int, second: int, changes: dict, lang: str) -> bytes:
    lines = [f"== {place(jurisdiction, lang)}: {first} → {second}", *_changes(changes, lang, with_year=False)]
    return terminal_safe("\n".join(lines) + "\n")
