"""The evaluators: who they are, their declarations of impartiality, retiring one, and
reopening a submission.

An evaluator scores only after declaring impartiality: either no ties to any bidder, or
the tie described (the working group then decides; the declaration stays on record). Every
declaration is kept and logged; the latest counts.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from store import audit
from store.db import in_own_transaction, retry_on_conflict, transaction
from store.errors import N_, InvalidRegistration, UnknownEvaluator
from store.ids import check_id


def _text(value: object) -> str:
    return unicodedata.normalize("NFC", str(value or "")).strip()


def exists(con: duckdb.DuckDBPyConnection, evaluator: str) -> bool:
    return con.execute("SELECT 1 FROM evaluator WHERE id = ?", [evaluator]).fetchone() is not None


def _require(con: duckdb.DuckDBPyConnection, evaluator: str) -> None:
    if not exists(con, evaluator):
        raise UnknownEvaluator(N_("There is no evaluator with the id “{id}”."), id=evaluator)


def write_evaluator(
    con: duckdb.DuckDBPyConnection,
    evaluator: str,
    *,
    name: str,
    role_nb: str = "",
    role_en: str = "",
    actor: str,
) -> None:
    """Register an evaluator, logged, inside the caller's transaction (``add_evaluator``: in
    its own). The id must be new."""
    check_id(evaluator)
    name = _text(name)
    if not name:
        raise InvalidRegistration(N_("An evaluator needs a name."))
    if exists(con, evaluator):
        raise InvalidRegistration(
            N_("There is already an evaluator with the id “{id}”."), id=evaluator
        )
    con.execute(
        "INSERT INTO evaluator (id, name, role_nb, role_en, retired) VALUES (?, ?, ?, ?, false)",
        [evaluator, name, _text(role_nb), _text(role_en)],
    )
    audit.record(
        con, actor=actor, action="create", entity="evaluator", entity_id=evaluator,
        new={"name": name, "role_nb": _text(role_nb), "role_en": _text(role_en)},
    )  # fmt: skip


add_evaluator = in_own_transaction(write_evaluator)


@retry_on_conflict
def retire_evaluator(
    con: duckdb.DuckDBPyConnection, evaluator: str, *, reason: str, actor: str
) -> None:
    """Retire an evaluator: no more scoring; what was scored and submitted stays."""
    if not _text(reason):
        raise InvalidRegistration(N_("Say why the evaluator is retired: the reason is logged."))
    with transaction(con):
        _require(con, evaluator)
        con.execute("UPDATE evaluator SET retired = true WHERE id = ?", [evaluator])
        audit.record(
            con, actor=actor, action="retire", entity="evaluator", entity_id=evaluator,
            old={"retired": False}, new={"retired": True}, reason=_text(reason),
        )  # fmt: skip


@dataclass(frozen=True)
class Declaration:
    """An evaluator's declaration of impartiality."""

    evaluator_id: str
    declared_on: date
    no_ties: bool
    ties: str = ""


def write_declaration(
    con: duckdb.DuckDBPyConnection, declaration: Declaration, *, actor: str
) -> None:
    """Record a declaration of impartiality, logged, inside the caller's transaction
    (``declare_impartiality``: in its own): no ties to any bidder, or the tie described."""
    ties = _text(declaration.ties)
    if not declaration.no_ties and not ties:
        raise InvalidRegistration(
            N_("Describe the tie to a bidder, or declare that there is none.")
        )
    if declaration.no_ties and ties:
        raise InvalidRegistration(
            N_("A declaration of no ties cannot describe a tie at the same time.")
        )
    if declaration.declared_on > date.today():
        raise InvalidRegistration(N_("A declaration cannot be dated in the future."))
    _require(con, declaration.evaluator_id)
    # Logged first: the log's check of who may declare refuses before the declarations'
    # sequence moves on (a sequence does not roll back).
    audit.record(
        con, actor=actor, action="declare", entity="impartiality_declaration",
        entity_id=declaration.evaluator_id,
        new={
            "declared_on": declaration.declared_on.isoformat(),
            "no_ties": declaration.no_ties,
            "ties": ties,
        },
    )  # fmt: skip
    con.execute(
        "INSERT INTO impartiality_declaration (evaluator_id, declared_on, no_ties, ties,"
        " recorded_by) VALUES (?, ?, ?, ?, ?)",
        [declaration.evaluator_id, declaration.declared_on, declaration.no_ties, ties, actor],
    )


declare_impartiality = in_own_transaction(write_declaration)


def latest_declaration(con: duckdb.DuckDBPyConnection, evaluator: str) -> Declaration | None:
    row = con.execute(
        "SELECT declared_on, no_ties, ties FROM impartiality_declaration"
        " WHERE evaluator_id = ? ORDER BY id DESC LIMIT 1",
        [evaluator],
    ).fetchone()
    if row is None:
        return None
    return Declaration(evaluator, row[0], bool(row[1]), row[2])


def may_score(con: duckdb.DuckDBPyConnection, evaluator: str) -> bool:
    """Whether the evaluator is active and has declared impartiality."""
    row = con.execute(
        "SELECT NOT coalesce(e.retired, false),"
        " EXISTS (SELECT 1 FROM impartiality_declaration d WHERE d.evaluator_id = e.id)"
        " FROM evaluator e WHERE e.id = ?",
        [evaluator],
    ).fetchone()
    return bool(row and row[0] and row[1])


def evaluators(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every evaluator with whether retired and the latest declaration (date, ties)."""
    return con.execute(
        "SELECT e.id, e.name, e.role_nb, e.role_en, coalesce(e.retired, false) AS retired,"
        " d.declared_on, d.no_ties, d.ties"
        " FROM evaluator e LEFT JOIN ("
        "   SELECT *, row_number() OVER (PARTITION BY evaluator_id ORDER BY id DESC) AS n"
        "   FROM impartiality_declaration) d ON d.evaluator_id = e.id AND d.n = 1"
        " ORDER BY e.name"
    ).df()


@retry_on_conflict
def reopen_submission(
    con: duckdb.DuckDBPyConnection, evaluator: str, *, reason: str, actor: str
) -> None:
    """Reopen a submitted evaluator's scores for changes, logged with the reason. Until
    the evaluator submits again, the scores are treated as any unsubmitted ones."""
    if not _text(reason):
        raise InvalidRegistration(N_("Say why the submission is reopened: the reason is logged."))
    with transaction(con):
        _require(con, evaluator)
        row = con.execute(
            "SELECT submitted_at FROM evaluator_submission WHERE evaluator_id = ?", [evaluator]
        ).fetchone()
        if row is None:
            raise InvalidRegistration(
                N_("{id} has not submitted; there is nothing to reopen."), id=evaluator
            )
        con.execute("DELETE FROM evaluator_submission WHERE evaluator_id = ?", [evaluator])
        audit.record(
            con, actor=actor, action="reopen", entity="evaluator_submission", entity_id=evaluator,
            old={"submitted_at": str(row[0])}, reason=_text(reason),
        )  # fmt: skip
