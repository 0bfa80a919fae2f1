"""What arrives is looked at before it is opened, and nothing is passed over without a word:
no sheet, an unreadable folder, a FIFO or a device, a file too large; broken rulesets and
unwritable outputs end with a message and exit 2, never a traceback."""

import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.cli import main
from checker.reports import RENDERERS
from conftest import ROOT, write_csv


def check(*args):
    result = CliRunner().invoke(main, ["check", *map(str, args), "--format", "json", "--lang", "en"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result, json.loads(result.stdout)


def errors(report: dict) -> dict[str, str]:
    return {Path(p["location"]["file"]).name: p["message"]["en"] for p in report["errors"]}


def test_a_folder_of_no_sheets_is_an_error_per_file_and_hidden_files_are_noted(tmp_path):
    for name in ("old.xls", "export.tsv", "readme.txt"):
        (tmp_path / name).write_bytes(b"jurisdiction\tyear\n")
    (tmp_path / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (tmp_path / "~$2018.xlsx").write_bytes(b"\x0bExcel lock")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    result, report = check(tmp_path)
    assert result.exit_code == 2
    found = errors(report)
    assert set(found) == {"old.xls", "export.tsv", "readme.txt"}
    assert all("not a sheet type the checker reads" in m for name, m in found.items() if name != "old.xls")
    assert "cannot be read as Excel 97-2003" in found["old.xls"]  # an .xls is read, and this one is no workbook
    hidden = {Path(i["file"]).name: i for i in report["inputs"] if "hidden" in (i["note"] or "")}
    assert set(hidden) == {".DS_Store", "~$2018.xlsx", ".git"}
    assert all(not i["read"] and i["sha256"] is None for i in hidden.values())


def test_an_empty_folder_is_an_error(tmp_path):
    (tmp_path / "empty").mkdir()
    result, report = check(tmp_path / "empty")
    assert result.exit_code == 2
    assert errors(report) == {"empty": f"{(tmp_path / 'empty').as_posix()}: the folder holds no file to check; nothing was checked"}


def test_an_unreadable_subfolder_is_an_error_and_the_rest_is_checked(tmp_path, monkeypatch):
    """As root every folder can be listed: the listing of one is made to fail as permissions would."""
    write_csv(tmp_path / "in" / "good.csv", [("jiamusi", 2018, "water_use.total", "40")])
    locked = tmp_path / "in" / "locked"
    write_csv(locked / "hidden-from-us.csv", [("jiamusi", 2018, "water_use.total", "90")])
    scandir = os.scandir

    def refusing(path="."):
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)
    result, report = check(tmp_path / "in")
    assert result.exit_code == 2
    assert errors(report) == {"locked": f"{locked.as_posix()}: the folder cannot be read (Permission denied); its files were not checked"}
    assert [Path(i["file"]).name for i in report["inputs"]] == ["good.csv"]
    assert report["submissions"][0]["jurisdiction"] == "jiamusi"


def run_cli(*args) -> subprocess.CompletedProcess:
    """In a child process, bounded: a FIFO that were opened would block for ever."""
    return subprocess.run(
        [sys.executable, "-m", "checker.cli", "check", *map(str, args), "--format", "json", "--lang", "en"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_fifo_or_a_link_to_a_device_named_on_the_command_line_is_refused_at_once(tmp_path):
    fifo = tmp_path / "sheet.csv"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.csv"
    zero.symlink_to("/dev/zero")
    good = write_csv(tmp_path / "good.csv", [("jiamusi", 2018, "water_use.total", "40")])
    done = run_cli(fifo, zero, good)
    assert done.returncode == 2, done.stderr
    report = json.loads(done.stdout)
    assert errors(report) == {
        "sheet.csv": f"{fifo.as_posix()}: a named pipe (FIFO), not a regular file; not read",
        "zero.csv": f"{zero.as_posix()}: a character device, not a regular file; not read",
    }
    assert [i["sha256"] for i in report["inputs"] if not i["read"]] == [None, None]
    assert report["submissions"][0]["jurisdiction"] == "jiamusi"


def test_a_fifo_in_a_folder_is_listed_as_refused(tmp_path):
    write_csv(tmp_path / "good.csv", [("jiamusi", 2018, "water_use.total", "40")])
    os.mkfifo(tmp_path / "pipe.csv")
    (tmp_path / "inside").mkdir()
    (tmp_path / "inside" / "device.csv").symlink_to("/dev/null")
    (tmp_path / "loop-a.csv").symlink_to(tmp_path / "loop-b.csv")
    (tmp_path / "loop-b.csv").symlink_to(tmp_path / "loop-a.csv")
    done = run_cli(tmp_path)
    assert done.returncode == 2, done.stderr
    found = errors(json.loads(done.stdout))
    assert found["pipe.csv"].endswith("pipe.csv: a named pipe (FIFO), not a regular file; not read")
    # A link out of the input folder is refused before its target is looked at.
    assert found["device.csv"].endswith("device.csv: a symbolic link to outside the input folder (/dev/null); not read")
    assert found["loop-a.csv"].endswith("loop-a.csv: a symbolic link to nothing")


def test_a_file_over_the_limit_is_refused_without_being_opened(tmp_path, monkeypatch):
    big = write_csv(tmp_path / "big.csv", [("jiamusi", 2018, "water_use.total", "40")] * 2000)
    opened = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda path, *a, **k: opened.append(Path(path)) or real_open(path, *a, **k))
    result, report = check(big, "--max-file-mb", "0.01")
    assert result.exit_code == 2
    assert errors(report)["big.csv"].endswith(f"{big.stat().st_size} bytes, over the limit of 10485; not read")
    assert report["inputs"] == [{"file": big.as_posix(), "sha256": None, "read": False, "note": errors(report)["big.csv"]}]
    assert big not in opened


def test_the_report_with_unopened_files_renders_in_every_format_and_records(tmp_path):
    write_csv(tmp_path / "in" / "good.csv", [("jiamusi", 2018, "water_use.total", "40")])
    os.mkfifo(tmp_path / "in" / "pipe.csv")
    (tmp_path / "in" / ".DS_Store").write_bytes(b"x")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "checker.cli",
            "check",
            str(tmp_path / "in"),
            "--output",
            f"{tmp_path}/reports/",
            "--db",
            str(tmp_path / "findings.db"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert len(list((tmp_path / "reports").glob("findings.*"))) == len(RENDERERS)


@pytest.fixture
def rulesets(tmp_path) -> Path:
    shutil.copytree(ROOT / "rulesets", tmp_path / "rulesets")
    return tmp_path / "rulesets"


def validate(folder: Path, lang: str = "en"):
    result = CliRunner().invoke(main, ["rulesets", "validate", str(folder), "--lang", lang])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception  # never uncaught
    return result


@pytest.mark.parametrize("weight", ["-1", "0", "1001", "1e308", ".inf", ".nan"])
def test_a_weight_that_is_not_finite_positive_and_at_most_1000_is_refused_where_it_stands(rulesets, weight):
    plan = rulesets / "daxinganling.yaml"
    text = plan.read_text(encoding="utf-8")
    assert text.count("    weight: 3\n") == 1
    plan.write_text(text.replace("    weight: 3\n", f"    weight: {weight}\n"), encoding="utf-8")
    rule = "daxinganling-2016.water-quality.good-section-share"
    result = validate(rulesets)
    assert result.exit_code == 2
    assert f"ruleset error: {plan}: rule {rule}, key weight: " in result.output
    result = validate(rulesets, "zh")
    assert result.exit_code == 2
    assert f"规则集错误：{plan}：规则 {rule}，键 weight：应" in result.output and "ruleset error" not in result.output


def test_the_largest_weight_allowed_still_gives_a_score_within_0_and_100(rulesets, tmp_path):
    plan = rulesets / "daxinganling.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("    weight: 3\n", "    weight: 1000\n"), encoding="utf-8")
    assert validate(rulesets).exit_code == 0
    sheet = write_csv(tmp_path / "s.csv", [("daxinganling", 2017, "管网漏损率", "24")])
    result = CliRunner().invoke(main, ["check", str(sheet), "--rulesets", str(rulesets), "--format", "json"])
    grade = json.loads(result.stdout)["submissions"][0]["grade"]
    scores = [s for s in (grade["water_quality_score"], grade["key_task_score"]) if s is not None]
    assert scores and all(0 <= s <= 100 and math.isfinite(s) for s in scores)


def test_a_ruleset_that_cannot_be_read_is_named_and_exits_2(rulesets, monkeypatch):
    """As root every file can be read: the read of one is made to fail as permissions would."""
    plan = rulesets / "jiamusi-2018.yaml"
    read_bytes = Path.read_bytes

    def refusing(self):
        if self == plan:
            raise PermissionError(13, "Permission denied", str(self))
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", refusing)
    result = validate(rulesets)
    assert result.exit_code == 2
    assert f"ruleset error: {plan}: cannot be read: Permission denied" in result.output
    assert f"规则集错误：{plan}：无法读取：没有读取权限" in validate(rulesets, "zh").output


def test_a_folder_named_like_a_ruleset_is_named_and_exits_2(rulesets):
    (rulesets / "extra.yaml").mkdir()
    result = validate(rulesets)
    assert result.exit_code == 2
    assert f"ruleset error: {rulesets / 'extra.yaml'}: cannot be read: Is a directory" in result.output
    assert f"规则集错误：{rulesets / 'extra.yaml'}：无法读取：这是文件夹，不是文件" in validate(rulesets, "zh").output


def test_a_template_that_cannot_be_written_says_so_and_exits_2(tmp_path, monkeypatch):
    (tmp_path / "a-file").write_text("")
    result = CliRunner().invoke(main, ["template", "jiamusi", "2018", "-o", str(tmp_path / "a-file" / "t.xlsx")])
    assert isinstance(result.exception, SystemExit) and result.exit_code == 2, result.exception
    assert "cannot write the template" in result.output
    # A read-only folder, as root would meet it only on a read-only mount: creating the file fails.
    readonly = tmp_path / "readonly"
    readonly.mkdir(mode=0o555)
    real_open = os.open

    def refusing(path, *args, **kwargs):
        if Path(path).parent == readonly:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing)
    result = CliRunner().invoke(main, ["template", "jiamusi", "2018", "-o", str(readonly / "t.xlsx")])
    assert isinstance(result.exception, SystemExit) and result.exit_code == 2, result.exception
    assert f"cannot write the template {readonly / 't.xlsx'}: Permission denied" in result.output
    assert list(readonly.iterdir()) == []
