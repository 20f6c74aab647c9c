"""Freezing the evaluation model: fingerprint, refusal without a reason, history."""

from __future__ import annotations

import hashlib

import pytest

from store import audit, db, freeze, profiles, settings
from store.db import open_database
from store.errors import ModelAlreadyFrozen, ModelFrozen
from tests.dbdump import raw_edit


@pytest.fixture
def con(demo_con):
    return demo_con


def changed_standard(con, price):
    """The published profile with another price weight; with price over 30 of the demo's
    100, climate and environment falls under 30 %, so it carries the justification."""
    before = profiles.load_profile(con, "Standard")
    return profiles.WeightProfile(
        name="Standard",
        criteria={**before.criteria, "price": float(price)},
        categories=before.categories,
        climate_justification="Klimakrav er dekket av kvalifikasjonskravene til drift.",
    )


def test_the_fingerprint_is_the_sha256_of_the_canonical_model_json(con):
    text = freeze.model_json(con)
    assert freeze.current_fingerprint(con) == hashlib.sha256(text.encode()).hexdigest()
    # The same demo built twice gives the same fingerprint.
    assert freeze.current_fingerprint(open_database(":memory:")) == freeze.current_fingerprint(con)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE requirement SET weight = weight + 1 WHERE id = 'LANG-04'",
        "UPDATE requirement SET text_nb = text_nb || '.' WHERE id = 'LANG-01'",
        "UPDATE requirement SET kind = 'I' WHERE id = 'FORM-04'",
        "UPDATE requirement SET retired = true WHERE id = 'FORM-04'",
        "UPDATE category SET name_en = 'Languages' WHERE id = 'LANG'",
        "UPDATE award_criterion SET description_nb = 'x' WHERE id = 'price'",
        "UPDATE setting SET value = 'proportional' WHERE key = 'price_model'",
        "UPDATE setting SET value = '5' WHERE key = 'contract_years'",
        "UPDATE weight_profile_item SET weight = 31 WHERE profile_name = 'Standard'"
        " AND node_id = 'price'",
        "UPDATE weight_profile SET climate_justification = 'x' WHERE name = 'Standard'",
    ],
)
def test_everything_in_the_model_moves_the_fingerprint(con, sql):
    before = freeze.current_fingerprint(con)
    con.execute(sql)
    assert freeze.current_fingerprint(con) != before


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE requirement SET sort_order = 100 - sort_order",
        "UPDATE consensus SET score = 0",
        "UPDATE score SET score = 10",
        "INSERT INTO setting VALUES ('note', 'not part of the model')",
        "INSERT INTO weight_profile (name) VALUES ('Test')",
    ],
)
def test_what_is_not_the_model_leaves_the_fingerprint_alone(con, sql):
    before = freeze.current_fingerprint(con)
    con.execute(sql)
    assert freeze.current_fingerprint(con) == before


def test_freezing_records_fingerprint_time_and_who_once(con):
    value = freeze.freeze_model(con, actor="ingrid", reason="Før tilbudsåpning")
    status = freeze.status(con)
    assert status.state == "matches" and status.current == value
    assert status.freeze is not None and status.freeze.frozen_by == "ingrid"
    history = freeze.history(con)
    assert history["event"].tolist() == ["freeze"]
    assert history["fingerprint"].tolist() == [value]
    with pytest.raises(ModelAlreadyFrozen):
        freeze.freeze_model(con, actor="ingrid")
    last = audit.entries(con).iloc[-1]
    assert (last["action"], last["entity"]) == ("freeze", "evaluation_model")
    assert last["actor"] == "ingrid"


def test_a_change_after_the_freeze_without_a_reason_is_refused_and_nothing_changes(con):
    freeze.freeze_model(con, actor="ingrid")
    log_before = len(audit.entries(con))
    with pytest.raises(ModelFrozen):
        profiles.save_profile(con, changed_standard(con, 50), actor="ingrid")
    with pytest.raises(ModelFrozen):
        profiles.save_profile(con, changed_standard(con, 50), actor="ingrid", reason="   ")
    with pytest.raises(ModelFrozen):
        settings.set_setting(con, "price_model", "proportional", actor="ingrid")
    with pytest.raises(ModelFrozen):
        settings.set_setting(con, "published_profile", "Other", actor="ingrid")
    assert profiles.load_profile(con, "Standard").criteria["price"] == 30.0
    assert settings.settings(con)["price_model"] == "linear"
    assert len(audit.entries(con)) == log_before
    assert freeze.status(con).state == "matches"


