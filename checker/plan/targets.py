"""A sentence -> the targets and duties it sets.

A target is a number, share, count or class the sentence binds someone to (with its operator,
year or deadline, hedge and frequency), or a dated thing to be done with no number ("2018年底前
完成…编制": kind done). A duty binds a unit to do something checkable without a number
(建立…制度, 制定…方案, 定期公布…): it becomes an attestation, or a task where it is dated.

Everything here reads the words of the sentence; nothing is particular to one plan.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field

from checker.plan import dates, operators
from checker.plan.model import Sentence, Units
from checker.plan.numbers import Number, fold, numbers, unquoted, water_classes
from checker.plan.wording import (
    ALL,
    BINDS,
    DONE_VERB,
    DUTY_VERB,
    FRAMING,
    GENERIC,
    MARGIN,
    MODAL,
    ONGOING,
    PREAMBLE,
    SOFT,
    STRONG,
    TARGET_HEADING,
    background,
    cited,
    trim,
)

# Durations and frequencies are not targets ("通过5-10年的努力", "每两年1次").
_TIME_UNITS = {"年", "月", "日", "天", "周", "小时", "季度", "次", "倍"}
_PART = re.compile(r"[^；;。!！?？]+[；;。!！?？]?")
_CLAUSE_END = re.compile(r"[，,；;。：:]")
_DEADLINE_HEADER = re.compile(r"时限|时间|期限|完成")


@dataclass(frozen=True, slots=True)
class Found:
    """A target or duty: what the reader found in a sentence, for one year."""

    kind: str  # threshold | reduction | cumulative | stable | class | done | duty
    quote: str
    clause: str
    heading: str
    units: Units
    what: str
    offset: int
    value: float | None = None
    high: float | None = None
    unit: str | None = None
    op: str | None = None
    year: int | None = None
    deadline: dt.date | None = None
    baseline_year: int | None = None
    from_year: int | None = None
    until: int | None = None
    ongoing: bool = False
    hedge: tuple[str, ...] = ()
    frequency: str | None = None
    year_assumed: bool = False
    guesses: tuple[str, ...] = field(default=())  # what the reader assumed, as review note keys
    clause_span: tuple[int, int] = (0, 0)  # the clause it was read from, in the sentence
    quote_span: tuple[int, int] | None = None  # what its quote covers, in the sentence (clause_span if None)
    words: str = ""  # the clause it was read from, as written (what its indicator is matched on)
    units_from: str = ""  # the task item whose units an aim naming none took (checker.plan.borrow)


def _in_clause(sentence: Sentence, part: str, spans, mark, left: int, right: int, base: int) -> dict:
    """What every find read from one clause of a sentence shares: its quote, where the quote
    stands, and the sentence's clause, heading, units and place in the plan."""
    return {
        "quote": _quote(part, spans, mark, left, right),
        "quote_span": _span(spans, mark, left, right, base, len(part)),
        "clause": sentence.clause,
        "heading": sentence.heading,
        "units": sentence.units,
        "offset": sentence.offset + base,
    }


def read(
    sentence: Sentence,
    plan_year: int,
    horizon: int | None = None,
    context: dates.DateMark | None = None,
    body: bool = False,
    opens: bool = True,
) -> list[Found]:
    """Every target and duty of one sentence, in text order. `context` is the date an earlier
    sentence hands on (see carried); `body`: the plan has headings after its preamble; `opens`:
    the sentence opens its paragraph (only then may a short one be the paragraph's title).

    A sentence is read part by part (between semicolons) and clause by clause (between commas
    outside brackets): a clause with a number or a class is a target; one with a verb of doing
    under a date is a dated target with no number; the rest that bind a unit are one duty a part.
    """
    horizon = horizon or plan_year
    if sentence.row:
        return _row(sentence, plan_year, horizon)
    text = sentence.text
    found: list[Found] = []
    for base, part, lead in _parts(text):
        if len(part.strip()) < 4:
            continue
        marks = _marks(part, plan_year, context)
        items = _numeric(sentence, part, base, marks, context, plan_year, horizon, None)
        items += _classes(sentence, part, base, marks, context, plan_year, horizon)
        items += _times(sentence, part, base, marks, context, plan_year, horizon, {it.clause_span for it in items})
        items += _margins(sentence, part, base, marks, context, plan_year, horizon, {it.clause_span for it in items})
        targeted = {(it.clause_span) for it in items}
        items += _dated(sentence, part, base, marks, context, plan_year, targeted, horizon)
        covered = [it.quote_span or it.clause_span for it in items]
        if not lead:
            items += _duty(sentence, part, base, marks, plan_year, covered, body, opens)
        found.extend(sorted(items, key=lambda it: it.clause_span))
        if marks:
            context = marks[-1]
    return _one_duty_a_run(found, text)


