"""Spread, Kendall's W, the discuss-first list and proposals, against hand-computed examples
and against scipy's Friedman test."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import friedmanchisquare

from scoring.agreement import (
    agreement_by_category,
    average_ranks,
    category_scores,
    discuss_first,
    kendalls_w,
    median_agreement,
    meeting_agenda,
    next_open,
    pair_statistics,
    proposed_outcome,
    spread_matrix,
    still_to_discuss,
    unanimous_outcomes,
)


def scores_frame(rows):
    return pd.DataFrame(rows, columns=["evaluator_id", "offer_id", "requirement_id", "score"])


def scored(offer, requirement, **scores):
    """Rows of ``scores_frame``: each evaluator's score for one offer and requirement."""
    return [(evaluator, offer, requirement, score) for evaluator, score in scores.items()]


def test_pair_statistics_by_hand():
    scores = scores_frame([*scored("o1", "R1", a=2, b=6, c=7, d=9), *scored("o2", "R1", a=5)])
    stats = pair_statistics(scores)
    row = stats.loc[("o1", "R1")]
    # Median of 2, 6, 7, 9 is (6 + 7) / 2; mean 6; deviations −4, 0, 1, 3 → variance 26/4.
    assert row["n"] == 4
    assert row["median"] == 6.5
    assert row["mean"] == 6
    assert row["range"] == 7
    assert row["std"] == pytest.approx(math.sqrt(26 / 4))
    single = stats.loc[("o2", "R1")]
    assert (single["n"], single["range"], single["std"], single["median"]) == (1, 0, 0, 5)


def test_spread_matrix_places_each_pair_and_leaves_gaps():
    scores = scores_frame([("a", "o1", "R1", 2), ("b", "o1", "R1", 6), ("a", "o2", "R2", 1)])
    matrix = spread_matrix(pair_statistics(scores), ["o1", "o2"], ["R1", "R2"], "range")
    assert matrix.loc["o1", "R1"] == 4
    assert matrix.loc["o2", "R2"] == 0
    assert np.isnan(matrix.loc["o1", "R2"]) and np.isnan(matrix.loc["o2", "R1"])
    with pytest.raises(ValueError):
        spread_matrix(pair_statistics(scores), ["o1"], ["R1"], "variance")


def test_average_ranks_give_ties_their_mean_rank():
    assert average_ranks([9, 7, 7, 1]).tolist() == [1.0, 2.5, 2.5, 4.0]


def test_kendalls_w_without_ties_by_hand():
    # Ranks (1 = best) of four objects by three raters:
    #   A: 1 2 3 4   B: 2 1 3 4   C: 1 3 2 4
    # Rank sums 4, 6, 8, 12; mean 7.5; S = 12.25 + 2.25 + 0.25 + 20.25 = 35.
    # W = 12 · 35 / (3² · (4³ − 4)) = 420 / 540 = 7/9.
    ratings = -np.array([[1, 2, 3, 4], [2, 1, 3, 4], [1, 3, 2, 4]], dtype=float)
    assert kendalls_w(ratings) == pytest.approx(7 / 9)


def test_kendalls_w_with_ties_by_hand():
    # A ties objects 2 and 3 (ranks 2.5, 2.5): T_A = 2³ − 2 = 6.
    #   A: 1 2.5 2.5 4   B: 1 2 3 4   C: 2 1 3 4
    # Rank sums 4, 5.5, 8.5, 12; S = 12.25 + 4 + 1 + 20.25 = 37.5.
    # W = 12 · 37.5 / (9 · 60 − 3 · 6) = 450 / 522 = 25/29.
    ratings = np.array([[10, 8, 8, 2], [10, 8, 6, 2], [8, 10, 6, 2]], dtype=float)
    assert kendalls_w(ratings) == pytest.approx(25 / 29)
    # Without the tie correction it would be 450 / 540; the correction matters.
    assert kendalls_w(ratings) != pytest.approx(450 / 540)


def test_kendalls_w_extremes():
    assert kendalls_w([[3, 2, 1], [3, 2, 1], [3, 2, 1]]) == pytest.approx(1.0)
    assert kendalls_w([[3, 2, 1], [1, 2, 3]]) == pytest.approx(0.0)
    assert math.isnan(kendalls_w([[1, 2, 3]]))  # one rater
    assert math.isnan(kendalls_w([[1], [2]]))  # one object
    assert math.isnan(kendalls_w([[5, 5, 5], [2, 2, 2]]))  # nothing ranked


