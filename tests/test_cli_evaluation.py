"""The CLI's freeze, model, setting and audit commands: in process through ``cli.main``
(fast), and once as a real process."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil

import duckdb
import pytest

from cli import main
from tests.test_cli import run


class Result:
    def __init__(self, returncode, stdout, stderr):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


@pytest.fixture
def cli(capsys):
    def call(*args):
        code = main(list(args))
        out = capsys.readouterr()
        return Result(code, out.out, out.err)

    return call


def copy(demo_db_template, tmp_path):
    path = tmp_path / "t.duckdb"
    shutil.copy(demo_db_template, path)
    return path


def test_freeze_then_a_model_setting_needs_a_reason(cli, demo_db_template, tmp_path):
    db = str(copy(demo_db_template, tmp_path))
    before = json.loads(cli("model", "--json", "--db", db).stdout)
    assert before["state"] == "open" and before["frozen"] is None

    out = cli("freeze", "--reason", "Før åpning", "--actor", "ingrid", "--json", "--db", db)
    assert out.returncode == 0, out.stderr
    frozen = json.loads(out.stdout)
    assert frozen["state"] == "matches"
    assert frozen["frozen"]["fingerprint"] == before["fingerprint"]
    assert frozen["frozen"]["by"] == "ingrid"
    assert cli("freeze", "--db", db).returncode == 2  # once only

    # As a real process: refused, with the reason on stderr and a non-zero exit.
    refused = run("setting", "price_model", "proportional", "--db", db)
    assert refused.returncode == 2 and "reason" in refused.stderr
    assert cli("setting", "price_model", "--db", db).stdout.strip() == "linear"
    not_the_model = cli("setting", "template_show_weights", "false", "--db", db)
    assert not_the_model.returncode == 0

    changed = cli("setting", "price_model", "proportional", "--reason", "Rettet", "--db", db)
    assert changed.returncode == 0, changed.stderr
    after = json.loads(cli("model", "--json", "--db", db).stdout)
    assert after["state"] == "changed" and after["changes_after_freeze"] == 1
    assert [h["event"] for h in after["history"]] == ["freeze", "change"]
    assert after["history"][1]["reason"] == "Rettet"


def test_the_fingerprint_is_the_sha256_of_the_model_json(cli, demo_db_template, tmp_path):
    path = copy(demo_db_template, tmp_path)
    fingerprint = json.loads(cli("model", "--json", "--db", str(path)).stdout)["fingerprint"]
    from store.db import open_database
    from store.freeze import model_json

    con = open_database(path)
    text = model_json(con)
    con.close()
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == fingerprint


def test_audit_filters_exports_and_verifies(cli, demo_db_template, tmp_path):
    path = copy(demo_db_template, tmp_path)
    db = str(path)
    cli("setting", "template_show_weights", "false", "--actor", "siiri", "--db", db)
    out = cli("audit", "--json", "--actor", "siiri", "--db", db)
    document = json.loads(out.stdout)
    assert document["chain"]["intact"]
    assert [e["actor"] for e in document["entries"]] == ["siiri"]

    target = tmp_path / "log.csv"
    assert cli("audit", "--csv", str(target), "--db", db).returncode == 0
    rows = list(csv.DictReader(io.StringIO(target.read_bytes().decode("utf-8-sig"))))
    assert rows[-1]["actor"] == "siiri" and len(rows[-1]["entry_hash"]) == 64

    assert cli("audit", "--verify", "--db", db).returncode == 0
    raw = duckdb.connect(db)
    raw.execute("UPDATE audit_log SET reason = 'rewritten' WHERE actor = 'siiri'")
    raw.close()
    broken = cli("audit", "--verify", "--json", "--db", db)
    assert broken.returncode == 1
    problems = json.loads(broken.stdout)["chain"]["problems"]
    assert [p["kind"] for p in problems] == ["altered"]


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("price_model", "fixed_range", "Unknown price model"),
        ("price_range_min_nok", "20000000", "P_min and P_max"),
        ("price_log_zero_multiple", "0.5", "between 1.5 and 3"),
        ("price_log_zero_multiple", "lots", "Not a number"),
        ("published_profile", "Nope", "no weight profile named"),
        ("contract_years", "0", "whole number of years"),
    ],
)
def test_setting_refuses_what_would_leave_the_procurement_unusable(
    cli, demo_db_template, tmp_path, key, value, message
):
    db = copy(demo_db_template, tmp_path)
    before = cli("setting", key, "--db", str(db)).stdout
    out = cli("setting", key, value, "--reason", "try", "--db", str(db))
    assert out.returncode != 0 and message in out.stderr
    assert cli("setting", key, "--db", str(db)).stdout == before
    assert cli("rank", "--json", "--db", str(db)).returncode == 0


def test_setting_accepts_a_complete_price_model(cli, demo_db_template, tmp_path):
    db = copy(demo_db_template, tmp_path)
    out = cli("setting", "price_model", "proportional", "--reason", "agreed", "--db", str(db))
    assert out.returncode == 0, out.stderr
    assert (
        json.loads(cli("rank", "--json", "--db", str(db)).stdout)["price_model"] == "proportional"
    )