# An enumeration inside a sentence: 一是…,二是…; 一要…;二要… (not 要求). Each item is an item
# of its own; what leads into 一是 names their topic.
ENUMERATION = re.compile(r"(?:^|(?<=[，,；;：:]))\s*(?:[一二三四五六七八九十]|十[一二三四五六七八九])(?:是|要(?!求))")


def _parts(text: str):
    """(start, part, lead) of each part of a sentence: between semicolons, and before each item
    of an enumeration; `lead` marks what leads into an enumeration's first item."""
    for m in _PART.finditer(text):
        part, base = m.group(), m.start()
        cuts = [e.start() for e in ENUMERATION.finditer(part) if e.start() > 0]
        starts = [0, *cuts]
        for i, start in enumerate(starts):
            end = starts[i + 1] if i + 1 < len(starts) else len(part)
            first_item = ENUMERATION.match(part, starts[i + 1]) if i + 1 < len(starts) else None
            lead = i == 0 and first_item is not None and re.match(r"\s*一", part[starts[1] :]) is not None
            yield base + start, part[start:end], lead


def _one_duty_a_run(found: list[Found], text: str) -> list[Found]:
    """Duties of neighbouring parts of one sentence are one duty: the sentence binds the unit;
    the items of an enumeration (一是…,二是…) each stand alone."""
    out: list[Found] = []
    for item in found:
        prev = out[-1] if out else None
        if ENUMERATION.match(text, item.clause_span[0]) and item.clause_span[0] > 0:
            out.append(item)
            continue
        if item.kind == "duty" and prev is not None and prev.kind == "duty" and not item.from_year and not prev.from_year:
            start, end = prev.clause_span[0], item.clause_span[1]
            quote = text[start:end].strip(" ，,；;。")
            out[-1] = dataclasses.replace(
                prev, quote=quote, what=trim(quote)[:40], clause_span=(start, end), frequency=prev.frequency or item.frequency
            )
            continue
        out.append(item)
    return out


def carried(sentence: Sentence, plan_year: int, context: dates.DateMark | None) -> dates.DateMark | None:
    """The date a sentence hands on to the next one of its clause: a sentence that ends in a
    semicolon ("到2017年,A;B。") lends its last date to what follows."""
    if not sentence.text.rstrip().endswith(("；", ";")):
        return None
    marks = [m for m in dates.marks(sentence.text, plan_year) if m.kind != "baseline"]
    return dataclasses.replace(marks[-1], start=-1, end=-1) if marks else context


def names_a_topic(sentence: Sentence, item: Found) -> bool:
    """A short sentence of one clause with a verb of striving only (加快城镇污水处理设施建设与改造。),
    which the sentences after it spell out: the title of its paragraph."""
    text = fold(sentence.text).strip(" 。；;")
    return item.kind == "duty" and len(text) <= 16 and len(clauses(text)) == 1 and not STRONG.search(text) and not MODAL.search(text)


def _marks(part: str, plan_year: int, context) -> list[dates.DateMark]:
    marks = [m for m in dates.marks(part, plan_year) if m.kind != "baseline"]
    year_here = marks[-1].year if marks else (context.year if context else plan_year)
    extra = [m for m in dates.bare_deadlines(part, year_here) if not any(o.start <= m.start < o.end for o in marks)]
    return sorted(marks + extra, key=lambda m: m.start)


def clauses(part: str) -> list[tuple[int, int]]:
    """The spans of a part's clauses: split at commas and colons outside brackets."""
    spans, depth, start = [], 0, 0
    for i, ch in enumerate(part):
        if ch in "(（[【《":
            depth += 1
        elif ch in ")）]】》":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in ",，:：；;。":
            if i > start:
                spans.append((start, i))
            start = i + 1
    if len(part) > start:
        spans.append((start, len(part)))
    return spans


