"""Findings as JSON (contract §7): sorted keys, no wall-clock time, byte-identical across runs.

orjson writes it: the standard library's encoder falls back to pure Python whenever it
indents, which cost seconds on a national batch. Same layout (two-space indent, sorted
keys, UTF-8 kept as is).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import BinaryIO

import orjson

from checker.models import Report

SURROGATES = re.compile("[\ud800-\udfff]")


def _dumps(data) -> bytes:
    try:
        return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:
        # A lone surrogate (a JSON sheet may hold "\ud800") is no UTF-8: shown as U+FFFD, as
        # every other format shows it, rather than losing the report.
        return orjson.dumps(_encodable(data), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)


def _encodable(value):
    if isinstance(value, str):
        return SURROGATES.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_encodable(k): _encodable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_encodable(v) for v in value]
    return value


def render(report: Report, lang: str = "zh") -> bytes:
    # Both languages are always in the JSON; `lang` matters only to human formats.
    return _dumps(report.model_dump(mode="json", by_alias=True)) + b"\n"


# A national batch is written without holding every finding at once: each submission is
# rendered to its own fragment as it is judged, and the fragments are put in place in the
# report's own layout. The bytes equal render()'s (tested).
SUBMISSIONS_EMPTY = b'  "submissions": [],\n'


def submission_fragment(submission) -> bytes:
    text = _dumps(submission.model_dump(mode="json", by_alias=True))
    return b"    " + text.replace(b"\n", b"\n    ")  # indented into the report's list (no newline inside a value)


def write_with_fragments(report: Report, fragments: Iterable[bytes], out: BinaryIO) -> None:
    """`report` without its submissions, and the submissions' fragments in order, written to `out`
    one by one as they come, so a national batch's findings are never all in memory."""
    shell = render(report.model_copy(update={"submissions": []}))
    head, tail = shell.split(SUBMISSIONS_EMPTY)
    out.write(head)
    first = True
    for fragment in fragments:
        out.write(b'  "submissions": [\n' if first else b",\n")
        out.write(fragment)
        first = False
    out.write(SUBMISSIONS_EMPTY if first else b"\n  ],\n")
    out.write(tail)
