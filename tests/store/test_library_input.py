"""The input round in the store: answers kept and numbered, the newest counting, the status
of every library, proposals decided; every refusal leaves the database as it was."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from store import audit, freeze, library_input
from store.errors import InputRefused, ModelFrozen
from store.library_input import LibraryAnswer, Priority, Proposal
from store.problems import LibraryInputRefused
from tests.dbdump import dump

ALTA, KARASJOK, TANA, BUSS = (
    "alta-folkebibliotek",
    "karasjok-folkebibliotek",
    "tana-folkebibliotek",
    "bokbuss-sor-troms",
)


def _answer(library: str, lang: int, cat: int, *, proposal: str = "") -> LibraryAnswer:
    return LibraryAnswer(
        library,
        {"staff": 2.5, "sami_collection": True, "shared_catalogue": "wanted"},
        [
            Priority("category", "LANG", lang, "Samisk er viktig"),
            Priority("requirement", "LANG-04", lang),
            Priority("requirement", "CAT-04", cat),
            Priority("requirement", "CAT-06", None),
        ],
        [Proposal(proposal, "LANG")] if proposal else [],
    )


@pytest.fixture
def con(con):
    """The demo without its input round (its tables emptied past the store; the log keeps
    the demo's entries, which the tests leave aside by actor): every case is built here."""
    for table in ("library_priority", "library_proposal", "library_answer", "library_input_sent"):
        con.execute(f"DELETE FROM {table}")
    return con


def _log(con, entity: str = "library_input") -> pd.DataFrame:
    log = audit.entries(con)
    return log[(log["entity"] == entity) & (log["actor"] != "demo")]


def test_a_second_answer_counts_and_both_are_kept_and_logged(con):
    library_input.import_answer(con, _answer(ALTA, 4, 1), actor="ag", file_name="a1.xlsx")
    library_input.import_answer(con, _answer(ALTA, 2, 3), actor="ag", file_name="a2.xlsx")
    kept = con.execute(
        "SELECT answer_number, item_id, importance FROM library_priority"
        " WHERE library_id = ? ORDER BY answer_number, item_id",
        [ALTA],
    ).fetchall()
    assert kept == [
        (1, "CAT-04", 1), (1, "LANG", 4), (1, "LANG-04", 4),
        (2, "CAT-04", 3), (2, "LANG", 2), (2, "LANG-04", 2),
    ]  # fmt: skip
    current = library_input.current_priorities(con)
    assert sorted(current.itertuples(index=False, name=None)) == [
        (ALTA, "category", "LANG", 2),
        (ALTA, "requirement", "CAT-04", 3),
        (ALTA, "requirement", "LANG-04", 2),
    ]
    assert list(current.columns) == ["library_id", "item_kind", "item_id", "importance"]
    answered = library_input.answered_libraries(con)
    assert list(answered.columns) == ["library_id", "answered_at", "answer_number"]
    assert answered[["library_id", "answer_number"]].values.tolist() == [[ALTA, 2]]
    imports = _log(con)
    assert imports["action"].tolist() == ["import", "import"]
    assert [a["file"] for a in imports["new_value"].map(json.loads)] == [
        "a1.xlsx",
        "a2.xlsx",
    ]


def test_the_status_of_every_library_against_a_constructed_round(con):
    library_input.mark_sent(con, [ALTA, KARASJOK, TANA], actor="ag")
    library_input.import_answer(con, _answer(KARASJOK, 4, 2), actor="ag")
    library_input.import_answer(con, _answer(BUSS, 1, 4), actor="ag")  # answered unasked
    status = library_input.input_status(con).set_index("library_id")
    assert len(status) == 46
    assert status.loc[ALTA, "status"] == "sent"
    assert status.loc[TANA, "status"] == "sent"
    assert status.loc[KARASJOK, "status"] == "answered"
    assert status.loc[BUSS, "status"] == "answered"
    assert status.loc["tromso-folkebibliotek", "status"] == "not_sent"
    assert (status["status"] == "not_sent").sum() == 46 - 4
    waiting = library_input.not_heard_from(con)
    assert set(waiting) == {"Finnmark", "Troms"}
    assert ALTA in waiting["Finnmark"] and TANA in waiting["Finnmark"]
    assert KARASJOK not in waiting["Finnmark"] and BUSS not in waiting["Troms"]
    assert len(waiting["Finnmark"]) + len(waiting["Troms"]) == 44


@pytest.mark.parametrize(
    "bad",
    [
        LibraryAnswer(ALTA, {}, [Priority("requirement", "LANG-04", 7)]),
        LibraryAnswer(ALTA, {}, [Priority("requirement", "LANG-01", 3)]),  # mandatory
        LibraryAnswer(ALTA, {}, [Priority("category", "NOPE", 3)]),
        LibraryAnswer(ALTA, {"staff": -1}),
        LibraryAnswer(ALTA, {"shared_catalogue": "maybe"}),
        LibraryAnswer(ALTA, {}, [], [Proposal("", "LANG")]),
        LibraryAnswer("no-such-library", {}),
    ],
)
def test_a_bad_answer_is_refused_and_leaves_nothing(con, bad):
    before = dump(con)
    with pytest.raises((LibraryInputRefused, InputRefused)):
        library_input.import_answer(con, bad, actor="ag")
    assert dump(con) == before


def test_a_proposal_is_declined_with_a_reason_or_accepted_into_the_catalogue(con):
    library_input.import_answer(con, _answer(ALTA, 3, 3, proposal="Nordsamisk lånekort"), actor="a")
    library_input.import_answer(con, _answer(TANA, 3, 3, proposal="Kvensk grensesnitt"), actor="a")
    before = dump(con)
    with pytest.raises(InputRefused):
        library_input.decline_proposal(con, 1, reason="  ", actor="ag")
    assert dump(con) == before
    library_input.decline_proposal(con, 1, reason="Dekket av LANG-09", actor="ag")
    with pytest.raises(InputRefused):
        library_input.decline_proposal(con, 1, reason="Igjen", actor="ag")
    new = {
        "id": "LANG-90", "category_id": "LANG", "kind": "W", "text_nb": "Kvensk grensesnitt",
        "text_en": "Kven interface", "weight": 1,
    }  # fmt: skip
    assert library_input.accept_proposal(con, 2, new, actor="ag") == "LANG-90"
    row = con.execute("SELECT kind, text_nb FROM requirement WHERE id = 'LANG-90'").fetchone()
    assert row == ("W", "Kvensk grensesnitt")
    decided = con.execute(
        "SELECT id, status, requirement_id, reason FROM library_proposal"
    ).fetchall()
    assert sorted(decided) == [
        (1, "declined", None, "Dekket av LANG-09"),
        (2, "accepted", "LANG-90", ""),
    ]
    assert _log(con)["action"].tolist()[-2:] == ["decline", "accept"]
    assert _log(con, "requirement")["entity_id"].tolist()[-1] == "LANG-90"


def test_answering_again_keeps_the_open_proposals_and_shows_a_repeated_one_once(con):
    def propose(library: str, text: str) -> None:
        library_input.import_answer(con, _answer(library, 3, 3, proposal=text), actor="a")

    propose(ALTA, "Nordsamisk lånekort")
    propose(ALTA, "Kvensk grensesnitt")
    propose(ALTA, " kvensk Grensesnitt")
    propose(TANA, "Skoltesamisk tastatur")
    library_input.decline_proposal(con, 4, reason="Dekket av LANG-09", actor="ag")
    propose(TANA, "Skoltesamisk tastatur")
    shown = library_input.proposals(con)
    # Alta's first proposal stays open after two newer answers; its repeated one is shown
    # once, as the newest; Tana's declined proposal stands for the repeat that came later.
    assert list(zip(shown["id"], shown["library_id"], shown["status"], strict=True)) == [
        (1, ALTA, "open"),
        (3, ALTA, "open"),
        (4, TANA, "declined"),
    ]


def test_accepting_after_the_freeze_needs_a_reason(con):
    library_input.import_answer(con, _answer(ALTA, 3, 3, proposal="Nytt krav"), actor="a")
    freeze.freeze_model(con, actor="ag")
    new = {"id": "LANG-90", "category_id": "LANG", "kind": "W", "text_nb": "Nytt",
           "text_en": "New", "weight": 1}  # fmt: skip
    before = dump(con)
    with pytest.raises(ModelFrozen):
        library_input.accept_proposal(con, 1, new, actor="ag")
    assert dump(con) == before
    library_input.accept_proposal(con, 1, new, actor="ag", reason="Innspill fra Alta")
    assert con.execute("SELECT status FROM library_proposal").fetchone() == ("accepted",)
