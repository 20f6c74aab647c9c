"""The append-only audit log: who changed what, when, from what to what, and why.

Only ``record`` writes to it, and only by INSERT; bibvalg's connections refuse every
statement that would change or remove an entry (``store.guard``). Each entry is sealed
into a hash chain: it carries the hash of the entry before it (``prev_hash``) and its own
hash (``entry_hash``), SHA-256 over its content, a random salt and that link. ``verify``
recomputes the chain, so an entry edited, removed or slipped in outside bibvalg shows up;
entries removed from the end, or a chain rewritten with new hashes, show up only against
an ``anchor`` written down outside the database (the meeting minutes).

Scores and assessments of an evaluator who has not submitted are hidden from everyone
else here too: ``entries`` takes the viewer. A hidden entry's salt is hidden with it, so
its value cannot be confirmed by hashing guesses against the next entry's link or the
chain's head.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import duckdb
import pandas as pd

from scoring.fingerprint import canonical_json, sha256_hex
from store import access, audit_names
from store.cells import csv_text
from store.errors import N_, InvalidAnchor
from store.guard import raw_connection

SYSTEM_ACTOR = "system"
GENESIS_HASH = "0" * 64
# Entities whose entries carry an evaluator's own scores; entity_id is
# "evaluator/offer/requirement".
EVALUATOR_ENTITIES = ("score", "mandatory_assessment")
# Entities whose entries carry the vendors' prices.
PRICE_ENTITIES = ("price",)
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
    "salt",
]
SALT_BYTES = 16
# Every change this process logs to a database file moves that file's entry on: a cheap
# token for caches of what the file holds (see ``changes_logged``).
_CHANGES = itertools.count(1)
_changes_logged: dict[str, int] = {}
MEMORY = ":memory:"


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
    salt: str | None = None,
) -> str:
    """SHA-256 of an entry's content, its salt and the hash of the entry before it.

    Entries written before salts existed (``salt`` None) keep the rule they were sealed
    with: the same list without the salt.
    """
    content: list[Any] = [
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
    if salt is not None:
        content.append(salt)
    return sha256_hex(canonical_json(content))


def row_hash(row: Sequence[Any], prev_hash: str, salt: str | None) -> str:
    """``entry_hash`` of a log row read as id, logged_at, actor, action, entity, entity_id,
    old_value, new_value, reason (its first nine columns)."""
    return entry_hash(
        entry_id=int(row[0]),
        logged_at=row[1],
        actor=row[2],
        action=row[3],
        entity=row[4],
        entity_id=row[5],
        old_value=row[6],
        new_value=row[7],
        reason=row[8],
        prev_hash=prev_hash,
        salt=salt,
    )


def changes_logged(path: str) -> int:
    """A number this process moves on with every change it logs (``record``) to the database
    file at ``path`` (absolute, links resolved; 0 before the first): every change to data
    goes through ``record``, so a cache keyed by this number (and by what other programs
    may do to the file) never shows data from before a change. A change to another file
    leaves it as it is."""
    return _changes_logged.get(path, 0)


def _database_file(raw: duckdb.DuckDBPyConnection) -> str:
    """The file of the connection's database, as ``changes_logged`` takes it."""
    row = raw.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    return os.path.realpath(row[0]) if row and row[0] else MEMORY


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

    Every change is first checked against the actor's roles (``access.check``): a change
    they may not make raises NotAllowed, and its transaction rolls back with it.
    """
    audit_names.check(entity, action)
    access.check(con, entity, action, actor=actor, entity_id=entity_id, new=new)
    raw = raw_connection(con)
    row = raw.execute(
        "SELECT nextval('audit_log_id'), CAST(current_timestamp AS TIMESTAMP)"
    ).fetchone()
    assert row is not None
    entry_id, logged_at = int(row[0]), row[1]
    head = raw.execute("SELECT last_hash FROM audit_head WHERE id = 1").fetchone()
    prev_hash = str(head[0]) if head else GENESIS_HASH
    old_value, new_value = _as_json(old), _as_json(new)
    # In the order of the columns written below.
    entry = dict(
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
        salt=secrets.token_hex(SALT_BYTES),
    )
    sealed = entry_hash(**entry)
    raw.execute(
        "INSERT INTO audit_log (id, logged_at, actor, action, entity, entity_id, old_value,"
        " new_value, reason, prev_hash, salt, entry_hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [*entry.values(), sealed],
    )
    if head:
        raw.execute(
            "UPDATE audit_head SET last_id = ?, last_hash = ? WHERE id = 1", [entry_id, sealed]
        )
    else:
        raw.execute("INSERT INTO audit_head VALUES (1, ?, ?)", [entry_id, sealed])
    _changes_logged[_database_file(raw)] = next(_CHANGES)
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
    hide_prices: bool = False,
) -> pd.DataFrame:
    """Entries, oldest first, as the viewer may see them.

    ``hide_prices`` leaves out the entries that carry the vendors' prices, for an evaluator
    who scores price-blind and has not submitted yet.

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
    if hide_prices:
        conditions.append("a.entity NOT IN (SELECT unnest(?::VARCHAR[]))")
        params.append(list(PRICE_ENTITIES))
    filter_sql = (" WHERE " + " AND ".join(conditions)) if conditions else ""
    # A hidden entry's salt is what keeps its value from being confirmed by guessing (a
    # score has few possible values): it is blanked, and so are the entry's own hash and
    # the next entry's link to it. Once the evaluator submits, all of it is shown.
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
        " CASE WHEN hidden THEN NULL ELSE entry_hash END AS entry_hash,"
        " CASE WHEN hidden THEN NULL ELSE salt END AS salt, hidden"
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

