"""One self-contained HTML page: styles and charts inline, nothing fetched when it is viewed.

Every piece of text that came from a sheet or a ruleset goes through `esc`: a section
named `<script>` is shown as text, never run. Control characters, which HTML forbids and
the inline SVG (XML) cannot hold, are made visible in the finished page. No scripts at all: the "show only missed
targets" switch is a checkbox and CSS.
"""

from __future__ import annotations

from html import escape

from checker.accountability import unit_view
from checker.models import Finding, Report, Submission
from checker.reports.common import (
    CATEGORY_NAMES,
    STATUS_NAMES,
    WORDS,
    answering,
    gap_text,
    grade_name,
    message_text,
    observed_text,
    overall_text,
    place,
    points_text,
    reasons_text,
    score,
    source_text,
    status_counts,
    submission_name,
    target_text,
    text,
    unit_text,
    value_text,
    visible,
)

STYLE = """
:root { --pass:#1a7f37; --fail:#cf222e; --missing:#bc4c00; --error:#8250df; --muted:#57606a; --line:#d0d7de; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
       margin: 0 auto; max-width: 1200px; padding: 24px; color: #1f2328; line-height: 1.5; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 20px; border-bottom: 2px solid var(--line); padding-bottom: 4px; margin-top: 36px; }
h3 { font-size: 16px; margin: 20px 0 6px; }
.meta, .muted { color: var(--muted); font-size: 13px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 8px 0 16px; }
th, td { border: 1px solid var(--line); padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; white-space: nowrap; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.status { font-weight: 600; white-space: nowrap; }
.st-pass .status { color: var(--pass); } .st-fail .status { color: var(--fail); }
.st-missing .status { color: var(--missing); } .st-error .status { color: var(--error); }
.st-not_due .status, .st-not_applicable .status { color: var(--muted); }
.grade { display: inline-block; font-size: 18px; font-weight: 700; padding: 2px 12px; border-radius: 6px; color: #fff; }
.g-优秀 { background: #1a7f37; } .g-良好 { background: #2da44e; } .g-合格 { background: #9a6700; }
.g-不合格 { background: #cf222e; } .g-none { background: #8c959f; }
.scores { display: flex; gap: 24px; align-items: center; flex-wrap: wrap; margin: 8px 0; }
.scores b { font-size: 18px; }
blockquote { margin: 2px 0 0; padding: 0 0 0 8px; border-left: 3px solid var(--line); color: var(--muted); font-size: 12px; }
.assumption { color: var(--missing); font-weight: 600; } .confirmed { color: var(--pass); font-weight: 600; }
.unit { border: 1px solid var(--line); border-radius: 6px; padding: 4px 12px; margin: 10px 0; }
.unit h3 { margin: 8px 0 4px; }
.problem { color: var(--error); }
.toggle { font-size: 14px; margin: 12px 0; }
body:has(#only-missed:checked) section tr.st-pass, body:has(#only-missed:checked) section tr.st-not_due,
body:has(#only-missed:checked) section tr.st-not_applicable { display: none; }
svg text { font-family: inherit; }
@media print { .toggle { display: none; } h2 { break-before: page; } }
"""
STATUS_COLOURS = {
    "pass": "#1a7f37",
    "fail": "#cf222e",
    "missing": "#bc4c00",
    "error": "#8250df",
    "not_due": "#8c959f",
    "not_applicable": "#8c959f",
}


def esc(value) -> str:
    return escape(str(value), quote=True)


def _anchor(sub: Submission) -> str:
    return f"sub-{esc(sub.jurisdiction)}-{sub.year}"


def _grade_badge(sub: Submission, lang: str) -> str:
    grade = sub.grade.grade if sub.grade else None
    return f'<span class="grade g-{esc(grade) if grade else "none"}">{esc(grade_name(grade, lang))}</span>'


