"""Waivers: a rule that does not apply to a submission, for a reason, approved, until a date.

Only the assessing side grants them (contract §5): a ruleset's `waivers:`, or a waivers
file given with `--waivers FILE` (a YAML list of the same entries). A sheet's rows of
`waiver.granted` (subject = rule id, value = reason, note = who approved, date = expiry)
are requests: listed under 豁免申请（待审核）, changing no status. An active waiver turns
the finding into `not_applicable` with its reason; an expired one stops applying and is
shown on the finding so the officer sees why it no longer counts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import yaml

from checker.models import Finding, Problem, RulesetRef, Text, Waiver
from checker.observations import SubmissionInput, subject_key

WAIVER = "waiver.granted"


def sheet_waivers(sub: SubmissionInput, known_rules: set[str]) -> tuple[list[Waiver], list[Problem]]:
    waivers, problems = [], []
    for obs in sub.of(WAIVER):
        where = obs.location.model_copy(update={"column": "subject"})
        rule_id = obs.subject or ""
        if rule_id not in known_rules:
            problems.append(
                Problem(
                    location=where,
                    jurisdiction=sub.jurisdiction,
                    year=sub.year,
                    indicator=WAIVER,
                    subject=obs.subject,
                    message=Text(zh=f"豁免的规则“{rule_id}”不存在", en=f"the waived rule {rule_id!r} does not exist"),
                )
            )
            continue
        lacking = [name for name, value in (("value", obs.value), ("note", obs.note), ("date", obs.date)) if not value]
        if lacking:
            problems.append(
                Problem(
                    location=obs.location.model_copy(update={"column": lacking[0]}),
                    jurisdiction=sub.jurisdiction,
                    year=sub.year,
                    indicator=WAIVER,
                    subject=obs.subject,
                    message=Text(
                        zh="豁免须写明理由（数值）、批准人（备注）和有效期（日期）",
                        en="a waiver needs its reason (value), who approved it (note) and its expiry (date)",
                    ),
                )
            )
            continue
        waivers.append(Waiver(rule=rule_id, reason=str(obs.value), approved_by=obs.note, expires=obs.date, source=obs.location.describe()))
    return waivers, problems


def request_note(waiver: Waiver) -> Text:
    """A sheet's waiver, as the request it is."""
    return Text(
        zh=f"豁免申请（待审核）：{waiver.source}：规则 {waiver.rule}，理由“{waiver.reason}”，"
        f"批准人 {waiver.approved_by}，有效期至 {waiver.expires}；考核方批准前不改变检查结论",
        en=f"waiver request (pending review): {waiver.source}: rule {waiver.rule}, reason “{waiver.reason}”, "
        f"approved by {waiver.approved_by}, until {waiver.expires}; it changes no status until the "
        f"assessing side grants it (--waivers)",
    )


class WaiversError(Exception):
    """A waivers file that cannot be used, said in Chinese and English (`said`)."""

    def __init__(self, said):
        super().__init__(said.en)
        self.said = said


def load_waivers(path: Path) -> tuple[list[Waiver], RulesetRef]:
    """A waivers file: a YAML list of waivers (rule, subject, reason, approved_by, expires), hashed."""
    from pydantic import TypeAdapter, ValidationError

    from checker.intake import Limits, read_regular
    from checker.ruleset_problems import at, os_error_zh, pydantic_zh, yaml_en, yaml_zh

    try:
        data = read_regular(path, Limits().max_file_bytes)
        entries = yaml.safe_load(data.decode("utf-8")) or []
        if not isinstance(entries, list):
            raise WaiversError(at(path, "豁免文件应为豁免条目的 YAML 列表", "a waivers file is a YAML list of waivers"))
        waivers = TypeAdapter(list[Waiver]).validate_python(
            [{**entry, "source": path.as_posix()} if isinstance(entry, dict) else entry for entry in entries]
        )
    except OSError as exc:
        raise WaiversError(at(path, f"无法读取：{os_error_zh(exc)}", f"cannot be read as a waivers file: {exc}")) from None
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise WaiversError(at(path, f"不是可读的豁免文件：{yaml_zh(exc)}", f"cannot be read as a waivers file: {yaml_en(exc)}")) from None
    except ValidationError as exc:
        errors = exc.errors()[:5]

        def key(e) -> str:
            return ".".join(map(str, e["loc"][1:])) or "-"

        zh = "；".join(f"第 {e['loc'][0] + 1} 条，键 {key(e)}：{pydantic_zh(e)}" for e in errors)
        en = "; ".join(f"entry {e['loc'][0] + 1}, key {key(e)}: {e['msg']}" for e in errors)
        raise WaiversError(
            at(
                path,
                f"不是豁免条目列表（rule、reason、approved_by、expires[、subject]）：{zh}",
                f"not a list of waivers (rule, reason, approved_by, expires[, subject]): {en}",
            )
        ) from None
    return waivers, RulesetRef(id="waivers", file=path.as_posix(), sha256=hashlib.sha256(data).hexdigest())


def apply_waivers(findings: list[Finding], waivers: list[Waiver], as_of: dt.date) -> list[Finding]:
    out = []
    for finding in findings:
        waiver = next(
            (
                w
                for w in waivers
                if w.rule == finding.rule_id and (w.subject is None or subject_key(w.subject) == subject_key(finding.subject))
            ),
            None,
        )
        if waiver is None:
            out.append(finding)
        elif waiver.expires >= as_of:
            out.append(
                finding.model_copy(
                    update={
                        "status": "not_applicable",
                        "waiver": waiver,
                        "gap": None,
                        "message": Text(
                            zh=f"已豁免：{waiver.reason}（批准：{waiver.approved_by}；有效期至 {waiver.expires}）",
                            en=f"waived: {waiver.reason} (approved by {waiver.approved_by}; until {waiver.expires})",
                        ),
                    }
                )
            )
        else:
            out.append(
                finding.model_copy(
                    update={
                        "waiver": waiver,
                        "message": Text(
                            zh=f"{finding.message.zh}（豁免已于 {waiver.expires} 到期，不再适用）",
                            en=f"{finding.message.en} (the waiver expired on {waiver.expires} and no longer applies)",
                        ),
                    }
                )
            )
    return out
