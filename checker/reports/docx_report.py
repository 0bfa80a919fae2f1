"""The 考核 report as a Word document, for an officer to paste from into the accountability
report: the summary table with grades, the grading notes, the lead-unit view, then each
submission's findings with the plan's words.

Pages are A4 landscape (the findings tables are wide); every table repeats its header row
on each page it breaks across, and rows do not split. Chinese text is set in a Chinese font
(the East Asian font slot of each style), so Word does not fall back to a Western one.

Same report, same bytes: the package's parts are written with a fixed time, and the core
properties carry the report's own date, not the time of writing.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

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
    place,
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

CHINESE_FONT = "宋体"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"
# A zip entry's time is part of the file's bytes; 1980-01-01 is the earliest a zip can hold.
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def _cell(value) -> str:
    """Text a Word run can hold: XML 1.0 forbids most control characters, so they are shown."""
    return visible(str(value if value is not None else ""), keep_cr=False)


def _fonts(document) -> None:
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Table Grid"):
        style = document.styles[name]
        font = style.font
        font.name = LATIN_FONT
        east_asian = HEADING_FONT if name.startswith(("Heading", "Title")) else CHINESE_FONT
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.append(fonts)
        fonts.set(qn("w:eastAsia"), east_asian)
        fonts.set(qn("w:ascii"), LATIN_FONT)
        fonts.set(qn("w:hAnsi"), LATIN_FONT)
    document.styles["Normal"].font.size = Pt(10.5)


def _landscape(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(1.8))
    for side in ("top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.6))


def _row_flags(row, header: bool) -> None:
    props = row._tr.get_or_add_trPr()
    if header:
        repeat = OxmlElement("w:tblHeader")  # repeated at the top of every page the table breaks onto
        repeat.set(qn("w:val"), "true")
        props.append(repeat)
    keep = OxmlElement("w:cantSplit")
    keep.set(qn("w:val"), "true")
    props.append(keep)


def _table(document, header: list[str], rows: list[list]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    first = table.rows[0]
    _row_flags(first, header=True)
    for cell, title in zip(first.cells, header, strict=True):
        run = cell.paragraphs[0].add_run(_cell(title))
        run.bold = True
    for values in rows:
        row = table.add_row()
        _row_flags(row, header=False)
        for cell, value in zip(row.cells, values, strict=True):
            cell.paragraphs[0].add_run(_cell(value))
    document.add_paragraph()


def _heading(document, value: str, level: int) -> None:
    document.add_heading(_cell(value), level=level)


def _paragraph(document, value: str, bold: bool = False, style: str | None = None) -> None:
    paragraph = document.add_paragraph(style=style)
    paragraph.add_run(_cell(value)).bold = bold


def _summary(document, report: Report, lang: str) -> None:
    w = WORDS[lang]
    _heading(document, w["summary"], 1)
    _table(document, *summary_table(report, lang))
    if report.grading is not None:
        _heading(document, w["assumptions"], 2)
        for a in report.grading.assumptions:
            _paragraph(document, f"[{w['confirmed'] if a.confirmed else w['assumption']}] {text(a.text, lang)}", style="List Bullet")


def _by_unit(document, report: Report, lang: str) -> None:
    w, names = WORDS[lang], STATUS_NAMES[lang]
    _heading(document, w["by_unit"], 1)
    _paragraph(document, w["by_unit_intro"])
    accounts = unit_view(report)
    if not accounts:
        _paragraph(document, w["no_misses"])
    for account in accounts:
        _heading(
            document,
            f"{place(account.jurisdiction, lang, report.jurisdiction_names)} · {account.label(lang)}（{len(account.misses)} {w['missed']}）",
            2,
        )
        _table(
            document,
            [w["year"], w["status"], w["rule"], w["subject"], w["observed"], w["target"], w["gap"], w["clause"], w["quote"]],
            [
                [
                    m.year,
                    names[m.finding.status],
                    text(m.finding.title, lang),
                    m.finding.subject or "",
                    observed_text(m.finding, lang),
                    target_text(m.finding, lang),
                    gap_text(m.finding, lang),
                    source_text(m.finding),
                    m.finding.source.quote,
                ]
                for m in account.misses
            ],
        )


def _submissions(document, report: Report, lang: str) -> None:
    w, names = WORDS[lang], STATUS_NAMES[lang]
    for sub in report.submissions:
        _heading(document, f"{submission_name(report, sub, lang)} — {names[sub.status]}", 1)
        _paragraph(document, f"{w['as_of']} {sub.as_of} · {w['files']}: {', '.join(sub.files)}")
        if sub.grade is not None:
            _paragraph(
                document,
                f"{w['grade']}: {grade_name(sub.grade.grade, lang)} · {w['quality_score']} {score(sub.grade.water_quality_score)} · "
                f"{w['task_score']} {score(sub.grade.key_task_score)}",
                bold=True,
            )
            _paragraph(document, f"{w['reasons']}: {reasons_text(sub.grade.reasons, lang)}")
        _table(
            document,
            [w["status"], w["rule"], w["subject"], w["observed"], w["target"], w["gap"], w["units"], w["message"], w["quote"]],
            [
                [
                    names[f.status],
                    text(f.title, lang),
                    f.subject or "",
                    observed_text(f, lang),
                    target_text(f, lang),
                    gap_text(f, lang),
                    answering(f),
                    message_text(f, lang),
                    f"{source_text(f)}：{f.source.quote}",
                ]
                for f in sub.findings
            ],
        )
        for d in sub.derived:
            _paragraph(document, f"{w['derived']}: {d.indicator} = {value_text(d.value)}{d.unit or ''} ({d.from_})", style="List Bullet")
        for note in sub.notes:
            _paragraph(document, f"{w['notes']}: {text(note, lang)}", style="List Bullet")
        for p in sub.problems:
            _paragraph(document, f"⚠ {text(p.message, lang)} ({p.location.describe()})", style="List Bullet")
    if report.errors:
        _heading(document, w["problems"], 1)
        for p in report.errors:
            _paragraph(document, f"⚠ {text(p.message, lang)} ({p.location.describe()})", style="List Bullet")


def _fixed_zip(raw: bytes) -> bytes:
    """The package with every entry at one fixed time, in the order python-docx wrote them."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def render(report: Report, lang: str = "zh") -> bytes:
    w = WORDS[lang]
    document = Document()
    _fonts(document)
    _landscape(document)
    when = dt.datetime.combine(report.as_of or dt.date(2000, 1, 1), dt.time())
    props = document.core_properties
    props.title, props.author, props.last_modified_by = w["title"], "checker", "checker"
    props.created = props.modified = when
    props.revision = 1
    _heading(document, w["title"], 0)
    _paragraph(document, f"{w['checker_version']} {report.checker_version}" + (f" · {w['as_of']} {report.as_of}" if report.as_of else ""))
    _summary(document, report, lang)
    _by_unit(document, report, lang)
    _submissions(document, report, lang)
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue())
