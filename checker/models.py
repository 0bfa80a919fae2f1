"""The data that flows through the checker, as pydantic models.

sheet rows -> Observation -> (engine facts) -> Finding -> Submission -> Report.
Ruleset files are validated against Ruleset / Rule, which are built from the rule kinds in
checker/rules/ (each kind's model is there); their JSON Schema is exported by `checker schema ruleset`.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, FiniteFloat, field_validator, model_validator
from pydantic.json_schema import SkipJsonSchema

from checker.ruleset_problems import Bilingual

Status = Literal["pass", "fail", "missing", "not_due", "not_applicable", "error"]
STATUSES: tuple[str, ...] = ("pass", "fail", "missing", "not_due", "not_applicable", "error")
Op = Literal[">=", "<=", ">", "<", "=="]
Category = Literal["water_quality", "key_task"]
TASK_STATES_ZH: dict[str, str] = {"completed": "已完成", "in_progress": "推进中", "not_started": "未启动"}
MAX_WEIGHT = 1000.0
IndicatorKind = Literal["percentage", "quantity", "count", "class", "status", "boolean", "type", "ratio", "text"]


class Strict(BaseModel):
    """Unknown keys are errors: a typo in a ruleset must never be silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# ---------------------------------------------------------------- catalog


class Unit(Strict):
    dimension: str
    factor: float = Field(description="how many base units of the dimension one of this unit is")
    aliases: list[str] = []
    en: str | None = Field(None, description="how English text writes a unit named in Chinese (万亩: × 10⁴ mu); else its name")


class Indicator(Strict):
    code: str
    name_zh: str
    name_en: str
    unit: str | None = Field(None, description="canonical unit; sheet values are converted to it")
    kind: IndicatorKind
    aliases: list[str] = []
    values: dict[str, list[str]] | None = Field(None, description="for class/status/type indicators: canonical value -> accepted spellings")


class Catalog(Strict):
    units: dict[str, Unit]
    indicators: list[Indicator]


# ---------------------------------------------------------------- rulesets


class Text(Strict):
    zh: str
    en: str


HEDGE_WORDS = ("左右", "力争", "基本", "进一步")


class Hedge(Strict):
    """The plan's own hedge on a target, kept as data and shown in every report, never a
    silent choice: 左右 (passes within `tolerance` of the target), 力争 (aspirational: a miss
    reads 力争目标未达, earns grading.yaml's `hedges.strive.credit_on_fail`, never vetoes),
    基本 and 进一步 (read as `reading` says)."""

    word: Literal[HEDGE_WORDS]
    tolerance: FiniteFloat | None = Field(None, ge=0, description="左右 only, in the indicator's unit; default grading.yaml hedges.about")
    reading: Text | None = Field(None, description="how the word is read (基本消除 = ...)")

    @model_validator(mode="after")
    def tolerance_only_for_about(self) -> Hedge:
        if self.tolerance is not None and self.word != "左右":
            raise Bilingual(f"tolerance 只用于“左右”，不用于“{self.word}”", f"tolerance is for 左右 only, not {self.word}")
        return self


class RuleBase(Strict):
    id: str
    title: Text
    category: Category
    lead_units: list[str] = Field([], description="牵头单位")
    responsible_units: list[str] = Field([], description="责任单位, where the plan names them apart from the lead")
    cooperating_units: list[str] = Field([], description="配合单位")
    clause: str
    quote: str = Field(description="verbatim sentence of the seed that sets the target")
    # Weights are relative (a score is Σ weight × credit / Σ weight): ≤ 0 makes the score negative
    # or unbounded, and past a thousand to one no assessment scheme weighs targets; such a number
    # is a typo, and sums of huge ones overflow to inf.
    # Strict: YAML's "3" (a string) or true is a typo too, not a weight to coerce.
    weight: FiniteFloat = Field(1.0, gt=0, le=MAX_WEIGHT, strict=True, description=f"relative, in (0, {MAX_WEIGHT:g}]")
    hedge: Hedge | None = None
    year_assumed: Text | None = Field(None, description="the text gives no year: why this one was read")
    until: int | None = Field(None, description="last year the target applies (its horizon, e.g. 2020 for 十三五期间)")
    review: list[Text] = Field([], description="what a drafted rule assumed, for the officer reviewing it (`checker rulesets draft`)")

    def indicators_read(self) -> tuple[str, ...]:
        """The sheet's indicators this rule reads; a kind that reads more says so."""
        return (self.indicator,)

    @model_validator(mode="after")
    def someone_answers(self) -> RuleBase:
        if not self.lead_units and not self.responsible_units:
            raise Bilingual(
                "规则须有 lead_units 或 responsible_units：须有单位对其负责",
                "a rule needs lead_units or responsible_units: someone must answer for it",
            )
        return self


