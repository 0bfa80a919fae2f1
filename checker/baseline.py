"""`checker check --baseline FILE`: report only what is new since an earlier run's findings JSON.

Like checkov's baseline: a finding whose jurisdiction, year, rule, subject and status are
all in the baseline is left out, so a CI pipeline fails on new misses only. Input
problems are never left out: an unusable sheet must be fixed, baseline or not.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from checker.intake import Limits, read_regular
from checker.models import BaselineRef, Report
from checker.statuses import submission_status, summarize


class BaselineError(Exception):
    pass


def _key(jurisdiction: str, year: int, rule_id: str, subject: str | None, status: str) -> tuple:
    return (jurisdiction, year, rule_id, subject or "", status)


def load_baseline(path: Path) -> tuple[set[tuple], str]:
    """The baseline's finding keys, and the SHA-256 of the very bytes they were read from."""
    try:
        raw = read_regular(path, Limits().max_file_bytes)
        data = json.loads(raw.decode("utf-8"))
        keys = {
            _key(sub["jurisdiction"], sub["year"], f["rule_id"], f.get("subject"), f["status"])
            for sub in data["submissions"]
            for f in sub["findings"]
        }
        return keys, hashlib.sha256(raw).hexdigest()
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise BaselineError(f"{path} is not a findings JSON of this checker ({type(exc).__name__}: {exc})") from None


def apply_baseline(report: Report, path: Path) -> Report:
    known, sha256 = load_baseline(path)
    kept_submissions, suppressed = [], 0
    for sub in report.submissions:
        kept = [f for f in sub.findings if _key(sub.jurisdiction, sub.year, f.rule_id, f.subject, f.status) not in known]
        suppressed += len(sub.findings) - len(kept)
        status = submission_status([f.status for f in kept] + ["error"] * len(sub.problems))
        kept_submissions.append(sub.model_copy(update={"findings": kept, "status": status}))
    summary = summarize(
        [
            *(f.status for s in kept_submissions for f in s.findings),
            *["error"] * (len(report.errors) + sum(len(s.problems) for s in kept_submissions)),
        ],
        len(kept_submissions),
    )
    ref = BaselineRef(file=path.as_posix(), sha256=sha256, suppressed=suppressed)
    return report.model_copy(update={"submissions": kept_submissions, "summary": summary, "baseline": ref})
