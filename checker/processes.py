"""What a run leaves behind when it is stopped: no workers, no temporary files.

Workers are forked and must die with their parent, even one killed with SIGKILL, which no
handler sees: the kernel kills them (PR_SET_PDEATHSIG). SIGTERM is turned into an exception
in the parent, so that every `with` block unwinds (spill folder, atomic output) before it
exits 143. What a SIGKILL leaves is swept by the next run: temporary names carry the pid
of the process that made them, and those of a pid that is gone are removed.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import shutil
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

PR_SET_PDEATHSIG = 1
# `.findings.json.checker-4242-ab12cd34` (atomic output) and `.checker-spill-4242-ab12cd34`:
# the 8 characters are tempfile's random part.
_TEMP = re.compile(r"^\..*checker-(?:spill-)?(\d+)-[a-z0-9_]{8}$")


class Terminated(BaseException):
    """SIGTERM, raised where the parent happens to be, so clean-ups run; not an Exception,
    so no `except Exception` takes it for an internal error."""


def spill_prefix() -> str:
    """The spill folder's prefix: hidden, and naming its process (atomic.py names its files alike)."""
    return f".checker-spill-{os.getpid()}-"


_STOPS = {signal.SIGINT, signal.SIGTERM}


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Around forking workers: a signal that came during a fork would run the parent's handler in
    Python's at-fork hooks, which swallow its exception (in the parent) or print it (in the child).
    Held, it is delivered once the block ends, or, in a worker, once die_with_parent has run."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def die_with_parent(parent: int) -> None:
    """A worker's initializer: killed when its parent dies; Ctrl-C is the parent's to handle
    (the terminal sends SIGINT to the whole group) and SIGTERM kills it outright."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPS)  # held by signals_held while it was forked
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above: nobody would kill us
        os._exit(1)


@contextlib.contextmanager
def sigterm_raises() -> Iterator[None]:
    """Within the block, SIGTERM raises Terminated (only the main thread may set handlers)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum, frame):
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def sweep_stale(folder: Path) -> None:
    """Remove the temporary files and spill folders that killed runs left in `folder`. Only names
    this module makes, and only of a pid that no longer runs: a concurrent run's are kept."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        match = _TEMP.match(entry.name)
        if match is None or int(match.group(1)) == os.getpid() or _alive(int(match.group(1))):
            continue
        with contextlib.suppress(OSError):
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
