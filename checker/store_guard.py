"""What is not a findings store is refused, never written into: another program's SQLite
file, a file that is no database, tables of ours with other columns."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

from checker.store_schema import metadata


class StoreError(Exception):
    """A store that cannot be used, said in both languages (`str()` gives the English); `reason`,
    when the database failed, is its own words alone (password masked)."""

    def __init__(self, zh: str, en: str, reason: str | None = None):
        super().__init__(en)
        self.zh, self.en, self.reason = zh, en, reason


def _not_a_store(name: str, zh: str, en: str) -> StoreError:
    return StoreError(f"{name} 不是本工具的结果库：{zh}，未做任何改动", f"{name} is not a checker store: {en}; left untouched")


def refuse_foreign_sqlite(path: Path, create: bool) -> None:
    """Refuse, before any connection writes to it (WAL mode rewrites the header), a SQLite file
    that another application owns, or that is no database at all."""
    name = str(path)
    if not path.exists():
        if not create:
            raise StoreError(
                f"结果库不存在：{name}（只有 check --db 会新建结果库）", f"no such store: {name} (only check --db creates one)"
            )
        if not path.parent.is_dir():
            raise StoreError(
                f"无法新建结果库 {name}：文件夹 {path.parent} 不存在", f"cannot create the store {name}: there is no folder {path.parent}"
            )
        return
    if path.is_dir():
        raise _not_a_store(name, "这是一个文件夹", "it is a folder")
    with open(path, "rb") as handle:
        header = handle.read(16)
    if not header:
        if create:
            return  # an empty file is an empty database: the store is made in it
        raise _not_a_store(name, "文件是空的", "the file is empty")
    if header != b"SQLite format 3\x00":
        raise _not_a_store(name, "不是 SQLite 数据库文件", "not a SQLite database file")
    try:
        conn = sqlite3.connect(f"file:{quote(path.resolve().as_posix())}?mode=ro", uri=True, timeout=30)
        try:
            tables = {
                row[0]: {c[1] for c in conn.execute(f'pragma table_info("{_quoted(row[0])}")')}
                for row in conn.execute("select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\'")
            }
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise _not_a_store(name, f"无法作为 SQLite 数据库读取（{exc}）", f"it cannot be read as a SQLite database ({exc})") from None
    if not tables and not create:
        raise _not_a_store(name, "数据库是空的", "the database is empty")
    refuse_foreign_tables(name, tables, everything_ours=True)


def _quoted(name: str) -> str:
    return name.replace('"', '""')


def refuse_foreign_tables(name: str, tables: dict[str, set[str]], everything_ours: bool) -> None:
    """A table of ours with other columns is another application's; so, in a SQLite file (one
    application's), is any table we do not know. A store half made by a racing run is ours."""
    foreign = sorted(
        t
        for t, columns in tables.items()
        if (t in metadata.tables and columns != {c.name for c in metadata.tables[t].columns})
        or (t not in metadata.tables and everything_ours)
    )
    if foreign:
        listed = ", ".join(foreign[:5]) + (" …" if len(foreign) > 5 else "")
        raise _not_a_store(name, f"其中的表（{listed}）属于其他应用", f"it holds another application's tables ({listed})")
