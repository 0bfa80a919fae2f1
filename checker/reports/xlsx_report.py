"""The findings as an Excel workbook: summary, findings, by-unit, grading and inputs sheets.

Headers in the report's language, frozen header rows, filters on every sheet; each sheet
prints landscape, one page wide, its header row on every page. Text that came from a sheet
could be a formula in disguise (=HYPERLINK(...), +cmd|...): every text cell is written as
text, and one starting with = + - @ (or a tab or carriage return) carries Excel's quote
prefix, so opening the workbook never runs it. A character no worksheet can hold (a control
character in a note) is shown as its control picture instead.
XlsxWriter in constant-memory mode writes each row to a temporary file as it comes: a
national batch's findings fit, in time and memory that grow with the rows and no faster.
Fixed dates and zip timestamps: the same report gives the same bytes.
"""

from __future__ import annotations

import io
import math
import re
import tempfile
import zipfile
from datetime import UTC, datetime

import xlsxwriter

from checker.accountability import unit_view
from checker.models import Report
from checker.reports.common import (
    CATEGORY_NAMES,
    STATUS_NAMES,
    TASK_STATES_ZH,
    gap_text,
    grade_name,
    message_text,
    observed_text,
    op_text,
    overall_text,
    place,
    reasons_text,
    source_text,
    target_text,
    text,
    unsigned_zero,
    visible,
)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER_FILL = "DDEBF7"
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FIXED_CORE_TIME = "1980-01-01T00:00:00Z"
STATUS_FILLS = {"fail": "F8D7DA", "missing": "FCE5CD", "error": "E4DAF5", "pass": "D9F2E3"}

SHEETS = {
    "zh": {"summary": "汇总", "findings": "检查结果", "by_unit": "按责任单位", "grading": "评分说明", "inputs": "输入文件与问题"},
    "en": {"summary": "summary", "findings": "findings", "by_unit": "by unit", "grading": "grading", "inputs": "inputs and problems"},
}
COLUMNS = {
    "summary": {
        "zh": [
            "地区代码",
            "地区",
            "年度",
            "总体结论",
            "等级",
            "水质得分",
            "重点工作得分",
            "评定过程",
            "通过",
            "未通过",
            "缺报",
            "未到期",
            "不适用",
            "错误",
            "截止日",
            "文件",
            "说明",
        ],
        "en": [
            "jurisdiction id",
            "jurisdiction",
            "year",
            "overall",
            "grade",
            "water-quality score",
            "key-task score",
            "how graded",
            "pass",
            "fail",
            "missing",
            "not_due",
            "not_applicable",
            "error",
            "as of",
            "files",
            "notes",
        ],
    },
    "findings": {
        "zh": [
            "地区",
            "年度",
            "规则编号",
            "类别",
            "状态",
            "标题",
            "对象",
            "实际值",
            "单位",
            "比较",
            "目标值",
            "目标年度",
            "截止日期",
            "差距",
            "差距说明",
            "权重",
            "牵头单位",
            "责任单位",
            "配合单位",
            "文件",
            "条款",
            "原文",
            "说明",
            "备注",
            "数据位置",
            "得分",
        ],
        "en": [
            "jurisdiction",
            "year",
            "rule id",
            "category",
            "status",
            "title",
            "subject",
            "observed",
            "unit",
            "op",
            "target",
            "target year",
            "deadline",
            "gap",
            "gap (words)",
            "weight",
            "lead units",
            "responsible units",
            "cooperating units",
            "document",
            "clause",
            "quote",
            "message",
            "note",
            "where in the input",
            "points earned",
        ],
    },
    "by_unit": {
        "zh": ["地区", "责任单位", "年度", "状态", "规则编号", "标题", "对象", "实际值", "目标", "差距", "条款", "原文"],
        "en": ["jurisdiction", "unit", "year", "status", "rule id", "title", "subject", "observed", "target", "gap", "clause", "quote"],
    },
    "grading": {"zh": ["是否经依据确认", "内容"], "en": ["confirmed by the source", "statement"]},
    "inputs": {"zh": ["类型", "文件", "SHA-256 / 位置", "说明"], "en": ["kind", "file", "SHA-256 / location", "note"]},
}
WIDTHS = {
    "标题": 40,
    "title": 40,
    "原文": 60,
    "quote": 60,
    "说明": 40,
    "message": 40,
    "评定过程": 50,
    "how graded": 50,
    "内容": 100,
    "statement": 100,
    "文件": 30,
    "file": 30,
    "files": 30,
    "规则编号": 36,
    "rule id": 36,
}


