"""Raw rows -> observations: names resolved, values parsed, units converted.

Every row that cannot be used becomes a Problem located to its file, sheet, row and
column; it never stops the other rows. Then observations are grouped into submissions,
with duplicates counted once and conflicting values turned into problems, so the
engine never sees either.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field

from checker.models import Indicator, Observation, Problem, Text
from checker.names import FIXED_JURISDICTION_LOOKUP, fold
from checker.readers import RawRow, UncomputedFormula
from checker.rulesets import RuleBook
from checker.values import (
    NonDetect,
    ValueProblem,
    clean_text,
    parse_date,
    parse_number,
    parse_sample_mark,
    parse_sampling_time,
    parse_year,
    strip_zero_width,
    tidy,
)

NUMERIC_KINDS = ("percentage", "quantity", "count", "ratio")


class RowProblem(Exception):
    def __init__(self, column: str, zh: str, en: str):
        super().__init__(en)
        self.column, self.zh, self.en = column, zh, en


def resolve_jurisdiction(raw: object, book: RuleBook | None = None) -> str:
    """A jurisdiction by id or Chinese name: the contract's five, and any a ruleset declares."""
    lookup = book.jurisdiction_lookup if book is not None else FIXED_JURISDICTION_LOOKUP
    jid = lookup.get(fold(str(raw))) if raw is not None else None
    if jid is None:
        raise RowProblem("jurisdiction", f"未知地区“{raw}”", f"unknown jurisdiction {raw!r}")
    return jid


def resolve_indicator(raw: object, book: RuleBook) -> Indicator:
    code = book.indicator_names.get(fold(str(raw))) if raw is not None else None
    if code is None:
        guess = difflib.get_close_matches(fold(str(raw)), list(book.indicator_names), n=1, cutoff=0.6)
        hint_zh = hint_en = ""
        if guess:
            ind = book.indicators[book.indicator_names[guess[0]]]
            hint_zh, hint_en = f"；是否为“{ind.name_zh}”（{ind.code}）？", f"; did you mean {ind.code} ({ind.name_zh})?"
        raise RowProblem("indicator", f"未知指标“{raw}”{hint_zh}", f"unknown indicator {raw!r}{hint_en}")
    return book.indicators[code]


def convert(value: float, unit_text: str | None, indicator: Indicator, book: RuleBook) -> float:
    """Convert to the indicator's canonical unit; an unknown or incompatible unit is a RowProblem."""
    if not unit_text or indicator.unit is None:
        return value
    name = book.unit_names.get(fold(unit_text))
    if name is None:
        raise RowProblem("unit", f"未知单位“{unit_text}”", f"unknown unit {unit_text!r}")
    source, target = book.unit(name), book.unit(indicator.unit)
    if source.dimension != target.dimension:
        raise RowProblem(
            "unit", f"单位“{unit_text}”不能换算为{indicator.unit}", f"unit {unit_text!r} cannot be converted to {indicator.unit}"
        )
    if name == indicator.unit:
        return value
    return tidy(value * source.factor / target.factor)


