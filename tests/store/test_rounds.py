"""Rounds of a competition with negotiation: a second round's import keeps the first
round's answers and prices; the evaluation uses the current round, and an offer without a
revised file stands by its earlier one; the change view agrees with a case made by hand."""

from __future__ import annotations

from dataclasses import replace

import pytest

from analysis.rounds import compare_rounds
from store import freeze, offers, opening
from store import responses as store_responses
from store.errors import OffersNotOpen
from store.tender import save_tender, tender
from tests.analysis.test_stage import lacking
from tests.dbdump import dump
from tests.vendors.xlsx import as_filled, fill, to_bytes
from vendors import responses

OFFER = "nordlys-1"
YEARS = 4  # the demo's contract period


def negotiated(con) -> None:
    save_tender(
        con,
        replace(tender(con), name="Bibliotekssystem", procedure="negotiation"),
        actor="kari",
    )
    freeze.freeze_model(con, actor="kari")
    opening.open_offers(con, actor="kari")


def revised_workbook(con, answer_changes, price_changes) -> bytes:
    """Nordlys's first-round answers and prices, with some changed."""
    answers = as_filled(store_responses.stored_answers(con, OFFER, 1))
    for rid, value in answer_changes.items():
        answers[rid] = {**answers[rid], "answer": value, "roadmap_date": None}
    amounts = {**store_responses.stored_prices(con, OFFER, 1), **price_changes}
    template = responses.export_template(con, actor="kari", offer_id=OFFER).data
    return to_bytes(fill(template, answers, amounts))


def rows_of_round(con, round_number):
    return {
        table: con.execute(
            f"SELECT * FROM {table} WHERE round = ? ORDER BY ALL", [round_number]
        ).fetchall()
        for table in ("response", "offer_price")
    }


def test_a_second_round_keeps_the_first_and_counts_once_opened(con):
    negotiated(con)
    first = rows_of_round(con, 1)
    first_prices = offers.prices(con)
    old_licence = store_responses.stored_prices(con, OFFER, 1)["lisens"]
    data = revised_workbook(con, {"LANG-04": 0}, {"lisens": old_licence - 100_000})

    responses.import_responses(con, OFFER, data, actor="kari", round_number=2)

    assert rows_of_round(con, 1) == first  # round 1 untouched
    assert len(rows_of_round(con, 2)["response"]) == len(
        store_responses.stored_answers(con, OFFER, 1)
    )
    # Not opened yet: the evaluation still uses round 1, and the overview says so.
    assert offers.prices(con).equals(first_prices)
    assert lacking(con)["opened"] == [
        "{count} offer(s) of round {round} received and not yet opened."
    ]

    opening.open_offers(con, actor="kari")
    assert opening.current_round(con) == 2
    now = offers.prices(con).set_index(["offer_id", "line_id"])["amount_nok"]
    assert now[(OFFER, "lisens")] == old_licence - 100_000
    # Tindra sent no revised offer: it stands by its first.
    tindra = first_prices[first_prices["offer_id"] == "tindra-1"].set_index("line_id")
    assert now.loc["tindra-1"].to_dict() == tindra["amount_nok"].to_dict()
    assert set(offers.responses(con).query("offer_id == @OFFER")["round"]) == {2}


def test_the_change_view_agrees_with_a_hand_made_case(con):
    negotiated(con)
    stored = store_responses.stored_prices(con, OFFER, 1)
    before_cost = sum(
        amount * (YEARS if kind == "yearly" else 1)
        for line, amount in stored.items()
        for kind, option in [
            con.execute("SELECT kind, is_option FROM price_line WHERE id = ?", [line]).fetchone()
        ]
        if not option
    )
    old_answer = store_responses.stored_answers(con, OFFER, 1)["LANG-04"].answer
    data = revised_workbook(
        con,
        {"LANG-04": 0},
        {"lisens": stored["lisens"] - 100_000, "drift": stored["drift"] + 10_000},
    )
    responses.import_responses(con, OFFER, data, actor="kari", round_number=2)
    opening.open_offers(con, actor="kari")

    view = compare_rounds(con, 1, 2)
    assert view.answers[["offer_id", "requirement_id"]].values.tolist() == [[OFFER, "LANG-04"]]
    assert view.answers[["answer_before", "answer_after"]].values.tolist() == [[old_answer, 0]]
    assert sorted(view.prices["line_id"]) == ["drift", "lisens"]
    row = view.offers.set_index("offer_id").loc[OFFER]
    assert (row["answers_changed"], row["prices_changed"]) == (1, 2)
    # 100 000 less and 10 000 more a year, over four years: 360 000 less in all.
    assert row["cost_before"] == pytest.approx(before_cost)
    assert row["cost_after"] == pytest.approx(before_cost - 360_000)
    others = view.offers.set_index("offer_id").drop(OFFER)
    assert (others["answers_changed"] == 0).all() and (others["prices_changed"] == 0).all()
    assert (others["cost_before"] == others["cost_after"]).all()
    # Cheaper means at least as many price points: Nordlys does not fall.
    assert row["points_after"] >= row["points_before"]
    assert row["rank_after"] <= row["rank_before"]


def test_rounds_take_imports_only_in_order(con):
    negotiated(con)
    data = revised_workbook(con, {}, {})
    before = dump(con)
    with pytest.raises(OffersNotOpen):
        responses.import_responses(con, OFFER, data, actor="kari", round_number=3)
    with pytest.raises(OffersNotOpen):  # round 1 is opened: a correction needs a reason
        responses.import_responses(con, OFFER, data, actor="kari", round_number=1)
    assert dump(con) == before
    responses.import_responses(con, OFFER, data, actor="kari", round_number=2)
    opening.open_offers(con, actor="kari")
    with pytest.raises(OffersNotOpen):  # round 1 is closed now
        responses.import_responses(con, OFFER, data, actor="kari", round_number=1, reason="x")
    with pytest.raises(OffersNotOpen):
        opening.open_offers(con, actor="kari", round_number=4)
    assert opening.rounds_open_to_offers(con) == [2, 3]
