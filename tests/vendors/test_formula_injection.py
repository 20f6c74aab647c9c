"""Nothing bibvalg writes is evaluated by a spreadsheet: texts starting with = + - @ (and a
tab or carriage return) stay text in the requirement specification, the catalogue and
scoring workbooks, the audit-log CSV and the data export's CSV, and come back unchanged."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from store import audit, catalogue
from store.audit import COLUMNS
from store.cells import csv_original, csv_text
from store.data_export import export_data
from tender_files import catalogue_workbook
from tests.dbdump import dump
from tests.vendors.xlsx import SHEET, columns, every_requirement_answered, fill, rows, to_bytes
from vendors import responses

TEXTS = {
    ("LANG-04", "text_nb"): "=SUM(A1)",
    ("LANG-04", "text_en"): "+47 22 00 00 00 is the number to call",
    ("CAT-01", "text_nb"): "-2 dager er fristen",
    ("CAT-01", "text_en"): "@x handles it",
}
COMMENTS = {
    "LANG-05": '=HYPERLINK("http://example.invalid")',
    "CAT-02": "+47 99 99 99 99",
    "CAT-03": "-2",
    "CAT-04": "@x",
}


def _with_texts(con):
    table = catalogue.editable(con)
    for (rid, key), text in TEXTS.items():
        table.loc[table["id"] == rid, key] = text
    catalogue.save_catalogue(con, table, actor="test", reason="Tekster som ligner formler")
    return responses.export_template(con, actor="test", show_weights=True).data


def _formulas_in(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [
            name
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and b"<f>" in archive.read(name)
        ]


def test_requirement_texts_like_formulas_are_written_as_text(con):
    data = _with_texts(con)
    assert _formulas_in(data) == []
    ws = load_workbook(io.BytesIO(data))[SHEET]
    col, row = columns(ws), rows(ws)
    for (rid, key), text in TEXTS.items():
        heading = "Requirement (Norwegian)" if key == "text_nb" else "Requirement (English)"
        cell = ws.cell(row[rid], col[heading])
        assert (cell.value, cell.data_type) == (text, "s")


def test_a_filled_copy_with_such_texts_and_comments_imports_unchanged(con):
    template = _with_texts(con)
    answers = every_requirement_answered()
    for rid, comment in COMMENTS.items():
        answers[rid] = {**answers[rid], "comment": comment}
    wb = fill(template, answers)
    ws = wb[SHEET]
    col, row = columns(ws), rows(ws)
    for rid in COMMENTS:  # typed as text, as a spreadsheet stores '=... or a text cell
        ws.cell(row[rid], col["Comment"]).data_type = "s"
    data = to_bytes(wb)

    result = responses.import_responses(con, "tindra-1", data, actor="test", file_name="t.xlsx")

    assert result.answers == len(answers)
    stored = dict(
        con.execute(
            "SELECT requirement_id, comment FROM response WHERE offer_id = 'tindra-1'"
        ).fetchall()
    )
    assert {rid: stored[rid] for rid in COMMENTS} == COMMENTS


def _unescaped(field: str) -> str:
    return field[1:] if field.startswith("'") else field


def test_the_audit_csv_escapes_fields_a_spreadsheet_would_evaluate(con):
    written = {
        "actor": "=cmd|' /C calc'!A0",
        "entity_id": "@SUM(1+1)",
        "reason": "+47 22 00 00 00",
        "old": "-2",
        "tab": "\tTAB",
        "quote": "'already quoted",
    }
    audit.record(
        con,
        actor=written["actor"],
        action="update",
        entity="setting",
        entity_id=written["entity_id"],
        old=-2,
        new=written["tab"],
        reason=written["reason"],
    )
    audit.record(con, actor="test", action="update", entity="setting", reason=written["quote"])
    text = audit.to_csv(audit.entries(con)).decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(text, newline="")))
    for row in table:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    first, second = table[-2], table[-1]
    assert _unescaped(first["actor"]) == written["actor"]
    assert _unescaped(first["entity_id"]) == written["entity_id"]
    assert _unescaped(first["reason"]) == written["reason"]
    assert _unescaped(first["old_value"]) == "-2"
    assert _unescaped(first["new_value"]) == '"\\tTAB"'
    assert first["actor"].startswith("'=")
    assert _unescaped(second["reason"]) == written["quote"]
    # writing the CSV changes nothing in the log
    assert audit.verify(con).intact


# --- every start a spreadsheet runs, through every file bibvalg writes ----------------------

STARTS = ["=", "+", "-", "@", "\t", "\r"]
KEPT_STARTS = ["=", "+", "-", "@"]  # the store trims a leading tab or line break


def _with_requirement_texts(con, starts) -> dict[str, str]:
    """Requirement texts (both languages) starting with each of ``starts``, saved."""
    table = catalogue.editable(con)
    texts = {}
    for start, rid in zip(starts, table["id"], strict=False):
        text = f"{start}SUM(A1)+1 er ikke en formel"
        table.loc[table["id"] == rid, ["text_nb", "text_en"]] = text
        texts[rid] = text
    catalogue.save_catalogue(con, table, actor="test", reason="Tekster som ligner formler")
    return texts


def _text_cells_of(data: bytes, sheet: str | None = None) -> dict[str, list]:
    """Every cell holding a string in a workbook, by value, with its data types."""
    wb = load_workbook(io.BytesIO(data))
    found: dict[str, list] = {}
    for ws in [wb[sheet]] if sheet else wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    found.setdefault(cell.value, []).append(cell.data_type)
    return found


def test_catalogue_texts_like_formulas_stay_text_and_round_trip(con):
    texts = _with_requirement_texts(con, KEPT_STARTS)
    stored = dict(con.execute("SELECT id, text_nb FROM requirement").fetchall())
    assert {rid: stored[rid] for rid in texts} == texts
    data = catalogue_workbook.export_catalogue(con)
    assert _formulas_in(data) == []
    cells = _text_cells_of(data)
    for text in texts.values():
        assert cells[text] == ["s", "s"]  # Norwegian and English, as written
    before = dump(con)
    result = catalogue_workbook.import_catalogue(con, data, actor="test", file_name="k.xlsx")
    assert not result.changed and dump(con) == before


@pytest.mark.parametrize("start", STARTS)
def test_requirement_specification_texts_stay_text(con, start):
    (text,) = _with_requirement_texts(con, [start]).values()
    stored = con.execute("SELECT text_nb FROM requirement WHERE text_en = text_nb").fetchall()
    data = responses.export_template(con, actor="test", show_weights=True).data
    assert _formulas_in(data) == []
    cells = _text_cells_of(data, SHEET)
    for (value,) in stored:  # what the catalogue keeps of it, whatever it trims
        if value.startswith(tuple(STARTS)):
            assert value == text and set(cells[value]) == {"s"}


@pytest.fixture
def opened(con):
    from tests.tender_files.test_score_workbook import open_with_evaluators

    return open_with_evaluators(con)


def test_score_workbook_reasons_like_formulas_stay_text_and_come_back(opened):
    from tests.tender_files.test_score_workbook import import_, save, workbook_for

    weighted = [
        r[0]
        for r in opened.execute(
            "SELECT id FROM requirement WHERE kind = 'W' ORDER BY sort_order LIMIT 6"
        ).fetchall()
    ]
    reasons = {rid: f"{start}5 dager for sent" for start, rid in zip(STARTS, weighted, strict=True)}
    for rid, reason in reasons.items():
        save(opened, "anne", "cuovga-1", rid, 5, reason)
    stored = opened.execute(
        "SELECT reason FROM score WHERE evaluator_id = 'anne' AND reason LIKE '%dager for sent'"
    ).fetchall()
    data = workbook_for(opened)
    assert _formulas_in(data) == []
    cells = _text_cells_of(data)
    assert len(stored) == len(STARTS)
    assert {r[0] for r in stored} >= {f"{s}5 dager for sent" for s in KEPT_STARTS}
    for (reason,) in stored:  # what the store keeps of it (it trims a tab or line break)
        assert set(cells[reason]) == {"s"}  # shown, and kept hidden to see what changed
    before = dump(opened)
    result = import_(opened, data)
    assert result.scores_written == 0 and dump(opened) == before


@pytest.mark.parametrize("start", STARTS)
def test_audit_and_data_export_csv_put_an_apostrophe_before_each_start(con, start):
    reason = f"{start}cmd|' /C calc'!A0"
    audit.record(con, actor="test", action="update", entity="setting", reason=reason)
    logged = list(csv.reader(io.StringIO(audit.to_csv(audit.entries(con)).decode("utf-8-sig"))))
    assert logged[-1][COLUMNS.index("reason")] == "'" + reason
    with zipfile.ZipFile(io.BytesIO(export_data(con))) as archive:
        text = archive.read("csv/audit_log.csv").decode("utf-8-sig")
    exported = list(csv.reader(io.StringIO(text, newline="")))
    assert exported[-1][exported[0].index("reason")] == "'" + reason
    assert csv_original(exported[-1][exported[0].index("reason")]) == reason


def test_negative_numbers_stay_numbers_in_csv(con):
    assert csv_text(-5) == -5 and csv_text(-0.5) == -0.5
    assert csv_text("-5") == "'-5" and csv_text("5-") == "5-"
