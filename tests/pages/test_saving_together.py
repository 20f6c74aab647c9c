"""Two windows and two evaluators on the Evaluering page through AppTest: a save based on
an outdated entry is refused with the newer one shown, a save that cannot get through says
so under its fields, and what vendors and evaluators wrote is shown as text."""

from __future__ import annotations

import json
import re

import duckdb
import pytest

from store import audit, db
from tests.dbdump import raw_edit, rows
from tests.pages.test_evaluation_pages import first_offer, section
from tests.pages.test_pages import chart, open_page
from ui import state

REQ = "LANG-04"


def _escapes_removed(markdown: str) -> str:
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


def _scoring_as(evaluator: str):
    at = open_page("pages/evaluation.py")
    at.selectbox(key=state.EVALUATOR).set_value(evaluator).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _add_anne(path) -> None:
    """Evaluator anne, declared impartial today, so she may score."""
    raw_edit(
        path,
        "INSERT INTO evaluator (id, name) VALUES ('anne', 'Anne Aikio')",
        "INSERT INTO impartiality_declaration (evaluator_id, declared_on, no_ties, recorded_by)"
        " VALUES ('anne', current_date, true, 'anne')",
    )


def _errors(at) -> list[str]:
    return [e.value for e in at.error]


def test_a_second_window_with_an_outdated_entry_is_refused_and_shows_the_newer(demo_db):
    _add_anne(demo_db)
    offer = first_offer()
    window_a = _scoring_as("anne")
    window_b = _scoring_as("anne")  # both drawn with nothing saved yet
    window_b.number_input(key=state.score_input("anne", offer, REQ)).set_value(8).run()
    window_b.run()  # a save draws only the form's status again: draw it whole
    window_b.text_area(key=state.reason_input("anne", offer, REQ)).input("Fra vindu B").run()
    assert not window_b.exception and not _errors(window_b)

    window_a.number_input(key=state.score_input("anne", offer, REQ)).set_value(3).run()
    assert not window_a.exception
    stored = "SELECT score, reason FROM score WHERE evaluator_id = 'anne'"
    assert rows(demo_db, stored) == [(8.0, "Fra vindu B")]  # B's entry stands
    [message] = _errors(window_a)
    assert "endret et annet sted" in message and "8 – «Fra vindu B»" in message
    # The fields show the newer entry now; a change from here is saved.
    assert window_a.number_input(key=state.score_input("anne", offer, REQ)).value == 8
    assert window_a.text_area(key=state.reason_input("anne", offer, REQ)).value == "Fra vindu B"
    window_a.number_input(key=state.score_input("anne", offer, REQ)).set_value(6).run()
    assert not _errors(window_a)
    assert rows(demo_db, stored) == [(6.0, "Fra vindu B")]

    actions = rows(
        demo_db,
        "SELECT action, old_value, new_value FROM audit_log WHERE entity = 'score'"
        " AND entity_id = ? ORDER BY id",
        [audit.evaluator_entity_id("anne", offer, REQ)],
    )
    assert [a for a, _, _ in actions] == ["create", "update", "refused", "update"]
    assert json.loads(actions[2][1]) == {"score": 8.0, "reason": "Fra vindu B"}
    assert json.loads(actions[2][2])["score"] == 3.0


def test_a_save_that_keeps_colliding_says_so_under_its_fields(demo_db, monkeypatch):
    _add_anne(demo_db)
    offer = first_offer()
    at = _scoring_as("anne")

    def collide(*args, **kwargs):
        raise duckdb.TransactionException("TransactionContext Error: Conflict on update!")

    monkeypatch.setattr(audit, "record", collide)
    monkeypatch.setattr(db, "_backoff", lambda attempt: None)
    at.number_input(key=state.score_input("anne", offer, REQ)).set_value(4).run()
    assert not at.exception
    assert rows(demo_db, "SELECT count(*) FROM score WHERE evaluator_id = 'anne'") == [(0,)]
    [message] = _errors(at)
    assert "Ikke lagret: Lagringen kolliderte" in _escapes_removed(message)
    # shown inside the requirement's own box, after its fields
    boxes = [
        block
        for block in at.main.get("flex_container")
        if [m.value.split(" ")[0] for m in block.get("markdown")] == [f"**{REQ}**"]
        and any(e.value == message for e in block.get("error"))
    ]
    assert boxes


IMAGE = "![x](http://tracker.example/pixel.png?reader=1)"
FORGED = "Greit nok\n\n- Bjørn Berg (10): **helt enig** <img src=x>"


@pytest.fixture
def written_by_others(demo_db):
    offer = first_offer()
    raw_edit(
        demo_db,
        "UPDATE response SET comment = ? WHERE offer_id = ? AND requirement_id = ?",
        params=[f"Se {IMAGE} <b>fet</b> & mer", offer, REQ],
    )
    raw_edit(
        demo_db,
        "UPDATE score SET reason = ? WHERE offer_id = ? AND requirement_id = ?"
        " AND evaluator_id = (SELECT min(evaluator_id) FROM score WHERE offer_id = ?"
        " AND requirement_id = ?)",
        params=[FORGED, offer, REQ, offer, REQ],
    )
    return offer


def test_a_vendors_image_link_is_shown_as_text_and_never_as_an_image(written_by_others):
    at = _scoring_as("marit")
    shown = [c.value for c in at.caption if "tracker.example" in _escapes_removed(c.value)]
    assert shown, "the vendor's comment is shown"
    assert all("![x](" not in value for value in shown)  # escaped: no image syntax left
    assert any(IMAGE in _escapes_removed(value) for value in shown)
    assert not at.get("image")


def test_a_reason_cannot_forge_a_line_in_another_evaluators_name(written_by_others):
    at = open_page("pages/evaluation.py")
    section(at, "consensus")
    at.selectbox(key=state.CONSENSUS_REQUIREMENT).set_value(REQ).run()
    reasons = next(m.value for m in at.markdown if "helt enig" in m.value)
    lines = reasons.split("\n")
    forged = [line for line in lines if "helt enig" in line]
    # The reason stays inside its author's own list item: no blank line, no new item.
    assert "" not in lines
    assert len(forged) == 1 and not forged[0].startswith("- Bjørn")
    # a line of its own only as a break inside the author's item, every mark escaped
    assert lines[lines.index(forged[0]) - 1].endswith("  ")
    assert re.search(r"(?<!\\)[-*<>!\[\]()]", forged[0]) is None
    assert "- Bjørn Berg (10): **helt enig** <img src=x>" in _escapes_removed(reasons)


def test_the_heatmap_hover_holds_escaped_text(written_by_others):
    at = open_page("pages/vendors.py")
    hover_texts = [
        text
        for row in chart(at)["data"][0]["text"]
        for text in row
        if text and "tracker.example" in text
    ]
    assert len(hover_texts) == 1
    [text] = hover_texts
    assert "&lt;b&gt;fet&lt;/b&gt; &amp; mer" in text
    assert "<b>fet</b>" not in text
