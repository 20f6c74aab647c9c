"""Opening the offers, round by round.

The working group records who opened a round's offers and when. Opening is refused until
the evaluation model is frozen, so the model cannot be fitted to the offers; after it, an
offer's answers and prices in that round change only through a correction with a reason,
logged.

An open tender has one round. A competition with negotiation has more: the initial
offers (round 1), revised offers after negotiation, final offers. Each import of a
vendor's workbook belongs to a round and every round is kept. The evaluation and the
ranking use the *current round*, the last one opened (round 1 before any opening), and
for each offer its latest answers and prices up to that round: a vendor that sent no
revised offer stands by its earlier one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from store import audit, freeze
from store.db import retry_on_conflict, transaction
from store.errors import N_, OffersNotOpen

FIRST_ROUND = 1
PROCEDURE_KEY = "procedure"
NEGOTIATION = "negotiation"  # the procedure that has rounds


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


def last_opened(con: duckdb.DuckDBPyConnection) -> int:
    """The last round opened; 0 before any opening."""
    row = con.execute("SELECT coalesce(max(round), 0) FROM offer_opening").fetchone()
    return int(row[0]) if row else 0


def current_round(con: duckdb.DuckDBPyConnection) -> int:
    """The round the evaluation and the ranking use: the last opened, or the first."""
    return max(last_opened(con), FIRST_ROUND)


def has_rounds(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the tender's procedure has more than one round (competition with
    negotiation)."""
    row = con.execute("SELECT value FROM setting WHERE key = ?", [PROCEDURE_KEY]).fetchone()
    return row is not None and row[0] == NEGOTIATION


def rounds_open_to_offers(con: duckdb.DuckDBPyConnection) -> list[int]:
    """The rounds a vendor's workbook may be imported into now: the current round (a
    correction, once it is opened) and, in a competition with negotiation whose current
    round is opened, the next."""
    last = last_opened(con)
    rounds = [current_round(con)]
    if last >= FIRST_ROUND and has_rounds(con):
        rounds.append(last + 1)
    return rounds


@dataclass(frozen=True)
class OpeningStatus:
    """Where the rounds stand, for a page: the openings so far, the last opened round (0
    before any), the current round, the rounds open to offers and whether the procedure
    has rounds."""

    openings: tuple[Opening, ...]
    last_opened: int
    current_round: int
    open_to_offers: tuple[int, ...]
    has_rounds: bool


def status(con: duckdb.DuckDBPyConnection) -> OpeningStatus:
    return OpeningStatus(
        tuple(openings(con)),
        last_opened(con),
        current_round(con),
        tuple(rounds_open_to_offers(con)),
        has_rounds(con),
    )


def in_force(table: str, columns: str = "t.*") -> str:
    """SQL for the rows of a per-round table (``response``, ``offer_price``) that are in
    force: each offer's latest round up to the current one. One parameter: the current
    round."""
    return (
        f"SELECT {columns} FROM {table} t JOIN ("
        f" SELECT offer_id, max(round) AS latest FROM {table} WHERE round <= ?"
        " GROUP BY offer_id) l ON l.offer_id = t.offer_id AND l.latest = t.round"
    )


def check_import_round(con: duckdb.DuckDBPyConnection, round_number: int, reason: str) -> None:
    """Refuse an import into a round that does not take one now: a round before the
    current, one after the next, a second round in an open tender, or an opened round
    without a reason (a correction)."""
    allowed = rounds_open_to_offers(con)
    if round_number not in allowed:
        if round_number > FIRST_ROUND and not has_rounds(con):
            raise OffersNotOpen(
                N_(
                    "Only a competition with negotiation has more than one round; this "
                    "tender's offers all belong to round 1."
                )
            )
        raise OffersNotOpen(
            N_("Round {round} takes no offers now; the rounds open to offers: {allowed}."),
            round=round_number,
            allowed=", ".join(str(r) for r in allowed),
        )
    if round_number <= last_opened(con) and not reason.strip():
        raise OffersNotOpen(
            N_(
                "The offers of round {round} are opened: a changed answer or price is a "
                "correction and needs a reason, which is logged."
            ),
            round=round_number,
        )


@retry_on_conflict
def open_offers(
    con: duckdb.DuckDBPyConnection, *, actor: str, round_number: int | None = None
) -> Opening:
    """Record the opening of a round's offers, logged: the next round (the first, when
    none is given and none is opened). Refused before the freeze, for a round already
    opened, for a round after the next, and for a second round of an open tender."""
    with transaction(con):
        last = last_opened(con)
        number = last + 1 if round_number is None else round_number
        if freeze.frozen(con) is None:
            raise OffersNotOpen(N_("Freeze the evaluation model before the offers are opened."))
        if number <= last:
            raise OffersNotOpen(N_("The offers of round {round} are opened already."), round=number)
        if number != last + 1:
            raise OffersNotOpen(
                N_("Open round {previous} before round {round}."), previous=last + 1, round=number
            )
        if number > FIRST_ROUND and not has_rounds(con):
            raise OffersNotOpen(
                N_(
                    "Only a competition with negotiation has more than one round; this "
                    "tender's offers all belong to round 1."
                )
            )
        con.execute("INSERT INTO offer_opening (round, opened_by) VALUES (?, ?)", [number, actor])
        offers = [
            r[0]
            for r in con.execute(
                "SELECT DISTINCT offer_id FROM response WHERE round = ? ORDER BY offer_id",
                [number],
            ).fetchall()
        ]
        audit.record(
            con, actor=actor, action="open", entity="offer_opening", entity_id=str(number),
            new={"offers": offers},
        )  # fmt: skip
    return openings(con)[-1]
