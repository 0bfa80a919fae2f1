"""The officer's and the clerk's view (issue 17): Chinese first in every message, ≥ and ≤ where
people read, templates that ask for every row the year's rules read and that print, history
worth reading, a rule author's way in, and a README quick start that runs as written."""

import json
import re
import shutil
import unicodedata
import zipfile
from pathlib import Path

import click
import openpyxl
import pytest
from click.testing import CliRunner

from checker.cli import main
from checker.observations import resolve_indicator
from checker.rulesets import load_rulebook

ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u4e00-\u9fff]")


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def book():
    return load_rulebook(ROOT / "rulesets")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """A store holding one run of the bundled inputs."""
    db = tmp_path_factory.mktemp("store") / "findings.db"
    assert invoke("check", ROOT / "inputs", "--db", db, "--format", "json", "--quiet").exit_code == 1
    return db


def _rule_of_kind(book, kind):
    return next((lr, r) for lr in book.rulesets for r in lr.ruleset.rules if r.kind == kind)


# ---------------------------------------------------------------- 1. Chinese first


def test_an_unknown_jurisdiction_is_said_in_chinese_with_a_guess(tmp_path):
    made = invoke("template", "jiamsi", 2018, "-o", tmp_path / "t.xlsx")  # template has no --lang: both
    assert made.exit_code == 2 and not (tmp_path / "t.xlsx").exists()
    assert "未知地区“jiamsi”；是否为“黑龙江省佳木斯市”（jiamusi）？" in made.output
    assert "did you mean jiamusi" in made.output
    for lang, said, unsaid in (("zh", "未知地区", "unknown"), ("en", "unknown jurisdiction", "未知地区")):
        shown = invoke("history", "jiamsi", "--db", tmp_path / "none.db", "--lang", lang)
        assert shown.exit_code == 2 and said in shown.output and unsaid not in shown.output


def test_a_year_no_plan_covers_names_the_years_the_plans_cover(tmp_path, book):
    covered = sorted({y for lr in book.by_jurisdiction["jiamusi"] for y in range(lr.period.start, lr.period.end + 1)})
    year = covered[-1] + 1
    made = invoke("template", "佳木斯", year, "-o", tmp_path / "t.xlsx")
    assert made.exit_code == 2
    assert f"没有覆盖黑龙江省佳木斯市 {year} 年度的规划；黑龙江省佳木斯市的规划覆盖 {covered[0]}" in made.output
    assert f"no plan covers 黑龙江省佳木斯市 (jiamusi) in {year}; its plans cover {covered[0]}" in made.output
    sheet = tmp_path / "s.csv"
    sheet.write_text(f"地区,年度,指标,数值\n佳木斯市,{year},地表水水质优良比例,60\n", encoding="utf-8")
    for lang, said in (("zh", "的规划覆盖"), ("en", "its plans cover")):
        checked = invoke("check", sheet, "--lang", lang)
        assert checked.exit_code == 2 and said in checked.output


def test_the_checks_own_messages_follow_lang(tmp_path, monkeypatch):
    sheet = ROOT / "inputs" / "jiamusi" / "2018.csv"
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    nowhere = tmp_path / "a-file" / "r.txt"  # a folder that is a file: cannot be written
    for lang, said in (("zh", "无法写入报告"), ("en", "cannot write the report")):
        result = invoke("check", sheet, "--output", nowhere, "--lang", lang)
        assert result.exit_code == 2 and said in result.output
    db = tmp_path / "s.db"
    recorded = invoke("check", sheet, "--db", db, "--quiet")
    assert "已记录为结果库" in recorded.stderr and "第 1 次运行" in recorded.stderr and "recorded as" not in recorded.stderr
    again = invoke("check", sheet, "--db", db, "--quiet", "--lang", "en")
    assert "already recorded as run 1" in again.stderr
    written = invoke("check", sheet, "--output", f"{tmp_path / 'out'}/")
    assert "报告已写入" in written.stderr
    import checker.run

    monkeypatch.setattr(checker.run, "check_inputs", lambda *a, **k: 1 / 0)
    broken = invoke("check", sheet)
    assert broken.exit_code == 2 and "内部错误：ZeroDivisionError" in broken.output and "--debug" in broken.output


