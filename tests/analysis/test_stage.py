"""Where the work stands: each step and what it lacks, from an empty tender to the ranking."""

from __future__ import annotations

import pytest

from analysis.stage import stage
from demo import RESPONSES_DIR
from store import evaluators, freeze, opening
from store.db import connect
from store.errors import OffersNotOpen
from tests.dbdump import refused_unchanged
from vendors import responses


def lacking(con):
    return {s.key: [m.message for m in s.missing] for s in stage(con).steps}


def test_an_empty_tender_starts_at_the_specification():
    con = connect(":memory:")
    where = stage(con)
    assert where.current is not None and where.current.key == "specification"
    assert lacking(con)["specification"] == [
        "No award criteria yet.",
        "No requirements yet.",
        "No published weight profile yet.",
    ]
    assert not any(s.done for s in where.steps)
    assert where.to_dict()["stage"] == "specification"


@pytest.fixture
def demo(demo_con):
    return demo_con


def test_the_demo_waits_for_the_freeze_and_marit(demo):
    where = stage(demo)
    assert [s.key for s in where.steps if s.done] == ["specification", "offers"]
    assert where.current is not None and where.current.key == "frozen"
    scoring = lacking(demo)["scoring"]
    assert scoring == ["{evaluator} has not submitted ({done} of {total} done)."]
    marit = next(p for p in where.evaluators if p.evaluator_id == "marit")
    assert (marit.done, marit.submitted) == (0, False)
    assert marit.total == 5 * (31 + 21)  # five offers × (weighted + mandatory requirements)


def test_opening_is_refused_before_the_freeze_and_twice(demo):
    with refused_unchanged(demo, OffersNotOpen):
        opening.open_offers(demo, actor="kari")
    freeze.freeze_model(demo, actor="kari")
    opened = opening.open_offers(demo, actor="kari")
    assert (opened.round, opened.opened_by) == (1, "kari")
    with pytest.raises(OffersNotOpen):
        opening.open_offers(demo, actor="kari")


def test_after_the_opening_a_new_answer_file_is_a_correction_with_a_reason(demo):
    freeze.freeze_model(demo, actor="kari")
    opening.open_offers(demo, actor="kari")
    data = (RESPONSES_DIR / "tindra-1.xlsx").read_bytes()
    with refused_unchanged(demo, OffersNotOpen):
        responses.import_responses(demo, "tindra-1", data, actor="kari")
    responses.import_responses(
        demo, "tindra-1", data, actor="kari", reason="Rettet svar etter avklaring"
    )


def test_with_everything_done_the_ranking_is_ready(demo):
    freeze.freeze_model(demo, actor="kari")
    opening.open_offers(demo, actor="kari")
    evaluators.retire_evaluator(demo, "marit", reason="Fikk ikke tid", actor="kari")
    where = stage(demo)
    assert all(s.done for s in where.steps), lacking(demo)
    assert where.current is None
    assert where.to_dict()["stage"] == "done"
