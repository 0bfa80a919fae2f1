"""What the ruleset loader says about a file it cannot use, in Chinese and English: each problem
is located (file, then rule and key where there is one) in both languages, and pydantic's
validation errors are said in Chinese by their type, its English text kept for the English side.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Said:
    """One located problem in both languages; the command's --lang picks one, or both (zh first)."""

    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.zh} / {self.en}"

    def in_lang(self, lang: str | None) -> str:
        return self.zh if lang == "zh" else self.en if lang == "en" else str(self)


class Bilingual(ValueError):
    """A model validator's refusal said in both languages; pydantic shows the English one."""

    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh = zh


def at(path: Path | str, zh: str, en: str, *, rule: str | None = None, key: str | None = None, indicator: str | None = None) -> Said:
    """A problem located in its file, and in it by rule (id, or #position) or indicator, and key."""
    where_zh = [f"规则 {rule}"] if rule else [f"指标 {indicator}"] if indicator else []
    where_en = [f"rule {rule}"] if rule else [f"indicator {indicator}"] if indicator else []
    if key is not None:
        where_zh.append(f"键 {key}")
        where_en.append(f"key {key}")
    return Said(
        f"{path}：{'，'.join(where_zh)}：{zh}" if where_zh else f"{path}：{zh}",
        f"{path}: {', '.join(where_en)}: {en}" if where_en else f"{path}: {en}",
    )


def _bound(name: str, ctx: dict) -> str:
    return str(ctx.get(name, "?"))


def _key(name: str, ctx: dict) -> str:
    return _bound(name, ctx).strip("'")


# pydantic's error types an author meets in a ruleset, said in Chinese; ctx holds the bound or the
# expected values pydantic names in its English text.
_ZH = {
    "missing": lambda ctx: "缺少此键（必填）",
    "extra_forbidden": lambda ctx: "不允许此键（拼写有误，或不属于此处）",
    "literal_error": lambda ctx: f"取值应为 {_bound('expected', ctx)} 之一",
    "enum": lambda ctx: f"取值应为 {_bound('expected', ctx)} 之一",
    "union_tag_invalid": lambda ctx: f"{_key('discriminator', ctx)} 为 '{_bound('tag', ctx)}'，应为 {_bound('expected_tags', ctx)} 之一",
    "union_tag_not_found": lambda ctx: f"缺少用于区分类型的键 {_key('discriminator', ctx)}",
    "greater_than": lambda ctx: f"应大于 {_bound('gt', ctx)}",
    "greater_than_equal": lambda ctx: f"应不小于 {_bound('ge', ctx)}",
    "less_than": lambda ctx: f"应小于 {_bound('lt', ctx)}",
    "less_than_equal": lambda ctx: f"应不大于 {_bound('le', ctx)}",
    "multiple_of": lambda ctx: f"应为 {_bound('multiple_of', ctx)} 的倍数",
    "finite_number": lambda ctx: "应为有限数值（不能是 inf 或 nan）",
    "string_type": lambda ctx: "应为文字（字符串）",
    "string_too_short": lambda ctx: f"文字过短，至少 {_bound('min_length', ctx)} 个字符",
    "string_too_long": lambda ctx: f"文字过长，至多 {_bound('max_length', ctx)} 个字符",
    "string_pattern_mismatch": lambda ctx: f"文字不符合格式 {_bound('pattern', ctx)}",
    "int_type": lambda ctx: "应为整数",
    "int_parsing": lambda ctx: "应为整数，无法将此文字读作整数",
    "int_from_float": lambda ctx: "应为整数，不能带小数",
    "float_type": lambda ctx: "应为数值",
    "float_parsing": lambda ctx: "应为数值，无法将此文字读作数值",
    "bool_type": lambda ctx: "应为 true 或 false",
    "bool_parsing": lambda ctx: "应为 true 或 false，无法读作是非值",
    "date_type": lambda ctx: "应为日期（如 2020-12-31）",
    "date_parsing": lambda ctx: "应为形如 2020-12-31 的日期",
    "date_from_datetime_parsing": lambda ctx: "应为形如 2020-12-31 的日期",
    "list_type": lambda ctx: "应为列表",
    "tuple_type": lambda ctx: "应为列表",
    "set_type": lambda ctx: "应为列表",
    "dict_type": lambda ctx: "应为映射（键: 值）",
    "model_type": lambda ctx: "应为映射（键: 值）",
    "model_attributes_type": lambda ctx: "应为映射（键: 值）",
    "too_short": lambda ctx: f"条目过少，至少 {_bound('min_length', ctx)} 项",
    "too_long": lambda ctx: f"条目过多，至多 {_bound('max_length', ctx)} 项",
}


