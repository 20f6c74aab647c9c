"""A vendor's answers and prices as stored, per offer and round: read, compared with a new
file's, and replaced whole.

The requirement workbook that brings them is read in ``vendors`` (``vendors.responses``);
what is stored, and the rule for which round an answer stands in, live here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb
import pandas as pd

from store import audit, opening


@dataclass(frozen=True)
class Answer:
    """A vendor's answer to one requirement, as imported."""

    requirement_id: str
    answer: int | None
    comment: str = ""
    evidence: str = ""
    roadmap_date: date | None = None

    def as_dict(self) -> dict[str, Any]:
        """For the audit log and JSON."""
        return {
            "answer": self.answer,
            "comment": self.comment,
            "evidence": self.evidence,
            "roadmap_date": self.roadmap_date.isoformat() if self.roadmap_date else None,
        }


@dataclass(frozen=True)
class Price:
    """A vendor's amount for one price line."""

    line_id: str
    amount_nok: float


@dataclass(frozen=True)
class RoundChanges:
    """What new answers and prices change in a round, compared with what stood before: that
    round's earlier file, or else the offer's latest earlier round. ``scores_resting``
    counts the scores and assessments already given (evaluators' own and agreed) on a
    requirement whose answer changes."""

    round: int
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    prices_added: list[str] = field(default_factory=list)
    prices_changed: dict[str, tuple[float, float]] = field(default_factory=dict)
    prices_removed: list[str] = field(default_factory=list)
    scores_resting: int = 0
    replaces: bool = False  # the round held this offer's answers already


def _round_before(con: duckdb.DuckDBPyConnection, offer_id: str, round_number: int) -> int | None:
    """The round whose answers an import into ``round_number`` is compared with: that round
    if it holds the offer's answers, else the latest earlier one that does."""
    row = con.execute(
        "SELECT max(round) FROM response WHERE offer_id = ? AND round <= ?",
        [offer_id, round_number],
    ).fetchone()
    return None if not row or row[0] is None else int(row[0])


def stored_answers(
    con: duckdb.DuckDBPyConnection, offer_id: str, round_number: int | None = None
) -> dict[str, Answer]:
    """An offer's answers as stored in a round (default: those in force), by requirement."""
    number = _round_before(
        con, offer_id, opening.current_round(con) if round_number is None else round_number
    )
    rows = con.execute(
        "SELECT requirement_id, answer, comment, evidence, roadmap_date FROM response"
        " WHERE offer_id = ? AND round = ? ORDER BY requirement_id",
        [offer_id, number],
    ).fetchall()
    return {
        r[0]: Answer(
            requirement_id=r[0],
            answer=None if r[1] is None else int(r[1]),
            comment=r[2],
            evidence=r[3],
            roadmap_date=r[4],
        )
        for r in rows
    }


def stored_prices(
    con: duckdb.DuckDBPyConnection, offer_id: str, round_number: int | None = None
) -> dict[str, float]:
    """An offer's amounts in a round (default: those in force), by price line: that round's
    if it has them, else the latest earlier round's."""
    target = opening.current_round(con) if round_number is None else round_number
    row = con.execute(
        "SELECT max(round) FROM offer_price WHERE offer_id = ? AND round <= ?",
        [offer_id, target],
    ).fetchone()
    if not row or row[0] is None:
        return {}
    rows = con.execute(
        "SELECT line_id, amount_nok FROM offer_price WHERE offer_id = ? AND round = ?",
        [offer_id, int(row[0])],
    ).fetchall()
    return {str(r[0]): float(r[1]) for r in rows}


def _scores_resting(con: duckdb.DuckDBPyConnection, offer_id: str, requirements: list[str]) -> int:
    if not requirements:
        return 0
    marks = ", ".join("?" * len(requirements))
    total = 0
    for table in ("score", "mandatory_assessment", "consensus", "mandatory_check"):
        row = con.execute(
            f"SELECT count(*) FROM {table} WHERE offer_id = ? AND requirement_id IN ({marks})",
            [offer_id, *requirements],
        ).fetchone()
        total += int(row[0]) if row else 0
    return total