def test_a_change_after_the_freeze_with_a_reason_is_applied_logged_and_in_the_history(con):
    frozen_value = freeze.freeze_model(con, actor="ingrid")
    reason = "Klagenemnda: prisvekten må rettes før åpning"
    profiles.save_profile(con, changed_standard(con, 50), actor="ingrid", reason=reason)
    assert profiles.load_profile(con, "Standard").criteria["price"] == 50.0

    history = freeze.history(con)
    assert history["event"].tolist() == ["freeze", "change"]
    assert history["reason"].tolist()[1] == reason
    assert history["fingerprint"].tolist()[1] == freeze.current_fingerprint(con) != frozen_value
    recorded = freeze.recorded_model_json(con, int(history["id"].iloc[1]))
    assert hashlib.sha256(recorded.encode()).hexdigest() == history["fingerprint"].iloc[1]

    log = audit.entries(con)
    profile_entry = log[log["entity"] == "weight_profile"].iloc[-1]
    assert profile_entry["reason"] == reason
    change = log[log["action"] == "change_after_freeze"].iloc[-1]
    assert change["reason"] == reason
    assert frozen_value in change["old_value"]

    status = freeze.status(con)
    assert (status.state, status.changes) == ("changed", 1)


def test_settings_outside_the_model_and_other_profiles_need_no_reason(con):
    freeze.freeze_model(con, actor="ingrid")
    settings.set_setting(con, "template_show_weights", "false", actor="ingrid")
    other = profiles.WeightProfile("Skolebibliotekene", {"quality": 1.0}, {"LANG": 1.0})
    profiles.save_profile(con, other, actor="siiri")
    assert freeze.status(con).state == "matches"
    settings.set_setting(con, "contract_years", "5", actor="ingrid", reason="Forlenget periode")
    assert freeze.status(con).changes == 1


def test_a_change_made_outside_bibvalg_shows_as_unrecorded(demo_db):
    path = demo_db
    con = open_database(path)
    freeze.freeze_model(con, actor="ingrid")
    con.close()
    raw_edit(path, "UPDATE requirement SET weight = 9 WHERE id = 'LANG-04'")
    assert freeze.status(open_database(path)).state == "unrecorded"


def test_the_model_change_guard_covers_any_change_inside_a_transaction(con):
    """The one guard a catalogue editor wraps its writes in."""
    freeze.freeze_model(con, actor="ingrid")
    with (
        pytest.raises(ModelFrozen),
        db.transaction(con),
        freeze.model_change(con, actor="ingrid", reason=""),
    ):
        con.execute("UPDATE requirement SET weight = 9 WHERE id = 'LANG-04'")
    assert freeze.status(con).state == "matches"
    # record_model_change alone also refuses a change that moved the fingerprint.
    with pytest.raises(ModelFrozen), db.transaction(con):
        con.execute("UPDATE requirement SET weight = 9 WHERE id = 'LANG-04'")
        freeze.record_model_change(con, actor="ingrid", reason="")
    assert freeze.status(con).state == "matches"
    with db.transaction(con), freeze.model_change(con, actor="ingrid", reason="Rettet vekt"):
        con.execute("UPDATE requirement SET weight = 9 WHERE id = 'LANG-04'")
    assert freeze.status(con).state == "changed"


def test_the_model_lists_its_settings_and_scales(con):
    model = freeze.model_snapshot(con)
    assert model["settings"]["price_model"] == "linear"
    assert "demo" not in model["settings"]
    assert model["scales"]["evaluator_score"] == {"min": 0, "max": 10.0}
    assert model["weights"]["profile"] == profiles.published_profile_name(con)
    assert settings.PUBLISHED_PROFILE_KEY in freeze.MODEL_SETTING_KEYS