def parse_value(raw: object, unit_cell: object, indicator: Indicator, book: RuleBook):
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None
    if indicator.kind == "text":
        return clean_text(str(raw))
    if indicator.kind in NUMERIC_KINDS and is_sample(indicator.code) and (mark := parse_sample_mark(raw)) is not None:
        # Kept as text, read by checker.monitoring: a non-detect as "<limit" in the catalog unit.
        if isinstance(mark, NonDetect):
            unit_text = clean_text(str(unit_cell)) if unit_cell not in (None, "") else None
            return f"<{convert(mark.limit, unit_text, indicator, book)!r}"
        return clean_text(str(raw))
    if indicator.kind in NUMERIC_KINDS:
        try:
            number, suffix = parse_number(raw)
        except ValueProblem as exc:
            raise RowProblem("value", exc.zh, exc.en) from None
        unit_text = clean_text(str(unit_cell)) if unit_cell not in (None, "") else None
        if suffix and unit_text and fold(suffix) != fold(unit_text):
            suffix_unit = book.unit_names.get(fold(suffix))
            if suffix_unit != book.unit_names.get(fold(unit_text)):
                raise RowProblem(
                    "value",
                    f"数值中的单位“{suffix}”与单位列“{unit_text}”不一致",
                    f"the unit in the value ({suffix!r}) contradicts the unit column ({unit_text!r})",
                )
        if unit_text:
            value = convert(number, unit_text, indicator, book)
        else:
            value = _convert_suffix(raw, number, suffix, indicator, book)
        if value < 0 and _concentration(indicator.code, book):
            raise RowProblem(
                "value",
                f"{indicator.name_zh}不能为负值（{value:g}）",
                f"{indicator.code} cannot be negative (got {value:g})",
            )
        if indicator.kind == "percentage" and not 0 <= value <= 100:
            raise RowProblem(
                "value",
                f"{indicator.name_zh}应在 0–100% 之间，实为 {value:g}",
                f"{indicator.code} must be between 0 and 100 %, got {value:g}",
            )
        return value
    canonical = book.value_names[indicator.code].get(fold(strip_zero_width(str(raw))))
    if canonical is not None:
        return canonical == "true" if indicator.kind == "boolean" else canonical
    accepted = "、".join((indicator.values or {}).keys())
    raise RowProblem(
        "value",
        f"“{raw}”不是{indicator.name_zh}的有效取值（{accepted}）",
        f"{raw!r} is not a valid value of {indicator.code} ({', '.join((indicator.values or {}).keys())})",
    )


def _concentration(code: str, book: RuleBook) -> bool:
    """A GB 3838-2002 item with class limits (a concentration, or pH): never below zero, unlike
    water temperature or a redox potential."""
    item = book.surface_water.items.get(code) if book.surface_water is not None else None
    return item is not None and item.classed


def _convert_suffix(raw: object, number: float, suffix: str | None, indicator: Indicator, book: RuleBook) -> float:
    """A unit written in the value cell: what fails is the value as typed, not the unit column."""
    try:
        return convert(number, suffix, indicator, book)
    except RowProblem as exc:
        if suffix is not None and book.unit_names.get(fold(suffix)) is None:
            raise RowProblem(
                "value",
                f"“{raw}”不是数值：{number:g} 后面的“{suffix}”不是已知单位",
                f"{raw!r} is not a number: {suffix!r} after {number:g} is no known unit",
            ) from None
        raise RowProblem("value", exc.zh, exc.en) from None


def _text(cell: object) -> str | None:
    if cell is None:
        return None
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)  # a task number typed in Excel arrives as 3.0
    text = clean_text(str(cell))
    return text or None


def observe(row: RawRow, book: RuleBook) -> Observation:
    """One raw row -> one observation, or RowProblem naming the column at fault."""
    cells = row.cells
    for column, cell in cells.items():
        if isinstance(cell, UncomputedFormula):
            raise RowProblem(
                column,
                f"公式 {cell.formula} 没有保存计算结果（请在 Excel/WPS 中打开并保存后再提交）",
                f"the formula {cell.formula} has no saved value (open and save the file in Excel/WPS)",
            )
    jurisdiction = resolve_jurisdiction(cells.get("jurisdiction"), book)
    try:
        year = parse_year(cells.get("year"))
    except ValueProblem as exc:
        raise RowProblem("year", exc.zh, exc.en) from None
    indicator = resolve_indicator(cells.get("indicator"), book)
    subject = _text(cells.get("subject"))
    if indicator.code in (
        "surface_water.section_class",
        "surface_water.section_type",
        "surface_water.section_role",
        "task.status",
        "attestation.declared",
    ) or indicator.code.startswith("monitoring."):
        if subject is None:
            raise RowProblem(
                "subject",
                f"{indicator.name_zh}须填写对象（断面名称或任务编号）",
                f"{indicator.code} needs a subject (section name or task number)",
            )
    value = parse_value(cells.get("value"), cells.get("unit"), indicator, book)
    date = time = None
    if cells.get("date") not in (None, ""):
        try:
            if is_sample(indicator.code):  # a sample's time of day tells two readings of one day apart
                date, time = parse_sampling_time(cells["date"], year)
            else:
                date = parse_date(cells["date"])
        except ValueProblem as exc:
            raise RowProblem("date", exc.zh, exc.en) from None
    return Observation(
        jurisdiction=jurisdiction,
        year=year,
        indicator=indicator.code,
        value=value,
        unit=indicator.unit,
        subject=subject,
        date=date,
        note=_text(cells.get("note")),
        location=row.location,
        time=time,
    )


