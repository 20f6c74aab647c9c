"""The full data export: every table DuckDB lists, as CSV and as Parquet whose rows are the
database's, a README naming every column, the schema version; the same bytes every time."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from store import settings
from store.data_export import export_data
from store.db import latest_version


@pytest.fixture
def exported(con) -> dict[str, bytes]:
    settings.set_setting(
        con, "template_show_weights", "false", actor="=tester", reason="-2 dager, @alle"
    )
    with zipfile.ZipFile(io.BytesIO(export_data(con))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


ROOT = Path(__file__).resolve().parents[2]


def duckdb_tables(con) -> list[str]:
    return sorted(r[0] for r in con.execute("SHOW TABLES").fetchall())


def test_every_table_is_there_as_csv_and_parquet(con, exported):
    tables = duckdb_tables(con)
    assert {"audit_log", "score", "award", "person"} <= set(tables)
    assert sorted(exported) == sorted(
        ["README.md", "manifest.json"]
        + [f"csv/{t}.csv" for t in tables]
        + [f"parquet/{t}.parquet" for t in tables]
    )
    manifest = json.loads(exported["manifest.json"])
    # One migration file per schema version, numbered from 1.
    files = sorted((ROOT / "store" / "migrations").glob("[0-9][0-9][0-9]_*.sql"))
    assert manifest["schema_version"] == latest_version() == len(files)
    assert [v for v, _ in manifest["migrations"]] == list(range(1, len(files) + 1))
    assert (
        manifest["sequences"]["audit_log_id"]
        == con.execute("SELECT max(id) FROM audit_log").fetchone()[0]
    )


def test_the_parquet_files_hold_the_databases_rows_and_types(con, exported, tmp_path):
    reader = duckdb.connect()
    for table in duckdb_tables(con):
        path = tmp_path / f"{table}.parquet"
        path.write_bytes(exported[f"parquet/{table}.parquet"])
        query = "SELECT * FROM {} ORDER BY ALL"
        assert reader.execute(query.format(f"read_parquet('{path}')")).fetchall() == (
            con.execute(query.format(table)).fetchall()
        ), table
        types = [r[1] for r in con.execute(f"DESCRIBE {table}").fetchall()]
        assert [
            r[1] for r in reader.execute(f"DESCRIBE FROM read_parquet('{path}')").fetchall()
        ] == (types), table


# How the export's README says the CSV writes a value (before escaping): the first type the
# value is an instance of decides; anything else is written as str() writes it.
_CSV_FORMS = (
    (type(None), lambda v: ""),
    (bool, lambda v: str(v).lower()),
    (float, repr),
    (datetime, lambda v: v.strftime("%Y-%m-%d %H:%M:%S.%f")),
    (date, lambda v: v.strftime("%Y-%m-%d")),
)


def _as_csv_field(value) -> str:
    return next((form(value) for kind, form in _CSV_FORMS if isinstance(value, kind)), str(value))


def test_the_csv_files_hold_the_databases_rows(con, exported):
    for table in duckdb_tables(con):
        text = exported[f"csv/{table}.csv"].decode("utf-8")
        assert text.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(text[1:], newline="")))
        columns = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
        assert rows[0] == columns, table
        expected = [
            [_as_csv_field(v) for v in row]
            for row in con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
        ]
        # Text a spreadsheet would run carries a ' in front; drop it to compare.
        assert [[f[1:] if f.startswith("'") else f for f in row] for row in rows[1:]] == (
            expected
        ), table


def test_no_csv_field_starts_as_a_formula(exported):
    fields = [
        field
        for name, content in exported.items()
        if name.endswith(".csv")
        for row in csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))
        for field in row
    ]
    assert not [f for f in fields if f.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert "'=tester" in fields and "'-2 dager, @alle" in fields


def test_the_readme_names_every_column_with_its_type_and_meaning(con, exported):
    readme = exported["README.md"].decode("utf-8")
    sections = {part.split("\n", 1)[0].strip(): part for part in readme.split("\n## ")[1:]}
    assert sorted(sections) == duckdb_tables(con)
    for table, section in sections.items():
        for name, kind, *_ in con.execute(f"DESCRIBE {table}").fetchall():
            line = next(
                (row for row in section.splitlines() if row.startswith(f"| `{name}` |")), None
            )
            assert line is not None, (table, name)
            cells = [c.strip() for c in line.strip("|").split("|")]
            assert cells[1] == kind and len(cells[2]) > 5, (table, name, line)


def test_the_same_database_gives_the_same_bytes(con):
    first = export_data(con)
    assert export_data(con) == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
