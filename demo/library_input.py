"""The demo's input round: which libraries were sent the input workbook and which answered,
with their facts (``demo/data/library_input.csv``) and their priorities, made by a rule.

Every answer goes the way a real one does: the template writer makes the library's
workbook, the answer is written into its open cells (openpyxl), and the reader checks the
file before the store keeps it. Nothing is random: the priorities follow from the
library's attributes, with a small nudge from a hash of the library and item, so the same
files give the same database every time.

The rule gives the differences a county would expect: small libraries stress support and
training, libraries in the Sámi administrative area stress the minority languages (LANG),
school libraries stress Feide and the school administration systems, the mobile library
stresses working offline, and large libraries care more for integrations and promotion.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import duckdb

from store import libraries as store_libraries
from store import library_input
from store.problems import LibraryInputRefused
from tender_files import input_workbook as workbook
from vendors.template import template_bytes

ROUND_STARTED = datetime(2026, 9, 1, 9, 0)
# Points added to the importance of items, for libraries with an attribute.
SMALL = {"OPS": 2, "OPS-05": 2, "OPS-06": 1, "CAT-07": 1, "CIRC-08": 1, "INT-04": -1}
SAMI = {"LANG": 2, **{f"LANG-{n:02d}": 2 for n in (4, 5, 6, 9, 10, 12, 13, 14)}}
SCHOOL = {"INT": 2, "INT-03": 3, "CIRC-09": 3, "LANG": -1, "CIRC-05": -3, "CIRC-08": -2,
          "FORM-02": -1}  # fmt: skip
MOBILE = {"CIRC-05": 3, "CIRC": 1, "CIRC-06": 1}
LARGE = {"INT": 1, "INT-04": 1, "INT-05": 1, "FORM": 1, "FORM-01": 1, "FORM-02": 1, "CAT-04": 1}
COMMENTS = {
    ("small", "OPS-05"): "Vi er én eller to ansatte; opplæring må passe oss.",
    ("sami", "LANG"): "Samisk er et lovpålagt språk hos oss.",
    ("school", "INT-03"): "Elevlister fra skolens system sparer oss mye arbeid.",
    ("mobile", "CIRC-05"): "Bussen har ikke nett store deler av ruta.",
}


def _nudge(library: str, item: str) -> int:
    """-1, 0 or +1, fixed for a library and an item (a hash, not a random draw)."""
    digest = hashlib.sha256(f"{library}/{item}".encode()).digest()
    return (0, 0, 1, -1, 0)[digest[0] % 5]


def _traits(library: Mapping[str, Any]) -> list[tuple[str, dict[str, int]]]:
    traits = []
    if library["size_class"] == "small":
        traits.append(("small", SMALL))
    if library["size_class"] == "large":
        traits.append(("large", LARGE))
    if library["sami_area"]:
        traits.append(("sami", SAMI))
    if library["kind"] == "school":
        traits.append(("school", SCHOOL))
    if library["kind"] == "mobile":
        traits.append(("mobile", MOBILE))
    return traits


def importance(library: Mapping[str, Any], kind: str, item: str, category: str) -> int | None:
    """The importance the demo library gives an item (None: left blank)."""
    if _nudge(library["id"], "blank/" + item) == 1 and _nudge(library["id"], item) == 1:
        return None  # about one in twenty-five left blank
    value = 3 if kind == "category" else 2
    for _, points in _traits(library):
        value += points.get(item, 0) + (points.get(category, 0) // 2 if kind != "category" else 0)
    return max(0, min(4, value + _nudge(library["id"], item)))


def _comment(library: Mapping[str, Any], item: str) -> str:
    for trait, _ in _traits(library):
        if (trait, item) in COMMENTS:
            return COMMENTS[(trait, item)]
    return ""


def filled_workbook(
    data: workbook.TemplateData,
    library: Mapping[str, Any],
    answer: Mapping[str, str],
    *,
    later: bool,
) -> bytes:
    """The library's workbook as the template writer makes it, with the demo's answer
    typed into its open cells; ``later``: a second answer, everything one step more."""
    wb = workbook.build_input_workbook(data, made_at=ROUND_STARTED)
    facts = wb[workbook.SHEET_FACTS]
    kinds = {key: kind for key, kind, _ in library_input.FACTS}
    for row in range(workbook.FIRST_ROW, facts.max_row + 1):
        key = facts.cell(row, 1).value
        if key in answer and answer[key] != "":
            facts.cell(row, 3).value = _typed(kinds[key], answer[key])
    sheet = wb[workbook.SHEET_PRIORITIES]
    shown = {v: k for k, v in workbook.ITEM_KIND_SHOWN.items()}
    for row in range(workbook.FIRST_ROW, sheet.max_row + 1):
        kind, item, category = (sheet.cell(row, c).value for c in (1, 2, 3))
        value = importance(library, shown[str(kind)], str(item), str(category))
        if value is not None and later:
            value = min(4, value + 1) if str(category) in ("LANG", "OPS") else value
        sheet.cell(row, 6).value = value
        sheet.cell(row, 7).value = _comment(library, str(item)) or None if value else None
    if answer["proposal_text"]:
        proposals = wb[workbook.SHEET_PROPOSALS]
        proposals.cell(workbook.FIRST_ROW, 2).value = answer["proposal_category"] or None
        proposals.cell(workbook.FIRST_ROW, 3).value = answer["proposal_text"]
    return template_bytes(wb)


def _typed(kind: str, text: str) -> Any:
    if kind == "yes_no":
        return "ja" if text == "true" else "nei"
    if kind == "shared":
        return workbook.SHARED_SHOWN[text]
    if kind in ("number", "count"):
        return float(text)
    return text


def load_library_input(
    con: duckdb.DuckDBPyConnection, rows: list[dict[str, str]], *, actor: str
) -> None:
    """The demo's input round, in the caller's transaction: each library in ``rows`` (the
    demo CSV) sent its workbook unless ``not_sent``, and its answers imported."""
    sent = [r["library_id"] for r in rows if r["status"] != "not_sent"]
    library_input.write_sent(con, sent, actor=actor, how="template")
    facts = workbook.input_facts(con)
    libraries = {r["id"]: r for r in store_libraries.libraries(con).to_dict("records")}
    for day, row in enumerate(r for r in rows if r["status"] == "answered"):
        library = libraries[row["library_id"]]
        data = workbook.template_data(con, row["library_id"])
        for number in range(1, int(row["answers"]) + 1):
            file_name = f"{row['library_id']}-{number}.xlsx"
            content = filled_workbook(data, library, row, later=number > 1)
            parsed = workbook.read_input_workbook(content, facts=facts, library=row["library_id"])
            if parsed.answer is None or parsed.problems:
                raise LibraryInputRefused(workbook.REFUSED, list(parsed.problems), file=file_name)
            when = ROUND_STARTED + timedelta(days=day // 3 + 14 * (number - 1), hours=day % 7)
            library_input.write_answer(
                con, parsed.answer, actor=actor, file_name=file_name, sha256=parsed.sha256,
                answered_at=when,
            )  # fmt: skip
