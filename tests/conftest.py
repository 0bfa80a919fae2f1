import atexit
import csv
import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir

from checker.pipeline import run_check
from checker.rulesets import load_rulebook

ROOT = Path(__file__).resolve().parent.parent

# Tests write only into their own temporary folders (they run as root): no example database
# in the checkout.
settings.register_profile("checker", database=None)
settings.load_profile("checker")
# Hypothesis also caches constants and Unicode tables in its home folder (./.hypothesis): one
# of its own for the session, removed at the end.
_HYPOTHESIS_HOME = tempfile.mkdtemp(prefix="checker-hypothesis-")
set_hypothesis_home_dir(_HYPOTHESIS_HOME)
atexit.register(shutil.rmtree, _HYPOTHESIS_HOME, ignore_errors=True)
# `checker check` keeps validated plans in the user's cache folder: the session's own, here.
os.environ["CHECKER_CACHE_DIR"] = _CACHE_HOME = tempfile.mkdtemp(prefix="checker-cache-")
atexit.register(shutil.rmtree, _CACHE_HOME, ignore_errors=True)
HEADER = ["jurisdiction", "year", "indicator", "value", "unit", "subject", "date", "note"]


@pytest.fixture(scope="session")
def book():
    return load_rulebook(ROOT / "rulesets")


def write_csv(path: Path, rows, header=HEADER, encoding="utf-8"):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow([*row, *[""] * (len(header) - len(row))])
    return path


@pytest.fixture
def sheet(tmp_path):
    """Write rows to a CSV in a fresh folder; returns its path."""

    def make(rows, name="sheet.csv", **kwargs):
        return write_csv(tmp_path / name, rows, **kwargs)

    return make


@pytest.fixture
def run(book):
    def go(*paths, as_of: dt.date | None = None):
        return run_check([Path(p) for p in paths], book, as_of)

    return go


def finding(report, rule_id, subject=None, year=None):
    for sub in report.submissions:
        if year is not None and sub.year != year:
            continue
        for f in sub.findings:
            if f.rule_id == rule_id and (subject is None or f.subject == subject):
                return f
    raise AssertionError(f"no finding for {rule_id}")


# The national release's column headers as it publishes them, for the shared data's English-named columns.
RELEASE_HEADERS = {
    "province": "省份",
    "basin": "流域",
    "section": "断面名称",
    "time": "监测时间",
    "published_class": "水质类别",
    "temperature_c": "水温(℃)",
    "ph": "pH(无量纲)",
    "do_mg_l": "溶解氧(mg/L)",
    "conductivity_us_cm": "电导率(μS/cm)",
    "turbidity_ntu": "浊度(NTU)",
    "codmn_mg_l": "高锰酸盐指数(mg/L)",
    "nh3n_mg_l": "氨氮(mg/L)",
    "tp_mg_l": "总磷(mg/L)",
    "tn_mg_l": "总氮(mg/L)",
    "chla_mg_l": "叶绿素α(mg/L)",
    "algae_cells_l": "藻密度(cells/L)",
}
