"""The award decision and the award letters' texts.

Which offer is chosen, by whom, when and why is recorded (``award``) with the leader of the
published ranking at that moment; a decision is withdrawn, never deleted, with a reason, and
at most one is in force. Choosing the leader needs a reason as any decision does; choosing
another offer needs one that says why. An offer rejected at the mandatory screening, or one
that does not exist, is never chosen, and nothing is chosen before the published ranking
exists (every offer priced and agreed on).

The store does not rank: the caller passes the ``Standing`` of the published ranking
(``analysis.award.standing``), read inside the same transaction.

The working group edits each vendor's letter before it is sent; the edited text is stored
per award, vendor and language, and logged.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pandas as pd

from store import audit
from store.db import in_own_transaction
from store.errors import N_, AwardRefused, UnknownOffer


@dataclass(frozen=True)
class Standing:
    """What the published ranking says when an award is recorded.

    ``leaders``: the offers ranked first (one, unless tied), none while there is no
    published ranking (an offer without prices, agreed scores or assessments missing, no
    published profile); ``rejected``: the offers rejected at the mandatory screening.
    """

    leaders: tuple[str, ...]
    rejected: tuple[str, ...] = ()

    @property
    def leader(self) -> str | None:
        """The first offer (the first of those tied), None without a ranking."""
        return self.leaders[0] if self.leaders else None

    def leader_for(self, offer: str) -> str | None:
        """The leader an award of ``offer`` is recorded against: itself if it is one."""
        return offer if offer in self.leaders else self.leader


@dataclass(frozen=True)
class Award:
    """The award decision in force."""

    id: int
    offer_id: str
    leader_offer_id: str
    reason: str
    decided_by: str
    decided_at: datetime

    @property
    def chose_leader(self) -> bool:
        """Whether the chosen offer led the published ranking when it was chosen."""
        return self.offer_id == self.leader_offer_id


NO_RANKING = N_(
    "There is no published ranking yet, so nothing can be awarded: every offer must be "
    "priced and agreed on (every agreed score and assessment recorded) under a published "
    "weight profile."
)
EMPTY_REASON = N_("Say why this offer is chosen: the reason is logged with the decision.")
NOT_LEADER = N_(
    "“{offer}” is not first in the published ranking (“{leader}” is): choosing it needs a "
    "reason that says why."
)
REJECTED = N_(
    "“{offer}” was rejected at the mandatory screening (a material deviation) and cannot be chosen."
)
NO_AWARD = N_("No award is recorded.")
NO_OFFER = N_("Name the chosen offer, or withdraw the award.")
EMPTY_WITHDRAWAL = N_("Say why the award is withdrawn: the reason is logged.")
EMPTY_LETTER = N_("The letter is empty: write the letter before saving it.")


def _text(value: object) -> str:
    return unicodedata.normalize("NFC", str(value or "")).strip()


def current(con: duckdb.DuckDBPyConnection) -> Award | None:
    """The award in force, or None."""
    row = con.execute(
        "SELECT id, offer_id, leader_offer_id, reason, decided_by, decided_at FROM award"
        " WHERE withdrawn_at IS NULL ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    return Award(int(row[0]), str(row[1]), str(row[2]), str(row[3]), str(row[4]), row[5])


def history(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every decision, newest first, withdrawn ones with who withdrew them, when and why."""
    return con.execute("SELECT * FROM award ORDER BY id DESC").df()


def check_decision(
    con: duckdb.DuckDBPyConnection, offer: str, reason: str, standing: Standing
) -> str:
    """The reason, cleaned, if ``offer`` may be chosen; else AwardRefused (UnknownOffer for
    an offer that does not exist)."""
    if con.execute("SELECT 1 FROM offer WHERE id = ?", [offer]).fetchone() is None:
        raise UnknownOffer(N_("There is no offer with the id “{id}”."), id=offer)
    if standing.leader is None:
        raise AwardRefused(NO_RANKING)
    if offer in standing.rejected:
        raise AwardRefused(REJECTED, offer=offer)
    cleaned = _text(reason)
    if offer not in standing.leaders and not cleaned:
        raise AwardRefused(NOT_LEADER, offer=offer, leader=standing.leader)
    if not cleaned:
        raise AwardRefused(EMPTY_REASON)
    return cleaned


