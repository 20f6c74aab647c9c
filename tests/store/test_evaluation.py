"""Independent scoring: who may read which scores, saving, submitting, and the consensus."""

from __future__ import annotations

import csv
import io
from datetime import date

import duckdb
import pytest

from analysis.inputs import load_inputs, published_weights
from scoring.procurement import evaluate
from store import audit, evaluators
from store import evaluation as ev
from store.db import migrate, migrations, open_database
from store.errors import (
    IncompleteScores,
    InvalidScore,
    ScoresSubmitted,
    UnknownEvaluator,
    UnknownOffer,
    UnknownRequirement,
)

SECRET = "Hemmelig begrunnelse fra A"


@pytest.fixture
def con(demo_db):
    con = open_database(demo_db)
    for evaluator, name in (("anne", "Anne Aikio"), ("bjorn", "Bjørn Berg")):
        evaluators.add_evaluator(con, evaluator, name=name, actor="test")
        evaluators.declare_impartiality(
            con, evaluators.Declaration(evaluator, date.today(), no_ties=True), actor=evaluator
        )
    return con


def ids(con, kind):
    return [
        r[0]
        for r in con.execute(
            "SELECT id FROM requirement WHERE kind = ? AND NOT retired ORDER BY id", [kind]
        ).fetchall()
    ]


def offers(con):
    return [r[0] for r in con.execute("SELECT id FROM offer ORDER BY id").fetchall()]


def fill_everything(con, evaluator, *, reason="Begrunnet"):
    """Every score and assessment for one evaluator, written directly (test setup)."""
    con.executemany(
        "INSERT OR REPLACE INTO score (evaluator_id, offer_id, requirement_id, score, reason)"
        " VALUES (?, ?, ?, 5, ?)",
        [(evaluator, o, r, reason) for o in offers(con) for r in ids(con, "W")],
    )
    con.executemany(
        "INSERT OR REPLACE INTO mandatory_assessment"
        " (evaluator_id, offer_id, requirement_id, outcome, reason) VALUES (?, ?, ?, 'met', ?)",
        [(evaluator, o, r, reason) for o in offers(con) for r in ids(con, "M")],
    )


def score_lang_04(con, evaluator, score, reason):
    """``evaluator``'s own score and reason for LANG-04 in the offer cuovga-1."""
    ev.save_score(
        con,
        evaluator=evaluator,
        offer="cuovga-1",
        requirement="LANG-04",
        score=score,
        reason=reason,
        actor=evaluator,
    )


def save_secret(con):
    score_lang_04(con, "anne", 3, SECRET)
    ev.save_assessment(
        con,
        evaluator="anne",
        offer="cuovga-1",
        requirement="LANG-01",
        outcome="not_met",
        reason=SECRET,
        actor="anne",
    )


def test_an_unsubmitted_evaluators_scores_are_hidden_from_every_other_viewer(con):
    save_secret(con)
    for viewer in ("bjorn", "risten", None):
        seen = ev.scores(con, viewer=viewer)
        assert "anne" not in set(seen["evaluator_id"])
        assert SECRET not in " ".join(seen["reason"])
        assert "anne" not in set(ev.assessments(con, viewer=viewer)["evaluator_id"])
    own = ev.scores(con, viewer="anne")
    assert own.loc[own["evaluator_id"] == "anne", "reason"].tolist() == [SECRET]
    # Anne sees her own and every submitted evaluator's, nobody else's unsubmitted rows.
    assert set(own["evaluator_id"]) == {"anne", "risten", "siiri", "kristoffer", "ingrid"}
    # The consensus meeting works from submitted scores only, even for Anne herself.
    assert "anne" not in set(ev.scores(con, viewer="anne", submitted_only=True)["evaluator_id"])


