"""JUnit XML for CI servers: one testsuite per submission, one testcase per finding.

`fail` and `missing` are failures, `error` is an error, `not_due` and `not_applicable`
are skipped. Input problems that are not already a rule's finding are error testcases
too, so the counts match the findings summary.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from checker.models import Problem, Report
from checker.reports.common import answering, source_text, target_text, text, visible

FAILURES = ("fail", "missing")
SKIPPED = ("not_due", "not_applicable")


def _problem_case(suite: ET.Element, classname: str, problem: Problem, lang: str) -> None:
    case = ET.SubElement(suite, "testcase", classname=classname, name=f"input: {problem.location.describe()}")
    ET.SubElement(case, "error", message=text(problem.message, lang), type="error").text = problem.location.describe()


def render(report: Report, lang: str = "zh") -> bytes:
    root = ET.Element("testsuites", name="checker")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for sub in report.submissions:
        suite = ET.SubElement(root, "testsuite", name=f"{sub.jurisdiction} {sub.year}")
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for f in sub.findings:
            ruleset = f.rule_id.split(".", 1)[0]
            name = f.rule_id + (f"[{f.subject}]" if f.subject else "")
            case = ET.SubElement(suite, "testcase", classname=f"{sub.jurisdiction}.{sub.year}.{ruleset}", name=name)
            counts["tests"] += 1
            details = f"{text(f.title, lang)}\n{target_text(f, lang)}\n{answering(f)}\n{source_text(f)}: {f.source.quote}"
            if f.status in FAILURES:
                counts["failures"] += 1
                ET.SubElement(case, "failure", message=text(f.message, lang), type=f.status).text = details
            elif f.status == "error":
                counts["errors"] += 1
                ET.SubElement(case, "error", message=text(f.message, lang), type="error").text = details
            elif f.status in SKIPPED:
                counts["skipped"] += 1
                ET.SubElement(case, "skipped", message=f"{f.status}: {text(f.message, lang)}")
        for problem in sub.problems:
            _problem_case(suite, f"{sub.jurisdiction}.{sub.year}.input", problem, lang)
            counts["tests"] += 1
            counts["errors"] += 1
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    if report.errors:
        suite = ET.SubElement(
            root, "testsuite", name="inputs", tests=str(len(report.errors)), failures="0", errors=str(len(report.errors)), skipped="0"
        )
        for problem in report.errors:
            _problem_case(suite, "inputs", problem, lang)
        totals["tests"] += len(report.errors)
        totals["errors"] += len(report.errors)
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    # XML 1.0 cannot carry most C0 controls even as references, and UTF-8 no lone surrogate:
    # a junk sheet may hold both, so they are made visible in the serialised text, once.
    body = visible(ET.tostring(root, encoding="unicode"))
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body.encode("utf-8") + b"\n"
