"""PDF files through Typst: tagged PDF/UA-1, with DejaVu embedded (it has every Sámi letter
and Cyrillic), the same bytes for the same input.

A document is a Typst template plus its data. The data goes in as a JSON file that the
template reads (``#let data = json("data.json")``), never spliced into the markup, so text
that vendors or evaluators wrote (``#``, ``*``, ``=``, ``$`` …) is printed as written and
cannot act as Typst code. Images (charts as PNG or SVG) go in as files beside it.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import typst

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT = "DejaVu Sans"
DATA_FILE = "data.json"
MAIN_FILE = "main.typ"
# PDF/UA-1: tagged, with a title and a language, readable by screen readers.
STANDARD: Literal["ua-1"] = "ua-1"


class PdfUnavailable(RuntimeError):
    """The font the PDFs embed is not installed (Debian: fonts-dejavu-core)."""


def render(
    template: str,
    data: Mapping[str, Any],
    *,
    files: Mapping[str, bytes] | None = None,
    made_at: datetime | None = None,
) -> bytes:
    """The PDF of a Typst ``template`` (markup text) that reads ``data.json``.

    ``files`` are written beside it under their names (images the template shows).
    ``made_at`` is the date the PDF declares (default: the Unix epoch, so that the same
    input always gives the same bytes).
    """
    if not (FONT_DIR / "DejaVuSans.ttf").is_file():
        raise PdfUnavailable(f"{FONT} is not installed in {FONT_DIR}")
    with tempfile.TemporaryDirectory(prefix="bibvalg-pdf-") as folder:
        root = Path(folder)
        (root / MAIN_FILE).write_text(template, encoding="utf-8")
        (root / DATA_FILE).write_text(
            json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8"
        )
        for name, content in (files or {}).items():
            target = (root / name).resolve()
            if root.resolve() not in target.parents:
                raise ValueError(f"file name outside the document folder: {name!r}")
            target.write_bytes(content)
        result = typst.compile(
            str(root / MAIN_FILE),
            root=str(root),
            font_paths=[str(FONT_DIR)],
            ignore_system_fonts=True,
            pdf_standards=STANDARD,
            timestamp=int(made_at.timestamp()) if made_at is not None else 0,
        )
    return bytes(result)
