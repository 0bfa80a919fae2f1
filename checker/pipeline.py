"""The pipeline: files -> raw rows -> observations -> facts -> engine -> findings -> Report.

`run_check` is what the CLI calls and what Python users call (`checker.pipeline`).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from checker import __version__
from checker.derive import depends_on, derive
from checker.grading import grade_submission
from checker.engine import Engine
from checker.history import History
from checker.progress import Progress
from checker.models import Derived, Finding, InputFile, Location, Problem, Report, Submission, Text
from checker.observations import SubmissionInput, collect
from checker.readers import SUFFIXES, NotASheet, RawRow, read_sheet
from checker.rules import KINDS
from checker.rules.base import Context, Prepared
from checker.rulesets import LoadedRuleset, RuleBook
from checker.statuses import submission_status, summarize
from checker.waivers import WAIVER, apply_waivers, sheet_waivers



def _display(path: Path) -> str:
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
        display = _display(folder)
        refused.append(_unreadable(display, f"文件夹无法读取（{exc.strerror or exc}），其中的文件未检查",
                                   f"the folder cannot be read ({exc.strerror or exc}); its files were not checked"))
        return
    for entry in entries:
        path = folder / entry.name
        if _hidden(entry.name):
            passed.append(InputFile(file=_display(path), sha256=None, read=False,
                                    note="hidden: a name beginning with . or ~$ is a system or lock file; passed over"))
        elif entry.is_dir(follow_symlinks=False):
            _scan(root, path, found, refused, passed)
        elif entry.is_symlink():
            display = _display(path)
            if not path.exists():  # also a loop of links, which resolve() would raise on
                refused.append(_unreadable(display, "符号链接指向的文件不存在", "a symbolic link to nothing"))
            elif (target := path.resolve()) != root and root not in target.parents:
                refused.append(_unreadable(display, f"符号链接指向输入文件夹之外（{target}），未读取",
                                           f"a symbolic link to outside the input folder ({target}); not read"))
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
            display = _display(path)
            refused.append(_unreadable(display, "文件夹中没有可检查的文件，未检查任何内容",
                                       "the folder holds no file to check; nothing was checked"))
        files.extend(sorted(found, key=lambda p: p.as_posix()))
    unique: dict[str, Path] = {}
    for f in files:
        unique.setdefault(os.path.normpath(f.as_posix()), f)
    return list(unique.values()), refused, passed


def _unreadable(display: str, zh: str, en: str) -> Problem:
    return Problem(location=Location(file=display), message=Text(zh=f"{display}：{zh}", en=f"{display}: {en}"))


def read_inputs(paths: list[Path], limits: Limits = Limits(),
                progress: Progress | None = None) -> tuple[list[RawRow], list[InputFile], list[Problem]]:
    files, refused, passed = walk(paths)
    progress = progress or Progress.silent()
    progress.start("sheets", len(files))
    rows, inputs, problems = read_files(files, limits, progress)
    return rows, inputs + passed, refused + problems


def read_files(files: list[Path], limits: Limits = Limits(),
               progress: Progress | None = None) -> tuple[list[RawRow], list[InputFile], list[Problem]]:
    progress = progress or Progress.silent()
    rows: list[RawRow] = []
    inputs: list[InputFile] = []
    problems: list[Problem] = []
    for path in files:
        progress.advance()
        display = _display(path)
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


_KINDS = ((stat.S_ISDIR, "文件夹", "a folder"), (stat.S_ISFIFO, "命名管道（FIFO）", "a named pipe (FIFO)"),
          (stat.S_ISCHR, "字符设备", "a character device"), (stat.S_ISBLK, "块设备", "a block device"),
          (stat.S_ISSOCK, "套接字", "a socket"))


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
        return _refused(display, f"文件大小 {info.st_size} 字节，超过上限 {limits.max_file_bytes} 字节，未读取",
                        f"{info.st_size} bytes, over the limit of {limits.max_file_bytes}; not read")
    digest = _sha256(path, limits.max_file_bytes)
    if digest is None:  # it grew past the limit while it was hashed
        return _refused(display, f"读取时超过大小上限 {limits.max_file_bytes} 字节，未读取",
                        f"grew past the limit of {limits.max_file_bytes} bytes while read; not read")
    if path.suffix.lower() not in SUFFIXES:
        types = " ".join(SUFFIXES)
        problem = _unreadable(display, f"不是检查程序读取的表格类型（{types}），未检查；请另存为其中一种",
                              f"not a sheet type the checker reads ({types}); not checked: save it as one of them")
        return [], InputFile(file=display, sha256=digest, read=False, note=problem.message.en), [problem]
    try:
        sheet = read_sheet(path, display, limits.max_unzipped_bytes)
    except NotASheet as exc:
        return [], InputFile(file=display, sha256=digest, read=False, note=exc.text.en), \
            [Problem(location=Location(file=display, sheet=exc.sheet, row=exc.row, column=exc.column), message=exc.text)]
    except Exception as exc:  # a reader library's own failure: this file is lost, never the run
        problem = _unreadable(display, f"无法读取（{type(exc).__name__}: {exc}）", f"cannot be read ({type(exc).__name__}: {exc})")
        return [], InputFile(file=display, sha256=digest, read=False, note=problem.message.en), [problem]
    return sheet.rows, InputFile(file=display, sha256=digest, read=True), sheet.problems


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


def evaluate_submission(sub: SubmissionInput, derived: list[Derived], book: RuleBook, engine: Engine, as_of: dt.date,
                        history: History | None = None) -> Submission:
    """One submission judged: `sub` as derive() returned it, with `derived`, the list of what it derived."""
    history = history or History({})
    findings: list[Finding] = []
    rulesets = book.rulesets_for(sub.jurisdiction, sub.year)
    for lr in rulesets:
        ctx = Context(book, sub, as_of, history, lr.ruleset)
        waiting: dict[str, tuple[object, Prepared]] = {}
        for rule in ctx.ruleset.rules:
            prepared = KINDS[rule.kind].prepare(rule, ctx)
            if isinstance(prepared, Prepared):
                waiting[rule.id] = rule, prepared
            else:
                findings.append(prepared)
        outcomes = engine.evaluate(ctx.ruleset.id, [prepared.fact for _, prepared in waiting.values()])
        for rule_id, outcome in outcomes.items():
            rule, prepared = waiting[rule_id]
            findings.append(KINDS[rule.kind].judged(rule, prepared, outcome, ctx))
    known = {r.id for lr in rulesets for r in lr.ruleset.rules}
    from_sheet, waiver_problems = sheet_waivers(sub, known)
    findings = apply_waivers(findings, [w for lr in rulesets for w in lr.ruleset.waivers] + from_sheet, as_of)
    problems = list(sub.problems) + waiver_problems
    if not rulesets:
        problems.append(Problem(location=Location(file=sorted(sub.files)[0] if sub.files else ""),
                                jurisdiction=sub.jurisdiction, year=sub.year, message=Text(
            zh=f"没有覆盖{book.jurisdiction_name(sub.jurisdiction)} {sub.year} 年度的规划",
            en=f"no plan covers {sub.jurisdiction} in {sub.year}")))
    # Water quality first, then the plan's own order: how an officer reads the plan.
    position = {r.id: (i, n) for i, lr in enumerate(rulesets) for n, r in enumerate(lr.ruleset.rules)}
    findings.sort(key=lambda f: (f.category != "water_quality", position[f.rule_id], f.subject or ""))
    listed_problems = [p for p in problems if not _is_rule_problem(p, rulesets)]
    status = submission_status([f.status for f in findings] + ["error"] * len(listed_problems))
    grade = grade_submission(findings, book.grading) if book.grading and rulesets else None
    return Submission(jurisdiction=sub.jurisdiction, year=sub.year, as_of=as_of, files=sorted(sub.files),
                      status=status, rulesets=[lr.ref for lr in rulesets], derived=derived, findings=findings,
                      problems=listed_problems, notes=list(sub.notes), grade=grade)


def _is_rule_problem(problem: Problem, rulesets: list[LoadedRuleset]) -> bool:
    """Problems already reported as a rule's `error` finding are not listed twice."""
    read = {r.indicator for lr in rulesets for r in lr.ruleset.rules} - {WAIVER}
    return problem.indicator in read or any(depends_on(code, problem.indicator) for code in read)


