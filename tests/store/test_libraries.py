"""Stakeholder groups and the evaluators' scores, as the robustness analyses read them."""

from __future__ import annotations

import csv
import tomllib

import pytest

from demo import DEMO_DIR
from locales import gettext_for
from store import profiles
from store.errors import InvalidWeights
from store.evaluation import evaluator_scores
from store.libraries import (
    StakeholderGroup,
    save_stakeholder_group,
    stakeholder_groups,
)


def demo_groups() -> list[dict]:
    with (DEMO_DIR / "weight_profiles.toml").open("rb") as handle:
        return tomllib.load(handle)["group"]


def libraries() -> list[dict[str, str]]:
    with (DEMO_DIR / "libraries.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_demo_has_the_four_library_groups_with_reasons_in_both_languages(con):
    groups = stakeholder_groups(con)
    assert groups["id"].tolist() == ["public", "school", "sami_area", "small"]
    assert all(groups["description_nb"].str.len() > 50)
    assert all(groups["description_en"].str.len() > 50)
    for row in groups.to_dict("records"):
        profile = profiles.load_profile(con, row["profile_name"])
        assert sum(profile.criteria.values()) > 0
        # FOA § 7-9: climate and environment keeps its 30 % in every group's profile.
        assert profile.criteria["environment"] / sum(profile.criteria.values()) >= 0.30


def test_a_groups_libraries_are_counted_from_the_library_table(con):
    counted = stakeholder_groups(con).set_index("id")["libraries"].to_dict()
    rows = libraries()
    assert counted["public"] == sum(r["kind"] == "public" for r in rows)
    assert counted["school"] == sum(r["kind"] == "school" for r in rows)
    assert counted["sami_area"] == sum(r["sami_area"] == "true" for r in rows)
    assert counted["small"] == sum(r["size_class"] == "small" for r in rows)


def test_the_group_profiles_in_the_database_are_those_of_the_file(con):
    for group in demo_groups():
        profile = profiles.load_profile(con, group["profile"])
        assert profile.criteria == {k: float(v) for k, v in group["criteria"].items()}
        assert profile.categories == {k: float(v) for k, v in group["categories"].items()}


def test_evaluator_scores_are_every_row_of_the_score_file(con):
    # Every demo evaluator who has scored has submitted, so every row of the file counts.
    scores = evaluator_scores(con)
    with (DEMO_DIR / "scores.csv").open(encoding="utf-8") as handle:
        expected = list(csv.DictReader(handle))
    assert len(scores) == len(expected)
    assert list(scores.columns) == ["evaluator_id", "offer_id", "requirement_id", "score"]
    first = expected[0]
    row = scores[
        (scores["evaluator_id"] == first["evaluator"])
        & (scores["offer_id"] == first["offer"])
        & (scores["requirement_id"] == first["requirement"])
    ]
    assert row["score"].tolist() == [float(first["score"])]


def test_a_draft_score_never_reaches_the_robustness_figures(con):
    from store import evaluation

    before = evaluator_scores(con)
    drafter = con.execute(
        "SELECT id FROM evaluator WHERE id NOT IN (SELECT DISTINCT evaluator_id FROM score)"
    ).fetchone()[0]
    evaluation.save_score(
        con,
        evaluator=drafter,
        offer="nordlys-1",
        requirement="LANG-04",
        score=0.0,
        reason="draft",
        actor=drafter,
    )
    after = evaluator_scores(con)
    assert drafter not in set(after["evaluator_id"])
    assert after.equals(before)


def test_saving_a_group_writes_it_and_its_profile_with_audit_entries(con):
    group = StakeholderGroup(
        id="mobile",
        profile_name="Bokbuss",
        name_nb="Bokbuss",
        name_en="Mobile library",
        description_nb="Utlån uten nett.",
        description_en="Offline loans.",
        library_kind="mobile",
    )
    profile = profiles.WeightProfile(
        "Bokbuss", {"quality": 50, "price": 20, "environment": 30}, {"CIRC": 80, "OPS": 20}
    )
    save_stakeholder_group(con, group, profile, actor="tester")
    row = stakeholder_groups(con).set_index("id").loc["mobile"]
    assert row["libraries"] == sum(r["kind"] == "mobile" for r in libraries())
    assert profiles.load_profile(con, "Bokbuss").categories["CIRC"] == 80
    logged = con.execute(
        "SELECT entity, entity_id, action FROM audit_log WHERE actor = 'tester' ORDER BY id"
    ).fetchall()
    assert logged == [
        ("weight_profile", "Bokbuss", "create"),
        ("stakeholder_group", "mobile", "create"),
    ]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"library_kind": "castle"}, "Unknown library kind"),
        ({"size_class": "huge"}, "Unknown size class"),
        ({"name_en": " "}, "needs an id and a name"),
        ({"profile_name": "Other"}, "The group's profile"),
    ],
)
def test_bad_groups_are_refused_and_nothing_is_written(change, message, con):
    log_before = con.execute("SELECT count(*) FROM audit_log").fetchone()
    fields = {"id": "x", "profile_name": "X", "name_nb": "X", "name_en": "X"} | change
    profile = profiles.WeightProfile("X", {"quality": 1}, {})
    with pytest.raises(InvalidWeights, match=message) as caught:
        save_stakeholder_group(con, StakeholderGroup(**fields), profile, actor="tester")
    assert caught.value.translated("nb") != caught.value.translated("en")
    assert gettext_for("nb", caught.value.message)
    assert con.execute("SELECT count(*) FROM audit_log").fetchone() == log_before
    assert "X" not in profiles.profile_names(con)
