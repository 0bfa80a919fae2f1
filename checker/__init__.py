"""checker: compliance of indicator sheets with China's water-pollution-prevention plans.

    from checker import check
    report = check(["inputs/"])            # a checker.models.Report
"""
from __future__ import annotations

__version__ = "0.1.0"

import datetime as _dt
from pathlib import Path as _Path


def default_rulesets_dir() -> _Path:
    """./rulesets when run from a project folder, else the one beside the package."""
    here = _Path("rulesets")
    if (here / "indicators.yaml").is_file():
        return here
    return _Path(__file__).resolve().parent.parent / "rulesets"


def check(paths, rulesets=None, as_of: _dt.date | None = None):
    """Check sheets (files or folders) against the rulesets; returns a Report."""
    from checker.pipeline import run_check
    from checker.rulesets import load_rulebook
    book = load_rulebook(_Path(rulesets) if rulesets else default_rulesets_dir())
    return run_check([_Path(p) for p in paths], book, as_of)
