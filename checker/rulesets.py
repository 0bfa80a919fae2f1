"""Load and validate the rulesets folder: the indicator catalog and one YAML file per plan.

Rulesets are data: only yaml.safe_load (through checker.safe_yaml, which returns what it
returns, faster), then pydantic. Every problem names the file, the rule (by id, or its
position) and the key.
"""

from __future__ import annotations

import functools
import hashlib
import multiprocessing
import os
import zlib
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from checker import safe_yaml
from checker.cwqi_rule import CwqiRule
from checker.models import (
    BlackOdourStandard,
    Catalog,
    GradingRef,
    GradingScheme,
    Indicator,
    Period,
    RulesetRef,
    SurfaceWaterStandard,
    Unit,
    Waiver,
)
from checker.names import FIXED_JURISDICTION_LOOKUP, JURISDICTION_NAMES_ZH, JURISDICTIONS, fold
from checker.processes import die_with_parent
from checker.progress import Progress
from checker.rules import KINDS, NUMERIC_KINDS, Ruleset
from checker.rules.base import REBUILT
from checker.ruleset_problems import Said, at, os_error_zh, validation_problems, yaml_en, yaml_zh

CATALOG_FILE = "indicators.yaml"
GRADING_FILE = "grading.yaml"
SURFACE_WATER_FILE = "standards/gb3838-2002.yaml"
BLACK_ODOUR_FILE = "standards/black-odorous-2015.yaml"
CWQI_FILE = "standards/cwqi-2017.yaml"