def friedman_w(ratings: np.ndarray) -> float:
    """W from scipy's (tie-corrected) Friedman statistic: W = χ²_F / (m (n − 1))."""
    m, n = ratings.shape
    chi2 = friedmanchisquare(*[ratings[:, j] for j in range(n)]).statistic
    return float(chi2) / (m * (n - 1))


def test_kendalls_w_matches_scipy_friedman_on_the_hand_examples():
    for ratings in (
        np.array([[10, 8, 8, 2], [10, 8, 6, 2], [8, 10, 6, 2]], dtype=float),
        -np.array([[1, 2, 3, 4], [2, 1, 3, 4], [1, 3, 2, 4]], dtype=float),
    ):
        assert kendalls_w(ratings) == pytest.approx(friedman_w(ratings))


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=2, max_value=6).flatmap(
        lambda m: st.integers(min_value=3, max_value=6).flatmap(
            lambda n: st.lists(
                st.lists(st.integers(0, 4), min_size=n, max_size=n), min_size=m, max_size=m
            )
        )
    )
)
def test_kendalls_w_matches_scipy_friedman_with_any_ties(rows):
    ratings = np.array(rows, dtype=float)
    if all(len(set(row)) == 1 for row in rows):
        assert math.isnan(kendalls_w(ratings))
        return
    assert kendalls_w(ratings) == pytest.approx(friedman_w(ratings), abs=1e-9)


REQUIREMENTS = pd.DataFrame(
    {"id": ["R1", "R2", "R3"], "category_id": ["X", "X", "Y"], "weight": [3.0, 1.0, 1.0]}
)


def test_category_scores_are_weighted_means_within_the_category():
    scores = scores_frame(
        [("a", "o1", "R1", 8), ("a", "o1", "R2", 4), ("a", "o1", "R3", 5), ("b", "o1", "R1", 2)]
    )
    table = category_scores(scores, REQUIREMENTS).set_index(
        ["evaluator_id", "category_id", "offer_id"]
    )["score"]
    assert table[("a", "X", "o1")] == pytest.approx((3 * 8 + 1 * 4) / 4)  # 7
    assert table[("a", "Y", "o1")] == 5
    assert table[("b", "X", "o1")] == 2  # R2 unscored: left out of b's mean


def test_agreement_by_category_ranks_offers_by_category_score():
    rows = []
    # Category X, three offers. a and b order them o1 > o2 > o3; c orders o2 > o1 > o3.
    plan = {"a": [9, 6, 1], "b": [8, 5, 2], "c": [6, 7, 0]}
    for evaluator, values in plan.items():
        for offer, value in zip(["o1", "o2", "o3"], values, strict=True):
            rows.append((evaluator, offer, "R1", value))
            rows.append((evaluator, offer, "R2", value))
    table = agreement_by_category(scores_frame(rows), REQUIREMENTS, ["X", "Y"])
    # Ranks: a 1 2 3, b 1 2 3, c 2 1 3 → sums 4, 5, 9; S = 4 + 1 + 9 = 14 (mean 6).
    # W = 12 · 14 / (9 · 24) = 168 / 216 = 7/9.
    assert table.loc["X", "w"] == pytest.approx(7 / 9)
    assert (table.loc["X", "evaluators"], table.loc["X", "offers"]) == (3, 3)
    assert math.isnan(table.loc["Y", "w"]) and table.loc["Y", "evaluators"] == 0


def test_an_offer_not_scored_by_everyone_is_left_out_of_w():
    rows = [
        ("a", "o1", "R1", 9),
        ("a", "o2", "R1", 5),
        ("a", "o3", "R1", 1),
        ("b", "o1", "R1", 8),
        ("b", "o2", "R1", 6),
    ]
    table = agreement_by_category(scores_frame(rows), REQUIREMENTS, ["X"])
    assert table.loc["X", "offers"] == 2
    assert table.loc["X", "w"] == pytest.approx(1.0)


def test_discuss_first_orders_by_points_at_stake():
    scores = scores_frame(
        [
            ("a", "o1", "R1", 2),
            ("b", "o1", "R1", 8),  # range 6 on a light requirement
            ("a", "o1", "R2", 4),
            ("b", "o1", "R2", 7),  # range 3 on a heavy one
            ("a", "o2", "R2", 5),
            ("b", "o2", "R2", 5),  # agreed: left out
        ]
    )
    weights = pd.Series({"R1": 0.05, "R2": 0.20, "PRICE": 0.3})
    order = discuss_first(pair_statistics(scores), weights)
    assert list(zip(order["requirement_id"], order["offer_id"], strict=True)) == [
        ("R2", "o1"),
        ("R1", "o1"),
    ]
    # 3 points apart × 0.20 × 10 = 6 of 100 total points; 6 × 0.05 × 10 = 3.
    assert order["at_stake"].tolist() == pytest.approx([6.0, 3.0])


