"""The scoring form: the vendor's evidence and roadmap date beside its answer, and the list
of what is still missing before Marit can submit, each item opening where it is."""

from __future__ import annotations

from tests.dbdump import rows
from tests.pages.test_pages import open_page
from ui import state

MARIT = "marit"


def _missing_by_hand(demo_db) -> set[tuple[str, str]]:
    """Every offer and weighted or mandatory requirement Marit has no entry with a reason
    for, straight from the tables."""
    every = set(
        rows(
            demo_db,
            "SELECT o.id, r.id FROM offer o, requirement r"
            " WHERE r.kind IN ('W', 'M') AND NOT r.retired",
        )
    )
    done = set(
        rows(
            demo_db,
            "SELECT offer_id, requirement_id FROM score"
            " WHERE evaluator_id = 'marit' AND trim(reason) <> ''"
            " UNION SELECT offer_id, requirement_id FROM mandatory_assessment"
            " WHERE evaluator_id = 'marit' AND trim(reason) <> ''",
        )
    )
    return every - done


def _listed(at) -> set[tuple[str, str]]:
    options = at.selectbox(key=state.SCORING_JUMP).options
    found = set()
    for label in options:
        vendor, rest = label.split(" · ", 1)
        found.add((vendor, rest.split(" – ", 1)[0]))
    return found


def test_the_missing_list_names_exactly_what_marit_has_left(demo_db):
    names = dict(
        rows(demo_db, "SELECT o.id, v.name FROM offer o JOIN vendor v ON v.id = o.vendor_id")
    )
    at = open_page("pages/evaluation.py")
    at.selectbox(key=state.EVALUATOR).set_value(MARIT).run()
    offer = at.selectbox(key=state.SCORING_OFFER).value
    # Each save draws only the form's status again (the list among it), so the fields are
    # found again after a whole run.
    at.number_input(key=state.score_input(MARIT, offer, "LANG-04")).set_value(8).run()
    at.run()
    at.text_area(key=state.reason_input(MARIT, offer, "LANG-04")).input("Godt løst").run()
    at.run()
    at.selectbox(key=state.outcome_input(MARIT, offer, "LANG-01")).set_value("met").run()
    at.run()
    at.text_area(key=state.reason_input(MARIT, offer, "LANG-01")).input("UTF-8 hele veien").run()
    at.run()
    # A score without a reason is not done yet.
    at.number_input(key=state.score_input(MARIT, offer, "LANG-05")).set_value(6).run()
    # The status alone was drawn again: the list is already up to date.
    assert not at.exception

    expected = {(names[o], r) for o, r in _missing_by_hand(demo_db)}
    assert (names[offer], "LANG-04") not in expected
    assert (names[offer], "LANG-05") in expected
    assert _listed(at) == expected
    label = at.selectbox(key=state.SCORING_JUMP).label
    assert f"{len(expected)} punkter" in label


def test_choosing_a_missing_item_opens_its_offer_and_category(read_only_demo_db):
    at = open_page("pages/evaluation.py")
    at.selectbox(key=state.EVALUATOR).set_value(MARIT).run()
    jump = at.selectbox(key=state.SCORING_JUMP)
    vendor, rest = jump.options[-1].split(" · ", 1)
    requirement = rest.split(" – ", 1)[0]
    jump.select_index(len(jump.options) - 1).run()
    assert not at.exception
    offer = at.selectbox(key=state.SCORING_OFFER).value
    assert rows(
        read_only_demo_db,
        "SELECT v.name FROM offer o JOIN vendor v ON v.id = o.vendor_id WHERE o.id = ?",
        [offer],
    ) == [(vendor,)]
    category = rows(
        read_only_demo_db, "SELECT category_id FROM requirement WHERE id = ?", [requirement]
    )
    assert at.selectbox(key=state.SCORING_CATEGORY).value == category[0][0]
    assert at.text_area(key=state.reason_input(MARIT, offer, requirement)).value == ""
    assert at.selectbox(key=state.SCORING_JUMP).value is None


def test_the_vendors_evidence_and_roadmap_date_follow_its_answer(read_only_demo_db):
    offer, requirement, evidence, roadmap = rows(
        read_only_demo_db,
        "SELECT r.offer_id, r.requirement_id, r.evidence, r.roadmap_date FROM response r"
        " JOIN requirement q ON q.id = r.requirement_id AND q.kind = 'W'"
        " WHERE r.roadmap_date IS NOT NULL AND r.evidence <> ''"
        " ORDER BY r.offer_id, r.requirement_id LIMIT 1",
    )[0]
    category = rows(
        read_only_demo_db, "SELECT category_id FROM requirement WHERE id = ?", [requirement]
    )
    at = open_page("pages/evaluation.py")
    at.selectbox(key=state.EVALUATOR).set_value(MARIT).run()
    at.selectbox(key=state.SCORING_OFFER).set_value(offer).run()
    at.selectbox(key=state.SCORING_CATEGORY).set_value(category[0][0]).run()
    expected = f"Dokumentasjon: {evidence} · Veikartdato: {roadmap.strftime('%d.%m.%Y')}"
    assert any(expected in c.value for c in at.caption), expected


def test_a_long_category_is_shown_in_parts_and_a_missing_item_opens_its_part(demo_db):
    import duckdb

    from ui.evaluation.scoring_form import PART_SIZE

    with duckdb.connect(str(demo_db)) as con:
        # Twenty more weighted requirements in LANG, after its own (a larger tender's size).
        con.execute(
            "INSERT INTO requirement (id, category_id, kind, text_nb, text_en, weight,"
            " retired, sort_order) SELECT 'LANG-X' || lpad(i::VARCHAR, 2, '0'), 'LANG', 'W',"
            " 'Tilleggskrav ' || i, 'Extra requirement ' || i, 1, false, 1000 + i"
            " FROM range(1, 21) t(i)"
        )
        ids = [
            r[0]
            for r in con.execute(
                "SELECT id FROM requirement WHERE category_id = 'LANG' AND kind IN ('W', 'M')"
                " AND NOT retired ORDER BY sort_order, id"
            ).fetchall()
        ]
    assert len(ids) > PART_SIZE
    at = open_page("pages/evaluation.py")
    at.selectbox(key=state.EVALUATOR).set_value(MARIT).run()
    at.selectbox(key=state.SCORING_CATEGORY).set_value("LANG").run()
    offer = at.selectbox(key=state.SCORING_OFFER).value
    part = at.selectbox(key=state.SCORING_PART)
    assert len(part.options) == -(-len(ids) // PART_SIZE)
    assert part.options[0] == f"{ids[0]} til {ids[PART_SIZE - 1]}"

    def shown() -> list[str]:
        prefix = f"reason:{MARIT}:{offer}:"
        return [t.key.removeprefix(prefix) for t in at.text_area if t.key.startswith(prefix)]

    assert shown() == ids[:PART_SIZE]
    part.select_index(1).run()
    assert shown() == ids[PART_SIZE : 2 * PART_SIZE]
    # Another category opens at its first part; a missing item opens the part it is in.
    at.selectbox(key=state.SCORING_CATEGORY).set_value("CAT").run()
    assert not any(s.key == state.SCORING_PART for s in at.selectbox)
    jump = at.selectbox(key=state.SCORING_JUMP)
    wanted = next(i for i, o in enumerate(jump.options) if " · LANG-X20 – " in o)
    jump.select_index(wanted).run()
    assert not at.exception
    assert at.selectbox(key=state.SCORING_CATEGORY).value == "LANG"
    assert "LANG-X20" in shown()
