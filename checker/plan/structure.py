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
from dataclasses import dataclass, field

from checker.plan import tables
from checker.plan.load import Block, Line, Table
from checker.plan.model import Heading, Plan, Sentence, Units
from checker.plan.units import UnitList, labelled_units, merge, parse_units, subject_units, trailing_bracket, trailing_units

_CN = "一二三四五六七八九十百零〇"
# (rank, pattern, path piece). Ranks order the levels; a plan may skip any of them.
_MARKERS: tuple[tuple[float, re.Pattern[str], str], ...] = (
    (0, re.compile(rf"^第([{_CN}]+|\d+)(?:章|篇|部分(?=\s|[、：:]|$))\s*"), "第{}章"),
    (0.5, re.compile(rf"^第([{_CN}]+|\d+)节\s*"), "第{}节"),
    (1, re.compile(rf"^([{_CN}]+)\s*(?:[、．]|\.(?!\d))\s*"), "{}"),
    (1.5, re.compile(rf"^第([{_CN}]+|\d+)条\s*"), "第{}条"),
    (2, re.compile(rf"^[(（]\s*([{_CN}]+)\s*[)）]\s*[、.．]?\s*"), "({})"),
    (3, re.compile(r"^([0-9０-９]{1,2})\s*(?:[.．、](?![0-9０-９.．])|．)\s*"), "{}"),
    (4, re.compile(r"^(?:[(（]\s*([0-9０-９]{1,2})\s*[)）]|([0-9０-９]{1,2})\s*[)）])\s*[、.．]?\s*"), "({})"),
    (5, re.compile(r"^([①-⑳⑴-⒇])\s*"), "{}"),
)
# A number lost in the copying (".狠抓工业污染防治"): a short line opening on a dot.
_LOST_NUMBER = re.compile(r"^[.．](?=[^\d\s.．])")
_START = re.compile(rf"^(?:[{_CN}]+\s*[、．]|第[一二三四五六七八九十\d]+(?:章|条|部分|篇))")
_ANNEX = re.compile(r"^(附\s*[件表])\s*([0-9０-９]+|[一二三四五六七八九十]+)?\s*[:：]?\s*(.*)$")
_TITLE_WORD = re.compile(r"方案|计划|通知|意见|规划|办法|细则|要点|安排|清单|纲要|决定|报告")
_SPLIT = set("。；;！？!?")
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_GOES_ON = re.compile(r"^(?:要|应|须|并|同时|还要|也要|进一步|切实)")
_OPENERS = "(（[［【〔《“‘「『"
_CLOSERS = ")）]］】〕》”’」』"


@dataclass
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


@dataclass
class _Lines:
    """The plan's lines with their offsets in the text as read (blocks joined by newlines)."""

    items: list[tuple[Block, int]]

    @classmethod
    def of(cls, blocks: list[Block]) -> _Lines:
        out, pos = [], 0
        for b in blocks:
            out.append((b, pos))
            if isinstance(b, Line):
                pos += len(b.text) + 1
            else:
                pos += sum(len(c.text) + 1 for r in b.rows for c in r) + 1
        return cls(out)


