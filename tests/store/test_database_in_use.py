"""A database file another program holds: a named error, exit status 3, a calm page."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cli import EXIT_DATABASE_IN_USE, main
from store.db import connect
from store.errors import BibvalgError, DatabaseInUse
from tests.locking import held_by_another_process

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def db_file(tmp_path):
    path = tmp_path / "busy.duckdb"
    connect(path).close()
    return path


def test_connect_says_the_database_is_in_use(db_file):
    with held_by_another_process(db_file), pytest.raises(DatabaseInUse) as caught:
        connect(db_file)
    assert isinstance(caught.value, BibvalgError)
    assert "in use by another program" in str(caught.value)
    norwegian = caught.value.translated("nb")
    assert "i bruk" in norwegian and "\n" not in norwegian
    connect(db_file).close()  # free again once the other program is done


@pytest.mark.parametrize("command", [["audit", "--verify"], ["model"]])
def test_the_cli_says_so_in_one_line_with_its_own_exit_status(db_file, capsys, command):
    with held_by_another_process(db_file):
        status = main([*command, "--db", str(db_file)])
    err = capsys.readouterr().err
    assert status == EXIT_DATABASE_IN_USE == 3
    assert len(err.strip().splitlines()) == 1
    assert "i bruk av et annet program" in err
    assert "Traceback" not in err and "IO Error" not in err


def test_the_app_shows_a_calm_message_with_a_retry(db_file, monkeypatch):
    monkeypatch.setenv("BIBVALG_DB", str(db_file))
    with held_by_another_process(db_file):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
        assert not at.exception
        assert any("i bruk av et annet program" in e.value for e in at.error)
        retry = [b for b in at.button if b.label == "Prøv igjen"]
        assert retry
    retry[0].click().run()
    assert not at.exception
    assert not at.error