# The digest of the entries from before the chain, as migration 006 computed it.
_LEGACY_DIGEST_SQL = (
    "SELECT count(*), coalesce(max(id), 0), sha256(coalesce(string_agg("
    " CAST(json_array(id, CAST(logged_at AS VARCHAR), actor, action, entity, entity_id,"
    " old_value, new_value, reason) AS VARCHAR), chr(10) ORDER BY id), ''))"
    " FROM audit_log WHERE id <= ? AND entry_hash IS NULL"
)
_CHAIN_TABLES = ("audit_log", "audit_head", "audit_chain_start")


@dataclass(frozen=True)
class ChainProblem:
    """One thing wrong with the chain.

    kind: 'altered' (the entry's content no longer matches its hash), 'link' (the entry
    does not follow the one before it: an entry was removed or slipped in), 'unsealed'
    (an entry without a hash that is not one of the entries from before the chain:
    written or stripped outside bibvalg), 'legacy' (the entries from before the chain are
    not the ones recorded when the chain got its fixed start), 'head' (the newest entries
    do not match the chain's recorded end: entries removed at the end), 'missing_table'
    (a table of the log was dropped; entry_id 0), 'wiped' (the log is empty although the
    database holds data; entry_id 0), 'anchor' (the entry written in the minutes is not
    at its place in the chain; entry_id is that place).
    """

    entry_id: int
    kind: str


@dataclass(frozen=True)
class Anchor:
    """The chain's head written down outside the database: the hash of the newest entry,
    how many entries the log held and when the newest was written. A later check compares
    the log against it (``verify(con, anchor=...)``)."""

    head_hash: str
    entries: int
    logged_at: datetime | None = None

    @property
    def line(self) -> str:
        """One line to print on exports, reports and letters, and to copy into the
        minutes: ``HASH:COUNT`` and the time of the newest entry."""
        when = f" {_timestamp(self.logged_at)[:19]}" if self.logged_at is not None else ""
        return f"{self.head_hash}:{self.entries}{when}"

    @classmethod
    def parse(cls, text: str) -> Anchor:
        """Read ``HASH`` or ``HASH:COUNT`` (anything after a space is ignored)."""
        head, _, count = text.strip().split(" ")[0].partition(":")
        head = head.lower()
        if len(head) != 64 or any(c not in "0123456789abcdef" for c in head):
            raise InvalidAnchor(
                N_("An anchor is the chain's head hash (64 hex digits), optionally “:count”.")
            )
        if count and not count.isdigit():
            raise InvalidAnchor(N_("The count after the hash must be a whole number."))
        return cls(head, int(count) if count else 0)

    def __str__(self) -> str:
        return self.line


@dataclass(frozen=True)
class ChainReport:
    """The result of checking the whole log."""

    entries: int
    sealed: int
    before_chain: int  # entries written before the chain existed (no hash to check)
    head_hash: str | None
    problems: list[ChainProblem] = field(default_factory=list)
    anchor: Anchor | None = None  # the anchor checked against, if any
    current: Anchor | None = None  # the anchor to write in the minutes now

    @property
    def intact(self) -> bool:
        """True when no entry was edited, removed or added outside bibvalg, as far as
        the check can know (see ``anchored``)."""
        return not self.problems

    @property
    def anchored(self) -> bool:
        """Whether the log was checked against an anchor from outside the database.
        Without one, entries removed from the end with the head rewritten, or the whole
        chain recomputed after an edit, cannot be told from an honest log."""
        return self.anchor is not None


def _existing_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
    ).fetchall()
    return {str(r[0]) for r in rows}