def heading_of(text: str) -> tuple[float, str, str, str] | None:
    """(rank, marker as written, path piece, rest of the line) for a heading line."""
    for rank, pat, piece in _MARKERS:
        m = pat.match(text)
        if m:
            number = next(g for g in m.groups() if g).translate(_FULLWIDTH)
            if piece.startswith("第"):  # 第三条, 第二部分: as written
                piece = "".join(m.group(0).split()).translate(_FULLWIDTH)
            else:
                piece = piece.format(number)
            return rank, m.group(0).strip(), piece, text[m.end() :]
    return None


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences in one line: at 。；;！？ outside brackets and quotes (a unit
    list's own "。以下均需…" stays whole); where the brackets do not balance, at every one."""
    spans = _split(text, True)
    if spans is None:
        spans = _split(text, False)
    return spans or []


def _split(text: str, nest: bool) -> list[tuple[int, int]] | None:
    spans, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if nest and ch in _OPENERS:
            depth += 1
        elif nest and ch in _CLOSERS:
            depth = max(0, depth - 1)  # a stray closer ("…不再列出)]") closes nothing
        elif ch in _SPLIT and depth == 0:
            spans.append((start, i + 1))
            start = i + 1
    if nest and depth != 0:
        return None
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e and any(not (c in _SPLIT or c.isspace()) for c in text[s:e]):
            out.append((s, e))
    return out


def _title_and_start(lines: list[tuple[Block, int]]) -> tuple[str, int, int]:
    """(title, index of the first line after the title, index of the first heading)."""
    texts = [b.text.strip() if isinstance(b, Line) else "" for b, _ in lines]
    first = next((i for i, t in enumerate(texts) if _START.match(t)), None)
    end = first if first is not None else len(texts)
    for i in range(end - 1, -1, -1):
        t = texts[i]
        if t and len(t) <= 60 and _TITLE_WORD.search(t) and not re.search(r"[。，,；;：:]", t) and not _ANNEX.match(t):
            parts, j = [t], i - 1
            while j >= 0 and len(parts) < 4:
                if not texts[j]:
                    j -= 1
                    continue
                prev = texts[j]
                if (
                    len(prev) <= 30
                    and not re.search(r"[。，,；;：:!！?？|>]", prev)
                    and not re.search(r"\d{4}\s*[年\-/.]\s*\d{1,2}\s*[月\-/.]", prev)
                    and prev[0] not in _OPENERS
                    and prev[-1] not in _CLOSERS
                    and not _TITLE_WORD.search(prev)
                ):
                    parts.insert(0, prev)
                    j -= 1
                else:
                    break
            return "".join(p.replace(" ", "") for p in parts), i + 1, end
    # No title word (a news item, a notice): the headline is the short line just before the
    # first real paragraph, and what comes before it is the page's furniture.
    para = next((i for i, t in enumerate(texts[:end]) if len(t) >= 60 and "。" in t), None)
    if para is not None:
        for i in range(para - 1, -1, -1):
            t = texts[i]
            if not t:
                continue
            if len(t) <= 40 and not re.search(r"[。，,；;：:!！?？|>]", t):
                return t.replace(" ", ""), i + 1, end
            break
    return "", 0, end


def _cut_copy(lines: list[tuple[Block, int]], first: int) -> list[tuple[Block, int]]:
    """A page that holds the plan twice (the same first heading, the same lines after it)
    is read once: the copy and its repeated furniture are dropped."""
    if first >= len(lines):
        return lines
    texts = [b.text.strip() if isinstance(b, Line) else None for b, _ in lines]
    head = texts[first]
    follow = [t for t in texts[first + 1 : first + 40] if t][:3]
    for j in range(first + 1, len(texts)):
        if texts[j] == head and [t for t in texts[j + 1 : j + 40] if t][:3] == follow:
            k = 0
            while first - 1 - k >= 0 and j - 1 - k > first and texts[j - 1 - k] == texts[first - 1 - k]:
                k += 1
            return lines[: j - k]
    return lines


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
        if self.items and found.blanket:
            self.items[-1].blanket = merge(self.items[-1].blanket, found.blanket)

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
            if self.provisional is not None:
                self.drop_provisional()
            item = _Item(seg, orig, offset + s, self.clause, self.heading)
            item.subject = subject_units(seg)
            if item.subject is not None:
                current = item.subject
            elif current is not None and _GOES_ON.match(seg):
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
            if _LOST_NUMBER.match(text) and len(text) <= 30 and "。" not in text[:-1]:
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
        cut = _first_stop(rest)
        title = rest[:cut].strip()
        tail = rest[cut + 1 :]
        self.open_heading(rank, marker, piece, title.rstrip("。；;"), offset)
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
        if tail.strip():
            lead = len(tail) - len(tail.lstrip())
            self.add_text(tail.strip(), orig_rest[cut + 1 + lead :].strip(), offset + at + cut + 1 + lead)
        return True

    def drop_provisional(self) -> None:
        item, self.provisional = self.provisional, None
        if item is not None:
            self.items.remove(item)
            if item in self.run:
                self.run.remove(item)

    def read(self, blocks: list[Block]) -> Plan:
        lines = _Lines.of(blocks).items
        title, body, first = _title_and_start(lines)
        self.title = title
        self.set_clause()
        lines = _cut_copy(lines, first)
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
            m = _ANNEX.match(text)
            if m and (not m.group(3) or tables.header_follows(lines, i + 1)):
                label = "".join(m.group(1).split()) + _arabic(m.group(2) or "")
                title = m.group(3).strip()
                j = i + 1
                if not title:
                    j, title = _annex_title(lines, i + 1)
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
        self.provisional = None
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
        blanket = Units()
        sentences = []
        for item in items:
            if item.own is not None and bare:
                item.own = item.own.unexpand(bare)
            own = item.own.units if item.own is not None else (item.subject or Units())
            units = merge(own, blanket) if blanket else own
            sentences.append(Sentence(item.text, item.clause, item.heading, units, item.offset, item.original, item.row))
            if item.blanket:
                blanket = merge(blanket, item.blanket)
        return Plan(self.source, self.title, tuple(self.headings), tuple(sentences))


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


def _first_stop(text: str) -> int:
    depth = 0
    for i, ch in enumerate(text):
        if ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS:
            depth = max(0, depth - 1)
        elif ch in "。！？!?" and depth == 0:
            return i
    return len(text)


def _arabic(n: str) -> str:
    n = n.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if n and not n.isdigit():
        return str(_cn_small(n))
    return n


def _cn_small(n: str) -> int:
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")}
    if n == "十":
        return 10
    if n.startswith("十"):
        return 10 + digits.get(n[1], 0)
    if "十" in n:
        a, _, b = n.partition("十")
        return digits.get(a, 0) * 10 + (digits.get(b, 0) if b else 0)
    return digits.get(n, 0)


def _annex_title(lines: list[tuple[Block, int]], i: int) -> tuple[int, str]:
    """The annex's title: its next short line that is no table header."""
    j = i
    while j < len(lines) and isinstance(lines[j][0], Line) and not lines[j][0].text.strip():
        j += 1
    if j < len(lines) and isinstance(lines[j][0], Line):
        t = lines[j][0].text.strip()
        if len(t) <= 60 and "。" not in t and not tables.is_header_cell(tables.first_cell(t)) and heading_of(t) is None:
            return j + 1, t
    return i, ""


def read_blocks(blocks: list[Block], source: str) -> Plan:
    return _Reader(source).read(blocks)