def test_a_diff_of_one_run_says_so_in_either_language(store):
    for lang, said in (("zh", "比较需要两次"), ("en", "a diff needs two")):
        result = invoke("diff", "jiamusi", "--db", store, "--lang", lang)
        assert result.exit_code == 2 and said in result.output


def test_a_hidden_file_is_noted_in_both_languages(tmp_path):
    shutil.copy(ROOT / "inputs" / "jiamusi" / "2018.csv", tmp_path)
    (tmp_path / ".DS_Store").write_bytes(b"\0\0")
    report = json.loads(invoke("check", tmp_path, "--format", "json").stdout)
    (note,) = [i["note"] for i in report["inputs"] if i["file"].endswith(".DS_Store")]
    assert "隐藏文件" in note and "hidden" in note


def _commands(group: click.Group, prefix=()):
    for name, command in sorted(group.commands.items()):
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


@pytest.mark.parametrize("path, command", list(_commands(main)), ids=lambda v: " ".join(v) if isinstance(v, tuple) else "")
def test_help_gives_each_commands_purpose_in_chinese_and_english(path, command):
    first = (command.help or "").strip().splitlines()[0]
    zh, _, en = first.partition(" / ")
    assert CJK.search(zh) and en and not CJK.search(en), first
    shown = invoke(*path, "--help")
    assert shown.exit_code == 0 and zh in shown.output


def test_an_unknown_rule_gets_a_guess():
    result = invoke("rules", "show", "jiamusi-2018.water-quality.good-section-shar")
    assert result.exit_code == 2 and "没有规则" in result.output and "是否为 jiamusi-2018.water-quality.good-section-share" in result.output


# ---------------------------------------------------------------- 2. ≥ and ≤


def test_reports_people_read_write_ge_and_le_and_json_keeps_ascii(tmp_path):
    out = tmp_path / "out"
    assert invoke("check", ROOT / "inputs" / "jiamusi", "--output", f"{out}/", "--quiet").exit_code == 1
    for name in ("findings.txt", "findings.html", "findings.md"):
        text = (out / name).read_text(encoding="utf-8")
        assert "≥" in text and "≤" in text and not re.search(r"(?<![<>=])[<>]= ?\d", text), name
    md = (out / "findings.md").read_text(encoding="utf-8")
    assert "&gt;" not in md and "&lt;" not in md
    document = zipfile.ZipFile(out / "findings.docx").read("word/document.xml").decode("utf-8")
    assert "≥" in document and "&gt;=" not in document
    cells = [str(c) for ws in openpyxl.load_workbook(out / "findings.xlsx") for row in ws.iter_rows(values_only=True) for c in row]
    assert "≥" in cells and ">=" not in cells and not any(re.search(r"[<>]= \d", c) for c in cells)
    report = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    ops = {f["target"].get("op") for s in report["submissions"] for f in s["findings"]}
    assert ">=" in ops and "<=" in ops and not ops & {"≥", "≤"}  # the contract's operators


def test_english_reports_say_declarations_in_english(tmp_path):
    text = invoke("check", ROOT / "inputs", "--lang", "en", "--quiet").stdout
    assert " yes " in text and not re.search(r"\s[是否]\s", text)


def test_markdown_escapes_only_what_would_make_html():
    from checker.reports.md_report import cell

    assert cell("实际 < 目标, a > b") == "实际 < 目标, a > b"
    assert cell("<script>x</script>") == "&lt;script>x&lt;/script>"
    assert cell("<https://x.example>").startswith("&lt;https")
    assert cell("> quoted") == "\\> quoted"


# ---------------------------------------------------------------- 3. templates


def _template(tmp_path, jurisdiction, year):
    path = tmp_path / f"{jurisdiction}-{year}.xlsx"
    made = invoke("template", jurisdiction, year, "-o", path)
    assert made.exit_code == 0, made.output
    ws = openpyxl.load_workbook(path)["指标"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True) if r[0] is not None]
    return ws, header, rows


