"""Price models side by side and remove-one-bidder, on a case worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from scoring.price import PriceParameters
from scoring.price_comparison import (
    compare_price_models,
    evaluated_price_table,
    model_evaluation,
    removal_summary,
    remove_one_bidder,
)
from scoring.procurement import (
    PRICE_COLUMN,
    CriterionTree,
    ProcurementInputs,
    Weights,
    quality_points,
)

# Three bidders; one weighted requirement Q worth half, price the other half.
#   A: 1 000 000 NOK, Q = 2     B: 2 000 000 NOK, Q = 5     C: 3 000 000 NOK, Q = 8
# Total (0–100) = 10 · (0.5 · Q + 0.5 · S) = 5 · Q + 5 · S.
PRICES = {"A": 1_000_000.0, "B": 2_000_000.0, "C": 3_000_000.0}
QUALITY = {"A": 2.0, "B": 5.0, "C": 8.0}
WEIGHTS = Weights(criteria={"quality": 1, "price": 1}, categories={"QUAL": 1})
PARAMS = PriceParameters(
    price_min=500_000, price_max=3_500_000, zero_multiple=2.0, point_value=20_000
)


def case(prices=PRICES, quality=QUALITY, params=PARAMS) -> ProcurementInputs:
    tree = CriterionTree(
        criteria=pd.DataFrame({"id": ["quality", "price"]}),
        categories=pd.DataFrame({"id": ["QUAL"], "criterion_id": ["quality"]}),
        requirements=pd.DataFrame(
            {"id": ["Q-01"], "category_id": ["QUAL"], "kind": ["W"], "weight": [1.0]}
        ),
    )
    return ProcurementInputs(
        tree=tree,
        offers=pd.DataFrame({"id": list(prices), "vendor_name": list(prices), "product": "x"}),
        consensus=pd.DataFrame(
            [(o, "Q-01", q) for o, q in quality.items()],
            columns=["offer_id", "requirement_id", "score"],
        ),
        checks=pd.DataFrame(columns=["offer_id", "requirement_id", "outcome", "reason"]),
        price_lines=pd.DataFrame(
            [(o, "one_time", p, False) for o, p in prices.items()],
            columns=["offer_id", "kind", "amount_nok", "is_option"],
        ),
        contract_years=1,
        price_parameters=params,
    )


def test_proportional_by_hand_with_every_bidder_and_without_a():
    # With A: P_b = 1 M. S: A 10, B 5, C 3.333. Totals: A 10 + 50 = 60, B 25 + 25 = 50,
    # C 40 + 16.667 = 56.667. Order A, C, B.
    full = model_evaluation(case(), WEIGHTS, "proportional")
    assert full.total.to_dict() == pytest.approx({"A": 60, "B": 50, "C": 40 + 50 / 3})
    # Without A: P_b = 2 M. S: B 10, C 6.667. Totals: B 75, C 73.333. B is now ahead of C.
    without_a = model_evaluation(
        case({o: p for o, p in PRICES.items() if o != "A"}), WEIGHTS, "proportional"
    )
    assert without_a.total.to_dict() == pytest.approx({"B": 75, "C": 40 + 100 / 3})


def test_quality_pricing_by_hand_ranks_as_the_evaluated_price():
    # Q_e = 10 · Q: A 20, B 50, C 80. E = P − 20 000 · Q_e: A 600 000, B 1 000 000,
    # C 1 400 000. Lowest E first: A, B, C.
    evaluation = model_evaluation(case(), WEIGHTS, "quality-pricing")
    table = evaluated_price_table(evaluation, PARAMS.point_value)
    assert table["quality_points"].to_dict() == pytest.approx({"A": 20, "B": 50, "C": 80})
    assert table["evaluated_price"].to_dict() == pytest.approx(
        {"A": 600_000, "B": 1_000_000, "C": 1_400_000}
    )
    assert table["rank"].to_dict() == {"A": 1, "B": 2, "C": 3}
    # Price points: k = 0.5 / (10 · 0.5 · 20 000) per NOK: A 10, B 5, C 0.
    # Totals: A 10 + 50 = 60, B 25 + 25 = 50, C 40 + 0 = 40: the same order.
    assert evaluation.matrix[PRICE_COLUMN].to_dict() == pytest.approx({"A": 10, "B": 5, "C": 0})
    assert evaluation.total.to_dict() == pytest.approx({"A": 60, "B": 50, "C": 40})
    assert evaluation.rank.to_dict() == table["rank"].to_dict()


def test_remove_one_bidder_flips_the_rest_under_proportional_but_not_quality_pricing():
    checks = remove_one_bidder(case(), WEIGHTS, ["proportional", "quality-pricing"])
    found = {(c.removed, c.model): c for c in checks}
    assert len(found) == 6  # three bidders × two models

    flip = found[("A", "proportional")]
    assert flip.changed
    assert flip.swapped == [("B", "C")]
    assert flip.before.to_dict() == {"B": 2, "C": 1}  # C ahead of B with A in
    assert flip.after.to_dict() == {"B": 1, "C": 2}  # B ahead of C without A

    for removed in "ABC":
        assert not found[(removed, "quality-pricing")].changed
    # Taking out B or C leaves A ahead under proportional too (A 60 beats C, and B).
    assert not found[("B", "proportional")].changed
    assert not found[("C", "proportional")].changed

    summary = removal_summary(checks)
    assert summary.loc["proportional"].to_dict() == {"tried": 3, "changed": 1}
    assert summary.loc["quality-pricing"].to_dict() == {"tried": 3, "changed": 0}


def test_fixed_range_never_depends_on_the_other_bids():
    checks = remove_one_bidder(case(), WEIGHTS, ["fixed-range"])
    assert checks and not any(c.changed for c in checks)


def test_remove_one_bidder_needs_three_eligible_offers():
    two = case({"A": 1.0, "B": 2.0}, {"A": 1.0, "B": 2.0})
    assert remove_one_bidder(two, WEIGHTS) == []


def test_compare_lists_the_models_whose_settings_are_missing():
    comparison = compare_price_models(case(params=PriceParameters()), WEIGHTS)
    assert set(comparison.unavailable) == {"fixed-range", "quality-pricing"}
    assert set(comparison.views) == {"linear", "linear-no-floor", "proportional", "logarithmic"}
    ranks = comparison.ranks()
    # Proportional, by hand above: A 1, C 2, B 3.
    assert ranks["proportional"].to_dict() == {"A": 1, "B": 3, "C": 2}
    # Linear: S = A 10, B 0, C 0 (floored): A 60, B 25, C 40 -> A, C, B.
    assert ranks["linear"].to_dict() == {"A": 1, "B": 3, "C": 2}
    assert comparison.points()["linear-no-floor"].to_dict() == pytest.approx(
        {"A": 10, "B": 0, "C": -10}
    )


def test_quality_points_scale_full_marks_to_100():
    matrix = pd.DataFrame({"R1": [10.0, 4.0], "R2": [10.0, 8.0], PRICE_COLUMN: [3.0, 9.0]})
    weights = pd.Series({"R1": 0.3, "R2": 0.1, PRICE_COLUMN: 0.6})
    # Offer 2: 10 · (0.3 · 4 + 0.1 · 8) / 0.4 = 50.
    assert quality_points(matrix, weights).tolist() == pytest.approx([100, 50])
