"""Scores and grade of one submission (考核等级), from its findings and the grading scheme.

The scheme is data (rulesets/grading.yaml). What 环水体〔2016〕179号 confirms: two scores,
the water-quality score sets the grade, the key-task score adjusts it, and a missed
good-section-share (or 劣V-share) target vetoes. The cut-offs are assumptions the
scheme labels as such.
"""

from __future__ import annotations

from checker.models import GRADE_NAMES_EN, Finding, Grade, GradingScheme, Score, Text

SCORE_NAMES = {"water_quality": ("水质得分", "water-quality score"), "key_task": ("重点工作得分", "key-task score")}
MISSED_ZH = {"fail": "未达标", "missing": "未填报"}
MISSED_EN = {"fail": "was missed", "missing": "was not reported"}


def with_points(findings: list[Finding], scheme: GradingScheme) -> list[Finding]:
    """Each finding with the points it earned (weight × its status's credit), or none when its
    status is not scored: what a score's sum adds up, finding by finding."""
    return [f.model_copy(update={"earned": f.weight * _credit(f, scheme)}) if f.status in scheme.credit else f for f in findings]


def category_points(findings: list[Finding], category: str, scheme: GradingScheme) -> Score | None:
    """100 × Σ(weight × credit) / Σ weight over the scored findings of one category, with its
    numbers; None when nothing in that category was scored (all not_due or waived, or none at all)."""
    scored = [f for f in findings if f.category == category and f.status in scheme.credit]
    total = sum(f.weight for f in scored)
    if not scored or total == 0:
        return None
    earned = sum(f.weight * _credit(f, scheme) for f in scored)
    value = round(100.0 * earned / total, 1)
    zh, en = SCORE_NAMES[category]
    sums = f"{_num(earned)} / {_num(total)} × 100 = {_fmt(value)}"
    return Score(category=category, earned=earned, weight=total, score=value, formula=Text(zh=f"{zh} = {sums}", en=f"{en} = {sums}"))


def category_score(findings: list[Finding], category: str, scheme: GradingScheme) -> float | None:
    points = category_points(findings, category, scheme)
    return None if points is None else points.score


def _num(value: float) -> str:
    return f"{round(value, 6) + 0.0:g}"


def _credit(finding: Finding, scheme: GradingScheme) -> float:
    # A missed 力争 (aspirational) target is scored as the scheme says, not as a hard miss.
    if finding.status == "fail" and finding.hedge is not None and finding.hedge.word == "力争":
        return scheme.hedges.strive.credit_on_fail
    return scheme.credit[finding.status]


def _band(score: float, scheme: GradingScheme) -> int:
    return next(i for i, band in enumerate(scheme.bands) if score >= band.min_score)


def _fmt(score: float | None) -> str:
    return "—" if score is None else f"{score:g}"


def grade_submission(findings: list[Finding], scheme: GradingScheme) -> Grade:
    scores = [p for p in (category_points(findings, c, scheme) for c in SCORE_NAMES) if p is not None]
    by_category = {p.category: p.score for p in scores}
    quality, tasks = by_category.get("water_quality"), by_category.get("key_task")
    reasons: list[Text] = [p.formula for p in scores]
    worst = len(scheme.bands) - 1

    if quality is not None:
        index = _band(quality, scheme)
        band = scheme.bands[index]
        if index == worst and index > 0:
            # The bottom band's own floor (≥ 0) says nothing; the line it fell below does.
            above = scheme.bands[index - 1]
            said = Text(
                zh=f"水质得分 {_fmt(quality)}，低于“{above.grade}”的 {above.min_score:g} 分，对应“{band.grade}”",
                en=f"water-quality score {_fmt(quality)} is below {GRADE_NAMES_EN[above.grade]}'s {above.min_score:g}: "
                f"{GRADE_NAMES_EN[band.grade]}",
            )
        else:
            said = Text(
                zh=f"水质得分 {_fmt(quality)}，对应“{band.grade}”（≥{band.min_score:g}）",
                en=f"water-quality score {_fmt(quality)} gives {GRADE_NAMES_EN[band.grade]} (≥ {band.min_score:g})",
            )
        reasons.append(said)
    elif tasks is not None and scheme.grade_without_quality == "task_score":
        index = _band(tasks, scheme)
        reasons.append(
            Text(
                zh=f"本年度无水质目标计分，按重点工作得分 {_fmt(tasks)} 评定为“{scheme.bands[index].grade}”",
                en=f"no water-quality target was scored this year; the key-task score {_fmt(tasks)} "
                f"gives {GRADE_NAMES_EN[scheme.bands[index].grade]}",
            )
        )
    else:
        return Grade(
            water_quality_score=quality,
            key_task_score=tasks,
            grade=None,
            reasons=[Text(zh="没有可计分的目标，不评定等级", en="no target could be scored; not graded")],
            scores=scores,
        )

    if quality is not None and tasks is not None:
        for adjustment in scheme.task_adjustments:
            if tasks < adjustment.below:
                moved = min(max(index - adjustment.change, 0), worst)
                if moved != index:
                    reasons.append(
                        Text(
                            zh=f"重点工作得分 {_fmt(tasks)} 低于 {adjustment.below:g}，等级调整为“{scheme.bands[moved].grade}”",
                            en=f"key-task score {_fmt(tasks)} is below {adjustment.below:g}: "
                            f"moved to {GRADE_NAMES_EN[scheme.bands[moved].grade]}",
                        )
                    )
                index = moved

    veto = scheme.veto
    vetoing = {
        f.rule_id: f
        for f in reversed(findings)
        if f.indicator in veto.indicators and f.status in veto.statuses and not (f.hedge is not None and f.hedge.word == "力争")
    }
    vetoed_by = sorted(vetoing)
    for rule_id in vetoed_by:
        f = vetoing[rule_id]
        # Named as the plan names it, with its words: an officer signs a veto he can quote.
        reasons.append(
            Text(
                zh=f"一票否决：“{f.title.zh}”{MISSED_ZH.get(f.status, '未完成')}（规划原文：“{f.source.quote}”），评为“不合格”",
                en=f"veto: “{f.title.en}” {MISSED_EN.get(f.status, 'was missed')} (the plan: “{f.source.quote}”), so unsatisfactory",
            )
        )
    if quality is not None and veto.min_quality_score is not None and quality < veto.min_quality_score:
        vetoed_by.append("quality")
        # The bottom band's reason already says the score fell below this same line.
        said_by_band = _band(quality, scheme) == worst and worst > 0 and scheme.bands[worst - 1].min_score == veto.min_quality_score
        if not said_by_band:
            reasons.append(
                Text(
                    zh=f"水质得分低于 {veto.min_quality_score:g}，评为“不合格”",
                    en=f"water-quality score below {veto.min_quality_score:g}, so unsatisfactory",
                )
            )
    if vetoed_by:
        index = worst
    return Grade(water_quality_score=quality, key_task_score=tasks, grade=scheme.bands[index].grade, reasons=reasons, scores=scores)
