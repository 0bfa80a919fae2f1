"""`--output FILE` takes the format from the extension; an extension that names another format
than --format is a usage error; `-o` is the short form on every command that writes a file."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
import zipfile

import pytest
from click.testing import CliRunner

from checker.cli import main
from conftest import ROOT

READS = {
    "r.json": lambda p: json.loads(p.read_text(encoding="utf-8"))["submissions"],
    "r.xml": lambda p: ET.parse(p).getroot().tag == "testsuites",
    "r.junit.xml": lambda p: ET.parse(p).getroot().tag == "testsuites",
    "r.html": lambda p: p.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html"),
    "r.md": lambda p: p.read_text(encoding="utf-8").startswith("# "),
    "r.txt": lambda p: p.read_text(encoding="utf-8").startswith("== "),
    "r.xlsx": lambda p: "xl/workbook.xml" in zipfile.ZipFile(p).namelist(),
    "r.docx": lambda p: "word/document.xml" in zipfile.ZipFile(p).namelist(),
    "r.log": lambda p: p.read_text(encoding="utf-8").startswith("== "),  # no format of its own: text
}


@pytest.mark.parametrize("name", sorted(READS))
def test_the_extension_gives_the_format(tmp_path, name):
    out = tmp_path / name
    result = CliRunner().invoke(main, ["check", str(ROOT / "inputs"), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert READS[name](out)


def test_an_extension_that_contradicts_the_format_is_a_usage_error(tmp_path):
    out = tmp_path / "r.xlsx"
    result = CliRunner().invoke(main, ["check", str(ROOT / "inputs"), "--format", "json", "-o", str(out)])
    assert result.exit_code == 2
    assert "与 --format json 不符" in result.output and "means xlsx" in result.output
    assert not out.exists()
    agreeing = CliRunner().invoke(main, ["check", str(ROOT / "inputs"), "--format", "xlsx", "-o", str(out)])
    assert agreeing.exit_code == 1 and zipfile.is_zipfile(out)


@pytest.mark.parametrize(
    "args",
    [["rulesets", "coverage"], ["history", "jiamusi"], ["template", "jiamusi", "2018"], ["check", "inputs"]],
    ids=lambda a: a[0],
)
def test_every_command_that_writes_a_file_takes_o(args):
    result = CliRunner().invoke(main, [*args, "--help"])
    assert result.exit_code == 0 and "-o, --output" in result.output
