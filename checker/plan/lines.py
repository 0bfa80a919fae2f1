"""A plan's lines: heading markers, sentence stops, the title and where the body starts, and
an annex's label. checker.plan.structure builds the clauses from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from checker.plan import tables
from checker.plan.load import Block, Line

_CN = "一二三四五六七八九十百零〇"
# (rank, pattern, path piece). Ranks order the levels; a plan may skip any of them.
_MARKERS: tuple[tuple[float, re.Pattern[str], str], ...] = (
    (0, re.compile(rf"^第([{_CN}]+|\d+)(?:章|篇|部分(?=\s|[、：:]|$))\s*"), "第{}章"),
    (0.5, re.compile(rf"^第([{_CN}]+|\d+)节\s*"), "第{}节"),
    # "一、二级保护区…" counts, it opens no heading.
    (1, re.compile(rf"^([{_CN}]+)\s*(?:[、．]|\.(?!\d))(?![{_CN}]+[级类等期档批次])\s*"), "{}"),
    (1.5, re.compile(rf"^第([{_CN}]+|\d+)条\s*"), "第{}条"),
    (2, re.compile(rf"^[(（]\s*([{_CN}]+)\s*[)）]\s*[、.．]?\s*"), "({})"),
    (3, re.compile(r"^([0-9０-９]{1,2})\s*(?:[.．、](?![0-9０-９.．])|．(?![0-9０-９]))\s*"), "{}"),
    (4, re.compile(r"^(?:[(（]\s*([0-9０-９]{1,2})\s*[)）]|([0-9０-９]{1,2})\s*[)）])\s*[、.．]?\s*"), "({})"),
    (5, re.compile(r"^([①-⑳⑴-⒇])\s*"), "{}"),
)
# A number lost in the copying (".狠抓工业污染防治"): a short line opening on a dot.
LOST_NUMBER = re.compile(r"^[.．](?=[^\d\s.．])")
_START = re.compile(rf"^(?:[{_CN}]+\s*[、．]|第[一二三四五六七八九十\d]+(?:章|条|部分|篇))")
ANNEX = re.compile(r"^(附\s*[件表])\s*([0-9０-９]+|[一二三四五六七八九十]+)?\s*[:：]?\s*(.*)$")
_TITLE_WORD = re.compile(r"方案|计划|通知|意见|规划|办法|细则|要点|安排|清单|纲要|决定|报告")
_SPLIT = set("。；;！？!?")
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
GOES_ON = re.compile(r"^(?:要|应|须|并|同时|还要|也要|进一步|切实)")
OPENERS = "(（[［【〔《“‘「『"
CLOSERS = ")）]］】〕》”’」』"


@dataclass
class Lines:
    """The plan's lines with their offsets in the text as read (blocks joined by newlines)."""

    items: list[tuple[Block, int]]

    @classmethod
    def of(cls, blocks: list[Block]) -> Lines:
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
        if nest and ch in OPENERS:
            depth += 1
        elif nest and ch in CLOSERS:
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


def title_and_start(lines: list[tuple[Block, int]]) -> tuple[str, int, int]:
    """(title, index of the first line after the title, index of the first heading)."""
    texts = [b.text.strip() if isinstance(b, Line) else "" for b, _ in lines]
    first = next((i for i, t in enumerate(texts) if _START.match(t)), None)
    end = first if first is not None else len(texts)
    for i in range(end - 1, -1, -1):
        t = texts[i]
        if t and len(t) <= 60 and _TITLE_WORD.search(t) and not re.search(r"[。，,；;：:]", t) and not ANNEX.match(t):
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
                    and prev[0] not in OPENERS
                    and prev[-1] not in CLOSERS
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
    # Neither: the body is read from the first heading (all of the text where there is none).
    return "", end if first is not None else 0, end


def cut_copy(lines: list[tuple[Block, int]], first: int) -> list[tuple[Block, int]]:
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


def first_stop(text: str) -> int:
    depth = 0
    for i, ch in enumerate(text):
        if ch in OPENERS:
            depth += 1
        elif ch in CLOSERS:
            depth = max(0, depth - 1)
        elif ch in "。！？!?" and depth == 0:
            return i
    return len(text)


def arabic(n: str) -> str:
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


def annex_title(lines: list[tuple[Block, int]], i: int) -> tuple[int, str]:
    """The annex's title: its next short line that is no table header."""
    j = i
    while j < len(lines) and isinstance(lines[j][0], Line) and not lines[j][0].text.strip():
        j += 1
    if j < len(lines) and isinstance(lines[j][0], Line):
        t = lines[j][0].text.strip()
        if len(t) <= 60 and "。" not in t and not tables.is_header_cell(tables.first_cell(t)) and heading_of(t) is None:
            return j + 1, t
    return i, ""