def _clause_of(spans, pos: int) -> tuple[int, int]:
    return next((sp for sp in spans if sp[0] <= pos < sp[1]), (pos, pos + 1))


# ---------------------------------------------------------------- numbers


def _numeric(sentence, part, base, marks, context, plan_year, horizon, row_date) -> list[Found]:
    out: list[Found] = []
    folded = fold(part)
    nums = [n for n in numbers(part) if n.unit not in _TIME_UNITS]
    if not nums:
        return out
    spans = clauses(folded)
    freq = dates.frequency(part)
    listed = [n for n in nums if n.listed]
    span = next((m for m in marks if m.kind == "span"), None)
    milestones = None
    if span and listed and len(listed) == span.until - span.year + 1:
        milestones = {n.start: span.year + i for i, n in enumerate(listed)}
    first_of_list: dict[int, Number] = {}
    for n in listed:
        if n.start - 3 <= max((m.end for m in first_of_list.values()), default=-9):
            first_of_list[n.start] = first_of_list[max(first_of_list)]
        else:
            first_of_list[n.start] = n
    for n in nums:
        left, right = _clause_of(spans, n.start)
        clause_text = folded[left:right]
        if background(clause_text, folded):
            continue
        bind = operators.binding(folded, n.start, n.end, share=n.is_share)
        if bind.guessed and any(
            o is not n
            and _clause_of(spans, o.start) == (left, right)
            and o.start > n.start
            and not operators.binding(folded, o.start, o.end).guessed
            for o in nums
        ):
            continue  # "9个考核断面…比例达到55%": the count names what the share is of
        dated = bool(marks or context or row_date) or horizon == plan_year  # a plan for one year dates all it sets
        if bind.guessed and not (DONE_VERB.search(clause_text) or BINDS.search(clause_text) or DUTY_VERB.search(clause_text)):
            continue  # a count that describes what is to be done ("对全区1家加油站…"), not a target
        if bind.guessed and folded[n.start - 1 : n.start] == "等":
            continue  # "A、B等8个行业": the count closes a list of what is to be done
        if n.chinese and (bind.guessed or re.search(r"[“\"「]$", folded[: n.start])):
            continue  # 三个代表, “四个中心”: a name, not a count
        if bind.guessed and not dated and not BINDS.search(clause_text) and not TARGET_HEADING.search(sentence.heading or ""):
            continue
        if not (dated or not bind.guessed or BINDS.search(part)):
            continue
        mark = _mark_for(n.start, marks, context)
        guesses: list[str] = []
        if bind.guessed:
            guesses.append("op")
        year, deadline, from_year, until, assumed = _when(mark, row_date, plan_year, horizon, freq)
        if assumed:
            guesses.append("year")
        if milestones and n.start in milestones:
            year, deadline, assumed = milestones[n.start], None, False
            guesses = [g for g in guesses if g != "year"]
        baseline = None
        if bind.kind == "reduction":
            base_mark = next((m for m in dates.marks(part, plan_year) if m.kind == "baseline"), None)
            baseline = base_mark.year if base_mark else (from_year or plan_year) - 1
            if base_mark is None:
                guesses.append("baseline")
        if n.high is not None:
            guesses.append("range")
        hedges = tuple(operators.hedges(clause_text)) or tuple(h for h in operators.hedges(part) if h == "力争")
        anchor = first_of_list.get(n.start, n)
        out.append(
            Found(
                kind=bind.kind,
                what=_subject(part, left, right, anchor),
                **_in_clause(sentence, part, spans, mark, left, right, base),
                value=n.value,
                high=n.high,
                unit=n.unit,
                op=bind.op,
                year=year,
                deadline=deadline,
                baseline_year=baseline,
                from_year=from_year,
                until=until,
                hedge=hedges,
                frequency=freq,
                year_assumed=assumed,
                guesses=tuple(guesses),
                clause_span=(base + left, base + right),
                words=part[left:right],
            )
        )
    return out


