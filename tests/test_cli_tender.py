"""A real tender set up from the command line alone: the same functions as the Oppsett page."""

from __future__ import annotations

import json

import duckdb
import pytest

from demo import DEMO_DIR
from tests.cli_run import run


@pytest.fixture
def db(tmp_path, capsys):
    path = tmp_path / "tender.duckdb"
    code, _, _ = run(
        capsys,
        "init",
        "--empty",
        "--name",
        "Biblioteksystem 2027",
        "--contract-years",
        "5",
        "--db",
        str(path),
    )
    assert code == 0
    return str(path)


def rows(path, sql):
    con = duckdb.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_init_sets_up_the_named_tender(db):
    settings = dict(rows(db, "SELECT key, value FROM setting"))
    assert settings["tender_name"] == "Biblioteksystem 2027"
    assert settings["contract_years"] == "5"
    assert rows(db, "SELECT count(*) FROM offer") == [(0,)]


def test_init_refuses_a_name_for_the_demo(tmp_path, capsys):
    code, _, err = run(capsys, "init", "--name", "X", "--db", str(tmp_path / "x.duckdb"))
    assert code == 2 and "--empty" in err
    assert not (tmp_path / "x.duckdb").exists()


def test_vendors_evaluators_and_libraries_from_the_command_line(db, capsys, tmp_path):
    def add_nordlys(*options):
        return run(
            capsys, "vendors", "add", "nordlys", "--name", "Nordlys AS", *options, "--db", db
        )

    code, _, err = add_nordlys("--org-number", "974760674")
    assert code == 2 and "organisation number" in err and len(err.splitlines()) == 1
    code, _, _ = add_nordlys(
        "--org-number", "974 760 673", "--offer", "nordlys-1", "--product", "Nordlys 5"
    )
    assert code == 0
    assert rows(db, "SELECT id, vendor_id, product FROM offer") == [
        ("nordlys-1", "nordlys", "Nordlys 5")
    ]
    code, out, _ = run(
        capsys,
        "evaluators",
        "add",
        "risten",
        "--name",
        "Risten Márjá Eira",
        "--declaration",
        "none",
        "--db",
        db,
        "--json",
    )
    assert code == 0 and json.loads(out)["declared_on"]
    code, _, _ = run(capsys, "libraries", "import", str(DEMO_DIR / "libraries.csv"), "--db", db)
    assert code == 0
    assert rows(db, "SELECT count(*) FROM library") == [(46,)]


def test_a_bad_library_list_exits_1_with_every_problem(db, capsys, tmp_path):
    bad = tmp_path / "bad.csv"
    lines = (DEMO_DIR / "libraries.csv").read_text(encoding="utf-8").splitlines()[:3]
    lines[2] = lines[2].replace(",public,", ",museum,")
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run(capsys, "libraries", "import", str(bad), "--db", db, "--lang", "en")
    assert code == 1
    assert "Row 3, column kind" in err
    assert rows(db, "SELECT count(*) FROM library") == [(0,)]


def test_status_and_opening(db, capsys):
    code, out, _ = run(capsys, "status", "--db", db, "--json")
    assert code == 0
    document = json.loads(out)
    assert document["stage"] == "specification"
    code, _, err = run(capsys, "open-offers", "--db", db)
    assert code == 2 and "Freeze" in err
    code, _, _ = run(capsys, "freeze", "--db", db)
    assert code == 0
    code, out, _ = run(capsys, "open-offers", "--db", db, "--json")
    assert code == 0 and json.loads(out)["round"] == 1
