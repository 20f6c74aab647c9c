"""Award criteria and categories: added, renamed, re-weighted in the published profile and
retired through one checked, logged, all-or-nothing save; a new tender's catalogue started
from the demo's as a template."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.inputs import load_inputs, published_weights
from demo import catalogue_template
from store import catalogue, criteria, freeze
from store.db import connect
from store.errors import InvalidWeights, ModelFrozen
from store.profiles import load_profile
from tests.dbdump import dump, refused_unchanged


@pytest.fixture
def empty():
    con = connect(":memory:")
    yield con
    con.close()


def add_row(frame: pd.DataFrame, **values) -> pd.DataFrame:
    return pd.concat([frame, pd.DataFrame([values])], ignore_index=True)


def add_criterion(
    frame: pd.DataFrame, id: str, name_nb: str, name_en: str, weight: float
) -> pd.DataFrame:
    """The criteria table with one more criterion, in force and without a description."""
    return add_row(
        frame,
        id=id,
        name_nb=name_nb,
        name_en=name_en,
        description_nb="",
        description_en="",
        weight=weight,
        retired=False,
    )


JUSTIFIED = "Klima- og miljøkrav står som minstekrav i kravspesifikasjonen."


def log(con, entity):
    """The log's entries about an entity, but for the demo's own load."""
    return con.execute(
        "SELECT action, entity_id, old_value, new_value, reason FROM audit_log"
        " WHERE entity = ? AND actor <> 'demo' ORDER BY id",
        [entity],
    ).fetchall()


def problems_of(excinfo):
    return sorted((p.row, p.column, p.message) for p in excinfo.value.problems)


# --- the criteria table -----------------------------------------------------------------


def test_editable_criteria_carry_the_published_weights(con):
    table = criteria.editable_criteria(con)
    assert table["id"].tolist() == ["quality", "price", "environment"]
    assert table["weight"].tolist() == [40.0, 30.0, 30.0]  # demo/data/criteria.toml
    assert table.index.tolist() == [1, 2, 3]
    cats = criteria.editable_categories(con).set_index("id")
    assert cats.loc["LANG", "weight"] == 25.0 and cats.loc["ENV", "criterion_id"] == "environment"


def test_rename_and_reweight_write_the_criterion_and_the_published_profile(con):
    edited = criteria.editable_criteria(con)
    edited.loc[1, "name_en"] = "Quality of the solution"
    edited.loc[2, "weight"] = 25.0
    edited.loc[1, "weight"] = 45.0
    result = criteria.save_criteria(con, edited, actor="gruppa", reason="Høring")
    assert [(c.action, c.node_id) for c in result.criteria] == [
        ("update", "quality"),
        ("update", "price"),
    ]
    name = con.execute("SELECT name_en FROM award_criterion WHERE id = 'quality'").fetchone()
    assert name == ("Quality of the solution",)
    profile = load_profile(con, "Standard")
    assert profile.criteria == {"quality": 45.0, "price": 25.0, "environment": 30.0}
    entries = log(con, "award_criterion")
    assert [(a, i) for a, i, *_ in entries] == [("update", "quality"), ("update", "price")]
    old, new = json.loads(entries[1][2]), json.loads(entries[1][3])
    assert (old["weight"], new["weight"], entries[1][4]) == (30.0, 25.0, "Høring")
    assert log(con, "weight_profile")[-1][0] == "update"
    # The published weights the ranking uses now.
    assert published_weights(con).criteria["price"] == 25.0


def test_adding_a_criterion_and_a_category_under_it(con):
    crit = add_criterion(
        criteria.editable_criteria(con), "support", "Brukerstøtte", "Support", 10.0
    )
    # Climate and environment falls to 30 / 110 = 27.3 %: FOA § 7-9 asks for a reason.
    criteria.save_criteria(con, crit, actor="gruppa", climate_justification=JUSTIFIED)
    cats = add_row(
        criteria.editable_categories(con),
        id="HELP",
        criterion_id="support",
        name_nb="Hjelp",
        name_en="Help",
        weight=100.0,
        retired=False,
    )
    result = criteria.save_categories(con, cats, actor="gruppa")
    assert [(c.action, c.node_id) for c in result.categories] == [("add", "HELP")]
    assert catalogue.criteria(con)["id"].tolist()[-1] == "support"
    assert load_profile(con, "Standard").categories["HELP"] == 100.0
    assert [a for a, *_ in log(con, "category")] == ["add"]


def test_every_problem_of_the_criteria_table_is_listed_and_nothing_is_written(con):
    before = dump(con)
    edited = criteria.editable_criteria(con)
    edited["weight"] = edited["weight"].astype(object)
    edited.loc[1, "name_nb"] = "  "
    edited.loc[2, "weight"] = -3.0
    edited.loc[3, "weight"] = "mye"
    # "Quality": the same id as row 1, in other case.
    edited = add_criterion(edited.drop(index=2), "Quality", "X", "", 1.0)
    edited = add_criterion(edited, "med mellomrom", "Y", "Y", 1.0)
    with pytest.raises(criteria.ModelInvalid) as refused:
        criteria.save_criteria(con, edited, actor="gruppa")
    found = problems_of(refused)
    assert (1, "name_nb", "The name is empty.") in found
    assert (2, "weight", "The weight must be a number, zero or more, not “{weight}”.") in found
    assert (3, "id", "The id “{id}” is used more than once (also in row {other}).") in found
    assert (3, "name_en", "The name is empty.") in found
    assert (4, "id", "The id “{id}” may hold no spaces and at most {limit} characters.") in found
    assert (2, "id", criteria.MISSING_CRITERION) in found  # price was left out (row 2)
    assert len(found) == 6
    # The categories are checked against the criteria as edited, and say so in their table.
    assert [p.row for p in refused.value.by_table["categories"]] == []
    assert dump(con) == before


def test_criteria_that_all_weigh_zero_are_refused(con):
    edited = criteria.editable_criteria(con).assign(weight=0.0)
    with pytest.raises(criteria.ModelInvalid) as refused:
        criteria.save_criteria(con, edited, actor="gruppa")
    assert [p.column for p in refused.value.problems] == ["weight"]


def test_a_category_under_no_criterion_and_categories_weighing_nothing(con):
    before = dump(con)
    edited = criteria.editable_categories(con)
    edited.loc[1, "criterion_id"] = "nowhere"
    edited.loc[7, "weight"] = 0.0  # ENV, the only category of environment
    with pytest.raises(criteria.ModelInvalid) as refused:
        criteria.save_categories(con, edited, actor="gruppa")
    assert problems_of(refused) == [
        (1, "criterion_id", "There is no award criterion “{criterion}”."),
        (
            7,
            "weight",
            "The categories of award criterion {criterion} all weigh zero; at least one must "
            "weigh more.",
        ),
    ]
    assert dump(con) == before


# --- retiring ---------------------------------------------------------------------------


def test_a_category_with_requirements_in_force_cannot_be_retired(con):
    before = dump(con)
    edited = criteria.editable_categories(con)
    edited.loc[5, "retired"] = True  # FORM
    with pytest.raises(criteria.ModelInvalid) as refused:
        criteria.save_categories(con, edited, actor="gruppa")
    [problem] = refused.value.problems
    assert (problem.row, problem.column, problem.params["id"]) == (5, "retired", "FORM")
    assert dump(con) == before


def test_retiring_a_category_and_its_requirements_keeps_the_history(con):
    reqs = catalogue.editable(con)
    reqs.loc[reqs["category_id"] == "FORM", "retired"] = True
    cats = criteria.editable_categories(con)
    cats.loc[cats["id"] == "FORM", "retired"] = True
    result = criteria.save_model(con, categories=cats, requirements=reqs, actor="gruppa")
    assert [(c.action, c.node_id) for c in result.categories] == [("retire", "FORM")]
    assert result.version is not None
    # Still in the database with its weight; out of the tree the model ranks with.
    assert "FORM" in criteria.editable_categories(con)["id"].tolist()
    assert load_profile(con, "Standard").categories["FORM"] == 5.0
    assert "FORM" not in load_inputs(con).tree.categories["id"].tolist()
    # A requirement cannot come back into force in the retired category.
    reqs = catalogue.editable(con)
    reqs.loc[reqs["id"] == "FORM-01", "retired"] = False
    with pytest.raises(catalogue.CatalogueInvalid) as refused:
        catalogue.save_catalogue(con, reqs, actor="gruppa")
    assert [p.column for p in refused.value.problems] == ["category_id"]
    # Reinstated, it is back.
    cats = criteria.editable_categories(con)
    cats.loc[cats["id"] == "FORM", "retired"] = False
    result = criteria.save_categories(con, cats, actor="gruppa")
    assert [(c.action, c.node_id) for c in result.categories] == [("reinstate", "FORM")]
    assert [a for a, *_ in log(con, "category")] == ["retire", "reinstate"]


def test_a_criterion_with_categories_in_force_cannot_be_retired(con):
    edited = criteria.editable_criteria(con)
    edited.loc[3, "retired"] = True  # environment, with ENV in force
    with pytest.raises(criteria.ModelInvalid) as refused:
        criteria.save_criteria(con, edited, actor="gruppa")
    [problem] = refused.value.problems
    assert (problem.row, problem.column, problem.params["categories"]) == (3, "retired", "ENV")


def test_a_retired_criterion_leaves_the_model_and_changes_its_fingerprint(empty):
    template = catalogue_template()
    criteria.start_from_template(empty, template, actor="gruppa")
    before = freeze.current_fingerprint(empty)
    crit = criteria.editable_criteria(empty)
    crit = add_criterion(crit, "extra", "Ekstra", "Extra", 0.0)
    criteria.save_criteria(empty, crit, actor="gruppa")
    crit = criteria.editable_criteria(empty)
    crit.loc[crit["id"] == "extra", "retired"] = True
    criteria.save_criteria(empty, crit, actor="gruppa")
    assert "extra" not in catalogue.criteria(empty)["id"].tolist()
    assert "extra" in catalogue.criteria(empty, include_retired=True)["id"].tolist()
    snapshot = freeze.model_snapshot(empty)
    [extra] = [c for c in snapshot["award_criteria"] if c["id"] == "extra"]
    assert extra["retired"] is True
    assert all("retired" not in c for c in snapshot["award_criteria"] if c["id"] != "extra")
    assert freeze.current_fingerprint(empty) != before


# --- the freeze -------------------------------------------------------------------------


def test_after_the_freeze_a_change_needs_a_reason_and_is_recorded_once(con):
    freeze.freeze_model(con, actor="gruppa")
    edited = criteria.editable_criteria(con)
    edited.loc[1, "weight"] = 35.0  # quality; climate and environment stays above 30 %
    with refused_unchanged(con, ModelFrozen):
        criteria.save_criteria(con, edited, actor="gruppa")
    criteria.save_criteria(con, edited, actor="gruppa", reason="Klagenemnda")
    history = freeze.history(con)
    assert history["event"].tolist() == ["freeze", "change"]
    assert history["reason"].tolist()[-1] == "Klagenemnda"
    assert freeze.status(con).state == "changed"


def test_an_unchanged_table_writes_nothing(con):
    before = dump(con)
    result = criteria.save_model(
        con,
        criteria=criteria.editable_criteria(con),
        categories=criteria.editable_categories(con),
        requirements=catalogue.editable(con),
        actor="gruppa",
    )
    assert not result.changed
    assert dump(con) == before


# --- starting a new tender's catalogue --------------------------------------------------


def test_an_empty_tender_starts_from_the_demo_catalogue_through_the_store(empty):
    assert criteria.is_empty(empty)
    result = criteria.start_from_template(empty, catalogue_template(), actor="gruppa")
    assert result.counts() == {
        "criteria": 3,
        "categories": 7,
        "requirements": 52,
        "price_lines": 10,  # demo/data/price_lines.csv
    }
    assert result.version is not None and result.version.version == 1
    assert load_profile(empty, "Standard").criteria == {
        "quality": 40.0,
        "price": 30.0,
        "environment": 30.0,
    }
    assert dict(empty.execute("SELECT key, value FROM setting").fetchall()) == {
        "published_profile": "Standard"
    }
    # Each one logged, as any edit is.
    counts = dict(
        empty.execute(
            "SELECT entity, count(*) FROM audit_log WHERE action = 'add' GROUP BY entity"
        ).fetchall()
    )
    assert counts == {"award_criterion": 3, "category": 7, "requirement": 52, "price_line": 10}


def test_a_template_is_refused_once_the_catalogue_holds_anything(con):
    with refused_unchanged(con, criteria.CatalogueNotEmpty):
        criteria.start_from_template(con, catalogue_template(), actor="gruppa")


def test_an_empty_tender_adds_its_first_criterion_and_gets_a_published_profile(empty):
    crit = add_criterion(criteria.editable_criteria(empty), "quality", "Kvalitet", "Quality", 70.0)
    # Without a criterion "environment", climate and environment weighs 0 %: FOA § 7-9.
    with pytest.raises(InvalidWeights, match="0 %"):
        criteria.save_criteria(empty, crit, actor="gruppa")
    criteria.save_criteria(empty, crit, actor="gruppa", climate_justification=JUSTIFIED)
    assert load_profile(empty, criteria.PUBLISHED_PROFILE_DEFAULT).criteria == {"quality": 70.0}
    assert criteria.editable_criteria(empty)["weight"].tolist() == [70.0]


def test_the_demo_loads_its_catalogue_through_the_same_functions(con):
    logged = dict(
        con.execute(
            "SELECT entity, count(*) FROM audit_log WHERE actor = 'demo' AND action = 'add'"
            " GROUP BY entity"
        ).fetchall()
    )
    assert logged == {"award_criterion": 3, "category": 7, "requirement": 52, "price_line": 10}
    assert criteria.editable_criteria(con)["weight"].tolist() == [40.0, 30.0, 30.0]


# --- FOA § 7-9: climate and environment under 30 % only with a justification -----------


def test_climate_under_30_percent_is_saved_from_the_criteria_table_only_with_a_justification(
    con,
):
    table = criteria.editable_criteria(con)
    table.loc[table["id"] == "environment", "weight"] = 10.0  # 10 / (40 + 30 + 10) = 12.5 %
    before = dump(con)
    for justification in (None, "", "   "):
        with pytest.raises(InvalidWeights, match=r"12\.5 %.*FOA § 7-9"):
            criteria.save_criteria(con, table, actor="gruppa", climate_justification=justification)
        assert dump(con) == before
    criteria.save_criteria(
        con, table, actor="gruppa", climate_justification=" Miljøkrav står i kravspesifikasjonen. "
    )
    profile = load_profile(con, "Standard")
    assert profile.criteria["environment"] == 10.0
    assert profile.climate_justification == "Miljøkrav står i kravspesifikasjonen."


def test_a_new_criterion_that_dilutes_climate_needs_a_justification_too(con):
    # 30 of 40 + 30 + 30 + 20 is 25 %.
    table = add_criterion(criteria.editable_criteria(con), "support", "Støtte", "Support", 20.0)
    with refused_unchanged(con, InvalidWeights, match="25 %"):
        criteria.save_criteria(con, table, actor="gruppa")


def test_30_percent_or_more_needs_no_justification(con):
    table = criteria.editable_criteria(con)
    table.loc[table["id"] == "environment", "weight"] = 35.0
    criteria.save_criteria(con, table, actor="gruppa")
    assert load_profile(con, "Standard").criteria["environment"] == 35.0
