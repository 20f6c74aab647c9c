"""A full dump of a database, to show that a refused change left it exactly as it was; and a
database file read or edited through a plain connection, as another program would."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pytest


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


def file_states(path: Path | str) -> tuple[tuple[int, int] | None, ...]:
    """When a database file and its write-ahead log were last written, and their sizes
    (None for a file that is not there): any commit moves one of them."""
    found = []
    for name in (str(path), f"{path}.wal"):
        try:
            info = os.stat(name)
        except OSError:
            found.append(None)
        else:
            found.append((info.st_mtime_ns, info.st_size))
    return tuple(found)


@contextmanager
def shared_read_only(path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The app (``$BIBVALG_DB``) on a database file that several tests share because they
    only read it: what the app works out from it stays cached from one test to the next.
    Fails the test that changed it: such a test takes a copy of its own."""
    monkeypatch.setenv("BIBVALG_DB", str(path))
    before = file_states(path)
    yield path
    assert file_states(path) == before, (
        f"the test changed {path.name}, which tests that only read share: a test that "
        "changes data takes a copy of its own (demo_db)"
    )


def dump_file(path: Path | str) -> dict[str, list[tuple[Any, ...]]]:
    """``dump`` of a database file, opened as bibvalg opens it (``store.db.connect``)."""
    from store.db import connect

    with closing(connect(path)) as con:
        return dump(con)


def query(path: Path | str, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
    """What a query returns from a database file opened as bibvalg opens it."""
    from store.db import connect

    with closing(connect(path)) as con:
        return con.execute(sql, list(params)).fetchall()


@contextmanager
def plain(path: Path | str) -> Iterator[duckdb.DuckDBPyConnection]:
    """A plain DuckDB connection to a database file (no migrations, no guard), closed
    afterwards. In the tests' process it has the app's configuration."""
    con = duckdb.connect(str(path))
    try:
        yield con
    finally:
        con.close()


def rows(path: Path | str, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    """What a query returns, read through a plain connection."""
    with plain(path) as con:
        return con.execute(sql, params or []).fetchall()


def raw_edit(path: Path | str, *statements: str, params: list[Any] | None = None) -> None:
    """Statements run through a plain connection, past the app's checks."""
    with plain(path) as con:
        for sql in statements:
            con.execute(sql, params or [])


@contextmanager
def refused_unchanged(
    con: duckdb.DuckDBPyConnection, expected: type[BaseException], **raises: Any
) -> Iterator[pytest.ExceptionInfo[BaseException]]:
    """``pytest.raises(expected, **raises)`` around the block, and then that the refusal left
    the database exactly as it was (``dump``)."""
    before = dump(con)
    with pytest.raises(expected, **raises) as caught:
        yield caught
    assert dump(con) == before
