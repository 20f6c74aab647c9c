"""Opening the offers: the working group records who opened them and when. Opening is
refused until the evaluation model is frozen, so the model cannot be fitted to the offers;
after it, an offer's answers change only through a correction with a reason, logged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from store import audit, freeze
from store.db import retry_on_conflict, transaction
from store.errors import N_, OffersNotOpen

FIRST_ROUND = 1


@dataclass(frozen=True)
class Opening:
    round: int
    opened_at: datetime
    opened_by: str


def openings(con: duckdb.DuckDBPyConnection) -> list[Opening]:
    rows = con.execute(
        "SELECT round, opened_at, opened_by FROM offer_opening ORDER BY round"
    ).fetchall()
    return [Opening(int(r[0]), r[1], r[2]) for r in rows]


def is_opened(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute("SELECT count(*) FROM offer_opening").fetchone() != (0,)


@retry_on_conflict
def open_offers(
    con: duckdb.DuckDBPyConnection, *, actor: str, round_number: int = FIRST_ROUND
) -> Opening:
    """Record the opening of a round's offers, logged. Refused before the freeze and for a
    round already opened."""
    with transaction(con):
        if freeze.frozen(con) is None:
            raise OffersNotOpen(N_("Freeze the evaluation model before the offers are opened."))
        if con.execute("SELECT 1 FROM offer_opening WHERE round = ?", [round_number]).fetchone():
            raise OffersNotOpen(
                N_("The offers of round {round} are opened already."), round=round_number
            )
        con.execute(
            "INSERT INTO offer_opening (round, opened_by) VALUES (?, ?)", [round_number, actor]
        )
        offers = [r[0] for r in con.execute("SELECT id FROM offer ORDER BY id").fetchall()]
        audit.record(
            con,
            actor=actor,
            action="open",
            entity="offer_opening",
            entity_id=str(round_number),
            new={"offers": offers},
        )
    return openings(con)[-1]


def ensure_change_allowed(con: duckdb.DuckDBPyConnection, reason: str) -> None:
    """After the opening, an offer's answers change only through a correction with a
    reason; before it, freely."""
    if is_opened(con) and not reason.strip():
        raise OffersNotOpen(
            N_(
                "The offers are opened: a changed answer is a correction and needs a reason, "
                "which is logged."
            )
        )
