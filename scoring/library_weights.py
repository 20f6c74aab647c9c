"""Weights from the libraries' own priorities.

In the input round each library rates every quality category and every weighted
requirement from 0 (not needed) to 4 (essential). Those ratings become weights so:

- a library's importance of an item it left blank is 2, the middle of the scale;
- a group's importance of an item is the mean over its libraries that rated it (2 where
  none did);
- a category's weight is its importance over the sum of all quality categories'
  importances; a requirement's weight within its category is its importance over the sum
  of the category's requirements' importances; where every item on a level is 0, the items
  weigh equally;
- a requirement's share of the quality weight is its category's weight times its weight
  within the category.

Only the quality criterion's categories take part: price is scored price-blind and by the
price model, and climate and environment keeps the weight its rule sets (FOA § 7-9).
A share vector (requirement id -> share, adding up to 1) is the common form of every
library's and group's priorities, be they derived from answers or from a weight profile.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from scoring.procurement import (
    CLIMATE_CRITERION,
    PRICE_CRITERION,
    CriterionTree,
    Weights,
    category_shares,
)

IMPORTANCE_LEVELS = (0, 1, 2, 3, 4)
UNANSWERED_IMPORTANCE = 2.0


def quality_requirements(tree: CriterionTree) -> pd.DataFrame:
    """The weighted requirements of the quality categories (every criterion but price and
    climate and environment): id, category_id, weight, in catalogue order."""
    outside = tree.criteria["id"].isin([PRICE_CRITERION, CLIMATE_CRITERION])
    kept = tree.categories[~tree.categories["criterion_id"].isin(tree.criteria["id"][outside])]
    requirements = tree.weighted_requirements()
    in_scope = requirements[requirements["category_id"].isin(kept["id"])]
    return in_scope[["id", "category_id", "weight"]].reset_index(drop=True)


def _within(values: pd.Series) -> pd.Series:
    """Scale to add up to 1; all zeros become equal parts."""
    values = values.astype(float)
    total = values.sum()
    if total > 0:
        return values / total
    return pd.Series(1.0 / len(values), index=values.index) if len(values) else values


def _within_each(values: np.ndarray, categories: pd.Series) -> np.ndarray:
    """``_within`` inside each category (``categories``: each value's, in the same order)."""
    codes, _ = pd.factorize(categories)
    total = np.bincount(codes, weights=values)
    count = np.bincount(codes)
    scaled = values / np.where(total > 0, total, 1.0)[codes]
    return np.where(total[codes] > 0, scaled, 1.0 / count[codes])


def shares_from_importance(
    scope: pd.DataFrame,
    category_importance: Mapping[str, float],
    requirement_importance: Mapping[str, float],
) -> pd.Series:
    """Requirement id -> share of the quality weight, from importances 0–4 per category and
    requirement (items missing from the mappings count as 2)."""
    categories = list(dict.fromkeys(scope["category_id"]))
    cat = _within(
        pd.Series(
            {c: category_importance.get(c, UNANSWERED_IMPORTANCE) for c in categories},
            dtype=float,
        )
    )
    req = np.array(
        [requirement_importance.get(r, UNANSWERED_IMPORTANCE) for r in scope["id"]], dtype=float
    )
    within = _within_each(req, scope["category_id"])
    return pd.Series(
        within * scope["category_id"].map(cat).to_numpy(),
        index=pd.Index(scope["id"], name="requirement_id"),
    )


def shares_from_weights(tree: CriterionTree, weights: Weights) -> pd.Series:
    """Requirement id -> share of the quality weight under a weight profile: the profile's
    category weights among the quality categories, times the catalogue's requirement
    weights within each category."""
    scope = quality_requirements(tree)
    categories = list(dict.fromkeys(scope["category_id"]))
    cat = _within(category_shares(tree, weights).reindex(categories).fillna(0.0))
    within = _within_each(scope["weight"].to_numpy(dtype=float), scope["category_id"])
    return pd.Series(
        within * scope["category_id"].map(cat).to_numpy(),
        index=pd.Index(scope["id"], name="requirement_id"),
    )


def importance_table(
    priorities: pd.DataFrame, library: str
) -> tuple[dict[str, float], dict[str, float]]:
    """One library's answers as (category id -> importance, requirement id -> importance)."""
    own = priorities[priorities["library_id"].to_numpy() == library]
    kinds = own["item_kind"].to_numpy()
    ids = own["item_id"].astype(str).to_numpy()
    importance = own["importance"].to_numpy(dtype=float)
    category, requirement = kinds == "category", kinds == "requirement"
    return (
        dict(zip(ids[category], importance[category], strict=True)),
        dict(zip(ids[requirement], importance[requirement], strict=True)),
    )


def library_shares(scope: pd.DataFrame, priorities: pd.DataFrame, library: str) -> pd.Series:
    """One library's shares from its own answers."""
    return shares_from_importance(scope, *importance_table(priorities, library))


def group_shares(
    scope: pd.DataFrame,
    priorities: pd.DataFrame,
    members: Iterable[str],
    answered_libraries: Iterable[str] | None = None,
) -> tuple[pd.Series, int] | None:
    """A group's shares from the mean importance over its members that rated each item,
    and how many members answered; None when none did. ``answered_libraries`` are the
    libraries that sent an answer, also one that rated nothing (by default those that
    rated something)."""
    sent = set(priorities["library_id"] if answered_libraries is None else answered_libraries)
    answered = [m for m in dict.fromkeys(members) if m in sent]
    if not answered:
        return None
    categories = list(dict.fromkeys(scope["category_id"]))
    cat_rows, req_rows = [], []
    nothing = float("nan")
    for library in answered:
        cats, reqs = importance_table(priorities, library)
        cat_rows.append([cats.get(c, nothing) for c in categories])
        req_rows.append([reqs.get(r, nothing) for r in scope["id"]])
    # The mean over the libraries that rated the item; an item none rated is left out of
    # the mappings, so it counts 2.
    cat_mean = pd.DataFrame(cat_rows, columns=categories, dtype=float).mean().dropna()
    req_mean = pd.DataFrame(req_rows, columns=list(scope["id"]), dtype=float).mean().dropna()
    return shares_from_importance(scope, cat_mean.to_dict(), req_mean.to_dict()), len(answered)


def category_totals(shares: pd.Series, scope: pd.DataFrame) -> pd.Series:
    """Category id -> its share of the quality weight (the sum of its requirements')."""
    return shares.groupby(
        scope.set_index("id")["category_id"].reindex(shares.index), sort=False
    ).sum()


def weight_moved(a: pd.Series, b: pd.Series) -> float:
    """Half the L1 distance between two share vectors: the share of weight that must move
    to turn one into the other (0 the same, 1 nothing in common)."""
    index = a.index.union(b.index)
    difference = a.reindex(index, fill_value=0.0) - b.reindex(index, fill_value=0.0)
    return float(difference.abs().sum()) / 2


def as_profile(shares: pd.Series, scope: pd.DataFrame, base: Weights) -> Weights:
    """A weight profile for the published model: ``base``'s award criterion weights and
    non-quality categories, with the quality categories weighted as ``shares`` say (the
    requirements' weights within a category stay the catalogue's)."""
    categories = dict(base.categories)
    for category, share in category_totals(shares, scope).items():
        categories[str(category)] = 100.0 * float(share)
    return Weights(criteria=dict(base.criteria), categories=categories)
