"""The language test kit's results: stored per offer and check, replaced by a new one,
logged with who recorded them, and refused whole when one is wrong."""

from __future__ import annotations

import pytest

from store import audit, language_results
from store.errors import UnknownOffer
from store.language_results import LanguageResultRefused
from tests.dbdump import dump

KNOWN = {"sme-exact", "sme-folded", "rus-exact"}
STORED = (
    "SELECT check_id, outcome, note, recorded_by FROM language_result"
    " WHERE offer_id = ? ORDER BY check_id"
)


def stored(con, offer):
    """The offer's results as the table holds them, by check."""
    return con.execute(STORED, [offer]).fetchall()


def test_results_are_stored_replaced_and_logged(con):
    changed = language_results.record_results(
        con,
        "tindra-1",
        {"sme-exact": ("pass", ""), "rus-exact": ("note", " Treff på «Мой», men treg \r\n")},
        known_checks=KNOWN,
        actor="kari",
    )
    assert changed == ["sme-exact", "rus-exact"]
    assert stored(con, "tindra-1") == [
        ("rus-exact", "note", "Treff på «Мой», men treg", "kari"),
        ("sme-exact", "pass", "", "kari"),
    ]
    entry = audit.entries(con).iloc[-1]
    assert (entry["actor"], entry["action"], entry["entity"], entry["entity_id"]) == (
        "kari", "create", "language_result", "tindra-1"
    )  # fmt: skip

    # The same again changes nothing and logs nothing; a new result replaces the old one.
    count = len(audit.entries(con))
    assert (
        language_results.record_results(
            con, "tindra-1", {"sme-exact": ("pass", "")}, known_checks=KNOWN, actor="kari"
        )
        == []
    )
    assert len(audit.entries(con)) == count
    language_results.record_results(
        con, "tindra-1", {"sme-exact": ("fail", "Fant også -folded")}, known_checks=KNOWN,
        actor="ole",
    )  # fmt: skip
    assert stored(con, "tindra-1")[1] == ("sme-exact", "fail", "Fant også -folded", "ole")
    entry = audit.entries(con).iloc[-1]
    assert (entry["action"], entry["entity_id"]) == ("update", "tindra-1/sme-exact")
    assert audit.verify(con).intact


@pytest.mark.parametrize(
    ("offer", "entries", "error"),
    [
        ("ingen-1", {"sme-exact": ("pass", "")}, UnknownOffer),
        ("tindra-1", {"sme-exact": ("pass", ""), "xyz-exact": ("pass", "")}, LanguageResultRefused),
        ("tindra-1", {"sme-exact": ("maybe", "")}, LanguageResultRefused),
        (
            "tindra-1",
            {"sme-exact": ("pass", ""), "sme-folded": ("note", "  ")},
            LanguageResultRefused,
        ),
    ],
    ids=["unknown offer", "unknown check", "unknown outcome", "note without text"],
)
def test_a_wrong_result_is_refused_and_leaves_nothing(con, offer, entries, error):
    before = dump(con)
    with pytest.raises(error):
        language_results.record_results(con, offer, entries, known_checks=KNOWN, actor="kari")
    assert dump(con) == before


def test_a_refusal_is_told_in_norwegian():
    refused = LanguageResultRefused(language_results.NOTE_NEEDED)
    assert refused.translated("nb").startswith("Resultatet «merknad»")
