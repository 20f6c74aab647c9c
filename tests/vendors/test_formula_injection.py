"""Nothing bibvalg writes is evaluated by a spreadsheet: texts starting with = + - @ stay
text in the requirement specification and in the audit-log CSV, and come back unchanged."""

from __future__ import annotations

import csv
import io
import zipfile

from openpyxl import load_workbook

from store import audit, catalogue
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
