"""Labels for offers, criteria and parts of the ranking, in the current language."""

from __future__ import annotations

import pandas as pd
from babel.numbers import format_decimal

from scoring.procurement import PRICE_COLUMN, PRICE_CRITERION, CriterionTree
from ui.i18n import N_, _, current_language, localized
from vendors.workbook import ANSWER_MEANINGS

PRICE_MODEL_NAMES = {
    "linear": N_("linear (points floored at 0)"),
    "linear_no_floor": N_("linear"),
    "proportional": N_("proportional"),
}


def price_model_name(model: str, floor_at_zero: bool) -> str:
    """The price model's name in the current language."""
    key = (
        "linear"
        if model == "linear" and floor_at_zero
        else ("linear_no_floor" if model == "linear" else model)
    )
    return _(PRICE_MODEL_NAMES.get(key, model))


def number(value: float, decimals: int = 1) -> str:
    """A number in the current language's format (decimal comma in Norwegian)."""
    pattern = "#,##0." + "0" * decimals if decimals else "#,##0"
    return format_decimal(value, format=pattern, locale=current_language())


def offer_labels(offers: pd.DataFrame) -> dict[str, str]:
    """Offer id -> vendor name."""
    return dict(zip(offers["id"], offers["vendor_name"], strict=True))


def criterion_names(tree: CriterionTree) -> dict[str, str]:
    """Award criterion id -> name."""
    return {row["id"]: localized(row, "name") for row in tree.criteria.to_dict("records")}


def category_names(tree: CriterionTree) -> dict[str, str]:
    """Category id -> name."""
    return {row["id"]: localized(row, "name") for row in tree.categories.to_dict("records")}


def parts(tree: CriterionTree) -> tuple[dict[str, str], dict[str, str]]:
    """The ranking's parts in order: labels ("Criterion – category") and their criterion."""
    crit_names = criterion_names(tree)
    labels: dict[str, str] = {}
    criterion_of: dict[str, str] = {}
    for criterion in tree.criteria["id"]:
        if criterion == PRICE_CRITERION:
            labels[PRICE_COLUMN] = crit_names[criterion]
            criterion_of[PRICE_COLUMN] = criterion
            continue
        cats = tree.categories[tree.categories["criterion_id"] == criterion]
        for row in cats.to_dict("records"):
            name = localized(row, "name")
            labels[row["id"]] = name if len(cats) == 1 else f"{crit_names[criterion]} – {name}"
            criterion_of[row["id"]] = criterion
    return labels, criterion_of


def answer_meaning(answer: object) -> str:
    """The meaning of a vendor's 0–3 answer."""
    try:
        return _(ANSWER_MEANINGS[int(answer)])  # type: ignore[call-overload]
    except (KeyError, TypeError, ValueError):
        return _("No answer")
