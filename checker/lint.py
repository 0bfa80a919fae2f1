"""What `checker rulesets validate` flags beyond the models: readings a ruleset can hold that
an officer would dispute (issue 14).

- One body under two names: two unit names of one ruleset that differ only by a prefix
  ("经信委" and "市经信委") are one body written twice, so the lead-unit view splits it.
- A category that contradicts the kind: a dated task filed as water quality, a rule on a
  section class or a vetoing share filed as a key task, or an attestation of a process (整改,
  建设, 管理 …) filed as water quality. Water quality is the state of the water; the work that
  brings it about is a key task, and the grade is set by the former alone.
"""

from __future__ import annotations

from itertools import combinations

from checker.rules import NUMERIC_KINDS
from checker.ruleset_problems import Said, at

# Words that say an attestation declares the state of the water, not a piece of work.
_STATE_WORDS = ("水质", "水环境质量", "类", "优良", "达标", "稳定", "消除", "不退化", "不下降")
_MAX_PREFIX = 4  # 市, 区, 县, 省, 行署, 自治州 …: a level written before a body's name


def unit_names(ruleset) -> list[str]:
    names: dict[str, None] = {}
    for rule in ruleset.rules:
        for name in (*rule.lead_units, *rule.cooperating_units, *rule.responsible_units):
            names.setdefault(name, None)
    return list(names)


def same_body_twice(ruleset) -> list[tuple[str, str]]:
    """Pairs (short, long) of unit names where `long` is `short` with a prefix written before it."""
    pairs = []
    for a, b in combinations(sorted(unit_names(ruleset)), 2):
        short, long = (a, b) if len(a) < len(b) else (b, a)
        if len(short) >= 2 and long.endswith(short) and len(long) - len(short) <= _MAX_PREFIX:
            pairs.append((short, long))
    return sorted(pairs)


def category_contradictions(ruleset, indicators: dict, vetoing: set[str]) -> list[tuple[str, str, str]]:
    """(rule id, zh, en) for each rule whose category contradicts what it checks."""
    out = []
    for rule in ruleset.rules:
        if rule.kind == "task" and rule.category == "water_quality":
            out.append((rule.id, "限期任务是重点工作，不是水质目标", "a dated task is a key task, not a water-quality target"))
        elif rule.kind in NUMERIC_KINDS and rule.category == "key_task":
            ind = indicators.get(rule.indicator)
            if rule.indicator in vetoing or (ind is not None and ind.kind == "class"):
                out.append((rule.id, "该指标是水质指标，不应计入重点工作", "the indicator is a water-quality one, not a key task"))
        elif rule.kind == "attestation" and rule.category == "water_quality":
            said = rule.subject + rule.title.zh
            if not any(word in said for word in _STATE_WORDS):
                out.append(
                    (
                        rule.id,
                        "承诺事项是一项工作而非水质状况，应计入重点工作",
                        "the attestation is a piece of work, not the state of the water: a key task",
                    )
                )
    return out


def lint(book) -> list[Said]:
    """Every flag of every ruleset in `book`, located by file and rule, in Chinese and English."""
    vetoing = set(book.grading.veto.indicators) if book.grading else set()
    problems = []
    for lr in book.rulesets:
        for short, long in same_body_twice(lr.ruleset):
            problems.append(
                at(
                    lr.path,
                    f"单位“{short}”与“{long}”只差前缀，应为同一单位，请统一写法",
                    f"unit names {short!r} and {long!r} differ only by a prefix: one body, write it one way",
                )
            )
        for rule_id, zh, en in category_contradictions(lr.ruleset, book.indicators, vetoing):
            problems.append(at(lr.path, f"类别与规则类型不符，{zh}", f"category contradicts the kind: {en}", rule=rule_id))
    return problems
