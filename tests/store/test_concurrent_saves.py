"""Two evaluators saving at the same moment, as the app does it: one cached connection,
a cursor per save, each in its own thread. Every save lands and the chain holds."""

from __future__ import annotations

import ast
import threading
from pathlib import Path

import pytest

from store import audit, db
from store import evaluation as ev
from store.errors import WriteConflict

SAVES_EACH = 40


@pytest.fixture
def con(demo_db):
    con = db.open_database(demo_db)
    con.execute(
        "INSERT INTO evaluator (id, name) VALUES ('anne', 'Anne Aikio'), ('bjorn', 'Bjørn Berg')"
    )
    con.execute(
        "INSERT INTO impartiality_declaration (evaluator_id, declared_on, no_ties, recorded_by)"
        " VALUES ('anne', current_date, true, 'anne'), ('bjorn', current_date, true, 'bjorn')"
    )
    yield con
    con.close()


def _weighted(con) -> list[str]:
    rows = con.execute(
        "SELECT id FROM requirement WHERE kind = 'W' AND NOT retired ORDER BY id"
    ).fetchall()
    return [r[0] for r in rows]


def test_simultaneous_saves_of_two_evaluators_all_land_and_the_chain_verifies(con):
    requirements = _weighted(con)[:SAVES_EACH]
    offer = con.execute("SELECT min(id) FROM offer").fetchone()[0]
    before = con.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    start = threading.Barrier(2)
    failures: list[BaseException] = []
    tried = {"anne": 0, "bjorn": 0}

    def evaluator(name: str, score: int) -> None:
        start.wait()
        for rid in requirements:
            # the app's pattern: a fresh cursor of the shared connection for each save
            cur = con.cursor()
            try:
                tried[name] += 1
                ev.save_score(
                    cur,
                    evaluator=name,
                    offer=offer,
                    requirement=rid,
                    score=score,
                    reason=f"{name} om {rid}",
                    actor=name,
                )
            except BaseException as exc:  # noqa: BLE001 - every failure is counted
                failures.append(exc)
            finally:
                cur.close()

    threads = [
        threading.Thread(target=evaluator, args=("anne", 3)),
        threading.Thread(target=evaluator, args=("bjorn", 8)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    held = con.execute(
        "SELECT evaluator_id, count(*) FROM score WHERE evaluator_id IN ('anne', 'bjorn')"
        " AND offer_id = ? AND score = CASE evaluator_id WHEN 'anne' THEN 3 ELSE 8 END"
        " AND reason = evaluator_id || ' om ' || requirement_id GROUP BY 1 ORDER BY 1",
        [offer],
    ).fetchall()
    assert tried == {"anne": len(requirements), "bjorn": len(requirements)}
    assert held == [("anne", len(requirements)), ("bjorn", len(requirements))]
    logged = con.execute("SELECT count(*) FROM audit_log").fetchone()[0] - before
    assert logged == 2 * len(requirements)
    report = audit.verify(con)
    assert report.intact, report.problems


def test_a_save_that_keeps_colliding_is_given_up_with_a_named_error(monkeypatch):
    import duckdb

    attempts = []

    @db.retry_on_conflict
    def always_conflicting() -> None:
        attempts.append(1)
        raise duckdb.TransactionException("TransactionContext Error: Conflict on update!")

    monkeypatch.setattr(db, "_backoff", lambda attempt: None)
    with pytest.raises(WriteConflict):
        always_conflicting()
    assert len(attempts) == db.WRITE_ATTEMPTS


def test_other_errors_are_not_retried():
    attempts = []

    @db.retry_on_conflict
    def broken() -> None:
        attempts.append(1)
        raise ValueError("not a conflict")

    with pytest.raises(ValueError):
        broken()
    assert attempts == [1]


# Functions of the data layer that open a transaction and are not run again on a conflict,
# and why.
NOT_RETRIED = {
    "store/db.py": "the transaction helpers themselves (in_own_transaction retries)",
    "store/backup.py:restore_backup": "writes a new database file, which nobody else has open",
}


def _opens_a_transaction(function: ast.FunctionDef) -> bool:
    return any(
        isinstance(node, ast.With)
        and any("transaction(" in ast.unparse(item.context_expr) for item in node.items)
        for node in ast.walk(function)
    )


def test_every_write_that_opens_its_own_transaction_is_run_again_on_a_conflict():
    """A save that meets another at the same moment is run again, not shown as DuckDB's
    error: every public function of the data layer that opens a transaction of its own is
    wrapped in ``retry_on_conflict`` (``_save_entry`` and the like are called by one)."""
    root = Path(__file__).resolve().parents[2]
    missing = []
    for package in ("store", "vendors", "tender_files"):
        for path in sorted((root / package).rglob("*.py")):
            where = path.relative_to(root).as_posix()
            if where in NOT_RETRIED:
                continue
            for node in ast.parse(path.read_text(encoding="utf-8")).body:
                if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                    continue
                if f"{where}:{node.name}" in NOT_RETRIED or not _opens_a_transaction(node):
                    continue
                decorators = [ast.unparse(d) for d in node.decorator_list]
                if not any(d.endswith("retry_on_conflict") for d in decorators):
                    missing.append(f"{where}:{node.name}")
    assert not missing, "not run again on a conflict: " + ", ".join(missing)