class Waiver(Strict):
    """A rule that does not apply, for a stated reason, approved by someone, until a date."""

    rule: str
    subject: str | None = Field(None, description="only this task or section; all when absent")
    reason: str
    approved_by: str
    expires: dt.date
    source: str = Field("ruleset", description="ruleset, or the sheet location it came from")


class Period(Strict):
    start: int
    end: int

    @model_validator(mode="after")
    def ordered(self) -> Period:
        if self.end < self.start:
            raise Bilingual("规划期的结束年早于开始年", "period end is before its start")
        return self


class Document(Strict):
    title: str
    number: str | None = None


# ---------------------------------------------------------------- sheets


class Location(Strict):
    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def describe(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)


class SheetRow(Strict):
    """One row of the long-format sheet as the contract (§4) defines it; `checker schema sheet`."""

    jurisdiction: str
    year: int
    indicator: str
    value: str | float | None = None
    unit: str | None = None
    subject: str | None = None
    date: str | None = None
    note: str | None = None


class Observation(Strict):
    jurisdiction: str
    year: int
    indicator: str
    value: float | str | bool | None
    unit: str | None = None
    subject: str | None = None
    date: dt.date | None = None
    note: str | None = None
    location: Location
    time: dt.time | None = None  # a monitoring sample's time of day, where its date gives one

    @property
    def key(self) -> tuple[str, int, str, str | None]:
        return (self.jurisdiction, self.year, self.indicator, self.subject)


class Problem(Strict):
    """Something in the input that could not be used, located to its cell."""

    location: Location
    message: Text
    jurisdiction: str | None = None
    year: int | None = None
    indicator: str | None = None
    subject: str | None = None


# ---------------------------------------------------------------- findings


def _unsigned_zero(value):
    """-0.0 as 0.0: a value on the target gives 0.0 - 0.0 = -0.0 (or rounds to it), which
    every report would print as "-0", a miss that is none."""
    return 0.0 if isinstance(value, float) and value == 0 else value


class Target(Strict):
    op: Op | None = None
    value: float | str | None = None
    unit: str | None = None
    year: int | None = Field(None, description="milestone year in force")
    deadline: dt.date | None = None

    _no_negative_zero = field_validator("value")(_unsigned_zero)


class FindingSource(Strict):
    document: str
    number: str | None
    clause: str
    quote: str


class Finding(Strict):
    rule_id: str
    indicator: str
    status: Status
    observed: float | str | bool | None
    unit: str | None
    target: Target
    gap: float | None
    subject: str | None
    title: Text
    category: Category
    lead_units: list[str]
    responsible_units: list[str] = []
    cooperating_units: list[str]
    source: FindingSource
    message: Text
    note: str | None = None
    locations: list[Location] = []
    waiver: Waiver | None = Field(None, description="the waiver that made this not_applicable, or that has expired")
    weight: float = Field(1.0, description="the rule's weight in its category's score")
    hedge: Hedge | None = Field(None, description="the plan's hedge on the target (左右, 力争, 基本, 进一步)")
    year_assumed: Text | None = Field(None, description="why the assessed year was read where the plan gives none")
    earned: float | None = Field(
        None, description="the points it earned in that score (weight × its status's credit); null when not scored"
    )

    _no_negative_zero = field_validator("observed", "gap")(_unsigned_zero)


class Derived(Strict):
    indicator: str
    subject: str | None
    value: float | str
    unit: str | None
    from_: str = Field(alias="from")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


# ---------------------------------------------------------------- standards (rulesets/standards/)


