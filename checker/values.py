"""Parsing of the cell values people type: numbers, dates, units.

Kept free of I/O so that hypothesis can hammer it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
import unicodedata

_NUMBER = re.compile(r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(.*)$")
_THOUSANDS = re.compile(r"(?<=\d)[,，_'](?=\d{3}(?:\D|$))")
_DATE_ISO = re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})")
# What Excel and pandas write after a date in a CSV ("2018-12-31 00:00:00", "2018/12/31 0:00"):
# a time of day, which a completion or sampling date does not need, so the date is kept.
_TIME = re.compile(r"^(?:\s+|\s*T)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?$")
_DATE_ZH = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$")
_DATE_MONTH_END_ZH = re.compile(r"^(\d{4})年(\d{1,2})月底$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_HEX = re.compile(r"^[+-]?0[xX][0-9a-fA-F]+$")
# Invisible in every sheet program, and NFKC keeps them: pasted from web pages and chat tools.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_ZERO_WIDTH_RUN = re.compile(f"[{ZERO_WIDTH}]+")
_ZERO_WIDTH_IN_DIGITS = re.compile(f"(?<=\\d)[{ZERO_WIDTH}]+(?=\\d)")


class ValueProblem(ValueError):
    """A cell that cannot be read; the message is bilingual: (zh, en)."""

    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh = zh
        self.en = en


def clean_text(text: str) -> str:
    """NFKC folds full-width digits and signs (５５ → 55, ％ → %); spaces are dropped."""
    return unicodedata.normalize("NFKC", text).strip()


def strip_zero_width(text: str) -> str:
    return _ZERO_WIDTH_RUN.sub("", text)


def parse_number(raw: object) -> tuple[float, str | None]:
    """Return (number, unit text written after it or None). Accepts 55, 55%, ５５, 1,234.5, 55 %.

    Zero-width characters around a number or its unit are dropped; between two digits they are
    refused, since "4\u200b7" may be 47 or two numbers run together."""
    if isinstance(raw, bool):
        raise ValueProblem("不是数值", "not a number")
    if isinstance(raw, (int, float)):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise ValueProblem("不是有限数值", "not a finite number")
        return float(raw), None
    text = clean_text(str(raw))
    if _ZERO_WIDTH_RUN.search(text):
        if found := _ZERO_WIDTH_IN_DIGITS.search(text):
            code = f"U+{ord(found.group()[0]):04X}"
            raise ValueProblem(
                f"“{raw!r}”的数字之间夹有不可见的零宽字符（{code}），无法确定是哪个数；请删除该单元格内容后重新输入",
                f"{raw!r} has an invisible zero-width character ({code}) between its digits, so which "
                f"number is meant is unclear; clear the cell and type the number again",
            )
        text = strip_zero_width(text).strip()
    if _HEX.match(text):
        raise ValueProblem(
            f"“{raw}”不是数值（不读取十六进制，请写十进制数）",
            f"{raw!r} is not a number (hexadecimal is not read; write the number in decimal)",
        )
    text = _THOUSANDS.sub("", text).replace(" ", "")
    match = _NUMBER.match(text)
    if not match:
        raise ValueProblem(f"“{raw}”不是数值", f"{raw!r} is not a number")
    number = float(match.group(1))
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueProblem(f"“{raw}”不是有限数值", f"{raw!r} is not a finite number")
    rest = match.group(2).strip()
    if rest and rest[0] in "0123456789+-.,，/~～":
        # "55-60", "1,23,4": a range or a garbled number is not one value.
        raise ValueProblem(f"“{raw}”不是单个数值", f"{raw!r} is not a single number")
    return number, (rest or None)


def _parse_date(raw: object) -> dt.date:
    """2020-09-30, 2020/9/30, 2020年9月30日, 2020年9月底, or an Excel serial number."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if 1 <= raw < 2958466:
            return _EXCEL_EPOCH + dt.timedelta(days=int(raw))
        raise ValueProblem(f"“{raw}”不是日期", f"{raw!r} is not a date")
    text = strip_zero_width(clean_text(str(raw)))
    try:
        if (m := _DATE_ISO.match(text)) and _time_of_day(text[m.end() :]):
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        text = text.replace(" ", "")
        if m := _DATE_ZH.match(text):
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if m := _DATE_MONTH_END_ZH.match(text):
            year, month = int(m.group(1)), int(m.group(2))
            first_of_next = dt.date(year + month // 12, month % 12 + 1, 1)
            return first_of_next - dt.timedelta(days=1)
    except ValueError:
        pass
    raise ValueProblem(
        f"“{raw}”不是日期（应为 2020-09-30 或 2020年9月30日）", f"{raw!r} is not a date (expected 2020-09-30 or 2020年9月30日)"
    )


def _time_of_day(rest: str) -> bool:
    """Nothing after the date, or a valid time of day (which is not kept)."""
    if not rest.strip():
        return True
    m = _TIME.match(rest.rstrip())
    return bool(m) and int(m.group(1)) < 24 and int(m.group(2)) < 60 and int(m.group(3) or 0) < 60


def _parse_year(raw: object) -> int:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and float(raw).is_integer():
        year = int(raw)
    else:
        text = clean_text(str(raw)).removesuffix("年").removesuffix("年度")
        if not re.fullmatch(r"\d{4}(\.0+)?", text):
            raise ValueProblem(f"“{raw}”不是年度", f"{raw!r} is not a year")
        year = int(float(text))
    if not 1990 <= year <= 2100:
        raise ValueProblem(f"年度 {year} 超出范围", f"year {year} is out of range")
    return year


def tidy(value: float) -> float:
    """Drop the float noise of unit conversion (4738 万立方米 → 0.4738, not 0.47380000000000005)."""
    return float(f"{value:.12g}")


# Sheets repeat the same dates and years on thousands of rows: parse each spelling once.
_date_text = functools.lru_cache(maxsize=65536)(_parse_date)
_year_text = functools.lru_cache(maxsize=1024)(_parse_year)


def parse_date(raw: object) -> dt.date:
    """2020-09-30, 2020/9/30, 2020年9月30日, 2020年9月底, or an Excel serial number."""
    return _date_text(raw) if isinstance(raw, str) else _parse_date(raw)


def parse_year(raw: object) -> int:
    return _year_text(raw) if isinstance(raw, (str, int)) and not isinstance(raw, bool) else _parse_year(raw)


# ---------------------------------------------------------------- monitoring values not measured as such

# A value below the method's detection limit, as laboratories write it: "0.01L" (HJ/T 91-2002: the
# limit followed by the flag L), "<0.01", "ND(0.01)", "未检出(0.01)" or "未检出（检出限0.01）".
_NON_DETECT = (
    re.compile(r"^(\d+(?:\.\d*)?|\.\d+)L$", re.IGNORECASE),
    re.compile(r"^<=?(\d+(?:\.\d*)?|\.\d+)$"),
    re.compile(r"^(?:ND|N\.D\.|未检出|未检测出|低于检出限)\(?(?:检出限|DL|MDL)?[:=]?(\d+(?:\.\d*)?|\.\d+)\)?$", re.IGNORECASE),
)
# Not reported: a dash or a star in the release, a bare "not detected" without its limit (which
# cannot be averaged), or a quality-control failure written where the value should be.
_NOT_REPORTED = re.compile(r"^(?:-+|—+|–+|\*+|/|ND|N\.D\.|未检出|未检测出|未监测|无数据|.*质控.*|.*不合格.*)$", re.IGNORECASE)


@dataclasses.dataclass(frozen=True)
class NonDetect:
    """Below the detection limit `limit` (in the unit the value was written in)."""

    limit: float


@dataclasses.dataclass(frozen=True)
class NotReported:
    """No value: `mark` is what the cell says instead ('--', '*', '未检出', '当天质控不合格')."""

    mark: str


def parse_sample_mark(raw: object) -> NonDetect | NotReported | None:
    """A monitoring cell that is not a plain number: a non-detect with its limit, a mark saying
    the value is not reported, or None (then it is read as a number, or refused)."""
    if not isinstance(raw, str):
        return None
    text = strip_zero_width(clean_text(raw)).replace(" ", "")
    if not text:
        return None
    for pattern in _NON_DETECT:
        if m := pattern.match(text):
            limit = float(m.group(1))
            return NonDetect(limit) if limit > 0 else NotReported(text)
    if _NOT_REPORTED.match(text):
        return NotReported(text)
    return None


_MONTH_DAY_TIME = re.compile(r"^(\d{1,2})-(\d{1,2})(?:\s+|T)(\d{1,2}):(\d{2})(?::(\d{2}))?$")


def parse_sampling_time(raw: object, year: int) -> tuple[dt.date, dt.time | None]:
    """A sampling date with its time of day where it has one: 2018-05-15, 2018-05-15 08:00, or the
    national release's own 05-15 08:00, whose year is the sheet's."""
    if isinstance(raw, dt.datetime):
        return raw.date(), (raw.time() if raw.time() != dt.time(0) else None)
    if isinstance(raw, str):
        text = strip_zero_width(clean_text(raw))
        if m := _MONTH_DAY_TIME.match(text):
            try:
                return dt.date(year, int(m.group(1)), int(m.group(2))), dt.time(int(m.group(3)), int(m.group(4)), int(m.group(5) or 0))
            except ValueError:
                raise ValueProblem(f"“{raw}”不是日期", f"{raw!r} is not a date") from None
        if (m := _DATE_ISO.match(text)) and (t := _TIME.match(text[m.end() :].rstrip())):
            try:
                return parse_date(raw), dt.time(int(t.group(1)), int(t.group(2)), int(t.group(3) or 0))
            except ValueError:
                raise ValueProblem(f"“{raw}”的时间无效", f"{raw!r} has no valid time of day") from None
    return parse_date(raw), None
