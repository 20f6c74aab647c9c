"""The guard on bibvalg's own connections: every form of write to the audit log that we
could think of, tried through the connection bibvalg hands out, is refused, and the log
stays as it was; bibvalg's own reads and writes still work."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from store import audit, guard, settings
from store.db import open_database
from store.errors import AuditLogIsAppendOnly
from tests.dbdump import plain

SHOW_WEIGHTS = "template_show_weights"
FORGED = "('x', 'forged', 'setting')"
COLUMNS = "(actor, action, entity)"

# Each text is tried through execute, a cursor's execute and sql.
SQL_FORMS = [
    # data-modifying CTEs: DuckDB classes these as SELECT
    "WITH d AS (DELETE FROM audit_log RETURNING *) SELECT count(*) FROM d",
    "WITH d AS (DELETE FROM audit_log RETURNING *) SELECT 1",
    "WITH u AS (UPDATE audit_log SET reason = 'x' RETURNING id) SELECT * FROM u",
    f"WITH i AS (INSERT INTO audit_log {COLUMNS} VALUES {FORGED} RETURNING id) SELECT * FROM i",
    "WITH h AS (UPDATE audit_head SET last_hash = 'x' RETURNING *) SELECT 1",
    "WITH d AS (DELETE FROM 'audit_log' RETURNING *) SELECT 1",
    "SELECT 1; WITH d AS (DELETE FROM audit_log RETURNING *) SELECT 1",
    "FROM (WITH d AS (DELETE FROM audit_log RETURNING *) SELECT * FROM d)",
    # the table named as a string, quoted, qualified
    "DELETE FROM 'audit_log'",
    "UPDATE 'audit_log' SET reason = 'x'",
    f"INSERT INTO 'audit_log' {COLUMNS} VALUES {FORGED}",
    'DELETE FROM "audit_log"',
    'DELETE FROM "AUDIT_LOG"',
    "DELETE FROM Audit_Log",
    "DELETE FROM main.audit_log",
    'DELETE FROM "main"."audit_log"',
    "DELETE FROM {catalog}.main.audit_log",
    'UPDATE "{catalog}"."main"."audit_head" SET last_hash = \'x\'',
    "DELETE /* a comment */ FROM audit_log WHERE id > 0",
    "DELETE FROM audit_log USING setting WHERE true",
    "UPDATE audit_log SET reason = 'x'",
    "UPDATE audit_log SET reason = s.value FROM setting s",
    "DELETE FROM audit_log WHERE id = 1",
    f"INSERT INTO audit_log {COLUMNS} VALUES {FORGED}",
    f"INSERT INTO audit_log {COLUMNS} VALUES {FORGED} RETURNING *",
    "INSERT INTO audit_log BY NAME SELECT 'x' AS actor, 'forged' AS action, 's' AS entity",
    "INSERT OR REPLACE INTO audit_log SELECT * FROM audit_log",
    "INSERT INTO setting WITH d AS (DELETE FROM audit_log RETURNING *) SELECT 'k', 'v'",
    "MERGE INTO audit_log USING (SELECT 1 AS id) s ON audit_log.id = s.id WHEN MATCHED THEN DELETE",
    # whole-table forms
    "TRUNCATE audit_log",
    "TRUNCATE audit_head",
    "DROP TABLE audit_log",
    "DROP TABLE IF EXISTS audit_head",
    "DROP SEQUENCE audit_log_id",
    "CREATE OR REPLACE TABLE audit_log AS SELECT 1 AS id",
    "CREATE OR REPLACE SEQUENCE audit_log_id START 1",
    "CREATE TEMP VIEW audit_log AS SELECT * FROM main.audit_log WHERE id < 0",
    "CREATE TEMP TABLE audit_log AS SELECT * FROM main.audit_log LIMIT 0",
    "ALTER TABLE audit_log RENAME TO old_log",
    "ALTER TABLE audit_log DROP COLUMN reason",
    "ALTER TABLE audit_log ALTER reason SET DEFAULT 'x'",
    "ALTER TABLE setting RENAME TO audit_log",
    # other kinds of statement
    "COPY audit_log FROM '{csv}'",
    "COPY audit_log FROM '{csv}' (HEADER)",
    "IMPORT DATABASE '{export}'",
    "PRAGMA import_database('{export}')",
    "ATTACH '{path}' AS again",
    "ATTACH ':memory:' AS other",
    "PREPARE wipe AS DELETE FROM audit_log",
    "EXECUTE wipe",
    "EXPLAIN ANALYZE DELETE FROM audit_log",
    "EXPLAIN ANALYZE WITH d AS (DELETE FROM audit_log RETURNING *) SELECT 1",
    "SELECT 1; DELETE FROM audit_log",
    "BEGIN; DELETE FROM audit_log; COMMIT",
    "PIVOT audit_log ON action",
]


def python_forms(path: Path) -> list[tuple[str, Callable[[duckdb.DuckDBPyConnection], object]]]:
    frame = pd.DataFrame({"id": [999], "actor": ["x"], "action": ["forged"], "entity": ["setting"]})
    cte = "WITH d AS (DELETE FROM audit_log WHERE id = ? RETURNING *) SELECT * FROM d"
    return [
        (
            "executemany DELETE",
            lambda c: c.executemany("DELETE FROM audit_log WHERE id = ?", [[1]]),
        ),
        ("executemany CTE", lambda c: c.executemany(cte, [[1], [2]])),
        ("execute CTE with parameters", lambda c: c.execute(cte, [1])),
        ("sql CTE with parameters", lambda c: c.sql(cte, params=[1])),
        (
            "cursor executemany",
            lambda c: c.cursor().executemany("DELETE FROM 'audit_log' WHERE id = ?", [[1]]),
        ),
        (
            "execute a parsed statement",
            lambda c: c.execute(duckdb.extract_statements("DELETE FROM audit_log")[0]),
        ),
        ("append", lambda c: c.append("audit_log", frame)),
        ("append qualified", lambda c: c.append("main.audit_log", frame)),
        ("appender", lambda c: c.appender("audit_log")),
        (
            "table update",
            lambda c: c.table("audit_log").update({"reason": duckdb.ConstantExpression("x")}),
        ),
        ("table insert", lambda c: c.table("audit_log").insert([1])),
        ("quoted table insert", lambda c: c.table('"audit_log"').insert([1])),
        ("insert_into", lambda c: c.sql("SELECT * FROM audit_log").insert_into("audit_log")),
        ("create", lambda c: c.table("main.audit_log").filter("id > 0").create("audit_log")),
        ("to_table", lambda c: c.sql("SELECT 1 AS id").to_table("audit_head")),
        ("register shadow", lambda c: c.register("audit_log", frame)),
        ("create_view shadow", lambda c: c.sql("SELECT 1 AS id").create_view("audit_log")),
        ("to_view shadow", lambda c: c.sql("SELECT 1 AS id").to_view("AUDIT_LOG")),
        (
            "relation query",
            lambda c: c.sql("SELECT 1 AS x").query("t", "DELETE FROM audit_log"),
        ),
        (
            "relation query CTE",
            lambda c: c.sql("SELECT 1 AS x").query(
                "t", "WITH d AS (DELETE FROM audit_log RETURNING *) SELECT * FROM d"
            ),
        ),
        (
            "query_appender",
            lambda c: c.query_appender(
                f"INSERT INTO audit_log {COLUMNS} SELECT * FROM appended_data",
                "appended_data",
                ["VARCHAR"] * 3,
            ),
        ),
    ]


@pytest.fixture
def con(demo_db, tmp_path):
    con = open_database(demo_db)
    for n, value in enumerate(("true", "false", "true")):
        settings.set_setting(con, SHOW_WEIGHTS, value, actor="tester", reason=f"step {n}")
    yield con
    con.close()


def log_state(con):
    raw = guard.raw_connection(con)
    return (
        raw.execute("SELECT * FROM main.audit_log ORDER BY id").fetchall(),
        raw.execute("SELECT * FROM main.audit_head").fetchall(),
    )


def fill_placeholders(sql: str, con, demo_db: Path, tmp_path: Path) -> str:
    catalog = con.execute("SELECT current_database()").fetchone()[0]
    csv = tmp_path / "forged.csv"
    csv.write_text("actor,action,entity\nx,forged,setting\n", encoding="utf-8")
    export = tmp_path / "export"
    export.mkdir(exist_ok=True)
    (export / "schema.sql").write_text("", encoding="utf-8")
    (export / "load.sql").write_text(
        f"INSERT INTO audit_log {COLUMNS} VALUES {FORGED};\n", encoding="utf-8"
    )
    return sql.format(catalog=catalog, csv=csv, export=export, path=demo_db)


@pytest.mark.parametrize("sql", SQL_FORMS)
def test_every_sql_form_of_write_is_refused(con, demo_db, tmp_path, sql):
    text = fill_placeholders(sql, con, demo_db, tmp_path)
    before = log_state(con)
    for run in (con.execute, con.cursor().execute, con.sql):
        with pytest.raises(AuditLogIsAppendOnly):
            run(text)
    assert log_state(con) == before
    assert audit.verify(con).intact


@pytest.mark.parametrize("form", range(21))
def test_every_python_api_form_of_write_is_refused(con, demo_db, form):
    name, write = python_forms(demo_db)[form]
    before = log_state(con)
    with pytest.raises(AuditLogIsAppendOnly):
        write(con)
    assert log_state(con) == before, name
    assert len(audit.entries(con)) == len(before[0])  # no view shadows the log
    assert audit.verify(con).intact


def test_the_python_forms_are_all_tried():
    assert len(python_forms(Path("x"))) == 21


def test_the_forms_would_write_without_the_guard(demo_db, tmp_path):
    """The forms are real writes: a few of the ones that got past the old guard change
    the log on a plain connection."""
    open_database(demo_db).close()
    with plain(demo_db) as raw:
        count = raw.execute("SELECT count(*) FROM audit_log").fetchone()[0]
        raw.execute("WITH d AS (DELETE FROM audit_log WHERE id = 1 RETURNING *) SELECT 1")
        raw.execute("DELETE FROM 'audit_log' WHERE id = 2")
        assert raw.execute("SELECT count(*) FROM audit_log").fetchone()[0] == count - 2


def test_bibvalgs_own_reads_and_writes_still_work(con):
    assert con.execute("SELECT count(*) FROM audit_log").fetchall()[0][0] >= 3
    assert con.execute("SELECT 'delete' AS action, 1 AS delete").fetchall() == [("delete", 1)]
    assert len(con.sql("SELECT * FROM main.audit_log WHERE action = 'update'").df()) >= 0
    assert len(con.table("audit_log").df()) >= 3
    con.execute(f"UPDATE setting SET value = 'false' WHERE key = '{SHOW_WEIGHTS}'")
    con.execute("CREATE TABLE audit_notes AS SELECT 1 AS x")  # a name that only resembles
    con.execute("INSERT INTO audit_notes VALUES (2)")
    con.begin()
    con.execute("DELETE FROM audit_notes WHERE x = 1")
    con.commit()
    assert con.execute("SELECT x FROM audit_notes").fetchall() == [(2,)]
    assert settings.settings(con)[SHOW_WEIGHTS] == "false"
    assert audit.verify(con).intact
