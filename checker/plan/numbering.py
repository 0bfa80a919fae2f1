"""Word's automatic list numbering (w:numPr): the markers Word draws but the text does not hold.

A .docx plan often numbers its headings with Word's list numbering: the paragraph's text is
"总体要求" and Word shows "一、总体要求". The marker is rebuilt here from the numbering part
(the level's number format, its text such as "%1、" or "（%1）", and its start), counting as Word
counts: per list, a level's counter goes on through the document and the levels below it start
again when it advances. A paragraph takes its numbering from itself, else from its style.
Bullets and formats with no plain reading give no marker, so the text is read as it stands.
"""

from __future__ import annotations

import re

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _chinese(n: int) -> str | None:
    """1..99 as plans write them: 三, 十二, 二十一."""
    digits = "零一二三四五六七八九"
    if not 1 <= n <= 99:
        return None
    tens, ones = divmod(n, 10)
    if not tens:
        return digits[ones]
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def _attr(element, path: str) -> str | None:
    found = element.find(path) if element is not None else None
    return found.get(f"{_W}val") if found is not None else None


def _format(value: int, fmt: str) -> str | None:
    if fmt in ("decimal", "decimalZero", "decimalHalfWidth", "decimalFullWidth"):
        return str(value)
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographTraditional", "japaneseCounting"):
        return _chinese(value)
    if fmt.startswith("decimalEnclosedCircle") and 1 <= value <= len(_CIRCLED):
        return _CIRCLED[value - 1]
    if fmt == "lowerLetter" and 1 <= value <= 26:
        return chr(ord("a") + value - 1)
    if fmt == "upperLetter" and 1 <= value <= 26:
        return chr(ord("A") + value - 1)
    return None


class Numbering:
    """The numbering of one document, counted paragraph by paragraph in document order."""

    def __init__(self, document) -> None:
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # numId -> ilvl -> (start, fmt, text)
        self.lists: dict[str, str] = {}  # numId -> the abstract list it counts in
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return  # a document with no numbering part
        abstract: dict[str, dict[int, tuple[int, str, str]]] = {}
        for node in root.iter(f"{_W}abstractNum"):
            levels = {}
            for lvl in node.iter(f"{_W}lvl"):
                start = _attr(lvl, f"{_W}start") or "1"
                levels[int(lvl.get(f"{_W}ilvl", "0"))] = (
                    int(start) if start.isdigit() else 1,
                    _attr(lvl, f"{_W}numFmt") or "decimal",
                    _attr(lvl, f"{_W}lvlText") or "",
                )
            abstract[node.get(f"{_W}abstractNumId")] = levels
        for num in root.iter(f"{_W}num"):
            ref = _attr(num, f"{_W}abstractNumId")
            if ref in abstract:
                self.levels[num.get(f"{_W}numId")] = abstract[ref]
                self.lists[num.get(f"{_W}numId")] = ref

    def marker(self, paragraph) -> str:
        """The marker Word shows before the paragraph ("一、", "（二）", "3."), or ""."""
        num_id, level = _num_pr(paragraph)
        if num_id is None or num_id not in self.levels:
            return ""
        levels = self.levels[num_id]
        if level not in levels:
            return ""
        counters = self.counters.setdefault(self.lists[num_id], {})
        counters[level] = counters.get(level, levels[level][0] - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        start, fmt, text = levels[level]
        if fmt in ("bullet", "none") or not text:
            return ""
        out = text
        for ref in sorted({int(m) for m in re.findall(r"%(\d)", text)}, reverse=True):
            k = ref - 1
            value = counters.get(k, levels.get(k, (1, "", ""))[0])
            shown = _format(value, levels.get(k, (1, fmt, ""))[1])
            if shown is None:
                return ""
            out = out.replace(f"%{ref}", shown)
        return out


def _num_pr(paragraph) -> tuple[str | None, int]:
    """(numId, level) from the paragraph's own properties, else from its style's (and the
    styles it is based on); numId 0 switches numbering off."""
    sources = [paragraph._p.pPr]
    style = paragraph.style
    while style is not None:
        sources.append(style.element.pPr)
        style = style.base_style
    num_id, level = None, None
    for ppr in sources:
        node = ppr.find(f"{_W}numPr") if ppr is not None else None
        if node is None:
            continue
        num_id = num_id if num_id is not None else _attr(node, f"{_W}numId")
        raw = _attr(node, f"{_W}ilvl")
        level = level if level is not None else (int(raw) if raw and raw.isdigit() else None)
    if num_id in (None, "0"):
        return None, 0
    return num_id, level or 0
