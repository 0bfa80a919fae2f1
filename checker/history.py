"""Values of other years, for the rules that compare years (reductions, 保持稳定, cumulative totals).

Rows of that year in this run come first; the store (`--db`), when given, fills in the
years this run did not read. Each value says where it came from, so a finding built on a
past value can be audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from checker.models import Location, Problem
from checker.observations import SubmissionInput


@dataclass(frozen=True)
class PastValue:
    value: float | str | bool | None
    location: Location
    problems: list[Problem] = field(default_factory=list)


class History:
    def __init__(self, run: dict[tuple[str, int], SubmissionInput], store=None):
        self.run = run
        self.store = store

    def get(self, jurisdiction: str, year: int, indicator: str, subject: str | None = None) -> PastValue | None:
        sub = self.run.get((jurisdiction, year))
        if sub is not None:
            problems = sub.problems_for(indicator, subject)
            obs = sub.get(indicator, subject)
            if problems or obs is not None:
                return PastValue(obs.value if obs else None, obs.location if obs else problems[0].location, problems)
        if self.store is not None:
            stored = self.store.value(jurisdiction, year, indicator, subject)
            if stored is not None:
                return PastValue(stored.value, stored.location)
        return None