def _times(sentence, part, base, marks, context, plan_year, horizon, targeted) -> list[Found]:
    """How often a year something is to be done (一月一测, 每年开展1次): a count a year."""
    folded = fold(part)
    spans = clauses(folded)
    out = []
    for value, start, _end in dates.times_a_year(folded):
        left, right = _clause_of(spans, start)
        if (base + left, base + right) in targeted or background(folded[left:right], folded):
            continue
        mark = _mark_for(start, marks, context)
        year, deadline, from_year, until, assumed = _when(mark, None, plan_year, horizon, "freq")
        out.append(
            Found(
                kind="threshold",
                what=trim(part[left:start]) or trim(part[left:right]),
                **_in_clause(sentence, part, spans, mark, left, right, base),
                value=value,
                unit="次",
                op=">=",
                year=year,
                from_year=from_year,
                until=until,
                frequency=dates.frequency(folded[left:right]),
                guesses=("times",) + (("year",) if assumed else ()),
                clause_span=(base + left, base + right),
                words=part[left:right],
            )
        )
    return out


def _span(spans, mark, left: int, right: int, base: int, length: int) -> tuple[int, int]:
    start = left
    if mark is not None and mark.start < left and 0 <= mark.start < length:
        start = _clause_of(spans, mark.start)[0]
    return base + start, base + right


def _quote(part: str, spans, mark, left: int, right: int) -> str:
    """The clause a target was read from, from its date phrase's clause on where that stands
    earlier in the same part: the shortest verbatim span that holds the whole target."""
    start = left
    if mark is not None and mark.start < left and 0 <= mark.start < len(part):
        start = _clause_of(spans, mark.start)[0]
    return part[start:right].strip()


def _classes(sentence, part, base, marks, context, plan_year, horizon) -> list[Found]:
    """Water classes that are the target themselves (no count or share in their clause)."""
    out: list[Found] = []
    folded = fold(part)
    spans = clauses(folded)
    counted = {_clause_of(spans, n.start) for n in numbers(part) if n.unit not in _TIME_UNITS}
    taken: set[tuple[int, int]] = set()
    for wc in water_classes(part):
        left, right = _clause_of(spans, wc.start)
        if (left, right) in counted or (left, right) in taken:
            continue
        clause_text = folded[left:right]
        if background(clause_text, folded) or not (marks or context or BINDS.search(part)):
            continue
        before, after = folded[left : wc.start], folded[wc.end : right]
        if wc.value == 6 and re.search(r"消除|无|杜绝", before):
            continue  # 消除劣Ⅴ类水体: a thing to be done (read as dated below)
        share = re.search(r"比例|比率|占比|比重", after)
        stable = operators.stable(clause_text) or (share and re.search(r"提高|提升|增加", after) and "stable")
        if share and not stable:
            continue
        taken.add((left, right))
        op, word = operators.class_binding(folded, wc.start)
        mark = _mark_for(wc.start, marks, context)
        year, deadline, from_year, until, assumed = _when(mark, None, plan_year, horizon, None)
        guesses = (["op"] if not word else []) + (["year"] if assumed else [])
        every = ALL.search(folded[max(0, left - 12) : wc.start])
        if every and not stable:
            # "全部达到或优于Ⅲ类": every one of them, a share of 100 % at that class or better
            op, guesses = ">=", [*guesses, "all"]
        out.append(
            Found(
                kind="threshold" if every and not stable else ("stable" if stable else "class"),
                what=_subject(part, left, right, None, wc.start),
                **_in_clause(sentence, part, spans, mark, left, right, base),
                value=100.0 if every and not stable else float(wc.value),
                unit="%" if every and not stable else "类",
                op=op,
                year=year,
                deadline=deadline,
                from_year=from_year if not stable else (from_year or year),
                until=until,
                hedge=tuple(operators.hedges(clause_text)),
                year_assumed=assumed,
                guesses=tuple(guesses),
                clause_span=(base + left, base + right),
                words=part[left:right],
            )
        )
    for m in re.finditer(r"[^,，；;。]*?(?:保持稳定|不退化|不下降|稳中趋好|保持或优于现状|只能更好、不能变坏)", folded):
        left, right = _clause_of(spans, m.start())
        if (left, right) in counted or (left, right) in taken or background(folded[left:right], folded):
            continue
        taken.add((left, right))
        mark = _mark_for(m.start(), marks, context)
        year, deadline, from_year, until, assumed = _when(mark, None, plan_year, horizon, None)
        out.append(
            Found(
                kind="stable",
                what=trim(part[left:right])[:40],
                **_in_clause(sentence, part, spans, mark, left, right, base),
                op="stable",
                year=year,
                from_year=from_year or (plan_year if assumed else year),
                until=until,
                hedge=tuple(operators.hedges(folded[left:right])),
                year_assumed=assumed,
                guesses=("year",) if assumed else (),
                clause_span=(base + left, base + right),
                words=part[left:right],
            )
        )
    return out


