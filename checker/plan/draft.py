"""A plan as read -> a draft ruleset to review, as YAML bytes (the same plan gives the same bytes).

Rules follow the plan's clause order, each quoting the plan verbatim; every guess the reader made
carries a review note in Chinese and English (`review:`), and a hedge the plan wrote is kept
(`hedge:` where the ruleset model has it, a review note and a comment otherwise).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from checker.models import RuleBase
from checker.names import JURISDICTIONS
from checker.plan import targets as reader
from checker.plan.borrow import borrow_units
from checker.plan.catalog import Matcher, load_catalog
from checker.plan.dates import marks
from checker.plan.model import Plan, Units
from checker.plan.targets import Found

_WATER = re.compile(r"水质|断面|黑臭|水体|水源|水功能区|类标准|优良|劣V|劣Ⅴ")
_PLACE = re.compile(
    r"^(.{2,20}?(?:省|自治区|市|地区|自治州|州|盟|县|区|旗))(?=水|关于|贯彻|落实|全面|进一步|实施|推进|整改|河|湖|打好|碧水|重点|生态)"
)
_HAS_HEDGE_FIELD = "hedge" in RuleBase.model_fields
_HAS_REVIEW_FIELD = "review" in RuleBase.model_fields
# Indicators that are better low: a stable one must not rise.
_WORSE_UP = re.compile(r"劣|极差|超标|漏损|排放|用水量|耗|污染|黑臭")
_OP_ZH = {">=": "不低于", "<=": "不高于", "<": "优于", "==": "等于"}
_HEDGE_EN = {"左右": "about (左右)", "力争": "strive for (力争)", "基本": "basically (基本)", "进一步": "further (进一步)"}


@dataclass(frozen=True)
class Draft:
    ruleset: bytes
    indicators: bytes
    rules: list[dict]


def _note(zh: str, en: str) -> dict:
    return {"zh": zh, "en": en}


def horizon_of(plan: Plan, plan_year: int) -> int:
    """The year a target with no year is assessed in: the plan's latest 到/前 year within its
    first five-year span (a 2030 vision is not the assessment year). A plan for one year (its
    title names the year: "2018年度…方案") is assessed in that year."""
    if re.search(rf"{plan_year}\s*年", plan.title or ""):
        return plan_year
    years = [m.year for s in plan.sentences for m in marks(s.text, plan_year) if m.kind == "by" and plan_year <= m.year <= plan_year + 5]
    return max(years, default=plan_year)


def jurisdiction_name(plan: Plan, jurisdiction: str) -> str:
    title = re.sub(r"^关于印发|^关于|[《》“”]|的通知$", "", plan.title or "")
    m = _PLACE.match(title)
    return m.group(1) if m else jurisdiction


def found_items(plan: Plan, plan_year: int) -> list[Found]:
    """Every target and duty of the plan, in text order."""
    horizon = horizon_of(plan, plan_year)
    framing = _framing_clauses(plan)
    items: list[Found] = []
    context = None
    previous = None
    topic: Found | None = None  # the last sentence's duty, if the sentence only names a topic
    for sentence in plan.sentences:
        if previous is not None and previous.clause != sentence.clause:
            context = None
        opens = previous is None or previous.clause != sentence.clause or previous.offset + len(previous.text) < sentence.offset
        found = reader.read(sentence, plan_year, horizon, context, body=bool(plan.headings), opens=opens)
        if sentence.clause in framing:
            found = [f for f in found if f.kind != "duty"]
        if topic is not None and found and previous.clause == sentence.clause and items and items[-1] is topic:
            items.pop()  # "加快污水处理设施建设。加快推进…": a paragraph's title, its sentences the duties
        topic = found[-1] if opens and len(found) == 1 and reader.names_a_topic(sentence, found[0]) else None
        enumerated = reader.ENUMERATION.match(sentence.text.lstrip()) is not None  # "…；三是…": an item of its own
        if _continues(previous, sentence) and not enumerated and items and items[-1].kind == "duty" and found and found[0].kind == "duty":
            # "A；B。" is one sentence of the plan where the reader splits it: one duty
            first, second = items[-1], found[0]
            tail = first.quote[-10:]
            rest = previous.text[previous.text.rfind(tail) + len(tail) :] if tail in previous.text else None
            start = sentence.text.find(second.quote)
            if first.units == second.units and not second.from_year and rest is not None and rest.strip(" ；;") == "" and start >= 0:
                quote = first.quote + rest + sentence.text[: start + len(second.quote)]
                items[-1] = dataclasses.replace(first, quote=quote.strip(), frequency=first.frequency or second.frequency)
                found = found[1:]
        items += found
        context = reader.carried(sentence, plan_year, context)
        previous = sentence
    return borrow_units(plan, items)


# Headings over the guiding ideas and principles (基本原则, 坚持问题导向…): what stands under
# them says how the work is thought of, and binds no one to a deed an assessment could ask for.
_PRINCIPLES = re.compile(r"指导思想|基本原则|工作原则|基本思路|总体思路|指导原则")


def _framing_clauses(plan: Plan) -> set[str]:
    """The clause paths under a heading of principles, the heading's own included."""
    out: set[str] = set()
    for heading in plan.headings:
        if _PRINCIPLES.search(heading.title):
            out.update(h.path for h in plan.headings if _under(h.path, heading.path))
    return out


