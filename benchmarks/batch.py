"""A synthetic national batch, generated deterministically (benchmarks/run.py uses it).

N county sheets, each about 100 indicator rows and 10 section rows, against N rulesets
made from a real one (Jiamusi 2018) as template: the same rules with each county's own
targets nudged, and the county declared by its `jurisdiction_names`. M monitoring
samples over M/100 sections. Everything comes from one seeded random generator.
"""

from __future__ import annotations

import csv
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "rulesets" / "jiamusi-2018.yaml"
HEADER = ["jurisdiction", "year", "indicator", "value", "unit", "subject", "date", "note"]
ROWS_PER_SHEET = 100
SECTIONS_PER_SHEET = 10
CLASSES = ["I", "II", "III", "IV", "V", "劣V"]
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # generating 2,800 plans in pure Python took 11 minutes


@dataclass(frozen=True)
class Threshold:
    county: str
    indicator: str
    op: str
    target: float


@dataclass
class Batch:
    rulesets: Path
    sheets: Path
    files: list[Path]
    thresholds: list[Threshold]  # what the floors compare: one per numeric rule and county
    rows: int


def county_id(i: int) -> str:
    return f"county-{i:04d}"


def make_batch(work: Path, counties: int, seed: int = 20261123) -> Batch:
    rng = random.Random(seed)
    rulesets, sheets = work / "rulesets", work / "sheets"
    for folder in (rulesets, sheets):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    for name in ("indicators.yaml", "grading.yaml"):
        shutil.copy(ROOT / "rulesets" / name, rulesets / name)
    shutil.copytree(ROOT / "rulesets" / "standards", rulesets / "standards")
    template = yaml.safe_load(TEMPLATE.read_text(encoding="utf-8"))
    catalog = yaml.safe_load((ROOT / "rulesets" / "indicators.yaml").read_text(encoding="utf-8"))
    read_by_rules = {r.get("indicator") for r in template["rules"]}
    fillers = [
        i["code"]
        for i in catalog["indicators"]
        if i["kind"] in ("quantity", "count") and not i["code"].startswith("monitoring.") and i["code"] not in read_by_rules
    ]
    thresholds: list[Threshold] = []
    files: list[Path] = []
    total_rows = 0
    for i in range(counties):
        county = county_id(i)
        ruleset = dict(template, id=f"{county}-2018", jurisdiction=county, jurisdiction_names=[f"合成县{i:04d}"], waivers=[])
        rules, rows = [], []
        for rule in template["rules"]:
            rule = dict(rule, id=rule["id"].replace("jiamusi-2018.", f"{county}-2018."))
            if rule["kind"] == "threshold":
                nudge = 1 + rng.uniform(-0.05, 0.05)
                rule["targets"] = {year: round(value * nudge, 3) for year, value in rule["targets"].items()}
                target = rule["targets"][max(y for y in rule["targets"] if y <= 2018)]
                value = round(target * rng.uniform(0.9, 1.1), 3)
                if rule["indicator"] == "surface_water.good_section_share":
                    value = None  # derived from the section rows below
                else:
                    value = min(value, 100.0) if rule["indicator"].endswith(("share", "rate")) else value
                    rows.append([county, 2018, rule["indicator"], value, "", "", "", ""])
                thresholds.append(Threshold(county, rule["indicator"], rule["op"], target))
            elif rule["kind"] == "task":
                done = rng.random() < 0.8
                done_on = min(str(rule["deadline"]), "2018-12-31") if done and rule.get("deadline") else "2018-06-30"
                rows.append([county, 2018, "task.status", "已完成" if done else "推进中", "", rule["subject"], done_on if done else "", ""])
            elif rule["kind"] == "attestation":
                rows.append(
                    [county, 2018, "attestation.declared", "是" if rng.random() < 0.9 else "否", "", rule["subject"], "", "年度报告"]
                )
            elif rule["kind"] == "stable":
                for year in (2017, 2018):
                    rows.append([county, year, rule["indicator"], round(rng.uniform(5, 15), 1), "%", "", "", ""])
            rules.append(rule)
        ruleset["rules"] = rules
        # libyaml's dumper: the same bytes as the pure-Python one (checked), five times faster.
        text = yaml.dump(ruleset, Dumper=_DUMPER, allow_unicode=True, sort_keys=False)
        (rulesets / f"{county}-2018.yaml").write_text(text, encoding="utf-8")
        while len(rows) < ROWS_PER_SHEET:
            code = fillers[len(rows) % len(fillers)]
            rows.append([county, 2018, code, round(rng.uniform(1, 500), 2), "", f"分项{len(rows)}", "", ""])
        for s in range(SECTIONS_PER_SHEET):
            rows.append([county, 2018, "surface_water.section_class", rng.choice(CLASSES[:4]), "", f"{county}断面{s}", "", ""])
        path = sheets / f"{county}.csv"
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADER)
            writer.writerows(rows)
        files.append(path)
        total_rows += len(rows)
    return Batch(rulesets, sheets, files, thresholds, total_rows)


