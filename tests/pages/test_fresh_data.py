"""Cached reads never outlive the data they were read from: a change made through the app
shows at once, and so does one made past it, with a plain DuckDB connection to the file."""

from __future__ import annotations

import csv

from tests.dbdump import raw_edit, rows
from tests.pages.test_pages import ROOT, open_page
from ui import state


def _metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_a_change_made_past_the_app_shows_on_the_next_run(demo_db):
    with (ROOT / "demo" / "data" / "libraries.csv").open(encoding="utf-8") as handle:
        libraries = sum(1 for _ in csv.DictReader(handle))
    at = open_page("pages/overview.py")
    assert _metric(at, "Bibliotek") == str(libraries)
    at.run()  # a rerun with nothing changed reads the same
    assert _metric(at, "Bibliotek") == str(libraries)

    raw_edit(
        demo_db,
        "DELETE FROM library WHERE id IN ('tromso-folkebibliotek', 'harstad-folkebibliotek')",
    )
    at.run()
    assert not at.exception
    assert _metric(at, "Bibliotek") == str(libraries - 2)

    # And again: every edit is seen, not only the first.
    raw_edit(demo_db, "DELETE FROM library WHERE id = 'alta-folkebibliotek'")
    at.run()
    assert _metric(at, "Bibliotek") == str(libraries - 3)


def test_a_change_made_through_the_app_shows_at_once(demo_db):
    at = open_page("pages/price.py")
    assert any("Kunngjort nå: **lineær" in m.value for m in at.markdown)
    at.selectbox(key=state.PRICE_MODEL_CHOICE).set_value("proportional")
    at.text_area(key=state.PRICE_REASON).input("Vedtatt i arbeidsgruppa")
    at.button(key="price:save").click().run()
    assert not at.exception
    assert rows(demo_db, "SELECT value FROM setting WHERE key = 'price_model'") == [
        ("proportional",)
    ]
    assert any("Kunngjort nå: **forholdsmessig**" in m.value for m in at.markdown)
