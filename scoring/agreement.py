"""How far the evaluators agree: spread per requirement and offer, Kendall's W per category,
the pairs the consensus meeting should take first, and the proposals it starts from.

Inputs are plain data frames of evaluator scores (``evaluator_id``, ``offer_id``,
``requirement_id``, ``score``); nothing here reads a database or knows who may see what.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy.stats import rankdata

from scoring.scales import MANDATORY_OUTCOMES, POINTS_TO_TOTAL, REJECTING_OUTCOME

PAIR = ["offer_id", "requirement_id"]
# The median is accepted without a meeting only where at least this many evaluators have
# submitted a score: one evaluator's score alone is not an agreement.
MIN_SCORES_FOR_MEDIAN = 2
# Scores are decimals: 7.3 − 6.1 is 1.2000000000000002 in floating point, within 1.2.
SPREAD_TOLERANCE = 1e-9
# From the least to the most serious; a tie in the vote proposes the more serious one.
OUTCOME_SEVERITY = MANDATORY_OUTCOMES  # least to most serious


def pair_statistics(scores: pd.DataFrame) -> pd.DataFrame:
    """Per offer and requirement: how many evaluators scored it, and how they spread.

    Columns: n, median, mean, minimum, maximum, range (maximum − minimum) and std, the
    standard deviation over the evaluators who scored (divided by n, not n − 1: these
    evaluators are all there are, not a sample of them). One evaluator gives range and
    std 0. Indexed by (offer_id, requirement_id).
    """
    columns = ["n", "median", "mean", "minimum", "maximum", "range", "std"]
    if scores.empty:
        index = pd.MultiIndex.from_tuples([], names=PAIR)
        return pd.DataFrame(columns=columns, index=index, dtype=float)
    grouped = scores.groupby(PAIR)["score"]
    table = pd.DataFrame(
        {
            "n": grouped.count(),
            "median": grouped.median(),
            "mean": grouped.mean(),
            "minimum": grouped.min(),
            "maximum": grouped.max(),
            "std": grouped.std(ddof=0),
        }
    )
    table["range"] = table["maximum"] - table["minimum"]
    return table[columns]


def spread_matrix(
    statistics: pd.DataFrame, offers: Iterable[str], requirements: Iterable[str], measure: str
) -> pd.DataFrame:
    """Offers × requirements of one spread measure ('range' or 'std'); NaN where unscored."""
    if measure not in ("range", "std"):
        raise ValueError(f"unknown spread measure {measure!r}")
    flat = statistics[measure].reset_index()
    table = flat.pivot_table(index="offer_id", columns="requirement_id", values=measure)
    return table.reindex(index=list(offers), columns=list(requirements)).astype(float)


def average_ranks(values: ArrayLike) -> np.ndarray:
    """Rank 1 for the highest value; tied values share the mean of their ranks (2.5, 2.5)."""
    return np.asarray(rankdata(-np.asarray(values, dtype=float), method="average"), dtype=float)


def kendalls_w(ratings: ArrayLike) -> float:
    """Kendall's coefficient of concordance W, corrected for ties.

    ``ratings`` is m raters × n objects (any numbers, higher is better); each rater's row
    is turned into ranks, ties sharing their mean rank. With R_i the sum of the ranks
    object i received, S = Σ (R_i − m(n + 1)/2)² and, for each rater, T = Σ (t³ − t) over
    their groups of t tied objects:

        W = 12 S / (m² (n³ − n) − m Σ T)

    W is 1 when every rater orders the objects the same way and 0 when their orders
    cancel out. It is NaN when there are fewer than two raters or two objects, or when
    every rater ties every object (nothing to agree on).
    """
    matrix = np.asarray(ratings, dtype=float)
    if matrix.ndim != 2:
        raise ValueError("ratings must be a raters × objects table")
    m, n = matrix.shape
    if m < 2 or n < 2 or np.isnan(matrix).any():
        return float("nan")
    ranks = np.vstack([average_ranks(row) for row in matrix])
    rank_sums = ranks.sum(axis=0)
    s = float(((rank_sums - m * (n + 1) / 2.0) ** 2).sum())
    ties = 0.0
    for row in ranks:
        _, counts = np.unique(row, return_counts=True)
        ties += float((counts.astype(float) ** 3 - counts).sum())
    denominator = m**2 * (n**3 - n) - m * ties
    if denominator <= 0:
        return float("nan")
    return 12.0 * s / denominator


def category_scores(scores: pd.DataFrame, requirements: pd.DataFrame) -> pd.DataFrame:
    """Each evaluator's score per category and offer: the weighted mean of their scores.

    ``requirements`` holds the weighted requirements (id, category_id, weight). The
    weights are the requirement weights within the category; a requirement the evaluator
    left unscored for that offer is left out of the mean. Returns evaluator_id,
    category_id, offer_id, score.
    """
    columns = ["evaluator_id", "category_id", "offer_id", "score"]
    reqs = requirements.set_index("id")[["category_id", "weight"]]
    merged = scores.merge(reqs, left_on="requirement_id", right_index=True, how="inner")
    merged = merged[merged["weight"] > 0]
    if merged.empty:
        return pd.DataFrame(columns=columns)
    merged = merged.assign(weighted=merged["score"] * merged["weight"])
    grouped = merged.groupby(["evaluator_id", "category_id", "offer_id"])
    sums = grouped[["weighted", "weight"]].sum()
    result = (sums["weighted"] / sums["weight"]).rename("score").reset_index()
    return result[columns]


def agreement_by_category(
    scores: pd.DataFrame, requirements: pd.DataFrame, categories: Iterable[str]
) -> pd.DataFrame:
    """Kendall's W per category: do the evaluators put the offers in the same order?

    For each category, every evaluator's category score (``category_scores``) orders the
    offers; W compares those orders across evaluators. Only offers that every evaluator
    scored in the category take part. Returns, per category (in the order given):
    evaluators (m), offers (n) and w (NaN where it cannot be computed).
    """
    by_category = category_scores(scores, requirements)
    rows = []
    for category in categories:
        own = by_category[by_category["category_id"] == category]
        table = own.pivot_table(index="evaluator_id", columns="offer_id", values="score")
        table = table.dropna(axis=1)
        m, n = table.shape
        rows.append(
            {
                "category_id": category,
                "evaluators": int(m),
                "offers": int(n),
                "w": kendalls_w(table.to_numpy()) if m and n else float("nan"),
            }
        )
    return pd.DataFrame(rows, columns=["category_id", "evaluators", "offers", "w"]).set_index(
        "category_id"
    )


def discuss_first(statistics: pd.DataFrame, column_weights: pd.Series) -> pd.DataFrame:
    """The requirement–offer pairs to discuss first, most at stake on top.

    At stake = range × the requirement's global weight × (100 / 10): how many of the 100
    total points lie between the lowest and the highest evaluator's score. Pairs with the
    same stake are ordered by range, then by standard deviation. Pairs where everyone
    agrees (range 0) are left out.
    """
    table = statistics.reset_index()
    weights = column_weights.reindex(table["requirement_id"]).fillna(0.0).to_numpy()
    table["weight"] = weights
    table["at_stake"] = table["range"] * table["weight"] * POINTS_TO_TOTAL
    table = table[table["range"] > 0]
    return table.sort_values(
        ["at_stake", "range", "std", "requirement_id", "offer_id"],
        ascending=[False, False, False, True, True],
        kind="stable",
    ).reset_index(drop=True)


def median_agreement(
    scores: pd.DataFrame,
    pairs: pd.DataFrame,
    max_range: float,
    *,
    min_scores: int = MIN_SCORES_FOR_MEDIAN,
) -> pd.DataFrame:
    """Which pairs can take the evaluators' median as the agreed score without a meeting.

    ``scores``: the submitted scores (offer_id, requirement_id, score; other columns are
    ignored); ``pairs``: the offer and requirement pairs to decide (offer_id,
    requirement_id), those with no agreed score yet. A pair is accepted when at least
    ``min_scores`` evaluators scored it and their scores lie within ``max_range`` points of
    each other (highest − lowest ≤ max_range). Returns, per pair in the order given: n,
    median (the middle score; with an even number, the mean of the middle two; NaN where
    nobody scored), range (NaN where nobody scored) and accepted.
    """
    table = pairs[PAIR].reset_index(drop=True)
    statistics = pair_statistics(scores[[*PAIR, "score"]]) if len(scores) else None
    if statistics is None or statistics.empty:
        found = pd.DataFrame({"n": 0, "median": np.nan, "range": np.nan}, index=table.index)
    else:
        found = (
            statistics[["n", "median", "range"]]
            .reindex(pd.MultiIndex.from_frame(table))
            .reset_index(drop=True)
        )
    table = table.assign(
        n=found["n"].fillna(0).astype(int).to_numpy(),
        median=found["median"].astype(float).to_numpy(),
        range=found["range"].astype(float).to_numpy(),
    )
    table["accepted"] = (table["n"] >= min_scores) & (
        table["range"] <= float(max_range) + SPREAD_TOLERANCE
    )
    return table


def unanimous_outcomes(
    assessments: pd.DataFrame,
    pairs: pd.DataFrame,
    *,
    min_assessments: int = MIN_SCORES_FOR_MEDIAN,
) -> pd.DataFrame:
    """Which mandatory pairs can take the evaluators' common assessment as the agreed one
    without a meeting.

    ``assessments``: the submitted assessments (offer_id, requirement_id, outcome; other
    columns are ignored); ``pairs``: the offer and requirement pairs to decide, those with
    no agreed assessment yet. A pair is accepted when at least ``min_assessments``
    evaluators assessed it, every one of them gave the same outcome, and that outcome is not
    a material deviation: a material deviation rejects the offer, and the reason for a
    rejection is the meeting's to write. Returns, per pair in the order given: n, outcome
    (the outcome every evaluator gave; None where they differ or nobody assessed it) and
    accepted.
    """
    table = pairs[PAIR].reset_index(drop=True)
    if len(assessments):
        grouped = assessments.groupby(PAIR)["outcome"]
        found = pd.DataFrame(
            {"n": grouped.count(), "kinds": grouped.nunique(), "first": grouped.first()}
        )
        found = found.reindex(pd.MultiIndex.from_frame(table)).reset_index(drop=True)
    else:
        found = pd.DataFrame({"n": 0, "kinds": 0, "first": None}, index=table.index)
    n = found["n"].fillna(0).astype(int).to_numpy()
    common = [
        str(first) if kinds == 1 else None
        for first, kinds in zip(found["first"], found["kinds"].fillna(0), strict=True)
    ]
    table = table.assign(n=n, outcome=pd.Series(common, index=table.index, dtype=object))
    table["accepted"] = (
        (table["n"] >= min_assessments)
        & table["outcome"].notna()
        & (table["outcome"] != REJECTING_OUTCOME)
    )
    return table


def proposed_outcome(outcomes: Iterable[str]) -> str | None:
    """The assessment most evaluators gave; on a tie, the more serious one."""
    counts = pd.Series(list(outcomes), dtype=object).value_counts()
    if counts.empty:
        return None
    top = counts[counts == counts.max()].index
    return max(top, key=lambda o: OUTCOME_SEVERITY.index(o) if o in OUTCOME_SEVERITY else -1)


def proposed_scores(
    scores: pd.DataFrame, agreed: pd.DataFrame, offers: Iterable[str]
) -> pd.DataFrame:
    """What the consensus meeting starts from for one weighted requirement.

    ``scores``: that requirement's submitted scores (offer_id, score); ``agreed``: its
    recorded consensus (offer_id, score). Per offer: ``median``, the evaluators' median
    (NaN where nobody scored it; with an even number of scores the mean of the middle
    two), and ``proposal``, the agreed score where the meeting has recorded one, else the
    median.
    """
    index = pd.Index(list(offers), name="offer_id")
    median = scores.groupby("offer_id")["score"].median().reindex(index).astype(float)
    recorded = (
        agreed.dropna(subset=["score"]).groupby("offer_id")["score"].first().reindex(index)
    ).astype(float)
    return pd.DataFrame({"median": median, "proposal": recorded.fillna(median)}, index=index)


def proposed_outcomes(
    assessments: pd.DataFrame, agreed: pd.DataFrame, offers: Iterable[str]
) -> dict[str, str | None]:
    """What the meeting starts from for one mandatory requirement: per offer, the agreed
    outcome where one is recorded, else the one most evaluators gave (``proposed_outcome``)."""
    recorded = dict(zip(agreed["offer_id"], agreed["outcome"], strict=True))
    return {
        offer: recorded.get(offer)
        or proposed_outcome(assessments.loc[assessments["offer_id"] == offer, "outcome"])
        for offer in offers
    }


def still_to_discuss(
    order: pd.DataFrame, agreed: pd.DataFrame, rejected: Iterable[str]
) -> pd.DataFrame:
    """``discuss_first``'s pairs that the meeting still has to settle: those of offers not
    rejected and with no agreed score yet (``agreed``: offer_id, requirement_id), in the
    same order."""
    settled = set(zip(agreed["offer_id"], agreed["requirement_id"], strict=True))
    out = set(rejected)
    keep = [
        o not in out and (o, r) not in settled
        for o, r in zip(order["offer_id"], order["requirement_id"], strict=True)
    ]
    return order[keep].reset_index(drop=True)


def meeting_agenda(
    to_discuss: pd.DataFrame, requirements: Iterable[str], open_requirements: Iterable[str]
) -> list[str]:
    """The requirements in the order the meeting takes them: first those with pairs still
    to discuss, the one with most points at stake first (``to_discuss`` is in that order);
    then the other open requirements, then the agreed ones, each in catalogue order
    (``requirements``)."""
    catalogue = list(requirements)
    still_open = set(open_requirements)
    first = [r for r in dict.fromkeys(to_discuss["requirement_id"]) if r in still_open]
    rest = [r for r in catalogue if r in still_open and r not in first]
    return first + rest + [r for r in catalogue if r not in still_open]


def next_open(agenda: list[str], current: str, open_requirements: Iterable[str]) -> str | None:
    """The next open requirement after ``current`` in the agenda, from the top again after
    the last; None when no other requirement is open."""
    still_open = set(open_requirements)
    start = agenda.index(current) + 1 if current in agenda else 0
    for requirement in agenda[start:] + agenda[:start]:
        if requirement in still_open and requirement != current:
            return requirement
    return None
