"""The append-only audit log: who changed what, when, from what to what, and why.

Only ``record`` writes to it, and only by INSERT; bibvalg's connections refuse every
statement that would change or remove an entry (``store.guard``). Each entry is sealed
into a hash chain: it carries the hash of the entry before it (``prev_hash``) and its own
hash (``entry_hash``), SHA-256 over its content and that link. ``verify`` recomputes the
chain, so an entry edited, removed or slipped in outside bibvalg shows up.

Scores and assessments of an evaluator who has not submitted are hidden from everyone
else here too: ``entries`` takes the viewer.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import duckdb
import pandas as pd

from scoring.fingerprint import canonical_json, sha256_hex
from store.guard import raw_connection

SYSTEM_ACTOR = "system"
GENESIS_HASH = "0" * 64
# Entities whose entries carry an evaluator's own scores; entity_id is
# "evaluator/offer/requirement".
EVALUATOR_ENTITIES = ("score", "mandatory_assessment")
ENTITY_ID_SEPARATOR = "/"
COLUMNS = [
    "id",
    "logged_at",
    "actor",
    "action",
    "entity",
    "entity_id",
    "old_value",
    "new_value",
    "reason",
    "prev_hash",
    "entry_hash",
]


def _as_json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _timestamp(value: datetime) -> str:
    return value.isoformat(sep=" ", timespec="microseconds")


def entry_hash(
    *,
    entry_id: int,
    logged_at: datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    old_value: str | None,
    new_value: str | None,
    reason: str,
    prev_hash: str,
) -> str:
    """SHA-256 of an entry's content and the hash of the entry before it."""
    content = [
        entry_id,
        _timestamp(logged_at),
        actor,
        action,
        entity,
        entity_id,
        old_value,
        new_value,
        reason,
        prev_hash,
    ]
    return sha256_hex(canonical_json(content))


def record(
    con: duckdb.DuckDBPyConnection,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: str = "",
    old: Any = None,
    new: Any = None,
    reason: str = "",
) -> int:
    """Append one entry, sealed into the hash chain; return its id.

    Old and new values are stored as JSON. Call it inside the transaction of the change
    it records. Two writers at once cannot both extend the chain: the second one fails on
    the chain's head and its transaction rolls back.
    """
    raw = raw_connection(con)
    row = raw.execute(
        "SELECT nextval('audit_log_id'), CAST(current_timestamp AS TIMESTAMP)"
    ).fetchone()
    assert row is not None
    entry_id, logged_at = int(row[0]), row[1]
    head = raw.execute("SELECT last_hash FROM audit_head WHERE id = 1").fetchone()
    prev_hash = str(head[0]) if head else GENESIS_HASH
    old_value, new_value = _as_json(old), _as_json(new)
    sealed = entry_hash(
        entry_id=entry_id,
        logged_at=logged_at,
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        old_value=old_value,
        new_value=new_value,
        reason=reason,
        prev_hash=prev_hash,
    )
    raw.execute(
        "INSERT INTO audit_log (id, logged_at, actor, action, entity, entity_id, old_value,"
        " new_value, reason, prev_hash, entry_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            entry_id,
            logged_at,
            actor,
            action,
            entity,
            entity_id,
            old_value,
            new_value,
            reason,
            prev_hash,
            sealed,
        ],
    )
    if head:
        raw.execute(
            "UPDATE audit_head SET last_id = ?, last_hash = ? WHERE id = 1", [entry_id, sealed]
        )
    else:
        raw.execute("INSERT INTO audit_head VALUES (1, ?, ?)", [entry_id, sealed])
    return entry_id


def evaluator_entity_id(evaluator: str, offer: str, requirement: str) -> str:
    """The entity_id of an entry about one evaluator's score or assessment."""
    return ENTITY_ID_SEPARATOR.join([evaluator, offer, requirement])


@dataclass(frozen=True)
class LogFilter:
    """Which entries to read: by who, what and when (every field optional)."""

    actors: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None  # inclusive: the whole day
    text: str = ""


def entries(
    con: duckdb.DuckDBPyConnection,
    *,
    viewer: str | None = None,
    where: LogFilter | None = None,
) -> pd.DataFrame:
    """Entries, oldest first, as the viewer may see them.

    An entry about the scores or assessments of an evaluator who has not submitted yet
    keeps its place, who and when, but its old value, new value and reason are blanked
    (``hidden`` is true) for everyone except that evaluator. ``viewer`` is the evaluator
    reading, or None for someone who is not an evaluator.
    """
    where = where or LogFilter()
    conditions: list[str] = []
    params: list[Any] = [list(EVALUATOR_ENTITIES), viewer]
    for column, values in (
        ("actor", where.actors),
        ("entity", where.entities),
        ("action", where.actions),
    ):
        if values:
            conditions.append(f"a.{column} IN (SELECT unnest(?::VARCHAR[]))")
            params.append(list(values))
    if where.since is not None:
        conditions.append("a.logged_at >= ?")
        params.append(datetime.combine(where.since, datetime.min.time()))
    if where.until is not None:
        conditions.append("a.logged_at < ?")
        params.append(datetime.combine(where.until + timedelta(days=1), datetime.min.time()))
    filter_sql = (" WHERE " + " AND ".join(conditions)) if conditions else ""
    # A hidden entry's hash would let anyone test guesses of its value (a score has few
    # possible values), so it is blanked too: its own hash, and the next entry's link to it.
    table = con.execute(
        "WITH hiding AS ("
        " SELECT *, (list_contains(?::VARCHAR[], entity)"
        "  AND split_part(entity_id, '/', 1)"
        "   NOT IN (SELECT evaluator_id FROM evaluator_submission)"
        "  AND split_part(entity_id, '/', 1) IS DISTINCT FROM ?) AS hidden"
        " FROM audit_log),"
        " marked AS (SELECT *, coalesce(lag(hidden) OVER (ORDER BY id), false) AS after_hidden"
        " FROM hiding)"
        " SELECT id, logged_at, actor, action, entity, entity_id,"
        " CASE WHEN hidden THEN NULL ELSE old_value END AS old_value,"
        " CASE WHEN hidden THEN NULL ELSE new_value END AS new_value,"
        " CASE WHEN hidden THEN '' ELSE reason END AS reason,"
        " CASE WHEN after_hidden THEN NULL ELSE prev_hash END AS prev_hash,"
        " CASE WHEN hidden THEN NULL ELSE entry_hash END AS entry_hash, hidden"
        f" FROM marked a{filter_sql} ORDER BY id",
        params,
    ).df()
    if where.text.strip():
        needle = where.text.strip().lower()
        searchable = table[["actor", "action", "entity", "entity_id", "old_value", "new_value"]]
        searchable = searchable.assign(reason=table["reason"]).fillna("").astype(str)
        mask = searchable.apply(lambda col: col.str.lower().str.contains(needle, regex=False))
        table = table[mask.any(axis=1)].reset_index(drop=True)
    return table


