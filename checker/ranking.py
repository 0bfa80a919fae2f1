"""`checker rank`: the CWQI of each jurisdiction from the national release's tables and their section
list, and the ranking by it (checker/cwqi.py computes; rulesets/standards/cwqi-2017.yaml says how).

The release and its list are read as `checker check` reads them (checker/readers/release.py), and
each sample as an ordinary observation, so a non-detect, a '--', a QC mark or a negative value
means here what it means there. What the list calls the jurisdiction (地区) is ranked as written:
a province ranks its cities, a city its counties, none of which need a ruleset.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from checker.cwqi import JurisdictionIndex, change, exempt_from_change, index_of, jurisdiction_index, ranked, rounded
from checker.models import Location, Problem, Text
from checker.observations import RowProblem, observe, parse_value, resolve_indicator, subject_key
from checker.readers import NotASheet, RawRow, read_sheet
from checker.rulesets import RuleBook


class RankError(Exception):
    def __init__(self, zh: str, en: str):
        super().__init__(f"{zh}\n{en}")
        self.zh, self.en = zh, en


@dataclass
class Period:
    """One release's jurisdictions: (name, year) -> their index, and what could not be used."""

    indices: dict[tuple[str, int], JurisdictionIndex] = field(default_factory=dict)
    sections: list[dict] = field(default_factory=list)  # one row per section, for the officer
    problems: list[Problem] = field(default_factory=list)


def _problem(location: Location, column: str | None, zh: str, en: str) -> Problem:
    return Problem(location=location.model_copy(update={"column": column}) if column else location, message=Text(zh=zh, en=en))


def _types(rows: list[RawRow], book: RuleBook, problems: list[Problem]) -> dict[tuple[str, str], str]:
    """(jurisdiction, folded section) -> river | lake, from the section list's rows."""
    indicator = resolve_indicator("surface_water.section_type", book)
    types = {}
    for row in rows:
        if row.cells.get("indicator") != indicator.code:
            continue
        try:
            kind = parse_value(row.cells.get("value"), None, indicator, book)
        except RowProblem as exc:
            problems.append(_problem(row.location, row.columns.get("value"), exc.zh, exc.en))
            continue
        if kind is None:
            problems.append(_problem(row.location, row.columns.get("value"), "断面类型为空", "the section type is blank"))
            continue
        types[(str(row.cells.get("jurisdiction")).strip(), subject_key(str(row.cells["subject"])))] = kind
    return types


def _observations(rows: list[RawRow], book: RuleBook, problems: list[Problem]):
    """Each release row as the observation `checker check` would make of it, under the list's own
    name for its jurisdiction (observe() knows only the jurisdictions of the rulesets, so it reads
    the row under one of those, and the name is put back)."""
    stand_in = next(iter(book.jurisdiction_lookup.values()))
    seen: set[tuple[str, str]] = set()
    for row in rows:
        name = str(row.cells.get("jurisdiction") or "").strip()
        if not name:
            column = row.columns.get("jurisdiction", "jurisdiction")
            if (column, "") not in seen:
                seen.add((column, ""))
                problems.append(
                    _problem(row.location, column, "断面名录中该断面的地区为空", "the section list gives this section no jurisdiction")
                )
            continue
        try:
            obs = observe(RawRow({**row.cells, "jurisdiction": stand_in}, row.location, row.columns), book)
        except RowProblem as exc:
            column = row.columns.get(exc.column, exc.column)
            if exc.column == "indicator" and (column, exc.zh) in seen:
                continue  # a column that is no known item: said once, not once a row
            seen.add((column, exc.zh))
            problems.append(_problem(row.location, column, exc.zh, exc.en))
            continue
        yield obs.model_copy(update={"jurisdiction": name})


