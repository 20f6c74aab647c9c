"""The full data export: every table of the database as CSV and as Parquet, in one zip with
the schema version and a README of the columns.

The same database gives the same bytes: rows in a fixed order (``ORDER BY ALL``), the zip's
entries in name order with a fixed time, values written the same way every time. The
Parquet files are those a backup carries (``store.backup``), so the backup's checksums are
the export's too.

The CSV files are for people and spreadsheets: UTF-8 with a byte-order mark (Excel then
reads the Sámi letters right), comma-separated, a header row; an empty field is NULL or
an empty text; no text field is run as a formula (``store.cells.csv_text``). The Parquet
files carry every value exactly, with its type.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import tempfile
import zipfile
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

from store.cells import csv_text
from store.db import schema_version
from store.guard import raw_connection
from store.table_meanings import TABLES, column_meaning

FORMAT = "bibvalg-data"
FORMAT_VERSION = 1
# Every zip entry gets this time (the earliest a zip can hold), so the bytes do not
# depend on when the export was made.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
MANIFEST = "manifest.json"
README = "README.md"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def table_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every table of the database, by name."""
    rows = con.execute(
        "SELECT table_name FROM duckdb_tables()"
        " WHERE schema_name = 'main' AND NOT internal AND NOT temporary ORDER BY table_name"
    ).fetchall()
    return [str(r[0]) for r in rows]


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    """A table's columns as (name, type), in the table's order."""
    rows = con.execute(
        "SELECT column_name, data_type FROM duckdb_columns()"
        " WHERE schema_name = 'main' AND table_name = ? ORDER BY column_index",
        [table],
    ).fetchall()
    return [(str(r[0]), str(r[1])) for r in rows]


def sequences(con: duckdb.DuckDBPyConnection) -> dict[str, int | None]:
    """Where each sequence stands: the last value it gave (None: none yet)."""
    rows = con.execute(
        "SELECT sequence_name, last_value FROM duckdb_sequences()"
        " WHERE schema_name = 'main' ORDER BY sequence_name"
    ).fetchall()
    return {str(r[0]): None if r[1] is None else int(r[1]) for r in rows}


def _ordered(table: str) -> str:
    return f'SELECT * FROM "{table}" ORDER BY ALL'


def parquet_files(con: duckdb.DuckDBPyConnection, tables: list[str]) -> dict[str, bytes]:
    """Each table as a Parquet file's bytes, rows in a fixed order. DuckDB writes Parquet
    only to a file (COPY, which bibvalg's guarded connections refuse), so this runs on the
    connection underneath, in a folder of its own."""
    raw = raw_connection(con)
    found = {}
    with tempfile.TemporaryDirectory(prefix="bibvalg-parquet-") as folder:
        for table in tables:
            path = Path(folder) / f"{table}.parquet"
            quoted = str(path).replace("'", "''")
            raw.execute(f"COPY ({_ordered(table)}) TO '{quoted}' (FORMAT parquet)")
            found[table] = path.read_bytes()
    return found


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    return csv_text(value)


def csv_file(con: duckdb.DuckDBPyConnection, table: str) -> bytes:
    """A table as CSV: a header row of column names, then every row in a fixed order."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_text(name) for name, _ in table_columns(con, table)])
    for row in con.execute(_ordered(table)).fetchall():
        writer.writerow([_csv_value(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def zip_bytes(members: Mapping[str, bytes], *, compress: bool = True) -> bytes:
    """A zip of ``members`` (name -> bytes) in name order, every entry with the same fixed
    time and permissions: the same members give the same bytes."""
    buffer = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = method
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever system made it
            archive.writestr(info, members[name])
    return buffer.getvalue()


def migrations_applied(con: duckdb.DuckDBPyConnection) -> list[list[Any]]:
    """The migrations the database holds, as [version, name]."""
    rows = con.execute("SELECT version, name FROM schema_version ORDER BY version").fetchall()
    return [[int(r[0]), str(r[1])] for r in rows]


def readme(con: duckdb.DuckDBPyConnection, tables: list[str], version: int) -> str:
    """The export's README: what the files are, and every table's columns with their type
    and meaning."""
    lines = [
        "# bibvalg: full data export",
        "",
        f"Schema version {version}. Every table of the database, each twice:",
        "",
        "- `csv/TABLE.csv`: UTF-8 with a byte-order mark, comma-separated, a header row.",
        "  An empty field is NULL or an empty text. A text starting with = + - @, a tab,",
        "  a carriage return or ' has a ' in front, so that no spreadsheet runs it as a",
        "  formula: drop that first ' to get the stored text.",
        "- `parquet/TABLE.parquet`: every value exactly, with its type.",
        "",
        "Rows are in a fixed order (by every column, left to right). `manifest.json` gives",
        "the schema version, the migrations applied, each file's row count and SHA-256,",
        "and where each sequence stands.",
        "",
    ]
    for table in tables:
        lines += [f"## {table}", "", TABLES.get(table, ""), ""]
        lines += ["| Column | Type | Meaning |", "| --- | --- | --- |"]
        for name, kind in table_columns(con, table):
            lines.append(f"| `{name}` | {kind} | {column_meaning(table, name)} |")
        lines.append("")
    return "\n".join(lines)


def export_data(con: duckdb.DuckDBPyConnection) -> bytes:
    """The full data export as a zip file's bytes. Everything is read in one transaction
    of its own, so the files agree with each other while others write."""
    reader = raw_connection(con).cursor()
    try:
        reader.begin()
        tables = table_names(reader)
        version = schema_version(reader)
        parquet = parquet_files(reader, tables)
        members: dict[str, bytes] = {}
        entries = {}
        for table in tables:
            text = csv_file(reader, table)
            count = reader.execute(f'SELECT count(*) FROM "{table}"').fetchone()
            members[f"csv/{table}.csv"] = text
            members[f"parquet/{table}.parquet"] = parquet[table]
            entries[table] = {
                "rows": int(count[0]) if count else 0,
                "csv_sha256": sha256(text),
                "parquet_sha256": sha256(parquet[table]),
            }
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "schema_version": version,
            "migrations": migrations_applied(reader),
            "sequences": sequences(reader),
            "tables": entries,
        }
        members[MANIFEST] = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()
        members[README] = readme(reader, tables, version).encode("utf-8")
        reader.commit()
    finally:
        reader.close()
    return zip_bytes(members)
