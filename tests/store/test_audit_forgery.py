"""Forgeries made with a plain DuckDB connection that ``audit.verify`` must flag (or say it
cannot know without an anchor), the anchor from the minutes, and the secrecy of hidden
entries against guessing."""

from __future__ import annotations

import io
import itertools
import json
from pathlib import Path

import pandas as pd
import pytest

from store import audit, db, evaluation, settings
from store.db import open_database
from store.errors import InvalidAnchor
from tests.dbdump import plain, raw_edit
from tests.store.conftest import SHOW_WEIGHTS


@pytest.fixture
def db_file(logged_db):
    con = open_database(logged_db)
    minutes = audit.anchor(con)
    con.close()
    assert minutes is not None
    return logged_db, minutes


def check(path: Path, anchor: audit.Anchor | None = None) -> audit.ChainReport:
    con = open_database(path)
    try:
        return audit.verify(con, anchor=anchor)
    finally:
        con.close()


def reseal_everything(path: Path) -> None:
    """What a careful forger does: recompute every hash and the head after an edit."""
    with plain(path) as raw:
        rows = raw.execute(
            "SELECT id, logged_at, actor, action, entity, entity_id, old_value, new_value,"
            " reason, salt FROM audit_log ORDER BY id"
        ).fetchall()
        prev = audit.GENESIS_HASH
        for row in rows:
            sealed = audit.row_hash(row, prev, row[9])
            raw.execute(
                "UPDATE audit_log SET prev_hash = ?, entry_hash = ? WHERE id = ?",
                [prev, sealed, row[0]],
            )
            prev = sealed
        raw.execute("DELETE FROM audit_head")
        if rows:
            raw.execute("INSERT INTO audit_head VALUES (1, ?, ?)", [rows[-1][0], prev])


def kinds(report: audit.ChainReport) -> set[str]:
    return {p.kind for p in report.problems}


def test_an_honest_log_holds_against_its_anchor(db_file):
    path, minutes = db_file
    report = check(path, audit.Anchor.parse(f"{minutes.head_hash}:{minutes.entries}"))
    assert report.intact and report.anchored
    assert report.current == minutes
    assert audit.Anchor.parse(minutes.line) == audit.Anchor(minutes.head_hash, minutes.entries)
    # a later entry keeps the old anchor valid: it is a prefix of the chain
    con = open_database(path)
    settings.set_setting(con, SHOW_WEIGHTS, "false", actor="tester")
    assert audit.verify(con, anchor=minutes).intact
    assert audit.verify(con, anchor=audit.Anchor(minutes.head_hash, 0)).intact
    con.close()


@pytest.mark.parametrize("text", ["", "abc", "z" * 64, "a" * 64 + ":x", "a" * 63])
def test_a_malformed_anchor_is_refused(text):
    with pytest.raises(InvalidAnchor):
        audit.Anchor.parse(text)


def test_an_unsealed_entry_before_the_first_sealed_one_is_flagged(db_file):
    path, _ = db_file
    raw_edit(
        path,
        "INSERT INTO audit_log (id, actor, action, entity) VALUES (0, 'x', 'forged', 'setting')",
    )
    report = check(path)
    assert (0, "unsealed") in [(p.entry_id, p.kind) for p in report.problems]
    assert report.before_chain == 0


def test_an_entry_with_empty_hashes_before_the_chain_is_flagged(db_file):
    path, _ = db_file
    raw_edit(
        path,
        "INSERT INTO audit_log (id, actor, action, entity, prev_hash, entry_hash)"
        " VALUES (0, 'x', 'forged', 'setting', '', '')",
    )
    assert not check(path).intact


def test_nulled_hashes_are_flagged(db_file):
    path, _ = db_file
    raw_edit(path, "UPDATE audit_log SET prev_hash = NULL, entry_hash = NULL")
    report = check(path)
    assert kinds(report) >= {"unsealed", "head"} and report.before_chain == 0


def test_the_first_hashes_nulled_are_flagged(db_file):
    path, _ = db_file
    raw_edit(path, "UPDATE audit_log SET prev_hash = NULL, entry_hash = NULL WHERE id <= 3")
    assert "unsealed" in kinds(check(path))


def test_a_truncated_log_with_its_head_recomputed_fails_the_anchor(db_file):
    path, minutes = db_file
    raw_edit(path, "DELETE FROM audit_log WHERE id > (SELECT max(id) - 2 FROM audit_log)")
    reseal_everything(path)
    alone = check(path)
    assert alone.intact and not alone.anchored  # what verify cannot know on its own ...
    assert kinds(check(path, minutes)) == {"anchor"}  # ... the anchor tells


