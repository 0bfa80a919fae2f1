"""Make docs/report.png, the README's picture of the HTML report, from inputs/.

    python tools/readme_screenshot.py

Needs Debian's chromium (and fonts-noto-cjk for the Chinese glyphs). The picture is the
top of the page: the summary with grades, the grading scheme and the start of the
lead-unit view.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker.pipeline import run_check  # noqa: E402
from checker.reports import render  # noqa: E402
from checker.rulesets import load_rulebook  # noqa: E402
from tests.browser import Browser  # noqa: E402


def main() -> None:
    report = run_check([Path("inputs")], load_rulebook(ROOT / "rulesets"))
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "findings.html"
        page.write_bytes(render(report, "html", "zh"))
        with Browser(width=1200, height=1500) as browser:
            browser.open(page)
            browser.screenshot(ROOT / "docs" / "report.png", full_page=False)
    print("wrote docs/report.png")


if __name__ == "__main__":
    main()
