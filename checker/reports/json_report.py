"""Findings as JSON (contract §7): sorted keys, no wall-clock time, byte-identical across runs."""
from __future__ import annotations

import json

from checker.models import Report


def render(report: Report, lang: str = "zh") -> bytes:
    # Both languages are always in the JSON; `lang` matters only to human formats.
    data = report.model_dump(mode="json", by_alias=True)
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")
