"""The Krav page's form for one requirement (the keyboard's way to edit the catalogue),
through AppTest."""

from __future__ import annotations

from store.db import connect
from tests.pages.test_pages import open_page
from ui import state

PAGE = "pages/requirements.py"


def stored(path, sql, *args):
    con = connect(path)
    try:
        return con.execute(sql, list(args)).fetchall()
    finally:
        con.close()


def form_key(at, requirement: str) -> str:
    return next(
        w.key
        for w in at.text_area
        if w.key and w.key.startswith(f"requirement_form:{requirement}:")
    ).rsplit(":", 1)[0]


def test_one_requirement_is_saved_from_the_form_and_logged(demo_db):
    at = open_page(PAGE)
    third = at.data_editor[0].value.loc[3, "id"]  # the catalogue's rows are numbered from 1
    [(text_nb,)] = stored(demo_db, "SELECT text_nb FROM requirement WHERE id = ?", third)
    at.selectbox(key=state.REQUIREMENT_FORM_CHOICE).set_value(third).run()
    key = form_key(at, third)
    assert at.text_area(key=f"{key}:text_nb").value == text_nb
    at.text_area(key=f"{key}:text_en").input("Sorting follows the Sámi alphabets.")
    at.selectbox(key=f"{key}:kind").set_value("M")
    at.text_input(key=f"{key}:reason").input("Fra høringen")
    next(b for b in at.button if b.label == "Lagre dette kravet").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [s.value for s in at.success] == ["Lagret som katalogversjon 2."]
    row = stored(demo_db, "SELECT kind, text_en, text_nb FROM requirement WHERE id = ?", third)
    assert row == [("M", "Sorting follows the Sámi alphabets.", text_nb)]
    log = stored(
        demo_db,
        "SELECT action, entity_id, reason FROM audit_log WHERE entity = 'requirement'"
        " AND actor <> 'demo'",
    )
    assert log == [("update", third, "Fra høringen")]
    # The form starts again from the saved requirement.
    assert at.text_area(key=f"{form_key(at, third)}:text_en").value == (
        "Sorting follows the Sámi alphabets."
    )


def test_a_refused_change_lists_its_problem_and_changes_nothing(read_only_demo_db):
    before = stored(read_only_demo_db, "SELECT count(*) FROM audit_log")
    at = open_page(PAGE)
    first = at.data_editor[0].value.loc[1, "id"]
    key = form_key(at, first)
    at.text_area(key=f"{key}:text_nb").input("")
    at.text_area(key=f"{key}:text_en").input("")
    next(b for b in at.button if b.label == "Lagre dette kravet").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(e.value.startswith("Ikke lagret:") for e in at.error)
    assert stored(read_only_demo_db, "SELECT count(*) FROM audit_log") == before