def make_samples(count: int, seed: int = 20261123) -> pd.DataFrame:
    """Monitoring samples: 5 items, about 100 samples per section and item's worth of sections."""
    rng = np.random.default_rng(seed)
    items = np.array(["monitoring.ph", "monitoring.do", "monitoring.codmn", "monitoring.nh3n", "monitoring.tp"])
    centre = np.array([7.5, 6.0, 4.0, 0.6, 0.12])
    spread = np.array([0.5, 1.5, 2.0, 0.5, 0.08])
    sections = max(count // 100, 1)
    subject = rng.integers(0, sections, count)
    item = rng.integers(0, len(items), count)
    value = np.abs(centre[item] + rng.normal(0, 1, count) * spread[item]).round(3)
    names = np.array([f"断面{n:06d}" for n in range(sections)])
    return pd.DataFrame({"subject": names[subject], "item": items[item], "value": value})


# ---------------------------------------------------------------- the same batch as workbooks

XLSX_HEADER = ["地区", "年度", "指标", "数值", "单位", "对象", "日期", "备注"]  # the template's columns (checker template)
_XLSX_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="指标" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>',
}


def _cell(column: int, row: int, value: str) -> str:
    ref = f"{'ABCDEFGH'[column]}{row}"
    try:
        number = float(value)
    except ValueError:
        text = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'
    return f'<c r="{ref}"><v>{value if number == number else ""}</v></c>'


def _xlsx(rows: list[list[str]]) -> bytes:
    """A minimal workbook, one 指标 sheet, as Excel writes it (numbers as numbers, text inline)."""
    import io
    import zipfile

    body = "".join(
        f'<row r="{r}">' + "".join(_cell(c, r, v) for c, v in enumerate(row) if v != "") + "</row>" for r, row in enumerate(rows, start=1)
    )
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{body}</sheetData></worksheet>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for name, xml in {**_XLSX_PARTS, "xl/worksheets/sheet1.xml": sheet}.items():
            book.writestr(zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)), xml.encode("utf-8"), zipfile.ZIP_DEFLATED)
    return out.getvalue()


def make_xlsx_batch(batch: Batch, folder: Path) -> Batch:
    """The batch's sheets as .xlsx workbooks in `folder` (same rows, the template's header), same rulesets."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    files = []
    for path in batch.files:
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        target = folder / f"{path.stem}.xlsx"
        target.write_bytes(_xlsx([XLSX_HEADER, *rows[1:]]))
        files.append(target)
    return Batch(batch.rulesets, folder, files, batch.thresholds, batch.rows)


# ---------------------------------------------------------------- a year of automatic stations

# Nine items an automatic station reports, with a centre and spread each; the two nutrients are
# sometimes below their detection limit, written as a laboratory writes a non-detect.
STATION_ITEMS = [
    ("monitoring.water_temp", 15.0, 8.0, None),
    ("monitoring.ph", 7.6, 0.6, None),
    ("monitoring.do", 7.0, 2.5, None),
    ("monitoring.codmn", 4.0, 2.5, None),
    ("monitoring.nh3n", 0.5, 0.45, 0.025),
    ("monitoring.tp", 0.12, 0.1, 0.01),
    ("monitoring.tn", 1.5, 1.0, None),
    ("monitoring.cod", 16.0, 8.0, None),
    ("monitoring.fluoride", 0.6, 0.4, None),
]


def readings_query(stations: int, readings: int, year: int = 2024) -> str:
    """DuckDB SQL giving subject, item, value (text: a number or `<limit`), date: every station's
    readings, evenly spaced over the year, from a hash of (station, reading, item): deterministic."""
    items = ", ".join(
        f"('{code}', {i}, {centre}, {spread}, {limit if limit else 'NULL'})"
        for i, (code, centre, spread, limit) in enumerate(STATION_ITEMS)
    )
    step = 365 * 24 * 3600 // readings
    return f"""
        WITH items(code, n, centre, spread, lim) AS (VALUES {items}),
        draws AS (
            SELECT s.range AS station, r.range AS reading, code, centre, spread, lim,
                   (hash(s.range * 1000003 + r.range * 17 + n) % 1000000) / 1000000.0 AS u,
                   (hash(s.range * 7919 + n) % 1000) / 1000.0 AS bias
            FROM range({stations}) s, range({readings}) r, items
        )
        SELECT printf('站点%05d', station) AS subject, code AS item,
               CASE WHEN lim IS NOT NULL AND u < 0.03 THEN '<' || lim::VARCHAR
                    ELSE round(abs(centre + spread * (2 * u - 1 + bias - 0.5)), 3)::VARCHAR END AS value,
               (TIMESTAMP '{year}-01-01' + to_seconds(reading * {step}))::DATE AS date
        FROM draws
    """


def make_readings(path: Path, stations: int, readings: int, year: int = 2024) -> int:
    """Write the readings to a Parquet (or, by its suffix, CSV) file; returns how many values."""
    import duckdb

    con = duckdb.connect()
    con.execute("SET memory_limit = '1GB'")
    fmt = "PARQUET" if path.suffix == ".parquet" else "CSV, HEADER"
    quoted = str(path).replace("'", "''")
    con.execute(f"COPY ({readings_query(stations, readings, year)}) TO '{quoted}' (FORMAT {fmt})")
    con.close()
    return stations * readings * len(STATION_ITEMS)
