"""The language test kit's results per offer: for each check of the kit's protocol, whether
it passed in the vendor's demo system, failed, or needs a note, with who recorded it and
when. A new result for the same offer and check replaces the one before; the audit log keeps
every one (one entry per save: one check from the page, a whole protocol at once).

The store does not know the kit: the caller passes the ids of the protocol's checks
(``tender_files.language_kit.protocol.check_ids``), so a result for a check that does not
exist is refused.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Mapping

import duckdb
import pandas as pd

from store import audit
from store.db import in_own_transaction
from store.errors import N_, BibvalgError, UnknownOffer

PASS, FAIL, NOTE = "pass", "fail", "note"
# Each outcome's label for people (message ids, translated where shown), in order.
OUTCOMES: dict[str, str] = {PASS: N_("Pass"), FAIL: N_("Fail"), NOTE: N_("Note")}

UNKNOWN_CHECK = N_("There is no check “{check}” in the language test kit's protocol.")
UNKNOWN_OUTCOME = N_("“{outcome}” is not a result: choose pass, fail or note.")
NOTE_NEEDED = N_("A result “note” needs the note itself: write what was seen.")
NO_OFFER = N_("There is no offer with the id “{id}”.")


class LanguageResultRefused(BibvalgError):
    """A language test result that cannot be stored as given."""


def _text(value: object) -> str:
    return unicodedata.normalize("NFC", str(value or "")).replace("\r\n", "\n").strip()


def results(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every result: offer_id, check_id, outcome, note, recorded_by, recorded_at, by offer
    and check."""
    return con.execute(
        "SELECT offer_id, check_id, outcome, note, recorded_by, recorded_at"
        " FROM language_result ORDER BY offer_id, check_id"
    ).df()


def write_results(
    con: duckdb.DuckDBPyConnection,
    offer: str,
    entries: Mapping[str, tuple[str, str]],
    *,
    known_checks: Collection[str],
    actor: str,
) -> list[str]:
    """Record results for an offer inside the caller's transaction, ``check -> (outcome,
    note)``, in one audit entry; returns the checks whose result changed (none changed: no
    entry). Every result is checked first: one refused leaves nothing stored."""
    if con.execute("SELECT 1 FROM offer WHERE id = ?", [offer]).fetchone() is None:
        raise UnknownOffer(NO_OFFER, id=offer)
    cleaned: dict[str, dict[str, str]] = {}
    for check, (outcome, note) in entries.items():
        if check not in known_checks:
            raise LanguageResultRefused(UNKNOWN_CHECK, check=check)
        if outcome not in OUTCOMES:
            raise LanguageResultRefused(UNKNOWN_OUTCOME, outcome=outcome)
        text = _text(note)
        if outcome == NOTE and not text:
            raise LanguageResultRefused(NOTE_NEEDED)
        cleaned[check] = {"outcome": outcome, "note": text}
    stored = {
        str(check): {"outcome": str(outcome), "note": str(note)}
        for check, outcome, note in con.execute(
            "SELECT check_id, outcome, note FROM language_result WHERE offer_id = ?", [offer]
        ).fetchall()
    }
    changed = [check for check, new in cleaned.items() if stored.get(check) != new]
    if not changed:
        return []
    values = [(offer, c, cleaned[c]["outcome"], cleaned[c]["note"], actor) for c in changed]
    con.execute(
        "INSERT OR REPLACE INTO language_result (offer_id, check_id, outcome, note, recorded_by)"
        " VALUES " + ", ".join(["(?, ?, ?, ?, ?)"] * len(values)),
        [v for row in values for v in row],
    )
    audit.record(
        con, actor=actor, action="update" if any(c in stored for c in changed) else "create",
        entity="language_result",
        entity_id=offer if len(changed) > 1 else f"{offer}{audit.ENTITY_ID_SEPARATOR}{changed[0]}",
        old={c: stored[c] for c in changed if c in stored} or None,
        new={c: cleaned[c] for c in changed},
    )  # fmt: skip
    return changed


record_results = in_own_transaction(write_results)
