"""The consensus meeting opens on the open pair with most points at stake, worked out here
by hand from the submitted scores and the published weights; "next open item" skips what is
agreed; the working group accepts the medians as the command line does."""

from __future__ import annotations

from collections import defaultdict

from tests.dbdump import plain, raw_edit, rows
from tests.hand_weights import published_shares
from tests.pages.test_pages import open_page, press, vendor_names
from ui import state


def _requirements_by_stake(demo_db, leave_out: set[str]) -> list[tuple[str, set[str], float]]:
    """Per weighted requirement, its most points at stake in an open pair (range × weight ×
    10) and the offers with that much at stake, requirements in that order; rejected offers
    and ``leave_out`` left out."""
    with plain(demo_db) as con:
        _criteria, weight = published_shares(con)
        spreads = con.execute(
            "SELECT offer_id, requirement_id, max(score) - min(score) FROM score"
            " WHERE evaluator_id IN (SELECT evaluator_id FROM evaluator_submission)"
            "   AND offer_id NOT IN (SELECT offer_id FROM mandatory_check"
            "                        WHERE outcome = 'material_deviation')"
            " GROUP BY ALL HAVING max(score) > min(score)"
        ).fetchall()
    stakes: dict[str, dict[str, float]] = defaultdict(dict)
    for offer, requirement, spread in spreads:
        if requirement not in leave_out:
            stakes[requirement][offer] = spread * weight[requirement] * 10
    found = []
    for requirement, by_offer in stakes.items():
        most = max(by_offer.values())
        found.append((requirement, {o for o, s in by_offer.items() if s == most}, most))
    return sorted(found, key=lambda item: -item[2])


def test_the_meeting_opens_on_most_at_stake_and_next_skips_what_is_agreed(demo_db):
    everything = _requirements_by_stake(demo_db, set())
    agreed = everything[1][0]  # the second: left agreed, so "next" passes it by
    raw_edit(demo_db, f"DELETE FROM consensus WHERE requirement_id <> '{agreed}'")
    expected = _requirements_by_stake(demo_db, {agreed})
    first, offers, stake = expected[0]
    assert expected[1][2] < stake  # no tie for the first place

    at = open_page("pages/evaluation.py")
    at.segmented_control(key=state.EVALUATION_SECTION).set_value("consensus").run()
    assert not at.exception
    chooser = at.selectbox(key=state.CONSENSUS_REQUIREMENT)
    assert chooser.value == first
    labelled = next(o for o in chooser.options if o.startswith(agreed + " "))
    assert labelled.endswith("· omforent")
    last_open = next(o for o in chooser.options if o.startswith(expected[-1][0] + " "))
    assert chooser.options.index(labelled) > chooser.options.index(last_open)
    top = at.dataframe[0].value.iloc[0]
    assert top["Krav"] == first
    assert top["Leverandør"] in {vendor_names()[o] for o in offers}
    assert top["Poeng som står på spill"] == f"{stake:.2f}".replace(".", ",")
    assert top["Tekst"]  # the requirement's text beside its id
    assert agreed not in at.dataframe[0].value["Krav"].tolist()
    assert any("Status: åpen" in c.value for c in at.caption)

    press(at, "Neste åpne punkt")
    assert at.selectbox(key=state.CONSENSUS_REQUIREMENT).value == expected[1][0]


def test_the_working_group_accepts_the_medians_with_a_reason(demo_db):
    raw_edit(demo_db, "DELETE FROM consensus")
    spreads = rows(
        demo_db,
        "SELECT count(*) FILTER (WHERE max_minus_min <= 1) FROM ("
        " SELECT max(score) - min(score) AS max_minus_min FROM score"
        " WHERE evaluator_id IN (SELECT evaluator_id FROM evaluator_submission)"
        " GROUP BY offer_id, requirement_id HAVING count(*) >= 2)",
    )[0][0]
    at = open_page("pages/evaluation.py")
    at.segmented_control(key=state.EVALUATION_SECTION).set_value("consensus").run()
    at.number_input(key=state.CONSENSUS_MEDIAN_RANGE).set_value(1.0)
    at.text_input(key=state.CONSENSUS_MEDIAN_REASON).input("Enige på forhånd")
    press(at, "Godta medianene")
    assert rows(demo_db, "SELECT count(*), min(reason), max(reason) FROM consensus") == [
        (spreads, "Enige på forhånd", "Enige på forhånd")
    ]
    assert rows(demo_db, "SELECT count(*) FROM audit_log WHERE action = 'accept_median'") == [(1,)]
