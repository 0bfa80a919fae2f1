"""Intake: what arrives, walked, looked at before it is opened, hashed and read into raw rows.

Nothing here judges: every file becomes an InputFile (read, or why not) and its rows, and
what could not be used becomes a located Problem. The run goes on with everything else.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from checker.models import InputFile, Location, Problem, Text
from checker.progress import Progress
from checker.readers import SUFFIXES, NotASheet, RawRow, read_sheet


def display_name(path: Path) -> str:
    return path.as_posix()


@dataclass(frozen=True)
class Limits:
    """What a file may cost before it is refused: a run must survive whatever arrives."""

    max_file_bytes: int = 200 * 1024 * 1024
    max_unzipped_bytes: int = 500 * 1024 * 1024  # an XLSX is a zip: refuse one that inflates past this


def _hidden(name: str) -> bool:
    """.DS_Store, .git, Excel's ~$ lock files: what systems and editors leave, never a submission."""
    return name.startswith((".", "~$"))


def _scan(root: Path, folder: Path, found: list[Path], refused: list[Problem], passed: list[InputFile]) -> None:
    try:
        with os.scandir(folder) as entries:
            entries = sorted(entries, key=lambda e: e.name)  # the listing's order is the disk's, not the same twice
    except OSError as exc:  # a subfolder that cannot be listed: its files are unknown, so the run cannot be complete
        display = display_name(folder)
        refused.append(
            _unreadable(
                display,
                f"文件夹无法读取（{exc.strerror or exc}），其中的文件未检查",
                f"the folder cannot be read ({exc.strerror or exc}); its files were not checked",
            )
        )
        return
    for entry in entries:
        path = folder / entry.name
        if _hidden(entry.name):
            passed.append(
                InputFile(
                    file=display_name(path),
                    sha256=None,
                    read=False,
                    note="隐藏文件：以 . 或 ~$ 开头的是系统文件或锁文件，已跳过 / "
                    "hidden: a name beginning with . or ~$ is a system or lock file; passed over",
                )
            )
        elif entry.is_dir(follow_symlinks=False):
            _scan(root, path, found, refused, passed)
        elif entry.is_symlink():
            display = display_name(path)
            if not path.exists():  # also a loop of links, which resolve() would raise on
                refused.append(_unreadable(display, "符号链接指向的文件不存在", "a symbolic link to nothing"))
            elif (target := path.resolve()) != root and root not in target.parents:
                refused.append(
                    _unreadable(
                        display,
                        f"符号链接指向输入文件夹之外（{target}），未读取",
                        f"a symbolic link to outside the input folder ({target}); not read",
                    )
                )
            elif not target.is_dir():  # a link to a folder inside: its files are reached directly
                found.append(path)
        else:  # regular or not (a FIFO, a device): _read_one looks before it opens anything
            found.append(path)


def walk(paths: list[Path]) -> tuple[list[Path], list[Problem], list[InputFile]]:
    """Every file under the given paths, sorted, each once, so runs are reproducible; what could not
    be used (a folder that cannot be listed, a link out of its folder, an empty folder); and the
    hidden files passed over. A file named on the command line is taken as named."""
    files: list[Path] = []
    refused: list[Problem] = []
    passed: list[InputFile] = []
    for path in paths:
        if not path.is_dir():
            files.append(path)
            continue
        found: list[Path] = []
        problems_before = len(refused)
        _scan(path.resolve(), path, found, refused, passed)
        if not found and len(refused) == problems_before:
            display = display_name(path)
            refused.append(
                _unreadable(display, "文件夹中没有可检查的文件，未检查任何内容", "the folder holds no file to check; nothing was checked")
            )
        files.extend(sorted(found, key=lambda p: p.as_posix()))
    unique: dict[str, Path] = {}
    for f in files:
        unique.setdefault(os.path.normpath(f.as_posix()), f)
    return list(unique.values()), refused, passed


def _unreadable(display: str, zh: str, en: str) -> Problem:
    return Problem(location=Location(file=display), message=Text(zh=f"{display}：{zh}", en=f"{display}: {en}"))


def read_inputs(
    paths: list[Path], limits: Limits = Limits(), progress: Progress | None = None
) -> tuple[list[RawRow], list[InputFile], list[Problem]]:
    files, refused, passed = walk(paths)
    progress = progress or Progress.silent()
    progress.start("sheets", len(files))
    rows, inputs, problems = read_files(files, limits, progress)
    return rows, inputs + passed, refused + problems


