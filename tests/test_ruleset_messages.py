"""The ruleset loader speaks the command's --lang: its own problems and pydantic's validation
errors, said in Chinese by their type, keep the file, the rule and the key in both languages."""

from __future__ import annotations

import shutil

import pytest
import yaml
from click.testing import CliRunner

from checker.cli import main
from checker.ruleset_problems import pydantic_zh
from conftest import ROOT

BASE = {"title": {"zh": "示例", "en": "example"}, "clause": "一", "quote": "示例", "category": "key_task", "lead_units": ["示例局"]}
SHARE = {"kind": "threshold", "indicator": "surface_water.good_section_share", "op": ">=", "targets": {2018: 60}}


def _folder(tmp_path, rules: list[dict], **plan_keys) -> str:
    folder = tmp_path / "rs"
    folder.mkdir()
    shutil.copy(ROOT / "rulesets" / "indicators.yaml", folder / "indicators.yaml")
    plan = {
        "id": "msg-2016",
        "jurisdiction": "jiamusi",
        "period": {"start": 2016, "end": 2020},
        "document": {"title": "示例方案"},
        "seed": "none.txt",
        "rules": [{**BASE, **rule} for rule in rules],
        **plan_keys,
    }
    (folder / "msg-2016.yaml").write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    return str(folder)


def _errors(folder: str, lang: str, command=("rulesets", "validate")) -> list[str]:
    args = [*command, folder] if command == ("rulesets", "validate") else [*command, "--rulesets", folder]
    result = CliRunner().invoke(main, [*args, "--lang", lang])
    assert result.exit_code == 2, result.output
    return result.output.splitlines()


# (what the rule gets, the key, the Chinese and the English said of it)
BROKEN = [
    ({"op": "=>"}, "op", "取值应为 ", "Input should be "),
    ({"colour": "red"}, "colour", "不允许此键（拼写有误，或不属于此处）", "Extra inputs are not permitted"),
    ({"weight": 0}, "weight", "应大于 0", "Input should be greater than 0"),
    ({"weight": 2000}, "weight", "应不大于 1000", "Input should be less than or equal to 1000"),
    ({"targets": {2018: "六十"}}, "targets.2018", "应为数值，无法将此文字读作数值", "Input should be a valid number"),
    ({"title": {"zh": 5, "en": "x"}}, "title.zh", "应为文字（字符串）", "Input should be a valid string"),
    ({"quote": None}, "quote", "应为文字（字符串）", "Input should be a valid string"),
    ({"lead_units": []}, "(top level)", "规则须有 lead_units 或 responsible_units", "Value error, a rule needs lead_units"),
]


@pytest.mark.parametrize("change, key, zh, en", BROKEN, ids=[b[1] + ":" + b[3][:20] for b in BROKEN])
def test_a_validation_error_is_said_in_the_commands_language_where_it_stands(tmp_path, change, key, zh, en):
    folder = _folder(tmp_path, [{**SHARE, "id": "msg-2016.share", **change}])
    plan = f"{folder}/msg-2016.yaml"
    zh_key = "顶层" if key == "(top level)" else f"键 {key}"
    [chinese] = [line for line in _errors(folder, "zh") if plan in line]
    assert chinese.startswith(f"规则集错误：{plan}：规则 msg-2016.share，{zh_key}：{zh}"), chinese
    [english] = [line for line in _errors(folder, "en") if plan in line]
    assert english.startswith(f"ruleset error: {plan}: rule msg-2016.share, key {key}: {en}"), english


def test_a_missing_key_is_named_in_both_languages(tmp_path):
    folder = _folder(tmp_path, [{**SHARE, "id": "msg-2016.share"}])
    plan = f"{folder}/msg-2016.yaml"
    data = yaml.safe_load((tmp_path / "rs" / "msg-2016.yaml").read_text(encoding="utf-8"))
    del data["rules"][0]["clause"]
    (tmp_path / "rs" / "msg-2016.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert f"规则集错误：{plan}：规则 msg-2016.share，键 clause：缺少此键（必填）" in _errors(folder, "zh")
    assert f"ruleset error: {plan}: rule msg-2016.share, key clause: Field required" in _errors(folder, "en")


def test_a_rule_without_an_id_is_named_by_its_position_and_a_plan_key_by_its_path(tmp_path):
    folder = _folder(tmp_path, [{**SHARE, "id": "msg-2016.a"}, {**SHARE, "kind": "nonsense"}], period={"start": 2020, "end": 2016})
    plan = f"{folder}/msg-2016.yaml"
    chinese, english = _errors(folder, "zh"), _errors(folder, "en")
    assert f"规则集错误：{plan}：键 period：规划期的结束年早于开始年" in chinese
    assert f"ruleset error: {plan}: key period: Value error, period end is before its start" in english
    assert any(line.startswith(f"规则集错误：{plan}：规则 #2，顶层：kind 为 'nonsense'，应为 ") for line in chinese), chinese
    assert any(line.startswith(f"ruleset error: {plan}: rule #2, key (top level): Input tag 'nonsense'") for line in english), english


@pytest.mark.parametrize("command", [("check",), ("rules", "show")])
def test_check_and_rules_show_say_the_loaders_problems_in_their_language(tmp_path, command):
    folder = _folder(tmp_path, [{**SHARE, "id": "msg-2016.share", "weight": -1}])
    args = ("x.csv",) if command == ("check",) else ("msg-2016.share",)
    for lang, said in (
        ("zh", "规则集错误：{}：规则 msg-2016.share，键 weight：应大于 0"),
        ("en", "ruleset error: {}: rule msg-2016.share, key weight: "),
    ):
        result = CliRunner().invoke(main, [*command, *args, "--rulesets", folder, "--lang", lang])
        assert result.exit_code == 2
        assert said.format(f"{folder}/msg-2016.yaml") in result.output, result.output
        assert ("ruleset error" in result.output) == (lang == "en")


def test_a_command_without_lang_says_both_chinese_first(tmp_path):
    folder = _folder(tmp_path, [{**SHARE, "id": "msg-2016.share", "weight": -1}])
    result = CliRunner().invoke(main, ["rulesets", "list", "--rulesets", folder])
    assert result.exit_code == 2
    lines = result.output.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("规则集错误："))
    assert lines[first + 1].startswith("ruleset error: ") and "weight" in lines[first + 1]


