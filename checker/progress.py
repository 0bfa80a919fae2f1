"""A progress bar on stderr for runs long enough to wonder about.

The library reports progress through two calls, `start(stage, total)` for each stage of a
run and `advance(count)` as its work is done; `Progress.silent()` ignores both. The bar is drawn only
once a run has lasted DELAY_S (a small batch finishes without one), at most every
REDRAW_S, and only where the command line asks for it (a terminal, no --quiet).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

DELAY_S = 2.0
REDRAW_S = 0.1
WIDTH = 30
STAGES = {  # stage -> (zh, en)
    "plans": ("读取规划", "reading plans"),
    "sheets": ("读取报表", "reading sheets"),
    "checking": ("检查", "checking"),
}


class Progress:
    def __init__(self, stream: TextIO | None, lang: str = "zh", clock: Callable[[], float] = time.monotonic):
        self._stream = stream  # None: nothing is ever drawn
        self._lang = lang
        self._clock = clock
        self._began = clock()
        self._label, self._total, self._done = "", 0, 0
        self._stage_began = self._began
        self._drawn_at: float | None = None
        self._line = ""

    @classmethod
    def silent(cls) -> Progress:
        return cls(None)

    def start(self, stage: str, total: int) -> None:
        """A new stage (one of STAGES) and how many steps it has."""
        self._end_line()
        zh, en = STAGES[stage]
        self._label, self._total, self._done = zh if self._lang == "zh" else en, total, 0
        self._stage_began = self._clock()
        self._draw(force=True)

    def advance(self, count: int = 1) -> None:
        self._done = min(self._total, self._done + count)
        self._draw(force=self._done == self._total)

    def finish(self) -> None:
        self._end_line()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc) -> None:
        self.finish()  # the bar's line ends before anything else is written to stderr

    def _draw(self, force: bool) -> None:
        if self._stream is None or self._total <= 0:
            return
        now = self._clock()
        if now - self._began < DELAY_S:
            return
        if not force and self._drawn_at is not None and now - self._drawn_at < REDRAW_S:
            return
        share = self._done / self._total
        filled = int(WIDTH * share)
        line = f"{self._label} [{'#' * filled}{'-' * (WIDTH - filled)}] {self._done}/{self._total} {share:4.0%}"
        elapsed = now - self._stage_began
        if 0 < self._done < self._total and elapsed > 0:
            left = elapsed * (self._total - self._done) / self._done
            line += f"  {int(left) // 60:d}:{int(left) % 60:02d}"
        # Pad over the longer line it replaces; \r keeps the bar on one terminal line.
        self._stream.write("\r" + line.ljust(len(self._line)))
        self._stream.flush()
        self._line, self._drawn_at = line, now

    def _end_line(self) -> None:
        if self._stream is not None and self._line:
            self._stream.write("\n")
            self._stream.flush()
        self._line, self._drawn_at = "", None
