"""Reading a plan's file into blocks: its lines, and its tables where the file has real ones.

A .txt is decoded as UTF-8 (with or without a BOM), else GB18030 (which covers GBK and GB2312);
a .docx is read with python-docx, paragraphs and tables in document order, each paragraph with
the marker Word's automatic list numbering draws before it (checker.plan.numbering); an .html page as
saved from a government site keeps its text and paragraph breaks and drops script, style and
navigation. Traditional script is turned to simplified (OpenCC t2s), each block keeping the
file's text beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    original: str


@dataclass(frozen=True, slots=True)
class Table:
    """A real table: rows of cells, each cell (text, original)."""

    rows: tuple[tuple[Line, ...], ...]


Block = Line | Table


def decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC

    return OpenCC("t2s")


def simplify(text: str) -> str:
    """Traditional script to simplified. Most plans are simplified already: a line with no
    character outside ASCII is left alone without asking OpenCC."""
    if text.isascii():
        return text
    # Most plans hold no traditional character at all: asking about each distinct character
    # once is far cheaper than converting the whole text.
    chars = "".join(sorted({c for c in text if ord(c) > 0x2E7F}))
    if _t2s().convert(chars) == chars:
        return text
    return _t2s().convert(text)


def _line(text: str) -> Line:
    return Line(simplify(text), text)


def text_blocks(text: str) -> list[Block]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    originals = text.split("\n")
    # One conversion for the whole text (OpenCC's cost is per call); lines pair up again
    # because the conversion keeps the newlines.
    simplified = simplify(text).split("\n")
    if len(simplified) != len(originals):
        return [_line(t) for t in originals]
    return [Line(t, o) for t, o in zip(simplified, originals, strict=True)]


def read_blocks(path: Path) -> list[Block]:
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _docx_blocks(path)
    data = path.read_bytes()
    if suffix in (".html", ".htm"):
        return html_blocks(decode_html(data))
    return text_blocks(decode(data))


def decode_html(data: bytes) -> str:
    head = data[:4096].decode("ascii", errors="ignore").lower()
    m = re.search(r"charset\s*=\s*[\"']?\s*([a-z0-9_-]+)", head)
    if m and m.group(1) in ("gb2312", "gbk", "gb18030"):
        return data.decode("gb18030", errors="replace")
    return decode(data)


# A marker typed into the text as well as drawn by Word's numbering: the text is read as it is.
_TYPED_MARKER = re.compile(r"\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．]|[①-⑳])")


def _docx_blocks(path: Path) -> list[Block]:
    import docx
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    from checker.plan.numbering import Numbering

    document = docx.Document(str(path))
    numbering = Numbering(document)
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            marker = numbering.marker(item)  # counted even where Word shows it on an empty line
            typed = not item.text.strip() or _TYPED_MARKER.match(item.text)
            blocks.extend(text_blocks(item.text if typed else marker + item.text))
        elif isinstance(item, DocxTable):
            rows = []
            for row in item.rows:
                rows.append(tuple(_line("\n".join(p.text for p in cell.paragraphs).strip()) for cell in row.cells))
            blocks.append(Table(tuple(rows)))
    return blocks


_SKIP = {"script", "style", "nav", "noscript", "iframe", "select", "button", "svg", "head", "template", "textarea"}
_BREAK = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
    "header", "footer", "aside", "main", "blockquote", "pre", "dd", "dt", "dl", "hr", "center", "caption",
}  # fmt: skip


class _Html(HTMLParser):
    """The page as a flat list of events: lines of text, and a table's start, rows, cells and
    end. Which tables hold data and which only lay the page out is decided afterwards."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple[str, str]] = []
        self.buf: list[str] = []
        self.skip = 0

    def flush(self) -> None:
        text = "".join(self.buf)
        self.buf = []
        if text.strip():
            self.events.append(("line", text))

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif self.skip:
            return
        elif tag in ("table", "tr", "td", "th"):
            self.flush()
            self.events.append((tag, ""))
        elif tag in _BREAK:
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif self.skip:
            return
        elif tag in ("table", "tr", "td", "th"):
            self.flush()
            self.events.append(("/" + tag, ""))
        elif tag in _BREAK:
            self.flush()

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.buf.append(re.sub(r"[ \t\r\n]+", " ", data))


Cell = list  # a cell's content in order: its lines (str), and the data tables inside it (Table)


def _table(events: list[tuple[str, str]], i: int) -> tuple[list[list[Cell]], bool, int]:
    """The table opening at events[i]: its rows of cells, whether a table is nested in it,
    and the index after it."""
    rows: list[list[Cell]] = []
    nested = False
    cell: Cell | None = None
    i += 1
    while i < len(events):
        kind, text = events[i]
        if kind == "table":
            nested = True
            inner, inner_nested, i = _table(events, i)
            if cell is None:
                if not rows:
                    rows.append([])
                cell = []
                rows[-1].append(cell)
            cell.extend(_table_blocks(inner, inner_nested))
            continue
        if kind == "/table":
            return rows, nested, i + 1
        if kind == "tr":
            rows.append([])
        elif kind in ("td", "th"):
            if not rows:
                rows.append([])
            cell = []
            rows[-1].append(cell)
        elif kind in ("/td", "/th"):
            cell = None
        elif kind == "line":
            if cell is None:
                if not rows:
                    rows.append([])
                cell = []
                rows[-1].append(cell)
            cell.append(text.strip())
        i += 1
    return rows, nested, i


def _is_data(rows: list[list[Cell]], nested: bool) -> bool:
    """A data table: no table inside it, several columns, short cells. A page laid out in a
    table (its whole article in one cell) is read as lines."""
    if nested or not rows:
        return False
    wide = sum(1 for r in rows if len(r) >= 2)
    cells = [c for r in rows for c in r]
    return wide * 2 >= len(rows) and all(len(c) <= 8 and sum(map(len, c)) <= 400 for c in cells)


def _table_blocks(rows: list[list[Cell]], nested: bool) -> list[Block]:
    if _is_data(rows, nested):
        kept = [r for r in rows if any(any(c) for c in r)]
        return [Table(tuple(tuple(_line("\n".join(c)) for c in r) for r in kept))] if kept else []
    out: list[Block] = []
    for r in rows:
        for c in r:
            for part in c:
                if isinstance(part, Table):
                    out.append(part)
                elif part:
                    out.append(_line(part))
    return out


def html_blocks(html: str) -> list[Block]:
    parser = _Html()
    parser.feed(html)
    parser.close()
    parser.flush()
    events = parser.events
    blocks: list[Block] = []
    i = 0
    while i < len(events):
        kind, text = events[i]
        if kind == "table":
            rows, nested, i = _table(events, i)
            blocks.extend(_table_blocks(rows, nested))
            continue
        if kind == "line":
            blocks.extend(b for b in text_blocks(text) if b.text.strip())
        i += 1
    return blocks
