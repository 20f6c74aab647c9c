"""bibvalg's own database connections, which refuse to change or remove audit-log entries.

DuckDB has no triggers and no grants, so the database itself cannot refuse an UPDATE on
one table. Instead every connection bibvalg hands out (``store.db.connect``, and so the
app, the CLI and every cursor taken from them) is wrapped in ``GuardedConnection``. Before
a statement runs, DuckDB's own parser splits it into statements with their types
(``duckdb.extract_statements``) and its tokenizer lists the identifiers they name
(``duckdb.tokenize``); any statement other than a plain query (SELECT) that names a
protected table is refused with ``AuditLogIsAppendOnly``. The same holds for the Python
API's writes (``append``, ``appender``, relations' ``insert``, ``insert_into``,
``update``, ``create``, ``to_table``).

Only ``store.audit.record`` appends to the log, through ``raw_connection``. An edit made
outside bibvalg, with a plain DuckDB connection, is not refused; the hash chain in
``store.audit`` detects it.
"""

from __future__ import annotations

import re
from typing import Any

import duckdb

from store.errors import N_, AuditLogIsAppendOnly

PROTECTED = frozenset({"audit_log", "audit_head", "audit_log_id"})
_STEM = "audit"  # every protected name contains it
# Statement types that only read. EXPLAIN is not among them: EXPLAIN ANALYZE runs its query.
_READ_ONLY = {duckdb.StatementType.SELECT}
_NAME_TOKENS = {duckdb.token_type.identifier, duckdb.token_type.keyword}


_QUOTED = re.compile(r'"((?:[^"]|"")*)"')
_BARE = re.compile(r"[^\s,;().\"]*")


def _unquote(token: str) -> str:
    if len(token) >= 2 and token[0] == token[-1] == '"':
        return token[1:-1].replace('""', '"')
    return token


def named_identifiers(sql: str) -> set[str]:
    """Every identifier (and keyword) a SQL text names, unquoted and in lower case."""
    tokens = duckdb.tokenize(sql)
    names = set()
    for index, (start, kind) in enumerate(tokens):
        if kind not in _NAME_TOKENS:
            continue
        end = tokens[index + 1][0] if index + 1 < len(tokens) else len(sql)
        text = sql[start:end].lstrip()
        quoted = _QUOTED.match(text)
        bare = _BARE.match(text)
        name = quoted.group(1).replace('""', '"') if quoted else (bare.group(0) if bare else text)
        names.add(name.lower())
    return names


def _refuse(what: str) -> AuditLogIsAppendOnly:
    return AuditLogIsAppendOnly(
        N_("The audit log can only be added to; this is refused: {statement}"),
        statement=" ".join(what.split())[:200],
    )


def check_sql(sql: str) -> None:
    """Raise AuditLogIsAppendOnly if a SQL text would change a protected table.

    A text that does not contain "audit" in any case cannot name a protected table (DuckDB
    has no escapes inside identifiers), so it is let through without parsing.
    """
    if _STEM not in sql.lower():
        return
    for statement in duckdb.extract_statements(sql):
        if statement.type in _READ_ONLY:
            continue
        if named_identifiers(statement.query) & PROTECTED:
            raise _refuse(statement.query)


def check_table_name(name: object) -> None:
    """Raise AuditLogIsAppendOnly if a table name passed to a write method is protected."""
    if isinstance(name, str):
        parts = [_unquote(p.strip()).lower() for p in name.split(".")]
        if set(parts) & PROTECTED:
            raise _refuse(name)


def _query_text(query: object) -> str | None:
    if isinstance(query, str):
        return query
    text = getattr(query, "query", None)  # a duckdb.Statement
    return text if isinstance(text, str) else None


