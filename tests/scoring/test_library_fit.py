"""Weights from the libraries' answers and the fit of offers, against a case worked by hand.

The case: quality categories A (A1, A2; catalogue weights 1 and 3) and B (B1, B2; 1 and 1),
climate and environment ENV (ENV1), price. A0 is mandatory: neither takes part.
Three libraries in one group: L1 and L2 answered, L3 did not.

    L1: A 4, B 0; A1 4, A2 0; B1 and B2 left out (they count 2)
    L2: A 2, B 2; A1 1, A2 3; B1 3, B2 1
    L3: no answers: it takes the group's weights, the mean of those of L1 and L2 that
        rated each item (B1 and B2: L2 alone)

Points (0–10):   A1  A2  B1  B2
    offer X      10   0   0  10
    offer Y       4   8   6   2
    offer Z       4   4   4   4
"""

from __future__ import annotations

import pandas as pd
import pytest

from scoring.library_fit import best, fit_table, summarise, worst_served
from scoring.library_weights import (
    as_profile,
    category_totals,
    group_shares,
    library_shares,
    quality_requirements,
    shares_from_weights,
    weight_moved,
)
from scoring.procurement import CriterionTree, Weights

REQUIREMENTS = ["A1", "A2", "B1", "B2"]


def tree() -> CriterionTree:
    return CriterionTree(
        criteria=pd.DataFrame({"id": ["quality", "price", "environment"]}),
        categories=pd.DataFrame(
            {"id": ["A", "B", "ENV"], "criterion_id": ["quality", "quality", "environment"]}
        ),
        requirements=pd.DataFrame(
            {
                "id": ["A0", "A1", "A2", "B1", "B2", "ENV1"],
                "category_id": ["A", "A", "A", "B", "B", "ENV"],
                "kind": ["M", "W", "W", "W", "W", "W"],
                "weight": [0.0, 1.0, 3.0, 1.0, 1.0, 1.0],
            }
        ),
    )


# The answers as in the docstring: importance by category, then by requirement.
ANSWERS = {
    "L1": ({"A": 4, "B": 0}, {"A1": 4, "A2": 0}),
    "L2": ({"A": 2, "B": 2}, {"A1": 1, "A2": 3, "B1": 3, "B2": 1}),
}


def answers() -> pd.DataFrame:
    rows = [
        (library, kind, item, importance)
        for library, by_kind in ANSWERS.items()
        for kind, rated in zip(("category", "requirement"), by_kind, strict=True)
        for item, importance in rated.items()
    ]
    return pd.DataFrame(rows, columns=["library_id", "item_kind", "item_id", "importance"])


POINTS = pd.DataFrame(
    [[10, 0, 0, 10], [4, 8, 6, 2], [4, 4, 4, 4]], index=["X", "Y", "Z"], columns=REQUIREMENTS
)

# L1: A weighs 4/(4+0) = 1, B 0; within A, A1 4/4 = 1, A2 0.
L1 = {"A1": 1.0, "A2": 0.0, "B1": 0.0, "B2": 0.0}
# L2: A and B 2/4 = 0.5 each; A1 1/4, A2 3/4, B1 3/4, B2 1/4 within.
#     A1 0.5·0.25 = 0.125, A2 0.5·0.75 = 0.375, B1 0.375, B2 0.125.
L2 = {"A1": 0.125, "A2": 0.375, "B1": 0.375, "B2": 0.125}
# Group mean: A (4+2)/2 = 3, B (0+2)/2 = 1 -> A 3/4, B 1/4;
#   A1 (4+1)/2 = 2.5, A2 (0+3)/2 = 1.5 -> 2.5/4 = 0.625, 0.375 within A;
#   B1 3 and B2 1 (L1 left them blank: L2's alone) -> 0.75, 0.25 within B.
#   A1 0.75·0.625 = 0.46875, A2 0.75·0.375 = 0.28125, B1 0.25·0.75 = 0.1875,
#   B2 0.25·0.25 = 0.0625.
GROUP = {"A1": 0.46875, "A2": 0.28125, "B1": 0.1875, "B2": 0.0625}


def shares() -> pd.DataFrame:
    return pd.DataFrame([L1, L2, GROUP], index=["L1", "L2", "L3"])[REQUIREMENTS]


def test_the_quality_requirements_leave_out_mandatory_environment_and_price() -> None:
    assert list(quality_requirements(tree())["id"]) == REQUIREMENTS


def test_a_library_s_own_answers_become_shares() -> None:
    scope = quality_requirements(tree())
    assert library_shares(scope, answers(), "L1").to_dict() == pytest.approx(L1)
    assert library_shares(scope, answers(), "L2").to_dict() == pytest.approx(L2)


def test_the_group_takes_the_mean_of_the_libraries_that_answered() -> None:
    derived = group_shares(quality_requirements(tree()), answers(), ["L1", "L2", "L3"])
    assert derived is not None
    group, answered = derived
    assert answered == 2
    assert group.to_dict() == pytest.approx(GROUP)
    assert group_shares(quality_requirements(tree()), answers(), ["L3"]) is None


