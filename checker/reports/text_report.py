"""A readable table for the terminal, Chinese by default (`--lang en` for English).

Whatever came from a sheet may hold terminal escapes (a note that clears the screen or
retitles the window): every control character but the layout's own newlines and tabs is
shown as its control picture (ESC as ␛), and a table cell holds no line break at all.
"""

from __future__ import annotations

import unicodedata

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
    target_text,
    text,
    value_text,
    visible,
)

HEADERS = {
    "zh": ("状态", "规则", "对象", "实际值", "目标", "差距", "得分/权重", "牵头/责任单位"),
    "en": ("status", "rule", "subject", "observed", "target", "gap", "points/weight", "lead/responsible unit"),
}
MAX_CELL = 34


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def clip(text: str, limit: int = MAX_CELL) -> str:
    if width(text) <= limit:
        return text
    out = ""
    for ch in text:
        if width(out + ch) > limit - 1:
            break
        out += ch
    return out + "…"


def pad(text: str, size: int) -> str:
    return text + " " * (size - width(text))


def one_line(text: str) -> str:
    return visible(text, keep_cr=False).replace("\n", " ").replace("\t", " ")


def table(rows: list[tuple[str, ...]]) -> list[str]:
    rows = [tuple(one_line(cell) for cell in row) for row in rows]
    sizes = [max(width(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(pad(cell, sizes[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * s for s in sizes))
    return lines


def render(report: Report, lang: str = "zh") -> bytes:
    words, names = WORDS[lang], STATUS_NAMES[lang]
    out: list[str] = []
    for sub in report.submissions:
        out.append(
            f"== {place(sub.jurisdiction, lang, report.jurisdiction_names)} {sub.year} — {words['overall']}: {overall_text(sub, lang)}  "
            f"({words['as_of']} {sub.as_of}; {words['files']}: {', '.join(sub.files)})"
        )
        if sub.grade is not None:
            out.append(
                f"   {words['grade']}: {grade_name(sub.grade.grade, lang)}  {words['quality_score']} "
                f"{score(sub.grade.water_quality_score)}  {words['task_score']} {score(sub.grade.key_task_score)}"
                f"  ({reasons_text(sub.grade.reasons, lang)})"
            )
        rows = [HEADERS[lang]]
        for f in sub.findings:
            rows.append(
                (
                    names[f.status],
                    clip(text(f.title, lang)),
                    clip(f.subject or "", 20),
                    clip(observed_text(f, lang), 14),
                    target_text(f, lang),
                    gap_text(f, lang),
                    points_text(f),
                    clip(answering(f), 20),
                )
            )
        if len(rows) > 1:
            out.extend(table(rows))
        for f in sub.findings:
            if f.status in ("fail", "missing", "error") or f.waiver is not None:  # a waiver is never silent
                # The title first: an id alone tells a reader nothing (it stays, for the rule's author).
                out.append(f"  · [{names[f.status]}] {text(f.title, lang)} [{f.rule_id}]: {message_text(f, lang)}")
        for d in sub.derived:
            out.append(f"  {words['derived']}: {d.indicator} = {value_text(d.value)}{d.unit or ''} ({d.from_})")
        for note in sub.notes:
            out.append(f"  {words['notes']}: {text(note, lang)}")
        for p in sub.problems:
            out.append(f"  ! {text(p.message, lang)} ({p.location.describe()})")
        out.append("")
    accounts = unit_view(report)
    if accounts:
        out.append(f"== {words['by_unit']}")
        for account in accounts:
            out.append(
                f"  {place(account.jurisdiction, lang, report.jurisdiction_names)} {account.label(lang)}: {len(account.misses)} {words['missed']}"
            )
            for miss in account.misses:
                f = miss.finding
                gap = gap_text(f, lang)
                out.append(
                    f"    - {miss.year} [{names[f.status]}] {clip(text(f.title, lang), 40)}"
                    f"{' (' + f.subject + ')' if f.subject else ''}{'  ' + gap if gap else ''}  ({f.source.clause})"
                )
        out.append("")
    with_problem = {p.location.file for p in report.errors}
    unread = [i for i in report.inputs if not i.read and i.file not in with_problem]  # skipped types, not errors
    if report.errors or unread:
        out.append(f"== {words['problems']}")
        for p in report.errors:
            message = text(p.message, lang)
            where = "" if message.startswith(p.location.describe()) else f" ({p.location.describe()})"
            out.append(f"  ! {message}{where}")
        for i in unread:
            out.append(f"  {words['not_read']}: {i.file}{' (' + i.note + ')' if i.note else ''}")
        out.append("")
    s = report.summary
    counts = ", ".join(f"{names[k]} {s[k]}" for k in ("pass", "fail", "missing", "not_due", "not_applicable", "error"))
    out.append(f"{words['summary']}: {s['submissions']} {words['submissions']}; {counts}")
    return terminal_safe("\n".join(out) + "\n")


def terminal_safe(text: str) -> bytes:
    return visible(text, keep_cr=False).encode("utf-8")
