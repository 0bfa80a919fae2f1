"""Numbers as plans write them: digits (half or full width), Chinese numerals (cn2an), ranges
(2-3个, 5-10年), lists sharing one unit (3、5、7个), 万/亿 kept in the unit as written (80万平方米
is 80 of 万平方米), shares (55%, 百分之五十五), 百分点, and water classes (Ⅲ类 -> 3, 劣Ⅴ类 -> 6).

A year (2020年) is a date, not a quantity: checker.plan.dates reads it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
_CN = f"[{CN_DIGITS}]+"
_AR = r"\d+(?:\.\d+)?"
_NUM = rf"(?:{_AR}|{_CN})"
_DASH = r"(?:-|－|—|–|~|～|至|到)"
# Units plans count in; longest first so 万平方米 wins over 平方米 and 米.
UNITS = sorted(
    """平方公里 平方千米 平方米 立方米 公里 千米 公顷 万元 亿元 元 吨 千克 公斤 毫克/升 mg/L 米 亩 个 条 座 家 处 项 所 套 台 艘 辆 眼 口 宗
    户 人 次 批 件 份 段 片 类 种 尾 只 头 株 棵 名 支 村 镇 乡 小时 天 日 周 月 季度 年 倍 吨/日 立方米/日 万吨 m3 m³ km""".split(),
    key=len,
    reverse=True,
)
_UNIT = "|".join(re.escape(u) for u in UNITS)
_MULT = r"(?:万|亿|千)?"
_PCT = r"(?:%|％|个百分点|百分点)"
_NUMBER = re.compile(
    rf"(?P<neg>负)?(?P<a>{_NUM})(?:\s*{_DASH}\s*(?P<b>{_NUM}))?\s*(?:(?P<pct>{_PCT})|(?P<unit>{_MULT}(?:{_UNIT}))|(?P<bare>{_MULT}))"
)
_PERCENT_WORDS = re.compile(rf"百分之(?P<a>{_CN}|{_AR})")
_LIST = re.compile(rf"(?P<items>(?:{_NUM}\s*[、,，]\s*)+)(?P<last>{_NUM})\s*(?P<unit>{_PCT}|{_MULT}(?:{_UNIT}))")
_YEAR = re.compile(r"(?:19|20)\d\d\s*(?:年|—|-|～|~)")
_ROMAN = {"Ⅰ": 1, "Ⅱ": 2, "Ⅲ": 3, "Ⅳ": 4, "Ⅴ": 5, "I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
_CLASS = re.compile(r"(?P<worse>劣)?\s*(?P<c>III|II|IV|I|V|Ⅲ|Ⅱ|Ⅳ|Ⅰ|Ⅴ|[一二三四五])\s*类")
_CLASS_RANGE = re.compile(r"(?P<a>III|II|IV|I|V|Ⅲ|Ⅱ|Ⅳ|Ⅰ|Ⅴ)\s*[~～\-—至]\s*(?P<b>III|II|IV|I|V|Ⅲ|Ⅱ|Ⅳ|Ⅰ|Ⅴ)\s*类")


@dataclass(frozen=True, slots=True)
class Number:
    """One number of a sentence: `value` as written (a range's `high` apart), `unit` as written
    with its 万/亿, `start`/`end` its span in the text."""

    value: float
    unit: str
    start: int
    end: int
    high: float | None = None
    listed: bool = False  # one of a list sharing a unit ("3、5、7个")
    chinese: bool = False  # written in Chinese numerals (三个, 十五条)

    @property
    def is_share(self) -> bool:
        return self.unit in ("%", "百分点")


@dataclass(frozen=True, slots=True)
class WaterClass:
    value: int  # 1..5, 6 for 劣Ⅴ
    start: int
    end: int


_FOLD = str.maketrans("０１２３４５６７８９．％～－", "0123456789.%~-")


_TITLE = re.compile(r"《[^《》]*》|〔[^〔〕]*〕|\[[^\[\]]*号\]")


def fold(text: str) -> str:
    """Full-width digits and signs to half width, keeping every other character (and the
    length: spans found in the folded text are spans of the original)."""
    return text.translate(_FOLD)


def unquoted(text: str) -> str:
    """The text with the titles it cites (《…(2018-2020年)》) and document numbers (〔2015〕17号)
    blanked, length kept: their years and numbers set nothing."""
    return _TITLE.sub(lambda m: "《" + "　" * (len(m.group()) - 2) + "》", text)


_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}


def _below_wan(text: str) -> int | None:
    """十五, 一百零三, 两千: a numeral below 万, or None for anything else."""
    if not text:
        return 0
    if len(text) > 1 and all(ch in _CN_DIGIT for ch in text):
        return int("".join(str(_CN_DIGIT[ch]) for ch in text))  # 二〇二〇: digit by digit
    total, digit = 0, None
    for ch in text:
        if ch in _CN_DIGIT:
            digit = _CN_DIGIT[ch]
        elif ch in _CN_SMALL:
            total += (1 if digit is None else digit) * _CN_SMALL[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


@functools.lru_cache(maxsize=4096)
def cn_number(text: str) -> float | None:
    """A numeral, Chinese or Arabic, as a float; None when it is not one. The plain forms plans
    write are read here; anything else (一万五, 三千五百万 …) by cn2an, imported only then: it
    costs a fifth of a second."""
    text = fold(text).strip()
    if not text:
        return None
    if re.fullmatch(_AR, text):
        return float(text)
    yi, _, rest = text.rpartition("亿") if "亿" in text else ("", "", text)
    wan, _, low = rest.rpartition("万") if "万" in rest else ("", "", rest)
    parts = [_below_wan(yi), _below_wan(wan), _below_wan(low)]
    if None not in parts and text[0] not in "万亿" and not _colloquial(text):
        return float(parts[0] * 100_000_000 + parts[1] * 10_000 + parts[2])
    import cn2an

    try:
        return float(cn2an.cn2an(text.replace("两", "二").replace("〇", "零"), "smart"))
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def _colloquial(text: str) -> bool:
    """一万五 (15,000) and 三千五 (3,500) drop the last unit: cn2an reads them."""
    return bool(re.search(r"[万亿千百][一二两三四五六七八九]$", text)) and not re.search(r"零[一二两三四五六七八九]$", text)


def _is_year(text: str, start: int) -> bool:
    return bool(_YEAR.match(text, start))


def numbers(text: str) -> list[Number]:
    """Every quantity of the text, in text order; years, clause numbers and bare digits left out,
    and what stands in a cited title."""
    text = unquoted(fold(text))
    found: list[Number] = []
    taken: set[int] = set()
    for m in _LIST.finditer(text):
        unit = _unit(m.group("unit"))
        items = [(i.start(), i.group()) for i in re.finditer(_NUM, m.group("items"))]
        items.append((m.start("last") - m.start("items"), m.group("last")))
        values = [cn_number(v) for _, v in items]
        if None in values or _is_year(text, m.start()):
            continue
        for (offset, raw), value in zip(items, values, strict=True):
            start = m.start("items") + offset
            found.append(Number(value, unit, start, start + len(raw), listed=True))
        taken.update(range(m.start(), m.end()))
    for m in _NUMBER.finditer(text):
        if m.start() in taken or _is_year(text, m.start("a")) or text[m.start("a") - 1 : m.start("a")] == "第":
            continue
        if m.group("bare") is not None and not _bare_bound(text, m):
            continue  # a digit with no unit: a clause number, a code, a name
        value = cn_number(m.group("a"))
        high = cn_number(m.group("b")) if m.group("b") else None
        if value is None or (m.group("b") and high is None):
            continue
        if _chinese_word(text, m) or (m.group("unit") or "").endswith("人") and text[m.end() : m.end() + 1] in ("口", "员", "民"):
            continue  # 3万人口以上城镇: a size that names the towns, not a count
        if m.group("neg"):
            value = -value
        unit = _unit(m.group("pct") or m.group("unit") or "")
        if unit in _LENGTHS and _WHERE_BEFORE.search(text[max(0, m.start("a") - 6) : m.start("a")]):
            continue  # 沿河两侧10米范围内: a distance that says where, not how much
        found.append(Number(value, unit, m.start("a"), m.end(), high=high, chinese=not m.group("a")[0].isdigit()))
    for m in _PERCENT_WORDS.finditer(text):
        value = cn_number(m.group("a"))
        if value is not None and m.start() not in taken:
            found.append(Number(value, "%", m.start(), m.end(), chinese=True))
    return sorted(found, key=lambda n: n.start)


_BARE_BEFORE = re.compile(r"(?:达到|不低于|不高于|不超过|不小于|不大于|控制在|提高到|提高至|降至|降低到|大于|小于|超过|低于|高于|为)\s*$")


_LENGTHS = {"米", "公里", "千米", "m", "km"}
_WHERE_BEFORE = re.compile(r"(?:两岸|两侧|沿岸|岸边|周边|周围|外延|半径|沿线)\s*(?:各)?\s*$")


def _bare_bound(text: str, m: re.Match) -> bool:
    """A number with no unit is a quantity only where a comparison binds it (系数达到0.612以上)."""
    if m.group("b") or m.group("bare") or not m.group("a")[0].isdigit():
        return False
    return bool(_BARE_BEFORE.search(text[max(0, m.start() - 4) : m.start()])) or text[m.end() : m.end() + 2] in ("以上", "以下", "以内")


def _unit(raw: str) -> str:
    raw = raw.strip()
    if raw in ("%", "％"):
        return "%"
    if raw.endswith("百分点"):
        return "百分点"
    return raw


# Chinese numerals inside words are not quantities: 一河一策, 一级A, 三监联动, 一岗双责, 统一,
# 十三五. A Chinese numeral counts only where it stands before a counting unit and after a
# character that is not itself part of a word built on it.
_WORDY_AFTER = set("级类体批期线道片步河岗证")
_WORDY_BEFORE = set("统单唯第之逐同万十每")


def _chinese_word(text: str, m: re.Match) -> bool:
    a = m.group("a")
    if a[0].isdigit():
        return False
    before = text[m.start("a") - 1] if m.start("a") > 0 else ""
    unit = m.group("unit") or m.group("pct") or ""
    if before in _WORDY_BEFORE:
        return True
    if unit and unit[0] in _WORDY_AFTER:
        return True
    # 一个/一条 … read as "a": a count of one is almost always written as 1 in targets.
    return a in ("一",) and unit in ("个", "项", "条", "种", "批", "次", "年", "家", "处", "套", "份", "件")


def water_classes(text: str) -> list[WaterClass]:
    """Water classes named in the text (Ⅲ类 -> 3, 劣Ⅴ类 -> 6; a range Ⅰ~Ⅲ类 gives its worse end)."""
    text = fold(text)
    out = []
    ranged: set[int] = set()
    for m in _CLASS_RANGE.finditer(text):
        out.append(WaterClass(_ROMAN[m.group("b")], m.start(), m.end()))
        ranged.update(range(m.start(), m.end()))
    for m in _CLASS.finditer(text):
        if m.start("c") in ranged:
            continue
        c = m.group("c")
        if c in "一二三四五" and (text[m.start("c") - 1 : m.start("c")] in ("第", "一", "二")):
            continue
        # "一类污染物" is a pollutant list, not a water class
        if c in "一二三四五" and text[m.end() : m.end() + 1] in ("污", "水", "企", "重", "地"):
            continue
        out.append(WaterClass(6 if m.group("worse") else _ROMAN[c], m.start(), m.end()))
    return sorted(out, key=lambda w: w.start)
