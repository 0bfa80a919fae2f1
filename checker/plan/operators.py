"""The words around a number -> how it binds: an operator and a rule kind.

达到…以上, 不低于, 高于, 大于, 超过, 至少 -> >=; 控制在…以内, 不高于, 低于, 不超过, 以下 -> <=;
下降/削减/减少 … (比2015年) -> a reduction; 新增, 累计, 新建 … -> a cumulative total; 增至, 提高到 ->
a threshold; 保持稳定, 不退化, 不下降 -> stable; water classes: 达到或优于Ⅲ类 -> <= 3 (a lower class
is better water). Hedges (左右, 力争, 基本, 进一步) are read apart: they never change the operator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Longest first within each list: 不低于 must win over 低于.
_AT_LEAST_BEFORE = (
    "不低于",
    "不少于",
    "不小于",
    "不得低于",
    "不得少于",
    "至少",
    "最少",
    "高于",
    "大于",
    "多于",
    "超过",
    "提高到",
    "提高至",
    "提升到",
    "提升至",
    "增加到",
    "增加至",
    "增长到",
    "增长至",
    "增至",
    "扩大到",
    "扩大至",
    "达到",
    "达",
    "完成",
    "建成",
    "实现",
)
_AT_MOST_BEFORE = (
    "不高于",
    "不超过",
    "不大于",
    "不多于",
    "不得超过",
    "不得高于",
    "不得大于",
    "控制在",
    "控制到",
    "低于",
    "小于",
    "少于",
    "降至",
    "降到",
    "降低到",
    "降低至",
    "下降到",
    "下降至",
    "减少到",
    "减少至",
    "减至",
    "压减到",
    "压减至",
    "压缩到",
    "压缩至",
)
_CUT = ("下降", "削减", "减少", "降低", "压减", "减排", "降幅", "减幅", "压缩")
_ADDED = (
    "新增",
    "累计",
    "新建",
    "新改建",
    "新、改建",
    "新改扩建",
    "增加",
    "增设",
    "新铺设",
    "改造",
    "建设",
    "铺设",
    "治理",
    "清理",
    "整治",
    "构建",
)
# Amounts added up over the years (a cumulative total); 累计 with a count is a running total
# the plan states as a level (a threshold).
_SUMMED = ("新增", "新建", "新改建", "新、改建", "新改扩建", "增加")
_AT_LEAST_AFTER = ("以上", "及以上", "之上")
_AT_MOST_AFTER = ("以下", "以内", "之内", "及以下")
_STABLE = re.compile(r"保持稳定|稳定保持|不退化|不下降|只能更好|不降低|保持或优于|保持现状|不恶化|不变差|持续稳定|稳中趋好|保持在")
_HEDGES: list[tuple[str, re.Pattern]] = [
    ("左右", re.compile(r"左右|上下|约")),
    ("力争", re.compile(r"力争|争取|努力|尽可能|确保力争")),
    ("基本", re.compile(r"基本(?:消除|实现|完成|建成|达到|形成|解决|杜绝|覆盖|满足|全收集|全处理|全部|无)|初步")),
    ("进一步", re.compile(r"进一步(?:提高|提升|改善|降低|减少|增加|扩大|下降|优化)|持续(?:提高|提升|改善|降低|减少)|逐步")),
]
_BOUND = re.compile(r"[，,；;。：:！!？?\n]")


@dataclass(frozen=True, slots=True)
class Binding:
    """How a number binds: `op`, `kind` (threshold | reduction | cumulative | stable), and
    `word` the phrase that said so ("" when nothing did and the operator is a guess)."""

    op: str
    kind: str
    word: str

    @property
    def guessed(self) -> bool:
        return not self.word


def clause_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the clause (between commas, semicolons, full stops) that holds [start, end)."""
    left = max((m.end() for m in _BOUND.finditer(text, 0, start)), default=0)
    right = next((m.start() for m in _BOUND.finditer(text, end)), len(text))
    return left, right


def binding(text: str, start: int, end: int, *, share: bool = False) -> Binding:
    """How the number at text[start:end] binds, read from its clause's words."""
    left, right = clause_around(text, start, end)
    before, after = text[left:start], text[end:right]
    nearby_after = after[:4]
    for word in _AT_LEAST_AFTER:
        if nearby_after.startswith(word) or nearby_after.lstrip("左右").startswith(word):
            return Binding(">=", _kind_for(before, share), word)
    for word in _AT_MOST_AFTER:
        if nearby_after.startswith(word) or nearby_after.lstrip("左右").startswith(word):
            return Binding("<=", "threshold", word)
    found = []
    for op, words in ((">=", _AT_LEAST_BEFORE), ("<=", _AT_MOST_BEFORE)):
        for word in words:
            pos = before.rfind(word)
            if pos >= 0 and pos + len(word) >= len(before) - 12:
                found.append((pos + len(word), len(word), op, word))
    cut = _last_of(before, _CUT)
    if found:
        word_end, _, op, word = max(found)  # the word nearest the number, the longest there
        if not (cut is not None and cut[0] >= word_end):
            if op == ">=" and _last_of(before, _SUMMED) and not share:
                return Binding(op, "cumulative", word)
            return Binding(op, "threshold", word)
    if cut is not None:
        return Binding(">=", "reduction", cut[1])
    added = _last_of(before, _ADDED)
    if added is not None:
        return Binding(">=", "cumulative" if added[1] in _SUMMED and not share else "threshold", added[1])
    return Binding(">=", "threshold", "")


def _kind_for(before: str, share: bool) -> str:
    return "cumulative" if not share and _last_of(before, _SUMMED) else "threshold"


def _last_of(text: str, words) -> tuple[int, str] | None:
    best = None
    for word in words:
        pos = text.rfind(word)
        if pos >= 0 and (best is None or pos > best[0] or (pos == best[0] and len(word) > len(best[1]))):
            best = (pos, word)
    return best


def class_binding(text: str, start: int) -> tuple[str, str]:
    """The operator of a water-class target: 达到/优于/不劣于 … Ⅲ类 -> "<=" (a lower class number
    is cleaner water); 消除 … 劣Ⅴ类 -> "<=" 5 is the caller's. Returns (op, word)."""
    left, _ = clause_around(text, start, start + 1)
    before = text[left:start]
    if before.endswith("优于") and not before.endswith("或优于"):
        return "<", "优于"
    for word in ("达到或优于", "好于或达到", "不劣于", "不低于", "优于", "达到", "达", "满足", "符合", "执行", "保持"):
        if word in before[-10:]:
            return "<=", word
    return "<=", ""


def stable(text: str) -> str | None:
    m = _STABLE.search(text)
    return m.group() if m else None


def hedges(text: str) -> list[str]:
    """The hedge words of a clause, in the order of _HEDGES (never dropped: flagged for review)."""
    return [name for name, pattern in _HEDGES if pattern.search(text)]