def pydantic_zh(err: dict) -> str:
    """pydantic's error in Chinese, by its type; a type not listed keeps pydantic's English text."""
    ctx = err.get("ctx") or {}
    cause = ctx.get("error")
    if isinstance(cause, Bilingual):
        return cause.zh
    kind = err.get("type", "")
    if kind in _ZH:
        return _ZH[kind](ctx)
    if kind in ("value_error", "assertion_error"):
        return f"取值无效：{cause if cause is not None else err['msg']}"
    return err["msg"]


def validation_problems(path: Path, data: object, errors: list[dict], kinds) -> list[Said]:
    """pydantic's errors of one file, each located by file, rule (id, else #position) and key."""
    problems = []
    for err in errors:
        loc = list(err["loc"])
        rule = None
        if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
            index = loc[1]
            rules = data.get("rules") if isinstance(data, dict) else None
            if isinstance(rules, list) and index < len(rules) and isinstance(rules[index], dict):
                rule = rules[index].get("id")
            rule = str(rule or f"#{index + 1}")
            # The discriminated union adds the kind to the path; it is not a key.
            loc = [p for p in loc[2:] if p not in kinds]
        key = ".".join(str(p) for p in loc)
        problem = at(path, pydantic_zh(err), err["msg"], rule=rule, key=key or "(top level)")
        if not key:  # the English side said "(top level)" before; the Chinese says it in Chinese
            problem = Said(problem.zh.replace("键 (top level)", "顶层"), problem.en)
        problems.append(problem)
    return problems


# The parser's faults an author meets most, in Chinese; any other keeps libyaml's English.
_YAML_ZH = (
    ("mapping values are not allowed here", "此处不能写“键: 值”（常见原因：冒号后的值里又有冒号，或缩进有误）"),
    ("could not find expected ':'", "找不到应有的冒号“:”"),
    ("that cannot start any token", "有不能开始任何内容的字符（常为制表符：YAML 只用空格缩进）"),
    ("tab character", "有制表符（YAML 只用空格缩进）"),
    ("expected <block end>", "缩进或层次有误"),
    ("found duplicate anchor", "锚点重复"),
    ("found undefined alias", "引用了未定义的锚点"),
    ("found unexpected end of stream", "文件意外结束（引号或括号未闭合）"),
    ("but found '<stream end>'", "文件意外结束（引号或括号未闭合）"),
    ("while scanning a quoted scalar", "引号未闭合"),
    ("expected ',' or ']'", "方括号列表未闭合，或缺逗号"),
    ("expected ',' or '}'", "花括号映射未闭合，或缺逗号"),
)


def yaml_en(exc: Exception) -> str:
    """The parser's fault on one line: where (line, column), then what."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    said = " ".join(str(p) for p in (getattr(exc, "context", None), getattr(exc, "problem", None)) if p)
    if mark is None or not said:
        return " ".join(str(exc).split())
    return f"line {mark.line + 1}, column {mark.column + 1}: {said}"


def yaml_zh(exc: Exception) -> str:
    """A YAML or decoding fault in Chinese, located by line and column where the parser knows them."""
    if isinstance(exc, UnicodeDecodeError):
        return f"第 {exc.start + 1} 字节起不是 UTF-8 编码（请另存为 UTF-8）"
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列：" if mark is not None else ""
    said = " ".join(str(p) for p in (getattr(exc, "context", None), getattr(exc, "problem", None)) if p)
    for english, chinese in _YAML_ZH:
        if english in said:
            return where + chinese
    return where + (said or str(exc))


_ERRNO_ZH = {
    errno.ENOENT: "文件不存在",
    errno.EACCES: "没有读取权限",
    errno.EPERM: "不允许此操作",
    errno.EISDIR: "这是文件夹，不是文件",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.ELOOP: "符号链接循环",
    errno.ENAMETOOLONG: "文件名过长",
    errno.EIO: "读写出错（设备故障）",
}


def os_error_zh(exc: OSError) -> str:
    """The operating system's refusal in Chinese, by its errno; its own text where none is listed."""
    return _ERRNO_ZH.get(exc.errno, str(exc.strerror or exc))
