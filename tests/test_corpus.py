"""The malformed-sheet corpus (tests/corpus/): each file gives its located error, none breaks a run."""

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from checker.cli import main
from conftest import ROOT, write_csv

CORPUS = Path(__file__).parent / "corpus"
FILES = CORPUS / "files"
CASES = yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))


def located(report: dict) -> list[tuple[str, dict]]:
    """Every located error of a report, as (English message, location)."""
    out = [(p["message"]["en"], p["location"]) for p in report["errors"]]
    for sub in report["submissions"]:
        out += [(p["message"]["en"], p["location"]) for p in sub["problems"]]
        # An error finding may gather the problems of several rows (and files): each location counts.
        out += [(f["message"]["en"], loc) for f in sub["findings"] if f["status"] == "error" for loc in f["locations"] or [{}]]
    return out


def check(*args):
    result = CliRunner().invoke(main, ["check", *map(str, args), "--format", "json"])
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def test_the_corpus_is_large_enough_and_every_file_has_a_case():
    assert len(CASES) >= 30
    assert sorted(c["file"] for c in CASES) == sorted(p.name for p in FILES.iterdir())


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_each_file_gives_its_located_error(case):
    result = check(FILES / case["file"], *case.get("options", []))
    assert result.exit_code == case["exit"], result.output[-2000:]
    report = json.loads(result.output)
    errors = located(report)
    if "error" not in case:
        assert errors == []
    else:
        matching = [loc for message, loc in errors if case["error"] in message]
        assert matching, errors
        assert any(
            loc.get("row") == case.get("row") and loc.get("column") == case.get("column") and loc.get("file", "").endswith(case["file"])
            for loc in matching
        ), matching
    if "note" in case:
        assert any(case["note"] in n["en"] for s in report["submissions"] for n in s["notes"])


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_one_run_over_everything_keeps_every_error_and_every_good_finding(tmp_path):
    good = write_csv(tmp_path / "good" / "daxinganling.csv", [("daxinganling", 2017, "管网漏损率", "24")])
    before = _hashes(FILES)
    result = check(FILES, good.parent, "--max-unzipped-mb", "10")
    assert _hashes(FILES) == before  # inputs are never modified
    assert result.exit_code == 2
    report = json.loads(result.output)
    errors = located(report)
    for case in CASES:
        if "error" in case and "--max-file-mb" not in case.get("options", []):
            # Rows of many files meet in one submission: a conflict is located at its first row and
            # names the others in its message.
            assert any(
                case["error"] in message and (loc.get("file", "").endswith(case["file"]) or case["file"] in message)
                for message, loc in errors
            ), case
    leak = [
        f
        for s in report["submissions"]
        if s["jurisdiction"] == "daxinganling"
        for f in s["findings"]
        if f["rule_id"] == "daxinganling-2016.water-supply.pipe-leakage"
    ]
    assert [f["status"] for f in leak] == ["pass"]  # a broken file never hides the others' findings


def test_a_link_out_of_the_input_folder_is_refused(tmp_path):
    outside = write_csv(tmp_path / "elsewhere" / "secret.csv", [("jiamusi", 2018, "water_use.total", "47")])
    inside = tmp_path / "inbox"
    inside.mkdir()
    os.symlink(outside, inside / "link.csv")
    os.symlink(tmp_path / "nowhere.csv", inside / "dangling.csv")
    result = check(inside)
    assert result.exit_code == 2
    report = json.loads(result.output)
    messages = [m for m, _ in located(report)]
    assert any("link.csv: a symbolic link to outside the input folder" in m for m in messages)
    assert any("dangling.csv: a symbolic link to nothing" in m for m in messages)
    assert report["submissions"] == []  # nothing was read through the link


def test_junk_folder_exits_2_with_one_located_error_per_file_and_no_traceback(tmp_path):
    junk = tmp_path / "junk"
    junk.mkdir()
    for name in ("33-binary-named.csv", "34-text-named.xlsx", "35-empty.csv", "38-zip-bomb.xlsx"):
        (junk / name).write_bytes((FILES / name).read_bytes())
    # The real command in a child process: what an officer's terminal shows.
    done = subprocess.run(
        [sys.executable, "-m", "checker.cli", "check", str(junk), "--format", "json", "--max-unzipped-mb", "10"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    errors = json.loads(done.stdout)["errors"]
    assert sorted(Path(e["location"]["file"]).name for e in errors) == sorted(p.name for p in junk.iterdir())


def test_debug_shows_the_traceback_of_an_internal_error(tmp_path, monkeypatch):
    import checker.run

    monkeypatch.setattr(checker.run, "check_inputs", lambda *a, **k: 1 / 0)
    plain = CliRunner().invoke(main, ["check", str(tmp_path), "--lang", "en"])
    assert plain.exit_code == 2 and "internal error: ZeroDivisionError" in plain.output and "Traceback" not in plain.output
    debug = CliRunner().invoke(main, ["check", str(tmp_path), "--debug"])
    assert isinstance(debug.exception, ZeroDivisionError)
