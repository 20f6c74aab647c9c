"""What the overview and the tender's steps count."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from store.settings import PUBLISHED_PROFILE_KEY


@dataclass(frozen=True)
class Counts:
    """What the overview counts."""

    requirements: int
    mandatory: int
    weighted: int
    offers: int
    evaluators: int
    libraries: int


def counts(con: duckdb.DuckDBPyConnection) -> Counts:
    """Numbers of requirements (by kind), offers, evaluators and libraries."""
    row = con.execute(
        "SELECT"
        " (SELECT count(*) FROM requirement WHERE NOT retired),"
        " (SELECT count(*) FROM requirement WHERE NOT retired AND kind = 'M'),"
        " (SELECT count(*) FROM requirement WHERE NOT retired AND kind = 'W'),"
        " (SELECT count(*) FROM offer),"
        " (SELECT count(*) FROM evaluator),"
        " (SELECT count(*) FROM library)"
    ).fetchone()
    assert row is not None
    return Counts(*(int(v) for v in row))


@dataclass(frozen=True)
class WorkCounts:
    """What the tender's steps lack, counted (``analysis.stage`` says what it means)."""

    criteria: int
    weighted: int
    mandatory: int
    published_profile: str
    offers: int
    offers_without_answers: int
    received_not_opened: int  # offers with answers in the round after the last opened one
    active_evaluators: frozenset[str]
    undeclared: int  # active evaluators without a declaration of impartiality
    agreed: int  # agreed scores and assessments of requirements in force
    offers_without_prices: int


def work_counts(con: duckdb.DuckDBPyConnection, waiting_round: int) -> WorkCounts:
    """The counts behind where the work stands; ``waiting_round`` is the round after the
    last one opened."""
    row = con.execute(
        "SELECT"
        " (SELECT count(*) FROM award_criterion),"
        " (SELECT count(*) FROM requirement WHERE NOT retired AND kind = 'W'),"
        " (SELECT count(*) FROM requirement WHERE NOT retired AND kind = 'M'),"
        " (SELECT coalesce(max(value), '') FROM setting WHERE key = ?),"
        " (SELECT count(*) FROM offer),"
        " (SELECT count(*) FROM offer WHERE id NOT IN (SELECT offer_id FROM response)),"
        " (SELECT count(DISTINCT offer_id) FROM response WHERE round = ?),"
        " (SELECT count(*) FROM evaluator e WHERE NOT coalesce(e.retired, false) AND e.id"
        "   NOT IN (SELECT evaluator_id FROM impartiality_declaration)),"
        " (SELECT count(*) FROM consensus c JOIN requirement r ON r.id = c.requirement_id"
        "   JOIN offer o ON o.id = c.offer_id WHERE NOT r.retired AND r.kind = 'W')"
        " + (SELECT count(*) FROM mandatory_check c JOIN requirement r"
        "   ON r.id = c.requirement_id JOIN offer o ON o.id = c.offer_id"
        "   WHERE NOT r.retired AND r.kind = 'M'),"
        " (SELECT count(*) FROM offer WHERE id NOT IN (SELECT offer_id FROM offer_price))",
        [PUBLISHED_PROFILE_KEY, waiting_round],
    ).fetchone()
    assert row is not None
    active = con.execute("SELECT id FROM evaluator WHERE NOT coalesce(retired, false)").fetchall()
    return WorkCounts(
        criteria=int(row[0]), weighted=int(row[1]), mandatory=int(row[2]),
        published_profile=str(row[3]), offers=int(row[4]), offers_without_answers=int(row[5]),
        received_not_opened=int(row[6]), active_evaluators=frozenset(str(r[0]) for r in active),
        undeclared=int(row[7]), agreed=int(row[8]), offers_without_prices=int(row[9]),
    )  # fmt: skip