def _summary(report: Report, lang: str) -> list[str]:
    w, names = WORDS[lang], STATUS_NAMES[lang]
    head = [
        w["jurisdiction"],
        w["year"],
        w["overall"],
        w["grade"],
        w["quality_score"],
        w["task_score"],
        *(names[s] for s, _ in status_counts(report)),
    ]
    out = [f"<h2>{esc(w['summary'])}</h2>", "<table><thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h in head) + "</tr></thead><tbody>"]
    for sub in report.submissions:
        counts = {s: sum(f.status == s for f in sub.findings) for s, _ in status_counts(report)}
        counts["error"] += len(sub.problems)
        out.append(
            f'<tr class="st-{esc(sub.status)}"><td><a href="#{_anchor(sub)}">{esc(place(sub.jurisdiction, lang, report.jurisdiction_names))}</a></td>'
            f'<td class="num">{sub.year}</td><td class="status">{esc(overall_text(sub, lang))}</td><td>{_grade_badge(sub, lang)}</td>'
            f'<td class="num">{esc(score(sub.grade.water_quality_score if sub.grade else None))}</td>'
            f'<td class="num">{esc(score(sub.grade.key_task_score if sub.grade else None))}</td>'
            + "".join(f'<td class="num">{counts[s]}</td>' for s, _ in status_counts(report))
            + "</tr>"
        )
    totals = "".join(f'<td class="num"><b>{n}</b></td>' for _, n in status_counts(report))
    out.append(f'<tr><td colspan="6"><b>{report.summary["submissions"]} {esc(w["submissions"])}</b></td>{totals}</tr>')
    out.append("</tbody></table>")
    return out


def _assumptions(report: Report, lang: str) -> list[str]:
    if report.grading is None:
        return []
    w = WORDS[lang]
    out = [f"<h3>{esc(w['assumptions'])}</h3>", "<ul>"]
    for a in report.grading.assumptions:
        label = (
            f'<span class="confirmed">[{esc(w["confirmed"])}]</span>'
            if a.confirmed
            else f'<span class="assumption">[{esc(w["assumption"])}]</span>'
        )
        out.append(f"<li>{label} {esc(text(a.text, lang))}</li>")
    out.append(f'</ul><p class="muted">{esc(report.grading.file)} sha256 {esc(report.grading.sha256)}</p>')
    return out


def _unit_view(report: Report, lang: str) -> list[str]:
    w, names = WORDS[lang], STATUS_NAMES[lang]
    out = [f'<h2 id="by-unit">{esc(w["by_unit"])}</h2>', f'<p class="muted">{esc(w["by_unit_intro"])}</p>']
    accounts = unit_view(report)
    if not accounts:
        out.append(f"<p>{esc(w['no_misses'])}</p>")
    head = [w["year"], w["status"], w["rule"], w["subject"], w["observed"], w["target"], w["gap"], w["clause"]]
    for account in accounts:
        out.append(
            f'<div class="unit"><h3>{esc(place(account.jurisdiction, lang, report.jurisdiction_names))} · {esc(account.label(lang))} '
            f'<span class="muted">{len(account.misses)} {esc(w["missed"])}</span></h3>'
        )
        out.append("<table><thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h in head) + "</tr></thead><tbody>")
        for miss in account.misses:
            f = miss.finding
            out.append(
                f'<tr class="st-{esc(f.status)}"><td class="num">{miss.year}</td><td class="status">{esc(names[f.status])}</td>'
                f'<td>{esc(text(f.title, lang))}<blockquote>{esc(f.source.quote)}</blockquote></td>'
                f'<td>{esc(f.subject or "")}</td><td class="num">{esc(observed_text(f, lang))}</td>'
                f'<td class="num">{esc(target_text(f, lang))}</td><td class="num">{esc(gap_text(f, lang))}</td>'
                f'<td>{esc(source_text(f))}</td></tr>'
            )
        out.append("</tbody></table></div>")
    return out


def _chartable(f: Finding) -> bool:
    return (
        isinstance(f.observed, (int, float))
        and not isinstance(f.observed, bool)
        and isinstance(f.target.value, (int, float))
        and f.target.op is not None
        and f.status in ("pass", "fail")
    )


def chart(findings: list[Finding], lang: str) -> str:
    """Observed against target, one bar per numeric target, each on its own scale (units differ):
    the bar is the observed value, the black tick the target."""
    rows = [f for f in findings if _chartable(f)]
    if not rows:
        return ""
    label_w, bar_w, row_h, value_w = 330, 520, 26, 230
    height = row_h * len(rows) + 10
    parts = [
        f'<svg role="img" width="{label_w + bar_w + value_w}" height="{height}" '
        f'viewBox="0 0 {label_w + bar_w + value_w} {height}" aria-label="{esc(WORDS[lang]["chart"])}">'
    ]
    for i, f in enumerate(rows):
        y = 5 + i * row_h
        observed, target = float(f.observed), float(f.target.value)
        top = max(abs(observed), abs(target), 1e-9) * 1.15
        bar = max(0.0, observed) / top * bar_w
        tick = max(0.0, target) / top * bar_w + label_w
        title = text(f.title, lang)
        short = title if len(title) <= 22 else title[:21] + "…"
        unit = unit_text(f.unit)
        parts.append(
            f'<g><title>{esc(title)}: {esc(value_text(observed))}{esc(unit)} / {esc(target_text(f, lang))}</title>'
            f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end" font-size="12">{esc(short)}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{bar_w}" height="16" fill="#f6f8fa"/>'
            f'<rect x="{label_w}" y="{y + 4}" width="{bar:.1f}" height="16" fill="{STATUS_COLOURS[f.status]}"/>'
            f'<line x1="{tick:.1f}" x2="{tick:.1f}" y1="{y}" y2="{y + 24}" stroke="#1f2328" stroke-width="2"/>'
            f'<text x="{label_w + bar_w + 8}" y="{y + 16}" font-size="12">{esc(value_text(observed))}{esc(unit)}'
            f' ({esc(target_text(f, lang))})</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _submission(report: Report, sub: Submission, lang: str) -> list[str]:
    w, names = WORDS[lang], STATUS_NAMES[lang]
    out = [
        f'<section id="{_anchor(sub)}"><h2>{esc(submission_name(report, sub, lang))} — {esc(overall_text(sub, lang))}</h2>',
        f'<p class="meta">{esc(w["as_of"])} {sub.as_of} · {esc(w["files"])}: {esc(", ".join(sub.files))}</p>',
    ]
    if sub.grade is not None:
        out.append(
            f'<div class="scores">{_grade_badge(sub, lang)}'
            f'<span>{esc(w["quality_score"])} <b>{esc(score(sub.grade.water_quality_score))}</b></span>'
            f'<span>{esc(w["task_score"])} <b>{esc(score(sub.grade.key_task_score))}</b></span></div>'
        )
        out.append(f'<p class="muted">{esc(w["reasons"])}: {esc(reasons_text(sub.grade.reasons, lang))}</p>')
    svg = chart(sub.findings, lang)
    if svg:
        out.append(f"<h3>{esc(w['chart'])}</h3>{svg}")
    head = [
        w["status"],
        w["category"],
        w["rule"],
        w["subject"],
        w["observed"],
        w["target"],
        w["gap"],
        w["points"],
        w["units"],
        w["message"],
    ]
    out.append(f"<h3>{esc(w['findings'])}</h3><table><thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h in head) + "</tr></thead><tbody>")
    for f in sub.findings:
        note = f'<div class="muted">{esc(f.note)}</div>' if f.note else ""
        out.append(
            f'<tr class="st-{esc(f.status)}"><td class="status">{esc(names[f.status])}</td>'
            f'<td>{esc(CATEGORY_NAMES[lang][f.category])}</td>'
            f'<td>{esc(text(f.title, lang))}<blockquote>{esc(source_text(f))}：{esc(f.source.quote)}</blockquote></td>'
            f'<td>{esc(f.subject or "")}</td><td class="num">{esc(observed_text(f, lang))}</td>'
            f'<td class="num">{esc(target_text(f, lang))}</td><td class="num">{esc(gap_text(f, lang))}</td>'
            f'<td class="num">{esc(points_text(f))}</td><td>{esc(answering(f))}</td><td>{esc(message_text(f, lang))}{note}</td></tr>'
        )
    out.append("</tbody></table>")
    for d in sub.derived:
        out.append(
            f'<p class="muted">{esc(w["derived"])}: {esc(d.indicator)} = {esc(value_text(d.value))}{esc(d.unit or "")} ({esc(d.from_)})</p>'
        )
    for note in sub.notes:
        out.append(f'<p class="muted">{esc(w["notes"])}: {esc(text(note, lang))}</p>')
    for p in sub.problems:
        out.append(f'<p class="problem">! {esc(text(p.message, lang))} ({esc(p.location.describe())})</p>')
    out.append("</section>")
    return out


def _audit(report: Report, lang: str) -> list[str]:
    w = WORDS[lang]
    out = []
    if report.errors:
        out.append(f"<h2>{esc(w['problems'])}</h2><ul>")
        out += [f'<li class="problem">{esc(text(p.message, lang))} ({esc(p.location.describe())})</li>' for p in report.errors]
        out.append("</ul>")
    out.append(f"<h2>{esc(w['ruleset_hashes'])}</h2><table><tbody>")
    for r in report.rulesets:
        out.append(f"<tr><td>{esc(r.id)}</td><td>{esc(r.file)}</td><td><code>{esc(r.sha256)}</code></td></tr>")
    for i in report.inputs:
        read = "" if i.read else f' ({esc(w["not_read"])}{": " + esc(i.note) if i.note else ""})'
        out.append(f"<tr><td>{esc(w['input'])}</td><td>{esc(i.file)}{read}</td><td><code>{esc(i.sha256 or '—')}</code></td></tr>")
    out.append("</tbody></table>")
    return out


def render(report: Report, lang: str = "zh") -> bytes:
    w = WORDS[lang]
    as_of = f" · {esc(w['as_of'])} {report.as_of}" if report.as_of else ""
    body = [
        f"<h1>{esc(w['title'])}</h1>",
        f'<p class="meta">{esc(w["checker_version"])} {esc(report.checker_version)}{as_of}</p>',
        f'<label class="toggle"><input type="checkbox" id="only-missed"> '
        f'{"只显示未完成的目标" if lang == "zh" else "show only targets not met"}</label>',
    ]
    body += _summary(report, lang) + _assumptions(report, lang) + _unit_view(report, lang)
    for sub in report.submissions:
        body += _submission(report, sub, lang)
    body += _audit(report, lang)
    page = (
        f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{esc(w["title"])}</title>\n'
        f"<style>{STYLE}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )
    return visible(page).encode("utf-8")