def _under(path: str, parent: str) -> bool:
    """`path` is `parent` or a clause inside it (二(三) is in 二, 二十 is not)."""
    return path == parent or (path.startswith(parent) and path[len(parent)] in "(（0123456789①②③④⑤⑥⑦⑧⑨⑩ ")


def _continues(previous, sentence) -> bool:
    """The sentence goes on from the one before over a semicolon, with nothing between them."""
    return (
        previous is not None
        and previous.clause == sentence.clause
        and not previous.row
        and not sentence.row
        and previous.text.rstrip().endswith(("；", ";"))
        and previous.offset + len(previous.text) == sentence.offset
    )


def draft(plan: Plan, jurisdiction: str, plan_year: int, rulesets_dir: Path) -> Draft:
    horizon = horizon_of(plan, plan_year)
    items = found_items(plan, plan_year)
    ruleset_id = f"{jurisdiction}-{plan_year}"
    matcher = Matcher(load_catalog(Path(rulesets_dir) / "indicators.yaml"), prefix=f"draft.{jurisdiction.replace('-', '_')}")
    name = jurisdiction_name(plan, jurisdiction)
    rules: list[dict] = []
    comments: list[list[str]] = []
    for item in _merged(items):
        rule, comment = _rule(item, matcher, name, plan_year, horizon)
        rule = {"id": f"{ruleset_id}.{rule['kind']}.{len(rules) + 1:03d}", **rule}
        rules.append(rule)
        comments.append(comment)
    years = [y for r in rules for y in _years(r)] or [plan_year]
    head = {
        "id": ruleset_id,
        "jurisdiction": jurisdiction,
        **({} if jurisdiction in JURISDICTIONS else {"jurisdiction_names": [name]}),
        "period": {"start": min(min(years), plan_year), "end": max(max(years), plan_year)},
        "seed": Path(plan.source).name,
        "document": {"title": plan.title or Path(plan.source).stem},
    }
    out = [
        "# 由 `checker rulesets draft` 从规划原文起草，须逐条审核（见每条的 review）后使用。\n",
        "# Drafted by `checker rulesets draft` from the plan's text: review every rule (see its `review`) before use.\n",
        _dump(head),
        "rules:\n" if rules else "rules: []\n",
    ]
    for rule, comment in zip(rules, comments, strict=True):
        out += [f"  # {line}\n" for line in comment]
        out.append(_indent(_dump([rule])))
    return Draft("".join(out).encode("utf-8"), matcher.proposed_yaml(), rules)


# libyaml's emitter where installed: the pure-Python one takes most of a draft's time.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _dump(data) -> str:
    return yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=None)


