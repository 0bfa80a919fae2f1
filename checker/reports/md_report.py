"""Markdown for pasting into documents: the summary, the lead-unit view, then each submission.

Everything that came from a sheet or a ruleset goes through `cell`: a note like
`[点击](javascript:…)`, `![](http://…)`, `<img …>` or a bare `https://…` stays text that
reads as it was typed, and no link, image, HTML, emphasis or code span can be made of it.
"""

from __future__ import annotations

import re

from checker.accountability import unit_view
from checker.models import Report
from checker.reports.common import (
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
    submission_name,
    summary_table,
    target_text,
    text,
    value_text,
    visible,
)

# CommonMark and GitHub's additions: link and image brackets, emphasis, code spans,
# strikethrough, entity references, and the autolinks GitHub makes of bare URLs, `www.`
# and e-mail addresses. A backslash makes any of them a literal character; `_` inside a
# word (surface_water) opens no emphasis, so it stays as typed.
METACHARACTERS = re.compile(r"[\\`*\[\]~&|]|(?<!\w)_|_(?!\w)|:(?=//)|(?<=\bwww)\.|@")
LINE_BREAKS = re.compile("[\r\n\t]")
TAG_OPENER = re.compile(r"<(?=[A-Za-z/!?])")


def cell(value) -> str:
    """Text from a sheet or a ruleset: one line, Markdown metacharacters escaped, no raw HTML
    (a pasted `<script>` stays text), no control characters."""
    out = visible(str(value if value is not None else ""))
    out = METACHARACTERS.sub(lambda m: "\\" + m.group(), LINE_BREAKS.sub(" ", out))
    # Only a `<` that could open a tag or an autolink makes HTML, and a `>` only at a line's start
    # (a quote): the rest stays as typed, so 实际 < 目标 and ≥ read as they are.
    out = TAG_OPENER.sub("&lt;", out)
    return "\\" + out if out.startswith(">") else out


def code(value: str) -> str:
    """A code span, unless the text would end it early (nothing escapes inside one)."""
    return f"`{value}`" if "`" not in value and value == visible(value, keep_cr=False) else cell(value)


def table(header: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return lines + [""]


def render(report: Report, lang: str = "zh") -> bytes:
    w, names = WORDS[lang], STATUS_NAMES[lang]
    out = [f"# {w['title']}", ""]
    out += [f"{w['checker_version']} {report.checker_version}" + (f" · {w['as_of']} {report.as_of}" if report.as_of else ""), ""]
    out += [f"## {w['summary']}", ""]
    out += table(*summary_table(report, lang))
    if report.grading is not None:
        out += [f"### {w['assumptions']}", ""]
        for a in report.grading.assumptions:
            out.append(f"- **[{w['confirmed'] if a.confirmed else w['assumption']}]** {cell(text(a.text, lang))}")
        out.append("")

    out += [f"## {w['by_unit']}", "", w["by_unit_intro"], ""]
    accounts = unit_view(report)
    if not accounts:
        out += [w["no_misses"], ""]
    for account in accounts:
        out += [
            f"### {cell(place(account.jurisdiction, lang, report.jurisdiction_names))} · {cell(account.label(lang))} ({len(account.misses)} {w['missed']})",
            "",
        ]
        out += table(
            [w["year"], w["status"], w["rule"], w["subject"], w["observed"], w["target"], w["gap"], w["clause"], w["quote"]],
            [
                [
                    m.year,
                    names[m.finding.status],
                    text(m.finding.title, lang),
                    m.finding.subject,
                    observed_text(m.finding, lang),
                    target_text(m.finding, lang),
                    gap_text(m.finding, lang),
                    source_text(m.finding),
                    m.finding.source.quote,
                ]
                for m in account.misses
            ],
        )

    for sub in report.submissions:
        out += [f"## {cell(submission_name(report, sub, lang))} — {overall_text(sub, lang)}", ""]
        out += [f"{w['as_of']} {sub.as_of} · {w['files']}: {cell(', '.join(sub.files))}", ""]
        if sub.grade is not None:
            out += [
                f"**{w['grade']}: {grade_name(sub.grade.grade, lang)}** · {w['quality_score']} "
                f"{score(sub.grade.water_quality_score)} · {w['task_score']} {score(sub.grade.key_task_score)}",
                "",
                f"{w['reasons']}: {cell(reasons_text(sub.grade.reasons, lang))}",
                "",
            ]
        out += table(
            [w["status"], w["rule"], w["subject"], w["observed"], w["target"], w["gap"], w["points"], w["units"], w["message"]],
            [
                [
                    names[f.status],
                    text(f.title, lang),
                    f.subject,
                    observed_text(f, lang),
                    target_text(f, lang),
                    gap_text(f, lang),
                    points_text(f),
                    answering(f),
                    message_text(f, lang),
                ]
                for f in sub.findings
            ],
        )
        for d in sub.derived:
            out.append(f"- {w['derived']}: {code(d.indicator)} = {cell(value_text(d.value))}{cell(d.unit)} ({cell(d.from_)})")
        for note in sub.notes:
            out.append(f"- {w['notes']}: {cell(text(note, lang))}")
        for p in sub.problems:
            out.append(f"- ⚠ {cell(text(p.message, lang))} ({cell(p.location.describe())})")
        out.append("")
    if report.errors:
        out += [f"## {w['problems']}", ""]
        out += [f"- ⚠ {cell(text(p.message, lang))} ({cell(p.location.describe())})" for p in report.errors]
        out.append("")
    return ("\n".join(out).rstrip("\n") + "\n").encode("utf-8")
