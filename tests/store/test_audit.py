"""The audit log: append-only through bibvalg's connections, and a hash chain that shows
edits made with any other connection."""

from __future__ import annotations

import ast
import threading
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from store import audit, settings
from store.db import open_database
from store.errors import AuditLogIsAppendOnly
from tests.dbdump import raw_edit
from tests.store.conftest import SHOW_WEIGHTS

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def con(logged_db):
    return open_database(logged_db)


def snapshot(con):
    return con.execute("SELECT * FROM audit_log ORDER BY id").fetchall()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_log SET reason = 'changed'",
        "DELETE FROM audit_log",
        "DELETE FROM audit_log WHERE id = 1",
        "delete from main.audit_log",
        'DELETE FROM "AUDIT_LOG"',
        "TRUNCATE audit_log",
        "DROP TABLE audit_log",
        "ALTER TABLE audit_log RENAME TO old_log",
        "ALTER TABLE audit_log DROP COLUMN reason",
        "INSERT INTO audit_log (actor, action, entity) VALUES ('x', 'y', 'z')",
        "INSERT OR REPLACE INTO audit_log SELECT * FROM audit_log",
        "CREATE OR REPLACE TABLE audit_log AS SELECT 1 AS id",
        "EXPLAIN ANALYZE DELETE FROM audit_log",
        "SELECT 1; DELETE FROM audit_log",
        "UPDATE audit_head SET last_hash = 'x'",
        "DROP SEQUENCE audit_log_id",
        "UPDATE setting SET value = 'x' WHERE key IN (SELECT actor FROM audit_log)",
    ],
)
def test_statements_that_would_change_the_log_are_refused(con, sql):
    before = snapshot(con)
    with pytest.raises(AuditLogIsAppendOnly):
        con.execute(sql)
    with pytest.raises(AuditLogIsAppendOnly):
        con.cursor().execute(sql)
    with pytest.raises(AuditLogIsAppendOnly):
        con.sql(sql)
    assert snapshot(con) == before
    assert audit.verify(con).intact


def test_the_python_api_cannot_write_to_the_log_either(con):
    before = snapshot(con)
    frame = pd.DataFrame({"id": [999]})
    with pytest.raises(AuditLogIsAppendOnly):
        con.append("audit_log", frame)
    with pytest.raises(AuditLogIsAppendOnly):
        con.executemany("DELETE FROM audit_log WHERE id = ?", [[1], [2]])
    with pytest.raises(AuditLogIsAppendOnly):
        con.table("audit_log").update({"reason": duckdb.ConstantExpression("x")})
    with pytest.raises(AuditLogIsAppendOnly):
        con.table("audit_log").insert([1])
    with pytest.raises(AuditLogIsAppendOnly):
        con.sql("SELECT * FROM audit_log").insert_into("audit_log")
    with pytest.raises(AuditLogIsAppendOnly):
        con.table("main.audit_log").filter("id > 0").create("audit_log")
    with pytest.raises(AuditLogIsAppendOnly):
        con.appender("audit_log")
    assert snapshot(con) == before


def test_reading_the_log_and_writing_other_tables_still_work(con):
    assert con.execute("SELECT count(*) FROM audit_log").fetchall()[0][0] >= 3
    assert len(con.sql("SELECT * FROM audit_log WHERE actor = 'tester'").df()) == 3
    assert len(con.table("audit_log").df()) >= 3
    con.execute(f"UPDATE setting SET value = 'false' WHERE key = '{SHOW_WEIGHTS}'")
    con.execute("CREATE TABLE audit_notes AS SELECT 1 AS x")  # a name that only resembles
    assert settings.settings(con)[SHOW_WEIGHTS] == "false"