def run_check(paths: list[Path], book: RuleBook, as_of: dt.date | None = None, limits: Limits = Limits(),
              store=None) -> Report:
    """Check the sheets; with a store, rules read the years this run lacks from it, and the run is recorded."""
    report, submissions_in = check_inputs(paths, book, as_of, limits, store)
    if store is not None:
        store.record(report, submissions_in)
    return report


def check_inputs(paths: list[Path], book: RuleBook, as_of: dt.date | None = None, limits: Limits = Limits(),
                 store=None, progress: Progress | None = None) -> tuple[Report, dict[tuple[str, int], SubmissionInput]]:
    """The report, and what was read for it (which a store records)."""
    rows, inputs, stray = read_inputs([Path(p) for p in paths], limits, progress)
    submissions_in, unplaced = collect(rows, book)
    stray.extend(unplaced)
    submissions = evaluate_all(submissions_in, book, as_of, store, progress=progress)
    return assemble(inputs, stray, submissions, book, as_of), submissions_in


def evaluate_all(submissions_in: dict[tuple[str, int], SubmissionInput], book: RuleBook, as_of: dt.date | None,
                 store=None, only: set[str] | None = None, progress: Progress | None = None) -> list[Submission]:
    """Every submission of these inputs (or of the jurisdictions in `only`), in key order."""
    wanted = {key: sub for key, sub in submissions_in.items() if only is None or sub.jurisdiction in only}
    # Every year derived before any is judged: a rule comparing years reads the other year's
    # derived values (a share from section classes) even where that year is only a baseline.
    derived = {key: derive(sub, book) for key, sub in wanted.items()}
    history = History({**submissions_in, **{key: sub for key, (sub, _) in derived.items()}}, store)
    judged = [key for key in sorted(derived) if not _baseline_only(wanted[key], book)]
    progress = progress or Progress.silent()
    progress.start("checking", len(judged))
    submissions = []
    with Engine(book.ruleset) as engine:
        for key in judged:
            sub, values = derived[key]
            submissions.append(evaluate_submission(sub, values, book, engine, as_of or dt.date(sub.year, 12, 31),
                                                   history))
            progress.advance()
    return submissions


