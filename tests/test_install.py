"""Installed the way users install a tool (a wheel, built from the sdist, in a venv of its
own) and run from an officer's folder outside the checkout: the rulesets travel with it."""

import importlib.util
import os
import shutil
import site
import subprocess
import sys
import tarfile
from importlib import metadata

import pytest
from click.testing import CliRunner

from checker import __version__, rulesets_sha256
from checker.cli import main
from conftest import ROOT


def _can_build() -> bool:
    """setuptools makes wheels on its own from 70.1 (the test extras ask for it); before that
    it needs the `wheel` package. Offline, without either, the test can only skip (CI: fail)."""
    if importlib.util.find_spec("wheel") is not None:
        return True
    try:
        major, minor = (int(part) for part in metadata.version("setuptools").split(".")[:2])
    except (metadata.PackageNotFoundError, ValueError):
        return False
    return (major, minor) >= (70, 1)


CAN_BUILD = _can_build()

needs_wheel = pytest.mark.skipif(
    not CAN_BUILD and os.environ.get("CHECKER_REQUIRE_WHEEL") != "1",
    reason="cannot build a wheel offline: pip install -e '.[test]' brings setuptools>=70.1",
)

# What a clean clone would not hold: version control, environments, build leftovers.
_TOP_LEVEL_JUNK = {"build", "dist", "reports"}


def _ignore(folder, names):
    top = os.path.samefile(folder, ROOT)
    return {n for n in names if n == "__pycache__" or n.endswith(".egg-info") or (top and (n.startswith(".") or n in _TOP_LEVEL_JUNK))}


def _run(args, cwd, env, timeout=300):
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def _ok(result):
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(venv, env): a fresh venv holding the wheel; its dependencies come from this machine."""
    tmp = tmp_path_factory.mktemp("install")
    (tmp / "tmp").mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # else the checkout is imported
    env.update(
        TMPDIR=str(tmp / "tmp"), PIP_NO_CACHE_DIR="1", PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1", PYTHONDONTWRITEBYTECODE="1"
    )
    src, dist = tmp / "src", tmp / "dist"
    shutil.copytree(ROOT, src, ignore=_ignore)
    build = "import sys; from setuptools import build_meta as b; print(getattr(b, sys.argv[1])(sys.argv[2]))"
    sdist = _ok(_run([sys.executable, "-c", build, "build_sdist", dist], src, env)).stdout.split()[-1]
    with tarfile.open(dist / sdist) as archive:  # the wheel from the sdist, as pip and build make it
        archive.extractall(tmp / "sdist", **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    unpacked = tmp / "sdist" / sdist.removesuffix(".tar.gz")
    wheel = _ok(_run([sys.executable, "-c", build, "build_wheel", dist], unpacked, env)).stdout.split()[-1]

    venv = tmp / "venv"
    _ok(_run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", venv], tmp, env))
    # --system-site-packages reaches the base interpreter's packages only; when the tests run
    # in a venv themselves (CI does), its packages are the dependencies.
    purelib = _ok(
        _run([venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp, env)
    ).stdout.strip()
    with open(os.path.join(purelib, "_parent_site.pth"), "w", encoding="utf-8") as handle:
        handle.write("".join(f"{path}\n" for path in site.getsitepackages()))
    _ok(_run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--no-deps", "--force-reinstall", dist / wheel], tmp, env))
    where = _ok(_run([venv / "bin" / "python", "-c", "import checker; print(checker.__file__)"], tmp, env))
    assert where.stdout.startswith(str(venv)), where.stdout  # the wheel's copy, not the checkout's
    return venv, env


@pytest.fixture
def officer(tmp_path):
    """An officer's own folder: submissions in it, no rulesets/."""
    shutil.copytree(ROOT / "inputs", tmp_path / "submissions")
    return tmp_path


@pytest.mark.slow
@needs_wheel
def test_check_from_an_officers_folder_uses_the_installed_rulesets(installed, officer):
    venv, env = installed
    result = _run([venv / "bin" / "checker", "check", "submissions/", "--output", "reports/"], officer, env)
    assert "catalog is missing" not in result.stderr
    assert result.returncode == 1, result.stdout + result.stderr  # inputs/ has missed targets
    assert "汇总" in result.stdout and "未通过" in result.stdout
    written = {p.name for p in (officer / "reports").iterdir()}
    assert {"findings.txt", "findings.json", "findings.html", "findings.xlsx", "findings.md", "findings.junit.xml"} <= written


@pytest.mark.slow
@needs_wheel
def test_the_seeds_and_self_tests_are_installed_too(installed, officer):
    venv, env = installed
    _ok(_run([venv / "bin" / "checker", "rulesets", "coverage"], officer, env))
    tested = _ok(_run([venv / "bin" / "checker", "rulesets", "test"], officer, env))
    assert " 0 failed" in tested.stdout


@pytest.mark.slow
@needs_wheel
def test_version_names_the_installed_rulesets_and_their_hash(installed, officer):
    venv, env = installed
    result = _ok(_run([venv / "bin" / "checker", "--version"], officer, env))
    assert result.stdout.startswith(f"checker {__version__} (rulesets sha256 {rulesets_sha256(ROOT / 'rulesets')}, ")
    assert "_bundled" in result.stdout  # every file of rulesets/ shipped: the same hash


@pytest.mark.slow
@needs_wheel
def test_a_rulesets_folder_in_the_officers_folder_comes_first(installed, officer):
    venv, env = installed
    shutil.copytree(ROOT / "rulesets", officer / "rulesets")
    (officer / "rulesets" / "seeds" / "SOURCE.md").write_text("changed\n", encoding="utf-8")
    result = _ok(_run([venv / "bin" / "checker", "--version"], officer, env))
    assert f"sha256 {rulesets_sha256(officer / 'rulesets')}, {officer / 'rulesets'})" in result.stdout


def test_version_outside_a_project_folder_names_the_checkouts_rulesets(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no ./rulesets here: an editable install falls back on the checkout's
    result = CliRunner().invoke(main, ["--version"])
    folder = (ROOT / "rulesets").resolve()
    assert result.exit_code == 0
    assert result.output == f"checker {__version__} (rulesets sha256 {rulesets_sha256(folder)}, {folder})\n"


def test_the_rulesets_hash_is_sha256sums_listing_of_every_visible_file(tmp_path):
    folder = tmp_path / "rulesets"
    shutil.copytree(ROOT / "rulesets", folder)
    before = rulesets_sha256(folder)
    (folder / ".editor.swp").write_bytes(b"not shipped")
    assert rulesets_sha256(folder) == before
    (folder / "seeds" / "SOURCE.md").write_text("changed\n", encoding="utf-8")
    (folder / "seeds-extra").mkdir()  # byte order: "seeds-extra/x" sorts before "seeds/..."
    (folder / "seeds-extra" / "x.txt").write_text("x\n", encoding="utf-8")
    after = rulesets_sha256(folder)
    shell = subprocess.run(
        ["sh", "-c", "find . -type f -not -path '*/.*' -printf '%P\\n' | LC_ALL=C sort | xargs -d '\\n' sha256sum | sha256sum"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert after != before and shell.stdout.split()[0] == after