class StandardItem(Strict):
    """One item of GB 3838-2002 Table 1. `evaluated: never` is a reference item: reported beside
    the section's class, never setting it; `direction: none` has no class at all (water temperature)."""

    name: str
    direction: Literal["max", "min", "range", "none"]
    limits: list[float] | None = Field(None, min_length=5, max_length=5, description="Class I..V limits")
    lake_limits: list[float] | None = Field(None, min_length=5, max_length=5, description="for lakes/reservoirs")
    low: float | None = None
    high: float | None = None
    evaluated: Literal["always", "never"]
    decimals: int | None = Field(None, ge=0, le=9, description="decimal places of a period's mean (评价数据)")
    mean: Literal["arithmetic", "hydrogen_ion"] = "arithmetic"

    @property
    def classed(self) -> bool:
        return self.direction != "none"

    @model_validator(mode="after")
    def consistent(self) -> StandardItem:
        if self.direction == "none":
            if self.evaluated != "never" or any(v is not None for v in (self.limits, self.lake_limits, self.low, self.high)):
                raise Bilingual(
                    "不分类别的项目（direction: none）没有限值，也从不评价",
                    "an item without classes (direction: none) has no limits and is never evaluated",
                )
            return self
        if self.direction == "range":
            if self.low is None or self.high is None or self.low > self.high:
                raise Bilingual("区间项目须有 low ≤ high", "a range item needs low <= high")
            return self
        for limits in (self.limits, self.lake_limits):
            if limits is None:
                continue
            ordered = sorted(limits, reverse=self.direction == "min")
            if limits != ordered:
                raise Bilingual(
                    f"限值须按Ⅰ类至Ⅴ类依次{'递减' if self.direction == 'min' else '递增'}",
                    f"limits must run from Class I to V ({'falling' if self.direction == 'min' else 'rising'})",
                )
        if self.limits is None:
            raise Bilingual("max/min 项目须有限值 limits", "a max/min item needs limits")
        return self


class StatusBand(Strict):
    status: str
    good_share_at_least: float | None = None
    inferior_v_share_below: float | None = None


class WaterQualityStatus(Strict):
    min_sections: int = Field(ge=1)
    by_share: list[StatusBand] = Field(min_length=1)
    by_class: dict[str, str]


class SampleStatistics(Strict):
    """How samples become a period's value (rulesets/standards/gb3838-2002.yaml, `statistics`)."""

    non_detect_fraction: float = Field(gt=0, le=1, description="share of the detection limit a non-detect counts as")
    annual_mean: Literal["mean_of_monthly_means", "mean_of_samples"]
    rounding: Literal["half_even"]
    quality_control_marks: list[str] = Field(default_factory=list, description="a note containing one marks the sample as failing QC")


class TrophicItem(Strict):
    name: str
    intercept: float
    slope: float
    r: float
    unit: str
    factor: float = Field(1, gt=0, description="the catalog unit's value times this is the formula's unit")


class TrophicBand(Strict):
    status: str
    below: float | None = None
    at_most: float | None = None


class TrophicStatus(Strict):
    """综合营养状态指数 TLI(Σ) = Σ Wj·TLI(j), TLI(j) = 10·(a + b·ln c), Wj = rj² / Σ rj²."""

    items: dict[str, TrophicItem]
    bands: list[TrophicBand] = Field(min_length=1)


class SurfaceWaterStandard(Strict):
    standard: str
    classes: list[str] = Field(min_length=6, max_length=6)
    items: dict[str, StandardItem]
    water_quality_status: WaterQualityStatus
    statistics: SampleStatistics | None = None
    trophic_status: TrophicStatus | None = None


class OdourItem(Strict):
    name: str
    unit: str
    bad: Literal["low", "high"]
    light: tuple[float, float] = Field(description="the light grade's range, both ends included")
    severe_beyond: float = Field(description="strictly beyond this (below for bad: low, above for bad: high) is severe")


class ShallowWater(Strict):
    below_depth_cm: float
    light_bound_fraction_of_depth: float = Field(gt=0, le=1)


class BlackOdourStandard(Strict):
    standard: str
    grades: list[str] = Field(min_length=3, max_length=3, description="none, light, severe")
    items: dict[str, OdourItem]
    shallow_water: ShallowWater


# ---------------------------------------------------------------- grading

GradeName = Literal["优秀", "良好", "合格", "不合格"]
GRADE_NAMES_EN: dict[str, str] = {"优秀": "excellent", "良好": "good", "合格": "satisfactory", "不合格": "unsatisfactory"}


class Assumption(Strict):
    """One part of the grading scheme, and whether its source confirms it."""

    confirmed: bool
    text: Text


class Band(Strict):
    grade: GradeName
    min_score: float = Field(ge=0, le=100)


class TaskAdjustment(Strict):
    below: float = Field(ge=0, le=100, description="a key-task score below this ...")
    change: int = Field(description="... moves the grade this many bands (negative: worse)")