class GuardedRelation:
    """A DuckDB relation whose writes cannot reach the audit log."""

    def __init__(self, relation: duckdb.DuckDBPyRelation, table: str | None = None) -> None:
        self._relation = relation
        self._table = table

    def _check_self(self) -> None:
        if self._table is not None:
            check_table_name(self._table)

    def insert(self, *args: Any, **kwargs: Any) -> Any:
        self._check_self()
        return self._relation.insert(*args, **kwargs)

    def update(self, *args: Any, **kwargs: Any) -> Any:
        self._check_self()
        return self._relation.update(*args, **kwargs)

    def insert_into(self, table_name: str) -> Any:
        check_table_name(table_name)
        return self._relation.insert_into(table_name)

    def create(self, table_name: str) -> Any:
        check_table_name(table_name)
        return self._relation.create(table_name)

    def to_table(self, table_name: str) -> Any:
        check_table_name(table_name)
        return self._relation.to_table(table_name)

    def query(self, virtual_table_name: str, sql_query: str) -> Any:
        check_sql(sql_query)
        return _wrap(self._relation.query(virtual_table_name, sql_query), None)

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._relation, name)
        if not callable(attribute):
            return attribute

        def call(*args: Any, **kwargs: Any) -> Any:
            return _wrap(attribute(*args, **kwargs), None)

        return call

    def __iter__(self) -> Any:
        return iter(self._relation.fetchall())

    def __len__(self) -> int:
        return len(self._relation)

    def __repr__(self) -> str:
        return repr(self._relation)


class GuardedConnection:
    """A DuckDB connection that refuses statements changing the audit log.

    Everything else is passed through unchanged: results, transactions, cursors (which
    are guarded too) and the relational API.
    """

    def __init__(self, connection: duckdb.DuckDBPyConnection) -> None:
        self._raw = connection

    def execute(self, query: object, parameters: object = None) -> GuardedConnection:
        text = _query_text(query)
        if text is not None:
            check_sql(text)
        if parameters is None:
            self._raw.execute(query)  # type: ignore[arg-type]
        else:
            self._raw.execute(query, parameters)  # type: ignore[arg-type]
        return self

    def executemany(self, query: object, parameters: object = None) -> GuardedConnection:
        text = _query_text(query)
        if text is not None:
            check_sql(text)
        if parameters is None:
            self._raw.executemany(query)  # type: ignore[arg-type]
        else:
            self._raw.executemany(query, parameters)  # type: ignore[arg-type]
        return self

    def sql(self, query: object, *args: Any, **kwargs: Any) -> Any:
        text = _query_text(query)
        if text is not None:
            check_sql(text)
        return _wrap(self._raw.sql(query, *args, **kwargs), None)  # type: ignore[arg-type]

    def query(self, query: object, *args: Any, **kwargs: Any) -> Any:
        return self.sql(query, *args, **kwargs)

    def from_query(self, query: object, *args: Any, **kwargs: Any) -> Any:
        return self.sql(query, *args, **kwargs)

    def table(self, table_name: str) -> GuardedRelation:
        return GuardedRelation(self._raw.table(table_name), table_name)

    def append(self, table_name: str, *args: Any, **kwargs: Any) -> GuardedConnection:
        check_table_name(table_name)
        self._raw.append(table_name, *args, **kwargs)
        return self

    def appender(self, table_name: str, *args: Any, **kwargs: Any) -> Any:
        check_table_name(table_name)
        return self._raw.appender(table_name, *args, **kwargs)

    def query_appender(self, dml: str, *args: Any, **kwargs: Any) -> Any:
        check_sql(dml)
        return self._raw.query_appender(dml, *args, **kwargs)

    def cursor(self) -> GuardedConnection:
        return GuardedConnection(self._raw.cursor())

    def duplicate(self) -> GuardedConnection:
        return GuardedConnection(self._raw.duplicate())

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._raw, name)
        if not callable(attribute):
            return attribute

        def call(*args: Any, **kwargs: Any) -> Any:
            result = attribute(*args, **kwargs)
            return self if result is self._raw else _wrap(result, None)

        return call

    def __enter__(self) -> GuardedConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self._raw.close()

    def __repr__(self) -> str:
        return f"GuardedConnection({self._raw!r})"


def _wrap(result: Any, table: str | None) -> Any:
    if isinstance(result, duckdb.DuckDBPyRelation):
        return GuardedRelation(result, table)
    return result


def guard(connection: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Wrap a raw connection. Typed as a DuckDB connection: it behaves as one."""
    if isinstance(connection, GuardedConnection):
        return connection  # type: ignore[unreachable]
    return GuardedConnection(connection)  # type: ignore[return-value]


def raw_connection(connection: Any) -> duckdb.DuckDBPyConnection:
    """The unguarded connection underneath; only store.audit.record writes through it."""
    raw = connection._raw if isinstance(connection, GuardedConnection) else connection
    return raw  # type: ignore[no-any-return]
