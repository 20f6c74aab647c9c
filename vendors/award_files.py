"""Each bidder's files after the award: per offer a score sheet (xlsx and PDF), and one award
letter (PDF and Word), in one folder per vendor; and the letters' drafts and stored texts
that the Eksport page edits.

A letter is made from the text the working group saved for the vendor under the award in
force, or from the draft where none is saved; with the sending date and the standstill
period it gives the same bytes every time.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from io import BytesIO
from pathlib import Path

import duckdb

from store import award as store_award
from store import settings as store_settings
from store.errors import AwardRefused
from vendors import award_letter, score_sheet
from vendors.award_results import NO_AWARD, OfferResult, offer_results


@dataclass(frozen=True)
class VendorLetter:
    """One vendor's offers' results, its letter's draft and the text saved (None: not yet)."""

    vendor_id: str
    vendor_name: str
    results: tuple[OfferResult, ...]
    draft: str
    saved: str | None

    @property
    def body(self) -> str:
        """What the letter says: the saved text, else the draft."""
        return self.saved if self.saved is not None else self.draft


def vendor_letters(con: duckdb.DuckDBPyConnection, language: str) -> list[VendorLetter]:
    """Every vendor's letter under the award in force, by vendor name (AwardRefused
    without an award)."""
    award = store_award.current(con)
    if award is None:
        raise AwardRefused(NO_AWARD)
    results = offer_results(con, language)
    chosen = next(r for r in results if r.is_chosen)
    letters = []
    for vendor in dict.fromkeys(r.vendor_id for r in results):
        own = tuple(r for r in results if r.vendor_id == vendor)
        # The chosen offer's reasons name no other bidder (``award_results.redact``).
        draft = award_letter.draft(own, chosen)
        letters.append(
            VendorLetter(
                vendor_id=vendor,
                vendor_name=own[0].vendor_name,
                results=own,
                draft=draft,
                saved=store_award.letter_text(con, award.id, vendor, language),
            )
        )
    return letters


def made_at(sent_on: date) -> datetime:
    """The moment every file declares: the sending date, midnight UTC."""
    return datetime.combine(sent_on, time(), tzinfo=UTC)


def vendor_files(
    con: duckdb.DuckDBPyConnection, letter: VendorLetter, sent_on: date
) -> dict[str, bytes]:
    """One vendor's files by name: each offer's score sheet (xlsx, PDF) and the letter
    (PDF, docx)."""
    language = letter.results[0].language
    moment = made_at(sent_on)
    files: dict[str, bytes] = {}
    for result in letter.results:
        files[f"{result.offer_id}-score-sheet.xlsx"] = score_sheet.workbook(result, moment)
        files[f"{result.offer_id}-score-sheet.pdf"] = score_sheet.pdf_file(result, moment)
    text = award_letter.Letter(
        language=language,
        vendor_name=letter.vendor_name,
        tender=_tender_title(letter.results[0]),
        sent_on=sent_on,
        standstill_days=store_settings.standstill_days(con),
        body=letter.body,
    )
    files[f"{letter.vendor_id}-award-letter.pdf"] = award_letter.letter_pdf(text)
    files[f"{letter.vendor_id}-award-letter.docx"] = award_letter.letter_docx(text)
    return files


def _tender_title(result: OfferResult) -> str:
    name = result.tender_name or "–"
    return f"{name} ({result.tender_reference})" if result.tender_reference else name


def zipped(files: dict[str, bytes], sent_on: date) -> bytes:
    """The files as one zip archive (for a download), dated the sending date."""
    buffer = BytesIO()
    stamp = made_at(sent_on).timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            archive.writestr(zipfile.ZipInfo(name, date_time=stamp), files[name])
    return buffer.getvalue()


def export_letters(
    con: duckdb.DuckDBPyConnection, out: Path, language: str, sent_on: date
) -> dict[str, list[Path]]:
    """Write every vendor's files into ``out/<vendor id>/``; returns the paths by vendor."""
    written: dict[str, list[Path]] = {}
    for letter in vendor_letters(con, language):
        folder = out / letter.vendor_id
        folder.mkdir(parents=True, exist_ok=True)
        written[letter.vendor_id] = []
        for name, content in vendor_files(con, letter, sent_on).items():
            path = folder / name
            path.write_bytes(content)
            written[letter.vendor_id].append(path)
    return written


def vendor_zip(con: duckdb.DuckDBPyConnection, vendor: str, language: str, sent_on: date) -> bytes:
    """One vendor's files as a zip archive: the Eksport page's download."""
    letter = next(v for v in vendor_letters(con, language) if v.vendor_id == vendor)
    return zipped(vendor_files(con, letter, sent_on), sent_on)
