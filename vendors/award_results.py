"""What one bidder may be told after the award: its own result, and the chosen offer's
points per award criterion and category (aggregates only).

Every number comes from the published ranking (``analysis.ranking.published``), so a score
sheet equals the app's ranking. What is left out is the point: no other bidder's prices,
answers, comments or evidence, and no single evaluator's score or name. Agreed reasons are
written by the working group and may name an evaluator or another bidder ("the fault
Kristoffer found"): such names are replaced by a neutral word in everything a bidder gets
(``redact``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import duckdb
import pandas as pd
from babel import Locale
from babel.numbers import NumberPattern, format_decimal, parse_pattern

from analysis.ranking import Published, published
from locales import gettext_for
from scoring.procurement import PRICE_COLUMN, PRICE_CRITERION, category_shares, criterion_shares
from scoring.scales import POINTS_TO_TOTAL
from store import award as store_award
from store import evaluators
from store.errors import N_, AwardRefused
from store.evaluation import OUTCOME_NAMES
from store.tender import tender

REDACTED_EVALUATOR = N_("[evaluator]")
REDACTED_BIDDER = N_("[another bidder]")
NO_AWARD = N_("No award is recorded: record the award decision before the letters.")


def translate(language: str, message: str) -> str:
    """One message id in ``language``."""
    return gettext_for(language, message)


@cache
def _pattern(decimals: int) -> NumberPattern:
    return parse_pattern("#,##0." + "0" * decimals if decimals else "#,##0")


def number(value: float, language: str, decimals: int = 2) -> str:
    """A number as printed in ``language`` (nb: decimal comma, space between thousands)."""
    return format_decimal(value, format=_pattern(decimals), locale=Locale.parse(language))


@dataclass(frozen=True)
class RequirementResult:
    """One weighted requirement: the agreed score (0–10), its reason, its global weight
    (0–1) and the points it adds to the total (0–100)."""

    id: str
    category: str
    text: str
    weight: float
    score: float | None
    points: float | None
    reason: str


@dataclass(frozen=True)
class MandatoryResult:
    """One mandatory requirement: the agreed assessment and its reason."""

    id: str
    category: str
    text: str
    outcome: str
    reason: str


@dataclass(frozen=True)
class PartResult:
    """An award criterion or a category: its weight (share of the total, 0–1), this
    offer's points and the chosen offer's (0–100; None for a rejected offer)."""

    id: str
    name: str
    criterion: str
    weight: float
    own: float | None
    chosen: float | None


@dataclass(frozen=True)
class OfferResult:
    """Everything one bidder's score sheet and letter say about one of its offers."""

    language: str
    tender_name: str
    tender_reference: str
    vendor_id: str
    vendor_name: str
    offer_id: str
    product: str
    chosen_vendor: str
    chosen_offer: str
    award_reason: str
    is_chosen: bool
    rejected: bool
    rejection_reasons: tuple[tuple[str, str], ...]
    rank: int | None
    ranked: int
    total: float | None
    chosen_total: float | None
    price_total: float
    price_one_time: float
    price_yearly: float
    price_options: float
    price_points: float | None
    chosen_price_points: float | None
    contract_years: int
    price_model: str
    criteria: tuple[PartResult, ...]
    categories: tuple[PartResult, ...]
    requirements: tuple[RequirementResult, ...]
    mandatory: tuple[MandatoryResult, ...]


def _names_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """Whole names and each part of them (three letters or more), longest first."""
    parts: set[str] = set()
    for name in names:
        name = str(name).strip()
        if name:
            parts.add(name)
            parts.update(p for p in re.split(r"[\s,]+", name) if len(p) >= 3)
    if not parts:
        return None
    ordered = sorted(parts, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in ordered) + r")(?!\w)")


def redact(text: str, evaluators: Iterable[str], others: Iterable[str], language: str) -> str:
    """``text`` with every evaluator's name, and the names of the bidders in ``others``,
    replaced by a neutral word."""
    for names, word in ((evaluators, REDACTED_EVALUATOR), (others, REDACTED_BIDDER)):
        pattern = _names_pattern(names)
        if pattern is not None:
            text = pattern.sub(translate(language, word), text)
    return text


def _localized(row: pd.Series | dict[str, object], field: str, language: str) -> str:
    value = row.get(f"{field}_{language}") or row.get(f"{field}_nb") or ""
    return str(value)