def test_proposed_outcome_is_the_majority_and_the_more_serious_on_a_tie():
    assert proposed_outcome(["met", "met", "not_met"]) == "met"
    assert proposed_outcome(["met", "not_met"]) == "not_met"
    assert proposed_outcome(["not_met", "material_deviation", "met"]) == "material_deviation"
    assert proposed_outcome([]) is None


def test_the_proposal_is_the_median_unless_the_meeting_agreed_already():
    from scoring.agreement import proposed_scores

    scores = pd.DataFrame(
        [("A", 4.0), ("A", 7.0), ("A", 9.0), ("A", 6.0), ("B", 3.0), ("B", 8.0), ("B", 5.0)],
        columns=["offer_id", "score"],
    )
    agreed = pd.DataFrame([("B", 6.0), ("C", None)], columns=["offer_id", "score"])
    proposed = proposed_scores(scores, agreed, ["A", "B", "C"])
    # A: 4 6 7 9, even count, the mean of the middle two: 6.5; B: 3 5 8 -> 5, agreed 6
    assert proposed.loc["A"].tolist() == [6.5, 6.5]
    assert proposed.loc["B"].tolist() == [5.0, 6.0]
    assert proposed.loc["C"].isna().all()  # nobody scored it, nothing agreed


def test_the_outcome_proposed_is_the_agreed_one_else_the_majority():
    from scoring.agreement import proposed_outcomes

    assessments = pd.DataFrame(
        [("A", "met"), ("A", "not_met"), ("A", "not_met"), ("B", "met"), ("B", "met")],
        columns=["offer_id", "outcome"],
    )
    agreed = pd.DataFrame([("B", "material_deviation")], columns=["offer_id", "outcome"])
    assert proposed_outcomes(assessments, agreed, ["A", "B", "C"]) == {
        "A": "not_met",
        "B": "material_deviation",
        "C": None,
    }


def pairs_frame(rows):
    return pd.DataFrame(rows, columns=["offer_id", "requirement_id"])


def test_the_median_is_accepted_where_the_scores_lie_within_the_range_by_hand():
    scores = scores_frame(
        [
            *scored("o1", "R1", a=6, b=7, c=7),  # range 1, median 7
            *scored("o1", "R2", a=4, b=6, c=5),  # range 2: wider than 1.5
            # range 1.2, median 6.7 (two scores: the mean of both)
            *scored("o2", "R1", a=7.3, b=6.1),
            # range 1.5, exactly the limit: accepted, median 3
            *scored("o2", "R2", a=3, b=3, c=4.5),
            *scored("o3", "R1", a=8),  # one score only
            *scored("o9", "R9", a=1, b=1),  # not asked about
        ]
    )
    asked = [("o1", "R1"), ("o1", "R2"), ("o2", "R1"), ("o2", "R2"), ("o3", "R1"), ("o3", "R2")]
    table = median_agreement(scores, pairs_frame(asked), 1.5)
    assert list(zip(table["offer_id"], table["requirement_id"], strict=True)) == asked
    assert table["n"].tolist() == [3, 3, 2, 3, 1, 0]
    assert table["accepted"].tolist() == [True, False, True, True, False, False]
    assert table["median"].tolist()[:5] == pytest.approx([7, 5, 6.7, 3, 8])
    assert math.isnan(table["median"].iloc[5]) and math.isnan(table["range"].iloc[5])
    assert table["range"].tolist()[:5] == pytest.approx([1, 2, 1.2, 1.5, 0])


def test_a_range_equal_to_the_limit_counts_despite_floating_point():
    scores = scores_frame([("a", "o1", "R1", 7.3), ("b", "o1", "R1", 6.1)])
    assert 7.3 - 6.1 > 1.2  # 1.2000000000000002
    table = median_agreement(scores, pairs_frame([("o1", "R1")]), 1.2)
    assert table["accepted"].tolist() == [True]
    assert median_agreement(scores, pairs_frame([("o1", "R1")]), 1.1)["accepted"].tolist() == [
        False
    ]