def test_a_template_asks_every_years_amount_of_a_cumulative_target(tmp_path, book):
    lr, rule = _rule_of_kind(book, "cumulative")
    name = book.indicators[rule.indicator].name_zh
    first_milestone = min(rule.targets)
    _, _, before = _template(tmp_path, lr.jurisdiction, first_milestone - 1)  # not due yet, but counted later
    assert [(r["年度"], r["指标"]) for r in before if rule.id in r["规则（只读）"]] == [(first_milestone - 1, name)]
    _, _, due = _template(tmp_path, lr.jurisdiction, first_milestone)
    years = sorted(r["年度"] for r in due if r["指标"] == name and rule.id in r["规则（只读）"])
    assert years == list(range(rule.from_year, first_milestone + 1))
    if rule.total_indicator:
        assert any(r["指标"] == book.indicators[rule.total_indicator].name_zh for r in due)


def test_a_filled_template_of_yearly_amounts_with_the_total_left_blank_is_summed(tmp_path, book):
    lr, rule = _rule_of_kind(book, "cumulative")
    year = min(rule.targets)
    path = tmp_path / "t.xlsx"
    invoke("template", lr.jurisdiction, year, "-o", path)
    wb = openpyxl.load_workbook(path)
    ws = wb["指标"]
    header = [c.value for c in ws[1]]
    per_year = rule.targets[year] / (year - rule.from_year + 1) + 1
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, header.index("指标") + 1).value == book.indicators[rule.indicator].name_zh:
            ws.cell(r, header.index("数值") + 1, per_year)
    wb.save(path)
    report = json.loads(invoke("check", path, "--format", "json").stdout)
    (finding,) = [f for s in report["submissions"] if s["year"] == year for f in s["findings"] if f["rule_id"] == rule.id]
    assert finding["status"] == "pass", finding["message"]


def test_a_template_asks_last_years_value_of_a_stable_target_and_carried_tasks(tmp_path, book):
    lr, rule = _rule_of_kind(book, "stable")
    _, _, rows = _template(tmp_path, lr.jurisdiction, rule.from_year)
    years = {r["年度"] for r in rows if rule.id in r["规则（只读）"]}
    assert years == {rule.from_year, rule.from_year - 1}
    lr, task = next(
        (lr, r) for lr in book.rulesets for r in lr.ruleset.rules if r.kind == "task" and r.deadline and r.deadline.year < lr.period.end
    )
    _, _, later = _template(tmp_path, lr.jurisdiction, task.deadline.year + 1)
    assert any(task.id in r["规则（只读）"] and r["对象"] == task.subject for r in later)


def test_an_alias_without_cumulative_means_the_years_amount(book):
    # The plan's 排水 (storm and foul) pipes, the year's km: what Daxinganling's 204 km total sums.
    assert resolve_indicator("新、改建排水管网", book).code == "drainage.new_pipe_length"
    for code, ind in book.indicators.items():
        yearly = book.indicators.get(code.removesuffix("_cumulative")) if code.endswith("_cumulative") else None
        if yearly is not None:  # a total beside a yearly amount: only a name saying 累计 reaches the total
            assert all("累计" in alias for alias in ind.aliases), code
            assert not any("累计" in alias for alias in yearly.aliases), yearly.code


def _width(text):
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def test_a_template_prints_landscape_one_page_wide_with_its_header(tmp_path):
    ws, header, rows = _template(tmp_path, "jiamusi", 2018)
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows in ("1:1", "$1:$1")
    assert ws.column_dimensions["A"].width >= _width("黑龙江省佳木斯市") + 1
    assert header.index("目标名称（只读）") < header.index("规则（只读）")
    assert all(r["目标名称（只读）"] and CJK.search(r["目标名称（只读）"]) for r in rows)


# ---------------------------------------------------------------- 4. history