class RulesetError(Exception):
    """A ruleset folder that cannot be used; `problems` lists every located problem, each said
    in Chinese and English (a Said)."""

    def __init__(self, problems: list[Said]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


@dataclass(frozen=True)
class LoadedRuleset:
    """One plan file, validated. What routing and judging need of every plan is at hand (its id,
    jurisdiction, names, period, the earlier years its rules read); its rules are kept as the
    validated plan's compressed JSON and rebuilt when asked. A national batch has thousands of
    plans: about 6 KB each this way, against 0.07 MB each as objects in every process."""

    path: Path
    sha256: str
    id: str
    jurisdiction: str
    jurisdiction_names: tuple[str, ...]
    period: Period
    needs: tuple[tuple[int, str], ...]  # (earlier year, indicator) that its rules read
    packed: bytes = field(repr=False)

    @classmethod
    def of(cls, ruleset: Ruleset, path: Path, sha256: str) -> LoadedRuleset:
        return cls(
            path=path,
            sha256=sha256,
            id=ruleset.id,
            jurisdiction=ruleset.jurisdiction,
            jurisdiction_names=tuple(ruleset.jurisdiction_names),
            period=ruleset.period,
            needs=tuple(sorted(_earlier_years_read(ruleset))),
            packed=zlib.compress(ruleset.model_dump_json().encode("utf-8"), 1),
        )

    @property
    def ruleset(self) -> Ruleset:
        return _unpack(self.packed)

    def reads(self, indicator: str) -> bool:
        """Whether a rule of the plan reads `indicator`. The packed JSON not naming it anywhere
        answers no without building the plan (a plan rebuilt costs about 3 ms, its bytes searched 0.1)."""
        if f'"{indicator}"'.encode() not in zlib.decompress(self.packed):
            return False
        return any(r.indicator == indicator for r in self.ruleset.rules)

    @property
    def ref(self) -> RulesetRef:
        return RulesetRef(id=self.id, file=self.path.name, sha256=self.sha256)


# A submission reads its plan's rules many times over; the few plans in use stay built. The
# JSON is pydantic's own dump of the validated plan, so it comes back equal (tested).
@functools.lru_cache(maxsize=16)
def _unpack(packed: bytes) -> Ruleset:
    return Ruleset.model_validate_json(zlib.decompress(packed), context={REBUILT: True})


def _earlier_years_read(ruleset: Ruleset) -> set[tuple[int, str]]:
    """(year, indicator) before the assessed one that rules read: a reduction's baseline, the
    year before a stay-stable rule's first, a cumulative total's years before the plan."""
    needs: set[tuple[int, str]] = set()
    for rule in ruleset.rules:
        needs.update((year, rule.indicator) for year in KINDS[rule.kind].years_read(rule, ruleset.period))
    return needs


@dataclass(frozen=True)
class RuleBook:
    """The catalog and the rulesets of one folder, with lookups built once."""

    catalog: Catalog
    catalog_sha256: str
    rulesets: tuple[LoadedRuleset, ...]
    indicators: dict[str, Indicator] = field(default_factory=dict)
    indicator_names: dict[str, str] = field(default_factory=dict)
    unit_names: dict[str, str] = field(default_factory=dict)
    value_names: dict[str, dict[str, str]] = field(default_factory=dict)  # code -> folded spelling -> canonical
    grading: GradingScheme | None = None
    grading_ref: GradingRef | None = None
    jurisdiction_lookup: dict[str, str] = field(default_factory=dict)  # folded name -> id, fixed and declared
    surface_water: SurfaceWaterStandard | None = None
    black_odour: BlackOdourStandard | None = None
    cwqi: CwqiRule | None = None
    # Waivers the assessing side grants outside the rulesets (`--waivers FILE`), hashed like one.
    granted_waivers: tuple[Waiver, ...] = ()
    waivers_ref: RulesetRef | None = None

    def unit(self, name: str) -> Unit:
        return self.catalog.units[name]

    def unit_en(self, name: str | None) -> str:
        """How English text writes a unit: the catalog's English form (万亩: × 10⁴ mu), else its name."""
        unit = self.catalog.units.get(name) if name else None
        return (unit.en if unit is not None and unit.en else name) or ""

    def after_number_en(self, name: str | None) -> str:
        """A unit as English text writes it after a number: an English form is a word, spaced off
        ("3 items"); a symbol the catalog names in English already stays as it was ("204km")."""
        if name in (None, "ratio"):
            return ""
        unit = self.catalog.units.get(name)
        return f" {unit.en}" if unit is not None and unit.en else name

    @functools.cached_property
    def unit_names_en(self) -> dict[str, str]:
        return {name: unit.en for name, unit in sorted(self.catalog.units.items()) if unit.en}

    def jurisdiction_name(self, jurisdiction: str) -> str:
        if jurisdiction in JURISDICTION_NAMES_ZH:
            return JURISDICTION_NAMES_ZH[jurisdiction]
        declared = next((lr.jurisdiction_names for lr in self.by_jurisdiction.get(jurisdiction, ())), ())
        return declared[0] if declared else jurisdiction

    def not_covered(self, jurisdiction: str, year: int) -> tuple[str, str]:
        """Why no plan applies, in Chinese and English, naming what the plans do cover: the
        jurisdiction's years, or else the jurisdictions that have a plan."""
        name = self.jurisdiction_name(jurisdiction)
        own = self.by_jurisdiction.get(jurisdiction, ())
        if own:
            spans = sorted({(lr.period.start, lr.period.end) for lr in own})
            zh = "、".join(f"{a}" if a == b else f"{a}—{b}" for a, b in spans)
            en = ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in spans)
            return (
                f"没有覆盖{name} {year} 年度的规划；{name}的规划覆盖 {zh} 年",
                f"no plan covers {name} ({jurisdiction}) in {year}; its plans cover {en}",
            )
        known = sorted(self.by_jurisdiction)
        return (
            f"没有覆盖{name}的规划；有规划的地区：{'、'.join(self.jurisdiction_name(j) for j in known) or '无'}",
            f"no plan covers {name}; plans cover: {', '.join(known) or 'none'}",
        )

    def rulesets_for(self, jurisdiction: str, year: int) -> list[LoadedRuleset]:
        # Indexed by jurisdiction: a national batch asks this of thousands of rulesets thousands of times.
        return [lr for lr in self.by_jurisdiction.get(jurisdiction, ()) if lr.period.start <= year <= lr.period.end]

    def ruleset(self, ruleset_id: str) -> Ruleset:
        """A plan's rules, by its id (KeyError for an unknown id)."""
        return self.by_id[ruleset_id].ruleset

    @functools.cached_property
    def by_id(self) -> dict[str, LoadedRuleset]:
        return {lr.id: lr for lr in self.rulesets}

    @functools.cached_property
    def baseline_needs(self) -> dict[tuple[str, int], set[str]]:
        """(jurisdiction, earlier year) -> indicators that rules read from that year: a reduction's
        baseline, the year before a stay-stable rule's first, a cumulative total's early years."""
        needs: dict[tuple[str, int], set[str]] = {}
        for lr in self.rulesets:
            for year, indicator in lr.needs:
                needs.setdefault((lr.jurisdiction, year), set()).add(indicator)
        return needs

    @functools.cached_property
    def by_jurisdiction(self) -> dict[str, list[LoadedRuleset]]:
        index: dict[str, list[LoadedRuleset]] = {}
        for lr in self.rulesets:
            index.setdefault(lr.jurisdiction, []).append(lr)
        return index

    def find_rule(self, rule_id: str):
        for lr in self.rulesets:
            for rule in lr.ruleset.rules:
                if rule.id == rule_id:
                    return lr, rule
        return None


