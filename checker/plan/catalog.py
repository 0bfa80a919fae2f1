"""A target's indicator: the catalog's (rulesets/indicators.yaml), matched by name and alias in
the target's own words and by unit; where none fits, a proposed entry (code, Chinese name,
unit) that the draft writes beside itself (draft.indicators.yaml) for the officer to review.

`validate_file` checks one ruleset file against the bundled catalog plus that sibling file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from checker.models import Catalog, Indicator, Unit
from checker.names import fold as fold_name
from checker.plan.numbers import fold
from checker.ruleset_problems import Said, at, validation_problems

PROPOSED_SUFFIX = ".indicators.yaml"
# Shares and counts the plans write in words of their own, as catalog units.
_KIND_BY_UNIT = {"%": "percentage", "个": "count"}


_GLOSS = re.compile(r"[(（][^()（）]*[)）]")


def proposed_path(ruleset_path: Path) -> Path:
    """draft.yaml -> draft.indicators.yaml, beside it."""
    ruleset_path = Path(ruleset_path)
    return ruleset_path.with_name(ruleset_path.name.removesuffix(ruleset_path.suffix) + PROPOSED_SUFFIX)


def load_catalog(path: Path) -> Catalog:
    from checker import safe_yaml

    return Catalog.model_validate(safe_yaml.load(Path(path).read_bytes()))


@dataclass
class Matcher:
    """Matches targets to the catalog, proposing entries where none fits; one per draft."""

    catalog: Catalog
    prefix: str
    proposed: dict[tuple[str, str | None], Indicator] = field(default_factory=dict)
    new_units: dict[str, Unit] = field(default_factory=dict)

    def __post_init__(self):
        self._units = {fold_name(alias): name for name, unit in self.catalog.units.items() for alias in (name, *unit.aliases)}
        names = []
        for ind in self.catalog.indicators:
            if ind.kind in ("class", "status", "type", "boolean", "text"):
                continue
            for name in (ind.name_zh, *ind.aliases):
                if len(name) >= 4:
                    names.append((fold(name), ind))
        # Longest name first: the most specific indicator the words name.
        self._names = sorted(names, key=lambda pair: (-len(pair[0]), pair[1].code))

    def unit(self, written: str | None) -> str | None:
        """The catalog's unit for a unit as written (公里 -> km, 条 -> 个); a new unit is proposed."""
        if not written or written == "类":
            return None
        if written == "百分点":
            written = "%"
        name = self._units.get(fold_name(written))
        if name is not None:
            return name
        self.new_units.setdefault(written, Unit(dimension=written, factor=1, aliases=[]))
        return written

    def match(self, words: str, unit: str | None, *, any_unit: bool = False) -> Indicator | None:
        """The catalog indicator the words name whose unit fits, or None. A reduction (percent of
        the indicator's own unit) or a stable target (against last year) fits any unit."""
        text = fold(words)
        # A gloss in brackets inside the name ("水质优良(达到或优于Ⅲ类)比例") is not part of it.
        bare = fold(_GLOSS.sub("", words))
        for name, ind in self._names:
            if (name in text or name in bare) and (any_unit or ind.unit == unit):
                return ind
        return None

    def propose(self, what: str, unit: str | None) -> Indicator:
        key = (what, unit)
        if key not in self.proposed:
            number = len(self.proposed) + 1
            self.proposed[key] = Indicator(
                code=f"{self.prefix}.i{number:03d}",
                name_zh=what,
                name_en=f"drafted indicator {number:03d} (to name in English on review)",
                unit=unit,
                kind=_KIND_BY_UNIT.get(unit or "", "quantity"),
            )
        return self.proposed[key]

    def proposed_yaml(self) -> bytes:
        """The proposed entries, in the catalog's own shape (units, indicators)."""
        head = (
            "# 起草时新拟的指标（请审核名称、单位后并入 rulesets/indicators.yaml）\n"
            "# Indicators proposed by the draft: review their names and units, then move them into rulesets/indicators.yaml.\n"
        )
        data = {
            "units": {name: unit.model_dump() for name, unit in sorted(self.new_units.items())},
            "indicators": [ind.model_dump(exclude_none=True, exclude_defaults=True) | {"kind": ind.kind} for ind in self.proposed.values()],
        }
        return (head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)).encode("utf-8")


def validate_file(path: Path, rulesets_dir: Path) -> tuple[int, list[Said]]:
    """One ruleset file against the catalog of `rulesets_dir` plus the file's sibling proposed
    indicators: (its number of rules, every located problem)."""
    from checker import rulesets

    path = Path(path)
    try:
        catalog = load_catalog(rulesets_dir / rulesets.CATALOG_FILE)
    except ValidationError as exc:
        return 0, validation_problems(rulesets_dir / rulesets.CATALOG_FILE, None, exc.errors(), ())
    except (OSError, yaml.YAMLError) as exc:
        where = rulesets_dir / rulesets.CATALOG_FILE
        return 0, [at(where, f"指标目录无法使用：{exc}", f"the catalog cannot be used: {exc}")]
    problems: list[Said] = []
    indicators = {ind.code: ind for ind in catalog.indicators}
    units = set(catalog.units)
    sibling = proposed_path(path)
    if sibling.exists():
        try:
            data = yaml.safe_load(sibling.read_text(encoding="utf-8")) or {}
            extra = Catalog.model_validate({"units": data.get("units") or {}, "indicators": data.get("indicators") or []})
        except ValidationError as exc:  # each error where it stands, in both languages
            return 0, validation_problems(sibling, data, exc.errors(), ())
        except (OSError, yaml.YAMLError, AttributeError) as exc:
            return 0, [at(sibling, f"不是可用的新拟指标清单：{exc}", f"not a usable list of proposed indicators: {exc}")]
        units |= set(extra.units)
        for ind in extra.indicators:
            if ind.code in indicators:
                problems.append(at(sibling, "指标目录中已有此代码", "already in the catalog", indicator=ind.code, key="code"))
            if ind.unit is not None and ind.unit not in units:
                problems.append(at(sibling, f"未知单位“{ind.unit}”", f"unknown unit {ind.unit!r}", indicator=ind.code, key="unit"))
            indicators[ind.code] = ind
    _, loaded, found = rulesets._parse_one(path, indicators)
    problems += found
    return (len(loaded.ruleset.rules) if loaded else 0), problems