def safe(value):
    """Cells keep numbers as numbers (never -0); text never becomes a formula, and holds no
    character a worksheet cannot (a control character in a note stopped the whole workbook)."""
    if value is None or isinstance(value, (int, float)) and not isinstance(value, bool):
        return unsigned_zero(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return visible(str(value))


def _sheet(title: str, headers: list[str], rows: list[list], statuses: list[str] | None = None):
    # Colour the rows an officer must act on; the status column carries the same in words.
    return title, headers, [[safe(v) for v in row] for row in rows], [STATUS_FILLS.get(s) for s in statuses or []]


def _formats(workbook) -> dict:
    """Per row fill (none first): the plain and the quote-prefixed cell format; the header's under "header"."""
    formats = {None: (None, workbook.add_format({"quote_prefix": True}))}
    for rgb in STATUS_FILLS.values():
        formats[rgb] = tuple(workbook.add_format({"pattern": 1, "bg_color": f"#{rgb}", "quote_prefix": quoted}) for quoted in (False, True))
    formats["header"] = workbook.add_format(
        {"bold": True, "pattern": 1, "bg_color": f"#{HEADER_FILL}", "valign": "vcenter", "text_wrap": True}
    )
    return formats


def _write_sheet(workbook, formats: dict, title: str, headers: list[str], rows: list[list], fills: list) -> None:
    ws = workbook.add_worksheet(title)
    for col, header in enumerate(headers):
        ws.set_column(col, col, WIDTHS.get(header, max(10, len(header) * 2 + 2)))
        ws.write_string(0, col, header, formats["header"])
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, len(rows), len(headers) - 1)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    for number, row in enumerate(rows, start=1):  # in order: constant-memory mode writes each row out as it ends
        plain, quoted = formats[fills[number - 1] if number - 1 < len(fills) else None]
        for col, value in enumerate(row):
            if value is None or value == "":
                ws.write_blank(number, col, None, plain)  # only a filled row keeps its empty cells
            elif isinstance(value, (int, float)) and math.isfinite(value):
                ws.write_number(number, col, value, plain)
            else:
                value = str(value)
                ws.write_string(number, col, value, quoted if value.startswith(FORMULA_STARTS) else plain)