def test_a_rewritten_chain_fails_the_anchor(db_file):
    path, minutes = db_file
    raw_edit(path, "UPDATE audit_log SET reason = 'nothing' WHERE id = 2")
    reseal_everything(path)
    assert check(path).intact
    anchored = audit.Anchor.parse(minutes.head_hash)  # without a count too
    assert kinds(check(path, anchored)) == {"anchor"}


def test_a_wiped_log_is_flagged(db_file):
    path, minutes = db_file
    raw_edit(path, "DELETE FROM audit_log", "DELETE FROM audit_head")
    report = check(path)
    assert "wiped" in kinds(report)
    assert kinds(check(path, minutes)) >= {"wiped", "anchor"}


def test_a_dropped_head_table_is_flagged_without_a_traceback(db_file):
    path, _ = db_file
    raw_edit(path, "DROP TABLE audit_head")
    report = check(path)
    assert "missing_table" in kinds(report) and report.entries > 0


def test_a_dropped_chain_start_is_flagged(db_file):
    path, _ = db_file
    raw_edit(path, "DROP TABLE audit_chain_start")
    assert "missing_table" in kinds(check(path))


@pytest.fixture
def legacy_db(tmp_path, monkeypatch):
    """A database whose log began before the chain: two unsealed entries written at schema
    version 5, then migration 006 and sealed entries after them."""
    path = tmp_path / "legacy.duckdb"
    every = db.migrations()
    monkeypatch.setattr(db, "migrations", lambda: [m for m in every if m[0] <= 5])
    with plain(path) as raw:
        db.migrate(raw)
        raw.execute(
            "INSERT INTO audit_log (actor, action, entity, reason) VALUES"
            " ('old', 'create', 'setting', 'a'), ('old', 'update', 'setting', 'b')"
        )
    monkeypatch.setattr(db, "migrations", lambda: every)
    con = db.connect(path)
    settings.set_setting(con, SHOW_WEIGHTS, "true", actor="tester")
    report = audit.verify(con)
    con.close()
    assert report.intact and report.before_chain == 2 and report.sealed == 1
    return path


def test_entries_from_before_the_chain_changed_or_added_are_flagged(legacy_db):
    path = legacy_db
    raw_edit(path, "UPDATE audit_log SET reason = 'x' WHERE id = 1")
    assert kinds(check(path)) == {"legacy"}


def test_an_entry_slipped_in_among_the_legacy_entries_is_flagged(legacy_db):
    path = legacy_db
    raw_edit(
        path,
        "INSERT INTO audit_log (id, actor, action, entity) VALUES (0, 'x', 'forged', 'setting')",
    )
    assert "legacy" in kinds(check(path))


# --- hidden entries cannot be confirmed by guessing -----------------------------------

SCORES = [n / 2 for n in range(21)]  # 0, 0.5, ..., 10
OUTCOMES = ["met", "not_met", "material_deviation"]


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _hash(row: dict, *, prev: str, old, new, reason: str, salt) -> str:
    return audit.entry_hash(
        entry_id=int(row["id"]),
        logged_at=row["logged_at"].to_pydatetime(),
        actor=row["actor"],
        action=row["action"],
        entity=row["entity"],
        entity_id=row["entity_id"],
        old_value=old,
        new_value=new,
        reason=reason,
        prev_hash=prev,
        salt=salt,
    )


def guess(con, viewer: str | None) -> tuple[int, set[tuple[float, str]]]:
    """Try every score and outcome against everything the viewer sees: the entries (as
    audit.entries and its CSV give them), the chain's head and anchor, and the entry after
    the hidden ones. Returns the number of guesses tried and the (score, outcome) pairs
    that some visible hash confirmed."""
    table = audit.entries(con, viewer=viewer)
    exported = pd.read_csv(io.BytesIO(audit.to_csv(table)), encoding="utf-8-sig", dtype=str)
    rows = table.to_dict("records")
    report = audit.verify(con)
    score_at = next(i for i, r in enumerate(rows) if r["entity"] == "score")
    score, assessment, after = rows[score_at], rows[score_at + 1], rows[score_at + 2]
    assert assessment["entity"] == "mandatory_assessment" and after["entity"] == "setting"
    prev = rows[score_at - 1]["entry_hash"]
    seen = {report.head_hash, report.current.head_hash if report.current else None}
    seen |= {r["entry_hash"] for r in rows} | {r["prev_hash"] for r in rows}
    seen |= set(exported["entry_hash"].dropna()) | set(exported["prev_hash"].dropna())
    seen.discard(None)

    def salts(row):  # what the viewer has for the salt, or the guesses left without it
        shown = row.get("salt")
        return [shown] if isinstance(shown, str) and shown else [None, ""]

    tried, confirmed = 0, set()
    for value, outcome in itertools.product(SCORES, OUTCOMES):
        new_score = json.dumps({"reason": "", "score": value}, sort_keys=True)
        new_outcome = json.dumps({"outcome": outcome, "reason": ""}, sort_keys=True)
        for salt_a, salt_b in itertools.product(salts(score), salts(assessment)):
            tried += 1
            first = _hash(score, prev=prev, old=None, new=new_score, reason="", salt=salt_a)
            second = _hash(
                assessment, prev=first, old=None, new=new_outcome, reason="", salt=salt_b
            )
            third = _hash(
                after,
                prev=second,
                old=_text(after["old_value"]),
                new=_text(after["new_value"]),
                reason=after["reason"],
                salt=_text(after["salt"]),
            )
            if first in seen or second in seen or third in seen:
                confirmed.add((value, outcome))
    return tried, confirmed


