"""A run that is stopped says so, leaves no worker and no temporary file behind (real processes, Linux)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, write_csv

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
FILES = 1000  # several seconds of work on two cores: a signal sent once it runs finds it running


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("batch")
    for i in range(FILES):
        write_csv(
            folder / f"s{i:04d}.csv",
            [("jiamusi", 2018, "surface_water.section_class", "III", "", f"断面{i}-{k}") for k in range(10)]
            + [("daxinganling", 2016 + i % 5, "管网漏损率", str(20 + i % 9))],
        )
    return folder


def start(batch: Path, out: Path, jobs: int) -> subprocess.Popen:
    # Its own session, so that a signal to its group reaches it and its workers as Ctrl-C would.
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "checker.cli",
            "check",
            str(batch),
            "--jobs",
            str(jobs),
            "--format",
            "json",
            "--output",
            str(out),
            "--quiet",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def wait_for(condition, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.01)
    raise AssertionError("timed out")


def children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found |= {int(c) for c in task.read_text().split()}
        except OSError:  # the task ended meanwhile
            pass
    return found


def alive(pid: int) -> bool:
    """Running, not a zombie waiting to be reaped (by whoever adopted it)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def catches_sigterm(pid: int) -> bool:
    """Its SIGTERM handler is set: the checker runs (imports done, the command started)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    caught = int(next(line for line in status.splitlines() if line.startswith("SigCgt:")).split()[1], 16)
    return bool(caught & (1 << (signal.SIGTERM - 1)))


def workers_of(proc: subprocess.Popen) -> set[int]:
    return wait_for(lambda: (found := children(proc.pid)) and len(found) >= 2 and found)


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_kill_9_of_the_parent_takes_its_workers_and_the_next_run_sweeps_what_it_left(batch, tmp_path):
    out = tmp_path / "out" / "findings.json"
    proc = start(batch, out, jobs=2)
    workers = workers_of(proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    wait_for(lambda: not any(alive(w) for w in workers), timeout=5)
    left = temporaries(out.parent)
    assert any(n.startswith(".checker-spill-") for n in left) and any(n.startswith(".findings.json.") for n in left)
    # A concurrent run's temporaries (a live pid: this one) are not touched.
    live = out.parent / f".findings.json.checker-{os.getpid()}-abcd1234"
    live.write_bytes(b"")
    sheet = write_csv(tmp_path / "one.csv", [("jiamusi", 2018, "water_use.total", "40")])
    done = subprocess.run(
        [sys.executable, "-m", "checker.cli", "check", str(sheet), "--format", "json", "--output", str(out)],
        cwd=ROOT,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert temporaries(out.parent) == [live.name]


def test_sigterm_cleans_up_kills_the_workers_and_exits_143(batch, tmp_path):
    out = tmp_path / "out" / "findings.json"
    proc = start(batch, out, jobs=2)
    workers = workers_of(proc)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 143, stderr
    assert "terminated" in stderr and "Traceback" not in stderr
    wait_for(lambda: not any(alive(w) for w in workers), timeout=5)
    assert temporaries(out.parent) == [] and not out.exists()


@pytest.mark.parametrize("jobs", [1, 2])
def test_ctrl_c_says_interrupted_and_exits_130(batch, tmp_path, jobs):
    out = tmp_path / "out" / "findings.json"
    proc = start(batch, out, jobs=jobs)
    # Workers exist once the batch runs; a single process, once its command has started.
    workers = workers_of(proc) if jobs > 1 else wait_for(lambda: catches_sigterm(proc.pid)) and set()
    os.killpg(proc.pid, signal.SIGINT)  # what the terminal does on Ctrl-C: the whole group
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130, stderr
    assert "中断" in stderr and "interrupted" in stderr and "Traceback" not in stderr
    wait_for(lambda: not any(alive(w) for w in workers), timeout=5)
    assert not out.parent.exists() or temporaries(out.parent) == []