def _located(path: Path, data: object, error: ValidationError) -> list[Said]:
    return validation_problems(path, data, error.errors(), KINDS)


def _cannot_read(path: Path, exc: OSError) -> Said:
    return at(path, f"无法读取：{os_error_zh(exc)}", f"cannot be read: {exc.strerror or exc}")


def _not_yaml(path: Path, exc: Exception) -> Said:
    # The parser's line and column locate the fault, in both languages.
    return at(path, f"不是可读的 UTF-8 YAML 文件：{yaml_zh(exc)}", f"not readable YAML: {yaml_en(exc)}")


def _read_yaml(path: Path) -> tuple[object, bytes]:
    raw = path.read_bytes()
    raw.decode("utf-8")  # a plan is UTF-8 (UnicodeDecodeError otherwise), whatever libyaml would also accept
    # The bytes, not the decoded text: libyaml then reads UTF-8 itself, which is faster; and
    # safe_yaml.load, which is yaml.safe_load's result in half its time (see there).
    return safe_yaml.load(raw), raw


def load_rulebook(folder: Path, progress: Progress | None = None, cache: bool = False) -> RuleBook:
    """Read and validate a rulesets folder; raise RulesetError listing every problem. With
    `cache`, plans validated by an earlier load are taken from the user's cache (checker.plan_cache)
    where their bytes are the same."""
    folder = Path(folder)
    progress = progress or Progress.silent()
    problems: list[Said] = []
    catalog_path = folder / CATALOG_FILE
    if not catalog_path.exists():
        raise RulesetError([at(catalog_path, "缺少指标目录", "the indicator catalog is missing")])
    try:
        data, raw = _read_yaml(catalog_path)
        catalog = Catalog.model_validate(data)
    except ValidationError as exc:
        raise RulesetError(_located(catalog_path, data, exc)) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise RulesetError([_not_yaml(catalog_path, exc)]) from None
    except OSError as exc:
        raise RulesetError([_cannot_read(catalog_path, exc)]) from None
    catalog_sha = hashlib.sha256(raw).hexdigest()

    indicators = {ind.code: ind for ind in catalog.indicators}
    indicator_names: dict[str, str] = {}
    for ind in catalog.indicators:
        for name in (ind.code, ind.name_zh, ind.name_en, *ind.aliases):
            owner = indicator_names.setdefault(fold(name), ind.code)
            if owner != ind.code:  # a sheet's name must mean one indicator, never the first defined
                problems.append(
                    at(catalog_path, f"“{name}”已是 {owner} 的名称", f"{name!r} already names {owner}", indicator=ind.code, key="aliases")
                )
    unit_names: dict[str, str] = {}
    for name, unit in catalog.units.items():
        for alias in (name, *unit.aliases):
            unit_names.setdefault(fold(alias), name)
    value_names = {
        ind.code: {fold(spelling): canonical for canonical, spellings in (ind.values or {}).items() for spelling in (canonical, *spellings)}
        for ind in catalog.indicators
    }
    for ind in catalog.indicators:
        if ind.unit is not None and ind.unit not in catalog.units:
            problems.append(at(catalog_path, f"未知单位“{ind.unit}”", f"unknown unit {ind.unit!r}", indicator=ind.code, key="unit"))

    loaded: list[LoadedRuleset] = []
    seen_ids: dict[str, Path] = {}
    paths = [p for p in sorted(folder.glob("*.y*ml")) if p.name not in (CATALOG_FILE, GRADING_FILE) and p.suffix in (".yaml", ".yml")]
    progress.start("plans", len(paths))
    for path, lr, plan_problems in _parse_cached(folder, raw, paths, indicators) if cache else _parse_all(paths, indicators):
        progress.advance()
        problems.extend(plan_problems)
        if lr is None:
            continue
        if lr.id in seen_ids:
            problems.append(
                at(
                    path,
                    f"规则集 id {lr.id} 已被 {seen_ids[lr.id]} 使用",
                    f"ruleset id {lr.id} is also used by {seen_ids[lr.id]}",
                    key="id",
                )
            )
        seen_ids[lr.id] = path
        loaded.append(lr)
    grading, grading_ref = _load_grading(folder / GRADING_FILE, indicators, problems)
    surface_water = _load_standard(folder / SURFACE_WATER_FILE, SurfaceWaterStandard, indicators, problems)
    black_odour = _load_standard(folder / BLACK_ODOUR_FILE, BlackOdourStandard, indicators, problems)
    cwqi = _load_standard(folder / CWQI_FILE, CwqiRule, indicators, problems)
    if cwqi is not None and surface_water is not None:
        problems += [at(folder / CWQI_FILE, zh, en, key=key) for key, zh, en in cwqi.check_against(surface_water)]
    if problems:
        raise RulesetError(problems)
    lookup = dict(FIXED_JURISDICTION_LOOKUP)
    for lr in loaded:  # jurisdictions beyond the fixed five, declared by their rulesets
        for name in (lr.jurisdiction, *lr.jurisdiction_names):
            owner = lookup.setdefault(fold(name), lr.jurisdiction)
            if owner != lr.jurisdiction:
                problems.append(at(lr.path, f"“{name}”已是 {owner} 的名称", f"{name!r} already names {owner}", key="jurisdiction_names"))
    if problems:
        raise RulesetError(problems)
    return RuleBook(
        catalog,
        catalog_sha,
        tuple(loaded),
        indicators=indicators,
        indicator_names=indicator_names,
        unit_names=unit_names,
        value_names=value_names,
        grading=grading,
        grading_ref=grading_ref,
        surface_water=surface_water,
        black_odour=black_odour,
        cwqi=cwqi,
        jurisdiction_lookup=lookup,
    )


