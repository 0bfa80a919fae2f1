"""One Report, rendered by one function per format: render(report, lang) -> bytes."""
from __future__ import annotations

from typing import Callable

from checker.models import Report
from checker.reports import json_report, text_report

RENDERERS: dict[str, Callable[[Report, str], bytes]] = {
    "text": text_report.render,
    "json": json_report.render,
}
EXTENSIONS = {"text": "txt", "json": "json"}


def render(report: Report, fmt: str, lang: str = "zh") -> bytes:
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; known: {', '.join(RENDERERS)}") from None
    return renderer(report, lang)
