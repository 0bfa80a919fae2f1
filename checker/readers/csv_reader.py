"""CSV in UTF-8, UTF-8 with BOM or GB18030 (what Excel on a Chinese Windows saves)."""

from __future__ import annotations

import contextlib
import csv
import io
import re
from pathlib import Path

from checker.models import Location, Problem, Text
from checker.readers import NotASheet, RawSheet, rows_from_table

# Possessive, so that a long hostile line costs its length, never its square.
_UTF8_LINE = re.compile("^(?=[^\udc80-\udcff\n]*+$)[^\n]*?[\u0800-\ud7ff\ue000-\uffff]", re.MULTILINE)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 .xls, and any password-protected workbook


def decode(raw: bytes, display: str) -> str:
    # Excel's "Unicode text" is UTF-16 with a BOM; officers rename it .csv.
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise NotASheet(f"{display}：UTF-16 文本已损坏", f"{display}: damaged UTF-16 text") from None
    if raw.startswith(OLE2_MAGIC):
        raise NotASheet(
            f"{display}：这是 Excel 工作簿（.xls 或加密的 .xlsx），不是 CSV 文本；请另存为 CSV 或 .xlsx",
            f"{display}: binary data, not a CSV text file: an Excel workbook (.xls, or an encrypted "
            f".xlsx) named .csv; save it as CSV or .xlsx",
        )
    if raw.startswith(b"PK\x03\x04"):
        raise NotASheet(
            f"{display}：这是 zip 文件（可能是改名为 .csv 的 .xlsx 工作簿），不是 CSV 文本",
            f"{display}: binary data, not a CSV text file: a zip archive (an .xlsx workbook named .csv?)",
        )
    if b"\x00" in raw[:4096]:
        raise NotASheet(f"{display}：不是文本文件（含二进制字节）", f"{display}: binary data, not a CSV text file")
    # Strict tries first: UTF-8 (with or without BOM) and GB18030 cover what the
    # contract accepts; the detector is only the last resort for other encodings.
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        _refuse_mixed(raw, exc.start, display)
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # the last resort, imported only when needed

    best = from_bytes(raw).best()
    if best is None:
        raise NotASheet(f"{display}：无法识别文本编码", f"{display}: the text encoding could not be detected")
    return str(best)


def _refuse_mixed(raw: bytes, bad_at: int, display: str) -> None:
    """Rows pasted from a UTF-8 file into a GB18030 one (or back) decode either way into mojibake
    on some rows: refuse the file, naming the first row whose encoding differs from the others."""
    line_start = raw.rfind(b"\n", 0, bad_at) + 1
    first_bad = raw.count(b"\n", 0, line_start) + 1
    if not raw[:line_start].isascii():  # UTF-8 text above the first line that is not UTF-8
        utf8_row = raw.count(b"\n", 0, next(i for i, b in enumerate(raw[:line_start]) if b >= 0x80)) + 1
        _mixed(display, first_bad, utf8_row, "UTF-8", "GB18030")
    # The other way round: a later line that is valid UTF-8 holding three-byte sequences (CJK in
    # UTF-8), which GB18030 text almost never is by chance. Bytes that are no UTF-8 decode to lone
    # surrogates, so such a line is one with a character past U+07FF and no surrogate.
    rest = raw[line_start:].decode("utf-8", errors="surrogateescape")
    if found := _UTF8_LINE.search(rest):
        _mixed(display, first_bad + rest.count("\n", 0, found.start()), first_bad, "GB18030", "UTF-8")


def _mixed(display: str, row: int, other: int, then: str, now: str) -> None:
    raise NotASheet(
        f"{display}，第 {row} 行：文件混用了两种编码（第 {other} 行为 {then}，第 {row} 行为 {now}，"
        f"可能是从另一个文件粘贴的行）；请统一另存为 UTF-8 或 GB18030",
        f"{display}, row {row}: the file mixes UTF-8 and GB18030 (row {other} reads as {then}, "
        f"row {row} as {now}: rows pasted from another file?); save it in one encoding",
        row=row,
    )


@contextlib.contextmanager
def _field_limit(size: int):
    """A cell may be as long as the file (itself bounded by --max-file-mb), never csv's 128 KB."""
    old = csv.field_size_limit()
    csv.field_size_limit(max(old, size + 1))
    try:
        yield
    finally:
        csv.field_size_limit(old)


