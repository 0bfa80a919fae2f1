"""Aims that name no unit take the units of the task item that delivers them.

A plan's (or an annex's) list of aims under a 目标/指标 heading rarely names who answers for
each; the task items further on do, and one of them delivers the aim: "建成12公里生态廊道" is
the work of the item headed "打造沿河生态廊道". The aim takes that item's units when one item
of the same part of the plan (the body, or the same annex) is plainly the one: its heading shares
a term of three characters or more with the aim, and no other item's scores as high. An aim on the
size of the river network itself (河道数量, 水面积 …) is delivered by the item on the river system
(水系) whose works open or widen rivers. Where no item stands out, the aim keeps no unit, and the
reviewer is told either way.
"""

from __future__ import annotations

import dataclasses
import re
from difflib import SequenceMatcher

from checker.plan.model import Plan, Sentence
from checker.plan.numbers import fold
from checker.plan.targets import Found

_AIMS = re.compile(r"目标|指标")
# What the size of the river network is made by: the river-system item's works.
_NETWORK = re.compile(r"河道数量|河湖数量|水面积|水面率|河网|河道长度|河湖连通")
_NETWORK_HEADING = "水系"
_NETWORK_WORKS = re.compile(r"新开|开挖|拓宽|拓浚|连通|水系调整|改线")


def _part(clause: str) -> str:
    """The body ("") or the annex ("附件", "附件2") a clause path belongs to."""
    head = clause.split(" ", 1)[0]
    return head if head.startswith("附件") else ""


def _shared(a: str, b: str) -> int:
    """Characters of `a` found in `b` in runs of two or more, or 0 where no run reaches three."""
    blocks = [m.size for m in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks() if m.size >= 2]
    return sum(blocks) if blocks and max(blocks) >= 3 else 0


def _items(plan: Plan) -> dict[str, tuple[str, str, Sentence]]:
    """Task items with their units: clause -> (heading, text, a sentence that holds the units)."""
    out: dict[str, tuple[str, str, Sentence]] = {}
    for s in plan.sentences:
        if not s.units or s.row or _AIMS.search(s.heading or ""):
            continue
        heading, text, first = out.get(s.clause, (fold(s.heading or ""), "", s))
        out[s.clause] = (heading, text + fold(s.text), first)
    return out


def _score(aim: str, sentence: str, heading: str, text: str) -> int:
    """How plainly an item delivers the aim: the aim's own words in its heading; the river
    network's size (read on the aim's whole sentence: "河道数量增至40条,长度增加3.5公里")."""
    score = _shared(aim, heading)
    if _NETWORK.search(sentence) and _NETWORK_HEADING in heading and _NETWORK_WORKS.search(text):
        score += 3 + len(set(_NETWORK_WORKS.findall(text)))
    return score


def borrow_units(plan: Plan, items: list[Found]) -> list[Found]:
    """`items` with each unit-less aim under a 目标/指标 heading given the units of the one task
    item of its part that delivers it (`units_from` names that item's clause)."""
    tasks = _items(plan)
    by_offset = sorted(plan.sentences, key=lambda s: s.offset)
    out = []
    for item in items:
        if item.units or not _AIMS.search(item.heading or "") or item.kind == "duty":
            out.append(item)
            continue
        sentence = next((s for s in reversed(by_offset) if s.offset <= item.offset), None)
        whole = fold(sentence.text if sentence is not None else item.quote)
        scored = sorted(
            (
                (_score(fold(item.quote), whole, heading, text), clause)
                for clause, (heading, text, _s) in tasks.items()
                if _part(clause) == _part(item.clause)
            ),
            reverse=True,
        )
        best = scored[0] if scored else (0, "")
        if best[0] == 0 or (len(scored) > 1 and scored[1][0] == best[0]):
            out.append(item)
            continue
        source = tasks[best[1]][2]
        out.append(dataclasses.replace(item, units=source.units, units_from=f"{source.clause} {source.heading}".strip()))
    return out