def test_only_store_audit_writes_to_the_log():
    writers = []
    for folder in ("store", "vendors", "analysis", "demo", "ui", "pages", "scoring"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    text = " ".join(node.value.upper().split())
                    if any(
                        verb in text
                        for verb in ("INTO AUDIT_LOG", "UPDATE AUDIT_LOG", "FROM AUDIT_LOG WHERE")
                    ) and ("INSERT" in text or "UPDATE" in text or "DELETE" in text):
                        writers.append(path.relative_to(ROOT).as_posix())
    for path in [ROOT / "cli.py", ROOT / "app.py"]:
        assert "audit_log" not in path.read_text(encoding="utf-8").replace("audit_log_", "")
    assert set(writers) == {"store/audit.py"}


def test_every_entry_is_sealed_into_the_chain(con):
    report = audit.verify(con)
    assert report.intact
    assert report.sealed == report.entries and report.before_chain == 0
    rows = con.execute("SELECT prev_hash, entry_hash FROM audit_log ORDER BY id").fetchall()
    assert rows[0][0] == audit.GENESIS_HASH
    assert all(rows[i][0] == rows[i - 1][1] for i in range(1, len(rows)))
    assert report.head_hash == rows[-1][1]


@pytest.fixture
def db_file(logged_db):
    path = logged_db
    con = open_database(path)
    ids = [r[0] for r in con.execute("SELECT id FROM audit_log ORDER BY id").fetchall()]
    con.close()
    return path, ids


def problems_after(path, sql):
    raw_edit(path, sql)
    con = open_database(path)
    try:
        return [(p.entry_id, p.kind) for p in audit.verify(con).problems]
    finally:
        con.close()


def test_an_entry_edited_with_a_raw_connection_is_detected(db_file):
    path, ids = db_file
    target = ids[-2]
    found = problems_after(path, f"UPDATE audit_log SET reason = 'nothing' WHERE id = {target}")
    assert found == [(target, "altered")]


def test_a_timestamp_moved_with_a_raw_connection_is_detected(db_file):
    path, ids = db_file
    sql = f"UPDATE audit_log SET logged_at = logged_at - INTERVAL 1 DAY WHERE id = {ids[1]}"
    assert problems_after(path, sql) == [(ids[1], "altered")]


def test_an_entry_removed_from_the_middle_is_detected(db_file):
    path, ids = db_file
    found = problems_after(path, f"DELETE FROM audit_log WHERE id = {ids[1]}")
    assert found == [(ids[2], "link")]


def test_the_newest_entry_removed_is_detected(db_file):
    path, ids = db_file
    found = problems_after(path, f"DELETE FROM audit_log WHERE id = {ids[-1]}")
    assert found == [(ids[-1], "head")]


def test_an_entry_slipped_in_is_detected(db_file):
    path, ids = db_file
    found = problems_after(
        path, "INSERT INTO audit_log (actor, action, entity) VALUES ('x', 'forged', 'setting')"
    )
    assert [kind for _, kind in found] == ["unsealed"]
    assert found[0][0] > ids[-1]


def test_two_writers_at_once_cannot_fork_the_chain(demo_db):
    con = open_database(demo_db)
    first, second = con.cursor(), con.cursor()
    first.begin()
    second.begin()
    audit.record(first, actor="a", action="create", entity="setting")
    with pytest.raises(duckdb.TransactionException):
        audit.record(second, actor="b", action="create", entity="setting")
    second.rollback()
    first.commit()
    assert audit.verify(con).intact


def test_concurrent_saves_from_threads_keep_the_chain_intact(demo_db, monkeypatch):
    notes = {f"note{n}" for n in range(6)}  # six keys of their own, so no save is a no-op
    monkeypatch.setattr(settings, "KNOWN_SETTINGS", settings.KNOWN_SETTINGS | notes)
    con = open_database(demo_db)
    errors: list[Exception] = []

    def save(n):
        cursor = con.cursor()
        try:
            settings.set_setting(cursor, f"note{n}", "v", actor=f"t{n}")
        except duckdb.TransactionException as exc:
            errors.append(exc)
        finally:
            cursor.close()

    threads = [threading.Thread(target=save, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert audit.verify(con).intact
    saved = len([k for k in settings.settings(con) if k.startswith("note")])
    assert saved + len(errors) == 6 and saved >= 1


def test_filters_by_who_what_and_when(con):
    by_actor = audit.entries(con, where=audit.LogFilter(actors=("tester",)))
    assert len(by_actor) == 3 and set(by_actor["actor"]) == {"tester"}
    by_entity = audit.entries(con, where=audit.LogFilter(entities=("weight_profile",)))
    profiles = con.execute("SELECT count(*) FROM weight_profile").fetchone()[0]
    assert by_entity["entity"].tolist() == ["weight_profile"] * profiles
    today = date.today()
    assert len(audit.entries(con, where=audit.LogFilter(since=today + timedelta(days=1)))) == 0
    assert len(audit.entries(con, where=audit.LogFilter(until=today))) == len(audit.entries(con))
    by_text = audit.entries(con, where=audit.LogFilter(text="STEP 1"))
    assert by_text["reason"].tolist() == ["step 1"]
    choices = audit.distinct_values(con)
    assert "tester" in choices["actor"] and "setting" in choices["entity"]


def test_every_protected_name_passes_through_the_quick_filter():
    from store import guard

    assert all(guard._STEM in name for name in guard.PROTECTED)


def test_the_change_count_of_a_file_moves_with_a_change_to_it_and_not_to_another(
    demo_db_template, tmp_path
):
    """The caches of what a database file holds are keyed by this count: a change to one
    file must move its count on and leave every other file's where it was."""
    first, second = tmp_path / "first.duckdb", tmp_path / "second.duckdb"
    for path in (first, second):
        path.write_bytes(demo_db_template.read_bytes())
    first_key, second_key = str(first.resolve()), str(second.resolve())
    before = audit.changes_logged(first_key), audit.changes_logged(second_key)
    con = open_database(first)
    try:
        settings.set_setting(con, SHOW_WEIGHTS, "true", actor="tester", reason="one")
        moved = audit.changes_logged(first_key)
        settings.set_setting(con, SHOW_WEIGHTS, "false", actor="tester", reason="two")
    finally:
        con.close()
    assert moved != before[0]
    assert audit.changes_logged(first_key) not in (before[0], moved)
    assert audit.changes_logged(second_key) == before[1]
