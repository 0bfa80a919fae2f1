"""The hand-checked lists of every target and duty of each seed plan (tests/plans/*.yaml, made
by reading the plans: /work/notes/plan-lists.md gives the format) and the measure of a set of
rules against them: how many targets a set of rules holds with the right number, operator,
year and lead unit, how many duties with their units, and how many rules are neither.

The rules may be a ruleset's (pydantic models) or a draft's (plain dicts as YAML gives them).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

import yaml

PLANS_DIR = Path(__file__).parent / "plans"
CLASS_KINDS_OPS = {">=", "<=", "=="}


def norm(text: str) -> str:
    """Compare quotes as characters only: width folded (NFKC), whitespace gone."""
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def overlaps(a: str, b: str) -> bool:
    """One quote holds the other, or they share a run of 12 characters (or 60 % of the shorter)."""
    a, b = norm(a), norm(b)
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    match = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return match.size >= min(12, int(0.6 * min(len(a), len(b))) or 1)


@dataclass
class PlanList:
    seed: str
    plan_year: int
    targets: list[dict]
    duties: list[dict]


def load(path: Path) -> PlanList:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return PlanList(data["seed"], int(data["plan_year"]), data.get("targets") or [], data.get("duties") or [])


def lists() -> list[Path]:
    return sorted(PLANS_DIR.glob("*.yaml"))


def _get(rule, key, default=None):
    if isinstance(rule, dict):
        return rule.get(key, default)
    return getattr(rule, key, default)


def _names(items) -> set[str]:
    return {norm(x) for x in items or []}


def _leads(rule) -> set[str]:
    return _names(_get(rule, "lead_units")) or _names(_get(rule, "responsible_units"))


def _all_units(rule) -> set[str]:
    return _names(_get(rule, "lead_units")) | _names(_get(rule, "responsible_units")) | _names(_get(rule, "cooperating_units"))


def _year_of(value) -> int | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.year
    return int(str(value)[:4])


def _value_ok(entry: dict, rule) -> bool:
    kind = _get(rule, "kind")
    op, year, value = entry.get("op"), int(entry["year"]), entry.get("value")
    targets = {int(y): v for y, v in (_get(rule, "targets") or {}).items()}
    if op == "reduction":
        base = entry.get("baseline_year")
        return kind == "reduction" and _close(targets.get(year), value) and (base is None or int(_get(rule, "baseline_year")) == int(base))
    if op == "stable":
        start = _get(rule, "from_year")
        return kind in ("stable", "attestation") and (start is None or int(start) <= year)
    if op == "done":
        if kind == "task":
            deadline = _get(rule, "deadline")
            if entry.get("deadline"):
                return deadline is not None and str(deadline) == str(entry["deadline"])
            return _year_of(deadline) == year or (deadline is None and bool(_get(rule, "ongoing")))
        return kind == "attestation" and int(_get(rule, "from_year")) == year
    if kind == "cumulative":
        return op == ">=" and _close(targets.get(year), value)
    if kind in ("threshold", "stable"):
        return _get(rule, "op") == op and _close(targets.get(year), value)
    return False


def _close(a, b) -> bool:
    return a is not None and b is not None and abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(b)))


def target_held(entry: dict, rules) -> bool:
    lead = _names(entry.get("lead"))
    return any(overlaps(entry["quote"], _get(r, "quote")) and _value_ok(entry, r) and lead <= _leads(r) for r in rules)


def duty_held(entry: dict, rules) -> bool:
    units = _names(entry.get("units")) or _names(entry.get("lead"))
    return any(
        overlaps(entry["quote"], _get(r, "quote")) and _get(r, "kind") in ("attestation", "task") and units <= _all_units(r) for r in rules
    )


@dataclass
class Figures:
    targets: int = 0
    targets_held: int = 0
    duties: int = 0
    duties_held: int = 0
    rules: int = 0
    stray: int = 0
    missed_targets: list[str] = field(default_factory=list)
    missed_duties: list[str] = field(default_factory=list)
    stray_rules: list[str] = field(default_factory=list)

    @property
    def target_share(self) -> float:
        return 100.0 * self.targets_held / self.targets if self.targets else 100.0

    @property
    def duty_share(self) -> float:
        return 100.0 * self.duties_held / self.duties if self.duties else 100.0

    @property
    def stray_share(self) -> float:
        return 100.0 * self.stray / self.rules if self.rules else 0.0

    def line(self, name: str) -> str:
        return (
            f"{name}: targets {self.targets_held}/{self.targets} ({self.target_share:.1f} %), "
            f"duties {self.duties_held}/{self.duties} ({self.duty_share:.1f} %), "
            f"rules neither {self.stray}/{self.rules} ({self.stray_share:.1f} %)"
        )


def measure(plan: PlanList, rules, own_only: bool) -> Figures:
    """How `rules` hold the list. `own_only`: leave out entries marked `own: false` (a
    ruleset need not encode the city's target in a district's plan; a draft may)."""
    rules = list(rules)
    keep = [e for e in plan.targets if not own_only or e.get("own", True)]
    duties = [e for e in plan.duties if not own_only or e.get("own", True)]
    fig = Figures(targets=len(keep), duties=len(duties), rules=len(rules))
    for entry in keep:
        if target_held(entry, rules):
            fig.targets_held += 1
        else:
            fig.missed_targets.append(
                f"{entry['id']} {entry.get('clause', '')} {entry['quote'][:40]} ({entry.get('op')} {entry.get('value')} {entry.get('year')})"
            )
    for entry in duties:
        if duty_held(entry, rules):
            fig.duties_held += 1
        else:
            fig.missed_duties.append(f"{entry['id']} {entry.get('clause', '')} {entry['quote'][:40]}")
    entries = plan.targets + plan.duties
    for rule in rules:
        if not any(overlaps(e["quote"], _get(rule, "quote")) for e in entries):
            fig.stray += 1
            fig.stray_rules.append(f"{_get(rule, 'id')}: {norm(_get(rule, 'quote'))[:40]}")
    return fig