def _margins(sentence, part, base, marks, context, plan_year, horizon, taken) -> list[Found]:
    """An outflow section no worse than the inflow: read as the inflow's class minus the
    outflow's, at least 0 (Ⅰ=1…劣Ⅴ=6), for the reviewer to confirm."""
    folded = fold(part)
    spans = clauses(folded)
    out = []
    for m in MARGIN.finditer(folded):
        left, right = _clause_of(spans, m.start())
        if (base + left, base + right) in taken or background(folded[left:right], folded):
            continue
        mark = _mark_for(m.start(), marks, context)
        year, deadline, from_year, until, assumed = _when(mark, None, plan_year, horizon, None)
        out.append(
            Found(
                kind="threshold",
                what=trim(part[left:right])[:40],
                **_in_clause(sentence, part, spans, mark, left, right, base),
                value=0.0,
                unit="类",
                op=">=",
                year=year,
                from_year=from_year,
                until=until,
                hedge=tuple(operators.hedges(folded[left:right])),
                year_assumed=assumed,
                guesses=("margin",) + (("year",) if assumed else ()),
                clause_span=(base + left, base + right),
                words=part[left:right],
            )
        )
    return out


def _mark_for(pos: int, marks, context):
    """The date phrase a number answers to: the nearest before it, else the first after it in
    the same part, else the sentence's last one before the part."""
    before = [m for m in marks if m.start <= pos]
    if before:
        return before[-1]
    return marks[0] if marks else context


def _when(mark, row_date, plan_year, horizon, freq):
    """(year, deadline, from_year, until, assumed) of a target."""
    if row_date is not None and (mark is None or mark.kind == "in"):
        return row_date.year, row_date, None, None, False
    if mark is None:
        if freq:
            return plan_year, None, plan_year, None, True
        return horizon, None, None, None, True
    if mark.kind == "from":
        return mark.year, None, mark.year, None, False
    if mark.kind in ("period", "span"):
        if freq:
            return mark.year, None, mark.year, mark.until, False
        return mark.until, None, mark.year, mark.until, False
    deadline = mark.deadline if mark.deadline and (mark.deadline.month, mark.deadline.day) != (12, 31) else None
    return mark.year, deadline, None, None, False


def _subject(part: str, left: int, right: int, n: Number | None, pos: int | None = None) -> str:
    """What the number counts, in the plan's words: the clause without its date phrase and the
    number; what precedes the number where it names something, else what follows."""
    start = n.start if n else pos
    end = n.end if n else pos
    before = trim(part[left:start])
    after = trim(part[end:right])
    name = before if len(before) >= 4 else (before + after if len(after) >= 2 else before)
    return name[:40] or part.strip()[:40]


# ---------------------------------------------------------------- dated and undated duties


_WORK_HEADER = re.compile(r"举措|措施|内容|任务|目标|事项|工作|问题")


def _row(sentence: Sentence, plan_year: int, horizon: int) -> list[Found]:
    """A table row: its work cell (具体举措, else 任务) read as a sentence, dated by its deadline
    cell; a row with no number is one task to be done by that date (or an ongoing duty)."""
    cells = [(h or "", c) for h, c in sentence.row if c and c.strip()]
    work = [c for h, c in cells if re.search(r"举措|措施|内容", h)] or [
        c for h, c in cells if _WORK_HEADER.search(h) and not _DEADLINE_HEADER.search(h)
    ]
    if not work:
        return []
    cell = max(work, key=len)
    row_date = _row_deadline(sentence, plan_year)
    found: list[Found] = []
    context = None
    for part_match in _PART.finditer(cell):
        part, base = part_match.group(), part_match.start()
        marks = _marks(part, plan_year, context)
        found += _numeric(sentence, part, base, marks, context, plan_year, horizon, row_date)
        if marks:
            context = marks[-1]
    if found:
        return found
    ongoing = _row_ongoing(sentence) or ONGOING.search(cell) is not None
    if row_date is not None:
        return [_done(sentence, cell, 0, row_date.year, row_date, (0, len(cell)), ongoing=ongoing)]
    return [
        Found(
            kind="duty",
            quote=cell.strip(),
            clause=sentence.clause,
            heading=sentence.heading,
            units=sentence.units,
            what=trim(cell)[:40],
            offset=sentence.offset,
            ongoing=ongoing,
            frequency=dates.frequency(cell),
            clause_span=(0, len(cell)),
        )
    ]


