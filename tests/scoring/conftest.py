"""The toy procurement the scoring tests share: three offers, three award criteria."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pandas as pd
import pytest

from scoring.price import PRICE_MODELS, PriceParameters
from scoring.procurement import CriterionTree, ProcurementInputs, Weights

EVERY_PRICE_MODEL = tuple(PRICE_MODELS)
# Settings for every model at once: P_min 50 and P_max 150 NOK, A = 2, V = 0.5 NOK a point
# (so that the 40 NOK between the cheapest and the dearest offer weigh as much as 80 quality
# points: quality and price both matter).
TOY_PARAMETERS = PriceParameters(price_min=50, price_max=150, zero_multiple=2, point_value=0.5)


def toy_tree() -> CriterionTree:
    """Quality (LANG, CAT), price and environment (ENV); LANG-01 mandatory, the rest
    weighted (LANG-02 three times LANG-03 within LANG)."""
    return CriterionTree(
        criteria=pd.DataFrame({"id": ["quality", "price", "environment"]}),
        categories=pd.DataFrame(
            {"id": ["LANG", "CAT", "ENV"], "criterion_id": ["quality", "quality", "environment"]}
        ),
        requirements=pd.DataFrame(
            {
                "id": ["LANG-01", "LANG-02", "LANG-03", "CAT-01", "ENV-01"],
                "category_id": ["LANG", "LANG", "LANG", "CAT", "ENV"],
                "kind": ["M", "W", "W", "W", "W"],
                "weight": [0.0, 3.0, 1.0, 1.0, 1.0],
            }
        ),
    )


def toy_procurement(price_model: str = "linear") -> tuple[ProcurementInputs, Weights]:
    """Offers X, Y, Z; quality (LANG, CAT), price and environment (ENV).

    LANG-01 is mandatory, the rest weighted (LANG-02 three times LANG-03 within LANG).
    Points: X 10, 2, 4, 6; Y 4, 8, 9, 3; Z 0, 0, 5, 5 (LANG-02, LANG-03, CAT-01, ENV-01).
    Prices (one-time): X 100, Y 80, Z 120 NOK. Weights: quality 50, price 30,
    environment 20; LANG 3, CAT 1 within quality.
    """
    consensus = pd.DataFrame(
        [
            (offer, req, score)
            for offer, scores in {"X": [10, 2, 4, 6], "Y": [4, 8, 9, 3], "Z": [0, 0, 5, 5]}.items()
            for req, score in zip(["LANG-02", "LANG-03", "CAT-01", "ENV-01"], scores, strict=True)
        ],
        columns=["offer_id", "requirement_id", "score"],
    )
    inputs = ProcurementInputs(
        tree=toy_tree(),
        offers=pd.DataFrame(
            {"id": ["X", "Y", "Z"], "vendor_name": ["X", "Y", "Z"], "product": "p"}
        ),
        consensus=consensus,
        checks=pd.DataFrame(columns=["offer_id", "requirement_id", "outcome", "reason"]),
        price_lines=pd.DataFrame(
            {
                "offer_id": ["X", "Y", "Z"],
                "kind": ["one_time"] * 3,
                "amount_nok": [100.0, 80.0, 120.0],
                "is_option": [False] * 3,
            }
        ),
        contract_years=4,
    )
    inputs = replace(inputs, price_model=price_model, price_parameters=TOY_PARAMETERS)
    weights = Weights(
        criteria={"quality": 50, "price": 30, "environment": 20},
        categories={"LANG": 3, "CAT": 1, "ENV": 1},
    )
    return inputs, weights


@pytest.fixture
def toy() -> Callable[..., tuple[ProcurementInputs, Weights]]:
    """``toy(price_model)``: the toy procurement under a price model, and its weights."""
    return toy_procurement


@pytest.fixture(params=EVERY_PRICE_MODEL)
def toy_under_every_price_model(
    request: pytest.FixtureRequest,
) -> tuple[ProcurementInputs, Weights]:
    """The toy procurement under each price model in turn."""
    return toy_procurement(request.param)