def render(report: Report, lang: str = "zh") -> bytes:
    names, categories = STATUS_NAMES[lang], CATEGORY_NAMES[lang]
    titles = SHEETS[lang]
    sheets = []

    summary_rows = []
    for sub in report.submissions:
        counts = {s: sum(f.status == s for f in sub.findings) for s in names}
        counts["error"] += len(sub.problems)
        grade = sub.grade
        summary_rows.append(
            [
                sub.jurisdiction,
                place(sub.jurisdiction, lang, report.jurisdiction_names),
                sub.year,
                overall_text(sub, lang),
                grade_name(grade.grade if grade else None, lang),
                grade.water_quality_score if grade else None,
                grade.key_task_score if grade else None,
                reasons_text(grade.reasons, lang) if grade else "",
                *(counts[s] for s in names),
                sub.as_of.isoformat(),
                "\n".join(sub.files),
                "\n".join(text(n, lang) for n in sub.notes),
            ]
        )
    sheets.append(_sheet(titles["summary"], COLUMNS["summary"][lang], summary_rows, [s.status for s in report.submissions]))

    finding_rows = []
    for sub in report.submissions:
        for f in sub.findings:
            t = f.target
            finding_rows.append(
                [
                    place(sub.jurisdiction, lang, report.jurisdiction_names),
                    sub.year,
                    f.rule_id,
                    categories[f.category],
                    names[f.status],
                    text(f.title, lang),
                    f.subject,
                    observed_text(f, lang) if isinstance(f.observed, str) else f.observed,
                    f.unit,
                    op_text(t.op) if t.op else None,
                    TASK_STATES_ZH.get(t.value, t.value) if lang == "zh" and isinstance(t.value, str) else t.value,
                    t.year,
                    t.deadline.isoformat() if t.deadline else None,
                    f.gap,
                    gap_text(f, lang),
                    f.weight,
                    "、".join(f.lead_units),
                    "、".join(f.responsible_units),
                    "、".join(f.cooperating_units),
                    source_text(f),
                    f.source.clause,
                    f.source.quote,
                    message_text(f, lang),
                    f.note,
                    "; ".join(loc.describe() for loc in f.locations),
                    f.earned,
                ]
            )
    sheets.append(
        _sheet(titles["findings"], COLUMNS["findings"][lang], finding_rows, [f.status for sub in report.submissions for f in sub.findings])
    )

    unit_rows = []
    for account in unit_view(report):
        for miss in account.misses:
            f = miss.finding
            unit_rows.append(
                [
                    place(account.jurisdiction, lang, report.jurisdiction_names),
                    account.label(lang),
                    miss.year,
                    names[f.status],
                    f.rule_id,
                    text(f.title, lang),
                    f.subject,
                    observed_text(f, lang) if isinstance(f.observed, str) else f.observed,
                    target_text(f, lang),
                    gap_text(f, lang),
                    source_text(f),
                    f.source.quote,
                ]
            )
    sheets.append(
        _sheet(titles["by_unit"], COLUMNS["by_unit"][lang], unit_rows, [m.finding.status for a in unit_view(report) for m in a.misses])
    )

    grading_rows = []
    if report.grading is not None:
        yes, no = ("已确认", "可配置假设") if lang == "zh" else ("confirmed", "configurable assumption")
        grading_rows = [[yes if a.confirmed else no, text(a.text, lang)] for a in report.grading.assumptions]
        grading_rows.append(["", f"{report.grading.file} sha256 {report.grading.sha256}"])
    sheets.append(_sheet(titles["grading"], COLUMNS["grading"][lang], grading_rows))

    kinds = {"zh": ("规则集", "输入文件", "未读取", "输入问题"), "en": ("ruleset", "input", "not read", "input problem")}[lang]
    input_rows = [[kinds[0], r.file, r.sha256, r.id] for r in report.rulesets]
    input_rows += [[kinds[1] if i.read else kinds[2], i.file, i.sha256, i.note] for i in report.inputs]
    problems = list(report.errors) + [p for sub in report.submissions for p in sub.problems]
    input_rows += [[kinds[3], p.location.file, p.location.describe(), text(p.message, lang)] for p in problems]
    sheets.append(_sheet(titles["inputs"], COLUMNS["inputs"][lang], input_rows))

    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="checker-xlsx-") as tmp:
        workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True, "tmpdir": tmp})
        workbook.set_properties({"author": "checker", "created": datetime(1980, 1, 1, tzinfo=UTC)})
        formats = _formats(workbook)
        for sheet in sheets:
            _write_sheet(workbook, formats, *sheet)
        workbook.close()
    return buffer.getvalue()


def fixed_zip(data: bytes) -> bytes:
    """For workbooks openpyxl makes (the templates): openpyxl stamps the save time into docProps/core.xml and every zip entry; pin both."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)", rb"\g<1>" + FIXED_CORE_TIME.encode() + rb"\g<2>", content
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, content)
    return out.getvalue()
