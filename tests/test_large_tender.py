"""The large tender the page benchmark times: the demo grown to the size asked for, every
evaluator's score and assessment there, and the app's ranking able to run on it."""

from __future__ import annotations

import duckdb

from analysis.ranking import published
from benchmarks.large_tender import TenderSize, build_large_tender
from store.db import connect

SIZE = TenderSize(offers=7, requirements=70, evaluators=6)


def test_the_demo_grown_to_the_size_asked_for(tmp_path):
    db = tmp_path / "large.duckdb"
    build_large_tender(db, SIZE)
    with duckdb.connect(str(db)) as con:

        def one(sql: str) -> int:
            return int(con.execute(sql).fetchone()[0])

        assert one("SELECT count(*) FROM offer") == 7
        assert one("SELECT count(*) FROM requirement") == 70
        assert one("SELECT count(*) FROM evaluator") == 6
        weighted = one("SELECT count(*) FROM requirement WHERE kind = 'W'")
        mandatory = one("SELECT count(*) FROM requirement WHERE kind = 'M'")
        assert one("SELECT count(*) FROM score") == 6 * 7 * weighted
        assert one("SELECT count(*) FROM mandatory_assessment") == 6 * 7 * mandatory
        assert one("SELECT count(*) FROM consensus") == 7 * weighted
        assert one("SELECT count(*) FROM response") == 7 * 70
        assert one("SELECT count(*) FROM evaluator_submission") == 5  # all but bench-ev0
        assert one("SELECT count(*) FROM offer_price") == 7 * one("SELECT count(*) FROM price_line")
        offers = sorted(r[0] for r in con.execute("SELECT id FROM offer").fetchall())
    con = connect(db)
    try:
        ranking = published(con)
    finally:
        con.close()
    assert ranking.evaluation is not None
    assert sorted(ranking.evaluation.rank.index) == offers
