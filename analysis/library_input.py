"""What the libraries said in the input round: how important each category and weighted
requirement is to them, overall and per library group, and where the groups disagree.

The arithmetic is in plain functions over the store's tables (``distribution``,
``disagreement``); ``said`` reads them and computes both for the pages and the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from store import libraries, library_input
from store.errors import N_

# The library attributes a group is formed by (columns of the library table), named.
GROUPINGS = {
    "kind": N_("Kind of library"),
    "sami_area": N_("Sámi administrative area"),
    "size_class": N_("Size"),
    "region": N_("Region"),
}
LEVELS = tuple(library_input.IMPORTANCE)
ITEM = ["item_kind", "item_id"]


def _with_groups(priorities: pd.DataFrame, library_table: pd.DataFrame) -> pd.DataFrame:
    attributes = library_table[["id", *GROUPINGS]].rename(columns={"id": "library_id"})
    return priorities.merge(attributes, on="library_id", how="left")


def distribution(
    priorities: pd.DataFrame, library_table: pd.DataFrame, by: str | None = None
) -> pd.DataFrame:
    """How many libraries gave each importance to each item: one row per item (and group
    of ``by``, one of ``GROUPINGS``), with ``n_0`` … ``n_4``, ``answers`` and ``mean``.
    ``priorities`` as ``store.library_input.current_priorities`` returns them."""
    keys = ITEM if by is None else [*ITEM, by]
    columns = [*keys, *(f"n_{v}" for v in LEVELS), "answers", "mean"]
    if priorities.empty:
        return pd.DataFrame(columns=columns)
    table = _with_groups(priorities, library_table)
    if by is not None:
        table[by] = table[by].astype(str)
    counts = (
        table.groupby([*keys, "importance"]).size().unstack("importance", fill_value=0)
        .reindex(columns=list(LEVELS), fill_value=0)
    )  # fmt: skip
    counts.columns = [f"n_{v}" for v in LEVELS]
    counts["answers"] = counts.sum(axis=1)
    counts["mean"] = table.groupby(keys)["importance"].mean()
    return counts.reset_index()[columns]


def disagreement(
    priorities: pd.DataFrame, library_table: pd.DataFrame, by: str, *, min_answers: int = 1
) -> pd.DataFrame:
    """The items on which the groups of ``by`` disagree most: per item, the highest and
    lowest group mean importance (groups with at least ``min_answers`` answers), the groups
    that gave them, and ``spread`` (highest − lowest); largest spread first, then by id."""
    columns = [*ITEM, "spread", "high_group", "high_mean", "low_group", "low_mean", "groups"]
    means = distribution(priorities, library_table, by)
    if means.empty:
        return pd.DataFrame(columns=columns)
    means = means[means["answers"] >= min_answers]
    rows = []
    for (kind, item), group in means.groupby(ITEM, sort=False):
        high = group.loc[group["mean"].idxmax()]
        low = group.loc[group["mean"].idxmin()]
        rows.append(
            {
                "item_kind": kind,
                "item_id": item,
                "spread": float(high["mean"] - low["mean"]),
                "high_group": high[by],
                "high_mean": float(high["mean"]),
                "low_group": low[by],
                "low_mean": float(low["mean"]),
                "groups": len(group),
            }
        )
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values(["spread", "item_id"], ascending=[False, True], ignore_index=True)


@dataclass(frozen=True)
class Said:
    """What the libraries said: the distribution overall and per group of ``by``, and where
    those groups disagree."""

    overall: pd.DataFrame
    by_group: pd.DataFrame
    disagreement: pd.DataFrame
    answered: int
    libraries: int


def said(con: duckdb.DuckDBPyConnection, by: str = "kind") -> Said:
    """What the libraries said, from each library's newest answer."""
    if by not in GROUPINGS:
        raise ValueError(f"unknown grouping {by!r}")
    priorities = library_input.current_priorities(con)
    table = libraries.libraries(con)
    return Said(
        overall=distribution(priorities, table),
        by_group=distribution(priorities, table, by),
        disagreement=disagreement(priorities, table, by),
        answered=len(library_input.answered_libraries(con)),
        libraries=len(table),
    )
