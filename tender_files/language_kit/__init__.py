"""The language test kit: MARC 21 test records with every special letter of the Sámi
languages, Kven, Finnish and Russian (``records``), the sort orders the vendors' systems must
give (``collation``), and the protocol of checks the working group runs in each vendor's demo
system (``protocol``), as a workbook and a PDF in Norwegian Bokmål and English.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from locales import gettext_for
from tender_files import pdf
from tender_files.language_kit import protocol, records

RECORDS_MRC = "language-kit-records.mrc"
RECORDS_XML = "language-kit-records.xml"
KIT_LANGUAGES = ("nb", "en")
TEMPLATE = Path(__file__).with_name("protocol.typ")


def protocol_name(language: str, suffix: str) -> str:
    """The file name of the protocol in a language: ``language-kit-protocol-nb.xlsx``."""
    return f"language-kit-protocol-{language}.{suffix}"


def protocol_pdf(language: str) -> bytes:
    """The protocol as a PDF in ``language`` (Typst, PDF/UA-1)."""
    data = {
        "lang": language,
        "title": gettext_for(language, protocol.PROTOCOL_TITLE),
        "intro": gettext_for(language, protocol.PROTOCOL_INTRO),
        "columns": [
            gettext_for(language, c)
            for c in (*protocol.COLUMNS[:1], protocol.COLUMNS[1], *protocol.COLUMNS[3:])
        ],
        "rows": [row.__dict__ for row in protocol.protocol_rows(language)],
    }
    return pdf.render(TEMPLATE.read_text(encoding="utf-8"), data)


def kit_files(*, with_pdf: bool = True) -> dict[str, bytes]:
    """Every file of the kit by name: the records as .mrc and MARCXML, and the protocol as
    .xlsx (and .pdf) in Norwegian Bokmål and English."""
    made = records.all_records()
    files = {RECORDS_MRC: records.to_marc21(made), RECORDS_XML: records.to_marcxml(made)}
    for language in KIT_LANGUAGES:
        files[protocol_name(language, "xlsx")] = protocol.protocol_xlsx(language)
        if with_pdf:
            files[protocol_name(language, "pdf")] = protocol_pdf(language)
    return files


def write_kit(folder: Path) -> dict[str, int]:
    """Write the kit's files into ``folder`` (made if missing); their sizes by name."""
    folder.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for name, content in kit_files().items():
        (folder / name).write_bytes(content)
        sizes[name] = len(content)
    return sizes


def kit_zip() -> bytes:
    """The kit as one zip file, for a download."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in kit_files().items():
            info = zipfile.ZipInfo(name, date_time=protocol.KIT_DATE.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()