def test_a_level_of_zeros_weighs_equally() -> None:
    # Every category 0: A and B weigh 1/2 each; A1 0 and A2 0: 1/2 each within A;
    # B1, B2 unanswered (2 each): 1/2 each. So every requirement 1/4.
    zeros = pd.DataFrame(
        [
            ("L", "category", "A", 0),
            ("L", "category", "B", 0),
            ("L", "requirement", "A1", 0),
            ("L", "requirement", "A2", 0),
        ],
        columns=["library_id", "item_kind", "item_id", "importance"],
    )
    got = library_shares(quality_requirements(tree()), zeros, "L")
    assert got.to_dict() == pytest.approx({r: 0.25 for r in REQUIREMENTS})


def test_distance_from_the_published_weights() -> None:
    # Published: quality categories A 50, B 50; catalogue A1 1, A2 3 -> 0.25, 0.75 within A;
    # B1, B2 0.5 each. Shares A1 0.125, A2 0.375, B1 0.25, B2 0.25.
    published = Weights(
        criteria={"quality": 40, "price": 30, "environment": 30},
        categories={"A": 50, "B": 50, "ENV": 100},
    )
    expected = {"A1": 0.125, "A2": 0.375, "B1": 0.25, "B2": 0.25}
    got = shares_from_weights(tree(), published)
    assert got.to_dict() == pytest.approx(expected)
    # |0.46875-0.125| + |0.28125-0.375| + |0.1875-0.25| + |0.0625-0.25|
    # = 0.34375 + 0.09375 + 0.0625 + 0.1875 = 0.6875; half: 0.34375.
    assert weight_moved(pd.Series(GROUP), got) == pytest.approx(0.34375)
    assert weight_moved(got, got) == 0.0
    # As a profile: the published criteria and ENV, A 0.75 and B 0.25 of quality
    # (0.46875 + 0.28125 and 0.1875 + 0.0625).
    scope = quality_requirements(tree())
    assert category_totals(pd.Series(GROUP), scope).to_dict() == pytest.approx(
        {"A": 0.75, "B": 0.25}
    )
    profile = as_profile(pd.Series(GROUP), scope, published)
    assert dict(profile.criteria) == {"quality": 40, "price": 30, "environment": 30}
    assert dict(profile.categories) == pytest.approx({"A": 75.0, "B": 25.0, "ENV": 100})


def test_fit_of_each_offer_for_each_library() -> None:
    fit = fit_table(shares(), POINTS)
    # fit = 10 · Σ share · points
    # L1: X 10·(1·10) = 100; Y 10·(1·4) = 40; Z 10·4 = 40.
    # L2: X 10·(0.125·10 + 0.125·10) = 25; Y 10·(0.125·4 + 0.375·8 + 0.375·6 + 0.125·2)
    #     = 10·(0.5 + 3 + 2.25 + 0.25) = 60; Z 40 (every point 4, shares add up to 1).
    # L3: X 10·(0.46875·10 + 0.0625·10) = 53.125;
    #     Y 10·(0.46875·4 + 0.28125·8 + 0.1875·6 + 0.0625·2)
    #     = 10·(1.875 + 2.25 + 1.125 + 0.125) = 53.75; Z 40.
    expected = pd.DataFrame(
        [[100.0, 40.0, 40.0], [25.0, 60.0, 40.0], [53.125, 53.75, 40.0]],
        index=["L1", "L2", "L3"],
        columns=["X", "Y", "Z"],
    )
    pd.testing.assert_frame_equal(fit, expected)


def test_average_max_min_and_a_tie() -> None:
    summary = summarise(fit_table(shares(), POINTS))
    # Average: X (100 + 25 + 53.125)/3 = 59.375; Y (40 + 60 + 53.75)/3 = 51.25; Z 40.
    assert summary.average.to_dict() == pytest.approx({"X": 59.375, "Y": 51.25, "Z": 40.0})
    assert summary.average_choice == ["X"]
    # Worst-served: X 25 (L2), Y 40 (L1), Z 40 (all): Y and Z tie at 40 for max-min.
    assert summary.worst.to_dict() == pytest.approx({"X": 25.0, "Y": 40.0, "Z": 40.0})
    assert summary.maxmin_choice == ["Y", "Z"]
    assert not summary.agree
    # First choices: L1 X (100), L2 Y (60), L3 Y (53.75 against X's 53.125).
    assert summary.first_counts.to_dict() == {"X": 1, "Y": 2, "Z": 0}
    # X serves L2 worst: 25, where L2's own first choice (Y) gives 60: 35 below.
    worst = worst_served(fit_table(shares(), POINTS), "X")
    assert worst is not None
    assert (worst.library, worst.fit, worst.best_fit, worst.shortfall) == ("L2", 25, 60, 35)


def test_a_library_with_a_tie_counts_for_each_tied_offer() -> None:
    # L1 finds Y and Z equally good (40 and 40): both count once for L1.
    fit = pd.DataFrame([[20.0, 40.0, 40.0]], index=["L1"], columns=["X", "Y", "Z"])
    assert summarise(fit).first_counts.to_dict() == {"X": 0, "Y": 1, "Z": 1}
    assert best(pd.Series({"a": 1 / 3, "b": 1 - 2 / 3})) == ["a", "b"]
