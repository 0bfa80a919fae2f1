"""One Report, rendered by one function per format: render(report, lang) -> bytes."""

from __future__ import annotations

import importlib

from checker.models import Report

# Format -> the module whose `render(report, lang) -> bytes` writes it. Modules are imported
# when their format is first rendered: the XLSX writer's openpyxl alone costs a run that
# only wants JSON a seventh of a second.
RENDERERS: dict[str, str] = {
    "text": "checker.reports.text_report",
    "json": "checker.reports.json_report",
    "html": "checker.reports.html_report",
    "xlsx": "checker.reports.xlsx_report",
    "md": "checker.reports.md_report",
    "junit": "checker.reports.junit_report",
    "docx": "checker.reports.docx_report",
}
EXTENSIONS = {"text": "txt", "json": "json", "html": "html", "xlsx": "xlsx", "md": "md", "junit": "junit.xml", "docx": "docx"}


def render(report: Report, fmt: str, lang: str = "zh") -> bytes:
    try:
        module = RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; known: {', '.join(RENDERERS)}") from None
    if lang == "en" and fmt != "json" and report.unit_names_en:
        from checker.reports.common import english_units

        report = english_units(report)
    return importlib.import_module(module).render(report, lang)
