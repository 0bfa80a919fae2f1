"""Writes the malformed-sheet corpus into tests/corpus/files/ (committed; rerun to regenerate).

    python tests/corpus/make_corpus.py

Each file is one thing officers really send: what each must give is in cases.yaml.
The symbolic link out of the folder is made by the test itself (git would keep it, but
a link to an absolute path outside the project is not something to commit).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent / "files"
EN = ["jurisdiction", "year", "indicator", "value", "unit", "subject", "date", "note"]
ZH = ["地区", "年度", "指标", "数值", "单位", "对象", "日期", "备注"]
GOOD = ["jiamusi", 2018, "livestock.waste_facility_rate", "72", "%", "", "", ""]


def csv_text(rows, header=EN, delimiter=",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def write(name: str, data: str | bytes, encoding: str = "utf-8") -> None:
    path = HERE / name
    path.write_bytes(data.encode(encoding) if isinstance(data, str) else data)


def workbook(name: str, rows, header=EN, title="指标", before=None, after=None) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for line in before or []:
        sheet.append(line)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    if after:
        after(sheet)
    book.save(HERE / name)


def main() -> None:
    HERE.mkdir(parents=True, exist_ok=True)
    for old in HERE.iterdir():
        old.unlink()
    # ---- encodings
    write("01-gb18030.csv", csv_text([["佳木斯市", 2018, "规模化畜禽养殖场配套废弃物处理利用设施比例", "72", "%"]], ZH), "gb18030")
    write("02-utf16-excel-unicode-text.csv", csv_text([["佳木斯", 2018, "livestock.waste_facility_rate", "72"]], ZH, "\t"), "utf-16")
    write("03-latin1-mojibake.csv", "jurisdiction;ann\xe9e;indicateur;valeur\r\njiamusi;2018;x;1\r\n", "latin-1")
    # ---- headers
    write("04-mixed-headers.csv", csv_text([GOOD[:4]], ["地区", "year", "指标", "value"]))
    write("05-missing-value-column.csv", csv_text([GOOD[:3]], ["地区", "年度", "指标"]))
    write("06-semicolons.csv", csv_text([GOOD], EN, ";"))
    workbook("07-title-rows-above-header.xlsx", [GOOD], ZH, before=[["佳木斯市2018年度水污染防治指标"], []])
    write("08-header-only.csv", csv_text([]))

    # ---- cells
    def merge_jurisdiction(sheet):
        sheet.merge_cells("A2:A3")

    workbook("09-merged-cells.xlsx", [GOOD, [None, 2018, "water_use.total", "47", "亿立方米"]], after=merge_jurisdiction)
    workbook("10-formula-never-computed.xlsx", [["jiamusi", 2018, "surface_water.good_section_share", "=5/9*100", "%"]])
    workbook("11-excel-serial-date.xlsx", [["jiamusi", 2018, "task.status", "已完成", "", "8类行业排污许可证核发", 43459]])
    write("12-blank-rows.csv", csv_text([GOOD, [], ["", "", ""], GOOD[:1] + [2018, "water_use.total", "47"]]))
    write("13-duplicate-rows.csv", csv_text([GOOD, GOOD]))
    write("14-conflicting-values.csv", csv_text([GOOD, GOOD[:3] + ["65"]]))
    # ---- values
    write("15-unit-does-not-convert.csv", csv_text([["jiamusi", 2018, "water_use.total", "47", "公里"]]))
    write("16-unknown-unit.csv", csv_text([["jiamusi", 2018, "water_use.total", "47", "桶"]]))
    write("17-unknown-indicator.csv", csv_text([["jiamusi", 2018, "规模化畜禽养殖场废弃物处理设施比例", "72"]]))
    write("18-unknown-jurisdiction.csv", csv_text([["哈尔滨市", 2018, "water_use.total", "47"]]))
    write("19-year-no-plan-covers.csv", csv_text([["jiamusi", 2030, "water_use.total", "47"]]))
    write("20-not-a-number.csv", csv_text([["jiamusi", 2018, "water_use.total", "约四十七"]]))
    write("21-a-range-not-a-value.csv", csv_text([["jiamusi", 2018, "livestock.waste_facility_rate", "70-75"]]))
    write("22-share-over-100.csv", csv_text([["jiamusi", 2018, "livestock.waste_facility_rate", "172"]]))
    write("23-bad-date.csv", csv_text([["jiamusi", 2018, "task.status", "已完成", "", "8类行业排污许可证核发", "2018-13-45"]]))
    write("24-bad-task-status.csv", csv_text([["jiamusi", 2018, "task.status", "差不多了", "", "8类行业排污许可证核发"]]))
    write("25-bad-section-class.csv", csv_text([["jiamusi", 2018, "surface_water.section_class", "VI类", "", "松花江 佳木斯上"]]))
    write("26-garbled-year.csv", csv_text([["jiamusi", "今年", "water_use.total", "47"]]))
    write("27-section-without-subject.csv", csv_text([["jiamusi", 2018, "surface_water.section_class", "III"]]))
    workbook("28-excel-error-value.xlsx", [["jiamusi", 2018, "water_use.total", "#DIV/0!", "亿立方米"]])
    # ---- structured files
    write("29-json-not-rows.json", json.dumps({"data": "佳木斯"}, ensure_ascii=False))
    write("30-json-row-not-object.json", json.dumps([["jiamusi", 2018], dict(zip(EN, GOOD, strict=True))], ensure_ascii=False))
    write("31-yaml-syntax.yaml", "- {地区: 佳木斯, 年度: 2018, 指标: 用水总量, 数值: [47\n")
    write("32-json-broken.json", '[{"jurisdiction": "jiamusi", "year": 2018,')
    # ---- not sheets at all
    write("33-binary-named.csv", bytes(range(256)) * 8)
    write("34-text-named.xlsx", csv_text([GOOD]))
    write("35-empty.csv", b"")
    write("36-empty.xlsx", b"")
    write("37-big.csv", csv_text([GOOD] * 400))  # over the 0.01 MB limit the test sets
    # A zip bomb: 64 MB of one byte compresses to ~64 kB; over the 10 MB limit the test sets.
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml", date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, b"\0" * (64 * 1024 * 1024))
    write("38-zip-bomb.xlsx", bomb.getvalue())
    write("39-nul-in-text.csv", csv_text([GOOD]).replace("72", "7\x002"))
    text_for_reports()
    intake_files()
    hostile_inputs()
    water_quality_files()


def text_for_reports() -> None:
    """60-69: text that reads clean but that a report could not carry, or would run: control
    characters (openpyxl refused the workbook, XML the JUnit file), terminal escapes, Markdown links."""
    escapes = "\x1b[31m红色\x1b[0m \x1b]0;窗口标题\x07 \x1b[2J"
    write(
        "60-control-chars-in-note.csv",
        csv_text(
            [
                GOOD[:7] + [f"佐证\x0b材料\x01{escapes}\x7f\x9b31m"],
                ["jiamusi", 2018, "surface_water.section_class", "III", "", "断面\x0b\x1b[1m甲", "", ""],
            ]
        ),
    )
    write("61-control-chars.json", json.dumps([dict(zip(EN, GOOD[:7] + [f"备注\x01\x02{escapes}"], strict=True))]))
    write("62-escape-in-value.csv", csv_text([["jiamusi", 2018, "water_use.total", "约\x1b[2J四十七", "亿立方米"]]))
    links = "[点击查看](javascript:alert(1)) ![图](http://evil.example/x.png) <img src=x onerror=alert(1)> https://evil.example **粗体**"
    write(
        "63-markdown-link-in-note.csv",
        csv_text([GOOD[:7] + [links], ["jiamusi", 2018, "surface_water.section_class", "III", "", f"断面 {links}"]]),
    )


def intake_files() -> None:
    """Files that are no sheet of any kind the checker reads: each is an error, never skipped."""
    # Excel 97-2003 saves an OLE2 compound file: its signature, then sectors.
    write("70-excel-97-2003.xls", bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504) + b"Workbook" + bytes(8))
    write("71-scanned-submission.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n")


def billion_laughs(where: str) -> str:
    """454 bytes that alias their way to a billion cells, the alias standing where `where` says."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    row = {"jurisdiction": "jiamusi", "year": "2018", "indicator": "task.status", "value": "已完成", "subject": "x"}
    row[where] = "*i"
    return "\n".join(lines) + "\nrows:\n  - {" + ", ".join(f"{k}: {v}" for k, v in row.items()) + "}\n"


