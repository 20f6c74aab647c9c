"""bibvalg's own database connections, which refuse to change or remove audit-log entries.

DuckDB has no triggers and no grants, so the database itself cannot refuse an UPDATE on
one table. Instead every connection bibvalg hands out (``store.db.connect``, and so the
app, the CLI and every cursor taken from them) is wrapped in ``GuardedConnection``, which
lets through only the kinds of statement bibvalg's own code issues, decided from what
DuckDB itself says about each statement:

- DuckDB's parser splits the text into statements and names each one's type
  (``duckdb.extract_statements``). Only the types bibvalg uses are allowed: queries
  (SELECT), INSERT, UPDATE, DELETE, CREATE, DROP, ALTER and transaction control. Every
  other type is refused whatever it names: PRAGMA (and so ``IMPORT DATABASE``), ATTACH,
  COPY, EXPORT, CALL, SET, PREPARE/EXECUTE, EXPLAIN, MERGE, LOAD, ...
- A statement other than a query may not mention a protected table in any way: not as a
  name, quoted or qualified, nor inside a string (``DELETE FROM 'audit_log'``).
- A query must be read-only. DuckDB classes ``WITH d AS (DELETE ... RETURNING *)
  SELECT ...`` as a SELECT, so a query holding a writing keyword (per DuckDB's tokenizer)
  is planned with EXPLAIN, and refused if the plan holds a writing operator.

The Python API's writes are checked the same way (``append``, ``appender``, relations'
``insert``, ``insert_into``, ``update``, ``create``, ``to_table``), and so is every name
that could hide a protected table behind a view (``register``, ``create_view``,
``to_view``).

This guard keeps bibvalg's own code, and anyone going through it, from rewriting the log.
It is not what detects tampering: an edit made outside bibvalg, with a plain DuckDB
connection to the file, is not refused; the hash chain in ``store.audit`` and the anchor
written in the minutes detect it.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import duckdb

from store.errors import N_, AuditLogIsAppendOnly

PROTECTED = frozenset({"audit_log", "audit_head", "audit_log_id", "audit_chain_start"})
_STEM = "audit"  # every protected name contains it
ST = duckdb.StatementType
# The statement types bibvalg's own code issues. EXPLAIN is not among them: EXPLAIN
# ANALYZE runs its query; nor is PRAGMA: IMPORT DATABASE is one.
ALLOWED_TYPES = frozenset(
    {ST.SELECT, ST.INSERT, ST.UPDATE, ST.DELETE, ST.CREATE, ST.DROP, ST.ALTER, ST.TRANSACTION}
)
# Keywords without which a query cannot write (a data-modifying CTE needs one of them).
_WRITE_KEYWORDS = frozenset({"insert", "update", "delete", "merge", "copy", "truncate"})
# Operators of a physical plan that change data or the catalogue.
_WRITE_OPERATORS = ("INSERT", "DELETE", "UPDATE", "MERGE", "CREATE", "DROP", "ALTER", "COPY")


def _unquote(token: str) -> str:
    if len(token) >= 2 and token[0] == token[-1] == '"':
        return token[1:-1].replace('""', '"')
    return token


def _refuse(what: str) -> AuditLogIsAppendOnly:
    return AuditLogIsAppendOnly(
        N_("The audit log can only be added to; this is refused: {statement}"),
        statement=" ".join(what.split())[:200],
    )


def _refuse_kind(what: str) -> AuditLogIsAppendOnly:
    return AuditLogIsAppendOnly(
        N_("bibvalg does not run this kind of statement: {statement}"),
        statement=" ".join(what.split())[:200],
    )


def mentions_protected(text: str) -> bool:
    """Whether a SQL text names a protected table anywhere: as a name, quoted or
    qualified, inside a string, or in a comment."""
    lowered = text.lower()
    return _STEM in lowered and any(name in lowered for name in PROTECTED)


def _keywords(sql: str) -> set[str]:
    tokens = duckdb.tokenize(sql)
    found = set()
    for index, (start, kind) in enumerate(tokens):
        if kind == duckdb.token_type.keyword:
            end = tokens[index + 1][0] if index + 1 < len(tokens) else len(sql)
            found.add(sql[start:end].strip().lower())
    return found


def _plan_writes(raw: duckdb.DuckDBPyConnection, sql: str, parameters: object) -> bool:
    """Whether DuckDB's plan of a query changes data. A query that cannot be planned
    counts as writing."""
    try:
        explain = f"EXPLAIN (FORMAT json) {sql}"
        rows = (
            raw.execute(explain).fetchall()
            if parameters is None
            else raw.execute(explain, parameters).fetchall()  # type: ignore[arg-type]
        )
        plans = [json.loads(row[1]) for row in rows]
    except (duckdb.Error, ValueError, TypeError, IndexError):
        return True

    def writes(node: Any) -> bool:
        if isinstance(node, list):
            return any(writes(child) for child in node)
        if not isinstance(node, dict):
            return False
        name = str(node.get("name", "")).upper()
        if any(op in name for op in _WRITE_OPERATORS):
            return True
        return writes(node.get("children", []))

    return any(writes(plan) for plan in plans)


@lru_cache(maxsize=4096)
def _classify(sql: str) -> tuple[tuple[str, str], ...]:
    """Each statement of a SQL text with its verdict: "ok", "kind" (not a type bibvalg
    issues), "log" (would touch a protected table) or "plan" (a query to plan first).
    Depends on the text alone, so it is cached: bibvalg runs the same texts again and
    again with new parameters."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error:
        return ()  # DuckDB will refuse to run it too, with its own message
    verdicts = []
    for statement in statements:
        text = statement.query
        if statement.type not in ALLOWED_TYPES:
            verdict = "kind"
        elif statement.type == ST.SELECT:
            verdict = "plan" if _keywords(text) & _WRITE_KEYWORDS else "ok"
        else:
            verdict = "log" if mentions_protected(text) else "ok"
        verdicts.append((text, verdict))
    return tuple(verdicts)


