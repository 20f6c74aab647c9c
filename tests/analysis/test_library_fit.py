"""The libraries' weights and fits on the demo procurement, with answers made by hand:
who is weighed by what, checked against the consensus points read from the database."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from analysis.inputs import load_inputs, profile_weights
from analysis.library_fit import GROUP, INPUT, OWN, PROFILE, build, members
from analysis.robustness import RobustnessInputs
from store import libraries as store_libraries
from store import profiles


def read(con: duckdb.DuckDBPyConnection):
    inputs = load_inputs(con)
    hand_set = {
        n: profile_weights(profiles.load_profile(con, n)) for n in profiles.profile_names(con)
    }
    published = hand_set[profiles.published_profile_name(con)]
    return (
        inputs,
        published,
        hand_set,
        store_libraries.stakeholder_groups(con),
        store_libraries.libraries(con),
    )


def weighted(con: duckdb.DuckDBPyConnection, category: str) -> list[str]:
    """The weighted requirements of a category (every one must be answered, or it counts 2)."""
    return [
        r[0]
        for r in con.execute(
            "SELECT id FROM requirement WHERE category_id = ? AND kind = 'W'", [category]
        ).fetchall()
    ]


def only(library: str, requirement: str, category: str, others: list[str], cats: list[str]):
    """Answers that put everything on one requirement: its category 4, every other quality
    category 0; the requirement 4, the rest of its category 0."""
    rows = [(library, "category", c, 4 if c == category else 0) for c in cats]
    rows += [(library, "requirement", r, 4 if r == requirement else 0) for r in others]
    return pd.DataFrame(rows, columns=["library_id", "item_kind", "item_id", "importance"])


def test_answers_weigh_the_library_and_its_group(con):
    inputs, published, hand_set, groups, libraries = read(con)
    school = libraries[libraries["kind"] == "school"]["id"].tolist()
    assert len(school) >= 2
    answering, silent = school[0], school[1]
    lang = weighted(con, "LANG")
    cats = ["LANG", "CAT", "CIRC", "INT", "FORM", "OPS"]
    priorities = only(answering, "LANG-05", "LANG", lang, cats)
    result = build(inputs, published, hand_set, groups, libraries, priorities, [answering])
    # All weight on LANG-05: the fit is 10 × the consensus points on LANG-05.
    points = con.execute(
        "SELECT offer_id, score FROM consensus WHERE requirement_id = 'LANG-05'"
    ).fetchall()
    for offer, score in points:
        if offer in result.fit.columns:
            assert result.fit.at[answering, offer] == pytest.approx(10 * score)
    rows = result.libraries.set_index("id")
    assert rows.at[answering, "source"] == OWN
    # The other school library did not answer: it takes its first group's weights, and its
    # first group (the school libraries) holds one answer, so the same fit.
    assert rows.at[silent, "source"] == GROUP
    assert rows.at[silent, "group"] == "school"
    pd.testing.assert_series_equal(
        result.fit.loc[silent], result.fit.loc[answering], check_names=False
    )
    by_group = result.groups.set_index("id")
    assert by_group.at["school", "source"] == INPUT
    assert by_group.at["school", "answered"] == 1
    # The public libraries have no answer: their hand-set profile stays.
    assert by_group.at["public", "source"] == PROFILE
    assert "public" not in result.derived
    # As a profile for the robustness page: the published criteria, LANG all of quality.
    derived = result.derived["school"]
    assert dict(derived.criteria) == dict(published.criteria)
    assert derived.categories["LANG"] == pytest.approx(100.0)
    assert all(derived.categories[c] == pytest.approx(0.0) for c in cats if c != "LANG")
    # The share of the quality weight moved: everything but what the published profile
    # already puts on LANG-05 (LANG's share of quality × LANG-05's weight within LANG).
    quality = {c: float(published.categories[c]) for c in cats}
    weights = con.execute(
        "SELECT id, weight FROM requirement WHERE category_id = 'LANG' AND kind = 'W'"
    ).fetchall()
    within = dict(weights)["LANG-05"] / sum(w for _, w in weights)
    on_lang05 = quality["LANG"] / sum(quality.values()) * within
    assert by_group.at["school", "moved"] == pytest.approx(1 - on_lang05)


def test_a_library_that_answered_but_rated_nothing_counts_as_answered(con):
    inputs, published, hand_set, groups, libraries = read(con)
    school = libraries[libraries["kind"] == "school"]["id"].tolist()
    answering, blank = school[0], school[1]
    cats = ["LANG", "CAT", "CIRC", "INT", "FORM", "OPS"]
    lang = weighted(con, "LANG")
    priorities = only(answering, "LANG-05", "LANG", lang, cats)
    result = build(inputs, published, hand_set, groups, libraries, priorities, [answering, blank])
    rows = result.libraries.set_index("id")
    assert rows.at[blank, "source"] == OWN
    # Every item it left blank counts 2: six quality categories in equal parts, and equal
    # parts of its category for each requirement.
    assert result.shares.loc[blank, "LANG-05"] == pytest.approx(1 / 6 / len(lang))
    assert result.shares.loc[blank].sum() == pytest.approx(1.0)
    # The group counts both answers; its importances are the means over those who rated,
    # so the blank answer leaves them as the other library's.
    by_group = result.groups.set_index("id")
    assert by_group.at["school", "answered"] == 2
    assert result.group_shares.loc["school", "LANG-05"] == pytest.approx(1.0)


def test_the_robustness_groups_take_the_derived_weights_where_there_are_any(con):
    inputs, published, hand_set, groups, libraries = read(con)
    school = libraries[libraries["kind"] == "school"]["id"].tolist()
    cats = ["LANG", "CAT", "CIRC", "INT", "FORM", "OPS"]
    priorities = only(school[0], "INT-03", "INT", weighted(con, "INT"), cats)
    derived = build(inputs, published, hand_set, groups, libraries, priorities, [school[0]]).derived
    data = RobustnessInputs(
        inputs=inputs,
        profiles=hand_set,
        published="",
        evaluator_scores=pd.DataFrame(),
        groups=groups,
        derived=derived,
    )
    weights = data.group_weights()
    assert weights["school"] == derived["school"]
    assert weights["public"] == hand_set[groups.set_index("id").at["public", "profile_name"]]


def test_group_members_match_the_store_s_counts(con):
    groups = store_libraries.stakeholder_groups(con)
    found = members(groups, store_libraries.libraries(con))
    assert {g: len(ids) for g, ids in found.items()} == dict(
        zip(groups["id"], groups["libraries"], strict=True)
    )
