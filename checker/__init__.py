"""checker: compliance of indicator sheets with China's water-pollution-prevention plans.

from checker import check
report = check(["inputs/"])            # a checker.models.Report
"""

from __future__ import annotations

__version__ = "0.1.0"

import datetime as _dt
from pathlib import Path as _Path


def default_rulesets_dir() -> _Path:
    """./rulesets when run from a project folder; else the copy a wheel installs with the
    package (checker/_bundled, see setup.py); else, in a checkout or an editable install,
    the project's own rulesets/ beside the package."""
    here = _Path("rulesets")
    if (here / "indicators.yaml").is_file():
        return here
    from importlib.resources import files

    package = _Path(files(__name__))  # a regular package on disk: a real folder, as load_rulebook needs
    bundled = package / "_bundled"
    if (bundled / "indicators.yaml").is_file():
        return bundled
    return package.parent / "rulesets"


def rulesets_sha256(folder) -> str:
    """One hash for a whole rulesets folder: the sha256 of `sha256sum`'s listing of its files
    (a file's hash as the findings JSON gives each plan and the grading scheme) in byte order
    of their paths. Inside the folder, the same comes from
        find . -type f -not -path '*/.*' -printf '%P\\n' | LC_ALL=C sort | xargs -d '\\n' sha256sum | sha256sum
    Hidden files are left out, as the wheel leaves them out."""
    import hashlib

    folder = _Path(folder)
    names = sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )
    listing = "".join(f"{hashlib.sha256((folder / name).read_bytes()).hexdigest()}  {name}\n" for name in names)
    return hashlib.sha256(listing.encode("utf-8")).hexdigest()


def check(paths, rulesets=None, as_of: _dt.date | None = None):
    """Check sheets (files or folders) against the rulesets; returns a Report."""
    from checker.rulesets import load_rulebook
    from checker.run import Options, run

    book = load_rulebook(_Path(rulesets) if rulesets else default_rulesets_dir())
    return run(paths, book, Options(as_of=as_of, jobs=1)).report  # jobs=1: a library call forks no processes
