"""The plan's own hedges and horizons, applied to a rule's finding after it is judged, so that
every report shows them and none is a silent choice (issue 14):

- until: past the target's horizon the finding is not_applicable, with the reason;
- 左右: a miss within the tolerance (the rule's own, else grading.yaml's share of the target)
  passes, and says so;
- 力争: a miss stays fail but reads 力争目标未达 (grading scores it as grading.yaml says and never
  vetoes on it);
- 基本 / 进一步: the documented reading is printed with the finding;
- year_assumed: the reason the year was read is printed with the finding.
"""

from __future__ import annotations

from checker.models import Finding, HedgeScheme, Text
from checker.rules.base import at_target_precision, fmt

NUMERIC_STATUSES = ("pass", "fail")


def tolerance(rule, target_value: float, scheme: HedgeScheme) -> float:
    if rule.hedge.tolerance is not None:
        return rule.hedge.tolerance
    return abs(target_value) * scheme.about.relative_tolerance


def _joined(message: Text, zh: str, en: str, before: bool = False) -> Text:
    if before:
        return Text(zh=zh + message.zh, en=en + message.en)
    return Text(zh=message.zh + zh, en=message.en + en)


def _shortfall_gap(finding: Finding, rule) -> float:
    """The gap the tolerance is measured on: at the target's precision, as the finding says it
    compared (94.9 read as 95 is within ±5 of 100), not the raw observed − target."""
    target = finding.target
    if rule.kind != "threshold" or not isinstance(finding.observed, (int, float)) or target.year is None:
        return finding.gap
    compared, _ = at_target_precision(rule, target.year, float(finding.observed))
    if target.op in (">=", ">"):
        return compared - float(target.value)
    if target.op in ("<=", "<"):
        return float(target.value) - compared
    return finding.gap


def hedged(finding: Finding, rule, year: int, scheme: HedgeScheme) -> Finding:
    """`finding` of `rule` for a submission of `year`, with the rule's hedge, horizon and assumed year applied."""
    if rule.hedge is None and rule.year_assumed is None and rule.until is None:
        return finding
    status, message = finding.status, finding.message
    if rule.until is not None and year > rule.until and status != "not_applicable":
        # Past its horizon nothing is asked of the target: what the sheet says of it is not judged.
        past = Text(zh=f"该目标只适用至{rule.until}年", en=f"the target applies until {rule.until}")
        finding = finding.model_copy(
            update={"status": "not_applicable", "message": past, "observed": None, "gap": None, "locations": [], "note": None}
        )
        status, message = finding.status, finding.message
    hedge = rule.hedge
    if hedge is not None and status in NUMERIC_STATUSES:
        if hedge.word == "左右" and status == "fail" and finding.gap is not None and isinstance(finding.target.value, (int, float)):
            allowed = tolerance(rule, float(finding.target.value), scheme)
            if -_shortfall_gap(finding, rule) <= allowed + 1e-9:
                status = "pass"
                message = _joined(
                    Text(zh=message.zh.removeprefix("未达到"), en=message.en.removeprefix("misses ")),
                    f"按“左右”容差 ±{fmt(round(allowed, 6))} 视为达到",
                    f"counts as meeting, within the tolerance ±{fmt(round(allowed, 6))} of “about”: ",
                    before=True,
                )
            else:
                message = _joined(
                    message,
                    f"，超出“左右”容差 ±{fmt(round(allowed, 6))}",
                    f", beyond the tolerance ±{fmt(round(allowed, 6))} of “about”",
                )
        elif hedge.word == "力争" and status == "fail":
            message = _joined(message, "力争目标未达；", "aspirational (力争) target not reached; ", before=True)
        if hedge.reading is not None:
            message = _joined(message, f"（“{hedge.word}”的读法：{hedge.reading.zh}）", f" (“{hedge.word}” read as: {hedge.reading.en})")
    if rule.year_assumed is not None and status != "not_applicable":
        message = _joined(message, f"（考核年份为推定：{rule.year_assumed.zh}）", f" (the year is assumed: {rule.year_assumed.en})")
    return finding.model_copy(update={"status": status, "message": message, "hedge": hedge, "year_assumed": rule.year_assumed})
