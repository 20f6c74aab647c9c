"""backup, restore and export-data from the command line: a backup restored into a new file
holds the original's data (and one entry more, the restore's); a bad file or an existing
database without --force is refused with exit status 2 and nothing changed."""

from __future__ import annotations

import io
import json
import zipfile
from contextlib import closing

import duckdb

from tests.cli_run import run
from tests.dbdump import dump_file
from tests.locking import held_by_another_process


def test_backup_then_restore_into_a_new_file(demo_db, tmp_path, capsys):
    out = tmp_path / "kopi" / "bibvalg-backup.zip"
    code, printed, err = run(capsys, "backup", str(out), "--db", str(demo_db), "--json")
    assert code == 0, err
    made = json.loads(printed)
    with closing(duckdb.connect(str(demo_db), read_only=True)) as con:
        count = len(con.execute("SHOW TABLES").fetchall())
    assert made["file"] == str(out) and made["tables"] == count and len(made["sha256"]) == 64

    new = tmp_path / "ny.duckdb"
    code, printed, err = run(capsys, "restore", str(out), "--db", str(new), "--actor", "kari")
    assert code == 0, err
    assert "Restored bibvalg-backup.zip" in printed
    original, restored = dump_file(demo_db), dump_file(new)
    assert restored["audit_log"][:-1] == original["audit_log"]
    assert restored["audit_log"][-1][2:5] == ("kari", "restore", "database")
    assert restored["score"] == original["score"] and restored["setting"] == original["setting"]

    code, _, err = run(capsys, "audit", "--verify", "--db", str(new))
    assert code == 0, err


def test_restore_over_a_database_needs_force(demo_db, tmp_path, capsys):
    out = tmp_path / "b.zip"
    assert run(capsys, "backup", str(out), "--db", str(demo_db))[0] == 0
    before = dump_file(demo_db)
    code, printed, err = run(capsys, "restore", str(out), "--db", str(demo_db))
    assert (code, printed) == (2, "")
    assert "--force" in err and err.startswith("error: ")
    assert dump_file(demo_db) == before
    code, _, err = run(capsys, "restore", str(out), "--db", str(demo_db), "--force", "--quiet")
    assert code == 0, err


def test_a_truncated_backup_is_refused(demo_db, tmp_path, capsys):
    out = tmp_path / "b.zip"
    assert run(capsys, "backup", str(out), "--db", str(demo_db))[0] == 0
    out.write_bytes(out.read_bytes()[:-5000])
    new = tmp_path / "ny.duckdb"
    code, printed, err = run(capsys, "restore", str(out), "--db", str(new))
    assert (code, printed) == (2, "")
    assert "cannot be read" in err and not new.exists()


def test_export_data_writes_every_table(demo_db, tmp_path, capsys):
    out = tmp_path / "data.zip"
    code, printed, err = run(capsys, "export-data", str(out), "--db", str(demo_db), "--json")
    assert code == 0, err
    document = json.loads(printed)
    with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as archive:
        names = archive.namelist()
    assert {f"csv/{t}.csv" for t in document["tables"]} <= set(names)
    with closing(duckdb.connect(str(demo_db), read_only=True)) as con:
        assert len(document["tables"]) == len(con.execute("SHOW TABLES").fetchall())
    # the same database, the same bytes
    again = tmp_path / "again.zip"
    assert run(capsys, "export-data", str(again), "--db", str(demo_db))[0] == 0
    assert again.read_bytes() == out.read_bytes()


def test_restore_over_a_database_another_program_holds_is_refused(demo_db, tmp_path, capsys):
    out = tmp_path / "b.zip"
    assert run(capsys, "backup", str(out), "--db", str(demo_db))[0] == 0
    before = dump_file(demo_db)
    with held_by_another_process(demo_db):
        code, printed, err = run(capsys, "restore", str(out), "--db", str(demo_db), "--force")
    assert (code, printed) == (3, "")
    assert "er i bruk av et annet program" in err  # in the default language, nb
    assert dump_file(demo_db) == before
