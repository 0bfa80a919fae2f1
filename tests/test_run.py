"""checker.run: the one place that chooses how a run goes. Every way it can go gives the same
findings; with a store, the reports are written before the run is recorded, and a store
failing at the end leaves them written. Intake (checker.intake) reads without judging."""

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from checker import check
from checker.intake import read_inputs
from checker.pipeline import exit_code
from checker.run import Options, run
from checker.store import Store, open_store
from conftest import ROOT, write_csv


def batch(tmp_path):
    folder = tmp_path / "batch"
    shutil.copytree(ROOT / "inputs", folder / "inputs")
    for i in range(12):  # a submission spread over files that land in different chunks
        write_csv(folder / f"extra-{i:02d}.csv", [("jiamusi", 2018, "surface_water.section_class", "III", "", f"加测断面{i}")])
    return folder


def test_every_way_of_running_gives_the_same_findings_json(tmp_path, book):
    folder = batch(tmp_path)
    single, streamed = io.BytesIO(), io.BytesIO()
    one = run([folder], book, Options(jobs=1, fmt="json"), lambda: single)
    many = run([folder], book, Options(jobs=3, fmt="json"), lambda: streamed)  # every core, the JSON streamed from a spill
    assert streamed.getvalue() == single.getvalue() and json.loads(single.getvalue())["submissions"]
    assert many.report.submissions == []  # the streamed run never holds every finding: only the summary
    assert many.report.summary == one.report.summary and exit_code(many.report) == exit_code(one.report) == 1
    run([folder], book, Options(jobs=3, fmt="json", output=f"{tmp_path / 'out'}/"))  # every core, not streamed
    assert (tmp_path / "out" / "findings.json").read_bytes() == single.getvalue()
    assert check([folder]) == one.report  # the Python API comes the same way


def test_a_store_records_after_the_reports_and_its_failure_leaves_them(tmp_path, book, monkeypatch):
    sheets = ROOT / "inputs" / "jiamusi"
    store = open_store(str(tmp_path / "store.db"))
    said = []
    first = run([sheets], book, Options(jobs=4, store=store, fmt="json", output=f"{tmp_path / 'a'}/"), say=said.append)
    assert first.recorded == (1, True) and first.unrecorded is None  # a store runs in one process, whatever --jobs
    assert said == [
        f"reports written to {tmp_path / 'a'}/: "
        + ", ".join(f"findings.{ext}" for ext in ("docx", "html", "json", "junit.xml", "md", "txt", "xlsx"))
    ]
    assert run([sheets], book, Options(store=store)).recorded == (1, False)
    seen_by_the_store = []

    def broken(self, *args):
        seen_by_the_store.append((tmp_path / "b.json").exists())
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(Store, "record", broken)
    failed = run([sheets], book, Options(store=store, fmt="json", output=str(tmp_path / "b.json")))
    assert seen_by_the_store == [True] and isinstance(failed.unrecorded, RuntimeError) and failed.recorded is None
    assert json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))["submissions"]
    assert failed.report.submissions and exit_code(failed.report) == exit_code(first.report)


def test_intake_reads_and_hashes_without_judging():
    rows, inputs, problems = read_inputs([ROOT / "inputs"])
    assert rows and not problems
    assert {Path(entry.file) for entry in inputs} == {p for p in (ROOT / "inputs").rglob("*") if p.is_file()}
    for entry in inputs:
        assert entry.read and entry.sha256 == hashlib.sha256(Path(entry.file).read_bytes()).hexdigest()


def test_a_run_writing_to_output_needs_no_standard_output(tmp_path):
    """Standard output closed (as cron or a service may leave it): Python has no sys.stdout at all."""
    out = tmp_path / "findings.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "checker.cli",
            "check",
            str(ROOT / "inputs" / "jiamusi"),
            "--format",
            "json",
            "--output",
            str(out),
            "--quiet",
        ],
        cwd=ROOT,
        capture_output=False,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: os.close(1),
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 1, done.stderr.decode()
    assert json.loads(out.read_text(encoding="utf-8"))["submissions"]
