"""Years, deadlines and frequencies as plans write them.

到2020年 / 2020年前 / 2018年底前 -> the year it must hold by; 2016年起 -> from that year; 比2015年 ->
a baseline; X月底前 -> that month's last day (in the year the sentence names, else the plan's);
12月10日前 -> that day; 今年/年内 -> the plan's year, 明年 the next; "十三五"期间 -> 2016-2020;
2016到2020年 -> each year of the span; 通过5-10年的努力 -> by the plan's year + 9. Frequencies: 每年, 每季度, 每半年, 每月, 一月一测, 每两年1次 ...
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from checker.plan.numbers import cn_number, fold, unquoted

_Y = r"((?:19|20)\d\d)\s*年"
_CNM = r"(\d{1,2}|十[一二]?|[一二三四五六七八九])"
_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("span", re.compile(rf"((?:19|20)\d\d)\s*(?:年)?\s*(?:-|－|—|–|~|～|至|到)\s*{_Y}")),
    ("baseline", re.compile(rf"(?:比|较|相比|对比|与|同比){_Y}|{_Y}(?:为基[数准]|基础上|相比)")),
    ("from", re.compile(rf"(?:自|从|于)?\s*{_Y}\s*(?:起|开始|以来)")),
    (
        "date",
        re.compile(
            rf"{_Y}\s*{_CNM}\s*月\s*(?:(底|末)|(\d{{1,2}}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])\s*日)?\s*(前|之前|以前|底前|内)?"
        ),
    ),
    ("by", re.compile(rf"(?:到|至|截至|截止到?)\s*{_Y}\s*(?:底|末)?")),
    ("by", re.compile(rf"{_Y}\s*(?:底|年底|末|年末)?\s*(?:前|之前|以前)")),
    ("by", re.compile(rf"{_Y}\s*(?:底|年底|末|年末)")),
    ("in", re.compile(rf"(?:近期|中期|远期)?\s*[(（]?\s*{_Y}")),
]
_BARE_MONTH = re.compile(
    rf"(?<![\d]){_CNM}\s*月\s*(?:(底|末)|(\d{{1,2}}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])\s*[日号])?\s*(前|之前|以前|底前|内)?"
)
# 一季度末前, 2018年第三季度前: that quarter's last day; 上半年/年中 -> 30 June, 下半年 -> 31 December
_QUARTER = re.compile(r"(?:((?:19|20)\d\d)\s*年\s*)?第?([一二三四1-4])\s*季度\s*(?:末|底)?\s*(?:前|之前|内)")
_HALF = re.compile(r"(?:((?:19|20)\d\d)\s*年\s*)?(上半年|下半年|年中)\s*(?:前|之前|内|底前|末前)?")
# 通过5-10年的努力: within that many years of the plan's, its own year counted first (10 years
# from 2016 end with 2025); the longer bound where a range is given.
_WITHIN = re.compile(
    r"(?:通过|经过|用)\s*(?:(\d{1,2}|十|[一二三四五六七八九]十?)\s*(?:-|－|—|–|~|～|至|到)\s*)?(\d{1,2}|十|[一二三四五六七八九]十?)\s*年(?:左右)?\s*(?:的|时间)?\s*(?:努力|时间|奋斗|治理)"
)
_THIS_YEAR = re.compile(r"今年|本年度?|年内|当年|明年|下一?年")
_FIVE_YEAR = re.compile(r"[“\"‘]?\s*(十[一二三四五六七八九]|[一二三四五六七八九]十?)\s*五\s*[”\"’]?\s*(?:期间|时期|末|规划期)")
_FREQ: list[tuple[str, re.Pattern]] = [
    ("每季度", re.compile(r"每(?:个)?季度|按季度?|季度[一每]测|一季一测|每季")),
    ("每半年", re.compile(r"每半年|半年[一每]测|每年两次|每年2次")),
    ("每月", re.compile(r"每(?:个)?月|按月|[一每]月一测|月[一每]测")),
    ("每两年", re.compile(r"每(?:两|二|2)年")),
    ("每三年", re.compile(r"每(?:三|3)年")),
    ("每周", re.compile(r"每周|每星期|一周一测")),
    ("每年", re.compile(r"每年|逐年|一年一测|年[一每]测|按年")),
]


@dataclass(frozen=True, slots=True)
class DateMark:
    """One date phrase: `kind` by | from | in | baseline | span | period | date | within (by the
    end of a number of years from the plan's: a year the reader worked out)."""

    kind: str
    year: int
    start: int
    end: int
    deadline: dt.date | None = None
    until: int | None = None  # a span's or a period's last year


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _month(raw: str) -> int | None:
    value = cn_number(raw)
    return int(value) if value is not None and 1 <= value <= 12 else None


def _day(year: int, month: int, raw: str | None, end: str | None) -> dt.date | None:
    if raw is None:
        return month_end(year, month)
    value = cn_number(raw)
    if value is None or not 1 <= value <= calendar.monthrange(year, month)[1]:
        return None
    return dt.date(year, month, int(value))


def five_year_span(ordinal: str) -> tuple[int, int] | None:
    """ "十三五" -> (2016, 2020). The first two plans ran 1953-1962; after the 1963-65
    adjustment years the third began in 1966, and every later one five years on."""
    value = cn_number(ordinal)
    if value is None or not 1 <= value <= 30:
        return None
    n = int(value)
    start = 1953 + 5 * (n - 1) if n <= 2 else 1966 + 5 * (n - 3)
    return start, start + 4


def marks(text: str, plan_year: int) -> list[DateMark]:
    """Every date phrase of the text, in text order; overlapping phrases read once, the first
    pattern (the most specific) winning. Dates in a cited title (《…(2018-2020年)》) are not read."""
    text = unquoted(fold(text))
    out: list[DateMark] = []
    taken: set[int] = set()

    def free(m: re.Match) -> bool:
        return not any(i in taken for i in range(m.start(), m.end()))

    for m in _QUARTER.finditer(text):
        if free(m):
            year = int(m.group(1)) if m.group(1) else plan_year
            quarter = int(cn_number(m.group(2)) or 0)
            if 1 <= quarter <= 4:
                out.append(DateMark("by", year, m.start(), m.end(), deadline=month_end(year, 3 * quarter)))
                taken.update(range(m.start(), m.end()))
    for m in _HALF.finditer(text):
        if free(m):
            year = int(m.group(1)) if m.group(1) else plan_year
            out.append(DateMark("by", year, m.start(), m.end(), deadline=month_end(year, 6 if m.group(2) in ("上半年", "年中") else 12)))
            taken.update(range(m.start(), m.end()))
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if not free(m):
                continue
            groups = [g for g in m.groups()]
            if kind == "span":
                first, last = int(groups[0]), int(groups[1])
                if not first < last <= first + 30:
                    continue
                out.append(DateMark("span", first, m.start(), m.end(), until=last))
            elif kind == "date":
                year, month = int(groups[0]), _month(groups[1])
                if month is None:
                    continue
                day = _day(year, month, groups[3], groups[2])
                out.append(DateMark("by", year, m.start(), m.end(), deadline=day))
            else:
                year = int(next(g for g in groups if g))
                out.append(DateMark(kind, year, m.start(), m.end()))
            taken.update(range(m.start(), m.end()))
    for m in _FIVE_YEAR.finditer(text):
        span = five_year_span(m.group(1))
        if span and free(m):
            out.append(DateMark("period", span[0], m.start(), m.end(), until=span[1]))
            taken.update(range(m.start(), m.end()))
    for m in _WITHIN.finditer(text):
        years = cn_number(m.group(2))
        if free(m) and years and 1 <= years <= 30:
            out.append(DateMark("within", plan_year + int(years) - 1, m.start(), m.end()))
            taken.update(range(m.start(), m.end()))
    for m in _THIS_YEAR.finditer(text):
        if free(m):
            year = plan_year + (1 if m.group() in ("明年", "下年", "下一年") else 0)
            month = _BARE_MONTH.match(text, m.end())
            end, deadline = m.end(), None
            if month and _month(month.group(1)):
                end, deadline = month.end(), _day(year, _month(month.group(1)), month.group(3), month.group(2))
            out.append(DateMark("by", year, m.start(), end, deadline=deadline))
            taken.update(range(m.start(), end))
    return sorted(out, key=lambda d: d.start)


_YEAR_END = re.compile(r"(?<![\d年])年\s*(?:底|末)\s*(?:前|之前|以前)")


def bare_deadlines(text: str, year: int) -> list[DateMark]:
    """X月底前 / 12月10日前 / 年底前 with no year written: in `year` (the sentence's or the plan's)."""
    text = fold(text)
    out = [DateMark("by", year, m.start(), m.end(), deadline=dt.date(year, 12, 31)) for m in _YEAR_END.finditer(text)]
    for m in _BARE_MONTH.finditer(text):
        month = _month(m.group(1))
        if month is None or not (m.group(2) or m.group(3) or m.group(4)):
            continue
        day = _day(year, month, m.group(3), m.group(2))
        if day is not None:
            out.append(DateMark("by", year, m.start(), m.end(), deadline=day))
    return out


_PER_YEAR = {"年": 1.0, "半年": 2.0, "季": 4.0, "季度": 4.0, "月": 12.0, "周": 52.0, "两年": 0.5, "二年": 0.5}
_ONE_PER = re.compile(r"(?<![每])(?:一|每)?(两年|二年|半年|季度?|年|月|周)\s*[一1]\s*(?:测|次|检|查)")
_N_PER = re.compile(
    r"每(?:个)?(两年|二年|半年|季度?|年|月|周)\s*(?:至少|不少于)?\s*(?:开展|监测|检测|组织|进行|公布|公开|采样|抽检)?\s*(\d+|[一二两三四五六七八九十]+)\s*(?:次|轮|遍)"
)


def times_a_year(text: str) -> list[tuple[float, int, int]]:
    """How often a year the text asks for something (一月一测 -> 12, 半年一测 -> 2, 每年开展1次 -> 1,
    每两年1次 -> 0.5), with the span of each phrase."""
    text = fold(text)
    out = []
    for m in _N_PER.finditer(text):
        count = cn_number(m.group(2))
        if count is not None:
            out.append((_PER_YEAR[m.group(1)] * count, m.start(), m.end()))
    for m in _ONE_PER.finditer(text):
        if not any(s <= m.start() < e for _, s, e in out):
            out.append((_PER_YEAR[m.group(1)], m.start(), m.end()))
    return sorted(out, key=lambda t: t[1])


def frequency(text: str) -> str | None:
    """The frequency the text sets (每年, 每季度, 每半年, 每月, 每两年 ...), or None."""
    text = fold(text)
    for name, pattern in _FREQ:
        if pattern.search(text):
            return name
    return None
