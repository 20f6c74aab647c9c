"""The Logg page shows the anchor to write in the minutes, and a wiped log as a problem."""

from __future__ import annotations

from store import audit
from store.db import open_database
from tests.dbdump import raw_edit
from tests.pages.test_pages import open_page


def test_the_log_page_shows_the_anchor_for_the_minutes(read_only_demo_db):
    con = open_database(read_only_demo_db)
    anchor = audit.anchor(con)
    con.close()
    assert anchor is not None
    at = open_page("pages/log.py")
    assert not at.exception
    assert [c.value for c in at.code] == [anchor.line]
    assert any("Skriv dette ankeret inn i referatet" in m.value for m in at.markdown)


def test_a_wiped_log_is_not_shown_as_empty(demo_db):
    raw_edit(demo_db, "DELETE FROM audit_log", "DELETE FROM audit_head")
    at = open_page("pages/log.py")
    assert not at.exception
    # No note of an empty log (only the banner of local mode).
    assert not [i for i in at.info if "Lokal modus" not in i.value]
    assert any("slettet" in e.value for e in at.error)
