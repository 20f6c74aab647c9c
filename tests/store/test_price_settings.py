"""The published price model and its settings: stored, validated, logged; migration 004."""

from __future__ import annotations

import csv
import json

import pytest

from analysis.inputs import load_inputs
from demo import DEMO_DIR
from scoring.price import PriceParameters
from store import audit, libraries
from store import settings as store_settings
from store.db import connect, migrations
from store.errors import InvalidPriceSettings


@pytest.fixture
def con(demo_con):
    return demo_con


def test_the_demo_publishes_linear_with_every_parameter(con):
    inputs = load_inputs(con)
    assert inputs.price_model == "linear"
    assert inputs.price_parameters == PriceParameters(
        price_min=6_000_000, price_max=15_000_000, zero_multiple=2.0, point_value=100_000
    )
    assert "price_floor_at_zero" not in store_settings.settings(con)


def test_publishing_a_model_writes_each_changed_setting_with_the_reason(con):
    before = len(audit.entries(con))
    history = len(store_settings.price_setting_history(con))  # the demo's own settings
    params = PriceParameters(
        price_min=6_000_000, price_max=14_000_000, zero_multiple=2.0, point_value=100_000
    )
    changed = store_settings.save_price_model(
        con, "fixed-range", params, actor="kari", reason="Vedtatt i arbeidsgruppa 3. mars"
    )
    assert sorted(changed) == ["price_model", "price_range_max_nok"]
    settings = store_settings.settings(con)
    assert settings["price_model"] == "fixed-range"
    assert settings["price_range_max_nok"] == "14000000"
    log = audit.entries(con).iloc[before:]
    assert log["entity_id"].tolist() == ["price_model", "price_range_max_nok"]
    assert set(log["actor"]) == {"kari"}
    assert set(log["reason"]) == {"Vedtatt i arbeidsgruppa 3. mars"}
    first = log.iloc[0]
    assert (json.loads(first["old_value"]), json.loads(first["new_value"])) == (
        "linear",
        "fixed-range",
    )
    assert load_inputs(con).price_parameters.price_max == 14_000_000
    assert len(store_settings.price_setting_history(con)) == history + 2


def test_saving_the_same_settings_again_logs_nothing(con):
    params = load_inputs(con).price_parameters
    before = len(audit.entries(con))
    assert (
        store_settings.save_price_model(con, "linear", params, actor="kari", reason="Ingen endring")
        == []
    )
    assert len(audit.entries(con)) == before


@pytest.mark.parametrize(
    "model, params, reason, message",
    [
        ("guesswork", PriceParameters(), "x", "Unknown price model"),
        ("linear", PriceParameters(), "   ", "Say why"),
        ("logarithmic", PriceParameters(zero_multiple=4), "x", "between 1.5 and 3"),
        ("fixed-range", PriceParameters(), "x", "needs P_min and P_max"),
        ("linear", PriceParameters(price_min=5, price_max=None), "x", "go together"),
        ("linear", PriceParameters(price_min=9, price_max=5), "x", "go together"),
        ("quality-pricing", PriceParameters(), "x", "needs V"),
        ("linear", PriceParameters(point_value=-1), "x", "above 0"),
    ],
)
def test_bad_price_settings_are_refused_and_nothing_is_written(con, model, params, reason, message):
    before_settings = store_settings.settings(con)
    before_log = len(audit.entries(con))
    with pytest.raises(InvalidPriceSettings, match=message):
        store_settings.save_price_model(con, model, params, actor="kari", reason=reason)
    assert store_settings.settings(con) == before_settings
    assert len(audit.entries(con)) == before_log


def test_price_errors_are_shown_in_norwegian():
    error = InvalidPriceSettings(
        "Say why the price model or its settings change: the reason is logged."
    )
    assert error.translated("nb").startswith("Skriv hvorfor")


def test_migration_004_folds_the_old_floor_setting_into_the_model_name():
    sql = next(text for version, _, text in migrations() if version == 4)
    con = connect(":memory:")
    con.execute("DELETE FROM setting")
    con.execute(
        "INSERT INTO setting VALUES ('price_model', 'linear'), ('price_floor_at_zero', 'false')"
    )
    con.execute(sql)
    assert store_settings.settings(con) == {"price_model": "linear-no-floor"}

    con.execute("DELETE FROM setting")
    con.execute(
        "INSERT INTO setting VALUES ('price_model', 'linear'), ('price_floor_at_zero', 'true')"
    )
    con.execute(sql)
    assert store_settings.settings(con) == {"price_model": "linear"}


def test_library_counts_match_the_demo_file(con):
    with (DEMO_DIR / "libraries.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    counts = libraries.library_counts(con)
    assert counts.libraries == len(rows)
    assert counts.branches == sum(int(r["branches"]) for r in rows)
    assert counts.school_libraries == sum(int(r["school_libraries"]) for r in rows)
