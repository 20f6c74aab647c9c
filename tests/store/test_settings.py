"""Settings: only the keys bibvalg reads can be set; a typo is refused, not stored."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

import cli
from store import audit, freeze, settings
from store.errors import UnknownSetting
from vendors import responses

ROOT = Path(__file__).resolve().parents[2]


def log_size(con) -> int:
    return int(con.execute("SELECT count(*) FROM audit_log").fetchone()[0])


@pytest.mark.parametrize("key", ["contract_year", "Contract_years", "price_modell", "note", ""])
def test_an_unknown_key_is_refused_and_nothing_is_stored(con, key):
    before, entries = settings.settings(con), log_size(con)
    with pytest.raises(UnknownSetting) as refused:
        settings.set_setting(con, key, "9", actor="ingrid", reason="typo")
    assert f"“{key}”" in str(refused.value) and "contract_years" in str(refused.value)
    assert settings.settings(con) == before and log_size(con) == entries


def test_an_unknown_key_is_refused_on_a_frozen_model_too(con):
    freeze.freeze_model(con, actor="ingrid")
    with pytest.raises(UnknownSetting):
        settings.set_setting(con, "contract_year", "9", actor="ingrid", reason="typo")
    assert "contract_year" not in settings.settings(con)
    assert freeze.status(con).state == "matches" and audit.verify(con).intact


def test_the_refusal_is_translated(con):
    with pytest.raises(UnknownSetting) as refused:
        settings.set_setting(con, "contract_year", "9", actor="ingrid")
    norwegian = refused.value.translated("nb")
    assert "contract_year" in norwegian and norwegian != str(refused.value)


def test_a_known_key_still_changes(con):
    settings.set_setting(con, responses.SHOW_WEIGHTS_SETTING, "false", actor="ingrid")
    settings.set_setting(con, "contract_years", "5", actor="ingrid", reason="longer")
    assert settings.settings(con)["contract_years"] == "5"


def test_the_cli_refuses_a_typo(demo_db, capsys):
    assert cli.main(["setting", "contract_year", "9", "--db", str(demo_db)]) != 0
    assert "contract_year" in capsys.readouterr().err


def test_every_setting_the_code_reads_or_writes_is_known():
    read = re.compile(r"""settings?(?:\(\w*\))?(?:\.get\(|\[)\s*["']([a-z_]+)["']""")
    found = set()
    for folder in ("store", "analysis", "ui", "pages", "scoring", "vendors", "demo"):
        for path in (ROOT / folder).rglob("*.py"):
            found |= set(read.findall(path.read_text(encoding="utf-8")))
    assert found >= {"published_profile", "contract_years", "price_model", "demo"}
    demo = tomllib.loads((ROOT / "demo" / "data" / "criteria.toml").read_text("utf-8"))
    found |= set(demo["settings"]) | {responses.SHOW_WEIGHTS_SETTING}
    assert found - settings.KNOWN_SETTINGS == set()