def _indent(text: str) -> str:
    return "".join("  " + line if line.strip() else line for line in text.splitlines(keepends=True))


def _years(rule: dict) -> list[int]:
    years = list(rule.get("targets", {}))
    for key in ("baseline_year", "from_year", "until"):
        if key in rule and key != "baseline_year":
            years.append(rule[key])
    if rule.get("deadline"):
        years.append(int(str(rule["deadline"])[:4]))
    return years


def _merged(items: list[Found]) -> list[Found | list[Found]]:
    """Milestones of one number in one quote ("到2017年…;到2020年…", "分别是3、5、7个") are
    one rule with one target a year; everything else stands alone."""
    groups: dict[tuple, list[Found]] = {}
    order: list[tuple] = []
    for i, item in enumerate(items):
        if item.kind in ("threshold", "reduction", "cumulative", "class") and item.year is not None:
            key = (item.clause, item.quote, item.what, item.kind, item.op, item.unit)
        else:
            key = (i,)
        if key not in groups:
            groups[key] = []
            order.append(key)
        group = groups[key]
        if any(other.year == item.year for other in group):
            groups[key + (i,)] = [item]
            order.append(key + (i,))
        else:
            group.append(item)
    return [groups[k] if len(groups[k]) > 1 else groups[k][0] for k in order]


def _units(units: Units, fallback: str) -> tuple[dict, list[dict]]:
    notes = []
    out: dict[str, list[str]] = {}
    if units.lead:
        out["lead_units"] = list(units.lead)
    if units.cooperating:
        out["cooperating_units"] = list(units.cooperating)
    responsible = list(dict.fromkeys((*units.responsible, *units.groups)))
    if responsible:
        out["responsible_units"] = responsible
    if not units.lead and not responsible:
        out["responsible_units"] = [fallback]
        notes.append(_note(f"原文未写责任单位，暂填{fallback}", f"the plan names no unit here: {fallback} is a placeholder"))
    return out, notes


def _rule(entry: Found | list[Found], matcher: Matcher, place: str, plan_year: int, horizon: int) -> tuple[dict, list[str]]:
    group = entry if isinstance(entry, list) else [entry]
    item = group[0]
    notes: list[dict] = []
    comment: list[str] = []
    units, unit_notes = _units(item.units, place)
    if item.units_from:
        unit_notes.append(
            _note(
                f"原文此目标未写责任单位，按承担该项工作的“{item.units_from}”所列单位",
                f"the aim names no unit: those of the item that delivers it ({item.units_from})",
            )
        )
    for guess in sorted({g for it in group for g in it.guesses}):
        notes.append(_guess_note(guess, item, horizon))
    hedges = list(dict.fromkeys(h for it in group for h in it.hedge))
    for word in hedges:
        notes.append(
            _note(f"原文有“{word}”，如何考核由审核人决定", f"the plan hedges ({_HEDGE_EN[word]}): the reviewer decides how it is judged")
        )
        comment.append(f"hedge: {word}")
    body = _body(group, matcher, notes, plan_year)
    rule = {
        "kind": body.pop("kind"),
        "title": body.pop("title"),
        **body,
        "category": "water_quality" if body.get("indicator", "").startswith("surface_water") or _WATER.search(item.what) else "key_task",
        **units,
        "clause": f"{item.clause} {item.heading}".strip() or "（未分条）",
        "quote": item.quote,
    }
    if rule["kind"] in ("task", "attestation"):
        rule["category"] = "key_task"
    until = max((it.until for it in group if it.until), default=None)
    if until and "until" in RuleBase.model_fields and rule["kind"] in ("threshold", "attestation") and until > min(_years(rule) or [until]):
        rule["until"] = until
    if hedges and _HAS_HEDGE_FIELD:
        rule["hedge"] = {"word": hedges[0]}
    if any("year" in it.guesses for it in group) and "year_assumed" in RuleBase.model_fields:
        rule["year_assumed"] = _guess_note("year", item, horizon)
    notes += unit_notes
    if _HAS_REVIEW_FIELD:
        rule["review"] = notes
    else:
        comment += [f"review: {n['zh']} / {n['en']}" for n in notes]
    return rule, comment


