"""Time to export the requirement specification and to check and import a filled-in one,
for the demo catalogue and for one twenty times larger. Prints seconds and the ratio of
the cost per requirement (near 1 means the import grows linearly with the catalogue).

Run: .venv/bin/python benchmarks/workbook_roundtrip.py
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from store import catalogue
from store.db import open_database  # noqa: E402
from vendors import responses  # noqa: E402
from vendors.workbook_layout import FIRST_ROW, SHEET_REQUIREMENTS, layout  # noqa: E402

REPEAT = 5


def filled(data: bytes) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    ws = wb[SHEET_REQUIREMENTS]
    col = {c.key: i + 1 for i, c in enumerate(layout(True))}
    for row in range(FIRST_ROW, ws.max_row + 1):
        ws.cell(row, col["answer"]).value = 2
        ws.cell(row, col["comment"]).value = "Oppfylt med konfigurasjon; se vedlegg 3."
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def measure(con, label: str) -> float:
    export_times, import_times = [], []
    for _ in range(REPEAT):
        started = time.perf_counter()
        export = responses.export_template(con, actor="bench", show_weights=True)
        export_times.append(time.perf_counter() - started)
    data = filled(export.data)
    for _ in range(REPEAT):
        started = time.perf_counter()
        responses.import_responses(con, "tindra-1", data, actor="bench")
        import_times.append(time.perf_counter() - started)
    n = export.requirements
    export_s, import_s = statistics.median(export_times), statistics.median(import_times)
    print(
        f"{label}: {n} requirements, {len(data) / 1024:.0f} KiB; export {export_s:.3f} s, "
        f"check and import {import_s:.3f} s ({1000 * import_s / n:.2f} ms per requirement)"
    )
    return import_s / n


def main() -> int:
    con = open_database(":memory:")
    small = measure(con, "demo catalogue")
    edited = catalogue.editable(con)
    extra = pd.DataFrame(
        {
            "id": [f"EXTRA-{i:04d}" for i in range(len(edited) * 19)],
            "category_id": "CAT",
            "kind": "W",
            "text_nb": "Løsningen bør støtte dette kravet, også for små bibliotek (á č đ ŋ š ŧ ž).",
            "text_en": "The solution should support this requirement, small libraries included.",
            "weight": 1.0,
            "retired": False,
        }
    )
    catalogue.save_catalogue(con, pd.concat([edited, extra], ignore_index=True), actor="bench")
    large = measure(con, "20 × larger catalogue")
    print(f"cost per requirement, large / demo: {large / small:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
