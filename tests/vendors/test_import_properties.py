"""Random cell contents, types and sizes thrown at the importer: never a crash, never a
partial write. A refused file leaves the database exactly as it was; an accepted one holds
what was written."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from store.problems import WorkbookRefused
from tests.dbdump import dump
from tests.vendors import xlsx
from vendors import responses

OFFER = "cuovga-1"
# Each example writes and imports a whole workbook (about a quarter of a second), so the
# runs are kept short; hypothesis remembers failing examples in .hypothesis/ between runs.
PROPERTY_SETTINGS = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text a spreadsheet can hold: no surrogates, control characters or unassigned code points.
letters = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cn")) | st.sampled_from(
    "\n\t\r"
)
plain_text = st.text(alphabet=letters, max_size=80)
sami_and_cyrillic = st.text(alphabet="áčđŋšŧžÁČĐŊŠŦŽïńåäöæø йиёеЙ\u0301\u030c\u0308", max_size=40)
cell_values = st.one_of(
    st.none(),
    st.integers(min_value=-5, max_value=10),
    st.integers(min_value=-(2**62), max_value=2**62),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31)),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(9999, 12, 31)),
    plain_text,
    sami_and_cyrillic,
    st.text(alphabet=letters, min_size=200, max_size=3000),
    st.sampled_from(["0", "1", "2", "3", " 3 ", "2,5", "ja", "#N/A", "=1+1", "2027-09-30"]),
)
# Rows 1-60 and columns 1-12 cover the title, the headings, every requirement, the rows
# below the table and two columns to its right.
# The vendor's four columns (G-J) of the requirement rows (3-54) are drawn most often.
any_cell = st.tuples(st.integers(min_value=1, max_value=60), st.integers(min_value=1, max_value=12))
vendor_cell = st.tuples(
    st.integers(min_value=3, max_value=54), st.integers(min_value=7, max_value=10)
)
cells = st.one_of(vendor_cell, vendor_cell, vendor_cell, any_cell)


@pytest.fixture(scope="module")
def filled(template):
    """A clean, fully answered workbook and where its cells are."""
    data = xlsx.to_bytes(xlsx.fill(template, xlsx.every_requirement_answered()))
    ws = xlsx.open_workbook(data)[xlsx.SHEET]
    return data, xlsx.columns(ws), xlsx.rows(ws)


def stored(con):
    return {
        r[0]: r[1:]
        for r in con.execute(
            "SELECT requirement_id, answer, comment, evidence, roadmap_date FROM response"
            " WHERE offer_id = ?",
            [OFFER],
        ).fetchall()
    }


def everything_but_this_offer(content):
    """A dump without the rows an accepted import may change."""
    kept = dict(content)
    kept["response"] = [r for r in content["response"] if r[0] != OFFER]
    kept["offer_price"] = [r for r in content["offer_price"] if r[0] != OFFER]
    for changed in ("audit_log", "audit_head", "<sequences>"):
        kept.pop(changed)
    return kept


def import_or_refuse(con, data):
    """Import; on refusal check that nothing changed. Return the result or None."""
    before = dump(con)
    try:
        result = responses.import_responses(con, OFFER, data, actor="property")
    except WorkbookRefused as refused:
        assert dump(con) == before
        assert refused.problems
        for problem in refused.problems:
            assert problem.translated("nb") and problem.translated("en")
        return None
    after = dump(con)
    assert everything_but_this_offer(after) == everything_but_this_offer(before)
    # The answers' entry, and the prices' where the file has any.
    assert len(after["audit_log"]) == len(before["audit_log"]) + 1 + bool(result.prices)
    return result


def text_as_stored(text: str) -> str:
    """The documented rule: line breaks as \\n, NFC, no surrounding white space."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