def _parse_one(path: Path, indicators: dict[str, Indicator]) -> tuple[Path, LoadedRuleset | None, list[str]]:
    """Read, validate and check one plan file; its problems all name the file (and rule and key)."""
    try:
        data, raw = _read_yaml(path)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        return path, None, [_not_yaml(path, exc)]
    except OSError as exc:  # a folder named like a plan, a file without read permission
        return path, None, [_cannot_read(path, exc)]
    try:
        ruleset = Ruleset.model_validate(data)
    except ValidationError as exc:
        # Report unknown indicators too, so one run lists every problem of the file.
        return path, None, _located(path, data, exc) + _raw_indicator_references(path, data, indicators)
    return path, LoadedRuleset.of(ruleset, path, hashlib.sha256(raw).hexdigest()), _check_references(path, ruleset, indicators)


def _parse_cached(
    folder: Path, catalog_raw: bytes, paths: list[Path], indicators: dict[str, Indicator]
) -> Iterator[tuple[Path, LoadedRuleset | None, list[str]]]:
    """_parse_all, with the plans whose bytes an earlier load validated taken from the cache. Only
    plans without a problem are kept there: a plan with one is parsed again, to say so again."""
    from checker.plan_cache import PlanCache

    context = [catalog_raw]
    for name in (GRADING_FILE, SURFACE_WATER_FILE, BLACK_ODOUR_FILE):
        try:
            context.append(name.encode() + b"\0" + (folder / name).read_bytes())
        except OSError:
            context.append(name.encode())  # absent, or unreadable (then the load says so)
    store = PlanCache(context)
    done: dict[Path, tuple[Path, LoadedRuleset | None, list[str]]] = {}
    for path in paths:
        try:
            fields = store.get(hashlib.sha256(path.read_bytes()).hexdigest())
        except OSError:
            fields = None  # parsed below, which says why it cannot be read
        if fields is not None:
            done[path] = (path, LoadedRuleset(path=path, **fields), [])
    missed = iter(_parse_all([p for p in paths if p not in done], indicators))
    used = set()
    for path in paths:
        result = done.get(path) or next(missed)
        if result[1] is not None:
            used.add(result[1].sha256)
            if not result[2] and path not in done:
                store.put(result[1])
        yield result
    store.save(used)


