"""The award decision (store.award, analysis.award): recorded against the published ranking,
refused without leaving a trace, withdrawn and replaced with a reason, and the letters'
texts saved and logged."""

from __future__ import annotations

import pytest

from analysis.award import decide, standing
from store import audit, award, settings
from store.errors import AwardRefused, InvalidSetting, UnknownOffer
from tests.dbdump import refused_unchanged

LEADER = "nordlys-1"  # first in the demo's published ranking (75.56 points, tindra 75.25)
SECOND = "tindra-1"
REJECTED = "lanternfield-1"  # a material deviation from OPS-01


def test_the_demo_ranking_has_one_leader_and_one_rejected_offer(con):
    found = standing(con)
    assert found.leaders == (LEADER,)
    assert found.rejected == (REJECTED,)


@pytest.mark.parametrize(
    ("offer", "reason", "error"),
    [
        ("nobody-1", "Fordi", UnknownOffer),
        (REJECTED, "Billigere enn vinneren", AwardRefused),
        (SECOND, "", AwardRefused),
        (SECOND, "  \n\t ", AwardRefused),
        (LEADER, "", AwardRefused),
        (LEADER, "   ", AwardRefused),
    ],
)
def test_a_refused_award_leaves_the_database_as_it_was(con, offer, reason, error):
    with refused_unchanged(con, error):
        decide(con, offer, reason=reason, actor="arbeidsgruppa")
    assert award.current(con) is None


def test_a_non_leader_without_a_reason_is_told_who_leads(con):
    with pytest.raises(AwardRefused) as refused:
        decide(con, SECOND, reason=" ", actor="arbeidsgruppa")
    assert LEADER in str(refused.value) and SECOND in str(refused.value)


@pytest.mark.parametrize(
    "unready",
    [
        "DELETE FROM consensus WHERE offer_id = 'tindra-1' AND requirement_id = 'LANG-04'",
        "DELETE FROM mandatory_check WHERE offer_id = 'tindra-1' AND requirement_id = 'OPS-01'",
        "DELETE FROM offer_price WHERE offer_id = 'tindra-1'",
    ],
    ids=["an agreed score missing", "an agreed assessment missing", "an offer unpriced"],
)
def test_nothing_is_awarded_before_the_published_ranking_exists(con, unready):
    con.execute(unready)
    assert standing(con).leaders == ()
    with refused_unchanged(con, AwardRefused):
        decide(con, LEADER, reason="Først i rangeringen", actor="arbeidsgruppa")


def test_the_leader_is_awarded_with_a_reason_and_logged(con):
    decide(con, LEADER, reason="  Først i den publiserte rangeringen ", actor="arbeidsgruppa")
    found = award.current(con)
    assert found is not None
    assert (found.offer_id, found.leader_offer_id, found.chose_leader) == (LEADER, LEADER, True)
    assert found.reason == "Først i den publiserte rangeringen"
    assert found.decided_by == "arbeidsgruppa"
    entry = audit.entries(con).iloc[-1]
    assert (entry["entity"], entry["action"], entry["actor"]) == (
        "award",
        "create",
        "arbeidsgruppa",
    )
    assert entry["reason"] == "Først i den publiserte rangeringen"
    assert audit.verify(con).intact


def test_another_offer_is_awarded_with_a_reason_that_says_why(con):
    why = "Styringsgruppa valgte Tindra: bedre samisk sortering veier tyngre enn 0,3 poeng."
    decide(con, SECOND, reason=why, actor="arbeidsgruppa")
    found = award.current(con)
    assert found is not None
    assert (found.offer_id, found.leader_offer_id, found.chose_leader) == (SECOND, LEADER, False)


def test_an_award_is_replaced_and_withdrawn_with_reasons(con):
    decide(con, LEADER, reason="Først i rangeringen", actor="arbeidsgruppa")
    decide(con, SECOND, reason="Klagen på prisen ble tatt til følge", actor="arbeidsgruppa")
    history = award.history(con)
    assert history["offer_id"].tolist() == [SECOND, LEADER]
    assert history["withdrawal_reason"].iloc[1] == "Klagen på prisen ble tatt til følge"
    with refused_unchanged(con, AwardRefused):
        award.withdraw(con, reason=" ", actor="arbeidsgruppa")
    award.withdraw(con, reason="Konkurransen avlyses", actor="arbeidsgruppa")
    assert award.current(con) is None
    log = audit.entries(con)
    withdrawals = log[(log["entity"] == "award") & (log["action"] == "withdraw")]
    assert withdrawals["reason"].tolist() == [
        "Klagen på prisen ble tatt til følge",
        "Konkurransen avlyses",
    ]
    with pytest.raises(AwardRefused):
        award.withdraw(con, reason="Igjen", actor="arbeidsgruppa")


def test_a_letter_needs_an_award_and_its_text_is_saved_and_logged(con):
    with pytest.raises(AwardRefused):
        award.save_letter_text(con, "tindra", "nb", "Tekst", actor="arbeidsgruppa")
    award_id = decide(con, LEADER, reason="Først i rangeringen", actor="arbeidsgruppa")
    assert award.letter_text(con, award_id, "tindra", "nb") is None
    assert award.save_letter_text(con, "tindra", "nb", "Første\r\nutkast ", actor="a")
    assert award.letter_text(con, award_id, "tindra", "nb") == "Første\nutkast"
    assert not award.save_letter_text(con, "tindra", "nb", "Første\nutkast", actor="a")
    assert award.save_letter_text(con, "tindra", "nb", "Andre utkast", actor="a")
    log = audit.entries(con)
    letters = log[log["entity"] == "award_letter"]
    assert letters["action"].tolist() == ["create", "update"]
    assert letters["entity_id"].iloc[-1] == f"{award_id}/tindra/nb"
    with refused_unchanged(con, AwardRefused):
        award.save_letter_text(con, "tindra", "nb", "  ", actor="a")


def test_the_standstill_period_is_a_setting_of_ten_days_by_default(con):
    assert settings.standstill_days(con) == 10
    settings.set_setting(con, "standstill_days", "15", actor="arbeidsgruppa")
    assert settings.standstill_days(con) == 15
    for wrong in ("0", "9", "ti", "-3", "91"):
        with pytest.raises(InvalidSetting):
            settings.set_setting(con, "standstill_days", wrong, actor="arbeidsgruppa")
