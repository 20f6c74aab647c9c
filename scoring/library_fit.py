"""How well each offer fits each library, and what the consortium would choose by fit.

A library's fit with an offer is the offer's consensus points (0–10) on the quality
requirements, weighted by the library's shares (``scoring.library_weights``), on 0–100:
``fit = 10 · Σ_r share_r · points_r``. Price does not enter.

From the table of fits (libraries × offers):

- the choice under the average fit: the offer with the highest mean fit over libraries;
- the max-min choice: the offer whose worst-served library is served best;
- each library's first choice: the offer with its highest fit (a library with a tie
  counts for each tied offer);
- for one offer (the leading one), the library it serves worst, with that library's fit
  and how far it lies below the fit of that library's own first choice.

Fits that agree to 9 decimals are ties.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from scoring.scales import POINTS_TO_TOTAL

TIE_DECIMALS = 9


def fit_table(shares: pd.DataFrame, points: pd.DataFrame) -> pd.DataFrame:
    """Libraries × offers, 0–100: ``shares`` is libraries × requirements (each row adding up
    to 1), ``points`` offers × requirements on 0–10 (a requirement missing counts 0)."""
    aligned = points.reindex(columns=shares.columns).fillna(0.0).astype(float)
    values = shares.to_numpy(dtype=float) @ aligned.to_numpy().T * POINTS_TO_TOTAL
    return pd.DataFrame(values, index=shares.index, columns=points.index)


def best(values: pd.Series) -> list[str]:
    """The ids with the highest value, every tied one, in the series' order."""
    if values.empty:
        return []
    rounded = values.round(TIE_DECIMALS)
    return [str(i) for i in rounded.index[rounded == rounded.max()]]


@dataclass(frozen=True)
class WorstServed:
    """The library an offer serves worst."""

    library: str
    fit: float  # the offer's fit for this library
    best_fit: float  # the fit of this library's own first choice

    @property
    def shortfall(self) -> float:
        """How far the offer lies below the library's first choice, in points."""
        return self.best_fit - self.fit


@dataclass(frozen=True)
class FitSummary:
    """What the consortium would choose by fit."""

    average: pd.Series  # offer -> mean fit over libraries
    worst: pd.Series  # offer -> lowest fit over libraries
    average_choice: list[str]  # the offers with the highest average (more than one: a tie)
    maxmin_choice: list[str]  # the offers whose lowest fit is highest
    first_counts: pd.Series  # offer -> how many libraries have it first (ties count each)

    @property
    def agree(self) -> bool:
        """Whether the average-fit and the max-min choices are the same."""
        return self.average_choice == self.maxmin_choice


def summarise(fit: pd.DataFrame) -> FitSummary:
    """The choices and counts from a table of fits (libraries × offers)."""
    average = fit.mean(axis=0)
    worst = fit.min(axis=0)
    counts = pd.Series(0, index=fit.columns, dtype=int)
    for _library, row in fit.iterrows():
        for offer in best(row):
            counts[offer] += 1
    return FitSummary(
        average=average,
        worst=worst,
        average_choice=best(average),
        maxmin_choice=best(worst),
        first_counts=counts,
    )


def worst_served(fit: pd.DataFrame, offer: str) -> WorstServed | None:
    """The library ``offer`` serves worst (the first in order among equals)."""
    if fit.empty or offer not in fit.columns:
        return None
    column = fit[offer].round(TIE_DECIMALS)
    library = str(column.idxmin())
    return WorstServed(
        library=library,
        fit=float(fit.at[library, offer]),
        best_fit=float(fit.loc[library].max()),
    )