def _guess_note(guess: str, item: Found, horizon: int) -> dict:
    if guess == "op":
        word = "不低于" if item.op == ">=" else "不高于"
        return _note(f"原文未写比较词，按“{word}”（{item.op}）考核", f"no comparison word in the text: read as {item.op}")
    if guess == "year":
        return _note(f"原文未写年份，按规划期末{horizon}年考核", f"the text gives no year: assessed in {horizon}, the plan's horizon")
    if guess == "baseline":
        return _note(f"原文未写基准年，按{item.baseline_year}年", f"no baseline year in the text: {item.baseline_year} assumed")
    if guess == "within":
        year = item.deadline.year if item.deadline else item.year
        return _note(
            f"原文为“通过…年的努力”，按规划当年起算，{year}年底前完成",
            f"within so many years: counted from the plan's year, done by the end of {year}",
        )
    if guess == "margin":
        return _note(
            "出境断面水质不劣于入境断面：按入境类别减出境类别（Ⅰ=1…劣Ⅴ=6）不小于0考核",
            "outflow no worse than inflow: judged as the inflow's class minus the outflow's (I=1 ... worse than V=6), at least 0",
        )
    if guess == "all":
        return _note("原文为“全部”，按100%考核", "the text says all (全部): read as 100 %")
    if guess == "times":
        return _note("原文为监测/开展频次，按每年次数考核", "a frequency: judged as the number of times a year")
    if guess == "range":
        return _note(
            f"原文为区间{item.value:g}—{item.high:g}，按下限考核", f"a range {item.value:g}-{item.high:g}: judged on its lower end"
        )
    return _note(guess, guess)


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _body(group: list[Found], matcher: Matcher, notes: list[dict], plan_year: int) -> dict:
    item = group[0]
    subject = item.what or item.quote[:40]
    if item.kind in ("threshold", "reduction", "cumulative", "class"):
        return _numeric_body(group, matcher, notes, plan_year)
    if item.kind == "stable" and (indicator := matcher.match(item.words or item.quote, None, any_unit=True)) is not None:
        op = "<=" if _WORSE_UP.search(indicator.name_zh) else ">="
        notes.append(
            _note(f"按名称匹配到指标 {indicator.code}（{indicator.name_zh}），请核对", f"matched to {indicator.code} by its name: check")
        )
        notes.append(_note(f"“保持稳定”：不比上一年差（{op}）", f"held stable: no worse than the year before ({op})"))
        return {
            "kind": "stable",
            "title": {"zh": subject if "稳定" in subject else f"{subject}保持稳定", "en": f"Held stable (clause {item.clause})"},
            "indicator": indicator.code,
            "op": op,
            "from_year": item.from_year or plan_year,
        }
    if item.kind == "stable":
        notes.append(_note("“保持稳定”：按是否保持申报，附证明材料", "held stable: declared yes/no with evidence"))
        return {
            "kind": "attestation",
            "title": {"zh": subject if "稳定" in subject else f"{subject}保持稳定", "en": f"Held stable (clause {item.clause})"},
            "subject": subject,
            "from_year": item.from_year or plan_year,
        }
    if item.kind == "done" or item.deadline is not None:
        deadline = item.deadline
        notes.append(_note(f"按{deadline.isoformat()}前完成考核", f"judged as done by {deadline.isoformat()}"))
        body = {
            "kind": "task",
            "title": {"zh": f"{subject}（{deadline.year}年）", "en": f"Task due {deadline.isoformat()} (clause {item.clause})"},
            "subject": subject,
            "deadline": deadline,
        }
        if item.ongoing:
            body["ongoing"] = True
            notes.append(_note("原文要求长期坚持：此后每年仍须申报", "to be kept up: a status every later year too"))
        return body
    if item.ongoing and item.from_year is None:
        notes.append(_note("长期坚持的任务：每年申报进展", "an ongoing duty: a status every year"))
        return {
            "kind": "task",
            "title": {"zh": subject, "en": f"Ongoing duty (clause {item.clause})"},
            "subject": subject,
            "ongoing": True,
        }
    start = item.from_year or plan_year
    notes.append(
        _note(
            f"无数字的任务：自{start}年起按是否落实申报，附证明材料" + (f"（{item.frequency}）" if item.frequency else ""),
            f"a duty without a number: declared yes/no with evidence from {start}" + (f" ({item.frequency})" if item.frequency else ""),
        )
    )
    return {
        "kind": "attestation",
        "title": {"zh": subject, "en": f"Duty (clause {item.clause})"},
        "subject": subject,
        "from_year": start,
    }