def read(path: Path, display: str, max_unzipped_bytes: int | None = None) -> RawSheet:
    text = decode(path.read_bytes(), display)
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    # Commas, unless the header line plainly uses tabs or semicolons (Excel's other "CSV"s).
    delimiter = max((",", "\t", ";"), key=lambda d: (first_line.count(d), d == ","))
    # A line that holds as many cells as a row needs is a row, not text inside one cell.
    row_like = max(3, first_line.count(delimiter))
    try:
        with _field_limit(len(text)):
            header = next(csv.reader([first_line], delimiter=delimiter), [])
            table = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
            problems: list[Problem] = []
            if len(table) != _line_count(text):  # a cell holds a line break: did a quote swallow rows?
                table, problems = _careful(text, delimiter, row_like, header, display)
            # A quote still open at the end of the file: csv hands over the rest as the last cell.
            # Only an odd number of quote marks can leave one open, so most files pay one count.
            # (A quote that swallowed rows above is already told, and the file read on from it.)
            if table and not problems and text.count('"') % 2 and _ends_inside_quote(text, delimiter):
                problems.append(_open_at_end(display, len(table), header, len(table[-1]) - 1))
                table[-1] = []
    except csv.Error as exc:
        raise NotASheet(f"{display}：CSV 格式错误：{exc}", f"{display}: malformed CSV: {exc}") from None
    sheet = rows_from_table(table, display, None, path=path)
    sheet.problems.extend(problems)
    return sheet


def _line_count(text: str) -> int:
    """Lines as csv reads them (\r\n, \n and \r end one): as many as records when no cell holds a break."""
    breaks = text.count("\n") + text.count("\r") - text.count("\r\n")
    return breaks + (0 if not text or text.endswith(("\n", "\r")) else 1)


def _careful(text: str, delimiter: str, row_like: int, header: list[str], display: str) -> tuple[list, list[Problem]]:
    """Record by record: one whose cell holds lines that look like rows (a quote left open) becomes a
    located problem, kept blank so that the numbering stays Excel's, and reading goes on from the
    line after the one the quote opened on."""
    lines = _Lines(io.StringIO(text, newline="").readlines())
    reader = csv.reader(lines, delimiter=delimiter)
    table: list[list[str]] = []
    problems: list[Problem] = []
    while True:
        begin = lines.at
        record = next(reader, None)
        if record is None:
            return table, problems
        swallowed = _swallowed(record, delimiter, row_like) if lines.at - begin > 1 else None
        if swallowed is None:
            table.append(record)
            continue
        index, line = swallowed
        problems.append(_unclosed(display, len(table) + 1, begin + 1 + line, header, index))
        table.append([])
        lines.at = begin + 1


class _Lines:
    """The file's lines, read by csv from a position that can be set back."""

    def __init__(self, lines: list[str]):
        self.lines, self.at = lines, 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        if self.at >= len(self.lines):
            raise StopIteration
        self.at += 1
        return self.lines[self.at - 1]


def _swallowed(record: list[str], delimiter: str, row_like: int) -> tuple[int, int] | None:
    """(cell index, line within the cell) of the first line inside a cell that looks like a row."""
    for index, cell in enumerate(record):
        for line, text in enumerate(_LINE_BREAK.split(cell)[1:], start=1):
            if text.count(delimiter) >= row_like:
                return index, line
    return None


def _ends_inside_quote(text: str, delimiter: str) -> bool:
    try:
        for _ in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def _open_at_end(display: str, row: int, header: list[str], index: int) -> Problem:
    column = header[index].strip() if 0 <= index < len(header) else f"{index + 1}"
    return Problem(
        location=Location(file=display, row=row, column=column),
        message=Text(
            zh=f"CSV 格式错误，第 {row} 行：{column} 列的引号直到文件末尾都没有闭合；此行未读取（请补上引号或删除多余的引号）",
            en=f"malformed CSV, row {row}: the quote opened in column {column} is not closed before the end of the "
            f"file; this row is not read (close the quote, or remove it)",
        ),
    )


def _unclosed(display: str, row: int, line: int, header: list[str], index: int) -> Problem:
    column = header[index].strip() if index < len(header) else f"{index + 1}"
    return Problem(
        location=Location(file=display, row=row, column=column),
        message=Text(
            zh=f"CSV 格式错误，第 {row} 行：{column} 列的引号没有闭合，其后自第 {line} 行起被读进了同一个单元格；"
            f"此行未读取，其后各行照常读取（请补上引号或删除多余的引号）",
            en=f"malformed CSV, row {row}: the quote opened in column {column} is not closed, so the lines from "
            f"line {line} on were read into that one cell; this row is not read, the lines after it are "
            f"(close the quote, or remove it)",
        ),
    )
