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


def render_diff(jurisdiction: str, before: int, after: int, changes: dict, lang: str) -> bytes:
    names = STATUS_NAMES[lang]
    heads = {
        "zh": {"newly_failing": "新增未完成", "newly_passing": "新完成", "changed_value": "数值变化"},
        "en": {"newly_failing": "newly failing", "newly_passing": "newly passing", "changed_value": "changed value"},
    }[lang]
    lines = [f"== {place(jurisdiction, lang)}: run {before} → run {after}"]
    for kind, rows in changes.items():
        lines.append(f"{heads[kind]}: {len(rows)}")
        for old, new in rows:
            was = f"{_observed(old)} [{names[old['status']]}]" if old else "—"
            subject = f" ({new['subject']})" if new["subject"] else ""
            lines.append(f"  {new['year']} {new['rule_id']}{subject}: {was} → {_observed(new)} [{names[new['status']]}]")
    return terminal_safe("\n".join(lines) + "\n")