@PROPERTY_SETTINGS
@given(edits=st.lists(st.tuples(cells, cell_values), min_size=1, max_size=6))
def test_random_cells_never_crash_and_never_half_write(con, filled, edits):
    data, col, row = filled
    wb = xlsx.open_workbook(data)
    ws = wb[xlsx.SHEET]
    written = {}
    for (r, c), value in edits:
        ws.cell(r, c).value = value
        written[(r, c)] = value
    result = import_or_refuse(con, xlsx.to_bytes(wb))
    event("accepted" if result else "refused")
    if result is None:
        return
    kinds = xlsx.demo_kinds()
    answers = stored(con)
    for rid, (answer, comment, evidence, roadmap) in answers.items():
        assert answer is None or 0 <= answer <= 3
        assert kinds[rid] != "M" or answer is not None
        assert answer != 1 or roadmap is not None
        for text in (comment, evidence):
            assert text == text.strip() and unicodedata.is_normalized("NFC", text)
    # What was written in the vendor's columns is what is stored.
    by_row = {r: rid for rid, r in row.items()}
    for (r, c), value in written.items():
        rid = by_row.get(r)
        if rid is None or rid not in answers:
            continue
        answer, comment, evidence, _ = answers[rid]
        if c == col["Answer (0–3)"] and isinstance(value, int) and not isinstance(value, bool):
            assert answer == value
        if c == col["Comment"] and isinstance(value, str):
            assert comment == text_as_stored(value)
        if c == col["Evidence or reference"] and isinstance(value, str):
            assert evidence == text_as_stored(value)


@settings(PROPERTY_SETTINGS, max_examples=25)
@given(
    texts=st.dictionaries(
        st.sampled_from(sorted(xlsx.demo_kinds())),
        st.tuples(plain_text | sami_and_cyrillic, plain_text | sami_and_cyrillic),
        min_size=1,
        max_size=8,
    )
)
def test_any_text_in_comments_round_trips(con, filled, texts):
    texts = {rid: pair for rid, pair in texts.items() if not any(t.startswith("=") for t in pair)}
    data, col, row = filled
    wb = xlsx.open_workbook(data)
    ws = wb[xlsx.SHEET]
    for rid, (comment, evidence) in texts.items():
        ws.cell(row[rid], col["Comment"]).value = comment
        ws.cell(row[rid], col["Evidence or reference"]).value = evidence
    assert import_or_refuse(con, xlsx.to_bytes(wb)) is not None
    answers = stored(con)
    for rid, (comment, evidence) in texts.items():
        assert answers[rid][1:3] == (text_as_stored(comment), text_as_stored(evidence))


@settings(PROPERTY_SETTINGS, max_examples=40)
@given(
    cut=st.integers(min_value=0, max_value=40_000),
    flips=st.lists(
        st.tuples(st.integers(min_value=0, max_value=40_000), st.integers(1, 255)), max_size=4
    ),
)
def test_damaged_bytes_are_refused_or_imported_whole(con, filled, cut, flips):
    data = bytearray(filled[0])
    for position, mask in flips:
        data[position % len(data)] ^= mask
    damaged = bytes(data[: len(data) - cut % len(data)] if cut else data)
    import_or_refuse(con, damaged)


def stored_prices(con):
    return dict(
        con.execute(
            "SELECT line_id, amount_nok FROM offer_price WHERE offer_id = ? AND round = 1",
            [OFFER],
        ).fetchall()
    )


# The price sheet: its amount column (G) on the schedule's ten lines (rows 3-12) most often.
amount_cell = st.tuples(st.integers(min_value=3, max_value=12), st.just(7))
price_cells = st.one_of(amount_cell, amount_cell, any_cell)


@settings(PROPERTY_SETTINGS, max_examples=40)
@given(edits=st.lists(st.tuples(price_cells, cell_values), min_size=1, max_size=5))
def test_random_price_cells_never_crash_and_never_half_write(con, filled, edits):
    wb = xlsx.open_workbook(filled[0])
    ws = wb[xlsx.PRICE_SHEET]
    for (r, c), value in edits:
        ws.cell(r, c).value = value
    result = import_or_refuse(con, xlsx.to_bytes(wb))
    event("accepted" if result else "refused")
    if result is None:
        return
    ids = {ws.cell(r, 1).value: r for r in range(3, 13)}
    for line, amount in stored_prices(con).items():
        assert amount >= 0
        typed = ws.cell(ids[line], 7).value
        if isinstance(typed, int | float) and not isinstance(typed, bool):
            assert amount == float(typed)