def read_period(release: Path, sections: Path | None, book: RuleBook) -> Period:
    """The release table (with `sections`, or the section list beside it) as each jurisdiction's
    section values for the year and its CWQI."""
    from checker.classify import classify_means, section_classes
    from checker.monitoring import period_means, sample_set
    from checker.readers.release import SECTION_LIST, _sections_beside

    standard, rule = book.surface_water, book.cwqi
    if standard is None or rule is None:
        raise RankError("规则集中没有 GB 3838-2002 标准表或 CWQI 方法", "the rulesets hold no GB 3838-2002 table or no CWQI method")
    period = Period()
    token = SECTION_LIST.set(sections)
    try:
        try:
            if sections is not None:
                listed = read_sheet(sections, str(sections))
                period.problems += listed.problems
            sheet = read_sheet(release, str(release))
        except NotASheet as exc:
            where = ", ".join(p for p in (f"sheet {exc.sheet}" if exc.sheet else "", f"row {exc.row}" if exc.row else "") if p)
            raise RankError(exc.text.zh + (f"（{where}）" if where else ""), exc.text.en + (f" ({where})" if where else "")) from None
        except OSError as exc:
            raise RankError(f"无法读取：{exc}", f"cannot read: {exc}") from None
        list_rows = list(_sections_beside(release).values())
    finally:
        SECTION_LIST.reset(token)
    period.problems += sheet.problems
    types = _types(list_rows, book, period.problems)
    by_jurisdiction = defaultdict(list)
    for obs in _observations(sheet.rows, book, period.problems):
        by_jurisdiction[(obs.jurisdiction, obs.year)].append(obs)
    for (name, year), samples in sorted(by_jurisdiction.items()):
        found = sample_set(samples, year, standard)
        frame = found.frame
        kinds = {key: types.get((name, key)) for key in set(frame["subject"])}
        untyped = {key for key, kind in kinds.items() if kind is None}
        for key in sorted(untyped):
            period.problems.append(
                _problem(
                    found.first[key].location,
                    None,
                    f"断面“{found.first[key].subject}”（{name}）的类型（河流/湖库）无法识别，不计入水质指数",
                    f"section {found.first[key].subject!r} ({name}) has no readable type (river/lake): it is left out of the index",
                )
            )
        frame = frame[~frame["subject"].isin(untyped)]
        if frame.empty:
            continue
        means = period_means(frame, standard)
        lakes = {key for key, kind in kinds.items() if kind == "lake"}
        classes = section_classes(classify_means(means, lakes, standard), standard)["class"].to_dict()
        per_section = {key: (dict(zip(rows["item"], rows["mean"], strict=True)), key in lakes) for key, rows in means.groupby("subject")}
        index = jurisdiction_index(name, per_section, rule, standard)
        if index is None:
            continue
        index.classes = classes
        period.indices[(name, year)] = index
        for key, (values, lake) in sorted(per_section.items()):
            total, parts = index_of(values, lake, rule, standard)
            if parts:
                period.sections.append(
                    {
                        "jurisdiction": name,
                        "year": year,
                        "section": found.first[key].subject,
                        "type": "lake" if lake else "river",
                        "class": classes.get(key),
                        "cwqi": rounded(total, rule.decimals),
                        "items": {code: rounded(v, rule.decimals) for code, v in parts.items()},
                    }
                )
    return period


@dataclass
class Ranking:
    rows: list[dict]
    sections: list[dict]
    problems: list[Problem]
    caveats: list[Text]
    standard: str
    with_baseline: bool


def rank(current: Period, baseline: Period | None, book: RuleBook) -> Ranking:
    """Rank each year's jurisdictions by CWQI ascending, and by ΔCWQI against `baseline` (matched by
    name), leaving out of the change ranking those the rule exempts."""
    rule, standard = book.cwqi, book.surface_water
    base = {name: index for (name, _), index in (baseline.indices.items() if baseline else [])}
    rows = []
    for year in sorted({y for _, y in current.indices}):
        here = {name: index for (name, y), index in current.indices.items() if y == year}
        shown = {name: rounded(index.cwqi, rule.decimals) for name, index in here.items()}
        deltas, exempt = {}, set()
        for name, index in here.items():
            if name not in base:
                continue
            if exempt_from_change(index.classes, base[name].classes, rule, standard):
                exempt.add(name)
            elif (delta := change(shown[name], rounded(base[name].cwqi, rule.decimals))) is not None:
                deltas[name] = rounded(delta, rule.change_decimals)
        change_rank = {name: (n, tied) for n, name, _, tied in ranked(deltas)}
        for n, name, value, tied in ranked(shown):
            index = here[name]
            row = {
                "rank": n,
                "tied": tied,
                "jurisdiction": name,
                "year": year,
                "cwqi": value,
                "river_index": rounded(index.river.index, rule.decimals) if index.river else None,
                "river_sections": index.river.sections if index.river else 0,
                "lake_index": rounded(index.lake.index, rule.decimals) if index.lake else None,
                "lake_sections": index.lake.sections if index.lake else 0,
                "items": index.items,
            }
            if baseline is not None:
                row["baseline_cwqi"] = rounded(base[name].cwqi, rule.decimals) if name in base else None
                row["delta_cwqi_percent"] = deltas.get(name)
                row["change_rank"] = change_rank[name][0] if name in change_rank else None
                row["change_exempt"] = name in exempt
            rows.append(row)
    problems = current.problems + (baseline.problems if baseline else [])
    return Ranking(rows, current.sections, problems, rule.caveats(), rule.standard, baseline is not None)
