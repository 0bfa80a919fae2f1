"""How long `checker rulesets draft` takes on a 30,000-character plan: a seed repeated and cut
to size, read (structure, units) and drafted (targets, duties, catalog, YAML). Prints the time;
the issue's bar is under a second on the project's machine.

    PYTHONPATH=$PWD python benchmarks/draft.py [--chars 30000] [--seed daxinganling.txt]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def plan_text(seed: str, chars: int) -> str:
    text = (ROOT / "rulesets" / "seeds" / seed).read_text(encoding="utf-8")
    repeated = text
    while len(repeated) < chars:
        repeated += "\n" + text
    cut = repeated[:chars]
    return cut[: cut.rfind("\n")] if "\n" in cut else cut  # end on a whole line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=30000)
    parser.add_argument("--seed", default="daxinganling.txt")
    args = parser.parse_args()
    text = plan_text(args.seed, args.chars)

    start = time.perf_counter()
    from checker.plan import read_text
    from checker.plan.draft import draft

    imported = time.perf_counter()
    plan = read_text(text, args.seed)
    read = time.perf_counter()
    result = draft(plan, "bench-county", 2016, ROOT / "rulesets")
    done = time.perf_counter()
    print(
        f"{len(text):,} characters, {len(plan.sentences)} sentences, {len(result.rules)} rules: "
        f"import {imported - start:.2f} s, read {read - imported:.2f} s, draft {done - read:.2f} s, "
        f"total {done - start:.2f} s"
    )


if __name__ == "__main__":
    main()
