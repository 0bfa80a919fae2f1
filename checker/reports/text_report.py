"""A readable table for the terminal, Chinese by default (`--lang en` for English)."""
from __future__ import annotations

import unicodedata

from checker.models import Finding, Report
from checker.rulesets import JURISDICTION_NAMES_ZH

STATUS_NAMES = {
    "zh": {"pass": "通过", "fail": "未通过", "missing": "缺报", "not_due": "未到期", "not_applicable": "不适用", "error": "错误"},
    "en": {s: s for s in ("pass", "fail", "missing", "not_due", "not_applicable", "error")},
}
HEADERS = {
    "zh": ("状态", "规则", "对象", "实际值", "目标", "差距", "牵头/责任单位"),
    "en": ("status", "rule", "subject", "observed", "target", "gap", "lead/responsible unit"),
}
WORDS = {
    "zh": {"submission": "考核对象", "year": "年度", "overall": "总体结论", "derived": "计算值", "files": "文件",
           "problems": "输入问题", "summary": "汇总", "submissions": "份报表", "as_of": "截止日", "notes": "说明"},
    "en": {"submission": "submission", "year": "year", "overall": "overall", "derived": "derived", "files": "files",
           "problems": "input problems", "summary": "summary", "submissions": "submissions", "as_of": "as of", "notes": "notes"},
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


def _value(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _target(f: Finding, lang: str) -> str:
    t = f.target
    if t.deadline:
        return ("截止 " if lang == "zh" else "by ") + t.deadline.isoformat()
    if t.op:
        unit = "" if t.unit in (None, "ratio") else t.unit
        return f"{t.op} {_value(t.value)}{unit}" + (f" ({t.year})" if t.year else "")
    return "是" if lang == "zh" else "yes"


def table(rows: list[tuple[str, ...]]) -> list[str]:
    sizes = [max(width(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(pad(cell, sizes[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * s for s in sizes))
    return lines


def render(report: Report, lang: str = "zh") -> bytes:
    words, names = WORDS[lang], STATUS_NAMES[lang]
    out: list[str] = []
    for sub in report.submissions:
        place = JURISDICTION_NAMES_ZH.get(sub.jurisdiction, sub.jurisdiction) if lang == "zh" else sub.jurisdiction
        out.append(f"== {place} {sub.year} — {words['overall']}: {names[sub.status]}  "
                   f"({words['as_of']} {sub.as_of}; {words['files']}: {', '.join(sub.files)})")
        rows = [HEADERS[lang]]
        for f in sub.findings:
            title = f.title.zh if lang == "zh" else f.title.en
            rows.append((names[f.status], clip(title), clip(f.subject or "", 20), clip(_value(f.observed), 14),
                         _target(f, lang), "" if f.gap is None else f"{f.gap:+g}", clip("、".join(f.lead_units or f.responsible_units), 20)))
        if len(rows) > 1:
            out.extend(table(rows))
        for f in sub.findings:
            if f.status in ("fail", "missing", "error"):
                out.append(f"  · [{names[f.status]}] {f.rule_id}: {f.message.zh if lang == 'zh' else f.message.en}")
        for d in sub.derived:
            out.append(f"  {words['derived']}: {d.indicator} = {_value(d.value)}{d.unit or ''} ({d.from_})")
        for note in sub.notes:
            out.append(f"  {words['notes']}: {note.zh if lang == 'zh' else note.en}")
        for p in sub.problems:
            out.append(f"  ! {p.message.zh if lang == 'zh' else p.message.en} ({p.location.describe()})")
        out.append("")
    if report.errors:
        out.append(f"== {words['problems']}")
        for p in report.errors:
            out.append(f"  ! {p.message.zh if lang == 'zh' else p.message.en} ({p.location.describe()})")
        out.append("")
    s = report.summary
    counts = ", ".join(f"{names[k]} {s[k]}" for k in ("pass", "fail", "missing", "not_due", "not_applicable", "error"))
    out.append(f"{words['summary']}: {s['submissions']} {words['submissions']}; {counts}")
    return ("\n".join(out) + "\n").encode("utf-8")
