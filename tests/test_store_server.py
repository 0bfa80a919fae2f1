"""A PostgreSQL server of the test's own that stops between the store's open and the run's record.

The cluster lives in tmp_path and is run by the postgres user, as .ci/run does; since pytest
keeps tmp_path's parents private to root, the server gets only the right to look through
folders (CAP_DAC_READ_SEARCH), never root's. CI's shared server (port 55432) is never touched.
"""

import json
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
from glob import glob

import pytest

from conftest import ROOT

REQUIRED = os.environ.get("CHECKER_REQUIRE_POSTGRES") == "1"
PASSWORD = "S3cretPassw0rd"  # trust authentication ignores it: here only to be seen nowhere

# The CLI, with the server stopped right before the record step: deterministic, and the rest is the real CLI.
STOPPED_BEFORE_RECORDING = """
import json, os, subprocess
from checker import store
from checker.cli import main
record = store.Store.record
def record_after_the_server_stopped(self, *args):
    subprocess.run(json.loads(os.environ["STOP_THE_SERVER"]), check=True, timeout=60, stdout=subprocess.DEVNULL)
    return record(self, *args)
store.Store.record = record_after_the_server_stopped
main(prog_name="checker")
"""


def _version(folder: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", folder))


def _free_port() -> int:
    while True:
        with socket.socket() as probe:
            probe.bind(("localhost", 0))
            port = probe.getsockname()[1]
        if port != 55432:
            return port


@pytest.fixture
def server(tmp_path):
    """(URL with a password, command that stops the server) of a throwaway cluster in tmp_path."""
    folders = sorted(glob("/usr/lib/postgresql/*/bin"), key=_version)
    try:
        user = pwd.getpwnam("postgres")
    except KeyError:
        user = None
    if not folders or user is None or not shutil.which("setpriv"):
        if REQUIRED:
            pytest.fail("CHECKER_REQUIRE_POSTGRES=1 but no PostgreSQL binaries, postgres user or setpriv")
        pytest.skip("no PostgreSQL binaries (CI installs them)")
    pg_ctl = os.path.join(folders[-1], "pg_ctl")
    as_postgres = [
        "setpriv",
        f"--reuid={user.pw_uid}",
        f"--regid={user.pw_gid}",
        "--init-groups",
        "--inh-caps=+dac_read_search",
        "--ambient-caps=+dac_read_search",
    ]
    data = tmp_path / "pg"
    data.mkdir()
    os.chown(data, user.pw_uid, user.pw_gid)
    subprocess.run(
        [*as_postgres, os.path.join(folders[-1], "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"],
        check=True,
        timeout=120,
        stdout=subprocess.DEVNULL,
    )
    port = _free_port()
    subprocess.run(
        [
            *as_postgres,
            pg_ctl,
            "-D",
            str(data),
            "-l",
            str(data / "log"),
            "-w",
            "-t",
            "60",
            "start",
            "-o",
            f"-p {port} -k {data} -c listen_addresses=localhost",
        ],
        check=True,
        timeout=90,
        stdout=subprocess.DEVNULL,
    )
    stop = [*as_postgres, pg_ctl, "-D", str(data), "-m", "fast", "-w", "-t", "60", "stop"]
    try:
        yield f"postgresql://postgres:{PASSWORD}@localhost:{port}/postgres", stop
    finally:
        subprocess.run(
            [*as_postgres, pg_ctl, "-D", str(data), "-m", "immediate", "stop"],
            timeout=60,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


def test_a_server_stopping_before_the_record_keeps_the_reports_and_the_password(server, tmp_path):
    url, stop = server
    first = subprocess.run(
        [sys.executable, "-m", "checker.cli", "check", "inputs/daxinganling", "--db", url, "--lang", "en"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert first.returncode == 1, first.stderr
    assert "recorded as run 1 in postgresql://postgres:***@localhost" in first.stderr
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-c", STOPPED_BEFORE_RECORDING, "check", "inputs/jiamusi", "--db", url, "--output", f"{out}/"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "STOP_THE_SERVER": json.dumps(stop)},
    )
    assert result.returncode == 2, result.stderr
    assert json.loads((out / "findings.json").read_text(encoding="utf-8"))["submissions"]
    assert "本次运行未记录到结果库" in result.stderr and "the run was not recorded in the store" in result.stderr
    assert "postgresql://postgres:***@localhost" in result.stderr and "Traceback" not in result.stderr
    assert PASSWORD not in first.stdout + first.stderr + result.stdout + result.stderr
