"""Sheet templates for submitters: `checker template JURISDICTION YEAR -o FILE.xlsx|.csv`.

One row per indicator, task or declaration that the plans in force that year ask for, in
the contract's long format, with the target beside it (read-only). The XLSX adds data
validation (lists for classes, statuses and 是/否; decimal ranges for shares; dates) and
a 说明 sheet. A filled-in template is an ordinary sheet: the checker reads it as any other.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from checker.reports.common import readable_ops, visible
from checker.reports.xlsx_report import fixed_zip
from checker.rules import KINDS
from checker.rulesets import RuleBook

INPUT_COLUMNS = ["地区", "年度", "指标", "数值", "单位", "对象", "日期", "备注"]
# Read-only columns: their headers are no column name the readers know, so a filled-in
# template reads exactly like a plain sheet.
GUIDE_COLUMNS = ["目标（只读）", "目标名称（只读）", "规则（只读）", "牵头单位（只读）", "填写提示（只读）"]
SPARE_ROWS = 200  # unlocked rows below the template's, for section rows and the like
READ_ONLY_FILL = PatternFill("solid", fgColor="EDEDED")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")

STATUS_CHOICES = ["已完成", "推进中", "未启动"]
YES_NO = ["是", "否"]


@dataclass(frozen=True)
class TemplateRow:
    jurisdiction: str
    year: int
    indicator: str  # catalog code
    indicator_name: str  # as the sheet shows it (Chinese name)
    unit: str | None
    subject: str | None
    target: str
    titles: str  # the rules' Chinese titles, as the plan words them: what a clerk recognises
    rules: str
    lead_units: str
    hint: str
    kind: str  # what the value column accepts: number, share, class, status, yes_no, type


class TemplateError(Exception):
    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en


def template_rows(book: RuleBook, jurisdiction: str, year: int) -> list[TemplateRow]:
    """The rows a submitter must fill for (jurisdiction, year): only what is in force that year."""
    rulesets = book.rulesets_for(jurisdiction, year)
    if not rulesets:
        raise TemplateError(*book.not_covered(jurisdiction, year))
    place = book.jurisdiction_name(jurisdiction)
    rows: dict[tuple[str, str | None, int], TemplateRow] = {}

    def add(rule, indicator: str, subject: str | None, target: str, hint: str, kind: str, row_year: int = year):
        target = readable_ops(target)  # a clerk reads the sheet: ≥ as the plan writes it
        key = (indicator, subject, row_year)
        ind = book.indicators[indicator]
        units = "、".join(rule.lead_units or rule.responsible_units)
        if key in rows:  # several rules read one row: one row, every target beside it
            old = rows[key]
            rows[key] = TemplateRow(
                old.jurisdiction,
                old.year,
                old.indicator,
                old.indicator_name,
                old.unit,
                old.subject,
                f"{old.target}；{target}",
                f"{old.titles}\n{rule.title.zh}",
                f"{old.rules}\n{rule.id}",
                old.lead_units,
                old.hint,
                old.kind,
            )
            return
        rows[key] = TemplateRow(
            place, row_year, indicator, ind.name_zh, ind.unit, subject, target, rule.title.zh, rule.id, units, hint, kind
        )

    for lr in rulesets:
        for rule in lr.ruleset.rules:
            if rule.until is not None and year > rule.until:
                continue  # past the target's horizon nothing is asked for it
            for line in KINDS[rule.kind].template_lines(rule, year, book):
                add(rule, line.indicator, line.subject, line.target, line.hint, line.kind, year if line.year is None else line.year)
    return sorted(
        rows.values(), key=lambda r: (r.year != year, r.indicator.startswith(("task.", "attestation.")), r.indicator, r.subject or "")
    )


def _line(row: TemplateRow) -> list:
    return [
        row.jurisdiction,
        row.year,
        row.indicator_name,
        None,
        row.unit,
        row.subject,
        None,
        None,
        row.target,
        row.titles,
        row.rules,
        row.lead_units,
        row.hint,
    ]


def render_csv(rows: list[TemplateRow]) -> bytes:
    """UTF-8 with a BOM, which Excel on a Chinese Windows opens without mojibake."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(INPUT_COLUMNS + GUIDE_COLUMNS)
    for row in rows:
        writer.writerow(["" if v is None else v for v in _line(row)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


INSTRUCTIONS = [
    "填写说明 / How to fill in this sheet",
    "",
    "1. 在“指标”工作表中，每行填写一项指标、任务或承诺事项的“数值”；灰色列（目标、规则、牵头单位、填写提示）只读，不必修改。",
    "2. 数值：比例填百分数（如 55 表示 55%）；数量按“单位”列的单位填写，也可改写单位列（如 万立方米），系统会自动换算。",
    "3. 任务完成情况：从下拉列表选择 已完成 / 推进中 / 未启动；已完成的须在“日期”列填写完成日期（如 2018-09-30）。",
    "4. 承诺事项：选择 是 / 否；选“是”的，须在“备注”列写明佐证材料（文件名、文号或网址）。",
    "5. 断面水质：可不填“水质优良比例”，改为在表格下方空行中每个断面填一行：指标填“断面水质类别”，对象填断面名称，数值填 Ⅰ–Ⅴ 或 劣Ⅴ；"
    "入境/出境断面另加一行“断面性质”。也可逐次填写监测数据（如 氨氮、总磷），对象为断面名称，日期为采样日期。",
    "6. 不适用的事项请保留空白，并在“备注”中说明原因；经批准的豁免按“waiver.granted”行填写（对象为规则编号，数值为原因，备注为批准单位，日期为有效期）。",
    "7. 请勿修改表头、合并单元格或插入公式；保存为 .xlsx 或 .csv 后提交。",
    "",
    "1. In the 指标 sheet, fill in 数值 (value) on every row; the grey columns (target, rule, lead unit, hint) are read-only.",
    "2. Shares are percentages (55 means 55 %); quantities are in the unit shown, or change the unit column and the checker converts.",
    "3. Tasks: choose 已完成 / 推进中 / 未启动 from the list; a completed task needs its completion date in 日期.",
    "4. Declarations: choose 是 / 否; 是 needs the evidence in 备注.",
    "5. Instead of the good-section share, add one row per section below (断面水质类别, subject = section, value I–V or 劣V),"
    " or monitoring samples (氨氮, 总磷, … with the sampling date).",
]


def _width(text: str) -> int:
    """Excel's column width counts a CJK character as two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


NAME_ROOM = 22  # Excel width units: ten CJK characters count as 20, and a margin


def _widths(headers: list[str], rows: list[TemplateRow]) -> list[float]:
    """Wide enough for a long jurisdiction name, the header and short values in full; long text
    columns are capped and wrap."""
    # The first column leaves room to type a ten-character name (a province, a city and a county).
    floors = [NAME_ROOM, 6, 16, 10, 8, 16, 12, 16, 16, 16, 16, 12, 16]
    caps = [24, 8, 40, 12, 10, 36, 14, 30, 36, 40, 40, 24, 40]
    lines = [headers] + [[str(v) if v is not None else "" for v in _line(r)] for r in rows]
    return [
        max(floor, min(cap, max(_width(part) for line in lines for part in line[i].split("\n")) + 2))
        for i, (floor, cap) in enumerate(zip(floors, caps, strict=True))
    ]


def _printable(ws, columns: int) -> None:
    """A sheet a county office prints: landscape A4, one page wide, the header on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.print_options.gridLines = True


def render_xlsx(rows: list[TemplateRow], book: RuleBook) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "指标"
    headers = INPUT_COLUMNS + GUIDE_COLUMNS
    ws.append(headers)
    for row in rows:
        # A ruleset's text with a control character in it would stop openpyxl's save.
        ws.append([visible(v) if isinstance(v, str) else v for v in _line(row)])
    last = len(rows) + 1
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for index, width in enumerate(_widths(headers, rows), start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    _printable(ws, len(headers))
    # Input columns stay editable (and SPARE_ROWS more rows for sections); the guide columns are locked.
    for r in range(2, last + SPARE_ROWS + 1):
        for c in range(1, len(INPUT_COLUMNS) + 1):
            ws.cell(row=r, column=c).protection = Protection(locked=False)
        for c in range(len(INPUT_COLUMNS) + 1, len(headers) + 1):
            cell = ws.cell(row=r, column=c)
            if r <= last:
                cell.fill = READ_ONLY_FILL
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # let them widen columns, filter and sort; not edit targets
    ws.protection.formatRows = False
    ws.protection.autoFilter = False
    ws.protection.sort = False
    ws.freeze_panes = "D2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{last}"

    validations = {
        "status": DataValidation(
            type="list",
            formula1='"' + ",".join(STATUS_CHOICES) + '"',
            allow_blank=True,
            error="请选择 已完成 / 推进中 / 未启动",
            errorTitle="完成情况",
        ),
        "yes_no": DataValidation(
            type="list", formula1='"' + ",".join(YES_NO) + '"', allow_blank=True, error="请选择 是 或 否", errorTitle="承诺事项"
        ),
        "share": DataValidation(
            type="decimal",
            operator="between",
            formula1="0",
            formula2="100",
            allow_blank=True,
            error="比例应在 0 到 100 之间（55 表示 55%）",
            errorTitle="比例",
        ),
        "number": DataValidation(
            type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True, error="请填写不小于 0 的数值", errorTitle="数值"
        ),
    }
    dates = DataValidation(
        type="date",
        operator="between",
        formula1="DATE(2000,1,1)",
        formula2="DATE(2100,12,31)",
        allow_blank=True,
        error="请填写日期，如 2018-09-30",
        errorTitle="日期",
    )
    for validation in (*validations.values(), dates):
        validation.showErrorMessage = True
        ws.add_data_validation(validation)
    for r, row in enumerate(rows, start=2):
        validations[row.kind].add(f"D{r}")
        if row.kind == "status":
            dates.add(f"G{r}")
    # Spare rows: section classes or samples; a class list there would block samples, so only dates.
    dates.add(f"G{last + 1}:G{last + SPARE_ROWS}")

    guide = wb.create_sheet("说明")
    for line in INSTRUCTIONS:
        guide.append([line])
    guide.column_dimensions["A"].width = 140
    guide["A1"].font = Font(bold=True, size=14)
    classes = wb.create_sheet("取值")  # the accepted spellings, for reference
    classes.append(["指标", "可填写的值"])
    for code in ("surface_water.section_class", "task.status", "surface_water.section_type", "attestation.declared"):
        ind = book.indicators.get(code)
        if ind is not None and ind.values:
            classes.append([ind.name_zh, "；".join("、".join(v) for v in ind.values.values())])
    classes.column_dimensions["A"].width = 20
    classes.column_dimensions["B"].width = 120
    wb.properties.creator = "checker"
    buffer = io.BytesIO()
    wb.save(buffer)
    return fixed_zip(buffer.getvalue())  # same bytes for the same template
