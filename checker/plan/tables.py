"""Annex tables, real (.docx, .html) or flattened into lines as pages copied from a site hold
them: the header cells on lines of their own, then each row's number and cells.

A flattened row's cells are put under the header's columns by what they look like (a
deadline, a unit list, a task's text), so that a cell left empty or merged down from the row
above does not shift the rest; where the lines are set one blank line apart, a second blank
line is an empty cell. A text column missing from a row carries the row above's (a merged
"重点任务" cell); the first of several text columns is the rows' category.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from checker.plan.load import Block, Line, Table
from checker.plan.model import Units
from checker.plan.units import merge, parse_units, split_top

_HEADER_WORD = re.compile(
    r"序号|编号|任务|措施|举措|内容|目标|项目|单位|部门|时限|时间|期限|日期|备注|类别|名称|指标|要求|问题|地点|责任人|进度|年份|标准"
)
_NUMBER_HEADER = re.compile(r"^(序号|编号|序|号|项次|No\.?)$", re.I)
_DATE = re.compile(r"\d{4}|\d{1,2}月|年底|年内|长期|持续|每年|每月|每季|季度|上半年|下半年|年度|常态")
_DATE_FILL = re.compile(r"[\d年月日底前后内完成并且长期坚持持续开展推进实施，,、。；;至及到\-—~～上下半季度每起以间及时全常态化\s]")
_ROW_NUMBER = re.compile(r"^(\d{1,3})[.、．]?$")


@dataclass(frozen=True, slots=True)
class Row:
    number: str
    text: str
    original: str
    offset: int
    pairs: tuple[tuple[str, str], ...]
    units: Units
    category: str


def is_header_cell(text: str) -> bool:
    text = "".join(text.split())  # "序  号" set out to the column's width
    if len(text) > 12 or re.search(r"[。，,；;：:、]", text) or text.endswith(("表", "单", "册")):
        return False  # "整改任务分解表" is the table's title, not its first column
    return bool(_HEADER_WORD.search(text) or _NUMBER_HEADER.match(text))


def column_kind(header: str) -> str:
    if _NUMBER_HEADER.match(header):
        return "num"
    if "牵头" in header or "主办" in header or "主责" in header:
        return "lead"
    if re.search(r"配合|协办|参与|协助", header):
        return "cooperating"
    if re.search(r"责任|负责|主体|单位|部门", header):
        return "responsible"
    if re.search(r"时限|时间|期限|日期|进度|年份|年限", header):
        return "date"
    return "text"


@lru_cache(maxsize=4096)
def _token_kind(text: str) -> str:
    if not text:
        return ""
    if len(text) <= 30 and _DATE.search(text) and len(_DATE_FILL.sub("", text)) <= 4:
        return "date"
    if len(text) <= 120 and parse_units(text) is not None:
        return "unit"
    return "text"


_UNIT_KINDS = ("lead", "cooperating", "responsible")


def _score(token: str, col: str) -> float:
    kind = _token_kind(token)
    if not kind:
        return 0.0
    col = "unit" if col in _UNIT_KINDS else col
    if kind == col:
        return 3.0 if kind != "text" else 2.0
    if col == "text":
        return -1.0
    return -3.0


@dataclass(frozen=True, slots=True)
class _Tok:
    text: str
    original: str
    offset: int
    index: int  # its first line


def header_follows(lines: list[tuple[Block, int]], i: int) -> bool:
    """Whether a table comes next ("附件1：任务分解表" heads its annex then, where the same
    line in the plan's body only names it)."""
    from checker.plan.lines import ANNEX

    seen = 0
    for j in range(i, len(lines)):
        b = lines[j][0]
        if isinstance(b, Table):
            return True
        t = b.text.strip()
        if not t:
            continue
        if ANNEX.match(t) or seen >= 2:
            return False
        if is_header_cell(t):
            return _header(lines, j) is not None
        seen += 1
    return False


def _header(lines: list[tuple[Block, int]], i: int) -> tuple[list[str], int, bool] | None:
    """(header cells, index after them, whether cells are set one blank line apart)."""
    cells: list[str] = []
    gaps: list[int] = []
    j, gap = i, 0
    while j < len(lines) and isinstance(lines[j][0], Line):
        t = lines[j][0].text.strip()
        if not t:
            gap += 1
        elif is_header_cell(t) and not _ROW_NUMBER.match(t):
            if cells:
                gaps.append(gap)
            cells.append("".join(t.split()))
            gap = 0
        else:
            break
        j += 1
    if len(cells) < 3 or not _NUMBER_HEADER.match(cells[0]):
        return None
    if sum(1 for c in cells if _HEADER_WORD.search(c) and not _NUMBER_HEADER.match(c)) < 2:
        return None
    if j >= len(lines) or not isinstance(lines[j][0], Line) or _ROW_NUMBER.match(lines[j][0].text.strip()) is None:
        return None
    if int(_ROW_NUMBER.match(lines[j][0].text.strip()).group(1)) != 1:
        return None
    return cells, j, all(g == 1 for g in gaps)


_CELL_GAP = re.compile(r"\t+|[ \u3000\xa0]{2,}|\u3000")


def first_cell(text: str) -> str:
    return _CELL_GAP.split(text.strip())[0]


def _inline_header(lines: list[tuple[Block, int]], i: int) -> tuple[list[str], int, None] | None:
    """A header written on one line ("序号  任务  责任单位"), rows likewise below it."""
    cells = ["".join(c.split()) for c in _CELL_GAP.split(lines[i][0].text.strip())]
    if len(cells) < 3 or not _NUMBER_HEADER.match(cells[0]) or not all(is_header_cell(c) for c in cells):
        return None
    j = i + 1
    while j < len(lines) and isinstance(lines[j][0], Line) and not lines[j][0].text.strip():
        j += 1
    if j >= len(lines) or not isinstance(lines[j][0], Line):
        return None
    first = _CELL_GAP.split(lines[j][0].text.strip())[0]
    m = _ROW_NUMBER.match(first)
    return (cells, j, None) if m and int(m.group(1)) == 1 else None


def _tokens(lines: list[tuple[Block, int]], i: int, spaced: bool | None) -> list[_Tok]:
    from checker.plan.lines import ANNEX  # the annex marker ends a table

    toks: list[_Tok] = []
    buf: list[tuple[str, str, int, int]] = []
    blanks = 0

    def flush() -> None:
        if buf:
            toks.append(_Tok("\n".join(b[0] for b in buf), "\n".join(b[1] for b in buf), buf[0][2], buf[0][3]))
            buf.clear()

    j = i
    while j < len(lines):
        block, offset = lines[j]
        if isinstance(block, Table):
            break
        raw = block.text
        t = raw.strip()
        if t and ANNEX.match(t) and not ANNEX.match(t).group(3):
            break
        if not t:
            blanks += 1
            if spaced:
                flush()
            j += 1
            continue
        if spaced is None:  # cells on one line, set apart by tabs or runs of spaces
            lead = offset + len(raw) - len(raw.lstrip())
            orig = block.original.strip() if len(block.original) == len(raw) else t
            at = 0
            for part in _CELL_GAP.split(t):
                at = t.index(part, at)
                toks.append(_Tok(part, orig[at : at + len(part)], lead + at, j))
                at += len(part)
        elif spaced:
            if toks and blanks >= 2 and not buf:
                for _ in range(blanks - 1):
                    toks.append(_Tok("", "", offset, j))
            blanks = 0
            buf.append((t, block.original.strip(), offset + len(raw) - len(raw.lstrip()), j))
        else:
            toks.append(_Tok(t, block.original.strip(), offset + len(raw) - len(raw.lstrip()), j))
        j += 1
    flush()
    toks.append(_Tok("", "", 0, j))  # the end: where the lines after the table start
    return toks


def _align(toks: list[_Tok], kinds: list[str], spaced: bool) -> tuple[float, list[list[_Tok]]]:
    """The best monotone placing of a row's cells under its columns."""
    n, m = len(toks), len(kinds)
    neg = float("-inf")
    best = [[neg] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for j in range(m):
        for i in range(n + 1):
            if best[i][j] == neg:
                continue
            # Where a cell is missing, the later of like columns is the likelier empty one
            # (a row names its lead more often than its cooperating units).
            skip = best[i][j] - (1.0 if spaced else 0.5) - (0.01 * (m - j) if kinds[j] != "text" else 0.0)
            if skip > best[i][j + 1]:
                best[i][j + 1], back[i][j + 1] = skip, (i, j)
            top = n if not spaced else min(n, i + 1)
            for k in range(i + 1, top + 1):
                cell = " ".join(t.text for t in toks[i:k] if t.text)
                extra = (k - i - 1) * (0.3 if kinds[j] == "text" else 0.6)
                s = best[i][j] + _score(cell, kinds[j]) - extra
                if s > best[k][j + 1]:
                    best[k][j + 1], back[k][j + 1] = s, (i, j)
    cells: list[list[_Tok]] = [[] for _ in range(m)]
    i, j = n, m
    while j > 0:
        step = back[i][j]
        if step is None:
            return neg, cells
        pi, pj = step
        cells[pj] = toks[pi:i] if pi < i else []
        i, j = pi, pj
    return best[n][m], cells


def flattened(lines: list[tuple[Block, int]], i: int) -> tuple[list[Row], int] | None:
    """A flattened table whose header starts at line `i`: its rows, and the index of the first
    line after it."""
    t = lines[i][0].text.strip() if isinstance(lines[i][0], Line) else ""
    if not t or not is_header_cell(_CELL_GAP.split(t)[0]):
        return None
    head = _header(lines, i) or _inline_header(lines, i)
    if head is None:
        return None
    header, j, spaced = head
    kinds = [column_kind(h) for h in header]
    num_col = kinds.index("num")
    toks = _tokens(lines, j, spaced)
    end = toks.pop()
    # Rows start at a cell that is the next number.
    starts, expect = [], 1
    for k, tok in enumerate(toks):
        m = _ROW_NUMBER.match(tok.text)
        if m and int(m.group(1)) == expect:
            starts.append(k)
            expect += 1
    cols = [c for c in range(len(header)) if c != num_col]
    rows: list[Row] = []
    prev: dict[int, str] = {}
    after = end.index
    for r, s in enumerate(starts):
        stop = starts[r + 1] if r + 1 < len(starts) else len(toks)
        body = toks[s + 1 : stop]
        if r + 1 == len(starts):
            # The last row ends where its cells stop fitting the columns.
            best, cut = max(
                ((_align(body[:k], [kinds[c] for c in cols], spaced)[0], k) for k in range(1, min(len(body), 3 * len(cols)) + 1)),
                default=(0.0, 0),
            )
            body, rest = body[:cut], body[cut:]
            after = rest[0].index if rest else end.index
        _, cells = _align(body, [kinds[c] for c in cols], spaced)
        rows.append(_row(toks[s], header, kinds, cols, cells, prev))
    return rows, after


def _row(number: _Tok, header: list[str], kinds: list[str], cols: list[int], cells: list[list[_Tok]], prev: dict[int, str]) -> Row:
    values: dict[int, str] = {}
    originals: dict[int, str] = {}
    first_filled = next((k for k, c in enumerate(cells) if c and any(t.text for t in c)), len(cells))
    carried: set[int] = set()
    for k, c in enumerate(cols):
        toks = cells[k]
        text = "\n".join(t.text for t in toks if t.text)
        if not toks and kinds[c] == "text" and k < first_filled and c in prev:
            text = prev[c]
            carried.add(c)
        values[c] = text
        originals[c] = "\n".join(t.original for t in toks if t.text)
    for c, v in values.items():
        if v and kinds[c] == "text":
            prev[c] = v
    num = _ROW_NUMBER.match(number.text).group(1)
    return _make(num, header, kinds, values, originals, carried, number.offset)


def _make(
    num: str, header: list[str], kinds: list[str], values: dict[int, str], originals: dict[int, str], carried: set[int], offset: int
) -> Row:
    shown = [c for c in sorted(values) if values[c] and c not in carried and kinds[c] != "num"]
    text = " ".join(values[c] for c in shown)
    original = " ".join(originals.get(c) or values[c] for c in shown)
    pairs = tuple((header[c], values.get(c, "") if kinds[c] != "num" else num) for c in range(len(header)))
    units = Units()
    for c in sorted(values):
        if kinds[c] in _UNIT_KINDS and values[c]:
            units = merge(units, _cell_units(values[c], kinds[c]))
    text_cols = [c for c in sorted(values) if kinds[c] == "text"]
    category = values[text_cols[0]] if len(text_cols) >= 2 else ""
    return Row(num, text, original, offset, pairs, units, category)


def _cell_units(cell: str, role: str) -> Units:
    """A unit column's cell: parsed as a unit list where it reads as one (roles written in
    it win), else its parts as names."""
    parsed = parse_units(cell.replace("\n", ""))
    if parsed is not None:
        u = parsed.units
        if u.lead or u.cooperating:
            return u
        names = u.responsible
        return Units(
            names if role == "lead" else (), names if role == "cooperating" else (), names if role == "responsible" else (), u.groups
        )
    names = tuple(p for p in split_top(cell.replace("\n", ""), "、，,；;") if p)
    return Units(names if role == "lead" else (), names if role == "cooperating" else (), names if role == "responsible" else ())


def real_rows(table: Table, offset: int) -> list[Row]:
    """A real table's rows. The first row is the header where it reads as one; a row whose
    cells all say the same (a merged row) is a category for the rows under it."""
    rows = [[c.text for c in r] for r in table.rows]
    originals = [[c.original for c in r] for r in table.rows]
    if not rows:
        return []
    width = max(len(r) for r in rows)
    first = rows[0]
    has_header = sum(1 for c in first if c and is_header_cell(c)) >= max(2, len([c for c in first if c]) // 2)
    header = ["".join(c.split()) or f"列{k + 1}" for k, c in enumerate(first)] if has_header else [f"列{k + 1}" for k in range(width)]
    header += [f"列{k + 1}" for k in range(len(header), width)]
    kinds = [column_kind(h) for h in header]
    out: list[Row] = []
    above: dict[int, str] = {}
    category = ""
    pos = offset + (sum(len(c) + 1 for c in first) if has_header else 0)
    for r, cells in enumerate(rows[1:] if has_header else rows, 1 if has_header else 0):
        size = sum(len(c) + 1 for c in cells)
        distinct = {c for c in cells if c}
        if len(distinct) == 1 and len(cells) > 1 and len([c for c in cells if c]) == len(cells):
            category = distinct.pop()
            pos += size
            continue
        if not distinct:
            pos += size
            continue
        values = {k: c for k, c in enumerate(cells)}
        # A merged cell repeats across its columns: shown once.
        for k in range(len(cells) - 1, 0, -1):
            if cells[k] and cells[k] == cells[k - 1] and kinds[k] == kinds[k - 1]:
                values[k] = ""
        num = ""
        if "num" in kinds and kinds.index("num") < len(cells):
            m = re.match(r"^(\d{1,3})", cells[kinds.index("num")])
            num = m.group(1) if m else ""
        origs = {k: (originals[r][k] if k < len(originals[r]) else c) for k, c in values.items()}
        # A category cell merged down the rows repeats in each: the row's text holds it once.
        text_cols = [k for k in values if kinds[k] == "text"]
        carried = (
            {text_cols[0]} if len(text_cols) >= 2 and values[text_cols[0]] and values[text_cols[0]] == above.get(text_cols[0]) else set()
        )
        above = dict(values)
        row = _make(num or str(len(out) + 1), header, kinds, values, origs, carried, pos)
        if category and not row.category:
            row = Row(row.number, row.text, row.original, row.offset, row.pairs, row.units, category)
        out.append(row)
        pos += size
    return out