def _partial_context(row: RawRow, book: RuleBook) -> dict:
    """What can still be said of a bad row, so its problem reaches the right submission and rule."""
    context: dict = {}
    for key, resolve in (
        ("jurisdiction", lambda raw: resolve_jurisdiction(raw, book)),
        ("year", lambda raw: parse_year(raw)),
        ("indicator", lambda raw: resolve_indicator(raw, book).code),
    ):
        try:
            context[key] = resolve(row.cells.get(key))
        except Exception:  # whatever the cell holds, a bad row must still be reported
            pass
    try:
        context["subject"] = _text(row.cells.get("subject"))
    except Exception:
        context["subject"] = None
    return context


def is_sample(indicator: str) -> bool:
    return indicator.startswith("monitoring.")


def subject_key(subject: str | None) -> str | None:
    """Subjects match whatever their width or spacing: 加强建设，定期培训 == 加强建设,定期培训."""
    return None if subject is None else fold(subject)


@dataclass
class SubmissionInput:
    """Everything read for one (jurisdiction, year), ready for evaluation."""

    jurisdiction: str
    year: int
    observations: dict[tuple[str, str | None], Observation] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files: set[str] = field(default_factory=set)
    notes: list[Text] = field(default_factory=list)
    derived_codes: set[str] = field(default_factory=set)
    derived_keys: set[tuple[str, str | None]] = field(default_factory=set)  # observations the checker computed
    samples: list[Observation] = field(default_factory=list)  # monitoring.* rows, kept one per sample

    def get(self, indicator: str, subject: str | None = None) -> Observation | None:
        return self.observations.get((indicator, subject_key(subject)))

    def of(self, indicator: str) -> list[Observation]:
        # Filtered before sorted: the same order, without sorting a whole sheet for ten sections.
        return [o for _, o in sorted(((key, o) for key, o in self.observations.items() if key[0] == indicator), key=lambda kv: str(kv[0]))]

    def problems_for(self, indicator: str, subject: str | None = None) -> list[Problem]:
        return [
            p for p in self.problems if p.indicator == indicator and (subject is None or subject_key(p.subject) == subject_key(subject))
        ]


