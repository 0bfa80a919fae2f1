"""Comparing at the plan's precision: GB/T 8170-2008 修约值比较法, rounding half to even.

A plan that writes its target as 66.7 % judges the observed value rounded to one decimal
(66.67 → 66.7 meets it); a target written 55 judges whole numbers. The rounding is 四舍六入五成双
(round half to even) on the value as written: a float from a sheet is taken at its shortest
decimal spelling (66.65 is 66.65, not the binary 66.6500000000000056…), then rounded once.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, localcontext

from checker.models import Text

# Past ten places no plan writes a target; a float such as 3e-90 is compared at full value.
MAX_DECIMALS = 10


def written_decimals(target: object) -> int:
    """Decimal places of a target as a ruleset writes it: 55 → 0, 66.7 → 1, "66.70" → 2.

    YAML gives 66.70 as the float 66.7, so a trailing zero survives only in a quoted target."""
    if isinstance(target, bool):
        raise ValueError("a target is a number")
    if isinstance(target, int):
        return 0
    text = repr(float(target)) if isinstance(target, float) else str(target).strip()
    exponent = Decimal(text).as_tuple().exponent
    if not isinstance(exponent, int):
        raise ValueError(f"{text} is no finite number")
    return max(0, -exponent)


def round_half_even(value: float, decimals: int) -> Decimal:
    """`value` rounded to `decimals` places, half to even (GB/T 8170 四舍六入五成双)."""
    with localcontext() as ctx:
        ctx.prec = 400  # every finite float to MAX_DECIMALS places: quantize refuses what needs more digits
        return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN)


def at_precision(value: float, decimals: int | None) -> tuple[float, Text | None]:
    """The value to compare with the target, and the sentence saying it was rounded (None when
    rounding changed nothing, or the rule keeps no precision)."""
    if decimals is None:
        return value, None
    rounded = round_half_even(value, decimals)
    written = Decimal(repr(float(value)))
    if rounded == written:
        return value, None
    shown_from, shown_to = f"{written.normalize():f}", f"{rounded:f}"
    return float(rounded), Text(
        zh=f"按目标精度修约：{shown_from} → {shown_to}（GB/T 8170 四舍六入五成双）",
        en=f"rounded to the target's precision: {shown_from} → {shown_to} (GB/T 8170, round half to even)",
    )


def gap_at_precision(raw_gap: float, compared: float, target: float, op: str) -> float:
    """The gap stays observed − target (contract §7), but never contradicts the verdict: a value
    that rounds onto the target meets ">=" (a gap below 0 is 0) and falls short of ">" (above 0 is 0)."""
    if compared != target:
        return raw_gap
    return min(raw_gap, 0.0) if op in (">", "<") else max(raw_gap, 0.0)


def record_decimals(data: object) -> object:
    """A rule model's before-validator: `decimals` from how each target is written; years the
    rule's own `decimals` gives keep its number."""
    if not isinstance(data, dict) or not isinstance(data.get("targets"), dict):
        return data
    try:
        written = {year: written_decimals(value) for year, value in data["targets"].items()}
        written = {year: places for year, places in written.items() if places <= MAX_DECIMALS}
    except (ValueError, ArithmeticError, TypeError):
        return data  # the targets' own validation says what is wrong with them
    given = data.get("decimals")
    return {**data, "decimals": {**written, **given} if isinstance(given, dict) else given if "decimals" in data else written}
