"""XLSX: the sheet named `indicators` or `指标`, else the first; cached values of formulas.

Hand-made workbooks arrive with merged cells (one 地区 for a block of rows) and formulas;
some were written by programs that never computed them. Merged ranges take their
top-left value on every row; a formula with no saved value is a located problem, never
a silent blank. A zip that would inflate past the limit is refused before it is opened.

Every workbook, whatever its size, is read one way: the sheet's XML streamed once, cell
by cell, keeping only cells that hold something. Formatting alone (a styled cell at
XFD1048576, a million formatted empty rows) costs nothing, and what the reader builds is
bounded by the --max-unzipped-mb limit (`cell_budget`).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.parsers import expat

from openpyxl import load_workbook
from openpyxl.formula.translate import Translator
from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.xml.constants import SHEET_MAIN_NS

from checker.readers import NotASheet, RawSheet, UncomputedFormula, rows_from_table
from checker.readers.csv_reader import OLE2_MAGIC

PREFERRED_SHEETS = ("indicators", "指标")
_ROW, _C, _V, _F, _IS, _T, _RPH, _MERGE_CELL = (f"{SHEET_MAIN_NS}}}{tag}" for tag in ("row", "c", "v", "f", "is", "t", "rPh", "mergeCell"))
# A numbered row that holds only formatted empty cells, or none: dropped before the XML is
# parsed, so that a million rows formatted to the sheet's end cost a regular expression's time.
# Only rows written with their number first (as Excel, WPS and openpyxl write them) are matched,
# so that counting rows that give no number is never thrown off.
_EMPTY_ROW = re.compile(rb'<row r="\d+"[^>/]*(?:/>|>(?:\s*<c [^>/]*/>)*\s*</row>)')
MAX_ROW, MAX_COLUMN = 1_048_576, 16_384  # Excel's grid
# The least XML a cell holding a value can take (`<c><v>1</v></c>`): a sheet that inflates to no
# more than the limit cannot hold more cells than the limit over this.
MIN_CELL_XML = 15


def cell_budget(max_unzipped_bytes: int) -> int:
    """How many cells the reader builds at most: each row is built out to its last cell that
    holds something, so the blanks between count too."""
    return max(1, max_unzipped_bytes // MIN_CELL_XML)


def _column(ref: str) -> int:
    letters = ref.rstrip("0123456789$").lstrip("$")
    return column_index_from_string(letters) if letters else 0


def _check_zip(path: Path, display: str, max_unzipped_bytes: int) -> None:
    if not zipfile.is_zipfile(path):
        with open(path, "rb") as handle:
            head = handle.read(len(OLE2_MAGIC))
        if head == OLE2_MAGIC:
            _refuse_ole2(path, display)
        raise NotASheet(f"{display}：不是有效的 XLSX 文件（不是 zip 格式）", f"{display}: not a valid XLSX file (not a zip archive)")
    refuse_zip_bomb(path, display, max_unzipped_bytes, "XLSX ")


def refuse_zip_bomb(path: Path, display: str, max_unzipped_bytes: int, kind: str = "") -> None:
    """A zipped workbook (.xlsx, .ods) refused before it is opened when it would inflate past the limit."""
    try:
        with zipfile.ZipFile(path) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise NotASheet(f"{display}：{kind}文件已损坏：{exc}", f"{display}: the {kind}file is damaged: {exc}") from None
    if inflated > max_unzipped_bytes:
        raise NotASheet(
            f"{display}：解压后 {inflated} 字节，超过上限 {max_unzipped_bytes} 字节（疑似压缩炸弹），未读取",
            f"{display}: inflates to {inflated} bytes, over the limit of {max_unzipped_bytes} (a zip bomb?); not read",
        )


def _refuse_ole2(path: Path, display: str) -> None:
    """An OLE2 compound file: Excel stores a password-protected workbook in one (streams named
    EncryptionInfo and EncryptedPackage, in UTF-16), and an Excel 97-2003 .xls is one too."""
    with open(path, "rb") as handle:
        head = handle.read(1 << 20)  # the directory of a small compound file sits near its start
    if "EncryptedPackage".encode("utf-16-le") in head:
        raise NotASheet(
            f"{display}：工作簿设有打开密码（已加密），无法读取；请取消密码后另存为 .xlsx",
            f"{display}: not a valid XLSX file: the workbook is password-protected (encrypted); "
            f"remove the password and save it again as .xlsx",
        )
    raise NotASheet(
        f"{display}：这是 Excel 97-2003 工作簿（.xls）改名为 .xlsx，无法读取；请在 Excel/WPS 中另存为 .xlsx",
        f"{display}: not a valid XLSX file: an Excel 97-2003 workbook (.xls) renamed .xlsx; open it in Excel/WPS and save it as .xlsx",
    )


def _open(path: Path, display: str):
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken workbooks
        raise NotASheet(
            f"{display}：无法打开工作簿：{type(exc).__name__}: {exc}", f"{display}: cannot open the workbook: {type(exc).__name__}: {exc}"
        ) from None


def _choose(names: list[str], display: str) -> str:
    chosen = next((n for n in names if n.strip().lower() in PREFERRED_SHEETS), names[0] if names else None)
    if chosen is None:
        raise NotASheet(f"{display}：工作簿中没有工作表", f"{display}: the workbook has no sheets")
    return chosen


class _Reading:
    """One sheet streamed with expat, cell by cell: its XML is parsed once, in C, and only cells
    that hold something reach Python objects. Values as openpyxl gives them (shared strings,
    types, date styles), each formula's cached value, or UncomputedFormula where it has none.
    What it builds is counted against the budget."""

    def __init__(self, display: str, sheet: str, budget: int, strings: list, epoch, date_styles: set, timedelta_styles: set):
        self.display, self.sheet, self.budget = display, sheet, budget
        self.strings, self.epoch, self.date_styles, self.timedelta_styles = strings, epoch, date_styles, timedelta_styles
        self.built = 0
        self.rows: dict[int, list] = {}
        self.merged: list[str] = []
        self.shared_formulas: dict[str, Translator] = {}
        self.row_number = 0
        self.row_values: list[tuple[int, object]] = []
        self.column = 0
        self.cell: dict = {}
        self.text: list[str] | None = None  # the characters being collected, if any
        self.inline = self.phonetic = False

    def grow(self, row: list, width: int, number: int) -> None:
        if width > len(row):
            self.built += width - len(row)
            if self.built > self.budget:
                raise NotASheet(
                    f"{self.display}，工作表 {self.sheet}，第 {number} 行：工作表内容超过 {self.budget} 个单元格"
                    f"（解压上限 --max-unzipped-mb 内的工作表最多能有的单元格数，每个至少 {MIN_CELL_XML} 字节），未读取",
                    f"{self.display}, sheet {self.sheet}, row {number}: the sheet holds more than {self.budget} cells "
                    f"(the most a sheet within --max-unzipped-mb can hold, at {MIN_CELL_XML} bytes a cell at least); "
                    f"not read",
                    self.sheet,
                    number,
                )
            row.extend([None] * (width - len(row)))

    def stream(self, source) -> None:
        parser = expat.ParserCreate(namespace_separator="}")
        parser.buffer_text = True
        # No DTD, no entities: a sheet needs none (what defusedxml would refuse too).
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.EntityDeclHandler = self._no_entities
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._characters
        try:
            carry = b""
            while chunk := source.read(1 << 20):
                carry += chunk
                cut = carry.rfind(b"<row")  # rows do not nest: every row before the last one begun is whole
                if cut > 0:
                    parser.Parse(_EMPTY_ROW.sub(b"", carry[:cut]), False)
                    carry = carry[cut:]
            parser.Parse(_EMPTY_ROW.sub(b"", carry), True)
        except expat.ExpatError as exc:
            raise NotASheet(
                f"{self.display}，工作表 {self.sheet}：XML 已损坏：{exc}",
                f"{self.display}, sheet {self.sheet}: the sheet's XML is damaged: {exc}",
                self.sheet,
            ) from None

    def _no_entities(self, *_):
        raise NotASheet(
            f"{self.display}，工作表 {self.sheet}：XML 中含实体声明，未读取",
            f"{self.display}, sheet {self.sheet}: the sheet's XML declares entities; not read",
            self.sheet,
        )

    def _characters(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    def _start(self, name: str, attrs: dict) -> None:
        if name == _C:
            ref = attrs.get("r")
            self.column = _column(ref) if ref else self.column + 1
            self.cell = {"t": attrs.get("t", "n"), "s": attrs.get("s"), "r": ref}
        elif name == _V:
            self.text = []
        elif name == _F:
            self.cell["f"] = attrs
            self.text = []
        elif name == _ROW:
            number = attrs.get("r")
            self.row_number = int(float(number)) if number is not None else self.row_number + 1
            self.column = 0
            self.row_values = []
        elif name == _IS:
            self.inline, self.cell["is"] = True, []
        elif name == _T and self.inline and not self.phonetic:
            self.text = self.cell["is"]
        elif name == _RPH:
            self.phonetic = True
        elif name == _MERGE_CELL and attrs.get("ref"):
            self.merged.append(attrs["ref"])

    def _end(self, name: str) -> None:
        if name == _V:
            self.cell["v"] = "".join(self.text)
            self.text = None
        elif name == _F:
            self.cell["formula"] = "".join(self.text)
            self.text = None
        elif name == _C:
            value = self._value(self.cell)
            if value is not None:
                self.row_values.append((self.column, value))
        elif name == _ROW:
            if self.row_values:
                self.keep(self.row_number, self.row_values)
        elif name == _T:
            self.text = None
        elif name == _IS:
            self.inline = False
        elif name == _RPH:
            self.phonetic = False

    def _value(self, cell: dict) -> object:
        kind, raw = cell["t"], cell.get("v") or None
        if "f" in cell:
            formula = self._formula(cell)
            if raw is None and kind != "inlineStr":
                return UncomputedFormula(formula)
        if kind == "inlineStr":
            return "".join(cell["is"]) if "is" in cell else None
        if raw is None:
            return None
        if kind == "n":
            number = float(raw) if "." in raw or "E" in raw or "e" in raw else int(raw)
            style = int(cell["s"]) if cell["s"] and self.date_styles else None
            if style in self.date_styles:
                try:
                    return from_excel(number, self.epoch, timedelta=style in self.timedelta_styles)
                except (OverflowError, ValueError):
                    return "#VALUE!"  # what openpyxl gives a date-styled cell past every date
            return number
        if kind == "s":
            return self.strings[int(raw)]
        if kind == "b":
            return bool(int(raw))
        if kind == "d":
            return from_ISO8601(raw)
        return raw  # "str" (a formula's text), "e" (#DIV/0! and the like)

    def _formula(self, cell: dict) -> str:
        """The formula's text as written, shared formulas translated to this cell (for the message)."""
        attrs, text = cell["f"], cell.get("formula") or ""
        formula = "=" + text if text else ""
        if attrs.get("t") == "shared" and attrs.get("si") is not None and cell["r"]:
            master = self.shared_formulas.get(attrs["si"])
            if formula:
                self.shared_formulas.setdefault(attrs["si"], Translator(formula, cell["r"]))
            elif master is not None:
                formula = master.translate_formula(cell["r"])
        return formula or "=?"

    def keep(self, number: int, values: list[tuple[int, object]]) -> None:
        last = max(column for column, _ in values)
        if not (1 <= number <= MAX_ROW and 1 <= min(column for column, _ in values) and last <= MAX_COLUMN):
            raise NotASheet(
                f"{self.display}，工作表 {self.sheet}，第 {number} 行：单元格位置超出 Excel 的表格范围",
                f"{self.display}, sheet {self.sheet}, row {number}: a cell outside Excel's grid ({MAX_ROW} rows, {MAX_COLUMN} columns)",
                self.sheet,
                number,
            )
        row = self.rows.setdefault(number, [])
        self.grow(row, last, number)
        for column, value in values:
            row[column - 1] = value

    def table(self) -> list:
        """Dense rows for rows_from_table: a row that holds nothing is one shared empty tuple."""
        height = max(self.rows, default=0)
        width = max((len(r) for r in self.rows.values()), default=0)
        table: list = [()] * height
        for number, row in self.rows.items():
            table[number - 1] = row
        for ref in self.merged:
            try:
                min_col, min_row, max_col, max_row = range_boundaries(ref)
            except (ValueError, TypeError):
                continue  # a damaged merge reference merges nothing
            if min_row is None or min_col is None or min_row > height:
                continue
            top = table[min_row - 1]
            top_left = top[min_col - 1] if min_col <= len(top) else None
            right = min(max_col or min_col, width)
            # Only rows that hold something of their own: a merge running on past the data is layout.
            for r in range(min_row, min(max_row or min_row, height) + 1):
                row = table[r - 1]
                if row:
                    self.grow(row, right, r)
                    row[min_col - 1 : right] = [top_left] * (right - min_col + 1)
        return table


def read(path: Path, display: str, max_unzipped_bytes: int = 500 * 1024 * 1024) -> RawSheet:
    _check_zip(path, display, max_unzipped_bytes)
    from checker.readers.xlsx_fast import read_plain

    if (plain := read_plain(path, display, max_unzipped_bytes)) is not None:
        return plain
    return read_streamed(path, display, max_unzipped_bytes)


def read_streamed(path: Path, display: str, max_unzipped_bytes: int = 500 * 1024 * 1024) -> RawSheet:
    """The reader of record: every workbook the calamine path (checker.readers.xlsx_fast) declines."""
    _check_zip(path, display, max_unzipped_bytes)
    book = _open(path, display)
    try:
        chosen = _choose(book.sheetnames, display)
        sheet = book[chosen]
        reading = _Reading(
            display,
            chosen,
            cell_budget(max_unzipped_bytes),
            sheet._shared_strings,
            book.epoch,
            set(book._date_formats),
            set(book._timedelta_formats),
        )
        with sheet._get_source() as source:
            reading.stream(source)
    finally:
        book.close()
    table = reading.table()
    width = max((len(r) for r in table), default=0)
    return rows_from_table(table, display, chosen, [get_column_letter(i + 1) for i in range(width)], path=path)
