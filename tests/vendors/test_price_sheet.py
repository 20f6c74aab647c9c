"""The price sheet of the vendor's workbook: the schedule's lines go out, the amounts come
back with the answers in one all-or-nothing import, every bad amount is refused with its
place, and a workbook sent to one offer is refused for another."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from store import offers, opening
from store.problems import WorkbookRefused
from tests.dbdump import dump, refused_unchanged
from tests.vendors.xlsx import (
    PRICE_SHEET,
    columns,
    every_requirement_answered,
    fill,
    price_rows,
    to_bytes,
)
from vendors import responses

OFFER = "nordlys-1"
AMOUNTS = {
    "implementering": 1_000_000,
    "migrering": 500_000,
    "opplaering": 250_000,
    "lisens": 800_000,
    "drift": 300_000,
    "brukerstotte": 200_000,
    "skolemodul": 150_000,
    "sprakpakke": 90_000,
    "bokbuss-etablering": None,  # optional, not offered
    "bokbuss-arlig": 40_000,
}


def workbook(con, prices=AMOUNTS, offer=OFFER):
    template = responses.export_template(con, actor="test", offer_id=offer).data
    return fill(template, every_requirement_answered(), prices)


def refused(con, wb, offer=OFFER):
    with refused_unchanged(con, WorkbookRefused) as caught:
        responses.import_responses(con, offer, to_bytes(wb), actor="test", file_name="t.xlsx")
    return [(p.sheet, p.row, p.column, p.message) for p in caught.value.problems]


def test_the_sheet_lists_the_schedule_locked_with_the_amount_open(con):
    ws = load_workbook(io.BytesIO(responses.export_template(con, actor="t").data))[PRICE_SHEET]
    col = columns(ws)
    assert list(col) == [
        "Price line",
        "Type",
        "Option",
        "Price line (Norwegian)",
        "Price line (English)",
        "Mandatory",
        "Amount, NOK excl. VAT",
    ]
    assert list(price_rows(ws)) == list(AMOUNTS)  # demo/data/price_lines.csv, in its order
    row = price_rows(ws)["skolemodul"]
    assert ws.cell(row, col["Type"]).value == "årlig / yearly"
    assert ws.cell(row, col["Option"]).value == "ja / yes"
    assert ws.protection.sheet
    assert ws.cell(row, col["Price line (English)"]).protection.locked
    assert not ws.cell(row, col["Amount, NOK excl. VAT"]).protection.locked


def test_answers_and_prices_come_in_together(con):
    logged_before = con.execute(
        "SELECT count(*) FROM audit_log WHERE entity = 'price' AND entity_id = ?", [OFFER]
    ).fetchone()[0]
    result = responses.import_responses(con, OFFER, to_bytes(workbook(con)), actor="test")
    stored = dict(
        con.execute(
            "SELECT line_id, amount_nok FROM offer_price WHERE offer_id = ? AND round = 1",
            [OFFER],
        ).fetchall()
    )
    assert stored == {k: float(v) for k, v in AMOUNTS.items() if v is not None}
    assert result.prices == 9
    # Its total, by hand: one-time 1 750 000 + yearly 1 300 000 × 4 years.
    frame = offers.prices(con)
    mine = frame[(frame["offer_id"] == OFFER) & ~frame["is_option"]]
    assert mine["amount_nok"].where(mine["kind"] == "one_time", 0).sum() == 1_750_000
    assert mine["amount_nok"].where(mine["kind"] == "yearly", 0).sum() == 1_300_000
    logged = con.execute(
        "SELECT count(*) FROM audit_log WHERE entity = 'price' AND entity_id = ?", [OFFER]
    ).fetchone()
    assert logged == (logged_before + 1,)


def test_numbers_typed_as_text_are_read_as_numbers(con):
    typed = {**AMOUNTS, "implementering": "1 000 000", "migrering": "kr 500000,50"}
    responses.import_responses(con, OFFER, to_bytes(workbook(con, typed)), actor="test")
    stored = dict(
        con.execute(
            "SELECT line_id, amount_nok FROM offer_price WHERE offer_id = ?", [OFFER]
        ).fetchall()
    )
    assert (stored["implementering"], stored["migrering"]) == (1_000_000.0, 500_000.5)


def test_every_bad_amount_is_refused_with_its_place(con):
    wb = workbook(
        con,
        {
            **AMOUNTS,
            "implementering": None,  # mandatory, missing
            "migrering": -5,  # negative
            "opplaering": "inkludert",  # text in a number cell
            "lisens": True,  # not a number
        },
    )
    ws = wb[PRICE_SHEET]
    rows = price_rows(ws)
    ws.cell(rows["drift"], 1).value = "hosting"  # a line that is not in the schedule
    ws.cell(rows["brukerstotte"], 7).value = "=1+1"  # a formula
    problems = refused(con, wb)
    row = dict(rows)
    assert (
        PRICE_SHEET,
        row["brukerstotte"],
        "G",
        "The cell holds a formula ({formula}); write the value itself.",
    ) in problems
    assert (
        PRICE_SHEET,
        row["implementering"],
        "G",
        "Price line {id} is mandatory and has no amount.",
    ) in problems
    assert (
        PRICE_SHEET,
        row["migrering"],
        "G",
        "The amount may not be negative ({value}).",
    ) in problems
    assert (
        PRICE_SHEET,
        row["opplaering"],
        "G",
        "The amount must be a number of NOK, not the text “{value}”.",
    ) in problems
    assert (
        PRICE_SHEET,
        row["lisens"],
        "G",
        "The amount must be a number of NOK, not “{value}”.",
    ) in problems
    assert (
        PRICE_SHEET,
        row["drift"],
        "A",
        "The price line “{id}” is not in the price schedule.",
    ) in problems
    assert (PRICE_SHEET, None, "", "Price line {id} is missing from the sheet.") in problems


def test_a_formula_on_the_price_sheet_is_refused_alone(con):
    wb = workbook(con)
    ws = wb[PRICE_SHEET]
    ws.cell(price_rows(ws)["brukerstotte"], 7).value = "=100000*2"
    problems = refused(con, wb)
    # The brukerstotte line is mandatory: its formula is no amount either.
    assert [p[:3] for p in problems] == [
        (PRICE_SHEET, price_rows(ws)["brukerstotte"], "G"),
        (PRICE_SHEET, price_rows(ws)["brukerstotte"], "G"),
    ]


def test_a_changed_text_a_duplicate_and_a_missing_sheet_are_refused(con):
    wb = workbook(con)
    ws = wb[PRICE_SHEET]
    rows = price_rows(ws)
    ws.cell(rows["lisens"], 4).value = "Lisens (rabattert)"
    ws.cell(rows["bokbuss-etablering"], 1).value = "drift"
    problems = refused(con, wb)
    messages = {p[3] for p in problems}
    assert (
        "The text of price line {id} has been changed; it must read as in the price schedule."
        in messages
    )
    assert "Price line {id} appears more than once (first in row {first})." in messages

    wb = workbook(con)
    wb.security.lockStructure = False
    del wb[PRICE_SHEET]
    assert [p[3] for p in refused(con, wb)] == [
        "The sheet “{sheet}” is missing: the tender has a price schedule. Fill in the "
        "current requirement specification, which has it."
    ]


def test_a_workbook_sent_to_one_offer_is_refused_for_another(con):
    wb = workbook(con, offer="tindra-1")
    problems = refused(con, wb, offer=OFFER)
    assert [p[3] for p in problems] == [
        "This workbook was sent to {vendor} for offer {sent_to}; it cannot be imported for "
        "offer {offer}."
    ]
    # The general template (no offer named) goes to any offer.
    general = fill(responses.export_template(con, actor="t").data, every_requirement_answered())
    responses.import_responses(con, OFFER, to_bytes(general), actor="test")


def test_the_preview_says_what_would_change_and_writes_nothing(con):
    responses.import_responses(con, OFFER, to_bytes(workbook(con)), actor="test")
    con.execute(
        "INSERT INTO score (evaluator_id, offer_id, requirement_id, score, reason) VALUES"
        " ('anne', ?, 'LANG-04', 7, 'x'), ('bjorn', ?, 'LANG-04', 8, 'y')"
        " ON CONFLICT DO NOTHING",
        [OFFER, OFFER],
    )
    resting = con.execute(
        "SELECT (SELECT count(*) FROM score WHERE offer_id = ? AND requirement_id = 'LANG-04')"
        " + (SELECT count(*) FROM consensus WHERE offer_id = ? AND requirement_id = 'LANG-04')",
        [OFFER, OFFER],
    ).fetchone()[0]
    answers = every_requirement_answered()
    answers["LANG-04"] = {**answers["LANG-04"], "answer": 0, "comment": "Ikke likevel"}
    template = responses.export_template(con, actor="test", offer_id=OFFER).data
    data = to_bytes(fill(template, answers, {**AMOUNTS, "lisens": 750_000}))
    before = dump(con)
    preview = responses.preview_import(con, OFFER, data)
    assert dump(con) == before
    assert (preview.changed, preview.added, preview.removed) == (["LANG-04"], [], [])
    assert preview.prices_changed == {"lisens": (800_000.0, 750_000.0)}
    assert preview.scores_resting == resting and resting >= 2
    assert preview.replaces
    done = responses.import_responses(con, OFFER, data, actor="test")
    assert done.as_dict() == preview.as_dict()


def test_an_import_into_a_round_that_takes_none_is_refused(con):
    data = to_bytes(workbook(con))
    with refused_unchanged(con, Exception, match="negotiation"):
        responses.import_responses(con, OFFER, data, actor="test", round_number=2)
    assert opening.rounds_open_to_offers(con) == [1]