def assemble(inputs: list[InputFile], stray: list[Problem], submissions: list[Submission], book: RuleBook,
             as_of: dt.date | None) -> Report:
    summary = summarize([*(f.status for s in submissions for f in s.findings),
                         *["error"] * (len(stray) + sum(len(s.problems) for s in submissions))], len(submissions))
    return Report(checker_version=__version__, as_of=as_of, inputs=inputs,
                  rulesets=[lr.ref for lr in book.rulesets], submissions=submissions,
                  jurisdiction_names=jurisdiction_names(book, (s.jurisdiction for s in submissions)),
                  errors=sorted(stray, key=lambda p: (p.location.file, p.location.row or 0)),
                  grading=book.grading_ref, summary=summary)


def jurisdiction_names(book: RuleBook, jurisdictions: Iterable[str]) -> dict[str, str]:
    """What the reports call each jurisdiction: a county its plan declares keeps its own name."""
    return {j: book.jurisdiction_name(j) for j in sorted(set(jurisdictions))}


def _baseline_only(sub: SubmissionInput, book: RuleBook) -> bool:
    """Rows of a year no plan covers that only give baselines (e.g. Putuo's 2015 water use)
    are read by the reduction rules, not checked as a submission of their own."""
    wanted = book.baseline_needs.get((sub.jurisdiction, sub.year))
    return bool(wanted) and not book.rulesets_for(sub.jurisdiction, sub.year) and not sub.problems \
        and {code for code, _ in sub.observations} <= wanted


def exit_code(report: Report) -> int:
    """Contract §6: 2 if anything could not be used, 1 if any fail or missing, else 0."""
    if report.summary["error"]:
        return 2
    if report.summary["fail"] or report.summary["missing"]:
        return 1
    return 0
