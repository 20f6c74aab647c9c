"""People and roles from the command line, and the CLI acting as the person --actor names."""

from __future__ import annotations

import json

import pytest

from cli_people import ROLE_NAMES
from store import access
from tests.test_cli_tender import rows, run

ADMIN = "admin@tffk.no"


def test_the_role_names_are_the_stores():
    assert tuple(access.ROLES) == ROLE_NAMES


@pytest.fixture
def tender(tmp_path, capsys):
    """An empty tender: local mode, nobody on the list."""
    path = str(tmp_path / "tender.duckdb")
    assert run(capsys, "init", "--empty", "--name", "Biblioteksystem 2027", "--db", path)[0] == 0
    return path


@pytest.fixture
def enforced(tender, capsys):
    db = tender
    code, out, err = run(
        capsys, "people", "add", ADMIN.upper(), "--name", "Aslak Admin", "--role", "admin",
        "--db", db, "--json",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["roles"] == ["admin"]
    return db


def test_people_are_added_granted_listed_and_removed(enforced, capsys):
    db = enforced
    code, _, err = run(
        capsys, "people", "add", "styret@tffk.no", "--name", "Sigrun Styre",
        "--role", "steering_group", "--role", "observer", "--actor", ADMIN, "--db", db,
    )  # fmt: skip
    assert code == 0, err
    code, out, _ = run(capsys, "people", "grant", "styret@tffk.no", "working_group",
                       "--actor", ADMIN, "--db", db, "--json")  # fmt: skip
    assert code == 0 and json.loads(out)["changed"]
    code, out, _ = run(capsys, "people", "revoke", "styret@tffk.no", "observer",
                       "--actor", ADMIN, "--db", db)  # fmt: skip
    assert code == 0 and "revoked" in out
    code, out, _ = run(capsys, "people", "list", "--db", db, "--json")
    listed = json.loads(out)
    assert listed["enforced"]
    assert {p["id"]: p["roles"] for p in listed["people"]} == {
        ADMIN: ["admin"],
        "styret@tffk.no": ["working_group", "steering_group"],
    }
    code, _, _ = run(capsys, "people", "remove", "styret@tffk.no", "--reason", "Sluttet",
                     "--actor", ADMIN, "--db", db)  # fmt: skip
    assert code == 0
    assert rows(db, "SELECT removed FROM person WHERE id = 'styret@tffk.no'") == [(True,)]
    assert rows(db, "SELECT count(*) FROM person_role WHERE person_id = 'styret@tffk.no'") == [(0,)]


@pytest.mark.parametrize(
    "argv",
    [
        ("setting", "tender_name", "Nytt navn"),
        ("freeze",),
        ("vendors", "add", "nordlys", "--name", "Nordlys AS"),
        ("evaluators", "add", "kari", "--name", "Kari"),
        ("people", "add", "ny@tffk.no", "--name", "Ny"),
    ],
    ids=lambda argv: " ".join(argv[:2]),
)
def test_when_roles_are_enforced_the_cli_acts_only_as_a_person_allowed(enforced, capsys, argv):
    db = enforced
    before = rows(db, "SELECT count(*) FROM audit_log")
    for actor in (None, "styret@tffk.no"):
        options = ["--actor", actor] if actor else []
        code, out, err = run(capsys, *argv, *options, "--db", db)
        assert code == 2 and not out
        assert err.startswith("error: ") and "may change nothing" in err
    assert rows(db, "SELECT count(*) FROM audit_log") == before
    code, _, err = run(capsys, *argv, "--actor", ADMIN, "--db", db)
    assert code == 0, err
    assert rows(db, "SELECT actor FROM audit_log ORDER BY id DESC LIMIT 1") == [(ADMIN,)]


def test_in_local_mode_the_cli_acts_as_today(tender, capsys):
    code, _, err = run(capsys, "setting", "tender_name", "Nytt navn", "--db", tender)
    assert code == 0, err
    assert rows(tender, "SELECT actor FROM audit_log ORDER BY id DESC LIMIT 1") == [("cli",)]