def _row_deadline(sentence: Sentence, plan_year: int) -> dt.date | None:
    for header, cell in sentence.row or ():
        if _DEADLINE_HEADER.search(header or ""):
            found = [m for m in dates.marks(cell, plan_year) if m.kind in ("by", "in")]
            if found:
                m = found[0]
                return m.deadline or dt.date(m.year, 12, 31)
    return None


def _row_ongoing(sentence: Sentence) -> bool:
    return any(ONGOING.search(cell or "") for header, cell in sentence.row or () if _DEADLINE_HEADER.search(header or ""))


def _dated(sentence, part, base, marks, context, plan_year, targeted, horizon) -> list[Found]:
    """Dated things to do with no number, one a clause (2016年底前完成A，2017年底前完成B)."""
    out: list[Found] = []
    folded = fold(part)
    spans = clauses(folded)
    for left, right in spans:
        if (base + left, base + right) in targeted:
            continue
        clause_text = folded[left:right]
        verb = DONE_VERB.search(unquoted(clause_text))  # not a verb of a cited title (《…实施方案》)
        if verb is None or background(cited(clause_text), folded) or operators.stable(clause_text):
            continue
        mark = _mark_for(left + verb.start(), marks, context)
        aim = TARGET_HEADING.search(sentence.heading or "") and re.match(r"\s*(?:全面|全部|基本)?(?:消除|完成|建成|实现)", clause_text)
        shall = MODAL.search(folded[:right]) and re.search(r"(?:应|要|须)[^，,]{0,24}(?:建成|完成)", folded[:right])
        if mark is None and (aim or shall):
            # an aim under a 目标/指标 heading, or a thing that shall be built, with no year: the plan's horizon
            found = _done(sentence, part[left:right], base, horizon, dt.date(horizon, 12, 31), (base + left, base + right))
            out.append(dataclasses.replace(found, year_assumed=True, guesses=("year",)))
            continue
        if mark is None or mark.kind == "baseline" or (mark not in marks and mark.kind == "from"):
            continue
        if mark in marks and mark.start > right and _clause_of(spans, mark.start) != (left, right):
            continue  # a date further on belongs to what follows it
        if mark.kind == "from" and dates.frequency(clause_text):
            # a duty from that year on (自2016年起每季度向社会公开)
            out.append(
                Found(
                    kind="duty",
                    what=trim(clause_text)[:40],
                    **_in_clause(sentence, part, spans, mark, left, right, base),
                    from_year=mark.year,
                    frequency=dates.frequency(clause_text),
                    clause_span=(base + left, base + right),
                    words=part[left:right],
                )
            )
            continue
        year = mark.until if mark.kind in ("span", "period") else mark.year
        deadline = mark.deadline or dt.date(year, 12, 31)
        every = re.search(r"全部(?:建成|达到|实现)", clause_text)
        if every:
            # Read both ways for the reviewer to keep one: done by the date, or 100 % of them.
            out.append(
                _done(
                    sentence,
                    _quote(part, spans, mark, left, right),
                    base,
                    year,
                    deadline,
                    (base + left, base + right),
                    _span(spans, mark, left, right, base, len(part)),
                )
            )
            out.append(
                Found(
                    kind="threshold",
                    what=trim(clause_text[: every.start()]) or trim(clause_text),
                    **_in_clause(sentence, part, spans, mark, left, right, base),
                    value=100.0,
                    unit="%",
                    op=">=",
                    year=year,
                    guesses=("all",),
                    clause_span=(base + left, base + right),
                    words=part[left:right],
                )
            )
            continue
        qstart, qend = _span(spans, mark, left, right, base, len(part))
        index = spans.index((left, right))
        if (
            len(re.sub(r"\s", "", clause_text[verb.end() :])) <= 2
            and index > 0
            and (base + spans[index - 1][0], base + spans[index - 1][1]) not in targeted
        ):
            qstart = min(qstart, base + spans[index - 1][0])  # "X工程,9月底前完工": what is to be done is the clause before
        done = _done(sentence, part[qstart - base : qend - base].strip(), base, year, deadline, (base + left, base + right), (qstart, qend))
        out.append(dataclasses.replace(done, guesses=("within",)) if mark.kind == "within" else done)
    return out