class Veto(Strict):
    indicators: list[str] = Field(description="a missed target on any of these means 不合格")
    statuses: list[Status] = ["fail", "missing"]
    min_quality_score: float | None = Field(None, description="a water-quality score below this means 不合格")


class AboutHedge(Strict):
    relative_tolerance: FiniteFloat = Field(ge=0, le=1, description="左右 without its own tolerance: this share of the target")


class StriveHedge(Strict):
    credit_on_fail: FiniteFloat = Field(ge=0, le=1, description="the credit a missed 力争 target earns")


class HedgeScheme(Strict):
    about: AboutHedge = AboutHedge(relative_tolerance=0.05)
    strive: StriveHedge = StriveHedge(credit_on_fail=0.5)


class GradingScheme(Strict):
    """rulesets/grading.yaml: how findings become scores and a grade (考核等级)."""

    source: Document
    credit: dict[Status, float] = Field(description="credit per finding status; statuses not listed are not scored")
    bands: list[Band] = Field(min_length=1, description="best first; the first band whose min_score is reached")
    task_adjustments: list[TaskAdjustment] = []
    grade_without_quality: Literal["task_score", "none"] = "task_score"
    veto: Veto
    hedges: HedgeScheme = HedgeScheme()
    assumptions: list[Assumption] = Field(min_length=1)

    @field_validator("bands")
    @classmethod
    def best_first(cls, bands: list[Band]) -> list[Band]:
        if [b.min_score for b in bands] != sorted((b.min_score for b in bands), reverse=True):
            raise Bilingual("等级须从最好的列起，min_score 依次递减", "bands must be listed best first, with falling min_score")
        if bands[-1].min_score != 0:
            raise Bilingual("最后一个等级须从 0 分起，使每个得分都有等级", "the last band must start at 0 so that every score has a grade")
        return bands


class GradingRef(Strict):
    file: str
    sha256: str
    assumptions: list[Assumption]


class Score(Strict):
    """One category's score as an officer recomputes it: 100 × earned / weight."""

    category: Category
    earned: float = Field(description="Σ weight × credit of the scored findings (达标权重)")
    weight: float = Field(description="Σ weight of the scored findings (计分权重)")
    score: float
    formula: Text = Field(description="e.g. 水质得分 = 7 / 9 × 100 = 77.8")


class Grade(Strict):
    water_quality_score: float | None = Field(description="0–100; null when no water-quality target was scored")
    key_task_score: float | None
    grade: GradeName | None
    reasons: list[Text] = Field(description="how the grade was reached: band, adjustment, veto")
    scores: list[Score] = Field([], description="each score's sum, with its numbers")


class RulesetRef(Strict):
    id: str
    file: str
    sha256: str


class Submission(Strict):
    jurisdiction: str
    year: int
    as_of: dt.date
    files: list[str]
    status: Status
    rulesets: list[RulesetRef]
    derived: list[Derived]
    findings: list[Finding]
    problems: list[Problem] = []
    notes: list[Text] = Field([], description="what the checker did with the input, e.g. identical duplicate rows counted once")
    grade: Grade | None = Field(None, description="scores and grade per the grading scheme; null without one")


class InputFile(Strict):
    file: str
    sha256: str | None = Field(description="null when the file was never opened: refused by its type or size, or passed over")
    read: bool
    note: str | None = None


class BaselineRef(Strict):
    file: str
    sha256: str
    suppressed: int = Field(description="findings left out because the baseline already had them")


class Report(Strict):
    checker_version: str
    as_of: dt.date | None
    inputs: list[InputFile]
    rulesets: list[RulesetRef]
    submissions: list[Submission]
    errors: list[Problem] = Field([], description="input problems that belong to no submission")
    grading: GradingRef | None = Field(None, description="the grading scheme used, with its assumptions")
    baseline: BaselineRef | None = Field(None, description="with --baseline: the file, and how many findings it left out")
    jurisdiction_names: dict[str, str] = Field(
        {}, description="the Chinese name of each jurisdiction judged, as the contract or its plan gives it"
    )
    summary: dict[str, int]
    # Not in the findings JSON (exclude): what the catalog calls each unit in English, for the
    # reports people read with --lang en (万亩: × 10⁴ mu).
    unit_names_en: SkipJsonSchema[dict[str, str]] = Field({}, exclude=True)