def distinct_values(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """The actors, entities and actions that occur in the log, for filter choices."""
    found = {}
    for column in ("actor", "entity", "action"):
        rows = con.execute(f"SELECT DISTINCT {column} FROM audit_log ORDER BY 1").fetchall()
        found[column] = [str(r[0]) for r in rows]
    return found


# A field starting with one of these is read as a formula by spreadsheets (OWASP's CSV
# injection rule); the apostrophe itself is listed so that the escape can be undone.
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def csv_text(value: Any) -> Any:
    """A CSV field no spreadsheet evaluates: text starting with ``= + - @``, tab, CR or
    ``'`` gets a ``'`` in front. To get the original back, drop the first ``'``."""
    if isinstance(value, str) and value.startswith(CSV_FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(table: pd.DataFrame) -> bytes:
    """Entries as CSV (comma-separated, UTF-8 with a byte-order mark so Excel reads the
    Sámi letters right); every text field through ``csv_text``."""
    buffer = io.StringIO()
    columns = [c for c in [*COLUMNS, "hidden"] if c in table.columns]
    out = table[columns].copy()
    if "logged_at" in out:
        out["logged_at"] = [
            _timestamp(v.to_pydatetime()) if hasattr(v, "to_pydatetime") else str(v)
            for v in out["logged_at"]
        ]
    out = out.map(csv_text)
    out.to_csv(buffer, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# --- verifying the chain --------------------------------------------------------------


@dataclass(frozen=True)
class ChainProblem:
    """One thing wrong with the chain.

    kind: 'altered' (the entry's content no longer matches its hash), 'link' (the entry
    does not follow the one before it: an entry was removed or slipped in), 'unsealed'
    (an entry without a hash after the chain began: written outside bibvalg), 'head' (the
    newest entries do not match the chain's recorded end: entries removed at the end).
    """

    entry_id: int
    kind: str


@dataclass(frozen=True)
class ChainReport:
    """The result of checking the whole log."""

    entries: int
    sealed: int
    before_chain: int  # entries written before the chain existed (no hash to check)
    head_hash: str | None
    problems: list[ChainProblem] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        """True when no entry was edited, removed or added outside bibvalg."""
        return not self.problems


def verify(con: duckdb.DuckDBPyConnection) -> ChainReport:
    """Recompute every entry's hash and every link of the chain."""
    rows = con.execute(
        "SELECT id, logged_at, actor, action, entity, entity_id, old_value, new_value,"
        " reason, prev_hash, entry_hash FROM audit_log ORDER BY id"
    ).fetchall()
    head = con.execute("SELECT last_id, last_hash FROM audit_head WHERE id = 1").fetchone()
    problems: list[ChainProblem] = []
    index = 0
    # Entries from before the chain existed: no hash at all, at the start of the log.
    while index < len(rows) and rows[index][9] is None and rows[index][10] is None:
        index += 1
    before_chain = index
    expected_prev = GENESIS_HASH
    sealed = 0
    for row in rows[index:]:
        entry_id = int(row[0])
        prev_hash, stored = row[9], row[10]
        if stored is None:
            problems.append(ChainProblem(entry_id, "unsealed"))
            continue
        sealed += 1
        if prev_hash != expected_prev:
            problems.append(ChainProblem(entry_id, "link"))
        recomputed = entry_hash(
            entry_id=entry_id,
            logged_at=row[1],
            actor=row[2],
            action=row[3],
            entity=row[4],
            entity_id=row[5],
            old_value=row[6],
            new_value=row[7],
            reason=row[8],
            prev_hash=prev_hash or "",
        )
        if recomputed != stored:
            problems.append(ChainProblem(entry_id, "altered"))
        expected_prev = stored
    last_sealed = next((r for r in reversed(rows) if r[10] is not None), None)
    if last_sealed is not None or head is not None:
        matches = (
            head is not None
            and last_sealed is not None
            and int(head[0]) == int(last_sealed[0])
            and head[1] == last_sealed[10]
        )
        if not matches:
            at = int(head[0]) if head is not None else int(last_sealed[0])  # type: ignore[index]
            problems.append(ChainProblem(at, "head"))
    return ChainReport(
        entries=len(rows),
        sealed=sealed,
        before_chain=before_chain,
        head_hash=str(head[1]) if head else None,
        problems=problems,
    )
