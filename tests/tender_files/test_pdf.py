"""Typst PDFs: text as written (never markup), every Sámi letter and Cyrillic readable by
pdftotext, PDF/UA-1 declared, the same bytes twice."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tender_files import pdf

TEMPLATE = """#let data = json("data.json")
#set document(title: data.title, author: "bibvalg")
#set text(lang: data.lang, font: "DejaVu Sans")
= #data.title
#data.body
"""
SAMI = "ÁáČčĐđŊŋŠšŦŧŽžÂâÄäÕõÖöÅåÆæØøʼ"
HOSTILE = "= heading? #emph[x] *bold* $x^2$ <label> @ref \\ _u_ // comment"


def _text(data: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (Debian: poppler-utils)")
    return subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode("utf-8")


def test_text_is_printed_as_written_with_every_letter():
    made = pdf.render(
        TEMPLATE, {"title": "Poengark", "lang": "nb", "body": SAMI + " йи " + HOSTILE}
    )
    text = " ".join(_text(made).split())
    assert SAMI in text
    assert "йи" in text
    assert HOSTILE in text
    assert b"pdfuaid:part>1<" in made


def test_the_same_input_gives_the_same_bytes():
    data = {"title": "T", "lang": "en", "body": "x"}
    assert pdf.render(TEMPLATE, data) == pdf.render(TEMPLATE, data)


def test_a_file_name_outside_the_folder_is_refused():
    with pytest.raises(ValueError):
        pdf.render(TEMPLATE, {"title": "T", "lang": "en", "body": ""}, files={"../x.png": b""})
