"""Validated plans kept between runs, by the SHA-256 of their bytes (`--no-cache` to bypass).

A national batch reads thousands of plans that did not change since the last run; parsing
and validating them was a quarter of a run. The cache is never trusted over the file: an
entry is found by the hash of the plan's bytes as read now, in a cache file named by the
hash of everything a plan is validated against (the catalog, the grading scheme, the
standards) and of the code that validates it, so any changed byte is a miss.

The file is data only (JSON, checked by its own SHA-256 before use): nothing in it can run.
A file that is unreadable, truncated or altered is a miss, never an error. It is written
atomically (checker.atomic), so processes running at once each see a whole file, some
process's; the last to write wins, and what it lacks is parsed again next time.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import os
from pathlib import Path

from checker.atomic import write_atomically
from checker.models import Period

ENV = "CHECKER_CACHE_DIR"
MAGIC = b"checker-plans 1\n"
MAX_ENTRIES = 20_000  # past this, only the plans of the latest load are kept
# The code that shapes a validated plan: a change to it is a miss, whatever the version says.
CODE = ("models.py", "rulesets.py", "plan_cache.py", "rules")


def cache_dir() -> Path:
    if os.environ.get(ENV):
        return Path(os.environ[ENV])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "checker"


@functools.lru_cache(maxsize=1)
def _code_sha256() -> str:
    from checker import __version__

    package = Path(__file__).parent
    digest = hashlib.sha256(__version__.encode())
    for name in CODE:
        for path in sorted((package / name).rglob("*.py")) if (package / name).is_dir() else [package / name]:
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class PlanCache:
    """Entries of one context (the files plans are validated against): plan SHA-256 -> fields."""

    def __init__(self, context: list[bytes]):
        digest = hashlib.sha256(_code_sha256().encode())
        for raw in context:
            digest.update(hashlib.sha256(raw).digest())
        self.path = cache_dir() / f"plans-{digest.hexdigest()[:32]}.json"
        self.entries = self._read()
        self.added: dict[str, list] = {}

    def _read(self) -> dict[str, list]:
        try:
            data = self.path.read_bytes()
            if not data.startswith(MAGIC):
                return {}
            checksum, body = data[len(MAGIC) : len(MAGIC) + 64], data[len(MAGIC) + 65 :]
            if hashlib.sha256(body).hexdigest().encode() != checksum:
                return {}
            entries = json.loads(body)
            return entries if isinstance(entries, dict) else {}
        except (OSError, ValueError):
            return {}

    def get(self, sha256: str) -> dict | None:
        """The fields of a LoadedRuleset (without its path), or None (a miss, or a malformed entry)."""
        entry = self.entries.get(sha256)
        try:
            rid, jurisdiction, names, (start, end), needs, packed = entry
            return {
                "sha256": sha256,
                "id": str(rid),
                "jurisdiction": str(jurisdiction),
                "jurisdiction_names": tuple(str(n) for n in names),
                "period": Period.model_construct(start=int(start), end=int(end)),
                "needs": tuple((int(year), str(code)) for year, code in needs),
                "packed": base64.b64decode(packed, validate=True),
            }
        except (TypeError, ValueError):
            return None

    def put(self, lr) -> None:
        self.added[lr.sha256] = [
            lr.id,
            lr.jurisdiction,
            list(lr.jurisdiction_names),
            [lr.period.start, lr.period.end],
            [list(n) for n in lr.needs],
            base64.b64encode(lr.packed).decode("ascii"),
        ]

    def save(self, used: set[str]) -> None:
        """Write the entries with those added, if any were; a cache that cannot be written is no loss."""
        if not self.added:
            return
        entries = {**self.entries, **self.added}
        if len(entries) > MAX_ENTRIES:
            entries = {sha: entry for sha, entry in entries.items() if sha in used}
        body = json.dumps(entries, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        try:
            write_atomically(self.path, MAGIC + hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
        except OSError:
            pass
