"""Parquet tables (the national release as a data pipeline stores it), read with pyarrow when it
is installed (`pip install pyarrow`); without it, the file is a located error saying so."""

from __future__ import annotations

from pathlib import Path

from checker.readers import NotASheet, RawSheet, rows_from_table


def read(path: Path, display: str, max_unzipped_bytes: int | None = None) -> RawSheet:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise NotASheet(
            f"{display}：读取 Parquet 文件需要安装 pyarrow（pip install pyarrow）",
            f"{display}: reading Parquet needs pyarrow, which is not installed (pip install pyarrow)",
        ) from None
    try:
        parquet = pq.ParquetFile(path)
        if (
            max_unzipped_bytes is not None
            and parquet.metadata.serialized_size
            + sum(parquet.metadata.row_group(i).total_byte_size for i in range(parquet.metadata.num_row_groups))
            > max_unzipped_bytes
        ):
            raise NotASheet(
                f"{display}：Parquet 数据解压后超过上限", f"{display}: the Parquet data would exceed the size limit once decompressed"
            )
        data = parquet.read()
    except NotASheet:
        raise
    except Exception as exc:  # pyarrow's errors have no common base worth naming
        raise NotASheet(f"{display}：不是有效的 Parquet 文件：{exc}", f"{display}: not a valid Parquet file: {exc}") from None
    names = data.column_names
    columns = [data.column(name).to_pylist() for name in names]
    # A header row, then the rows: the same table the CSV and XLSX readers hand over (row 1 the header).
    table = [list(names), *([col[r] for col in columns] for r in range(data.num_rows))]
    return rows_from_table(table, display, None, path=path)
