"""The method of 《城市地表水环境质量排名技术规定（试行）》 (环办监测〔2017〕51号) as data: the model of
rulesets/standards/cwqi-2017.yaml. Kept apart from checker/cwqi.py, which computes, so that loading the
rulesets imports no numpy."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from checker.models import Strict, SurfaceWaterStandard, Text

REQUIRED_POINTS = (
    "items",
    "item_index",
    "do_index",
    "ph_index",
    "lake_tp",
    "river_index",
    "lake_index",
    "city_index",
    "ranking",
    "ties",
    "change",
    "change_exempt",
    "rounding",
    "missing_items",
    "upstream",
)


class MethodPoint(Strict):
    """One point of the method: what is done, as the output says it, its source, and whether the
    source is the notice's own text. `applied: false` is a point of the notice the checker does
    not apply, or not wholly (the output says so)."""

    zh: str
    en: str
    source: str
    confirmed: bool
    applied: bool = True


class CwqiRule(Strict):
    standard: str
    limit_class: str
    items: list[str] = Field(min_length=1)
    ph_neutral: float
    body_mean: Literal["mean_of_concentrations", "mean_of_section_indices"]
    city_weights: Literal["section_counts"]
    decimals: int = Field(ge=0, le=9)
    change_decimals: int = Field(ge=0, le=9)
    change_exempt_class: str
    points: dict[str, MethodPoint]

    @model_validator(mode="after")
    def every_point_sourced(self) -> CwqiRule:
        missing = [p for p in REQUIRED_POINTS if p not in self.points]
        if missing:
            raise ValueError(f"points lacks {', '.join(missing)}: every point of the method names its source")
        return self

    def check_against(self, standard: SurfaceWaterStandard) -> list[tuple[str, str, str]]:
        """What this rule names that GB 3838-2002's table lacks, as (key, zh, en): checked when the
        rulesets load."""
        problems = [
            ("items", f"{code} 不是 {standard.standard} 的项目", f"{code} is no item of {standard.standard}")
            for code in self.items
            if code not in standard.items
        ]
        problems += [
            ("items", f"{code} 没有分类限值", f"{code} has no class limits")
            for code in self.items
            if code in standard.items and not standard.items[code].classed
        ]
        for key in ("limit_class", "change_exempt_class"):
            if getattr(self, key) not in standard.classes:
                value = getattr(self, key)
                problems.append((key, f"{value!r} 不是 {standard.standard} 的类别", f"{value!r} is no class of {standard.standard}"))
        return problems

    def caveats(self) -> list[Text]:
        """The points the output must repeat: not confirmed by the notice, or not applied."""
        out = []
        for point in self.points.values():
            if not point.confirmed or not point.applied:
                zh = point.zh + ("（未见规定原文，未经确认）" if not point.confirmed else "")
                en = point.en + (" (not confirmed by the notice's text)" if not point.confirmed else "")
                out.append(Text(zh=zh, en=en))
        return out