def read_files(
    files: list[Path], limits: Limits = Limits(), progress: Progress | None = None
) -> tuple[list[RawRow], list[InputFile], list[Problem]]:
    progress = progress or Progress.silent()
    rows: list[RawRow] = []
    inputs: list[InputFile] = []
    problems: list[Problem] = []
    for path in files:
        progress.advance()
        display = display_name(path)
        try:
            found_rows, found_input, found_problems = _read_one(path, display, limits)
        except OSError as exc:  # unreadable (permissions, vanished while reading): this file only
            found_rows, found_input = [], None
            found_problems = [_unreadable(display, f"无法读取：{exc.strerror or exc}", f"cannot be read: {exc.strerror or exc}")]
        rows.extend(found_rows)
        problems.extend(found_problems)
        if found_input is not None:
            inputs.append(found_input)
    return rows, inputs, problems


_KINDS = (
    (stat.S_ISDIR, "文件夹", "a folder"),
    (stat.S_ISFIFO, "命名管道（FIFO）", "a named pipe (FIFO)"),
    (stat.S_ISCHR, "字符设备", "a character device"),
    (stat.S_ISBLK, "块设备", "a block device"),
    (stat.S_ISSOCK, "套接字", "a socket"),
)


def _refused(display: str, zh: str, en: str) -> tuple[list[RawRow], InputFile, list[Problem]]:
    """Refused before it was opened: listed, with no hash (nothing was read to make one)."""
    problem = _unreadable(display, zh, en)
    return [], InputFile(file=display, sha256=None, read=False, note=problem.message.en), [problem]


def _read_one(path: Path, display: str, limits: Limits) -> tuple[list[RawRow], InputFile | None, list[Problem]]:
    # Type and size before anything is opened: a FIFO or a device would block or never end.
    try:
        info = os.stat(path)  # follows a link: walk has let through only links inside their folder
    except FileNotFoundError:
        return [], None, [_unreadable(display, "文件不存在", "no such file")]
    if not stat.S_ISREG(info.st_mode):
        zh, en = next(((zh, en) for test, zh, en in _KINDS if test(info.st_mode)), ("特殊文件", "a special file"))
        return _refused(display, f"{zh}，不是普通文件，未读取", f"{en}, not a regular file; not read")
    if info.st_size > limits.max_file_bytes:
        return _refused(
            display,
            f"文件大小 {info.st_size} 字节，超过上限 {limits.max_file_bytes} 字节，未读取",
            f"{info.st_size} bytes, over the limit of {limits.max_file_bytes}; not read",
        )
    digest = _sha256(path, limits.max_file_bytes)
    if digest is None:  # it grew past the limit while it was hashed
        return _refused(
            display,
            f"读取时超过大小上限 {limits.max_file_bytes} 字节，未读取",
            f"grew past the limit of {limits.max_file_bytes} bytes while read; not read",
        )
    if path.suffix.lower() not in SUFFIXES:
        types = " ".join(SUFFIXES)
        problem = _unreadable(
            display,
            f"不是检查程序读取的表格类型（{types}），未检查；请另存为其中一种",
            f"not a sheet type the checker reads ({types}); not checked: save it as one of them",
        )
        return [], InputFile(file=display, sha256=digest, read=False, note=problem.message.en), [problem]
    try:
        sheet = read_sheet(path, display, limits.max_unzipped_bytes)
    except NotASheet as exc:
        return (
            [],
            InputFile(file=display, sha256=digest, read=False, note=exc.text.en),
            [Problem(location=Location(file=display, sheet=exc.sheet, row=exc.row, column=exc.column), message=exc.text)],
        )
    except Exception as exc:  # a reader library's own failure: this file is lost, never the run
        problem = _unreadable(display, f"无法读取（{type(exc).__name__}: {exc}）", f"cannot be read ({type(exc).__name__}: {exc})")
        return [], InputFile(file=display, sha256=digest, read=False, note=problem.message.en), [problem]
    return sheet.rows, InputFile(file=display, sha256=digest, read=True), sheet.problems


def read_regular(path: Path, limit: int) -> bytes:
    """A regular file's bytes, at most `limit` of them: a FIFO, a device or a file past the
    limit is an OSError saying so, never a read that blocks or never ends."""
    with open(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if not stat.S_ISREG(mode):
            kind = next((en for test, _, en in _KINDS if test(mode)), "a special file")
            raise OSError(f"{path} is {kind}, not a regular file")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise OSError(f"{path} is over the limit of {limit} bytes")
    return data


def _sha256(path: Path, limit: int) -> str | None:
    """The file's hash, or None past `limit` bytes. Opened without blocking, and looked at again
    once open: what was a regular file at stat() may have been swapped for a FIFO since."""
    digest, seen = hashlib.sha256(), 0
    with open(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise OSError(f"{path} is no longer a regular file")
        for block in iter(lambda: handle.read(1 << 20), b""):
            seen += len(block)
            if seen > limit:
                return None
            digest.update(block)
    return digest.hexdigest()