@pytest.fixture
def hidden(con):
    """Marit (who has not submitted) saves a score of 7 and a material deviation, both
    without a reason yet; then a visible change follows."""
    offer = con.execute("SELECT id FROM offer ORDER BY id LIMIT 1").fetchone()[0]
    weighted, mandatory = (
        con.execute(
            "SELECT id FROM requirement WHERE kind = ? AND NOT retired ORDER BY id LIMIT 1",
            [kind],
        ).fetchone()[0]
        for kind in ("W", "M")
    )
    common = {"evaluator": "marit", "offer": offer, "actor": "marit", "reason": ""}
    evaluation.save_score(con, requirement=weighted, score=7, **common)
    evaluation.save_assessment(con, requirement=mandatory, outcome="material_deviation", **common)
    settings.set_setting(con, SHOW_WEIGHTS, "true", actor="ingrid")
    return con


def test_no_guess_confirms_a_hidden_score_or_assessment(hidden):
    for viewer in ("risten", None):
        tried, confirmed = guess(hidden, viewer)
        assert tried == len(SCORES) * len(OUTCOMES) * 4 == 252
        assert confirmed == set()


def test_the_guessing_works_when_the_salt_is_known(hidden):
    """The same guessing confirms the true values for the evaluator herself, who sees her
    entries with their salts: so the test above would catch a salt that leaks."""
    tried, confirmed = guess(hidden, "marit")
    assert tried == len(SCORES) * len(OUTCOMES)
    assert (7.0, "material_deviation") in confirmed


def test_salts_are_shown_once_the_entries_are_visible(hidden):
    hidden_salts = audit.entries(hidden, viewer="risten")
    assert hidden_salts[hidden_salts["hidden"]]["salt"].isna().all()
    assert "salt" in audit.to_csv(hidden_salts).decode("utf-8-sig").splitlines()[0]
    hidden.execute(
        "INSERT INTO evaluator_submission (evaluator_id, submitted_by) VALUES ('marit', 'marit')"
    )
    table = audit.entries(hidden, viewer="risten")
    assert not table["hidden"].any()
    # everyone can now recompute every hash from what is shown
    prev = audit.GENESIS_HASH
    for row in table.to_dict("records"):
        salt = row["salt"] if isinstance(row["salt"], str) else None
        old = row["old_value"] if isinstance(row["old_value"], str) else None
        new = row["new_value"] if isinstance(row["new_value"], str) else None
        assert (
            _hash(row, prev=prev, old=old, new=new, reason=row["reason"], salt=salt)
            == row["entry_hash"]
        )
        prev = row["entry_hash"]


# --- the command line -----------------------------------------------------------------


def test_audit_prints_the_anchor_and_checks_against_one(db_file, capsys):
    import cli

    path, minutes = db_file
    assert cli.main(["audit", "--verify", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert minutes.line in out and "cannot know" in out
    anchored = f"{minutes.head_hash}:{minutes.entries}"
    assert cli.main(["audit", "--verify", "--anchor", anchored, "--json", "--db", str(path)]) == 0
    chain = json.loads(capsys.readouterr().out)["chain"]
    assert chain["anchor"] == minutes.line and chain["cannot_know"] is None
    raw_edit(path, "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)")
    reseal_everything(path)
    assert cli.main(["audit", "--verify", "--db", str(path)]) == 0  # alone it cannot know
    assert cli.main(["audit", "--verify", "--anchor", anchored, "--db", str(path)]) == 1
    assert "BROKEN" in capsys.readouterr().out
    assert cli.main(["audit", "--verify", "--anchor", "nonsense", "--db", str(path)]) != 0


def test_audit_as_says_the_name_is_self_declared(db_file, capsys):
    import cli

    path, _ = db_file
    assert cli.main(["audit", "--as", "risten", "--db", str(path)]) == 0
    err = capsys.readouterr().err
    assert "self-declared" in err and "risten" in err and len(err.strip().splitlines()) == 1
    assert cli.main(["audit", "--db", str(path)]) == 0
    assert "self-declared" not in capsys.readouterr().err
    help_text = cli.build_parser()._subparsers._group_actions[0].choices["audit"].format_help()
    assert "Self-declared" in help_text
