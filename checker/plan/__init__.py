"""The plan reader: a plan's text (.txt, .docx with Word's list numbering, .html) -> its clauses,
sentences and units (checker.plan.structure, checker.plan.units) -> the targets and duties it sets
(checker.plan.targets, by the words of checker.plan.wording; aims naming no unit borrow those of
the item that delivers them, checker.plan.borrow) -> a draft ruleset to review (checker.plan.draft).

The reader holds nothing particular to one plan: it is measured on plans no one here has read.
"""

from __future__ import annotations

from pathlib import Path

from checker.plan.load import read_blocks, text_blocks
from checker.plan.model import Heading, Plan, Sentence, Units
from checker.plan.structure import read_blocks as _structure

__all__ = ["Heading", "Plan", "Sentence", "Units", "read_plan", "read_text"]


def read_plan(path: Path) -> Plan:
    """A plan's file (.txt, .docx, .html/.htm) as clauses, sentences and units."""
    path = Path(path)
    return _structure(read_blocks(path), str(path))


def read_text(text: str, source: str = "") -> Plan:
    """A plan's text as clauses, sentences and units."""
    return _structure(text_blocks(text), source)
