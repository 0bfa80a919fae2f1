"""Ruleset self-tests, like `opa test`: each ruleset ships small example sheets and the
statuses they must give (rulesets/tests/<ruleset id>.yaml). `checker rulesets test` and
pytest both run them.

    ruleset: jiamusi-2018
    cases:
      - name: the share at 55 passes
        as_of: 2018-12-31          # optional
        rows: [{jurisdiction: jiamusi, year: 2018, indicator: 水质优良比例, value: "55%"}]
        expect: {jiamusi-2018.water-quality.good-section-share: pass}
    # a task or section finding is named rule_id#subject; rule_id@year picks one year
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from checker.models import Status
from checker.pipeline import run_check
from checker.rulesets import RuleBook

TESTS_FOLDER = "tests"


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    as_of: dt.date | None = None
    rows: list[dict]
    expect: dict[str, Status]


class CaseFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ruleset: str
    cases: list[Case]


@dataclass(frozen=True)
class CaseResult:
    file: str
    ruleset: str
    case: str
    mismatches: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.mismatches


def load_cases(rulesets_dir: Path) -> list[tuple[Path, CaseFile]]:
    folder = Path(rulesets_dir) / TESTS_FOLDER
    return [(path, CaseFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))) for path in sorted(folder.glob("*.yaml"))]


def run_case(book: RuleBook, ruleset: str, case: Case, file: str = "") -> CaseResult:
    with tempfile.TemporaryDirectory() as tmp:
        sheet = Path(tmp) / "case.json"
        sheet.write_text(json.dumps(case.rows, ensure_ascii=False, default=str), encoding="utf-8")
        report = run_check([sheet], book, case.as_of)
    got: dict[str, str] = {}
    for sub in report.submissions:
        for f in sub.findings:
            for key in (f.rule_id, f"{f.rule_id}@{sub.year}"):
                got[key] = f.status
                if f.subject is not None:
                    got[f"{key}#{f.subject}"] = f.status
    mismatches = [f"{key}: expected {want}, got {got.get(key, 'no finding')}" for key, want in case.expect.items() if got.get(key) != want]
    mismatches += [f"input problem: {p.message.en}" for p in report.errors]
    return CaseResult(file, ruleset, case.name, tuple(mismatches))


def run_all(book: RuleBook, rulesets_dir: Path) -> list[CaseResult]:
    return [run_case(book, cases.ruleset, case, path.name) for path, cases in load_cases(rulesets_dir) for case in cases.cases]
