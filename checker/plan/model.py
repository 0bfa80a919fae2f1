"""What the plan reader hands on: a plan as clauses and sentences, each with the units that
answer for it. The text side (loading, structure, units) fills these; the target side reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Units:
    """The units a sentence binds, told apart as the plan tells them apart.

    `lead` 牵头, `cooperating` 配合, `responsible` 负责/责任 (where the plan marks no roles, the
    listed units are `responsible`, in the plan's order). Names are written out in full (a
    shared prefix expanded). `groups` are the unnamed bodies kept apart from the names
    ("各镇街", "相关部门", the "等区级部门" of "X等区级部门"), as written.
    """

    lead: tuple[str, ...] = ()
    cooperating: tuple[str, ...] = ()
    responsible: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()

    @property
    def all(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for name in (*self.lead, *self.cooperating, *self.responsible, *self.groups):
            seen.setdefault(name, None)
        return tuple(seen)

    def __bool__(self) -> bool:
        return bool(self.lead or self.cooperating or self.responsible or self.groups)


@dataclass(frozen=True, slots=True)
class Heading:
    """One heading: its level marker as written (一、 (一) 1. (1) ① 第X条 附件), its clause path
    (e.g. 二(三)2) and its title text."""

    marker: str
    path: str
    title: str
    offset: int


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of the plan (or one row of an annex table).

    `text` is verbatim from the plan as read (simplified script: a traditional-script plan is
    converted first; `original` keeps what the file held). `clause` is the path of the innermost
    clause holding it (二(三)2(1), or 附件1 第3项 for a table row), `heading` that clause's title.
    `units` are the units answering for it: its own, its item's trailing list, or a blanket
    sentence's. `row` holds a table row's (column header, cell) pairs.
    """

    text: str
    clause: str
    heading: str
    units: Units
    offset: int
    original: str = ""
    row: tuple[tuple[str, str], ...] | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    """A plan as read: its title, its headings and its sentences in text order."""

    source: str
    title: str
    headings: tuple[Heading, ...] = ()
    sentences: tuple[Sentence, ...] = field(default=())
