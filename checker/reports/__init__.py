"""One Report, rendered by one function per format: render(report, lang) -> bytes."""
from __future__ import annotations

from typing import Callable

from checker.models import Report
from checker.reports import html_report, json_report, junit_report, md_report, text_report, xlsx_report

RENDERERS: dict[str, Callable[[Report, str], bytes]] = {
    "text": text_report.render,
    "json": json_report.render,
    "html": html_report.render,
    "xlsx": xlsx_report.render,
    "md": md_report.render,
    "junit": junit_report.render,
}
EXTENSIONS = {"text": "txt", "json": "json", "html": "html", "xlsx": "xlsx", "md": "md", "junit": "junit.xml"}


def render(report: Report, fmt: str, lang: str = "zh") -> bytes:
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; known: {', '.join(RENDERERS)}") from None
    return renderer(report, lang)
