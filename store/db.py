"""Opening a bibvalg database and bringing its schema up to date.

Schema changes live in ``vendors/migrations/NNN_name.sql``; each is applied once, in
order, inside a transaction, and recorded in ``schema_version``.
"""

from __future__ import annotations

import functools
import os
import random
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

import duckdb

from store.errors import (
    N_,
    DatabaseInUse,
    SchemaTooNew,
    WriteConflict,
)
from store.guard import guard

P = ParamSpec("P")
R = TypeVar("R")

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
DEFAULT_DB_PATH = Path("data") / "bibvalg.duckdb"
DB_ENV_VAR = "BIBVALG_DB"

_MIGRATION_NAME = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")


def default_db_path() -> Path:
    """The database file: ``$BIBVALG_DB`` if set, else ``data/bibvalg.duckdb``."""
    return Path(os.environ.get(DB_ENV_VAR) or DEFAULT_DB_PATH)


def migrations() -> list[tuple[int, str, str]]:
    """All migrations as (version, name, sql), in order."""
    found = []
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if match is None:
            raise ValueError(f"Badly named migration file: {path.name}")
        found.append((int(match.group(1)), match.group(2), path.read_text(encoding="utf-8")))
    versions = [v for v, _, _ in found]
    if len(set(versions)) != len(versions) or 0 in versions:
        raise ValueError(f"Migration numbers must be unique and start at 001: {versions}")
    return found


def latest_version() -> int:
    """The schema version this code expects: the highest migration number."""
    return max(v for v, _, _ in migrations())


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version the database holds (0 for an empty database)."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchone()
    if not exists or exists[0] == 0:
        return 0
    row = con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
    return int(row[0]) if row else 0


def migrate(con: duckdb.DuckDBPyConnection, up_to: int | None = None) -> int:
    """Apply every pending migration (or those up to version ``up_to``: a backup of an
    older schema is loaded at its own version first); return the schema version
    afterwards."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
        " applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
    )
    current = schema_version(con)
    if current > latest_version():
        raise SchemaTooNew(
            N_("The database has schema version {found}; this bibvalg knows up to {known}."),
            found=current,
            known=latest_version(),
        )
    for version, name, sql in migrations():
        if version <= current or (up_to is not None and version > up_to):
            continue
        con.begin()
        try:
            con.execute(sql)
            con.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)", [version, name])
            con.commit()
        except Exception:
            con.rollback()
            raise
    return schema_version(con)


def plain_connect(target: str) -> duckdb.DuckDBPyConnection:
    """A plain DuckDB connection to a database file (no migrations, no guard); DatabaseInUse
    when another program holds the file."""
    try:
        return duckdb.connect(target)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise DatabaseInUse(
                N_(
                    "The database {path} is in use by another program; close it (or wait "
                    "until it is done) and try again."
                ),
                path=target,
            ) from None
        raise


def connect(path: Path | str | None = None) -> duckdb.DuckDBPyConnection:
    """Open (or create) a database file, or ``":memory:"``, and migrate it.

    The connection is bibvalg's own: it refuses any statement that would change or remove
    an audit-log entry (see ``store.guard``), and so does every cursor taken from it.
    """
    target = str(path) if path is not None else str(default_db_path())
    if target != ":memory:":
        Path(target).parent.mkdir(parents=True, exist_ok=True)
    con = plain_connect(target)
    try:
        migrate(con)
    except Exception:
        con.close()
        raise
    return guard(con)


def open_database(path: Path | str | None = None) -> duckdb.DuckDBPyConnection:
    """Open the database; a missing file is created and filled with the demo procurement."""
    target = Path(path) if path is not None else default_db_path()
    is_new = str(target) == ":memory:" or not target.exists()
    con = connect(target)
    if is_new:
        from demo import load_demo

        try:
            load_demo(con)
        except Exception:
            con.close()
            if str(target) != ":memory:":
                target.unlink(missing_ok=True)
            raise
    return con


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: commit on success, roll back on any error."""
    con.begin()
    try:
        yield con
    except BaseException:
        con.rollback()
        raise
    con.commit()


# --- two writers at once ------------------------------------------------------------------
#
# Cursors of one connection (the app: one cached connection, a cursor per query, a thread
# per browser session) write the same database at once. DuckDB does not wait for a row
# another transaction has changed: it aborts the later transaction ("Conflict on update").
# Every change also moves the audit chain's head, so two saves at the same moment always
# meet there. A save that meets a conflict is therefore run again from the start, on the
# state the other save left, a few times with a short random pause.

WRITE_ATTEMPTS = 25
_retrying = threading.local()


def is_conflict(exc: BaseException) -> bool:
    """Whether a DuckDB error is a write-write conflict with another transaction."""
    return isinstance(exc, duckdb.TransactionException) and "conflict" in str(exc).lower()


def _backoff(attempt: int) -> None:
    time.sleep(random.uniform(0, 0.005 * min(attempt, 10)))


def retry_on_conflict(write: Callable[P, R]) -> Callable[P, R]:
    """Run a write (a function that opens its own ``transaction``) again when it collides
    with another at the same moment; give up after ``WRITE_ATTEMPTS`` with WriteConflict.

    The write is all or nothing, so running it again is safe. Inside another retried write
    it runs once: the outer one is run again as a whole.
    """

    @functools.wraps(write)
    def retried(*args: P.args, **kwargs: P.kwargs) -> R:
        if getattr(_retrying, "active", False):
            return write(*args, **kwargs)
        _retrying.active = True
        try:
            for attempt in range(1, WRITE_ATTEMPTS + 1):
                try:
                    return write(*args, **kwargs)
                except duckdb.TransactionException as exc:
                    if not is_conflict(exc):
                        raise
                    if attempt == WRITE_ATTEMPTS:
                        raise WriteConflict(
                            N_(
                                "The save met others made at the same moment too many times; "
                                "please try again."
                            )
                        ) from exc
                    _backoff(attempt)
            raise AssertionError("unreachable")
        finally:
            _retrying.active = False

    return retried


def in_own_transaction(
    writer: Callable[Concatenate[duckdb.DuckDBPyConnection, P], R],
) -> Callable[Concatenate[duckdb.DuckDBPyConnection, P], R]:
    """The same change as ``writer`` (which works inside the caller's transaction), made in
    a transaction of its own, run again if it meets another save at the same moment:
    ``add_vendor = in_own_transaction(write_vendor)``."""

    @retry_on_conflict
    @functools.wraps(writer)
    def run(con: duckdb.DuckDBPyConnection, *args: P.args, **kwargs: P.kwargs) -> R:
        with transaction(con):
            return writer(con, *args, **kwargs)

    return run
