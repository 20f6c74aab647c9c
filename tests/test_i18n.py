"""Every visible string goes through the catalogue, and Norwegian Bokmål is complete."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from locales import LANGUAGES, catalogue_path, gettext_for, translation
from store.errors import InvalidWeights

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
SOURCE_DIRS = ["pages", "ui", "store", "vendors", "tender_files", "analysis", "demo", "scoring"]


def extracted_ids() -> set[str]:
    ids: set[str] = set()
    for folder in SOURCE_DIRS:
        for _, _, message, _, _ in extract_from_dir(
            ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            ids.add(message if isinstance(message, str) else message[0])
    for _, _, message, _, _ in extract_from_dir(
        ROOT, method_map=[("app.py", "python")], keywords=KEYWORDS
    ):
        ids.add(message if isinstance(message, str) else message[0])
    return ids


def catalogue(language: str) -> dict[str, str | tuple[str, ...]]:
    """msgid -> msgstr; a plural message is keyed by its singular, with every form."""
    with catalogue_path(language).open("rb") as handle:
        return {
            (m.id if isinstance(m.id, str) else m.id[0]): m.string for m in read_po(handle) if m.id
        }


def _forms(msgstr: str | tuple[str, ...]) -> tuple[str, ...]:
    return (msgstr,) if isinstance(msgstr, str) else tuple(msgstr)


def test_every_message_in_the_code_has_a_norwegian_translation():
    nb = catalogue("nb")
    untranslated = sorted(i for i in extracted_ids() if not nb.get(i) or not all(_forms(nb[i])))
    assert untranslated == []


def test_catalogues_hold_no_stale_messages():
    stale = sorted(set(catalogue("nb")) - extracted_ids())
    assert stale == []


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_placeholders_survive_translation(language):
    for msgid, msgstr in catalogue(language).items():
        for form in _forms(msgstr):
            if form:
                assert sorted(_fields(msgid)) == sorted(_fields(form)), msgid


def _fields(text: str) -> list[str]:
    import string

    return [f for _, f, _, _ in string.Formatter().parse(text) if f]


def test_norwegian_is_the_default_and_english_falls_back_to_the_msgid():
    assert gettext_for("nb", "Weights") == "Vekter"
    assert gettext_for("en", "Weights") == "Weights"
    with pytest.raises(ValueError):
        translation("xx")


def test_errors_from_the_data_layer_are_shown_in_either_language():
    error = InvalidWeights("Weights must be zero or positive.")
    assert error.translated("nb") == "Vekter må være null eller positive."
    assert error.translated("en") == "Weights must be zero or positive."
