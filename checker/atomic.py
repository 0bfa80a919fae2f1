"""Outputs are written atomically: to a temporary file beside the target, then renamed, so a
reader never sees half a report, and a failed run leaves the previous report in place.

Only regular files are replaced. A rename over a device, a FIFO or a folder would put a
regular file in its place (as root, `--output /dev/null` turned the device into one), so
such a target is refused before anything is written. A symbolic link to a file is written
through: the link stays, the file it names gets the new bytes (renamed into place beside
it). The new file gets the mode the umask gives, as any file the user makes would.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import click

KINDS = {
    stat.S_IFCHR: ("字符设备", "a character device"),
    stat.S_IFBLK: ("块设备", "a block device"),
    stat.S_IFIFO: ("命名管道", "a FIFO"),
    stat.S_IFSOCK: ("套接字", "a socket"),
    stat.S_IFDIR: ("文件夹", "a folder"),
}


class NotARegularFile(OSError, click.ClickException):
    """An output path that names something other than a regular file. A click exception as
    well, so that any command writing output says so in one line and exits 2."""

    exit_code = 2

    def __init__(self, path: Path, mode: int):
        zh, en = KINDS.get(stat.S_IFMT(mode), ("特殊文件", "not a regular file"))
        message = f"输出位置 {path} 是{zh}，不是普通文件，未写入 / the output {path} is {en}, not a regular file: nothing written"
        click.ClickException.__init__(self, message)

    def __str__(self) -> str:
        return self.message


def output_path(path: Path) -> Path:
    """Where the bytes for `path` go: `path` itself, or the file a symbolic link at `path` names.
    Raises NotARegularFile for anything else that exists there."""
    real = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        return real
    if not stat.S_ISREG(mode):
        raise NotARegularFile(path, mode)
    return real


def _umask() -> int:
    try:  # Linux says it without changing it (a change, however brief, is seen by every thread)
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A binary file to stream into; it becomes `path` only when the block ends without error."""
    target = output_path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.checker-{os.getpid()}-", dir=target.parent)  # pid: see processes.sweep_stale
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes it 0600, and the rename would keep that
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        output_path(path)  # still a file (or nothing) after the time spent writing
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomically(path: Path, data: bytes) -> None:
    with atomic_file(path) as handle:
        handle.write(data)