def _done(sentence, quote, base, year, deadline, span, quote_span=None, ongoing=False) -> Found:
    return Found(
        kind="done",
        quote=quote.strip(),
        clause=sentence.clause,
        heading=sentence.heading,
        units=sentence.units,
        what=(trim(quote) if len(trim(quote)) >= 6 else trim(sentence.text))[:40],
        offset=sentence.offset + base,
        op="done",
        year=year,
        deadline=deadline,
        ongoing=ongoing,
        hedge=tuple(h for h in operators.hedges(quote) if h in ("力争", "基本")),
        frequency=dates.frequency(quote),
        clause_span=span,
        quote_span=quote_span,
    )


def _duty(sentence, part, base, marks, plan_year, covered, body, opens=True) -> list[Found]:
    """The clauses of a part that bind a unit without a number: one duty, quoting them."""
    folded = fold(part)
    if FRAMING.search(folded):
        return []
    inside = [(a - base, b - base) for a, b in covered]
    spans = [sp for sp in clauses(folded) if not any(a <= sp[0] and sp[1] <= b for a, b in inside)]
    doing = [
        sp
        for sp in spans
        if DUTY_VERB.search(folded[sp[0] : sp[1]])
        and not background(folded[sp[0] : sp[1]], folded)
        and not SOFT.match(folded[sp[0] : sp[1]])
    ]
    if all(GENERIC.search(folded[a:b].strip()) for a, b in doing):
        doing = []  # 加大工作力度, 提升保障能力: nothing an assessment could ask evidence for
    topic = (
        opens
        and len(spans) == 1
        and len(sentence.text.strip("。 ")) <= 12
        and sentence.text.strip() == part.strip()
        and not STRONG.search(folded)
    )
    if not doing or topic:
        return []  # nothing binding, or a short sentence that only names the topic of its paragraph
    if any(b <= doing[0][0] for a, b in inside) and re.match(r"\s*(?:并|并且)?同步", folded[doing[0][0] : doing[0][1]]):
        return []  # "每年完成20个…改造工程,同步完善…管道": done in step with the target before it, its part
    if not sentence.units and not MODAL.search(folded) or (body and sentence.clause == PREAMBLE):
        return []  # binds no one; or a preamble, whose duties the body sets out (its aims are read)
    if any(m.kind in ("by", "in") and m.year < plan_year for m in marks):
        return []  # done before the plan: background
    # The duty quotes its part from after the last target before it to before the next target
    # after it: the plan's whole sentence about it, no target's words.
    left = max((b + 1 for a, b in inside if b <= doing[0][0]), default=0)
    right = min((a - 1 for a, b in inside if a >= doing[-1][1]), default=len(part))
    quote = part[max(0, left) : max(left, right)].strip(" ，,；;。")
    quote = ENUMERATION.sub("", quote, count=1).strip() if ENUMERATION.match(quote) else quote  # 二是建立…: 建立…
    from_mark = next((m for m in marks if m.kind == "from"), None)
    return [
        Found(
            kind="duty",
            quote=quote,
            clause=sentence.clause,
            heading=sentence.heading,
            units=sentence.units,
            what=trim(quote)[:40],
            offset=sentence.offset + base,
            from_year=from_mark.year if from_mark else None,
            ongoing=ONGOING.search(quote) is not None,
            frequency=dates.frequency(quote),
            hedge=tuple(h for h in operators.hedges(quote) if h == "力争"),
            clause_span=(base + left, base + right),
            words=part[left:right],
        )
    ]
