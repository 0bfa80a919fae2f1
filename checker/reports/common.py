"""Words and value formats that every human-readable report shares, in Chinese and English."""

from __future__ import annotations

import re
from collections.abc import Mapping

from checker.models import GRADE_NAMES_EN, STATUSES, TASK_STATES_ZH, Finding, Report, Submission, Text
from checker.names import JURISDICTION_NAMES_ZH

STATUS_NAMES = {
    "zh": {"pass": "通过", "fail": "未通过", "missing": "缺报", "not_due": "未到期", "not_applicable": "不适用", "error": "错误"},
    # English words, not the codes (not_due): the findings JSON keeps the codes for programs.
    "en": {s: s.replace("_", " ") for s in STATUSES},
}

CATEGORY_NAMES = {
    "zh": {"water_quality": "水环境质量", "key_task": "重点工作"},
    "en": {"water_quality": "water quality", "key_task": "key tasks"},
}

WORDS = {
    "zh": {
        "title": "水污染防治目标考核检查报告",
        "summary": "汇总",
        "submission": "考核对象",
        "year": "年度",
        "jurisdiction": "地区",
        "overall": "总体结论",
        "status": "状态",
        "grade": "等级",
        "quality_score": "水质得分",
        "task_score": "重点工作得分",
        "as_of": "截止日",
        "files": "文件",
        "derived": "计算值",
        "notes": "说明",
        "problems": "输入问题",
        "findings": "检查结果",
        "rule": "规则",
        "subject": "对象",
        "observed": "实际值",
        "target": "目标",
        "gap": "差距",
        "units": "牵头/责任单位",
        "unit": "责任单位",
        "clause": "条款",
        "quote": "原文",
        "message": "说明",
        "category": "类别",
        "by_unit": "按责任单位：未完成目标（问责）",
        "by_unit_intro": "每个牵头单位（规划未列牵头单位时为责任单位）在全部考核对象中未完成（未通过、缺报）的目标，附规划原文。",
        "no_misses": "没有未完成的目标。",
        "assumptions": "评分方案说明",
        "confirmed": "已确认",
        "assumption": "可配置假设",
        "grading_source": "依据",
        "reasons": "评定过程",
        "chart": "实际值与目标",
        "submissions": "份报表",
        "ungraded": "未评定",
        "missed": "未完成",
        "document": "文件",
        "checker_version": "检查工具版本",
        "ruleset_hashes": "规则集与输入文件哈希",
        "input": "输入文件",
        "not_read": "未读取",
        "location": "位置",
        "lang_other": "English",
        "points": "得分/权重",
    },
    "en": {
        "title": "Water-pollution-prevention target assessment",
        "summary": "summary",
        "submission": "submission",
        "year": "year",
        "jurisdiction": "jurisdiction",
        "overall": "overall",
        "status": "status",
        "grade": "grade",
        "quality_score": "water-quality score",
        "task_score": "key-task score",
        "as_of": "as of",
        "files": "files",
        "derived": "derived",
        "notes": "notes",
        "problems": "input problems",
        "findings": "findings",
        "rule": "rule",
        "subject": "subject",
        "observed": "observed",
        "target": "target",
        "gap": "gap",
        "units": "lead/responsible unit",
        "unit": "unit",
        "clause": "clause",
        "quote": "quote",
        "message": "message",
        "category": "category",
        "by_unit": "By unit: targets missed (accountability)",
        "by_unit_intro": "For each lead unit (or responsible unit where the plan names no lead), the targets it missed "
        "(fail or missing) across all submissions, with the plan's words.",
        "no_misses": "No target was missed.",
        "assumptions": "Grading scheme",
        "confirmed": "confirmed",
        "assumption": "configurable assumption",
        "grading_source": "source",
        "reasons": "how the grade was reached",
        "chart": "observed against target",
        "submissions": "submissions",
        "ungraded": "not graded",
        "missed": "missed",
        "document": "document",
        "checker_version": "checker version",
        "ruleset_hashes": "ruleset and input hashes",
        "input": "input file",
        "not_read": "not read",
        "location": "location",
        "lang_other": "中文",
        "points": "points/weight",
    },
}


