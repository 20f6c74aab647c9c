"""The demo's prices as the vendors wrote them, read straight from the price sheets of the
demo workbooks with openpyxl (not through bibvalg's reader), with each line's kind and
option flag from the demo's price schedule: the figures tests compute totals from by hand."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import load_workbook

DATA = Path(__file__).resolve().parents[1] / "demo" / "data"


def demo_price_rows() -> list[dict[str, str]]:
    """One row per priced line: offer, line, kind, option ("true"/"false"), amount_nok."""
    with (DATA / "price_lines.csv").open(encoding="utf-8", newline="") as handle:
        lines = {row["id"]: row for row in csv.DictReader(handle)}
    rows = []
    for path in sorted((DATA / "responses").glob("*.xlsx")):
        sheet = load_workbook(path, read_only=True)["Pris – Prices"]
        for values in sheet.iter_rows(min_row=3, values_only=True):
            if values[0] in lines and values[6] is not None:
                line = lines[values[0]]
                rows.append(
                    {
                        "offer": path.stem,
                        "line": str(values[0]),
                        "kind": line["kind"],
                        "option": line["is_option"],
                        "amount_nok": str(values[6]),
                    }
                )
    return rows
