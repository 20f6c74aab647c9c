"""In a real browser: download the requirement specification, fill it in as a vendor would,
upload it on Leverandører, see what it would change and import it; then upload a spoiled
copy and read why it is refused."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.e2e.conftest import ARTIFACTS, BROWSER, only
from tests.vendors.xlsx import (
    PRICE_SHEET,
    SHEET,
    columns,
    demo_kinds,
    fill_prices,
    price_rows,
    rows,
)

pytestmark = BROWSER


def test_download_fill_and_upload_the_requirement_specification(app_url, page, tmp_path):
    page.goto(app_url)
    page.get_by_role("link", name="Krav").click()
    page.get_by_role("heading", name="Kravspesifikasjon til leverandørene").wait_for(timeout=60_000)
    with page.expect_download(timeout=30_000) as download_info:
        page.get_by_role("button", name="Last ned kravspesifikasjonen (.xlsx)").click()
    downloaded = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(downloaded)
    assert downloaded.name.startswith("kravspesifikasjon-v")
    page.screenshot(path=str(ARTIFACTS / "requirements-page.png"), full_page=True)

    wb = load_workbook(downloaded)
    ws = wb[SHEET]
    col, row = columns(ws), rows(ws)
    assert set(row) == set(demo_kinds())
    for rid, kind in demo_kinds().items():
        ws.cell(row[rid], col["Answer (0–3)"]).value = 3 if kind == "M" else 2
    ws.cell(row["LANG-05"], col["Comment"]).value = "Sorteringen følger CLDR «se»: á č đ ŋ"
    fill_prices(wb, {line: 120_000 for line in price_rows(wb[PRICE_SHEET])})
    good = tmp_path / "svar.xlsx"
    wb.save(good)
    ws.cell(row["LANG-01"], col["Answer (0–3)"]).value = "ja"
    buffer = io.BytesIO()
    wb.save(buffer)
    bad = tmp_path / "feil.xlsx"
    bad.write_bytes(buffer.getvalue())

    page.get_by_role("link", name="Leverandører").click()
    page.get_by_text("Importer en leverandørs svar og priser (Excel)").click()
    only(page.locator("input[type=file]")).set_input_files(str(good))
    page.get_by_text("svar.xlsx").wait_for(timeout=30_000)
    page.get_by_role("button", name="Kontroller filen").click()
    preview = page.get_by_text("Ingenting lagres før du trykker Importer")
    preview.wait_for(timeout=60_000)
    assert "52 svar (0 nye, 52 endret, 0 fjernet)" in preview.inner_text()
    page.screenshot(path=str(ARTIFACTS / "import-preview.png"), full_page=True)
    page.get_by_role("button", name="Importer", exact=True).click()
    accepted = page.get_by_text("svar.xlsx er importert for")
    accepted.wait_for(timeout=60_000)
    assert f": {len(demo_kinds())} svar, av dem 0 nye, 52 endret" in accepted.inner_text()
    page.screenshot(path=str(ARTIFACTS / "import-accepted.png"), full_page=True)

    only(page.locator("input[type=file]")).set_input_files(str(bad))
    page.get_by_text("feil.xlsx").first.wait_for(timeout=30_000)
    page.get_by_role("button", name="Kontroller filen").click()
    refused = page.get_by_text("feil.xlsx ble ikke importert")
    refused.wait_for(timeout=60_000)
    assert "1 feil må rettes. Ingenting er endret." in refused.inner_text()
    page.screenshot(path=str(ARTIFACTS / "import-refused.png"), full_page=True)