def write_award(
    con: duckdb.DuckDBPyConnection,
    offer: str,
    *,
    reason: str,
    standing: Standing,
    actor: str,
) -> int:
    """Record the award inside the caller's transaction, logged; an award in force is
    withdrawn first with the same reason. Returns the new decision's id."""
    cleaned = check_decision(con, offer, reason, standing)
    before = current(con)
    if before is not None:
        write_withdrawal(con, reason=cleaned, actor=actor)
    row = con.execute(
        "INSERT INTO award (id, offer_id, leader_offer_id, reason, decided_by)"
        " SELECT coalesce(max(id), 0) + 1, ?, ?, ?, ? FROM award RETURNING id",
        [offer, standing.leader_for(offer), cleaned, actor],
    ).fetchone()
    assert row is not None
    award_id = int(row[0])
    audit.record(
        con, actor=actor, action="create", entity="award", entity_id=str(award_id),
        old={"offer": before.offer_id} if before is not None else None,
        new={"offer": offer, "leader": standing.leader_for(offer)}, reason=cleaned,
    )  # fmt: skip
    return award_id


def write_withdrawal(con: duckdb.DuckDBPyConnection, *, reason: str, actor: str) -> int:
    """Withdraw the award in force inside the caller's transaction, logged; returns its id."""
    cleaned = _text(reason)
    found = current(con)
    if found is None:
        raise AwardRefused(NO_AWARD)
    if not cleaned:
        raise AwardRefused(EMPTY_WITHDRAWAL)
    con.execute(
        "UPDATE award SET withdrawn_by = ?, withdrawn_at = current_timestamp,"
        " withdrawal_reason = ? WHERE id = ?",
        [actor, cleaned, found.id],
    )
    audit.record(
        con, actor=actor, action="withdraw", entity="award", entity_id=str(found.id),
        old={"offer": found.offer_id}, reason=cleaned,
    )  # fmt: skip
    return found.id


def letter_text(
    con: duckdb.DuckDBPyConnection, award_id: int, vendor: str, language: str
) -> str | None:
    """The letter's stored text for a vendor under an award, in a language (None: not yet
    edited, the draft stands)."""
    row = con.execute(
        "SELECT body FROM award_letter WHERE award_id = ? AND vendor_id = ? AND language = ?",
        [award_id, vendor, language],
    ).fetchone()
    return str(row[0]) if row is not None else None


def write_letter_text(
    con: duckdb.DuckDBPyConnection, vendor: str, language: str, body: str, *, actor: str
) -> bool:
    """Store a vendor's edited letter under the award in force inside the caller's
    transaction, logged; False when it is unchanged."""
    found = current(con)
    if found is None:
        raise AwardRefused(NO_AWARD)
    if con.execute("SELECT 1 FROM vendor WHERE id = ?", [vendor]).fetchone() is None:
        raise UnknownOffer(N_("There is no vendor with the id “{id}”."), id=vendor)
    text = unicodedata.normalize("NFC", str(body or "")).replace("\r\n", "\n").strip()
    if not text:
        raise AwardRefused(EMPTY_LETTER)
    old = letter_text(con, found.id, vendor, language)
    if old == text:
        return False
    con.execute(
        "INSERT OR REPLACE INTO award_letter (award_id, vendor_id, language, body, saved_by)"
        " VALUES (?, ?, ?, ?, ?)",
        [found.id, vendor, language, text, actor],
    )
    audit.record(
        con, actor=actor, action="update" if old is not None else "create", entity="award_letter",
        entity_id=f"{found.id}/{vendor}/{language}",
        old=old, new=text,
    )  # fmt: skip
    return True


withdraw = in_own_transaction(write_withdrawal)
save_letter_text = in_own_transaction(write_letter_text)
