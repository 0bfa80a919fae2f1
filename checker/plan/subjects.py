"""A sentence's subject where it names a body: "各县区要…", "市环保局负责…", "区府办对…",
"…由各牵头单位于12月10日前报送". The units of a sentence that has no unit list of its own.
"""

from __future__ import annotations

import re

from checker.plan.model import Units
from checker.plan.units import level_of, looks_like_name

# A sentence's subject where it is a body: "各县区要…", "市环保局负责…", "区府办对…", "…由各牵头
# 单位于12月10日前报送". A body with its level prefix may open on any of the connectors; one
# without (a group "各县区", a "…办公室") only on what binds it (要, 负责 …).
_BINDS = re.compile(r"要(?!求)|应当|应|须|必须|需要|需(?!求)|负责|牵头|会同")
_CONNECTS = re.compile(r"对|根据|按照|依据|定期|组织|统一|每年|于|在|将")
_BY = re.compile(r"由(?=[\u4e00-\u9fff])")
_SUBJECT_GROUP = re.compile(r"^(?:各|相关|有关)[\u4e00-\u9fff()（）]{1,12}$")
_SUBJECT_END = ("河长", "县区", "区县", "各地", "乡镇", "镇街", "街镇")


def _subject_at(text: str, start: int, by: bool) -> Units | None:
    for end in range(start + 2, min(len(text), start + 31)):
        ch = text[end - 1]
        if not ("\u4e00" <= ch <= "\u9fff" or ch in "()（）、"):
            return None
        name = text[start:end]
        binds = _BINDS.match(text, end)
        if not binds and not _CONNECTS.match(text, end):
            continue
        if _SUBJECT_GROUP.match(name) and (looks_like_name(name) or name.endswith(_SUBJECT_END)) and (binds or by):
            return Units(groups=(name,))
        names = re.split(r"、|和|及|与", name) if re.search(r"、|和", name) else [name]
        if not all(n == "行署" or (looks_like_name(n) and (level_of(n) or (binds and binds.group(0) == "负责"))) for n in names):
            continue
        if any(re.search(r"[对在将把从为以]", n[1:]) for n in names):
            continue
        return Units(responsible=tuple(names))
    return None


def subject_units(sentence: str) -> Units | None:
    """The body a sentence opens on as its subject (or names with 由), where it names one."""
    text = sentence.strip()
    found = _subject_at(text, 0, False)
    if found is None:
        for m in _BY.finditer(text):
            found = _subject_at(text, m.end(), True)
            if found is not None:
                break
    return found
