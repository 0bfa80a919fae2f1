"""Validated plans cached between runs: the same findings, a changed byte or a damaged cache a miss."""

import shutil

import pytest
from click.testing import CliRunner

from checker.cli import main
from conftest import ROOT


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("CHECKER_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def rulesets(tmp_path):
    target = tmp_path / "rulesets"
    shutil.copytree(ROOT / "rulesets", target)
    return target


def _check(rulesets, *extra):
    result = CliRunner().invoke(main, ["check", str(ROOT / "inputs"), "--rulesets", str(rulesets), "--format", "json", "--quiet", *extra])
    assert result.exit_code in (0, 1), result.output
    return result.stdout_bytes


def test_findings_are_byte_identical_with_and_without_the_cache(cache, rulesets):
    uncached = _check(rulesets, "--no-cache")
    assert not cache.exists()  # --no-cache writes nothing
    cold = _check(rulesets)
    assert len(list(cache.iterdir())) == 1
    warm = _check(rulesets)
    assert uncached == cold == warm


def test_a_changed_plan_byte_is_a_miss(cache, rulesets):
    from checker.rulesets import load_rulebook

    before = _check(rulesets)
    plan = next(p for p in sorted(rulesets.glob("*.yaml")) if "targets: {" in p.read_text(encoding="utf-8"))
    text = plan.read_text(encoding="utf-8")
    at = text.index("targets: {") + len("targets: {")
    colon = text.index(":", at) + 2
    # One target's first digit changed: a cached plan would still judge with the old one.
    digit = text[colon]
    plan.write_text(text[:colon] + ("1" if digit != "1" else "2") + text[colon + 1 :], encoding="utf-8")
    fresh = load_rulebook(rulesets)
    cached = load_rulebook(rulesets, cache=True)
    assert [(lr.sha256, lr.packed) for lr in cached.rulesets] == [(lr.sha256, lr.packed) for lr in fresh.rulesets]
    after = _check(rulesets)
    assert after == _check(rulesets, "--no-cache") != before


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty", "entry"])
def test_a_damaged_cache_is_a_miss(cache, rulesets, damage):
    expected = _check(rulesets, "--no-cache")
    _check(rulesets)
    (entry,) = cache.iterdir()
    data = entry.read_bytes()
    if damage == "truncate":
        entry.write_bytes(data[: len(data) // 2])
    elif damage == "flip":
        middle = len(data) // 2
        entry.write_bytes(data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1 :])
    elif damage == "garbage":
        entry.write_bytes(b"\x80\x04cos\nsystem\n" + data)
    elif damage == "empty":
        entry.write_bytes(b"")
    else:  # a well-formed file whose entries are not what a plan's are
        import hashlib
        import json

        from checker.plan_cache import MAGIC

        shas = [hashlib.sha256(p.read_bytes()).hexdigest() for p in rulesets.glob("*.yaml")]
        body = json.dumps({sha: [1, None, "x", [2], {}, "!!"] for sha in shas}).encode()
        entry.write_bytes(MAGIC + hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
    assert _check(rulesets) == expected
    assert _check(rulesets) == expected  # and the cache was written whole again
