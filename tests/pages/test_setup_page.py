"""Page Oppsett on an empty database: a working group sets up its own tender."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from store import freeze, tender
from store.db import connect
from store.errors import InvalidRegistration
from tests.dbdump import rows
from tests.pages.test_pages import open_page, open_tab, press
from ui import state


def open_setup(language: str = "nb", tab: str | None = None) -> AppTest:
    """Oppsett, on the tab ``tab`` (its label in ``language``) or on the first."""
    at = open_page("pages/setup.py", language)
    return open_tab(at, state.SETUP_TAB, tab) if tab else at


def test_only_the_open_tab_is_drawn_and_it_stays_open_across_runs_and_languages(read_only_demo_db):
    at = open_setup("en")
    drawn = lambda: [t.label for t in at.tabs if t.children]  # noqa: E731
    assert drawn() == ["The tender"]
    open_tab(at, state.SETUP_TAB, "Price schedule")
    assert drawn() == ["Price schedule"]
    at.run()
    assert drawn() == ["Price schedule"]
    at.session_state[state.LANGUAGE] = "nb"  # the same tab, under its Norwegian name
    at.run()
    assert drawn() == ["Prisskjema"]


def test_the_tender_is_saved_from_an_empty_database(empty_db):
    at = open_setup()
    assert at.title[0].value == "Oppsett"
    at.text_input[0].set_value("Nytt biblioteksystem for Troms og Finnmark")
    at.text_input[1].set_value("2026-123456")
    at.number_input[0].set_value(5)
    press(at, "Lagre konkurransen")
    assert "Konkurransen er lagret." in [s.value for s in at.success]
    settings = dict(rows(empty_db, "SELECT key, value FROM setting"))
    assert settings["tender_name"] == "Nytt biblioteksystem for Troms og Finnmark"
    assert settings["contract_years"] == "5"


def test_the_standstill_period_is_set_on_the_tender_form_and_no_shorter_than_the_law_allows(
    empty_db,
):
    at = open_setup("en")
    at.text_input[0].set_value("Nytt biblioteksystem")
    standstill = [n for n in at.number_input if n.label.startswith("Standstill period")][0]
    assert standstill.value == 10  # FOA § 25-2's least, bibvalg's default
    assert standstill.min == 10
    standstill.set_value(14)
    press(at, "Save the tender")
    assert dict(rows(empty_db, "SELECT key, value FROM setting"))["standstill_days"] == "14"
    with connect(empty_db) as con:
        with pytest.raises(InvalidRegistration, match="FOA § 25-2"):
            tender.save_tender(
                con, tender.Tender(name="Nytt", standstill_days=9), actor="arbeidsgruppa"
            )
        assert tender.tender(con).standstill_days == 14


def test_a_vendor_with_a_wrong_organisation_number_is_refused_with_a_message(empty_db):
    at = open_setup("en", "Vendors and offers")
    form = [t for t in at.text_input if t.label.startswith("Organisation number")][0]
    ids = [t for t in at.text_input if t.label.startswith("Id (")]
    names = [t for t in at.text_input if t.label == "Name"]
    ids[-1].set_value("nordlys")
    names[-1].set_value("Nordlys Bibliotek AS")
    form.set_value("974760674")
    press(at, "Register")
    assert any("not a Norwegian organisation number" in e.value for e in at.error)
    assert rows(empty_db, "SELECT count(*) FROM vendor") == [(0,)]


def test_an_evaluator_is_added_and_declares_before_scoring(empty_db):
    at = open_setup("en", "Evaluators")
    ids = [t for t in at.text_input if t.label.startswith("Id (")]
    names = [t for t in at.text_input if t.label == "Name"]
    ids[0].set_value("risten")
    names[0].set_value("Risten Márjá Eira")
    press(at, "Add")
    assert rows(empty_db, "SELECT id, name FROM evaluator") == [("risten", "Risten Márjá Eira")]
    table = at.dataframe[0].value
    assert table["Declaration of impartiality"].tolist() == ["not declared: cannot score yet"]
    press(at, "Record the declaration")
    assert rows(empty_db, "SELECT evaluator_id, no_ties FROM impartiality_declaration") == [
        ("risten", True)
    ]


@pytest.mark.parametrize(
    ("language", "title", "evaluators_tab", "libraries_tab"),
    [("nb", "Oppsett", "Evaluatorer", "Bibliotek"), ("en", "Setup", "Evaluators", "Libraries")],
)
def test_on_the_demo_every_evaluator_has_declared(
    read_only_demo_db, language, title, evaluators_tab, libraries_tab
):
    at = open_setup(language, evaluators_tab)
    assert at.title[0].value == title
    evaluators = at.dataframe[0].value
    assert len(evaluators) == 5
    declared = "ingen bindinger (15.01.2026)" if language == "nb" else "no ties (15.01.2026)"
    assert set(evaluators.iloc[:, 2]) == {declared}
    open_tab(at, state.SETUP_TAB, libraries_tab)
    assert len(at.dataframe[0].value) == 46  # the demo's libraries


def test_the_offers_are_opened_only_after_the_freeze(demo_db):
    at = open_setup("en", "Vendors and offers")
    [button] = [b for b in at.button if b.key == "setup:open_offers"]
    assert button.disabled and button.label == "Open the offers of round 1"
    con = connect(demo_db)
    freeze.freeze_model(con, actor="kari")
    con.close()
    at = open_setup("en", "Vendors and offers")
    at.button(key="setup:open_offers").click().run()
    assert not at.exception
    assert "The offers of round 1 are opened." in [s.value for s in at.success]
    assert [r[0] for r in rows(demo_db, "SELECT round FROM offer_opening")] == [1]
    # An open tender has no second round.
    assert not [b for b in at.button if b.key == "setup:open_offers"]
