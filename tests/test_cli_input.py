"""The input round's commands in process: a workbook out (the library recorded as sent),
back in (one file or many, exit status 1 when any is refused), the status against a
constructed round, what the libraries said, and a proposal declined."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook

from tender_files import input_workbook as iw
from tests.cli_run import run
from tests.dbdump import dump_file, query


def cli(capsys, path, *argv):
    """``run`` with ``--db path`` (which follows the command)."""
    return run(capsys, *argv, "--db", path)


@pytest.fixture
def db(demo_db):
    """The path of a private copy of the demo database, as the commands' ``--db`` takes it."""
    return str(demo_db)


@pytest.fixture
def empty(tmp_path, capsys):
    """A real tender with the demo's catalogue and libraries, and nobody asked yet."""
    path = str(tmp_path / "tender.duckdb")
    assert cli(capsys, path, "init", "--empty", "--name", "Prøve")[0] == 0
    assert cli(capsys, path, "catalogue", "from-demo")[0] == 0
    assert cli(capsys, path, "libraries", "import", "demo/data/libraries.csv")[0] == 0
    return path


def _fill(path, importance, *, cell="F3"):
    wb = load_workbook(path)
    wb[iw.SHEET_PRIORITIES][cell] = importance
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(buffer.getvalue())


def test_a_workbook_goes_out_and_comes_back_twice(empty, tmp_path, capsys):
    out = tmp_path / "tana.xlsx"
    status, text, _ = cli(
        capsys, empty, "input", "template", "--library", "tana-folkebibliotek", str(out),
        "--actor", "kari", "--json",
    )  # fmt: skip
    assert status == 0 and json.loads(text)["library"] == "tana-folkebibliotek"
    assert query(empty, "SELECT library_id, sent_by, how FROM library_input_sent") == [
        ("tana-folkebibliotek", "kari", "template")
    ]
    _fill(out, 4)
    status, text, _ = cli(capsys, empty, "input", "import", str(out), "--json")
    assert status == 0
    assert json.loads(text)["files"][0]["answer_number"] == 1
    _fill(out, 1)
    assert cli(capsys, empty, "input", "import", str(out))[0] == 0
    assert query(
        empty,
        "SELECT answer_number, item_id, importance FROM library_priority ORDER BY answer_number",
    ) == [(1, "LANG", 4), (2, "LANG", 1)]
    status, text, _ = cli(capsys, empty, "input", "results", "--by", "sami_area", "--json")
    said = json.loads(text)
    assert said["answered"] == 1 and said["libraries"] == 46
    assert [(r["item_id"], r["n_1"], r["mean"]) for r in said["overall"]] == [("LANG", 1, 1.0)]
    log = query(
        empty,
        "SELECT action, entity_id FROM audit_log WHERE entity = 'library_input' ORDER BY id",
    )
    assert log == [("send", "tana-folkebibliotek"), ("import", "tana-folkebibliotek"),
                   ("import", "tana-folkebibliotek")]  # fmt: skip


def test_many_files_at_once_each_all_or_nothing_and_exit_status_1(empty, tmp_path, capsys):
    good, bad = tmp_path / "alta.xlsx", tmp_path / "vardo.xlsx"
    for library, path in (("alta-folkebibliotek", good), ("vardo-folkebibliotek", bad)):
        assert cli(capsys, empty, "input", "template", "--library", library,
                   str(path))[0] == 0  # fmt: skip
    _fill(good, 3)
    _fill(bad, "viktig")
    status, text, err = cli(
        capsys, empty, "input", "import", str(good), str(bad), "--lang", "en", "--json"
    )
    assert status == 1
    document = json.loads(text)
    assert (document["imported"], document["refused"]) == (1, 1)
    assert "vardo.xlsx: Sheet “Prioritering – Priorities”, row 3, column F" in err
    assert query(empty, "SELECT DISTINCT library_id FROM library_answer") == [
        ("alta-folkebibliotek",)
    ]


def test_the_status_against_a_constructed_round(empty, tmp_path, capsys):
    assert cli(capsys, empty, "input", "mark-sent", "nesseby-folkebibliotek",
               "vgs-tromso")[0] == 0  # fmt: skip
    out = tmp_path / "karasjok.xlsx"
    cli(capsys, empty, "input", "template", "--library", "karasjok-folkebibliotek", str(out))
    _fill(out, 4)
    cli(capsys, empty, "input", "import", str(out))
    status, text, _ = cli(capsys, empty, "input", "status", "--json")
    document = json.loads(text)
    given = {r["library"]: r["status"] for r in document["libraries"]}
    expected = {library: "not_sent" for library in given}
    expected.update({"nesseby-folkebibliotek": "sent", "vgs-tromso": "sent",
                     "karasjok-folkebibliotek": "answered"})  # fmt: skip
    assert given == expected
    assert document["counts"] == {"not_sent": 43, "sent": 2, "answered": 1}
    waiting = document["not_heard_from"]
    assert "karasjok-folkebibliotek" not in waiting["Finnmark"]
    assert len(waiting["Finnmark"]) == 21 and len(waiting["Troms"]) == 24  # of 22 and 24


def test_a_refused_decision_changes_nothing_and_a_decline_is_kept(db, capsys):
    before = dump_file(db)
    status, _, err = cli(capsys, db, "input", "decline", "1", "--reason", " ")
    assert status == 2 and "reason" in err
    assert dump_file(db) == before
    status, text, _ = cli(capsys, db, "input", "proposals", "--json")
    first = json.loads(text)["proposals"][0]
    assert first["status"] == "open"
    assert cli(capsys, db, "input", "decline", str(first["id"]), "--reason", "Dekket")[0] == 0
    assert query(db, "SELECT status, reason FROM library_proposal WHERE id = ?", [first["id"]]) == [
        ("declined", "Dekket")
    ]
