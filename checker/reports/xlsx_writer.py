"""A workbook of plain tables, its XML written row by row, straight into the zip.

openpyxl keeps every cell as an object and hashes a style per styled cell: a national
batch's findings sheet (a quarter of a million rows of 25 columns) took minutes and
gigabytes. The report needs only text and numbers in rows, a bold header, a fill per row,
Excel's quote prefix, frozen headers, filters and column widths; this writes exactly that
(SpreadsheetML as ECMA-376 defines it, inline strings), in time and memory that grow with
the rows and no faster. Fixed timestamps: the same rows give the same bytes.
"""
from __future__ import annotations

import math
import zipfile
from dataclasses import dataclass, field
from typing import BinaryIO, Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FIXED_CORE_TIME = "1980-01-01T00:00:00Z"


@dataclass
class Sheet:
    title: str
    headers: list[str]
    rows: Sequence[Sequence]  # str, int, float or None; text is written as it is
    widths: list[float]
    fills: Sequence[str | None] = field(default_factory=list)  # per data row: an RGB fill, or none
    quoted: tuple[str, ...] = ()  # text starting with these is shown with Excel's quote prefix


def column_letter(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _Styles:
    """cellXfs: 0 plain, 1 the header, then per fill (none first) plain and quote-prefixed."""

    def __init__(self, header_fill: str, fills: Iterable[str]):
        self.fills = [header_fill] + sorted(set(fills) - {header_fill})
        self.index = {None: 0, **{rgb: i for i, rgb in enumerate(self.fills[1:], start=1)}}

    def xf(self, fill: str | None, quoted: bool) -> int:
        return 2 + self.index[fill] * 2 + quoted

    def xml(self) -> str:
        fills = "".join(f'<fill><patternFill patternType="solid"><fgColor rgb="FF{rgb}"/><bgColor indexed="64"/>'
                        f"</patternFill></fill>" for rgb in self.fills)
        xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
               '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" '
               'applyAlignment="1"><alignment vertical="center" wrapText="1"/></xf>']
        for fill in [None] + self.fills[1:]:
            fill_id = 0 if fill is None else 2 + self.fills.index(fill)
            for quoted in (False, True):
                xfs.append(f'<xf numFmtId="0" fontId="0" fillId="{fill_id}" borderId="0" xfId="0"'
                           + (' applyFill="1"' if fill_id else "") + (' quotePrefix="1"' if quoted else "") + "/>")
        return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{MAIN}">'
                '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
                '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
                f'<fills count="{2 + len(self.fills)}"><fill><patternFill patternType="none"/></fill>'
                f'<fill><patternFill patternType="gray125"/></fill>{fills}</fills>'
                '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
                '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
                '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')


def _text(value: str) -> str:
    space = ' xml:space="preserve"' if value != value.strip() or "\n" in value else ""
    return f"<is><t{space}>{escape(value)}</t></is>"


def _cell(ref: str, value, style: str, quoted_style: str, quoted: tuple[str, ...]) -> str:
    """`style` is the cell's s="…" attribute, or empty for the plain style."""
    if value is None or value == "":
        return f'<c r="{ref}"{style}/>' if style else ""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return f'<c r="{ref}"{style}><v>{value!r}</v></c>'
    value = str(value)
    return f'<c r="{ref}" t="inlineStr"{quoted_style if value.startswith(quoted) else style}>{_text(value)}</c>'


def _write_sheet(out: BinaryIO, sheet: Sheet, styles: _Styles) -> None:
    letters = [column_letter(i) for i in range(1, len(sheet.headers) + 1)]
    last = f"{letters[-1]}{len(sheet.rows) + 1}"
    cols = "".join(f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>' for i, w in enumerate(sheet.widths, 1))
    out.write((f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}">'
               f'<dimension ref="A1:{last}"/><sheetViews><sheetView workbookViewId="0">'
               '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
               '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
               f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>'
               '<row r="1">' + "".join(f'<c r="{letter}1" t="inlineStr" s="1">{_text(h)}</c>'
                                      for letter, h in zip(letters, sheet.headers)) + "</row>").encode("utf-8"))
    attributes = {fill: (f' s="{styles.xf(fill, False)}"' if fill else "", f' s="{styles.xf(fill, True)}"')
                  for fill in [None, *styles.fills[1:]]}
    batch: list[str] = []
    for number, row in enumerate(sheet.rows, start=2):
        style, quoted_style = attributes[sheet.fills[number - 2] if number - 2 < len(sheet.fills) else None]
        batch.append(f'<row r="{number}">' + "".join(_cell(f"{letter}{number}", value, style, quoted_style, sheet.quoted)
                                                     for letter, value in zip(letters, row)) + "</row>")
        if len(batch) >= 1000:  # written as it goes: the sheet's XML is never whole in memory
            out.write("".join(batch).encode("utf-8"))
            batch.clear()
    out.write(("".join(batch) + f'</sheetData><autoFilter ref="A1:{last}"/>'
               '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/></worksheet>')
              .encode("utf-8"))


def _entry(archive: zipfile.ZipFile, name: str) -> BinaryIO:
    info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    return archive.open(info, "w", force_zip64=True)


def write_workbook(out: BinaryIO, sheets: list[Sheet], header_fill: str, creator: str = "checker") -> None:
    styles = _Styles(header_fill, (f for s in sheets for f in s.fills if f))
    n = len(sheets)
    parts = {
        "[Content_Types].xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
                      'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                      for i in range(1, n + 1))
            + '<Override PartName="/xl/styles.xml" '
              'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
              '<Override PartName="/docProps/core.xml" '
              'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
              '<Override PartName="/docProps/app.xml" '
              'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>',
        "_rels/.rels":
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PACKAGE_RELS}">'
            f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
            'core-properties" Target="docProps/core.xml"/>'
            f'<Relationship Id="rId3" Type="{RELS}/extended-properties" Target="docProps/app.xml"/></Relationships>',
        "docProps/core.xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties '
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:creator>{escape(creator)}</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{FIXED_CORE_TIME}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{FIXED_CORE_TIME}</dcterms:modified></cp:coreProperties>',
        "docProps/app.xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties '
            'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            f"<Application>{escape(creator)}</Application></Properties>",
        "xl/workbook.xml":
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{MAIN}" xmlns:r="{RELS}">'
            '<bookViews><workbookView activeTab="0"/></bookViews><sheets>'
            + "".join(f'<sheet name={quoteattr(s.title)} sheetId="{i}" r:id="rId{i}"/>' for i, s in enumerate(sheets, 1))
            + "</sheets><definedNames>"
            + "".join(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
                      + escape("'" + s.title.replace("'", "''") + "'!$A$1:$" + column_letter(len(s.headers))
                               + f"${len(s.rows) + 1}") + "</definedName>" for i, s in enumerate(sheets))
            + "</definedNames></workbook>",
        "xl/_rels/workbook.xml.rels":
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PACKAGE_RELS}">'
            + "".join(f'<Relationship Id="rId{i}" Type="{RELS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                      for i in range(1, n + 1))
            + f'<Relationship Id="rId{n + 1}" Type="{RELS}/styles" Target="styles.xml"/></Relationships>',
        "xl/styles.xml": styles.xml(),
    }
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            with _entry(archive, name) as entry:
                entry.write(text.encode("utf-8"))
        for i, sheet in enumerate(sheets, 1):
            with _entry(archive, f"xl/worksheets/sheet{i}.xml") as entry:
                _write_sheet(entry, sheet, styles)