def offer_results(
    con: duckdb.DuckDBPyConnection, language: str, ranking: Published | None = None
) -> list[OfferResult]:
    """Every offer's result under the award in force, in the offers' order (AwardRefused
    when no award is recorded)."""
    award = store_award.current(con)
    if award is None:
        raise AwardRefused(NO_AWARD)
    result = ranking if ranking is not None else published(con)
    evaluation = result.evaluation
    if evaluation is None:
        raise AwardRefused(store_award.NO_RANKING)
    inputs = result.inputs
    tree = inputs.tree
    assert result.weights is not None
    offers = inputs.offers.set_index("id")
    vendor_of = {str(o): str(offers.loc[o, "vendor_id"]) for o in offers.index}
    vendor_names = {
        str(r["vendor_id"]): str(r["vendor_name"]) for r in inputs.offers.to_dict("records")
    }
    evaluator_names = [str(n) for n in evaluators.evaluators(con)["name"]]
    chosen = award.offer_id
    info = tender(con)

    crit_share = criterion_shares(tree, result.weights)
    cat_share = category_shares(tree, result.weights)
    criteria = tree.criteria.to_dict("records")
    categories = tree.categories.to_dict("records")
    contributions = evaluation.contributions
    consensus = inputs.consensus.set_index(["offer_id", "requirement_id"])
    checks = inputs.checks.set_index(["offer_id", "requirement_id"])

    def part(offer: str, key: str) -> float | None:
        if offer not in contributions.index:
            return None
        return float(contributions.loc[offer].get(key, 0.0))

    def criterion_points(offer: str, criterion: str) -> float | None:
        if offer not in contributions.index:
            return None
        keys = [c["id"] for c in categories if c["criterion_id"] == criterion]
        if criterion == PRICE_CRITERION:
            keys.append(PRICE_COLUMN)
        return float(sum(contributions.loc[offer].get(k, 0.0) for k in keys))

    results = []
    for offer in [str(o) for o in inputs.offers["id"]]:
        vendor = vendor_of[offer]
        others = [n for v, n in vendor_names.items() if v not in {vendor, vendor_of[chosen]}]

        def clean(text: object, others: list[str] = others) -> str:
            return redact(str(text or ""), evaluator_names, others, language)

        w_rows = []
        for req in tree.weighted_requirements().to_dict("records"):
            key = (offer, req["id"])
            score = float(consensus.loc[key, "score"]) if key in consensus.index else None
            weight = float(evaluation.column_weights.get(req["id"], 0.0))
            eligible = offer in evaluation.matrix.index
            w_rows.append(
                RequirementResult(
                    id=str(req["id"]),
                    category=str(req["category_id"]),
                    text=_localized(req, "text", language),
                    weight=weight,
                    score=score,
                    points=float(evaluation.matrix.loc[offer, req["id"]]) * weight * POINTS_TO_TOTAL
                    if eligible
                    else None,
                    reason=clean(consensus.loc[key, "reason"]) if key in consensus.index else "",
                )
            )
        m_rows = []
        for req in tree.mandatory_requirements().to_dict("records"):
            key = (offer, req["id"])
            outcome = str(checks.loc[key, "outcome"]) if key in checks.index else ""
            m_rows.append(
                MandatoryResult(
                    id=str(req["id"]),
                    category=str(req["category_id"]),
                    text=_localized(req, "text", language),
                    outcome=translate(language, OUTCOME_NAMES[outcome]) if outcome else "",
                    reason=clean(checks.loc[key, "reason"]) if key in checks.index else "",
                )
            )
        costs = evaluation.costs.loc[offer]
        eligible = offer in evaluation.matrix.index
        results.append(
            OfferResult(
                language=language,
                tender_name=info.name,
                tender_reference=info.reference,
                vendor_id=vendor,
                vendor_name=vendor_names[vendor],
                offer_id=offer,
                product=str(offers.loc[offer, "product"]),
                chosen_vendor=vendor_names[vendor_of[chosen]],
                chosen_offer=chosen,
                award_reason=clean(award.reason),
                is_chosen=offer == chosen,
                rejected=offer in evaluation.rejected,
                rejection_reasons=tuple(
                    (str(r), clean(why)) for r, why in evaluation.screening.loc[offer, "reasons"]
                ),
                rank=int(evaluation.rank[offer]) if eligible else None,
                ranked=len(evaluation.rank),
                total=float(evaluation.total[offer]) if eligible else None,
                chosen_total=float(evaluation.total[chosen]),
                price_total=float(costs["total"]),
                price_one_time=float(costs["one_time"]),
                price_yearly=float(costs["yearly"]),
                price_options=float(costs["options"]),
                price_points=float(evaluation.matrix.loc[offer, PRICE_COLUMN])
                if eligible
                else None,
                chosen_price_points=float(evaluation.matrix.loc[chosen, PRICE_COLUMN]),
                contract_years=inputs.contract_years,
                price_model=inputs.price_model,
                criteria=tuple(
                    PartResult(
                        id=str(c["id"]),
                        name=_localized(c, "name", language),
                        criterion=str(c["id"]),
                        weight=float(crit_share.get(c["id"], 0.0)),
                        own=criterion_points(offer, c["id"]),
                        chosen=criterion_points(chosen, c["id"]),
                    )
                    for c in criteria
                ),
                categories=tuple(
                    PartResult(
                        id=str(c["id"]),
                        name=_localized(c, "name", language),
                        criterion=str(c["criterion_id"]),
                        weight=float(crit_share.get(c["criterion_id"], 0.0))
                        * float(cat_share.get(c["id"], 0.0)),
                        own=part(offer, c["id"]),
                        chosen=part(chosen, c["id"]),
                    )
                    for c in categories
                ),
                requirements=tuple(w_rows),
                mandatory=tuple(m_rows),
            )
        )
    return results