def test_the_audit_log_hides_unsubmitted_values_but_keeps_the_entries(con):
    save_secret(con)
    for viewer in ("bjorn", None):
        table = audit.entries(con, viewer=viewer)
        mine = table[table["entity_id"].str.startswith("anne/")]
        assert len(mine) == 2 and mine["hidden"].all()
        assert mine["new_value"].isna().all()
        text = audit.to_csv(table).decode("utf-8-sig")
        assert SECRET not in text
        assert '"score": 3' not in text
        # No hash of a hidden entry either: with so few possible scores it could be guessed.
        assert mine["entry_hash"].isna().all()
        following = table[table["id"].isin(mine["id"] + 1)]
        assert following["prev_hash"].isna().all()
        raw_hashes = {r[0] for r in con.execute("SELECT entry_hash FROM audit_log").fetchall()}
        assert not raw_hashes & set(table.loc[table["hidden"], "entry_hash"].dropna())
    shown = audit.entries(con, viewer="anne")
    assert shown.loc[shown["entity_id"].str.startswith("anne/"), "entry_hash"].notna().all()
    assert SECRET in " ".join(shown["new_value"].dropna())


def test_after_submitting_everyone_sees_the_scores_and_they_are_locked(con):
    fill_everything(con, "anne")
    save_secret(con)
    ev.submit(con, evaluator="anne", actor="anne")
    seen = ev.scores(con, viewer="bjorn")
    assert SECRET in set(seen.loc[seen["evaluator_id"] == "anne", "reason"])
    assert not audit.entries(con, viewer="bjorn")["hidden"].any()
    with pytest.raises(ScoresSubmitted):
        score_lang_04(con, "anne", 9, "Ombestemt")
    assert ev.is_submitted(con, "anne")


def test_submitting_is_refused_until_everything_has_a_score_and_a_reason(con):
    fill_everything(con, "anne")
    con.execute(
        "UPDATE score SET reason = '' WHERE evaluator_id = 'anne' AND requirement_id = 'LANG-04'"
    )
    log_before = len(audit.entries(con))
    with pytest.raises(IncompleteScores) as refused:
        ev.submit(con, evaluator="anne", actor="anne")
    assert refused.value.params["missing"] == len(offers(con))
    assert not ev.is_submitted(con, "anne")
    assert len(audit.entries(con)) == log_before


def test_progress_counts_only_what_has_a_reason(con):
    w, m, n = len(ids(con, "W")), len(ids(con, "M")), len(offers(con))
    start = ev.progress_of(con, "bjorn")
    assert (start.done, start.total, start.submitted) == (0, n * (w + m), False)
    score_lang_04(con, "bjorn", 7, "")
    assert ev.progress_of(con, "bjorn").scores_done == 0
    score_lang_04(con, "bjorn", 7, "God folding")
    after = ev.progress_of(con, "bjorn")
    assert (after.scores_done, after.assessments_done) == (1, 0)
    assert after.share == pytest.approx(1 / (n * (w + m)))
    # The demo's evaluators have finished and submitted.
    demo = {p.evaluator_id: p for p in ev.progress(con)}
    assert all(demo[e].complete and demo[e].submitted for e in ("risten", "ingrid"))


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"score": 11}, InvalidScore),
        ({"score": -1}, InvalidScore),
        ({"score": "mye"}, InvalidScore),
        ({"requirement": "LANG-01"}, InvalidScore),  # mandatory: assessed, not scored
        ({"requirement": "NOPE-99"}, UnknownRequirement),
        ({"offer": "nobody-1"}, UnknownOffer),
        ({"evaluator": "ghost"}, UnknownEvaluator),
    ],
)
def test_bad_scores_are_refused_and_nothing_is_written(con, change, error):
    arguments = {
        "evaluator": "bjorn",
        "offer": "cuovga-1",
        "requirement": "LANG-04",
        "score": 5,
        "reason": "x",
        "actor": "bjorn",
    }
    before = con.execute("SELECT count(*) FROM score").fetchone()
    with pytest.raises(error):
        ev.save_score(con, **{**arguments, **change})
    assert con.execute("SELECT count(*) FROM score").fetchone() == before


def test_the_demo_consensus_view_is_full(demo_db):
    con = open_database(demo_db)
    submitted = ev.scores(con, viewer=None, submitted_only=True)
    w = con.execute("SELECT count(*) FROM requirement WHERE kind = 'W'").fetchone()[0]
    assert len(submitted) == 4 * 5 * w
    assert len(ev.assessments(con, viewer=None, submitted_only=True)) > 0


