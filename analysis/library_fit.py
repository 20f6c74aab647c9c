"""The libraries' own weights and each offer's fit with each library, for the Bibliotek
page, the Robustness page's library groups and the command line alike.

Each library group's weights come from its libraries' answers in the input round where
any of them answered (``scoring.library_weights``), else from the group's hand-set
weight profile, else from the published profile. A library that answered is weighed by
its own answers; one that did not, by the weights of the first group it belongs to (in
the groups' order), or by the published profile if it belongs to none.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import duckdb
import pandas as pd

from analysis.inputs import load_inputs, profile_weights
from analysis.ranking import NOTHING_TO_RANK, NothingToRank
from scoring.library_fit import FitSummary, fit_table, summarise
from scoring.library_weights import (
    as_profile,
    group_shares,
    library_shares,
    quality_requirements,
    shares_from_weights,
    weight_moved,
)
from scoring.procurement import ProcurementInputs, Weights, prepare
from store import libraries as store_libraries
from store import library_input, profiles

# Where a library's or a group's weights come from.
OWN, GROUP, INPUT, PROFILE, PUBLISHED = "own", "group", "input", "profile", "published"
FILTERS = (("library_kind", "kind"), ("sami_area", "sami_area"), ("size_class", "size_class"))


@dataclass(frozen=True)
class LibraryFit:
    """Every library's and group's weights, and every offer's fit with every library."""

    libraries: pd.DataFrame  # id, name, kind, region, sami_area, size_class, group, source
    groups: pd.DataFrame  # stakeholder groups + answered, source, moved (share of weight)
    scope: pd.DataFrame  # the quality requirements: id, category_id, weight
    shares: pd.DataFrame  # libraries × requirements, each row adding up to 1
    group_shares: pd.DataFrame  # groups × requirements
    published_shares: pd.Series  # requirement -> share under the published profile
    fit: pd.DataFrame  # libraries × eligible offers, 0–100
    summary: FitSummary
    derived: dict[str, Weights]  # group id -> weights from its libraries' answers

    @property
    def answered(self) -> int:
        """How many libraries are weighed by answers of their own."""
        return int((self.libraries["source"] == OWN).sum())


def members(groups: pd.DataFrame, libraries: pd.DataFrame) -> dict[str, list[str]]:
    """Group id -> the libraries matching every filter the group sets (as the store
    counts them)."""
    out: dict[str, list[str]] = {}
    for group in groups.to_dict("records"):
        keep = pd.Series(True, index=libraries.index)
        for group_column, library_column in FILTERS:
            value = group.get(group_column)
            if value is not None and not pd.isna(value):
                keep &= libraries[library_column] == value
        out[str(group["id"])] = [str(i) for i in libraries.loc[keep, "id"]]
    return out


def build(
    inputs: ProcurementInputs,
    published: Weights,
    hand_set: Mapping[str, Weights],
    groups: pd.DataFrame,
    libraries: pd.DataFrame,
    priorities: pd.DataFrame,
    answered_libraries: Collection[str],
) -> LibraryFit:
    """Put the weights and fits together from what was read (no I/O). A library that
    answered is weighed by its own answers even where it rated nothing: every item it
    left blank counts 2, as the rule says."""
    scope = quality_requirements(inputs.tree)
    published_shares = shares_from_weights(inputs.tree, published)
    member_lists = members(groups, libraries)
    by_group: dict[str, pd.Series] = {}
    derived: dict[str, Weights] = {}
    answered, sources = [], []
    for group in groups.to_dict("records"):
        gid = str(group["id"])
        found = group_shares(scope, priorities, member_lists[gid], answered_libraries)
        if found is not None:
            by_group[gid], count = found
            derived[gid] = as_profile(by_group[gid], scope, published)
            source = INPUT
        elif group["profile_name"] in hand_set:
            by_group[gid] = shares_from_weights(inputs.tree, hand_set[group["profile_name"]])
            count, source = 0, PROFILE
        else:
            by_group[gid], count, source = published_shares, 0, PUBLISHED
        answered.append(count)
        sources.append(source)
    group_table = groups.assign(
        answered=answered,
        source=sources,
        moved=[weight_moved(by_group[str(g)], published_shares) for g in groups["id"]],
    )
    first_group: dict[str, str] = {}
    for gid, ids in member_lists.items():
        for library in ids:
            first_group.setdefault(library, gid)
    has_answers = {str(i) for i in answered_libraries}
    rows, library_sources = [], []
    for library in libraries["id"].astype(str):
        if library in has_answers:
            rows.append(library_shares(scope, priorities, library))
            library_sources.append(OWN)
        elif library in first_group:
            rows.append(by_group[first_group[library]])
            library_sources.append(GROUP)
        else:
            rows.append(published_shares)
            library_sources.append(PUBLISHED)
    ids = list(libraries["id"].astype(str))
    shares = pd.DataFrame(rows, index=ids, columns=list(scope["id"])).fillna(0.0)
    points = prepare(inputs).points
    fit = fit_table(shares, points[list(scope["id"])])
    table = libraries.assign(
        group=[first_group.get(i, "") for i in ids], source=library_sources
    ).reset_index(drop=True)
    return LibraryFit(
        libraries=table,
        groups=group_table,
        scope=scope,
        shares=shares,
        group_shares=pd.DataFrame(by_group).T.reindex(columns=list(scope["id"])),
        published_shares=published_shares,
        fit=fit,
        summary=summarise(fit),
        derived=derived,
    )


def library_fit(con: duckdb.DuckDBPyConnection) -> LibraryFit:
    """Read everything and put the weights and fits together."""
    names = profiles.profile_names(con)
    hand_set = {n: profile_weights(profiles.load_profile(con, n)) for n in names}
    published = profiles.published_profile_name(con) or ""
    if published not in hand_set:
        raise NothingToRank(NOTHING_TO_RANK)
    return build(
        load_inputs(con),
        hand_set[published],
        hand_set,
        store_libraries.stakeholder_groups(con),
        store_libraries.libraries(con),
        library_input.current_priorities(con),
        list(library_input.answered_libraries(con)["library_id"]),
    )


def derived_group_weights(
    con: duckdb.DuckDBPyConnection, inputs: ProcurementInputs, published: Weights
) -> dict[str, Weights]:
    """Group id -> weights from its libraries' answers (groups where any answered)."""
    return build(
        inputs,
        published,
        {},
        store_libraries.stakeholder_groups(con),
        store_libraries.libraries(con),
        library_input.current_priorities(con),
        list(library_input.answered_libraries(con)["library_id"]),
    ).derived
