"""A plan's blocks -> its headings, clause paths and sentences, each sentence with its units.

Headings of every level are known by their marker (第一章, 一、, 第一条, (一), 1., (1)/1), ①);
a heading resets every level below it, and the clause path is the markers in force
(二(三)2(1)). The body starts at the first 一、 (or 第一章/第一条): what comes before the
plan's title is web page furniture and is dropped; what comes between the title and the first
heading is the plan's preamble (clause 前言). An annex (附件, 附件1) restarts the path under
its own name. Tables, real or flattened into lines, are read in checker.plan.tables.

A unit list applies back to every sentence of its clause since the previous list: a trailing
"(…)" closes an item, a mid-paragraph one its own sentence. A blanket ("以下均需…不再列出")
applies to every later sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from checker.plan import tables
from checker.plan.lines import (
    ANNEX,
    GOES_ON,
    LOST_NUMBER,
    Lines,
    annex_title,
    arabic,
    cut_copy,
    first_stop,
    heading_of,
    split_sentences,
    title_and_start,
)
from checker.plan.load import Block, Table
from checker.plan.model import Heading, Plan, Sentence, Units
from checker.plan.subjects import subject_units
from checker.plan.units import (
    BLANKET_SENTENCE,
    UnitList,
    labelled_units,
    merge,
    parse_units,
    trailing_bracket,
    trailing_units,
)

# An item's attribute on a line of its own ("完成时限：2020年底"): no text that makes its
# heading a mere title.
_ATTRIBUTE = re.compile(r"^[\u4e00-\u9fff]{0,6}(?:时限|时间|期限|节点|进度|年限|责任人|联系人|备注)\s*[:：]")


@dataclass(eq=False)
class _Item:
    text: str
    original: str
    offset: int
    clause: str
    heading: str
    own: UnitList | None = None
    units: Units = field(default_factory=Units)
    row: tuple[tuple[str, str], ...] | None = None
    blanket: Units = field(default_factory=Units)
    subject: Units | None = None  # the body it opens on ("各县区要…"), where it names no list


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.levels: dict[float, tuple[str, str]] = {}  # rank -> (path piece, title)
        self.counters: dict[float, int] = {}
        self.annex = ""
        self.annex_title = ""
        self.headings: list[Heading] = []
        self.items: list[_Item] = []
        self.run: list[_Item] = []  # this clause's sentences since its last unit list
        self.clause = "前言"
        self.heading = ""
        self.provisional: _Item | None = None
        self.closed: list[_Item] = []  # the items the last unit list went to
        self.initial = Units()  # a blanket laid before the first item

    def path(self) -> str:
        inner = "".join(self.levels[r][0] for r in sorted(self.levels))
        if self.annex:
            return f"{self.annex} {inner}".strip()
        return inner

    def set_clause(self) -> None:
        self.clause = self.path() or "前言"
        self.heading = self.levels[max(self.levels)][1] if self.levels else (self.annex_title if self.annex else self.title)
        self.run = []
        self.closed = []

    def open_heading(self, rank: float, marker: str, piece: str, title: str, offset: int) -> None:
        if self.provisional is not None and self.levels and rank > max(self.levels):
            self.drop_provisional()  # its heading has headings below it: a title, no item
        self.provisional = None
        for r in [r for r in self.levels if r >= rank]:
            del self.levels[r]
        for r in [r for r in self.counters if r > rank]:
            del self.counters[r]
        self.levels[rank] = (piece, title)
        self.counters[rank] = int(piece.strip("()")) if piece.strip("()").isdecimal() else self.counters.get(rank, 0) + 1
        self.headings.append(Heading(marker, self.path(), title, offset))
        self.set_clause()

    def open_annex(self, label: str, title: str, offset: int) -> None:
        self.provisional = None
        self.levels.clear()
        self.counters.clear()
        self.annex, self.annex_title = label, title
        self.headings.append(Heading(label, label, title, offset))
        self.set_clause()

    def close_run(self, found: UnitList, alone: bool = False) -> None:
        """`found` applies to this clause's sentences since the last list. A list standing
        alone right after another ("牵头单位：…" then "配合单位：…") adds to the same items."""
        if alone and not self.run and self.closed:
            for item in self.closed:
                item.own = join(item.own, found) if item.own is not None else found
        for item in self.run:
            if item.own is None:
                item.own = found
        if self.run:
            self.closed = self.run
        self.run = []
        if found.blanket:
            self.lay_blanket(found.blanket)

    def lay_blanket(self, units: Units) -> None:
        """Units for every item after the last one so far."""
        if self.items:
            self.items[-1].blanket = merge(self.items[-1].blanket, units)
        else:
            self.initial = merge(self.initial, units)

    def add_text(self, text: str, original: str, offset: int) -> None:
        """One line's body text: its sentences, and the unit lists among them. A subject
        ("各地要…") goes on to the paragraph's sentences that open on 要/应 without one."""
        current: Units | None = None
        for s, e in split_sentences(text):
            seg = text[s:e]
            orig = original[s:e] if len(original) == len(text) else seg
            found = labelled_units(seg)
            if found is None:
                tb = trailing_bracket(seg)
                if tb is not None and tb[0] == 0:
                    found = parse_units(tb[1])
            if found is not None:
                self.close_run(found, alone=True)
                continue
            if BLANKET_SENTENCE.search(seg) and (blanket := parse_units(seg)) is not None and blanket.blanket:
                self.lay_blanket(blanket.blanket)  # "以下各项任务各县区政府均为责任单位,不再列出。"
                continue
            if self.provisional is not None and not _ATTRIBUTE.match(seg):
                self.drop_provisional()  # text of its own below the heading: the title is a title
            item = _Item(seg, orig, offset + s, self.clause, self.heading)
            if _ATTRIBUTE.match(seg) and self.closed:
                item.own = self.closed[-1].own  # the item's deadline: the item's units
                self.items.append(item)
                continue
            item.subject = subject_units(seg)
            if item.subject is not None:
                current = item.subject
            elif current is not None and GOES_ON.match(seg):
                item.subject = current
            self.closed = []
            self.items.append(item)
            self.run.append(item)
            own = trailing_units(seg)
            if own is not None:
                self.close_run(own[1])

    def add_heading_line(self, text: str, original: str, offset: int) -> bool:
        h = heading_of(text)
        if h is None:
            if LOST_NUMBER.match(text) and len(text) <= 30 and "。" not in text[:-1]:
                n = self.counters.get(3, 0) + 1
                h = (3, ".", str(n), text[1:])
            else:
                return False
        rank, marker, piece, rest = h
        at = len(text) - len(rest)
        orig_rest = original[at:] if len(original) == len(text) else rest
        if rank == 1.5:  # an article (第三条) has no title: what follows it is its text
            self.open_heading(rank, marker, piece, "", offset)
            self.add_text(rest, orig_rest, offset + at)
            return True
        cut = first_stop(rest)
        title = rest[:cut].strip()
        tail = rest[cut + 1 :]
        shown = title
        own = trailing_units(title)
        if own is not None:  # "(一)完善排水管网(区建管委负责)。": the list is no part of the title
            shown = title[: own[0]].rstrip()
        self.open_heading(rank, marker, piece, shown.rstrip("。；;"), offset)
        # The title is a sentence too where it sets a target, is long, or is followed only by
        # its unit list (the heading is then the item itself).
        if title and (re.search(r"\d|％|%", title) or len(title) > 40 or _only_units(tail)):
            self.add_text(rest, orig_rest, offset + at)
            return True
        if title:
            # A heading with no text of its own below it is an item: its title is kept as a
            # sentence until text or a lower heading comes.
            span = rest[: cut + 1].rstrip()
            item = _Item(span, orig_rest[: len(span)], offset + at, self.clause, self.heading)
            self.items.append(item)
            self.run.append(item)
            self.provisional = item
            if own is not None:
                self.close_run(own[1])
        if tail.strip():
            lead = len(tail) - len(tail.lstrip())
            self.add_text(tail.strip(), orig_rest[cut + 1 + lead :].strip(), offset + at + cut + 1 + lead)
        return True

    def drop_provisional(self) -> None:
        item, self.provisional = self.provisional, None
        if item is not None:
            # It is the last item (any sentence after it would have dropped it first).
            del self.items[next(i for i in range(len(self.items) - 1, -1, -1) if self.items[i] is item)]
            if item.blanket:
                self.lay_blanket(item.blanket)
            self.run = [x for x in self.run if x is not item]

    def read(self, blocks: list[Block]) -> Plan:
        lines = Lines.of(blocks).items
        title, body, first = title_and_start(lines)
        self.title = title
        self.set_clause()
        lines = cut_copy(lines, first)
        i = body
        while i < len(lines):
            block, offset = lines[i]
            if isinstance(block, Table):
                self.add_rows(tables.real_rows(block, offset))
                i += 1
                continue
            raw = block.text
            lead = len(raw) - len(raw.lstrip())
            text = raw.strip()
            original = block.original.strip()
            at = offset + lead
            if not text:
                i += 1
                continue
            m = ANNEX.match(text)
            if m and (not m.group(3) or tables.header_follows(lines, i + 1)):
                label = "".join(m.group(1).split()) + arabic(m.group(2) or "")
                title = m.group(3).strip()
                j = i + 1
                if not title:
                    j, title = annex_title(lines, i + 1)
                self.open_annex(label, title, at)
                i = j
                continue
            flat = tables.flattened(lines, i)
            if flat is not None:
                rows, i = flat
                self.add_rows(rows)
                continue
            if i >= first and self.add_heading_line(text, original, at):
                i += 1
                continue
            self.add_text(text, original, at)
            i += 1
        return self.finish()

    def add_rows(self, rows: list[tables.Row]) -> None:
        if rows and self.provisional is not None:
            self.drop_provisional()  # a heading over a table is the table's title
        prefix = self.annex or self.path()
        for n, row in enumerate(rows, 1):
            number = row.number or str(n)
            clause = f"{prefix} 第{number}项".strip()
            heading = row.category or self.heading
            item = _Item(row.text, row.original, row.offset, clause, heading, UnitList(row.units), row=row.pairs)
            self.items.append(item)
        self.run = []

    def finish(self) -> Plan:
        items = _drop_tail(self.items)
        bare = frozenset(n for item in items if item.own is not None for n in item.own.bare)
        restated = _restated(items)
        blanket = self.initial
        sentences = []
        for item in items:
            if item.own is not None and bare:
                item.own = item.own.unexpand(bare)
            own = item.own.units if item.own is not None else (restated.get(id(item)) or item.subject or Units())
            units = merge(own, blanket) if blanket else own
            sentences.append(Sentence(item.text, item.clause, item.heading, units, item.offset, item.original, item.row))
            if item.blanket:
                blanket = merge(blanket, item.blanket)
        return Plan(self.source, self.title, tuple(self.headings), tuple(sentences))


