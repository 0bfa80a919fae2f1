"""The lead-unit view (问责): for each unit that answers for a target, the targets it missed.

A unit is named by its jurisdiction and its name as the plan writes it: 市水务局 of
佳木斯 and 市水务局 of another city are different bodies. A finding counts against its
lead units (牵头单位), or against its responsible units where the plan names no lead.
Cooperating units (配合单位) are listed beside it, not held to account. A collective address
(各县区, 相关部门) is listed after the named bodies and marked so: the plan's words, but no one
body can be called to answer for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from checker.models import Finding, Report
from checker.names import is_collective

MISSED = ("fail", "missing")


@dataclass(frozen=True)
class Miss:
    jurisdiction: str
    year: int
    finding: Finding


@dataclass(frozen=True)
class UnitAccount:
    jurisdiction: str
    unit: str
    misses: tuple[Miss, ...]

    @property
    def collective(self) -> bool:
        return is_collective(self.unit)

    def label(self, lang: str) -> str:
        """The unit as the view names it: a collective address says that it is one."""
        if not self.collective:
            return self.unit
        return f"{self.unit}（泛指，非单一责任主体）" if lang == "zh" else f"{self.unit} (a collective address, not one body)"


def answerable_units(finding: Finding) -> list[str]:
    return list(finding.lead_units or finding.responsible_units)


def unit_view(report: Report) -> list[UnitAccount]:
    """Units with at least one missed target, by jurisdiction, most misses first, then by name."""
    misses: dict[tuple[str, str], list[Miss]] = {}
    for sub in report.submissions:
        for finding in sub.findings:
            if finding.status not in MISSED:
                continue
            for unit in answerable_units(finding):
                misses.setdefault((sub.jurisdiction, unit), []).append(Miss(sub.jurisdiction, sub.year, finding))
    accounts = [
        UnitAccount(jurisdiction, unit, tuple(sorted(found, key=lambda m: (m.year, m.finding.rule_id, m.finding.subject or ""))))
        for (jurisdiction, unit), found in misses.items()
    ]
    return sorted(accounts, key=lambda a: (a.jurisdiction, a.collective, -len(a.misses), a.unit))
