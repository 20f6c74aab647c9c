"""A real tender from an empty database: the tender, vendors and offers, evaluators with
their declarations of impartiality, and the list of participating libraries."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from openpyxl import Workbook

from store import audit, evaluation, evaluators, freeze, libraries, offers, org_number, tender
from store.db import connect
from store.errors import InvalidRegistration, ModelFrozen, NotDeclared
from store.problems import LibraryListRefused
from tests.dbdump import dump, refused_unchanged

HEADER = (
    "id,name,sami_name,kind,municipality,region,sami_area,kven,size_class,branches,school_libraries"
)


@pytest.fixture
def empty():
    con = connect(":memory:")
    yield con
    con.close()


@pytest.mark.parametrize(
    "number",
    [
        "974760673",  # 9·3+7·2+4·7+7·6+6·5+0·4+6·3+7·2 = 173 = 15·11 + 8 → 11 − 8 = 3
        "923609016",  # 126 = 11·11 + 5 → 6
        "974 760 673",
        "100000008",  # 1·3 = 3 → 8
        "000000000",  # remainder 0 → control digit 0
    ],
)
def test_valid_organisation_numbers(number):
    assert org_number.is_valid(number)


@pytest.mark.parametrize(
    "number",
    [
        "974760674",  # wrong control digit
        "97476067",  # eight digits
        "9747606733",  # ten digits
        "97476067a",
        "٩٧٤٧٦٠٦٧٣",  # Arabic-Indic digits are digits to Python, not to the register
        "000000400",  # 4·3 = 12, remainder 1: control digit 10, never issued
        "000000401",
        "",
    ],
)
def test_invalid_organisation_numbers(number):
    assert not org_number.is_valid(number)


def test_a_vendor_is_registered_with_its_number_and_logged(empty):
    offers.add_vendor(
        empty, "nordlys", name="Nordlys Bibliotek AS", org_number="974 760 673", actor="kari"
    )
    row = empty.execute("SELECT name, org_number FROM vendor WHERE id = 'nordlys'").fetchone()
    assert row == ("Nordlys Bibliotek AS", "974760673")
    entry = audit.entries(empty).iloc[-1]
    assert (entry["actor"], entry["action"], entry["entity"]) == ("kari", "create", "vendor")


@pytest.mark.parametrize(
    ("vendor", "name", "number"),
    [
        ("nordlys", "Nordlys", "974760674"),
        ("Nordlys AS", "Nordlys", ""),
        ("nordlys", " ", ""),
    ],
)
def test_a_bad_vendor_is_refused_and_nothing_is_written(empty, vendor, name, number):
    with refused_unchanged(empty, InvalidRegistration):
        offers.add_vendor(empty, vendor, name=name, org_number=number, actor="kari")


def test_the_same_vendor_or_number_twice_is_refused(empty):
    offers.add_vendor(empty, "a", name="A", org_number="974760673", actor="kari")
    before = dump(empty)
    with pytest.raises(InvalidRegistration, match="already a vendor"):
        offers.add_vendor(empty, "a", name="A again", actor="kari")
    with pytest.raises(InvalidRegistration, match="organisation number"):
        offers.add_vendor(empty, "b", name="B", org_number="974760673", actor="kari")
    assert dump(empty) == before


def test_a_second_offer_only_where_alternative_offers_are_allowed(empty):
    tender.save_tender(empty, tender.Tender(name="Biblioteksystem 2027"), actor="kari")
    offers.add_vendor(empty, "a", name="A", actor="kari")
    offers.add_offer(empty, "a-1", vendor="a", product="A Library 5", actor="kari")
    with pytest.raises(InvalidRegistration, match="alternative"):
        offers.add_offer(empty, "a-2", vendor="a", product="A Library Lite", actor="kari")
    tender.save_tender(
        empty, tender.Tender(name="Biblioteksystem 2027", alternative_offers=True), actor="kari"
    )
    offers.add_offer(empty, "a-2", vendor="a", product="A Library Lite", actor="kari")
    assert sorted(offers.offers(empty)["id"]) == ["a-1", "a-2"]


def test_the_tender_round_trips_and_each_change_is_logged(empty):
    value = tender.Tender(
        name="Nytt biblioteksystem",
        reference="2026-123456",
        contract_years=5,
        option_years=2,
        deadline=date(2027, 2, 1),
        procedure="negotiation",
    )
    changed = tender.save_tender(empty, value, actor="kari")
    assert tender.tender(empty) == value
    assert "tender_name" in changed and "procedure" in changed
    assert tender.save_tender(empty, value, actor="kari") == []


@pytest.mark.parametrize(
    "value",
    [
        tender.Tender(name=""),
        tender.Tender(name="x", contract_years=0),
        tender.Tender(name="x", option_years=-1),
        tender.Tender(name="x", procedure="auction"),
    ],
)
def test_a_bad_tender_is_refused(empty, value):
    with refused_unchanged(empty, InvalidRegistration):
        tender.save_tender(empty, value, actor="kari")


def test_contract_years_after_the_freeze_need_a_reason(empty):
    tender.save_tender(empty, tender.Tender(name="x", contract_years=4), actor="kari")
    freeze.freeze_model(empty, actor="kari")
    with pytest.raises(ModelFrozen):
        tender.save_tender(empty, tender.Tender(name="x", contract_years=5), actor="kari")
    tender.save_tender(
        empty, tender.Tender(name="x", contract_years=5), actor="kari", reason="Avklart"
    )
    assert tender.tender(empty).contract_years == 5
    assert freeze.status(empty).changes == 1


@pytest.fixture
def scored(empty):
    """One weighted requirement, one offer, one evaluator without a declaration yet."""
    empty.execute(
        "INSERT INTO award_criterion (id, name_nb, name_en, sort_order)"
        " VALUES ('quality', 'Kvalitet', 'Quality', 0)"
    )
    empty.execute(
        "INSERT INTO category (id, criterion_id, name_nb, name_en, sort_order)"
        " VALUES ('LANG', 'quality', 'Språk', 'Language', 0)"
    )
    empty.execute(
        "INSERT INTO requirement VALUES ('LANG-01', 'LANG', 'W', 'Samisk', 'Sámi', 1, false, 0)"
    )
    offers.add_vendor(empty, "a", name="A", actor="kari")
    offers.add_offer(empty, "a-1", vendor="a", product="A 5", actor="kari")
    evaluators.add_evaluator(empty, "risten", name="Risten", actor="kari")
    return empty


def save(con, score=7.0):
    evaluation.save_score(
        con,
        evaluator="risten",
        offer="a-1",
        requirement="LANG-01",
        score=score,
        reason="God støtte",
        actor="risten",
    )


def test_an_evaluator_scores_only_after_declaring_impartiality(scored):
    with pytest.raises(NotDeclared):
        save(scored)
    evaluators.declare_impartiality(
        scored, evaluators.Declaration("risten", date.today(), no_ties=True), actor="risten"
    )
    save(scored)
    assert evaluation.scores(scored, viewer="risten")["score"].tolist() == [7.0]
    entry = audit.entries(scored, viewer="risten")
    assert "impartiality_declaration" in set(entry["entity"])


@pytest.mark.parametrize(
    "declaration",
    [
        evaluators.Declaration("risten", date.today(), no_ties=False, ties=""),
        evaluators.Declaration("risten", date.today(), no_ties=True, ties="Søster i A"),
        evaluators.Declaration("risten", date.today() + timedelta(days=1), no_ties=True),
        evaluators.Declaration("nobody", date.today(), no_ties=True),
    ],
)
def test_a_declaration_that_says_nothing_clear_is_refused(scored, declaration):
    before = dump(scored)
    with pytest.raises(Exception) as raised:
        evaluators.declare_impartiality(scored, declaration, actor="risten")
    assert type(raised.value).__name__ in {"InvalidRegistration", "UnknownEvaluator"}
    assert dump(scored) == before


def test_a_declared_tie_is_kept_on_record(scored):
    evaluators.declare_impartiality(
        scored,
        evaluators.Declaration("risten", date.today(), no_ties=False, ties="Tidligere ansatt i A"),
        actor="risten",
    )
    row = evaluators.evaluators(scored).iloc[0]
    assert (bool(row["no_ties"]), row["ties"]) == (False, "Tidligere ansatt i A")


def test_a_retired_evaluator_cannot_score(scored):
    evaluators.declare_impartiality(
        scored, evaluators.Declaration("risten", date.today(), no_ties=True), actor="risten"
    )
    with pytest.raises(InvalidRegistration):
        evaluators.retire_evaluator(scored, "risten", reason=" ", actor="kari")
    evaluators.retire_evaluator(scored, "risten", reason="Sluttet", actor="kari")
    with pytest.raises(NotDeclared):
        save(scored)


def test_a_submission_is_reopened_with_a_reason(scored):
    evaluators.declare_impartiality(
        scored, evaluators.Declaration("risten", date.today(), no_ties=True), actor="risten"
    )
    save(scored)
    evaluation.submit(scored, evaluator="risten", actor="risten")
    with pytest.raises(InvalidRegistration):
        evaluators.reopen_submission(scored, "risten", reason="", actor="kari")
    evaluators.reopen_submission(scored, "risten", reason="Feil tilbud lest", actor="kari")
    save(scored, 8.0)
    assert evaluation.scores(scored, viewer="risten")["score"].tolist() == [8.0]
    with pytest.raises(InvalidRegistration, match="nothing to reopen"):
        evaluators.reopen_submission(scored, "risten", reason="Igjen", actor="kari")


GOOD = (
    HEADER + "\n"
    "tromso,Tromsø bibliotek,Romsa,public,Tromsø,Troms,false,false,large,6,15\n"
    "karasjok,Karasjok bibliotek,Kárášjoga girjerádju,public,Karasjok,Finnmark,ja,nei,small,1,2\n"
)


def test_a_csv_library_list_is_imported_and_a_second_import_updates(empty):
    ids = libraries.import_libraries(empty, GOOD.encode("utf-8-sig"), actor="kari")
    assert ids == {"added": ["tromso", "karasjok"], "changed": [], "unchanged": []}
    row = empty.execute(
        "SELECT sami_name, sami_area, kven, branches FROM library WHERE id = 'karasjok'"
    ).fetchone()
    assert row == ("Kárášjoga girjerádju", True, False, 1)
    again = GOOD.replace("large,6,15", "large,7,15").replace(",", ";")
    ids = libraries.import_libraries(empty, again.encode("utf-8"), actor="kari")
    assert ids == {"added": [], "changed": ["tromso"], "unchanged": ["karasjok"]}


def test_a_workbook_library_list_is_imported(empty):
    wb = Workbook()
    for line in GOOD.strip().split("\n"):
        wb.active.append(line.split(","))
    wb.active["J2"] = 6  # numbers as numbers, as Excel keeps them
    buffer = io.BytesIO()
    wb.save(buffer)
    ids = libraries.import_libraries(empty, buffer.getvalue(), actor="kari", file_name="l.xlsx")
    assert ids["added"] == ["tromso", "karasjok"]


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("Alta,Tromsø bibliotek,,public,Tromsø,Troms,false,false,large,6,15", "id"),
        ("alta,,,public,Tromsø,Troms,false,false,large,6,15", "name"),
        ("alta,T,,library,Tromsø,Troms,false,false,large,6,15", "kind"),
        ("alta,T,,public,Tromsø,Troms,maybe,false,large,6,15", "sami_area"),
        ("alta,T,,public,Tromsø,Troms,false,false,huge,6,15", "size_class"),
        ("alta,T,,public,Tromsø,Troms,false,false,large,-1,15", "branches"),
        ("alta,T,,public,Tromsø,Troms,false,false,large,6,mange", "school_libraries"),
        ("alta,T\u202e,,public,Tromsø,Troms,false,false,large,6,15", "name"),
        ("karasjok,T,,public,Tromsø,Troms,false,false,large,6,15", "id"),  # repeated id
    ],
)
def test_every_bad_row_is_named_and_nothing_is_stored(empty, row, column):
    data = (GOOD + row + "\n").encode("utf-8")
    before = dump(empty)
    with pytest.raises(LibraryListRefused) as refused:
        libraries.import_libraries(empty, data, actor="kari")
    assert [(p.row, p.column) for p in refused.value.problems] == [(4, column)]
    assert dump(empty) == before


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"id,name\ntromso,T\n",  # columns missing
        "id;navn\n".encode("utf-16"),  # not UTF-8
        b"PK\x03\x04 not really a workbook",
    ],
)
def test_a_file_that_is_no_library_list_is_refused_whole(empty, data):
    before = dump(empty)
    with pytest.raises(LibraryListRefused) as refused:
        libraries.import_libraries(empty, data, actor="kari")
    assert refused.value.problems
    assert dump(empty) == before
