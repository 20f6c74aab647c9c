"""`make run` builds the demo database before the server starts, when the file is missing
(``cli.py init --if-missing``), and leaves an existing file alone."""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb

from tests.cli_run import run
from tests.dbdump import dump_file

ROOT = Path(__file__).resolve().parents[1]


def _run_recipe() -> list[str]:
    """The commands of the Makefile's ``run`` target, in order."""
    lines = (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(r"^run:", line))
    recipe = []
    for line in lines[start + 1 :]:
        if not line.startswith("\t"):
            break
        recipe.append(line.strip())
    return recipe


def test_make_run_builds_the_database_before_it_starts_the_server():
    recipe = _run_recipe()
    init = [i for i, c in enumerate(recipe) if c == "$(PY) cli.py init --if-missing"]
    server = [i for i, c in enumerate(recipe) if "streamlit run app.py" in c]
    assert init and server and init[0] < server[0], recipe


def test_a_missing_database_is_built_with_the_demo(tmp_path, capsys):
    db = tmp_path / "data" / "bibvalg.duckdb"
    status, out, _ = run(capsys, "init", "--if-missing", "--db", str(db), "--json")
    assert status == 0 and json.loads(out)["created"] is True
    with duckdb.connect(str(db)) as con:
        # The demo: five vendors' offers and the fictional evaluators (demo/data).
        assert con.execute("SELECT count(*) FROM offer").fetchone() == (5,)
        assert con.execute("SELECT value FROM setting WHERE key = 'demo'").fetchone() == ("true",)


def test_an_existing_database_is_left_exactly_as_it_is(tmp_path, capsys):
    db = tmp_path / "tender.duckdb"
    assert run(capsys, "init", "--empty", "--name", "Anbud 2027", "--db", str(db))[0] == 0
    before, stamp = dump_file(db), db.stat().st_mtime_ns
    status, out, err = run(capsys, "init", "--if-missing", "--db", str(db))
    assert status == 0 and "left as it is" in out and err == ""
    assert db.stat().st_mtime_ns == stamp
    assert dump_file(db) == before
    with duckdb.connect(str(db)) as con:
        assert con.execute("SELECT count(*) FROM offer").fetchone() == (0,)