def check_sql(
    sql: str, raw: duckdb.DuckDBPyConnection | None = None, parameters: object = None
) -> None:
    """Raise AuditLogIsAppendOnly unless every statement of a SQL text is one bibvalg
    issues and none can change a protected table.

    ``raw`` is the connection the text will run on: a query with a writing keyword is
    planned there to see whether it writes (without ``raw``, such a query is refused).
    """
    verdicts = _classify(sql)
    for text, verdict in verdicts:
        if verdict == "kind":
            raise _refuse_kind(text)
        if verdict == "log":
            raise _refuse(text)
        if verdict == "plan":
            single = len(verdicts) == 1
            if raw is None or _plan_writes(raw, text, parameters if single else None):
                raise _refuse_kind(text)


def check_table_name(name: object) -> None:
    """Raise AuditLogIsAppendOnly if a table or view name passed to a write method could
    be, or hide, a protected table."""
    if isinstance(name, str) and mentions_protected(name):
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

    def create_view(self, view_name: str, *args: Any, **kwargs: Any) -> Any:
        check_table_name(view_name)
        return _wrap(self._relation.create_view(view_name, *args, **kwargs), None)

    def to_view(self, view_name: str, *args: Any, **kwargs: Any) -> Any:
        check_table_name(view_name)
        return _wrap(self._relation.to_view(view_name, *args, **kwargs), None)

    def query(self, virtual_table_name: str, sql_query: str) -> Any:
        check_table_name(virtual_table_name)
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

    def _check(self, query: object, parameters: object) -> None:
        text = _query_text(query)
        if text is None:
            raise _refuse_kind(repr(query))
        check_sql(text, self._raw, parameters)

    def execute(self, query: object, parameters: object = None) -> GuardedConnection:
        self._check(query, parameters)
        if parameters is None:
            self._raw.execute(query)  # type: ignore[arg-type]
        else:
            self._raw.execute(query, parameters)  # type: ignore[arg-type]
        return self

    def executemany(self, query: object, parameters: object = None) -> GuardedConnection:
        self._check(query, None)
        if parameters is None:
            self._raw.executemany(query)  # type: ignore[arg-type]
        else:
            self._raw.executemany(query, parameters)  # type: ignore[arg-type]
        return self

    def sql(self, query: object, *args: Any, **kwargs: Any) -> Any:
        self._check(query, kwargs.get("params"))
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

    def register(self, view_name: str, *args: Any, **kwargs: Any) -> GuardedConnection:
        check_table_name(view_name)
        self._raw.register(view_name, *args, **kwargs)
        return self

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