def test_history_is_headed_by_title_and_unit_with_grades_by_year(store, book):
    _, rule = next((lr, r) for lr in book.by_jurisdiction["jiamusi"] for r in lr.ruleset.rules if r.kind == "threshold")
    unit = book.indicators[rule.indicator].unit
    zh = invoke("history", "jiamusi", "--db", store)
    assert zh.exit_code == 0
    assert "等级" in zh.stdout and "水质得分" in zh.stdout and "重点工作得分" in zh.stdout
    assert f"{rule.title.zh}（{unit}）" in zh.stdout or f"{rule.title.zh}  [" in zh.stdout
    en = invoke("history", "jiamusi", "--db", store, "--lang", "en")
    assert rule.title.en in en.stdout and "key-task score" in en.stdout and "未通过" not in en.stdout


def test_history_says_declarations_and_task_states_in_words(store):
    zh = invoke("history", "daxinganling", "--db", store).stdout
    en = invoke("history", "daxinganling", "--db", store, "--lang", "en").stdout
    values = "\n".join(line for line in (zh + en).splitlines() if not line.rstrip().endswith("]"))  # headings are titles
    assert not re.search(r"\s(1\.0|true|false)\s", values)  # the store's spellings never reach the reader
    assert re.search(r"\s是\s", zh) and re.search(r"\syes\s", en)


def test_history_takes_chinese_names_and_aliases_for_the_indicator(store, book):
    ind = book.indicators["livestock.waste_facility_rate"]
    for name in (ind.code, ind.name_zh, *ind.aliases):
        shown = invoke("history", "佳木斯市", "--db", store, "--indicator", name)
        assert shown.exit_code == 0 and "68.5" in shown.stdout and "等级" not in shown.stdout
    unknown = invoke("history", "jiamusi", "--db", store, "--indicator", ind.name_zh[:-1] + "x")
    assert unknown.exit_code == 2 and f"是否为“{ind.name_zh}”" in unknown.output


def test_history_charts_have_axes_units_and_a_labelled_target(store):
    page = invoke("history", "daxinganling", "--db", store, "--format", "html").stdout
    charts = page.count("<svg")
    assert charts and page.count('class="x-axis"') == page.count('class="y-axis"') == charts
    assert 'class="target"' in page and re.search(r'class="target-label"[^>]*>目标 [≥≤] [\d.]+', page)
    assert ">年度</text>" in page and "%</text>" in page
    single = invoke("history", "jiamusi", "--db", store, "--format", "html").stdout  # one year only: values
    assert "<svg" not in single and '<p class="single">' in single and "&gt;=" not in single


def test_a_diff_names_each_change_by_its_title_and_the_place_by_its_name(tmp_path, book):
    sheet = (ROOT / "inputs" / "jiamusi" / "2018.csv").read_text(encoding="utf-8")
    db = tmp_path / "s.db"
    for n, text in enumerate((sheet, sheet.replace("livestock.waste_facility_rate,68.5%", "livestock.waste_facility_rate,72%"))):
        (tmp_path / f"v{n}").mkdir()
        (tmp_path / f"v{n}" / "2018.csv").write_text(text, encoding="utf-8")
        invoke("check", tmp_path / f"v{n}", "--db", db, "--quiet")
    _, rule = book.find_rule("jiamusi-2018.livestock.waste-facility-rate")
    zh = invoke("diff", "佳木斯", "--db", db).output
    assert "== 黑龙江省佳木斯市: 运行 1 → 运行 2" in zh and f"{rule.title.zh}（%） [{rule.id}]: 68.5 [未通过] → 72 [通过]" in zh
    assert rule.title.en in invoke("diff", "jiamusi", "--db", db, "--lang", "en").output


@pytest.mark.parametrize("command", ["history", "diff"])
def test_a_missing_store_is_named_and_not_made(tmp_path, command):
    result = invoke(command, "jiamusi", "--db", tmp_path / "missing.db")
    assert result.exit_code == 2 and "结果库不存在" in result.output and "no such store" in result.output
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- 5. a rule author's way in


@pytest.mark.parametrize("kind", sorted(__import__("checker.rules", fromlist=["KINDS"]).KINDS))
def test_rules_show_works_for_every_kind_of_bundled_rule(kind, book):
    found = [r for lr in book.rulesets for r in lr.ruleset.rules if r.kind == kind]
    if not found:
        pytest.skip(f"no bundled {kind} rule (tests/test_kinds.py shows a made one)")
    for lang in ("zh", "en"):
        shown = invoke("rules", "show", found[0].id, "--lang", lang)
        assert shown.exit_code == 0 and shown.exception is None and found[0].id in shown.output


