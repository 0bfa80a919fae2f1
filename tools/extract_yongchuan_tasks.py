"""Extract the 整改任务分解表 of the Yongchuan plan into ruleset YAML (run once, output reviewed).

The seed holds the table flattened to text: every cell is followed by one blank line,
an empty cell is one blank line of its own, and the 重点任务 cell appears only on the
first row of its group (a merged cell). Columns: 序号, 重点任务, 具体举措, 完成时限,
牵头单位, 责任单位, 配合单位.

    python tools/extract_yongchuan_tasks.py ../shared/seeds/chongqing-yongchuan-2020.txt > rulesets/chongqing-yongchuan-2020.yaml
"""

import re
import sys

import yaml

DEADLINE = re.compile(r"^(?:(\d{4})年(\d{1,2})月底(完成)?)?(?:,?并?长期(?:坚持|保持))?$")
GROUP = re.compile(r"^[一二三四五六七八九十]+、")


def month_end(year: int, month: int) -> str:
    import calendar

    return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


def extract(text: str) -> list[dict]:
    lines = text.splitlines()
    start = next(i for i, l in enumerate(lines) if l.strip() == "配合单位") + 1
    end = next(i for i, l in enumerate(lines) if l.startswith("抄送"))
    body = [l.strip() for l in lines[start:end]]
    tasks, i, group = [], 0, None
    while i < len(body) and body[i] == "":
        i += 1
    expected = 1
    while expected <= 63:
        assert body[i] == str(expected), (i, body[i], expected)
        i += 2
        if GROUP.match(body[i]):
            group = body[i]
            i += 2
        measure = body[i]
        i += 2
        deadline_text = body[i]
        match = DEADLINE.match(deadline_text)
        assert match and deadline_text, (expected, deadline_text)
        i += 2
        cells = []
        for _ in range(3):
            if body[i] == "":
                cells.append("")
                i += 1
            else:
                cells.append(body[i])
                i += 2
        year, month = match.group(1), match.group(2)
        tasks.append(
            {
                "number": expected,
                "group": group,
                "measure": measure,
                "deadline_text": deadline_text,
                "deadline": month_end(int(year), int(month)) if year else None,
                "ongoing": "长期" in deadline_text,
                "lead": cells[0],
                "responsible": cells[1],
                "cooperating": cells[2],
            }
        )
        while i < len(body) and body[i] == "":
            i += 1
        expected += 1
    return tasks


def units(cell: str) -> list[str]:
    return [u for u in re.split(r"[、,]", cell) if u]


GROUPS_EN = {
    "一": "farm and rural pollution",
    "二": "industrial pollution",
    "三": "river ecology",
    "四": "sewage collection and treatment",
    "五": "rule of law in water governance",
    "六": "safeguards for pollution prevention",
}


def ruleset_yaml(tasks: list[dict]) -> str:
    """The ruleset file as reviewed and committed in rulesets/chongqing-yongchuan-2020.yaml."""
    out = [
        "# 重庆市永川区人民政府办公室关于印发区人大常委会水污染防治工作情况评议意见整改方案的通知",
        "# (永川府办发〔2020〕82号). The 63 tasks of its annex 整改任务分解表, one rule each, generated",
        "# by tools/extract_yongchuan_tasks.py from the seed text and reviewed. Units are as the",
        "# table gives them: 48 rows leave 牵头单位 empty and name only the 责任单位.",
        "# The period's end (2025, the 十四五 horizon) is ours: the text sets none for 长期坚持 duties.",
        "id: chongqing-yongchuan-2020",
        "jurisdiction: chongqing-yongchuan",
        "period: {start: 2020, end: 2025}",
        "seed: chongqing-yongchuan-2020.txt",
        "document:",
        "  title: 区人大常委会水污染防治工作情况评议意见整改方案",
        "  number: 永川府办发〔2020〕82号",
        "rules:",
    ]
    for t in tasks:
        n = t["number"]
        group_numeral = t["group"].split("、")[0]
        rule = {"id": f"chongqing-yongchuan-2020.task-{n:02d}", "kind": "task", "subject": str(n)}
        if t["deadline"]:
            rule["deadline"] = t["deadline"]
        rule["ongoing"] = t["ongoing"]
        short = re.split(r"[。;；]", t["measure"])[0]
        short = short if len(short) <= 36 else short[:35] + "…"
        rule["title"] = {"zh": f"整改任务{n}：{short}", "en": f"Rectification task {n} ({GROUPS_EN[group_numeral]})"}
        rule["category"] = "key_task"
        for key, cell in (("lead_units", "lead"), ("responsible_units", "responsible"), ("cooperating_units", "cooperating")):
            if t[cell]:
                rule[key] = units(t[cell])
        rule["clause"] = f"附件 整改任务分解表 第{n}项；{t['group']}"
        rule["quote"] = t["measure"]
        text = yaml.safe_dump([rule], allow_unicode=True, sort_keys=False, width=10000)
        out.append("\n".join("  " + line for line in text.rstrip().splitlines()))
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(ruleset_yaml(extract(open(sys.argv[1], encoding="utf-8").read())), end="")
