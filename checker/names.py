"""How names are compared and what the fixed jurisdictions are called: shared by the readers
(header names), the rulesets (indicator, unit and value names) and the reports (what a
jurisdiction is called)."""

from __future__ import annotations

import functools
import re
import unicodedata

# The fixed jurisdictions of contract §2, with the Chinese names a sheet may use. Any other
# jurisdiction is declared by its own ruleset (`jurisdiction_names`).
JURISDICTIONS: dict[str, tuple[str, ...]] = {
    "shanghai-putuo": ("上海市普陀区", "普陀区", "普陀", "上海普陀"),
    "lianyungang": ("江苏省连云港市", "连云港市", "连云港"),
    "jiamusi": ("黑龙江省佳木斯市", "佳木斯市", "佳木斯"),
    "chongqing-yongchuan": ("重庆市永川区", "永川区", "永川", "重庆永川"),
    "daxinganling": ("黑龙江省大兴安岭地区", "大兴安岭地区", "大兴安岭"),
}
JURISDICTION_NAMES_ZH = {jid: names[0] for jid, names in JURISDICTIONS.items()}


@functools.lru_cache(maxsize=65536)  # sheets repeat the same names on every row
def fold(text: str) -> str:
    """The form in which names are compared: NFKC (full-width to ASCII), no spaces, lower case."""
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


# A name that addresses many bodies at once (各县区, 相关部门, 有关单位 …): the plan's own words,
# kept, but no one body answers for them (read by the plan reader and the lead-unit view).
COLLECTIVE_START = re.compile(r"^(?:[省市区县])?(各|相关|有关|其他|其它|所在|属地|沿线|涉及|各级|全体)")


def is_collective(unit: str) -> bool:
    return bool(COLLECTIVE_START.match(unit)) or unit.endswith("等")


FIXED_JURISDICTION_LOOKUP = {fold(name): jid for jid, names in JURISDICTIONS.items() for name in (jid, *names)}
