"""A full dump of a database, to show that a refused change left it exactly as it was."""

from __future__ import annotations

from typing import Any

import duckdb


def dump(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a fixed order, plus where each sequence stands."""
    tables = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY table_name"
        ).fetchall()
    ]
    content = {t: con.execute(f'SELECT * FROM "{t}" ORDER BY ALL').fetchall() for t in tables}
    content["<sequences>"] = con.execute(
        "SELECT sequence_name, last_value FROM duckdb_sequences() ORDER BY sequence_name"
    ).fetchall()
    return content