def compound_file(streams: dict[str, int]) -> bytes:
    """A minimal OLE2 compound file (what Excel 97-2003 and password-protected workbooks are): a
    header, one FAT sector, one directory sector and each stream in 512-byte sectors of zeros."""
    import struct

    free, end, fat_sector = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    fat = [fat_sector, end]  # sector 0: the FAT, sector 1: the directory
    entries, first = [], 2
    for name, size in streams.items():
        count = -(-size // 512)
        fat += [first + i + 1 for i in range(count - 1)] + [end]
        entries.append((name, 2, first, size))
        first += count
    fat += [free] * (128 - len(fat))

    def entry(name, kind, start, size, child=free, right=free):
        encoded = (name + "\0").encode("utf-16-le")
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", free, right, child)
            + b"\0" * 16
            + b"\0" * 4
            + b"\0" * 16
            + struct.pack("<IIi", start, size, 0)
        )

    directory = entry("Root Entry", 5, end, 0, child=1)
    for i, (name, kind, start, size) in enumerate(entries):
        directory += entry(name, kind, start, size, right=i + 2 if i + 1 < len(entries) else free)
    directory = directory.ljust(512, b"\0")
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 0x1000, end, 0, end, 0)
    )
    header += struct.pack("<I", 0) + struct.pack("<I", free) * 108
    body = b"".join(b"\0" * 512 for _ in range(first - 2))
    return header + struct.pack("<128I", *fat) + directory + body