def test_an_error_type_not_translated_keeps_pydantics_english():
    err = {"type": "uuid_parsing", "loc": ("x",), "msg": "Input should be a valid UUID", "input": "q"}
    assert pydantic_zh(err) == "Input should be a valid UUID"
    plain = {"type": "value_error", "loc": ("x",), "msg": "Value error, odd", "ctx": {"error": ValueError("odd")}}
    assert pydantic_zh(plain) == "取值无效：odd"


def test_the_loaders_own_problems_are_said_in_both_languages(tmp_path):
    folder = _folder(tmp_path, [{**SHARE, "id": "msg-2016.share", "unit": "吨"}], jurisdiction="nowhere")
    plan = f"{folder}/msg-2016.yaml"
    chinese, english = _errors(folder, "zh"), _errors(folder, "en")
    assert any(line.startswith(f"规则集错误：{plan}：键 jurisdiction：未知地区 'nowhere'") for line in chinese)
    assert any(line.startswith(f"ruleset error: {plan}: key jurisdiction: unknown jurisdiction 'nowhere'") for line in english)
    assert any("规则 msg-2016.share，键 unit：“吨”不是指标目录中的单位" in line for line in chinese)
    assert any("rule msg-2016.share, key unit: '吨' is not the catalog unit" in line for line in english)
    (tmp_path / "rs" / "indicators.yaml").unlink()
    assert _errors(folder, "zh") == [f"规则集错误：{folder}/indicators.yaml：缺少指标目录"]
    assert _errors(folder, "en") == [f"ruleset error: {folder}/indicators.yaml: the indicator catalog is missing"]


def test_one_files_proposed_indicators_are_located_in_both_languages(tmp_path):
    _folder(tmp_path, [{**SHARE, "id": "msg-2016.share"}])
    plan = tmp_path / "rs" / "msg-2016.yaml"
    proposed = tmp_path / "rs" / "msg-2016.indicators.yaml"
    indicator = {"code": "msg.i001", "name_zh": "示例", "name_en": "example", "kind": "nonsense"}
    proposed.write_text(yaml.safe_dump({"indicators": [indicator]}, allow_unicode=True), encoding="utf-8")
    chinese = CliRunner().invoke(main, ["rulesets", "validate", str(plan)])
    english = CliRunner().invoke(main, ["rulesets", "validate", str(plan), "--lang", "en"])
    assert chinese.exit_code == english.exit_code == 2
    assert f"{proposed}：键 indicators.0.kind：取值应为 " in chinese.output and "1 处问题" in chinese.output
    assert f"{proposed}: key indicators.0.kind: Input should be " in english.output and "1 problem(s)" in english.output


def test_a_cwqi_method_naming_no_class_of_the_standard_is_refused_in_both_languages(tmp_path):
    folder = tmp_path / "rulesets"
    shutil.copytree(ROOT / "rulesets", folder)
    method = folder / "standards" / "cwqi-2017.yaml"
    text = method.read_text(encoding="utf-8")
    assert "\nlimit_class:" in text
    method.write_text(
        "\n".join("limit_class: VII" if line.startswith("limit_class:") else line for line in text.splitlines()), encoding="utf-8"
    )
    zh = _errors(str(folder), "zh")
    en = _errors(str(folder), "en")
    assert any("cwqi-2017.yaml" in e and "键 limit_class" in e and "不是" in e and "类别" in e for e in zh), zh
    assert any("cwqi-2017.yaml" in e and "key limit_class" in e and "is no class" in e for e in en), en


def test_a_plan_that_is_not_yaml_is_located_by_line_and_column_in_both_languages(tmp_path):
    folder = _folder(tmp_path, [{**SHARE, "id": "msg-2016.share"}])
    plan = tmp_path / "rs" / "msg-2016.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + "\tbroken: [\n", encoding="utf-8")
    zh = _errors(folder, "zh")
    en = _errors(folder, "en")
    assert any("msg-2016.yaml" in e and "不是可读的 UTF-8 YAML 文件：第 " in e and "行第" in e for e in zh), zh
    assert any("msg-2016.yaml" in e and "not readable YAML" in e and "line" in e for e in en), en


def test_what_the_yaml_parser_and_the_system_say_in_chinese():
    import errno

    from checker.ruleset_problems import os_error_zh, yaml_zh

    for text, zh in [("a: b: c\n", "第 1 行第 5 列：此处不能写“键: 值”"), ("a:\n\t- b\n", "制表符"), ("a: 'b\n", "文件意外结束")]:
        with pytest.raises(yaml.YAMLError) as caught:
            yaml.safe_load(text)
        assert zh in yaml_zh(caught.value), (text, yaml_zh(caught.value))
    assert "UTF-8" in yaml_zh(UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"))
    assert os_error_zh(FileNotFoundError(errno.ENOENT, "No such file or directory")) == "文件不存在"
    assert os_error_zh(PermissionError(errno.EACCES, "Permission denied")) == "没有读取权限"
