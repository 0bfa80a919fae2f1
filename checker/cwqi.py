"""The city water-quality index CWQI and the ranking by it (《城市地表水环境质量排名技术规定（试行）》,
环办监测〔2017〕51号), from the sections' values for the period (checker.monitoring.period_means).

The method is data (rulesets/standards/cwqi-2017.yaml): the items, the Class III limits taken
from GB 3838-2002's table, how a jurisdiction's river and lake indices are formed and combined,
and, for each point, its source and whether the notice's own text confirms it. Whatever uses
an index says the points that are not confirmed (`caveats`).

Plain Python over a few means per section: a jurisdiction has tens of sections, not millions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from checker.cwqi_rule import CwqiRule
from checker.models import SurfaceWaterStandard
from checker.monitoring import round_half_even


def item_index(code: str, value: float, lake: bool, rule: CwqiRule, standard: SurfaceWaterStandard) -> float:
    """CWQI(i) of one item's value: C/Cs, Cs/C for an item bounded from below (DO), pH by its range."""
    item = standard.items[code]
    if item.direction == "range":
        if value <= rule.ph_neutral:
            return (rule.ph_neutral - value) / (rule.ph_neutral - item.low)
        return (value - rule.ph_neutral) / (item.high - rule.ph_neutral)
    at = standard.classes.index(rule.limit_class)
    limits = item.lake_limits if lake and item.lake_limits is not None else item.limits
    limit = limits[at]
    if item.direction == "min":
        return limit / value if value > 0 else math.inf
    return value / limit


def index_of(means: dict[str, float], lake: bool, rule: CwqiRule, standard: SurfaceWaterStandard) -> tuple[float, dict[str, float]]:
    """The sum of the item indices over the rule's items present in `means`, and each item's index.
    An index without a finite value (a dissolved oxygen of 0: Cs/C) is left out like an item not
    reported, rather than making the whole sum infinite."""
    parts = {code: item_index(code, means[code], lake, rule, standard) for code in rule.items if code in means}
    parts = {code: v for code, v in parts.items() if math.isfinite(v)}
    return sum(parts.values()), parts


def mean_of(values: list[float], code: str, standard: SurfaceWaterStandard) -> float:
    """Mean of one item over sections: pH as hydrogen-ion concentration, as the sections' own means are."""
    if standard.items[code].mean == "hydrogen_ion":
        return -math.log10(sum(10.0**-v for v in values) / len(values))
    return sum(values) / len(values)


@dataclass
class BodyIndex:
    """A jurisdiction's rivers, or its lakes: the index, how many sections and which items it covers."""

    index: float
    sections: int
    means: dict[str, float]
    parts: dict[str, float]


def body_index(sections: list[dict[str, float]], lake: bool, rule: CwqiRule, standard: SurfaceWaterStandard) -> BodyIndex | None:
    if not sections:
        return None
    codes = [c for c in rule.items if any(c in s for s in sections)]
    if rule.body_mean == "mean_of_section_indices":
        indices = [index_of(s, lake, rule, standard)[0] for s in sections]
        means = {c: mean_of([s[c] for s in sections if c in s], c, standard) for c in codes}
        return BodyIndex(sum(indices) / len(indices), len(sections), means, index_of(means, lake, rule, standard)[1])
    means = {c: mean_of([s[c] for s in sections if c in s], c, standard) for c in codes}
    total, parts = index_of(means, lake, rule, standard)
    return BodyIndex(total, len(sections), means, parts)


@dataclass
class JurisdictionIndex:
    name: str
    river: BodyIndex | None
    lake: BodyIndex | None
    classes: dict[str, str] = field(default_factory=dict)  # section -> its class, for the change ranking

    @property
    def sections(self) -> int:
        return sum(b.sections for b in (self.river, self.lake) if b is not None)

    @property
    def cwqi(self) -> float:
        bodies = [b for b in (self.river, self.lake) if b is not None]
        return sum(b.index * b.sections for b in bodies) / sum(b.sections for b in bodies)

    @property
    def items(self) -> list[str]:
        return list(dict.fromkeys(c for b in (self.river, self.lake) if b is not None for c in b.parts))