def hostile_inputs() -> None:
    """Files 40-59: the input-reader items of the reliability issue."""
    note_row = ["jiamusi", 2018, "livestock.waste_facility_rate", "72", "%", "", "", '"住建局年报']
    write(
        "40-unclosed-quote.csv",
        "\r\n".join(
            [",".join(EN), ",".join(map(str, GOOD)), ",".join(map(str, note_row)), "jiamusi,2018,water_use.total,47,亿立方米,,,", ""]
        ),
    )
    write("41-yaml-alias-in-note.yaml", billion_laughs("note"))
    write("42-yaml-alias-in-value.yaml", billion_laughs("value"))
    write("43-yaml-alias-in-subject.yaml", billion_laughs("subject"))

    def far_right(sheet):
        for row in range(2, 61):
            sheet.cell(row=row, column=16384, value="x")

    workbook("44-content-past-the-bound.xlsx", [GOOD] * 59, after=far_right)
    write(
        "45-datetime-in-date-column.csv",
        csv_text(
            [
                ["jiamusi", 2018, "task.status", "已完成", "", "8类行业排污许可证核发", "2018-12-31 00:00:00"],
                ["jiamusi", 2018, "task.status", "已完成", "", "城市黑臭水体整治", "2018/6/30 14:30"],
            ]
        ),
    )
    write(
        "46-zero-width-around-number.csv",
        csv_text(
            [
                ["jiamusi", 2018, "water_use.total", "\u200b47\u200b", "亿立方米"],
                ["jiamusi", 2018, "livestock.waste_facility_rate", "72\u200b%"],
            ]
        ),
    )
    write("47-zero-width-inside-number.csv", csv_text([["jiamusi", 2018, "water_use.total", "4\u200b7", "亿立方米"]]))
    write("48-hex-looking-value.csv", csv_text([["jiamusi", 2018, "water_use.total", "0x2E"]]))
    write(
        "49-mixed-utf8-gb18030.csv",
        csv_text([["佳木斯市", 2018, "用水总量", "47", "亿立方米"]], ZH).encode("utf-8")
        + csv_text([["佳木斯市", 2018, "规模化畜禽养殖场配套废弃物处理利用设施比例", "72", "%"]], []).encode("gb18030"),
    )
    write("50-double-bom.csv", "\ufeff\ufeff" + csv_text([GOOD]))
    write("51-zero-width-in-header.csv", csv_text([GOOD], ["juris\u200bdiction", "year\u200b", "\u2060indicator", *EN[3:]]))
    write("52-encrypted.xlsx", compound_file({"EncryptionInfo": 1024, "EncryptedPackage": 4096}))
    write("53-xls-renamed.xlsx", compound_file({"Workbook": 4096}))
    write("54-xls-named.csv", compound_file({"Workbook": 4096}))
    write("55-duplicate-header.csv", csv_text([GOOD + ["65"]], EN + ["数值"]))
    write(
        "56-duplicate-json-key.json",
        '[{"jurisdiction": "jiamusi", "year": 2018, "indicator": "livestock.waste_facility_rate", "value": 72, "value": 65}]',
    )
    write("57-duplicate-yaml-key.yaml", "- {地区: 佳木斯, 年度: 2018, 指标: 用水总量, 数值: 47, value: 52}\n")
    workbook(
        "58-duplicate-header.xlsx",
        [["jiamusi", 2018, "livestock.waste_facility_rate", 72, 65]],
        header=["地区", "年度", "指标", "数值", "value"],
    )


def water_quality_files() -> None:
    """Files 80-89: monitoring samples as laboratories and the national release write them (issue 16)."""

    def sample(item, value, date="2018-05-15", subject="断面甲", note=""):
        return ["jiamusi", 2018, item, value, "", subject, date, note]

    write("80-negative-concentration.csv", csv_text([sample("monitoring.nh3n", "-0.2"), sample("monitoring.do", "7.8")]))
    marks = ["0.01L", "<0.01", "未检出(0.01)", "ND", "--", "*", "当天质控不合格"]
    rows = [sample("monitoring.nh3n", m, f"2018-{i + 1:02d}-15") for i, m in enumerate(marks)]
    write("81-non-detects-and-marks.csv", csv_text([*rows, sample("monitoring.do", "7.8", note="当天质控不合格")]))
    release = ["省份", "流域", "断面名称", "监测时间", "水质类别", "水温(℃)", "pH(无量纲)", "溶解氧(mg/L)", "氨氮(mg/L)"]
    write(
        "82-release-without-section-list.csv",
        csv_text([["黑龙江省", "松花江流域", "断面甲", "05-15 08:00", "Ⅱ", "18.2", "7.6", "7.9", "0.21"]], release),
    )
    write("83-unknown-section-type.csv", csv_text([sample("monitoring.tp", "0.04"), sample("surface_water.section_type", "海湾", "")]))
    write("84-sampling-time-out-of-range.csv", csv_text([sample("monitoring.nh3n", "0.2", "2018-05-15 25:00")]))


if __name__ == "__main__":
    main()