def test_an_unknown_indicator_in_a_ruleset_gets_a_located_guess(tmp_path, book):
    shutil.copy(ROOT / "rulesets" / "indicators.yaml", tmp_path)
    text = (ROOT / "rulesets" / "jiamusi-2018.yaml").read_text(encoding="utf-8")
    ind = book.indicators["water_use.total"]
    (tmp_path / "jiamusi-2018.yaml").write_text(text.replace("indicator: water_use.total\n", f"indicator: {ind.name_zh}\n", 1), "utf-8")
    result = invoke("rulesets", "validate", tmp_path)
    assert result.exit_code == 2
    assert re.search(rf"jiamusi-2018\.yaml：规则 [\w.-]+，键 indicator：未知指标 '{ind.name_zh}'，是否为 water_use\.total", result.output)
    result = invoke("rulesets", "validate", tmp_path, "--lang", "en")
    assert re.search(
        rf"jiamusi-2018\.yaml: rule [\w.-]+, key indicator: unknown indicator '{ind.name_zh}'; did you mean water_use\.total", result.output
    )


def test_reports_name_a_declared_jurisdiction_by_its_chinese_name(tmp_path):
    rulesets = tmp_path / "rulesets"
    rulesets.mkdir()
    shutil.copy(ROOT / "rulesets" / "indicators.yaml", rulesets)
    text = (ROOT / "rulesets" / "jiamusi-2018.yaml").read_text(encoding="utf-8")
    text = re.sub(r"^jurisdiction: jiamusi$", "jurisdiction: fuyuan\njurisdiction_names: [黑龙江省抚远市, 抚远市]", text, flags=re.M)
    (rulesets / "fuyuan-2018.yaml").write_text(text.replace("id: jiamusi-2018", "id: fuyuan-2018"), encoding="utf-8")
    sheet = tmp_path / "s.csv"
    sheet.write_text("地区,年度,指标,数值,单位\n抚远市,2018,地表水水质优良比例,60,%\n", encoding="utf-8")
    out = tmp_path / "out"
    invoke("check", sheet, "--rulesets", rulesets, "--output", f"{out}/", "--quiet")
    for name in ("findings.txt", "findings.md", "findings.html"):
        assert "黑龙江省抚远市 2018" in (out / name).read_text(encoding="utf-8"), name
    db = tmp_path / "s.db"
    invoke("check", sheet, "--rulesets", rulesets, "--db", db, "--quiet")
    shown = invoke("history", "抚远市", "--db", db, "--rulesets", rulesets)
    assert shown.exit_code == 0 and "== 黑龙江省抚远市" in shown.stdout


def test_every_command_that_reads_rulesets_takes_rulesets(tmp_path):
    for path in (
        ["check"],
        ["template"],
        ["rulesets", "list"],
        ["rulesets", "validate"],
        ["rulesets", "coverage"],
        ["rulesets", "test"],
        ["rules", "show"],
        ["history"],
        ["diff"],
    ):
        assert "--rulesets" in invoke(*path, "--help").output, path
    empty = tmp_path / "empty"
    empty.mkdir()
    for path in (
        ["rulesets", "test"],
        ["rulesets", "list"],
        ["rulesets", "validate"],
        ["rules", "show", "x"],
        ["history", "jiamusi", "--db", tmp_path / "d.db"],
    ):
        result = invoke(*path, "--rulesets", empty)
        assert result.exit_code == 2 and "indicators.yaml" in result.output, path


# ---------------------------------------------------------------- 6. README


def test_the_readme_quick_start_makes_a_venv_and_runs_commands_that_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert "python3 -m venv" in start and ". .venv/bin/activate" in start
    for line in re.findall(r"^\s*(checker [^#\n]+)", start, flags=re.M):
        words = line.split()[1:]
        command, group = main, main
        for word in words:
            if not isinstance(group, click.Group) or word not in group.commands:
                break
            command = group = group.commands[word]
        assert command is not main, line
