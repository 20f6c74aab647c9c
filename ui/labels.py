"""Labels for offers, criteria and parts of the ranking, in the current language."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from scoring.procurement import PRICE_COLUMN, PRICE_CRITERION, CriterionTree
from ui import numbers
from ui.i18n import N_, _, localized
from vendors.workbook_layout import ANSWER_MEANINGS

PRICE_MODEL_NAMES = {
    "linear": N_("linear (points floored at 0)"),
    "linear-no-floor": N_("linear without a floor"),
    "proportional": N_("proportional"),
    "fixed-range": N_("fixed-range linear"),
    "logarithmic": N_("logarithmic"),
    "quality-pricing": N_("pricing of quality"),
}

# Formulas are mathematics, the same in every language.
PRICE_MODEL_FORMULAS = {
    "linear": "S = max(0, 10 − 10 · (P_e − P_b) / P_b)",
    "linear-no-floor": "S = 10 − 10 · (P_e − P_b) / P_b",
    "proportional": "S = 10 · P_b / P_e",
    "fixed-range": "S = 10 · (P_max − P_e) / (P_max − P_min), 0 ≤ S ≤ 10",
    "logarithmic": "S = max(0, 10 · (1 − log(P_e / P_b) / log A))",
    "quality-pricing": "E = P_e − V · Q_e",
}

PRICE_MODEL_NOTES = {
    "linear": N_(
        "Twice the lowest price scores 0, and so does anything dearer. The lowest bid sets "
        "how many points each krone costs."
    ),
    "linear-no-floor": N_(
        "As linear, but a price above twice the lowest scores below 0, so a very dear offer "
        "keeps losing points."
    ),
    "proportional": N_(
        "The lowest price scores 10; half as cheap, half the points. Points never reach 0, "
        "so large price gaps count for less than in the linear model."
    ),
    "fixed-range": N_(
        "P_min and P_max are set before the tender: P_min or less scores 10, P_max or more "
        "scores 0. The other bids play no part."
    ),
    "logarithmic": N_(
        "A times the lowest price scores 0 (floored there). The first steps above the lowest "
        "price cost more points than the later ones. The lowest bid only shifts every "
        "offer's points by the same amount, so it matters only where the floor at 0 bites."
    ),
    "quality-pricing": N_(
        "Quality is turned into money: each quality point is worth V NOK. The lowest "
        "evaluated price wins, whoever else bids. To stand in the same table, bibvalg turns "
        "it into price points that give exactly that order: the lowest price scores 10, and "
        "every V NOK above it lowers the total as much as one quality point does. These "
        "points are not floored at 0."
    ),
}

METHOD_NAMES = {
    "wsm": N_("Weighted sum (published)"),
    "wpm": N_("Weighted product (WPM)"),
    "topsis": "TOPSIS",
    "vikor": "VIKOR",
    "electre2": "ELECTRE II",
}

METHOD_NOTES = {
    "wsm": N_("Points times weights, added up: the published model. It decides the award."),
    "wpm": N_(
        "Points raised to the power of their weights and multiplied. A weak score weighs "
        "more than in the sum. A point of 0 would make the whole product 0, so every point "
        "is raised by 1 first (0–10 becomes 1–11), and further where a price model gives "
        "points below 0, so that the lowest is 1."
    ),
    "topsis": N_(
        "How close each offer is to an imagined offer with the best score on every "
        "requirement, and how far from one with the worst (after vector scaling)."
    ),
    "vikor": N_(
        "A compromise between the offer's total shortfall from the best and its largest "
        "single shortfall, half and half (v = 0.5). Ranked by VIKOR's Q, where lower is "
        "better."
    ),
    "electre2": N_(
        "Compares offers in pairs: one outranks another when enough weight agrees "
        "(concordance) and no requirement speaks strongly against (discordance). ELECTRE I "
        "only picks out a group of undominated offers, so ELECTRE II, which ranks all, is "
        "used, with scikit-criteria's thresholds. Ties are common."
    ),
}


def price_model_name(model: str) -> str:
    """The price model's name in the current language."""
    return _(PRICE_MODEL_NAMES[model]) if model in PRICE_MODEL_NAMES else model


def method_name(method: str) -> str:
    """A method's name in the current language."""
    return _(METHOD_NAMES[method]) if method in METHOD_NAMES else method


def number(value: float, decimals: int = 1) -> str:
    """A number in the current language's format (decimal comma in Norwegian)."""
    return numbers.number(value, decimals)


def percent(share: float, decimals: int = 0) -> str:
    """A share (0–1) as a percentage number in the current language's format, without the
    sign: 0.425 -> "43" (the text around it says "%")."""
    return numbers.number(100 * share, decimals)


def millions(amount: float, decimals: int = 2) -> str:
    """An amount in NOK as millions: 1 234 567 -> "1,23 MNOK" in Norwegian."""
    return f"{numbers.number(amount / 1e6, decimals)} MNOK"


def offer_labels(offers: pd.DataFrame) -> dict[str, str]:
    """Offer id -> vendor name; where a vendor has more than one offer, the product too
    ("Nordlys AS (Bibsys Pluss)"), and the offer's id where even that repeats, so that no
    two offers share a label (a chart's legend, a table's columns)."""
    ids = [str(o) for o in offers["id"]]
    names = [str(v) for v in offers["vendor_name"]]
    products = [str(p or "") for p in offers["product"]] if "product" in offers else [""] * len(ids)
    labels = [
        f"{name} ({product})" if names.count(name) > 1 and product else name
        for name, product in zip(names, products, strict=True)
    ]
    labels = [
        f"{name} ({offer})" if labels.count(label) > 1 else label
        for offer, name, label in zip(ids, names, labels, strict=True)
    ]
    return dict(zip(offers["id"], labels, strict=True))


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


@dataclass(frozen=True)
class TreeLabels:
    """The criterion tree's names in one language: what the ranking chart and the weights
    sliders show, read once per data change and language."""

    criteria: dict[str, str]
    categories: dict[str, str]
    parts: dict[str, str]
    part_criterion: dict[str, str]


def tree_labels(tree: CriterionTree) -> TreeLabels:
    """Every name of the criterion tree in the current language."""
    parts_, part_criterion = parts(tree)
    return TreeLabels(criterion_names(tree), category_names(tree), parts_, part_criterion)


def answer_meaning(answer: object) -> str:
    """The meaning of a vendor's 0–3 answer."""
    try:
        return _(ANSWER_MEANINGS[int(answer)])  # type: ignore[call-overload]
    except (KeyError, TypeError, ValueError):
        return _("No answer")


def order_text(ranks: pd.Series, names: dict[str, str]) -> str:
    """Offers in rank order, "A > B = C": ">" ahead, "=" tied."""
    ordered = ranks.sort_values(kind="stable")
    text = ""
    previous = None
    for offer, rank in ordered.items():
        if previous is not None:
            text += " = " if rank == previous else " > "
        text += names.get(str(offer), str(offer))
        previous = rank
    return text