PARALLEL_PARSE_FROM = 200  # rulesets; below this a process pool costs more than it saves


def _parse_all(paths: list[Path], indicators: dict[str, Indicator]) -> Iterator[tuple[Path, LoadedRuleset | None, list[str]]]:
    """Parse and validate every ruleset file, yielded in file order as each is done. A province's
    thousands of plans are parsed on every core: YAML construction dominates a cold start."""
    workers = os.cpu_count() or 1
    if len(paths) < PARALLEL_PARSE_FROM or workers < 2:
        yield from (_parse_one(path, indicators) for path in paths)
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
        yield from pool.map(_parse_one, paths, [indicators] * len(paths), chunksize=max(1, len(paths) // (workers * 16)))


def _load_standard(path: Path, model, indicators: dict[str, Indicator], problems: list[str]):
    """A standard's table as data; optional (without it, samples are read but not classed)."""
    if not path.exists():
        return None
    try:
        data, _ = _read_yaml(path)
        standard = model.model_validate(data)
    except OSError as exc:
        problems.append(_cannot_read(path, exc))
        return None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        problems.append(_not_yaml(path, exc))
        return None
    except ValidationError as exc:
        problems.extend(_located(path, data, exc))
        return None
    for code in standard.items:
        if code not in indicators:
            problems.append(at(path, *unknown_indicator(code, indicators), key=f"items.{code}"))
    return standard


def _load_grading(path: Path, indicators: dict[str, Indicator], problems: list[str]) -> tuple[GradingScheme | None, GradingRef | None]:
    """The grading scheme is optional: without it findings are still checked, just not graded."""
    if not path.exists():
        return None, None
    try:
        data, raw = _read_yaml(path)
        scheme = GradingScheme.model_validate(data)
    except OSError as exc:
        problems.append(_cannot_read(path, exc))
        return None, None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        problems.append(_not_yaml(path, exc))
        return None, None
    except ValidationError as exc:
        problems.extend(_located(path, data, exc))
        return None, None
    for code in scheme.veto.indicators:
        if code not in indicators:
            problems.append(at(path, *unknown_indicator(code, indicators), key="veto.indicators"))
    return scheme, GradingRef(file=path.name, sha256=hashlib.sha256(raw).hexdigest(), assumptions=scheme.assumptions)


def unknown_indicator(code: str, indicators: dict[str, Indicator]) -> tuple[str, str]:
    """An unknown code said in Chinese and English, with the catalog's nearest code or Chinese name."""
    import difflib

    names = {ind.code: ind.code for ind in indicators.values()} | {ind.name_zh: ind.code for ind in indicators.values()}
    guess = difflib.get_close_matches(str(code), list(names), n=1, cutoff=0.6)
    if not guess:
        return f"未知指标 {code!r}（指标目录 indicators.yaml 中没有）", f"unknown indicator {code!r}"
    near = indicators[names[guess[0]]]
    return (
        f"未知指标 {code!r}，是否为 {near.code}（{near.name_zh}）？",
        f"unknown indicator {code!r}; did you mean {near.code} ({near.name_zh})?",
    )


def _raw_indicator_references(path: Path, data: object, indicators: dict[str, Indicator]) -> list[Said]:
    rules = data.get("rules") if isinstance(data, dict) else None
    problems = []
    for index, rule in enumerate(rules if isinstance(rules, list) else []):
        if isinstance(rule, dict) and isinstance(rule.get("indicator"), str) and rule["indicator"] not in indicators:
            rule_id = str(rule.get("id") or f"#{index + 1}")
            problems.append(at(path, *unknown_indicator(rule["indicator"], indicators), rule=rule_id, key="indicator"))
    return problems


def _check_references(path: Path, ruleset: Ruleset, indicators: dict[str, Indicator]) -> list[Said]:
    problems = []
    if ruleset.jurisdiction not in JURISDICTIONS and not ruleset.jurisdiction_names:
        problems.append(
            at(
                path,
                f"未知地区 {ruleset.jurisdiction!r}（应为 {'、'.join(JURISDICTIONS)} 之一，新地区请给出 jurisdiction_names）",
                f"unknown jurisdiction {ruleset.jurisdiction!r} (one of {', '.join(JURISDICTIONS)}, or give jurisdiction_names for a new one)",
                key="jurisdiction",
            )
        )
    if ruleset.jurisdiction in JURISDICTIONS and ruleset.jurisdiction_names:
        problems.append(
            at(
                path,
                f"{ruleset.jurisdiction} 的名称已由契约规定，不能另给",
                f"{ruleset.jurisdiction} is fixed by the contract with its names",
                key="jurisdiction_names",
            )
        )
    for rule in ruleset.rules:
        if rule.indicator not in indicators:
            problems.append(at(path, *unknown_indicator(rule.indicator, indicators), rule=rule.id, key="indicator"))
            continue
        total = getattr(rule, "total_indicator", None)
        if total is not None and total not in indicators:
            problems.append(at(path, *unknown_indicator(total, indicators), rule=rule.id, key="total_indicator"))
        if rule.kind in NUMERIC_KINDS:
            problems += _numeric_problems(path, ruleset, rule, indicators[rule.indicator])
    return problems


_KIND_ZH = {"class": "类别", "status": "状态", "type": "类型", "boolean": "是非"}


def _numeric_problems(path: Path, ruleset: Ruleset, rule, ind: Indicator) -> list[Said]:
    problems = []
    if ind.kind in ("class", "status", "type", "boolean"):
        problems.append(
            at(
                path,
                f"{rule.indicator} 是{_KIND_ZH[ind.kind]}指标，不是数值",
                f"{rule.indicator} is a {ind.kind}, not a number",
                rule=rule.id,
                key="indicator",
            )
        )
    if getattr(rule, "unit", None) is not None and rule.unit != ind.unit:
        problems.append(
            at(
                path,
                f"“{rule.unit}”不是指标目录中的单位“{ind.unit}”",
                f"{rule.unit!r} is not the catalog unit {ind.unit!r}",
                rule=rule.id,
                key="unit",
            )
        )
    start, end = ruleset.period.start, ruleset.period.end
    for year in getattr(rule, "targets", {}):
        if not start <= year <= end:
            problems.append(
                at(path, f"在规划期 {start}—{end} 年之外", f"outside the plan period {start}-{end}", rule=rule.id, key=f"targets.{year}")
            )
    return problems


def ruleset_summary(book: RuleBook) -> list[dict]:
    return [
        {
            "id": lr.id,
            "jurisdiction": lr.jurisdiction,
            "period": f"{lr.period.start}-{lr.period.end}",
            "rules": len(lr.ruleset.rules),
            "file": lr.path.name,
            "document": lr.ruleset.document.title,
        }
        for lr in book.rulesets
    ]
