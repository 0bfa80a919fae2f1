"""Unit lists: "(市环保局牵头,市经信委、煤炭局配合,各县市区人民政府负责落实)" -> Units.

Whether a bracket is a unit list at all is decided by what its parts look like (a body's name
ends in 局, 委, 办, 政府, 中心, 街道 …), never by a list of known bodies, so that a plan no one
here has read parses as well as the seeds. A name that lacks the level prefix (市, 区, 县 …) the
list's earlier names carry gets it: "市工信委、城乡建设局" names 市城乡建设局.

Groups (unnamed bodies) are kept as written: "各镇街", "相关街道(镇)", and the "等区级部门" of
"X等区级部门" (the 等 kept, so the group reads as the plan wrote it and X stays a name); where
what follows 等 is a group of its own ("X等相关职能部门"), the group is 相关职能部门.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from checker.names import COLLECTIVE_START
from checker.plan.model import Units

# Endings of a body's name: where every part of a bracket ends in one, the bracket is a list.
_SUFFIXES = (
    "人民政府",
    "政府",
    "管委会",
    "委员会",
    "办公室",
    "指挥部",
    "领导小组",
    "小组",
    "公司",
    "集团",
    "中心",
    "街道",
    "街镇",
    "镇街",
    "部门",
    "单位",
    "机构",
    "企业",
    "银行",
    "法院",
    "检察院",
    "支队",
    "大队",
    "社区",
    "协会",
    "学校",
    "医院",
    "河长办",
    "局",
    "委",
    "办",
    "厅",
    "署",
    "部",
    "院",
    "所",
    "站",
    "队",
    "会",
    "处",
    "室",
    "科",
    "镇",
    "乡",
    "村",
    "区",
    "县",
    "市",
    "省",
    "旗",
    "盟",
    "场",
    "台",
    "社",
    "馆",
    "行",
    "团",
    "组",
)
# Level prefixes a shared prefix can be: learned from the list itself, longest first.
LEVELS = ("自治区", "自治州", "自治县", "行署", "地区", "省", "市", "区", "县", "州", "盟", "旗", "镇", "乡")
# Only a department's name takes a missing prefix: a company or a town's centre does not.
_DEPT_END = re.compile(r"(?<!办公)(局|委|办|厅)$")
_PLACE_INSIDE = re.compile(r"[省市区县镇乡旗州]|街道")
_GROUP_START = COLLECTIVE_START

_OPEN = "(（[［【〔"
_CLOSE = ")）]］】〕"
_PAIR = dict(zip(_OPEN, _CLOSE, strict=True))

# How a role is written after the names: "X牵头", "Y按职责分工负责", "Z分别配合".
_HOW = r"(?:为|作为)?(?:按(?:照)?(?:各自)?职责(?:分工)?|分别|共同|具体|积极|负责)?"
_ROLE_END = [
    ("lead", re.compile(_HOW + r"(?:牵头单位|牵头部门|牵头负责|牵头抓总|牵头)$")),
    ("cooperating", re.compile(_HOW + r"(?:配合单位|配合部门|参与|配合|协助|协办|协同)$")),
    (
        "responsible",
        re.compile(
            _HOW
            + r"(?:(?:各项|所有|全部)?(?:任务|工作)?的?(?:责任单位|责任部门|责任主体)|负责落实|负责实施|组织实施|抓好落实|负责|落实|实施|主办|主责)$"
        ),
    ),
]
_ROLE_LABEL = re.compile(
    r"^(?P<label>牵头单位|牵头部门|主办单位|主责单位|组长单位|责任单位|责任部门|实施单位|落实单位|配合单位|配合部门|协办单位|参与单位|协助单位|成员单位)\s*[:：]\s*"
)
_LABEL_ROLE = {
    "牵头": "lead",
    "主办": "lead",
    "主责": "lead",
    "组长": "lead",
    "配合": "cooperating",
    "协办": "cooperating",
    "成员": "cooperating",
    "参与": "cooperating",
    "协助": "cooperating",
}
_BLANKET = re.compile(r"以下|不再列出|不再一一列出|均为责任单位|均需|均由")
_BLANKET_TRIM = re.compile(
    r"^(?:以下(?:各项)?(?:任务)?(?:中)?[,，]?)?(?:均需|均由|均为|均要|都需|需)?|(?:均为责任单位|以下不再(?:一一)?列出|不再(?:一一)?列出|负责相关工作)$"
)
# A sentence of the plan's own that lays units on all that follows, outside any bracket.
BLANKET_SENTENCE = re.compile(r"不再(?:一一)?列出|均为责任单位")


@dataclass(frozen=True, slots=True)
class UnitList:
    """A parsed unit list: the units it names, and the units it lays on every later item."""

    units: Units
    blanket: Units = Units()
    # (name as expanded, name as written) for each name given the list's prefix, and the names
    # written with no prefix where none was there to take: a plan that writes "海事局" first
    # in one list means the same body when it writes "市环保局、海事局" in another.
    expanded: tuple[tuple[str, str], ...] = ()
    bare: tuple[str, ...] = ()

    def unexpand(self, bare: frozenset[str]) -> UnitList:
        """The list with the expansions of names the plan writes bare elsewhere undone."""
        undo = {full: raw for full, raw in self.expanded if raw in bare}
        if not undo:
            return self

        def fix(u: Units) -> Units:
            def f(xs: tuple[str, ...]) -> tuple[str, ...]:
                return tuple(dict.fromkeys(undo.get(x, x) for x in xs))

            return Units(f(u.lead), f(u.cooperating), f(u.responsible), u.groups)

        return UnitList(fix(self.units), fix(self.blanket), (), self.bare)


def split_top(text: str, seps: str) -> list[str]:
    """Split at any of `seps` outside brackets (a name's own "(镇)" stays whole)."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and ch in seps:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts]


def _bare(name: str) -> str:
    """The name without a trailing bracket of its own, for judging how it ends."""
    while name and name[-1] in _CLOSE:
        depth, i = 0, len(name) - 1
        while i >= 0:
            if name[i] in _CLOSE:
                depth += 1
            elif name[i] in _OPEN:
                depth -= 1
                if depth == 0:
                    break
            i -= 1
        if i <= 0:
            return name
        name = name[:i].rstrip()
    return name


# Common nouns that end like a place or a body without being one ("养殖场(小区)", "(试行)").
_NOUNS = re.compile(
    r"(?:园区|城区|小区|辖区|景区|库区|山区|湖区|矿区|片区|街区|社区|乡镇|城镇|试行|暂行|运行|现行|进行|全市|全区|全县|全省)$"
)


def looks_like_name(name: str) -> bool:
    bare = _bare(name)
    if len(bare) < 2 or len(bare) > 30 or re.search(r"[0-9０-９%％:：“”\"《》,，。]", bare):
        return False
    if _NOUNS.search(bare) and not _GROUP_START.match(bare):
        return False
    if len(bare) == 2 and not bare.startswith(LEVELS) and not _DEPT_END.search(bare):
        return False  # "市委", "农委" (a shared prefix dropped) are bodies; "小区", "试行" are not
    return bare.endswith(_SUFFIXES)


# Words that open on a level's character without being one ("市场监管局", "城乡建设局").
_WORDS = re.compile(r"城乡|乡镇|镇街|街镇|市场|市政(?!府)|区域|县域|社区|地区(?=性)")


def level_of(name: str) -> str:
    if _WORDS.match(name):
        return ""
    for p in LEVELS:
        if name.startswith(p) and len(name) > len(p) + 1:
            return p
    return ""


def _pieces(text: str) -> list[str] | None:
    """The names and groups of one role's part ("区水利局等区级部门及各街道"), or None
    where a part is not a body's name."""
    out: list[str] = []
    parts = split_top(text, "、，,/")
    # "各市、县人民政府": a shared ending written once; one group.
    for k in range(len(parts) - 2, -1, -1):
        if re.fullmatch(r"各[省市区县乡镇]{1,2}", parts[k]) and re.fullmatch(r"[省市区县乡镇]{1,2}(?:人民)?政府", parts[k + 1]):
            parts[k : k + 2] = [parts[k] + "、" + parts[k + 1]]
    for part in parts:
        if not part:
            continue
        # "X及各镇街", "X和相关部门": a group joined on is kept apart.
        sub = re.split(r"(?:以及|及|和|与)(?=各|相关|有关|其他|所在|属地)", part)
        for piece in sub:
            piece = piece.strip()
            if not piece:
                continue
            if len(piece) == 1 and piece in _SUFFIXES and out:
                out[-1] += "、" + piece  # "相关委、办、局": one group written with its endings
                continue
            m = re.match(r"^(.+?)(等.*)$", piece)
            if m and looks_like_name(m.group(1)):
                out.append(m.group(1))
                # "X等相关职能部门": the 等 closes the names; what follows is a group of its own
                rest = m.group(2)[1:]
                out.append(rest if _GROUP_START.match(rest) and len(rest) >= 3 else m.group(2))
                continue
            if not looks_like_name(piece) and not (_GROUP_START.match(piece) and len(piece) >= 2 and not re.search(r"[0-9%]", piece)):
                return None
            out.append(piece)
    return out


def _is_group(piece: str) -> bool:
    return piece.startswith("等") or bool(_GROUP_START.match(piece))


def _strip_stray(text: str) -> str:
    """Drop closing brackets that close nothing ("…不再列出)]" leaves one behind)."""
    text = text.strip()
    while text and text[-1] in _CLOSE and sum(text.count(c) for c in _CLOSE) > sum(text.count(c) for c in _OPEN):
        text = text[:-1].rstrip()
    return text


def _role_of(clause: str) -> tuple[str, str]:
    """(role, the clause without its role words); role "" where none is marked."""
    clause = clause.strip()
    m = _ROLE_LABEL.match(clause)
    if m:
        label = m.group("label")
        role = next((r for k, r in _LABEL_ROLE.items() if label.startswith(k)), "responsible")
        return role, clause[m.end() :]
    clause = re.sub(r"^(?:分别|均|统一)?(?:由|请|要求)", "", clause)
    for role, pat in _ROLE_END:
        m = pat.search(clause)
        if m and m.start() > 0:
            return role, clause[: m.start()].strip()
    return "", clause


def parse_units(text: str) -> UnitList | None:
    """The unit list `text` (a bracket's inside, or a table cell) names, or None where it is
    not a unit list."""
    text = text.strip()
    if not text or text.startswith(("含", "包括", "注", "如", "即", "简称", "见", "不含", "除")):
        return None
    roles: dict[str, list[str]] = {"lead": [], "cooperating": [], "responsible": [], "groups": []}
    blanket: dict[str, list[str]] = {"lead": [], "cooperating": [], "responsible": [], "groups": []}
    sentences = [s for s in split_top(text, "。；;") if s]
    found = False
    prefix = ""
    in_blanket = False
    expanded: list[tuple[str, str]] = []
    bare: list[str] = []
    for sentence in sentences:
        if _BLANKET.search(sentence):
            in_blanket = True
        for clause in split_top(sentence, ",，"):
            clause = _strip_stray(clause)
            if not clause:
                continue
            target = blanket if in_blanket else roles
            if in_blanket:
                clause = _BLANKET_TRIM.sub("", clause).strip()
                if not clause:
                    continue
            role, rest = _role_of(clause)
            pieces = _pieces(rest)
            if pieces is None:
                if in_blanket:
                    continue  # a blanket's condition ("区政府无相关职能的") names no one
                return None
            for piece in pieces:
                if _is_group(piece):
                    target["groups"].append(piece)
                    continue
                level = level_of(piece)
                if level:
                    prefix = level
                elif prefix and _DEPT_END.search(piece) and not _PLACE_INSIDE.search(_WORDS.sub("", piece)):
                    expanded.append((prefix + piece, piece))
                    piece = prefix + piece
                elif not prefix:
                    bare.append(piece)
                target[role or "responsible"].append(piece)
                found = True
    if not found and not roles["groups"] and not any(blanket.values()):
        return None
    return UnitList(_units(roles), _units(blanket), tuple(expanded), tuple(bare))


def _units(roles: dict[str, list[str]]) -> Units:
    def uniq(xs: list[str]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(xs))

    return Units(uniq(roles["lead"]), uniq(roles["cooperating"]), uniq(roles["responsible"]), uniq(roles["groups"]))


def merge(*units: Units) -> Units:
    """Several unit lists as one, in order, each name once per role."""

    def cat(attr: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(n for u in units for n in getattr(u, attr)))

    return Units(cat("lead"), cat("cooperating"), cat("responsible"), cat("groups"))


_FAMILY = {
    "(": "(",
    "（": "(",
    ")": "(",
    "）": "(",
    "[": "[",
    "［": "[",
    "]": "[",
    "］": "[",
    "【": "【",
    "】": "【",
    "〔": "〔",
    "〕": "〔",
}


def trailing_bracket(text: str) -> tuple[int, str] | None:
    """The bracket `text` ends with (trailing 。；, and spaces aside): (its start, its inside).
    Only brackets of the closing one's kind are counted: plans leave a stray ")" inside "[…]"."""
    end = len(text)
    while end and (text[end - 1].isspace() or text[end - 1] in "。；;，,.、"):
        end -= 1
    if not end or text[end - 1] not in _CLOSE:
        return None
    family = _FAMILY[text[end - 1]]
    depth, i = 0, end - 1
    while i >= 0:
        ch = text[i]
        if _FAMILY.get(ch) == family:
            if ch in _CLOSE:
                depth += 1
            else:
                depth -= 1
                if depth == 0:
                    return i, text[i + 1 : end - 1]
        i -= 1
    return None


def trailing_units(text: str) -> tuple[int, UnitList] | None:
    """The unit list a sentence ends with, and where it starts."""
    found = trailing_bracket(text)
    if found is None:
        return None
    start, inner = found
    parsed = parse_units(inner)
    return None if parsed is None else (start, parsed)


def labelled_units(text: str) -> UnitList | None:
    """A "牵头单位：…；责任单位：…" line (or one part of it)."""
    if not _ROLE_LABEL.match(text.strip()):
        return None
    return parse_units(text)
