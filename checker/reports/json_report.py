"""Findings as JSON (contract §7): sorted keys, no wall-clock time, byte-identical across runs.

orjson writes it: the standard library's encoder falls back to pure Python whenever it
indents, which cost seconds on a national batch. Same layout (two-space indent, sorted
keys, UTF-8 kept as is).
"""
from __future__ import annotations

import orjson

from checker.models import Report


def render(report: Report, lang: str = "zh") -> bytes:
    # Both languages are always in the JSON; `lang` matters only to human formats.
    data = report.model_dump(mode="json", by_alias=True)
    return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"
