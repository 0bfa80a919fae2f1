"""The one order of statuses, a submission's status, and a report's summary (contract §7)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from checker.models import STATUSES

# A submission's status is its worst finding's; a listed problem counts as an error.
SEVERITY = ("error", "fail", "missing", "pass")


def submission_status(statuses: Iterable[str]) -> str:
    """The worst status: error, else fail, else missing, else pass."""
    present = set(statuses)
    return next((s for s in SEVERITY if s in present), "pass")


def summarize(statuses: Iterable[str], submissions: int) -> dict[str, int]:
    """The summary of a report: the number of submissions and of each status, every status named
    (problems outside a finding are given as "error")."""
    counts = Counter(statuses)
    return {"submissions": submissions, **{status: counts.get(status, 0) for status in STATUSES}}
