"""The Logg page's table: newest first, people by name, changes as text, not JSON (the
CSV download, ``store.audit.to_csv``, keeps the stored values)."""

from __future__ import annotations

from tests.dbdump import raw_edit, rows
from tests.pages.test_pages import open_page
from ui import state


def test_the_newest_entry_comes_first_as_readable_text(demo_db):
    at = open_page("pages/evaluation.py")
    at.selectbox(key=state.EVALUATOR).set_value("marit").run()
    offer = "fjellbok-1"  # the first offer, shown first
    at.number_input(key=state.score_input("marit", offer, "LANG-04")).set_value(5).run()
    at.run()  # a save draws only the form's status again: draw it whole
    at.text_area(key=state.reason_input("marit", offer, "LANG-04")).input("Ganske bra").run()
    at.run()
    at.number_input(key=state.score_input("marit", offer, "LANG-04")).set_value(7).run()
    at.run()
    newest = rows(demo_db, "SELECT max(id) FROM audit_log")[0][0]

    at.switch_page("pages/log.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    first = table.iloc[0]
    assert first["Nr."] == newest
    assert table["Nr."].tolist() == sorted(table["Nr."].tolist(), reverse=True)
    assert first["Hvem"] == "Marit Johansen Somby"  # the evaluator's name, not "marit"
    assert first["Hva"] == "Evaluatorens poeng"
    assert first["Endring"] == "score: 5 → 7"
    shown = table.astype(str).to_numpy().ravel()
    assert not any("{" in cell or "}" in cell for cell in shown)


def test_a_person_signed_in_is_named_from_the_people_table(demo_db):
    raw_edit(
        demo_db,
        "INSERT INTO person (id, name) VALUES ('kari@example.no', 'Kari Nordmann')",
        "UPDATE audit_log SET actor = 'kari@example.no' WHERE id = (SELECT max(id) FROM audit_log)",
    )
    at = open_page("pages/log.py")
    assert at.dataframe[0].value.iloc[0]["Hvem"] == "Kari Nordmann"


def test_a_change_is_written_field_by_field():
    from ui.i18n import speaking
    from ui.log import change_text

    with speaking("nb"):
        assert change_text('{"weight": 5, "text": "A"}', '{"weight": 7, "text": "A"}') == (
            "weight: 5 → 7"
        )
        assert change_text(None, '{"score": 6.5, "reason": "Bra"}') == "score: 6,5; reason: Bra"
        assert change_text('"Standard"', '"Ny"') == "Standard → Ny"
        assert change_text('{"no_ties": true}', None) == "no_ties: ja → –"
        assert change_text('{"a": [1, 2]}', '{"a": [1, 2, 3]}') == "a: 1, 2 → 1, 2, 3"
        assert change_text(None, None) == "–"