def test_consensus_needs_a_reason_and_moves_the_ranking(demo_db):
    con = open_database(demo_db)
    with pytest.raises(InvalidScore):
        ev.save_consensus(
            con, offer="cuovga-1", requirement="LANG-04", score=1, reason=" ", actor="møte"
        )
    before = evaluate(load_inputs(con), published_weights(con)).total
    assert ev.save_consensus(
        con, offer="cuovga-1", requirement="LANG-04", score=0, reason="Enige: mangler", actor="m"
    )
    after = evaluate(load_inputs(con), published_weights(con)).total
    weight = evaluate(load_inputs(con), published_weights(con)).column_weights["LANG-04"]
    # 9 → 0 on LANG-04 costs 9 points × its global weight × 10 of the 100 total.
    assert before["cuovga-1"] - after["cuovga-1"] == pytest.approx(9 * weight * 10)
    assert not ev.save_consensus(
        con, offer="cuovga-1", requirement="LANG-04", score=0, reason="Enige: mangler", actor="m"
    )
    logged = audit.entries(con, where=audit.LogFilter(entities=("consensus",)))
    assert logged["entity_id"].tolist() == ["cuovga-1/LANG-04"]


def test_an_agreed_material_deviation_rejects_the_offer(demo_db):
    con = open_database(demo_db)
    ev.save_mandatory_check(
        con,
        offer="cuovga-1",
        requirement="LANG-01",
        outcome="material_deviation",
        reason="Enige: UTF-8 mangler i etikettene",
        actor="m",
    )
    assert "cuovga-1" in evaluate(load_inputs(con), published_weights(con)).rejected


def test_migration_counts_earlier_scores_as_submitted():
    raw = duckdb.connect(":memory:")
    raw.execute(
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
        " applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
    )
    for version, name, sql in migrations():
        if version >= 3:
            break
        raw.execute(sql)
        raw.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)", [version, name])
    raw.execute("INSERT INTO evaluator (id, name) VALUES ('old', 'O'), ('new', 'N')")
    raw.execute(
        "INSERT INTO score (evaluator_id, offer_id, requirement_id, score) VALUES"
        " ('old', 'x', 'y', 5)"
    )
    raw.execute("INSERT INTO audit_log (actor, action, entity) VALUES ('a', 'b', 'c')")
    migrate(raw)
    assert ev.is_submitted(raw, "old") and not ev.is_submitted(raw, "new")
    report = audit.verify(raw)
    assert report.intact and report.before_chain == 1


def test_the_csv_export_reads_back_with_sami_letters(demo_db):
    con = open_database(demo_db)
    ev.save_consensus(
        con, offer="cuovga-1", requirement="LANG-04", score=8, reason="Ŋ og ŧ foldes", actor="m"
    )
    data = audit.to_csv(audit.entries(con))
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[-1]["entity"] == "consensus"
    assert "Ŋ og ŧ foldes" in rows[-1]["new_value"]
    assert len(rows[-1]["entry_hash"]) == 64


def test_progress_detail_adds_up_to_the_total(con):
    save_secret(con)
    detail = ev.progress_detail(con, "anne")
    total = ev.progress_of(con, "anne")
    assert detail["total"].sum() == total.total
    assert detail["done"].sum() == total.done == 2
    row = detail[(detail["offer_id"] == "cuovga-1") & (detail["category_id"] == "LANG")]
    assert row["done"].tolist() == [2]


def test_still_missing_lists_every_entry_without_a_reason(con):
    every = con.execute(
        "SELECT count(*) FROM offer, requirement WHERE kind IN ('W', 'M') AND NOT retired"
    ).fetchone()[0]
    assert len(ev.still_missing(con, "marit")) == every
    con.execute(
        "INSERT INTO score (evaluator_id, offer_id, requirement_id, score, reason) VALUES"
        " ('marit', 'nordlys-1', 'LANG-04', 7, 'Godt'), ('marit', 'tindra-1', 'LANG-04', 5, ' ')"
    )
    missing = ev.still_missing(con, "marit")
    pairs = set(zip(missing["offer_id"], missing["requirement_id"], strict=True))
    assert len(pairs) == every - 1
    assert ("nordlys-1", "LANG-04") not in pairs and ("tindra-1", "LANG-04") in pairs
    assert ev.still_missing(con, "risten").empty  # submitted, everything done