def _holds_data(con: duckdb.DuckDBPyConnection, tables: set[str]) -> bool:
    """Whether the database holds anything a change would have been logged for."""
    for table in ("requirement", "setting", "offer", "evaluator", "weight_profile"):
        if table in tables and con.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone():
            return True
    return False


def anchor(con: duckdb.DuckDBPyConnection) -> Anchor | None:
    """The chain's head as an anchor to write in the minutes; None for an empty log."""
    row = con.execute(
        "SELECT (SELECT count(*) FROM audit_log), entry_hash, logged_at FROM audit_log"
        " WHERE entry_hash IS NOT NULL ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    return Anchor(head_hash=str(row[1]), entries=int(row[0]), logged_at=row[2])


def verify(con: duckdb.DuckDBPyConnection, *, anchor: Anchor | None = None) -> ChainReport:
    """Recompute every entry's hash and every link of the chain, and check the log
    against an anchor from the minutes when one is given.

    An anchor ``HASH:COUNT`` holds when the log's entry number COUNT (in order) still has
    that hash: the log then still begins with the chain as it was when the anchor was
    written. An anchor without a count holds when some entry has that hash.
    """
    tables = _existing_tables(con)
    missing = [t for t in _CHAIN_TABLES if t not in tables]
    if "audit_log" in missing:
        return ChainReport(0, 0, 0, None, [ChainProblem(0, "missing_table")], anchor)
    rows = con.execute(
        "SELECT id, logged_at, actor, action, entity, entity_id, old_value, new_value,"
        " reason, prev_hash, entry_hash, salt FROM audit_log ORDER BY id"
    ).fetchall()
    problems = [ChainProblem(0, "missing_table")] if missing else []
    head = None
    if "audit_head" in tables:
        head = con.execute("SELECT last_id, last_hash FROM audit_head WHERE id = 1").fetchone()
    start = None
    if "audit_chain_start" in tables:
        start = con.execute(
            "SELECT legacy_entries, legacy_last_id, legacy_digest FROM audit_chain_start"
        ).fetchone()
        if start is None:
            problems.append(ChainProblem(0, "missing_table"))
    # Entries from before the chain existed: exactly the ones recorded when the chain got
    # its fixed start (migration 006), unchanged.
    before_chain = 0
    if start is not None and int(start[0]) > 0:
        found = con.execute(_LEGACY_DIGEST_SQL, [int(start[1])]).fetchone()
        assert found is not None
        if (int(found[0]), str(found[2])) != (int(start[0]), str(start[2])):
            problems.append(ChainProblem(int(start[1]), "legacy"))
        before_chain = int(found[0])
    legacy_last = int(start[1]) if start is not None and int(start[0]) > 0 else None
    expected_prev = GENESIS_HASH
    sealed = 0
    for row in rows:
        entry_id = int(row[0])
        prev_hash, stored = row[9], row[10]
        if stored is None:
            if legacy_last is None or entry_id > legacy_last or prev_hash is not None:
                problems.append(ChainProblem(entry_id, "unsealed"))
            continue
        sealed += 1
        if prev_hash != expected_prev:
            problems.append(ChainProblem(entry_id, "link"))
        if row_hash(row, prev_hash or "", row[11]) != stored:
            problems.append(ChainProblem(entry_id, "altered"))
        expected_prev = stored
    last_sealed = next((r for r in reversed(rows) if r[10] is not None), None)
    if "audit_head" in tables and (last_sealed is not None or head is not None):
        matches = (
            head is not None
            and last_sealed is not None
            and int(head[0]) == int(last_sealed[0])
            and head[1] == last_sealed[10]
        )
        if not matches:
            at = int(head[0]) if head is not None else int(last_sealed[0])  # type: ignore[index]
            problems.append(ChainProblem(at, "head"))
    if not rows and _holds_data(con, tables):
        problems.append(ChainProblem(0, "wiped"))
    if anchor is not None:
        if anchor.entries:
            place = rows[anchor.entries - 1] if 0 < anchor.entries <= len(rows) else None
            held = place is not None and place[10] == anchor.head_hash
        else:
            held = any(r[10] == anchor.head_hash for r in rows)
        if not held:
            problems.append(ChainProblem(anchor.entries, "anchor"))
    return ChainReport(
        entries=len(rows),
        sealed=sealed,
        before_chain=before_chain,
        head_hash=str(head[1]) if head else None,
        problems=problems,
        anchor=anchor,
        current=(
            Anchor(str(last_sealed[10]), len(rows), last_sealed[1])
            if last_sealed is not None
            else None
        ),
    )