# What no report can carry as it is: C0 and C1 controls and DEL (a terminal runs ESC sequences,
# XML 1.0 and openpyxl refuse most C0 controls, HTML calls them parse errors), and what UTF-8
# cannot encode at all (lone surrogates) or XML forbids (U+FFFE, U+FFFF). Tab, newline and
# carriage return are kept unless a format says otherwise.
UNCARRIABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_CONTROLS_AND_CR = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _picture(match: re.Match) -> str:
    """A C0 control or DEL as its Unicode control picture (ESC shows as ␛), anything else as �:
    the reader sees that something was there."""
    code = ord(match.group())
    return chr(0x2400 + code) if code < 0x20 else "\u2421" if code == 0x7F else "\ufffd"


def visible(value: str, keep_cr: bool = True) -> str:
    """`value` with every character no report can carry made visible instead (see UNCARRIABLE)."""
    return (UNCARRIABLE if keep_cr else _CONTROLS_AND_CR).sub(_picture, value)


def unsigned_zero(value):
    """-0.0 as 0.0: a sign on zero says nothing a reader can use, and reads as a miss."""
    return 0.0 if isinstance(value, float) and value == 0 else value


def text(value: Text, lang: str) -> str:
    return value.zh if lang == "zh" else value.en


def place(jurisdiction: str, lang: str, names: Mapping[str, str] = JURISDICTION_NAMES_ZH) -> str:
    """A jurisdiction as people name it: its Chinese name in Chinese (from the report, which has
    every plan's own names), its id in English."""
    return names.get(jurisdiction, jurisdiction) if lang == "zh" else jurisdiction


def submission_name(report: Report, sub: Submission, lang: str) -> str:
    return f"{place(sub.jurisdiction, lang, report.jurisdiction_names)} {sub.year}"


def reasons_text(reasons, lang: str) -> str:
    """How a grade was reached, one reason after another, in the reader's punctuation."""
    return ("；" if lang == "zh" else "; ").join(text(r, lang) for r in reasons)


def grade_name(grade: str | None, lang: str) -> str:
    if grade is None:
        return WORDS[lang]["ungraded"]
    return grade if lang == "zh" else GRADE_NAMES_EN[grade]


def score(value: float | None) -> str:
    return "—" if value is None else f"{unsigned_zero(value):g}"