def _numeric_body(group: list[Found], matcher: Matcher, notes: list[dict], plan_year: int) -> dict:
    item = group[0]
    kind = "threshold" if item.kind == "class" else item.kind
    unit = matcher.unit(item.unit)
    indicator = matcher.match(item.words or item.quote, unit, any_unit=kind == "reduction")
    what = item.what or item.quote[:40]
    if item.kind == "class":
        what = f"{what}（水质类别，Ⅰ=1…劣Ⅴ=6）"
        notes.append(
            _note("水质类别按数值考核：Ⅰ类=1…劣Ⅴ类=6，数值越小越好", "a water class as a number: I=1 ... worse than V=6, lower is better")
        )
    if indicator is None:
        indicator = matcher.propose(what, None if kind == "reduction" else unit)
        notes.append(
            _note(
                f"新拟指标 {indicator.code}（{indicator.name_zh}），请核对名称与单位",
                f"proposed indicator {indicator.code}: check its name and unit (see the .indicators.yaml beside this file)",
            )
        )
    else:
        notes.append(
            _note(f"按名称匹配到指标 {indicator.code}（{indicator.name_zh}），请核对", f"matched to {indicator.code} by its name: check")
        )
    targets = {it.year: _num(it.value) for it in sorted(group, key=lambda it: it.year)}
    first = min(targets)
    unit_zh = item.unit or ""
    summary = "、".join(f"{y}年{v:g}{unit_zh}" for y, v in targets.items())
    body: dict = {"indicator": indicator.code}
    if kind == "reduction":
        body |= {"baseline_year": item.baseline_year, "targets": targets}
        title_zh = f"{what}比{item.baseline_year}年下降（{summary}）"
        title_en = f"Cut against {item.baseline_year} (clause {item.clause}): " + ", ".join(f"{v:g}% by {y}" for y, v in targets.items())
    elif kind == "cumulative":
        start = item.from_year or plan_year
        body |= {"from_year": start, "targets": targets}
        notes.append(_note(f"按{start}年起累计考核", f"summed over the years from {start}"))
        title_zh = f"{what}累计（{summary}）"
        title_en = f"Total from {start} (clause {item.clause}): " + ", ".join(f"{v:g} by {y}" for y, v in targets.items())
    else:
        body |= {"op": item.op, "targets": targets}
        if item.until is not None and item.until > first and "until" not in RuleBase.model_fields:
            body["until"] = item.until
        if item.unit == "百分点":
            notes.append(
                _note("原文为“百分点”：相对基准年的变化，请核对指标与基准", "percentage points: a change against a baseline; check it")
            )
        if item.frequency:
            notes.append(
                _note(
                    f"原文为{item.frequency}的数量，按当年数值考核", f"an amount {item.frequency} (per period): judged on each year's value"
                )
            )
        title_zh = f"{what}{_OP_ZH.get(item.op, item.op)}（{summary}）"
        title_en = f"Target (clause {item.clause}): {item.op} " + ", ".join(f"{v:g} in {y}" for y, v in targets.items())
    return {"kind": kind, "title": {"zh": title_zh, "en": title_en}, **body}