def test_the_least_number_of_scores_can_be_raised_and_zero_range_needs_equal_scores():
    scores = scores_frame([("a", "o1", "R1", 5), ("b", "o1", "R1", 5), ("c", "o1", "R1", 6)])
    pairs = pairs_frame([("o1", "R1")])
    assert median_agreement(scores, pairs, 0)["accepted"].tolist() == [False]
    assert median_agreement(scores, pairs, 1, min_scores=4)["accepted"].tolist() == [False]
    assert median_agreement(scores, pairs, 1, min_scores=3)["median"].tolist() == [5]


def test_no_scores_at_all_accepts_nothing():
    table = median_agreement(scores_frame([]), pairs_frame([("o1", "R1")]), 10)
    assert table["n"].tolist() == [0] and table["accepted"].tolist() == [False]


def test_an_assessment_is_agreed_where_every_evaluator_gave_it_by_hand():
    assessments = pd.DataFrame(
        [
            ("a", "o1", "M1", "met"),  # o1/M1: met, met, met → met
            ("b", "o1", "M1", "met"),
            ("c", "o1", "M1", "met"),
            ("a", "o1", "M2", "met"),  # o1/M2: met, not met → differ
            ("b", "o1", "M2", "not_met"),
            ("a", "o2", "M1", "not_met"),  # o2/M1: not met twice → not met
            ("b", "o2", "M1", "not_met"),
            ("a", "o2", "M2", "material_deviation"),  # o2/M2: for the meeting to reason
            ("b", "o2", "M2", "material_deviation"),
            ("a", "o3", "M1", "met"),  # o3/M1: one assessment only
            ("a", "o9", "M9", "met"),  # not asked about
            ("b", "o9", "M9", "met"),
        ],
        columns=["evaluator_id", "offer_id", "requirement_id", "outcome"],
    )
    asked = [("o1", "M1"), ("o1", "M2"), ("o2", "M1"), ("o2", "M2"), ("o3", "M1"), ("o3", "M2")]
    table = unanimous_outcomes(assessments, pairs_frame(asked))
    assert list(zip(table["offer_id"], table["requirement_id"], strict=True)) == asked
    assert table["n"].tolist() == [3, 2, 2, 2, 1, 0]
    assert table["outcome"].tolist() == [
        "met",
        None,
        "not_met",
        "material_deviation",
        "met",
        None,
    ]
    assert table["accepted"].tolist() == [True, False, True, False, False, False]
    assert unanimous_outcomes(assessments, pairs_frame(asked), min_assessments=3)[
        "accepted"
    ].tolist() == [True, False, False, False, False, False]
    nobody = unanimous_outcomes(assessments.iloc[:0], pairs_frame(asked))
    assert nobody["n"].tolist() == [0] * 6 and not nobody["accepted"].any()
    assert unanimous_outcomes(assessments, pairs_frame([])).empty


# --- the consensus meeting's order ----------------------------------------------------

ORDER = pd.DataFrame(
    {
        "offer_id": ["a", "b", "a", "c", "b"],
        "requirement_id": ["R2", "R2", "R1", "R3", "R3"],
        "at_stake": [3.0, 2.5, 2.0, 1.0, 0.5],
    }
)


def test_still_to_discuss_leaves_out_rejected_offers_and_agreed_pairs():
    agreed = pd.DataFrame({"offer_id": ["a"], "requirement_id": ["R2"], "score": [6.0]})
    left = still_to_discuss(ORDER, agreed, rejected=["c"])
    assert list(zip(left["offer_id"], left["requirement_id"], strict=True)) == [
        ("b", "R2"),
        ("a", "R1"),
        ("b", "R3"),
    ]


def test_the_agenda_takes_most_at_stake_first_then_other_open_then_agreed():
    # R2 and R1 have pairs to discuss; R4 is open without spread; R3 and R5 are agreed.
    to_discuss = ORDER[ORDER["requirement_id"] != "R3"]
    agenda = meeting_agenda(to_discuss, ["R1", "R2", "R3", "R4", "R5"], {"R1", "R2", "R4"})
    assert agenda == ["R2", "R1", "R4", "R3", "R5"]


def test_next_open_skips_agreed_and_goes_round():
    agenda = ["R2", "R1", "R4", "R3", "R5"]
    assert next_open(agenda, "R2", {"R2", "R1", "R4"}) == "R1"
    assert next_open(agenda, "R1", {"R2", "R4"}) == "R4"
    assert next_open(agenda, "R4", {"R2", "R4"}) == "R2"  # from the top again
    assert next_open(agenda, "R3", {"R2"}) == "R2"
    assert next_open(agenda, "R2", {"R2"}) is None