def value_text(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return f"{unsigned_zero(value):g}"
    return str(value)


def observed_text(f: Finding, lang: str) -> str:
    """The observed value as the reader's language writes it (task states in Chinese)."""
    if lang == "zh" and isinstance(f.observed, str):
        return TASK_STATES_ZH.get(f.observed, f.observed)
    if lang == "en" and isinstance(f.observed, bool):
        return "yes" if f.observed else "no"
    return value_text(f.observed)


def unit_text(unit: str | None) -> str:
    return "" if unit in (None, "ratio") else unit


def english_units(report: Report) -> Report:
    """The report as English readers see it: each unit the catalog names in English written so
    (万亩 as × 10⁴ mu), in the targets, gaps and derived values every format shows."""
    names = report.unit_names_en

    def en(unit):
        return names.get(unit, unit)

    def finding(f: Finding) -> Finding:
        if f.unit not in names and f.target.unit not in names:
            return f
        return f.model_copy(update={"unit": en(f.unit), "target": f.target.model_copy(update={"unit": en(f.target.unit)})})

    submissions = [
        s.model_copy(
            update={
                "findings": [finding(f) for f in s.findings],
                "derived": [d.model_copy(update={"unit": en(d.unit)}) if d.unit in names else d for d in s.derived],
            }
        )
        for s in report.submissions
    ]
    return report.model_copy(update={"submissions": submissions})


def after_number(unit: str | None, lang: str) -> str:
    """A unit after a number: English spaces off a word or a symbol of letters (90 × 10⁴ mu,
    204 km), never % or ℃; Chinese writes it close (204km, 90万亩)."""
    shown = unit_text(unit)
    return f" {shown}" if lang == "en" and (shown[:1].isalpha() or shown[:1] == "×") else shown


# Reports people read write the comparison as the plans' own typography does; the findings JSON
# keeps the contract's ASCII operators (a program reads those).
OP_SIGNS = {">=": "≥", "<=": "≤"}
_ASCII_OPS = re.compile(r"(?<![<>=!])(>=|<=)(?![<>=])")


def op_text(op: str) -> str:
    return OP_SIGNS.get(op, op)


def readable_ops(value: str) -> str:
    """>= and <= as ≥ and ≤ (a `=>` or `<=>` typed by someone is left alone)."""
    return _ASCII_OPS.sub(lambda m: OP_SIGNS[m.group()], value)


def message_text(f: Finding, lang: str) -> str:
    """A finding's message for a reader: its targets' >= and <= as ≥ and ≤."""
    return readable_ops(text(f.message, lang))


def target_text(f: Finding, lang: str) -> str:
    t = f.target
    if t.deadline:
        return ("截止 " if lang == "zh" else "by ") + t.deadline.isoformat()
    if t.op:
        return f"{op_text(t.op)} {value_text(t.value)}{after_number(t.unit, lang)}" + (f" ({t.year})" if t.year else "")
    return "是" if lang == "zh" else "yes"


def gap_text(f: Finding, lang: str) -> str:
    """How far from the target, in words an officer reads: percentage points, days late."""
    if f.gap is None:
        return ""
    gap = unsigned_zero(f.gap)
    if f.target.deadline is not None:
        days = int(-gap)
        if days == 0:
            return "到期未完成" if lang == "zh" else "due, not done"
        return f"逾期 {days} 天" if lang == "zh" else f"{days} days late"
    if f.target.unit == "%":
        return f"{gap:+g} 个百分点" if lang == "zh" else f"{gap:+g} pp"
    return f"{gap:+g}{(' ' + unit_text(f.target.unit)) if unit_text(f.target.unit) else ''}"


def answering(f: Finding) -> str:
    return "、".join(f.lead_units or f.responsible_units)


def source_text(f: Finding) -> str:
    number = f" {f.source.number}" if f.source.number else ""
    return f"《{f.source.document}》{number} {f.source.clause}".strip()


def status_counts(report: Report) -> list[tuple[str, int]]:
    return [(status, report.summary.get(status, 0)) for status in STATUSES]


def points_text(f: Finding) -> str:
    """The points a finding earned out of its weight ("3 / 3", "0 / 1"); "—" when not scored."""
    if f.earned is None:
        return "—"
    return f"{round(f.earned, 6) + 0.0:g} / {round(f.weight, 6) + 0.0:g}"


def overall_text(sub: Submission, lang: str) -> str:
    """Whether every target was met and the grade, in one line that cannot contradict itself
    (a bare 未通过 beside a green 优秀 read as two verdicts)."""
    missed = sum(f.status in ("fail", "missing") for f in sub.findings)
    unusable = sum(f.status == "error" for f in sub.findings) + len(sub.problems)
    met = sum(f.status == "pass" for f in sub.findings)
    zh = lang == "zh"
    if missed or unusable:
        parts = [f"{missed}项未达标" if zh else f"{missed} missed"] if missed else []
        parts += [f"{unusable}项数据无法使用" if zh else f"{unusable} unusable"] if unusable else []
        verdict = f"未全部达标（{'、'.join(parts)}）" if zh else f"not every target met ({', '.join(parts)})"
    elif met:
        verdict = f"全部达标（{met}项）" if zh else f"every target met ({met})"
    else:
        verdict = "没有到期的目标" if zh else "no target due"
    grade = sub.grade.grade if sub.grade else None
    if grade is None:
        return verdict + ("；未评定等级" if zh else "; not graded")
    return verdict + (f"；考核等级：{grade}" if zh else f"; grade: {GRADE_NAMES_EN[grade]}")


def summary_table(report: Report, lang: str) -> tuple[list[str], list[list]]:
    """The summary's header and rows, one per submission: place, year, overall line, grade,
    the two scores and the count of each status (input problems counted as errors)."""
    w, names = WORDS[lang], STATUS_NAMES[lang]
    statuses = [s for s, _ in status_counts(report)]
    header = [w["jurisdiction"], w["year"], w["overall"], w["grade"], w["quality_score"], w["task_score"], *(names[s] for s in statuses)]
    rows = [
        [
            place(s.jurisdiction, lang, report.jurisdiction_names),
            s.year,
            overall_text(s, lang),
            grade_name(s.grade.grade if s.grade else None, lang),
            score(s.grade.water_quality_score if s.grade else None),
            score(s.grade.key_task_score if s.grade else None),
            *(sum(f.status == st for f in s.findings) + (len(s.problems) if st == "error" else 0) for st in statuses),
        ]
        for s in report.submissions
    ]
    return header, rows