def compare(
    con: duckdb.DuckDBPyConnection,
    offer_id: str,
    answers: Sequence[Answer],
    prices: Sequence[Price],
    round_number: int,
) -> RoundChanges:
    """What storing ``answers`` and ``prices`` in a round would change; writes nothing."""
    old = stored_answers(con, offer_id, round_number)
    new = {a.requirement_id: a for a in answers}
    old_prices = stored_prices(con, offer_id, round_number)
    new_prices = {p.line_id: p.amount_nok for p in prices}
    changed = [r for r in new if r in old and old[r] != new[r]]
    removed = [r for r in old if r not in new]
    replaces = con.execute(
        "SELECT 1 FROM response WHERE offer_id = ? AND round = ? LIMIT 1", [offer_id, round_number]
    ).fetchone()
    return RoundChanges(
        round=round_number,
        added=[r for r in new if r not in old],
        changed=changed,
        removed=removed,
        prices_added=[k for k in new_prices if k not in old_prices],
        prices_changed={
            k: (old_prices[k], v)
            for k, v in new_prices.items()
            if k in old_prices and old_prices[k] != v
        },
        prices_removed=[k for k in old_prices if k not in new_prices],
        scores_resting=_scores_resting(con, offer_id, changed + removed),
        replaces=replaces is not None,
    )


def write_round(
    con: duckdb.DuckDBPyConnection,
    offer_id: str,
    answers: Sequence[Answer],
    prices: Sequence[Price],
    *,
    round_number: int,
    sha256: str,
    catalogue_version: int,
    actor: str,
    file_name: str = "",
    reason: str = "",
) -> RoundChanges:
    """Replace an offer's answers and prices in a round with a file's, inside the caller's
    transaction, logged with the file's SHA-256. Into an opened round this is a
    correction and needs a reason (``OffersNotOpen``)."""
    opening.check_import_round(con, round_number, reason)
    changes = compare(con, offer_id, answers, prices, round_number)
    old = stored_answers(con, offer_id, round_number)
    old_sha = con.execute(
        "SELECT any_value(file_sha256) FROM response WHERE offer_id = ? AND round = ?",
        [offer_id, round_number],
    ).fetchone()
    con.execute("DELETE FROM response WHERE offer_id = ? AND round = ?", [offer_id, round_number])
    con.execute(
        "DELETE FROM offer_price WHERE offer_id = ? AND round = ?", [offer_id, round_number]
    )
    if answers:
        _insert_answers(con, offer_id, round_number, answers, sha256)
    if prices:
        con.executemany(
            "INSERT INTO offer_price (offer_id, round, line_id, amount_nok, file_sha256)"
            " VALUES (?, ?, ?, ?, ?)",
            [(offer_id, round_number, p.line_id, p.amount_nok, sha256) for p in prices],
        )
    new = {a.requirement_id: a for a in answers}
    why = reason.strip() or f"Response workbook {file_name} (SHA-256 {sha256})"
    audit.record(
        con, actor=actor, action="import", entity="response", entity_id=offer_id,
        old={
            "file_sha256": old_sha[0] if old_sha else None,
            "answers": {r: old[r].as_dict() for r in changes.changed + changes.removed},
        },
        new={
            "round": round_number,
            "file": file_name,
            "file_sha256": sha256,
            "catalogue_version": catalogue_version,
            "answers": {r: new[r].as_dict() for r in changes.added + changes.changed},
            "unchanged": len(new) - len(changes.added) - len(changes.changed),
        },
        reason=why,
    )  # fmt: skip
    if prices or changes.prices_removed:
        audit.record(
            con, actor=actor, action="import", entity="price", entity_id=offer_id,
            old={k: v[0] for k, v in changes.prices_changed.items()}
            | {k: None for k in changes.prices_added},
            new={"round": round_number, "amounts": {p.line_id: p.amount_nok for p in prices}},
            reason=why,
        )  # fmt: skip
    return changes


def _insert_answers(
    con: duckdb.DuckDBPyConnection,
    offer_id: str,
    round_number: int,
    answers: Sequence[Answer],
    sha256: str,
) -> None:
    incoming = pd.DataFrame(
        {
            "requirement_id": [a.requirement_id for a in answers],
            "answer": pd.array([a.answer for a in answers], dtype="Int64"),
            "comment": [a.comment for a in answers],
            "evidence": [a.evidence for a in answers],
            "roadmap_date": [
                a.roadmap_date.isoformat() if a.roadmap_date else None for a in answers
            ],
        }
    )
    con.register("incoming_answers", incoming)
    try:
        con.execute(
            "INSERT INTO response (offer_id, round, requirement_id, answer, comment, evidence,"
            " roadmap_date, file_sha256)"
            " SELECT ?, ?, requirement_id, answer, comment, evidence,"
            " CAST(roadmap_date AS DATE), ? FROM incoming_answers",
            [offer_id, round_number, sha256],
        )
    finally:
        con.unregister("incoming_answers")