def _restated(items: list[_Item]) -> dict[int, Units]:
    """Units for the body's sentences that an annex table row restates word for word (a plan
    that lists its measures again in a task table gives their units only there)."""
    rows = [(item.text, item.own.units) for item in items if item.row and item.own is not None and item.own.units]
    if not rows:
        return {}
    tasks = []
    for item in items:
        if item.row and item.own is not None and item.own.units:
            cells = ["".join(v.split()).rstrip("。；;，,") for h, v in item.row if tables.column_kind(h) == "text"]
            tasks.append(([c for c in cells if len(c) >= 8 and heading_of(c) is None], item.own.units))  # not a category
    joined, starts = "", []
    for text, _ in rows:
        starts.append(len(joined))
        joined += "".join(text.split()) + "\x00"
    out: dict[int, Units] = {}
    for item in items:
        if item.row or item.own is not None:
            continue
        key = "".join(item.text.split()).rstrip("。；;，,")
        at = joined.find(key) if len(key) >= 8 else -1
        if at >= 0:
            out[id(item)] = rows[bisect_right(starts, at) - 1][1]
            continue
        # The other way round: a sentence that holds a row's whole task (or several rows').
        inside = [units for cells, units in tasks if any(c in key for c in cells)]
        if inside:
            out[id(item)] = merge(*inside)
    return out


def join(a: UnitList, b: UnitList) -> UnitList:
    return UnitList(merge(a.units, b.units), merge(a.blanket, b.blanket), a.expanded + b.expanded, a.bare + b.bare)


def _only_units(text: str) -> bool:
    text = text.strip()
    if not text:
        return False
    if labelled_units(text) is not None:
        return True
    found = trailing_bracket(text)
    return found is not None and found[0] == 0 and parse_units(found[1]) is not None


def _drop_tail(items: list[_Item]) -> list[_Item]:
    """Page furniture after the plan's last sentence ("扫一扫在手机打开当前页", "相关文章"):
    the short lines that end no sentence after the last one that does."""
    end = len(items)
    while end and not items[end - 1].row and items[end - 1].own is None and len(items[end - 1].text) <= 45:
        if items[end - 1].text.rstrip()[-1:] in "。！？；;)）]】":
            break
        end -= 1
    return items[:end]


def read_blocks(blocks: list[Block], source: str) -> Plan:
    return _Reader(source).read(blocks)