def jurisdiction_index(
    name: str, sections: dict[str, tuple[dict[str, float], bool]], rule: CwqiRule, standard: SurfaceWaterStandard
) -> JurisdictionIndex | None:
    """`sections`: section -> (its item means, whether it is a lake). None when no section has an item."""
    wanted = set(rule.items)
    rivers = [m for m, lake in sections.values() if not lake and wanted & m.keys()]
    lakes = [m for m, lake in sections.values() if lake and wanted & m.keys()]
    if not rivers and not lakes:
        return None
    return JurisdictionIndex(name, body_index(rivers, False, rule, standard), body_index(lakes, True, rule, standard))


def rounded(value: float, decimals: int) -> float:
    return round_half_even(value, decimals)


def change(current: float, baseline: float) -> float | None:
    """ΔCWQI in percent; None against a baseline of 0 (no change can be stated)."""
    if baseline == 0:
        return None
    return (current - baseline) / baseline * 100


def ranked(values: dict[str, float]) -> list[tuple[int, str, float, bool]]:
    """(rank, name, value, tied) ascending; equal values are ordered by name and marked tied."""
    order = sorted(values.items(), key=lambda kv: (kv[1], kv[0]))
    counts: dict[float, int] = {}
    for _, v in order:
        counts[v] = counts.get(v, 0) + 1
    return [(n, name, v, counts[v] > 1) for n, (name, v) in enumerate(order, start=1)]


def exempt_from_change(current: dict[str, str], baseline: dict[str, str], rule: CwqiRule, standard: SurfaceWaterStandard) -> bool:
    """Every section at or better than the exempt class in both periods (targets are not judged)."""
    worst = standard.classes.index(rule.change_exempt_class)
    both = [*current.values(), *baseline.values()]
    return bool(both) and all(standard.classes.index(c) <= worst for c in both)


# ---------------------------------------------------------------- as derived values of a submission

SECTION_CWQI = "surface_water.cwqi"
CITY_CWQI = "surface_water.city_cwqi"


def _parts(parts: dict[str, float], means: dict[str, float], standard: SurfaceWaterStandard) -> str:
    return ", ".join(f"{standard.items[c].name} {means[c]:.6g} → {v:.4f}" for c, v in parts.items())


def caveat_line(rule: CwqiRule) -> str:
    return "not confirmed or not applied: " + "; ".join(t.en for t in rule.caveats())


def derived_cwqi(means, lakes: set[str], first: dict, rule: CwqiRule, standard: SurfaceWaterStandard) -> list:
    """Each section's CWQI, and the jurisdiction's, from the sections' values for the year
    (`means`: checker.monitoring.period_means). Listed under `derived`, each saying how."""
    from checker.models import Derived

    by_section: dict[str, tuple[dict[str, float], bool]] = {}
    for key, rows in means.groupby("subject", sort=True):
        by_section[key] = (dict(zip(rows["item"], rows["mean"], strict=True)), key in lakes)
    out = []
    for key, (section_means, lake) in by_section.items():
        total, parts = index_of(section_means, lake, rule, standard)
        if not parts:
            continue
        how = (
            f"CWQI = Σ CWQI(i) over {len(parts)} of the {len(rule.items)} items ({rule.standard}; "
            f"{'lake' if lake else 'river'} limits): {_parts(parts, section_means, standard)}"
        )
        out.append(
            Derived(indicator=SECTION_CWQI, subject=first[key].subject, value=rounded(total, rule.decimals), unit=None, **{"from": how})
        )
    city = jurisdiction_index("", by_section, rule, standard)
    if city is not None:
        bodies = [(kind, b) for kind, b in (("rivers", city.river), ("lakes", city.lake)) if b is not None]
        how = (
            "(" + " + ".join(f"{kind} {b.index:.4f} × {b.sections}" for kind, b in bodies) + f") / {city.sections}"
            f", each body's index from its items' means over its sections; {len(city.items)} items; " + caveat_line(rule)
        )
        out.append(Derived(indicator=CITY_CWQI, subject=None, value=rounded(city.cwqi, rule.decimals), unit=None, **{"from": how}))
    return out