def collect(rows: list[RawRow], book: RuleBook) -> tuple[dict[tuple[str, int], SubmissionInput], list[Problem]]:
    """Group rows into submissions. Problems that belong to no submission are returned apart."""
    submissions: dict[tuple[str, int], SubmissionInput] = {}
    stray: list[Problem] = []
    seen: dict[tuple, list[Observation]] = defaultdict(list)
    repeated_samples: dict[tuple[str, int], list[list[Observation]]] = {}
    blank_samples: dict[tuple[str, int], list[Observation]] = {}

    def submission(jurisdiction: str, year: int) -> SubmissionInput:
        found = submissions.get((jurisdiction, year))
        if found is None:
            found = submissions[(jurisdiction, year)] = SubmissionInput(jurisdiction, year)
        return found

    for row in rows:
        try:
            obs = observe(row, book)
        except Exception as exc:  # RowProblem names its column; anything else is still this row's problem
            if not isinstance(exc, RowProblem):
                exc = RowProblem(
                    "value", f"无法使用此行（{type(exc).__name__}: {exc}）", f"this row cannot be used ({type(exc).__name__}: {exc})"
                )
            context = _partial_context(row, book)
            location = row.location.model_copy(update={"column": row.columns.get(exc.column, exc.column)})
            problem = Problem(location=location, message=Text(zh=exc.zh, en=exc.en), **context)
            if "jurisdiction" in context and "year" in context:
                sub = submission(context["jurisdiction"], context["year"])
                sub.problems.append(problem)
                sub.files.add(row.location.file)
            else:
                stray.append(problem)
            continue
        if is_sample(obs.indicator):
            # Samples are many per section and item; only a row repeated with the same date and
            # value is a duplicate. A blank sample is kept (and noted) but never averaged.
            if obs.value is None:
                sub = submission(obs.jurisdiction, obs.year)
                sub.samples.append(obs)
                blank_samples.setdefault((obs.jurisdiction, obs.year), []).append(obs)
            else:
                seen[(obs.jurisdiction, obs.year, obs.indicator, subject_key(obs.subject), obs.date, obs.time, obs.value)].append(obs)
        else:
            seen[(obs.jurisdiction, obs.year, obs.indicator, subject_key(obs.subject))].append(obs)
        submission(obs.jurisdiction, obs.year).files.add(obs.location.file)

    for (jurisdiction, year, indicator, key, *_), group in seen.items():
        sub = submission(jurisdiction, year)
        subject = group[0].subject
        distinct = {(o.value, o.date, o.time) for o in group}
        if len(distinct) == 1:
            if is_sample(indicator):
                sub.samples.append(group[0])
                if len(group) > 1:  # one note per submission, not one per repeated sample
                    repeated_samples.setdefault((jurisdiction, year), []).append(group)
                continue
            sub.observations[(indicator, key)] = group[0]
            if len(group) > 1:
                where = "; ".join(o.location.describe() for o in group)
                sub.notes.append(
                    Text(
                        zh=f"{indicator}{'（' + subject + '）' if subject else ''} 重复填报 {len(group)} 次，按一次计：{where}",
                        en=f"{indicator}{' (' + subject + ')' if subject else ''} reported {len(group)} times identically, counted once: {where}",
                    )
                )
            continue
        values = "、".join(f"{o.value}（{o.location.describe()}）" for o in group)
        values_en = "; ".join(f"{o.value} ({o.location.describe()})" for o in group)
        first = group[0].location.model_copy(update={"column": "value"})
        sub.problems.append(
            Problem(
                location=first,
                jurisdiction=jurisdiction,
                year=year,
                indicator=indicator,
                subject=subject,
                message=Text(zh=f"同一指标填报了相互矛盾的数值：{values}", en=f"conflicting values for the same indicator: {values_en}"),
            )
        )
    for (jurisdiction, year), blanks in blank_samples.items():
        where = "; ".join(o.location.describe() for o in blanks[:5]) + (f" …(+{len(blanks) - 5})" if len(blanks) > 5 else "")
        submissions[(jurisdiction, year)].notes.append(
            Text(
                zh=f"{len(blanks)} 行监测数据数值为空，不计入均值：{where}",
                en=f"{len(blanks)} monitoring rows have no value and are not averaged: {where}",
            )
        )
    for (jurisdiction, year), groups in repeated_samples.items():
        extra = sum(len(g) - 1 for g in groups)
        shown = "; ".join(" = ".join(o.location.describe() for o in g) for g in groups[:5])
        more = f" …(+{len(groups) - 5})" if len(groups) > 5 else ""
        submissions[(jurisdiction, year)].notes.append(
            Text(
                zh=f"{extra} 行监测数据与同一断面、项目、日期的另一行完全相同，按一次计：{shown}{more}",
                en=f"{extra} monitoring rows repeat another row of the same section, item, date and value, counted once: {shown}{more}",
            )
        )
    return submissions, stray
