"""The catalogue workbook and the demo template from the command line."""

from __future__ import annotations

import io
import json

import duckdb
import pytest
from openpyxl import load_workbook

from tender_files.catalogue_workbook import SHEETS
from tests.cli_run import run
from tests.dbdump import dump_file


@pytest.fixture
def empty_db(tmp_path, capsys):
    path = tmp_path / "tender.duckdb"
    assert run(capsys, "init", "--empty", "--name", "Anbud 2027", "--db", str(path))[0] == 0
    return str(path)


def test_export_then_import_changes_nothing(demo_db, tmp_path, capsys):
    out = tmp_path / "katalog.xlsx"
    code, stdout, _ = run(capsys, "catalogue", "export", str(out), "--db", str(demo_db), "--json")
    assert code == 0
    assert json.loads(stdout) == {
        "file": str(out),
        "criteria": 3,
        "categories": 7,
        "requirements": 52,
        "price_lines": 10,
    }
    before = dump_file(demo_db)
    code, stdout, _ = run(capsys, "catalogue", "import", str(out), "--db", str(demo_db))
    assert code == 0 and "nothing changed" in stdout
    assert dump_file(demo_db) == before


def test_an_empty_tender_from_the_demo_template_then_from_a_workbook(empty_db, tmp_path, capsys):
    code, stdout, _ = run(capsys, "catalogue", "from-demo", "--db", empty_db, "--json")
    assert code == 0
    assert json.loads(stdout)["requirements"] == 52
    # Twice is refused: the catalogue is no longer empty.
    code, stdout, err = run(capsys, "catalogue", "from-demo", "--db", empty_db)
    assert code == 2 and stdout == "" and err.startswith("error: ")
    # Its workbook starts another tender.
    book = tmp_path / "k.xlsx"
    assert run(capsys, "catalogue", "export", str(book), "--db", empty_db)[0] == 0
    other = str(tmp_path / "other.duckdb")
    assert run(capsys, "init", "--empty", "--db", other)[0] == 0
    code, stdout, _ = run(capsys, "catalogue", "import", str(book), "--db", other, "--json")
    assert code == 0
    assert json.loads(stdout) == {
        "accepted": True,
        "changed": True,
        "criteria": 3,
        "categories": 7,
        "requirements": 52,
        "price_lines": 10,
        "catalogue_version": 1,
    }


def test_a_refused_workbook_lists_its_problems_and_changes_nothing(demo_db, tmp_path, capsys):
    book = tmp_path / "k.xlsx"
    run(capsys, "catalogue", "export", str(book), "--db", str(demo_db))
    wb = load_workbook(book)
    wb[SHEETS["requirements"]]["C3"] = "X"
    wb[SHEETS["categories"]]["E2"] = "=10*2"
    wb.save(book)
    before = dump_file(demo_db)
    code, stdout, err = run(
        capsys, "catalogue", "import", str(book), "--db", str(demo_db), "--lang", "en"
    )
    assert code == 1 and stdout == ""
    lines = err.splitlines()
    assert lines[0] == (
        "k.xlsx: Sheet “Kategorier – Categories”, row 2, column E: The cell holds a formula; "
        "write the value itself."
    )
    assert lines[1].startswith("k.xlsx: Sheet “Krav – Requirements”, row 3, column C: The type")
    assert lines[-1] == "error: The file k.xlsx was not imported: 2 problem(s) to fix."
    assert dump_file(demo_db) == before


def test_after_the_freeze_an_import_needs_a_reason(demo_db, tmp_path, capsys):
    book = tmp_path / "k.xlsx"
    run(capsys, "catalogue", "export", str(book), "--db", str(demo_db))
    assert run(capsys, "freeze", "--db", str(demo_db))[0] == 0
    wb = load_workbook(book)
    wb[SHEETS["criteria"]]["F2"] = 35  # quality; climate stays above 30 %
    wb.save(book)
    code, _, err = run(capsys, "catalogue", "import", str(book), "--db", str(demo_db))
    assert code == 2 and "reason" in err
    code, stdout, _ = run(
        capsys,
        "catalogue",
        "import",
        str(book),
        "--db",
        str(demo_db),
        "--reason",
        "Vedtak",
        "--actor",
        "kari",
        "--json",
    )
    assert code == 0 and json.loads(stdout)["criteria"] == 1
    con = duckdb.connect(str(demo_db))
    try:
        rows = con.execute(
            "SELECT actor, reason FROM audit_log WHERE entity = 'award_criterion'"
            " AND action = 'update'"
        ).fetchall()
    finally:
        con.close()
    assert rows == [("kari", "Vedtak")]


def test_a_file_that_is_not_a_workbook(empty_db, tmp_path, capsys):
    bad = tmp_path / "k.xlsx"
    bad.write_bytes(io.BytesIO(b"not a zip").getvalue())
    code, _, err = run(capsys, "catalogue", "import", str(bad), "--db", empty_db, "--lang", "en")
    assert code == 1 and "not an Excel workbook" in err
