"""CSV in UTF-8, UTF-8 with BOM or GB18030 (what Excel on a Chinese Windows saves)."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from checker.readers import NotASheet, RawSheet, rows_from_table


def decode(raw: bytes, display: str) -> str:
    # Excel's "Unicode text" is UTF-16 with a BOM; officers rename it .csv.
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise NotASheet(f"{display}：UTF-16 文本已损坏", f"{display}: damaged UTF-16 text") from None
    if b"\x00" in raw[:4096]:
        raise NotASheet(f"{display}：不是文本文件（含二进制字节）", f"{display}: binary data, not a CSV text file")
    # Strict tries first: UTF-8 (with or without BOM) and GB18030 cover what the
    # contract accepts; the detector is only the last resort for other encodings.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes  # the last resort, imported only when needed
    best = from_bytes(raw).best()
    if best is None:
        raise NotASheet(f"{display}：无法识别文本编码", f"{display}: the text encoding could not be detected")
    return str(best)


def read(path: Path, display: str, max_unzipped_bytes: int | None = None) -> RawSheet:
    text = decode(path.read_bytes(), display)
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    # Commas, unless the header line plainly uses tabs or semicolons (Excel's other "CSV"s).
    delimiter = max((",", "\t", ";"), key=lambda d: (first_line.count(d), d == ","))
    try:
        table = [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise NotASheet(f"{display}：CSV 格式错误：{exc}", f"{display}: malformed CSV: {exc}") from None
    return rows_from_table(table, display, None)
