"""Two windows of the same evaluator: a save based on a value that has changed since the
page was drawn is refused with the newer value, and the log keeps both attempts."""

from __future__ import annotations

import json

import pytest

from store import audit, db
from store import evaluation as ev
from store.errors import StaleValue

OFFER, WEIGHTED, MANDATORY = "cuovga-1", "LANG-04", "LANG-01"


@pytest.fixture
def con(demo_db):
    con = db.open_database(demo_db)
    con.execute("INSERT INTO evaluator (id, name) VALUES ('anne', 'Anne Aikio')")
    con.execute(
        "INSERT INTO impartiality_declaration (evaluator_id, declared_on, no_ties, recorded_by)"
        " VALUES ('anne', current_date, true, 'anne')"
    )
    yield con
    con.close()


def as_anne(save, con, requirement, **entry):
    """Save anne's entry on OFFER for ``requirement`` with one of the store's savers."""
    save(con, evaluator="anne", offer=OFFER, requirement=requirement, actor="anne", **entry)


def score(con, value, reason, **kwargs):
    as_anne(ev.save_score, con, WEIGHTED, score=value, reason=reason, **kwargs)


def stored(con):
    return con.execute(
        "SELECT score, reason FROM score WHERE evaluator_id = 'anne' AND offer_id = ?"
        " AND requirement_id = ?",
        [OFFER, WEIGHTED],
    ).fetchone()


def entries(con):
    rows = con.execute(
        "SELECT action, old_value, new_value FROM audit_log WHERE entity_id = ? ORDER BY id",
        [audit.evaluator_entity_id("anne", OFFER, WEIGHTED)],
    ).fetchall()
    return [(a, json.loads(o) if o else None, json.loads(n)) for a, o, n in rows]


def test_a_save_based_on_an_outdated_value_is_refused_with_the_newer_one(con):
    score(con, 5, "Første", expected=None)
    drawn = {"score": 5, "reason": "Første"}  # both windows show this
    score(con, 7, "Fra vindu B", expected=drawn)  # window B saves first
    with pytest.raises(StaleValue) as caught:
        score(con, 6, "Fra vindu A", expected=drawn)  # window A, drawn before B saved
    assert caught.value.current == {"score": 7.0, "reason": "Fra vindu B"}
    assert stored(con) == (7.0, "Fra vindu B")
    assert entries(con) == [
        ("create", None, {"score": 5.0, "reason": "Første"}),
        ("update", {"score": 5.0, "reason": "Første"}, {"score": 7.0, "reason": "Fra vindu B"}),
        (
            "refused",
            {"score": 7.0, "reason": "Fra vindu B"},
            {"score": 6.0, "reason": "Fra vindu A"},
        ),
    ]
    assert audit.verify(con).intact
    # drawn again, window A sees 7 and may change it
    score(con, 6, "Fra vindu A", expected={"score": 7, "reason": "Fra vindu B"})
    assert stored(con) == (6.0, "Fra vindu A")


def test_a_first_save_is_refused_when_another_window_saved_first(con):
    score(con, 4, "Fra vindu B", expected=None)
    with pytest.raises(StaleValue) as caught:
        score(con, 9, "Fra vindu A", expected=None)
    assert caught.value.current == {"score": 4.0, "reason": "Fra vindu B"}
    assert stored(con) == (4.0, "Fra vindu B")


def test_a_changed_reason_alone_makes_the_value_outdated(con):
    score(con, 5, "Første")
    score(con, 5, "Utdypet i vindu B")
    with pytest.raises(StaleValue):
        score(con, 5, "Annet i vindu A", expected={"score": 5, "reason": "Første"})


def test_saving_what_is_stored_already_is_not_refused(con):
    score(con, 5, "Samme")
    score(con, 5, "Samme", expected={"score": 1, "reason": "Gammelt"})
    assert [e[0] for e in entries(con)] == ["create"]


def test_assessments_are_checked_the_same_way(con):
    def assess(outcome, reason, expected):
        as_anne(
            ev.save_assessment, con, MANDATORY, outcome=outcome, reason=reason, expected=expected
        )

    assess("met", "B", None)
    with pytest.raises(StaleValue) as caught:
        assess("not_met", "A", None)
    assert caught.value.current == {"outcome": "met", "reason": "B"}
    actions = con.execute(
        "SELECT action FROM audit_log WHERE entity = 'mandatory_assessment' AND entity_id = ?"
        " ORDER BY id",
        [audit.evaluator_entity_id("anne", OFFER, MANDATORY)],
    ).fetchall()
    assert [a for (a,) in actions] == ["create", "refused"]


def test_a_refused_attempt_is_hidden_from_others_until_the_evaluator_submits(con):
    score(con, 5, "Første", expected=None)
    with pytest.raises(StaleValue):
        score(con, 6, "Hemmelig forsøk", expected=None)
    seen = audit.entries(con, viewer=None)
    refused = seen[seen["action"] == "refused"]
    assert len(refused) == 1 and bool(refused["hidden"].iloc[0])
    assert refused["new_value"].isna().all()
