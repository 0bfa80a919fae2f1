"""Record every output the checker gives, or compare them with a recording: a refactor's proof.

    python tools/compare_outputs.py save /tmp/layout-before     # on the old code
    python tools/compare_outputs.py compare /tmp/layout-before  # on the new code: differences listed

What is recorded: `checker check` of inputs/ (and of the hostile corpus, and of a generated
benchmark batch, with and without --jobs) in every format and both languages, with a second
as-of date; `checker template` for every plan's jurisdiction and year, CSV and XLSX;
`checker rules show` of every rule in both languages (output, error and exit code); and
`checker rulesets test`; `checker schema` of each model. Outputs are byte-for-byte (the XLSX ones are pinned), except that the
paths of temporary folders are replaced by a placeholder.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("text", "json", "md", "html", "junit", "xlsx")


def _cli(*args: str, cwd: Path = ROOT, timeout: int = 300) -> bytes:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "checker.cli", *args], cwd=cwd, env=env, capture_output=True, timeout=timeout)
    return b"exit %d\n--- stdout\n" % done.returncode + done.stdout + b"\n--- stderr\n" + done.stderr


def _in_process(*args: str) -> bytes:
    from click.testing import CliRunner

    from checker.cli import main

    result = CliRunner().invoke(main, list(args), catch_exceptions=True)
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    crash = f"\n--- exception {type(result.exception).__name__}: {result.exception}" if crashed else ""
    return f"exit {result.exit_code}{crash}\n--- output\n".encode() + result.stdout_bytes


def _checks(
    name: str,
    paths: list[str],
    rulesets: str | None,
    out: dict[str, bytes],
    langs=("zh", "en"),
    formats=FORMATS,
    extra: tuple[str, ...] = (),
) -> None:
    base = ["check", *paths, "--quiet", *extra] + (["--rulesets", rulesets] if rulesets else [])
    for lang in langs:
        for fmt in formats:
            out[f"{name}/check.{lang}.{fmt}"] = _cli(*base, "--format", fmt, "--lang", lang)


def record(work: Path) -> dict[str, bytes]:
    sys.path.insert(0, str(ROOT))
    out: dict[str, bytes] = {}
    _checks("inputs", ["inputs/"], None, out)
    _checks("inputs-2018-06-30", ["inputs/"], None, out, formats=("json", "text"), extra=("--as-of", "2018-06-30"))
    _checks("inputs-2030", ["inputs/"], None, out, formats=("json",), extra=("--as-of", "2030-12-31"))
    _checks("corpus", ["tests/corpus/files/"], None, out, formats=("json", "text"))
    from benchmarks.batch import make_batch

    for counties, jobs in ((40, "1"), (210, "2")):
        batch = make_batch(work / f"batch{counties}", counties)
        _checks(
            f"batch{counties}",
            [str(batch.sheets)],
            str(batch.rulesets),
            out,
            langs=("zh",),
            formats=("json",) if counties > 40 else ("json", "text"),
            extra=("--jobs", jobs),
        )
    from checker import default_rulesets_dir
    from checker.rulesets import load_rulebook

    book = load_rulebook(default_rulesets_dir())
    for lr in book.rulesets:
        for year in range(lr.period.start - 1, lr.period.end + 2):
            for suffix in ("csv", "xlsx"):
                target = work / f"template.{suffix}"
                target.unlink(missing_ok=True)
                log = _in_process("template", lr.jurisdiction, str(year), "-o", str(target))
                data = target.read_bytes() if target.exists() else b""
                out[f"template/{lr.jurisdiction}-{year}.{suffix}"] = log + b"\n--- file\n" + data
        for rule in lr.ruleset.rules:
            for lang in ("zh", "en"):
                out[f"show/{rule.id}.{lang}"] = _in_process("rules", "show", rule.id, "--lang", lang)
    out["rulesets-test"] = _in_process("rulesets", "test")
    for what in ("ruleset", "sheet", "findings"):
        out[f"schema/{what}"] = _in_process("schema", what)
    return {name: data.replace(str(work).encode(), b"<work>").replace(str(ROOT).encode(), b"<root>") for name, data in out.items()}


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("save", "compare"):
        print(__doc__)
        return 2
    mode, folder = argv[0], Path(argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        outputs = record(Path(tmp))
    if mode == "save":
        for name, data in outputs.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data)
        print(f"{len(outputs)} outputs saved in {folder}")
        return 0
    saved = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    differ = sorted(n for n in outputs if n in saved and (folder / n).read_bytes() != outputs[n])
    for name in sorted(saved - set(outputs)):
        print(f"gone: {name}")
    for name in sorted(set(outputs) - saved):
        print(f"new: {name}")
    for name in differ:
        print(f"differs: {name}")
    same = len(set(outputs) & saved) - len(differ)
    print(f"{same} identical, {len(differ)} differ, {len(saved - set(outputs))} gone, {len(set(outputs) - saved)} new")
    return 1 if differ or saved ^ set(outputs) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
