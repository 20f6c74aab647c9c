"""Schema, migrations, the demo dataset and the audit log."""

from __future__ import annotations

import csv
import unicodedata

import pytest

from demo import DEMO_DIR
from store import catalogue, db, evaluation, libraries, offers, profiles, summary
from store.db import (
    DEFAULT_DB_PATH,
    connect,
    default_db_path,
    latest_version,
    migrate,
    open_database,
    schema_version,
)
from store.errors import InvalidWeights, SchemaTooNew, UnknownProfile


def test_a_new_database_is_at_the_latest_schema_version():
    con = connect(":memory:")
    assert schema_version(con) == latest_version() >= 1
    assert migrate(con) == latest_version()  # applying again changes nothing


def test_a_database_from_a_newer_bibvalg_is_refused(tmp_path):
    path = tmp_path / "future.duckdb"
    con = connect(path)
    con.execute("INSERT INTO schema_version (version, name) VALUES (999, 'future')")
    con.close()
    with pytest.raises(SchemaTooNew):
        connect(path)


def test_default_path_and_environment_variable(monkeypatch, tmp_path):
    monkeypatch.delenv("BIBVALG_DB", raising=False)
    assert default_db_path() == DEFAULT_DB_PATH
    monkeypatch.setenv("BIBVALG_DB", str(tmp_path / "x.duckdb"))
    assert default_db_path() == tmp_path / "x.duckdb"


def rows(name):
    with (DEMO_DIR / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_demo_dataset_is_loaded_whole_on_first_start(tmp_path):
    path = tmp_path / "new.duckdb"
    con = open_database(path)
    assert path.exists()
    counts = summary.counts(con)
    assert counts.requirements == len(rows("requirements.csv"))
    assert counts.offers == 5
    assert 3 <= counts.evaluators <= 5
    assert counts.libraries == len(rows("libraries.csv"))
    assert len(evaluation.consensus(con)) == len(rows("consensus.csv"))
    assert profiles.published_profile_name(con) in profiles.profile_names(con)
    # Opening it again loads nothing twice.
    con.close()
    again = open_database(path)
    assert summary.counts(again) == counts


def test_the_catalogue_covers_every_category_and_kind():
    requirements = rows("requirements.csv")
    assert {r["category"] for r in requirements} >= {"LANG", "CAT", "CIRC", "INT", "FORM", "OPS"}
    assert {r["kind"] for r in requirements} >= {"M", "W"}
    ids = [r["id"] for r in requirements]
    assert len(ids) == len(set(ids))
    assert all(r["text_nb"] and r["text_en"] for r in requirements)


def test_sami_letters_survive_the_trip_into_the_database(con):
    names = set(libraries.libraries(con)["sami_name"])
    assert {"Kárášjohka", "Guovdageaidnu", "Porsáŋgu", "Romsa"} <= names
    texts = " ".join(catalogue.requirements(con)["text_nb"])
    for letter in "áčđŋšŧž":
        assert letter in texts
    assert all(unicodedata.is_normalized("NFC", t) for t in catalogue.requirements(con)["text_nb"])


def test_demo_vendors_are_distinct_and_one_fails_a_mandatory_requirement(con):
    checks = evaluation.mandatory_checks(con)
    assert (checks["outcome"] == "material_deviation").sum() >= 1
    assert offers.offers(con)["vendor_name"].is_unique


def test_evaluators_disagree(con):
    spread = con.execute(
        "SELECT max(score) - min(score) AS spread FROM score GROUP BY offer_id, requirement_id"
    ).df()["spread"]
    assert spread.max() >= 4
    means = con.execute("SELECT avg(score) FROM score GROUP BY evaluator_id").df().iloc[:, 0]
    assert means.max() - means.min() > 0.5


def test_saving_a_profile_writes_the_audit_log_with_old_and_new(con):
    before = profiles.load_profile(con, "Standard")
    changed = profiles.WeightProfile(
        name="Standard",
        criteria={**before.criteria, "price": 50.0},
        categories=before.categories,
        climate_justification="Klimakrav er dekket av kvalifikasjonskravene til drift.",
    )
    profiles.save_profile(con, changed, actor="tester")
    assert profiles.load_profile(con, "Standard").criteria["price"] == 50.0
    last = con.execute(
        "SELECT actor, action, entity, entity_id, old_value, new_value FROM audit_log"
        " ORDER BY id DESC LIMIT 1"
    ).fetchone()
    assert last[:4] == ("tester", "update", "weight_profile", "Standard")
    assert '"price": 30.0' in last[4] and '"price": 50.0' in last[5]


def test_the_published_profile_with_climate_under_30_per_cent_needs_a_justification(con):
    """FOA § 7-9: a refusal, not a warning, for the published profile; other profiles are
    what-ifs and may weigh as they like."""
    before = profiles.load_profile(con, "Standard")
    low = profiles.WeightProfile("Standard", {**before.criteria, "price": 50.0}, before.categories)
    log_before = con.execute("SELECT count(*) FROM audit_log").fetchone()
    with pytest.raises(InvalidWeights, match="FOA § 7-9") as refused:
        profiles.save_profile(con, low, actor="tester")
    assert "25 %" in str(refused.value)
    assert profiles.load_profile(con, "Standard") == before
    assert con.execute("SELECT count(*) FROM audit_log").fetchone() == log_before
    blank = profiles.WeightProfile(
        "Standard", low.criteria, low.categories, climate_justification="   "
    )
    with pytest.raises(InvalidWeights, match="FOA § 7-9"):
        profiles.save_profile(con, blank, actor="tester")
    profiles.save_profile(
        con,
        profiles.WeightProfile("Hva om", low.criteria, low.categories),
        actor="tester",
    )
    assert profiles.load_profile(con, "Hva om").criteria["price"] == 50.0


@pytest.mark.parametrize(
    "criteria",
    [{"quality": -1.0}, {"nonsense": 1.0}, {"quality": 0.0, "price": 0.0, "environment": 0.0}],
)
def test_bad_profiles_are_refused_and_nothing_is_written(criteria, con):
    log_before = con.execute("SELECT count(*) FROM audit_log").fetchone()
    with pytest.raises(InvalidWeights):
        profiles.save_profile(con, profiles.WeightProfile("Bad", criteria, {}), actor="tester")
    assert "Bad" not in profiles.profile_names(con)
    assert con.execute("SELECT count(*) FROM audit_log").fetchone() == log_before


def test_unknown_profile(con):
    with pytest.raises(UnknownProfile):
        profiles.load_profile(con, "nobody")


def test_a_failing_write_rolls_back_everything(con):
    before = con.execute("SELECT count(*) FROM weight_profile").fetchone()
    with pytest.raises(RuntimeError), db.transaction(con):
        con.execute("INSERT INTO weight_profile (name) VALUES ('half')")
        raise RuntimeError("interrupted")
    assert con.execute("SELECT count(*) FROM weight_profile").fetchone() == before
