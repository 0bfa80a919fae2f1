"""Rows of a sheet that no rule reads that year: each gets a note, never silence. A clerk who
reports an indicator the plans in force do not assess (a later plan's, another county's, a
mistaken code) learns that the row was not used, instead of reading a report that never names it.
"""

from __future__ import annotations

from checker.derive import DEPENDS_ON, SAMPLES, SECTION_CLASS, SECTION_TYPE
from checker.models import Observation, Text
from checker.observations import SubmissionInput
from checker.rulesets import LoadedRuleset, RuleBook
from checker.waivers import WAIVER

LISTED = 5  # rows named in a note on one sampled item; beyond that, counted


def read_codes(sub: SubmissionInput, rulesets: list[LoadedRuleset], book: RuleBook) -> tuple[set[str], tuple[str, ...]]:
    """The indicators that rules read for the submission's year (a target in force or not yet
    due, a running total, a later year's baseline), and the prefixes of what they derive from."""
    read = {WAIVER}  # a waiver request has a note of its own
    for lr in rulesets:
        for rule in lr.ruleset.rules:
            if rule.until is not None and sub.year > rule.until:
                continue  # past the target's horizon nothing is read for it
            read.update(rule.indicators_read())
    read |= book.baseline_needs.get((sub.jurisdiction, sub.year), set())
    sources = tuple(dep for code in read for dep in DEPENDS_ON.get(code, ()))
    if SECTION_CLASS in read or sources:
        sources += (SECTION_TYPE,)  # which sections are lakes decides their classes
    return read, sources


def unread_notes(sub: SubmissionInput, rulesets: list[LoadedRuleset], book: RuleBook) -> list[Text]:
    """A note (zh + en) on each row whose indicator no rule reads this year; sampled items (one
    row per sample) get one note each, naming the first rows."""
    read, sources = read_codes(sub, rulesets, book)

    def unread(code: str) -> bool:
        return code not in read and not any(code == dep or (dep.endswith(".") and code.startswith(dep)) for dep in sources)

    notes = []
    for key, obs in sorted(sub.observations.items(), key=lambda kv: str(kv[0])):
        if key not in sub.derived_keys and unread(obs.indicator):
            notes.append(_note([obs], book))
    samples: dict[str, list[Observation]] = {}
    for obs in sub.samples:
        if obs.indicator.startswith(SAMPLES) and unread(obs.indicator):
            samples.setdefault(obs.indicator, []).append(obs)
    notes += [_note(rows, book) for _, rows in sorted(samples.items())]
    return notes


def _note(rows: list[Observation], book: RuleBook) -> Text:
    code = rows[0].indicator
    name = book.indicators[code].name_zh if code in book.indicators else code
    where = "、".join(o.location.describe() for o in rows[:LISTED])
    where_en = ", ".join(o.location.describe() for o in rows[:LISTED])
    more_zh = f" 等 {len(rows)} 行" if len(rows) > LISTED else ""
    more_en = f" and {len(rows) - LISTED} more rows" if len(rows) > LISTED else ""
    return Text(
        zh=f"{where}{more_zh}：本年度无规则读取此指标（{name}），未用于检查",
        en=f"{where_en}{more_en}: no rule reads this indicator this year ({code}); not used in the check",
    )
