"""The parallel run gives the single-process run's JSON, byte for byte. Not timed."""

import shutil

from click.testing import CliRunner

from checker.cli import main
from conftest import ROOT, write_csv


def run(*args) -> bytes:
    result = CliRunner().invoke(main, ["check", *map(str, args), "--format", "json", "--quiet"])
    assert result.exit_code in (1, 2), result.output[-500:]
    return result.stdout_bytes


def test_parallel_json_equals_single_process(tmp_path):
    batch = tmp_path / "batch"
    shutil.copytree(ROOT / "inputs", batch / "inputs")
    shutil.copytree(ROOT / "tests" / "corpus" / "files", batch / "corpus")  # broken files too
    # Jiamusi 2018 spread over many files (a submission split across chunks), Putuo's baseline
    # year in its own file (another year a rule reads, in another chunk), and many counties' worth of rows.
    for i in range(40):
        write_csv(
            batch / f"extra-{i:02d}.csv",
            [
                ("daxinganling", 2016 + i % 5, "drainage.new_pipe_length", str(40 + i % 3), "公里"),
                ("jiamusi", 2018, "surface_water.section_class", "III" if i % 3 else "IV", "", f"加测断面{i}"),
            ],
        )
    write_csv(batch / "zz-putuo-2015.csv", [("shanghai-putuo", 2015, "water_use.per_gdp", "20", "立方米/万元")])
    single = run(batch, "--jobs", "1")
    for jobs in (2, 3):
        assert run(batch, "--jobs", str(jobs)) == single


def test_declared_jurisdictions_beyond_the_fixed_five(tmp_path):
    """A provincial batch brings its own counties: a ruleset may declare one with its names."""
    import yaml

    rulesets = tmp_path / "rulesets"
    shutil.copytree(ROOT / "rulesets", rulesets)
    ruleset = yaml.safe_load((rulesets / "jiamusi-2018.yaml").read_text(encoding="utf-8"))
    ruleset.update(id="tangyuan-2018", jurisdiction="tangyuan", jurisdiction_names=["黑龙江省汤原县", "汤原县"], waivers=[])
    ruleset["rules"] = [dict(r, id=r["id"].replace("jiamusi-2018", "tangyuan-2018")) for r in ruleset["rules"]]
    (rulesets / "tangyuan-2018.yaml").write_text(yaml.safe_dump(ruleset, allow_unicode=True), encoding="utf-8")
    sheet = write_csv(tmp_path / "s.csv", [("汤原县", 2018, "water_use.total", "40")])
    result = CliRunner().invoke(main, ["check", str(sheet), "--rulesets", str(rulesets), "--format", "json"])
    import json

    report = json.loads(result.stdout)
    assert [s["jurisdiction"] for s in report["submissions"]] == ["tangyuan"]
    total = [f for f in report["submissions"][0]["findings"] if f["rule_id"] == "tangyuan-2018.water-resources.total-use"]
    assert total[0]["status"] == "pass"
    assert report["jurisdiction_names"] == {"tangyuan": "黑龙江省汤原县"}
    # Every report a person reads names the county as its plan does, not by its id.
    for fmt in ("text", "md", "html"):
        shown = CliRunner().invoke(main, ["check", str(sheet), "--rulesets", str(rulesets), "--format", fmt]).stdout
        assert "黑龙江省汤原县" in shown, fmt
    from openpyxl import load_workbook

    out = tmp_path / "r.xlsx"
    CliRunner().invoke(main, ["check", str(sheet), "--rulesets", str(rulesets), "--format", "xlsx", "--output", str(out)])
    cells = {c.value for row in load_workbook(out)["汇总"].iter_rows() for c in row}
    assert "黑龙江省汤原县" in cells


def test_fragments_give_the_whole_report_bytes():
    import io

    from checker import check
    from checker.reports.json_report import render, submission_fragment, write_with_fragments

    def render_with_fragments(report, fragments):
        out = io.BytesIO()
        write_with_fragments(report, fragments, out)
        return out.getvalue()

    report = check([ROOT / "inputs"])
    assert render_with_fragments(report, [submission_fragment(s) for s in report.submissions]) == render(report)
    empty = report.model_copy(update={"submissions": []})
    assert render_with_fragments(empty, []) == render(empty)


def test_streamed_json_to_a_file_equals_the_single_process_file(tmp_path):
    batch = tmp_path / "batch"
    shutil.copytree(ROOT / "inputs", batch)
    for jobs in ("1", "2"):
        CliRunner().invoke(main, ["check", str(batch), "--format", "json", "--jobs", jobs, "--output", str(tmp_path / f"{jobs}.json")])
    assert (tmp_path / "1.json").read_bytes() == (tmp_path / "2.json").read_bytes()


def test_small_chunks_and_the_spill_leave_the_json_as_single_process(tmp_path, monkeypatch):
    """Chunks of two files split submissions everywhere; fragments go through the spill folder,
    which is gone afterwards, and the report is still the single-process one."""
    import tempfile

    import checker.parallel

    batch = tmp_path / "batch"
    shutil.copytree(ROOT / "inputs", batch)
    for i in range(6):
        write_csv(batch / f"extra-{i}.csv", [("jiamusi", 2018, "surface_water.section_class", "II", "", f"加测断面{i}")])
    single = run(batch, "--jobs", "1")
    monkeypatch.setattr(checker.parallel, "MAX_CHUNK_FILES", 2)
    spills = tmp_path / "tmp"
    spills.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spills))
    assert run(batch, "--jobs", "2") == single  # to standard output: the spill in the temporary folder
    assert list(spills.iterdir()) == []
    # To a file: the spill beside it (the temporary folder does not even exist), then gone.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no-such-folder"))
    out = tmp_path / "reports" / "findings.json"
    result = CliRunner().invoke(main, ["check", str(batch), "--format", "json", "--jobs", "2", "--output", str(out)])
    assert result.exit_code in (1, 2), result.output[-500:]
    assert out.read_bytes() == single
    assert [p.name for p in out.parent.iterdir()] == ["findings.json"]


def test_jobs_beyond_the_cores_or_the_chunks_fork_no_more_processes(tmp_path, monkeypatch):
    """`--jobs 100000` forked a process per chunk until the machine ran out of memory."""
    import concurrent.futures
    import os

    import checker.parallel

    asked = []

    class Recording(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, max_workers=None, **kwargs):
            asked.append(max_workers)
            super().__init__(max_workers=max_workers, **kwargs)

    monkeypatch.setattr(checker.parallel, "ProcessPoolExecutor", Recording)
    for i in range(12):
        write_csv(tmp_path / "batch" / f"s{i:02d}.csv", [("jiamusi", 2018, "water_use.total", "40")])
    single = run(tmp_path / "batch", "--jobs", "1")
    assert run(tmp_path / "batch", "--jobs", "100000") == single
    assert asked == [min(12, checker.parallel.JOBS_PER_CORE * (os.cpu_count() or 1))]
