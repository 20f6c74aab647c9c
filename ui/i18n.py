"""The translation helper every visible string goes through.

``_("English text")`` returns the text in the language chosen in the sidebar, or inside
``speaking(language)`` in that language (a file made for the command line, or in a language
asked for). ``N_`` marks a string for the catalogue where it is translated later.

Streamlit is imported only where the sidebar's choice is read, so the figure and table
builders that use ``_`` also serve the command line.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from locales import DEFAULT_LANGUAGE, LANGUAGES, translation
from ui import state

_SPOKEN: ContextVar[str | None] = ContextVar("bibvalg_language", default=None)


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Translate into ``language`` inside the block, whatever the sidebar says."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; choose one of {', '.join(LANGUAGES)}")
    token = _SPOKEN.set(language)
    try:
        yield
    finally:
        _SPOKEN.reset(token)


def current_language() -> str:
    """The language of ``speaking``, else the one chosen in the sidebar (Norwegian Bokmål
    until one is chosen)."""
    spoken = _SPOKEN.get()
    if spoken is not None:
        return spoken
    import streamlit as st

    language = st.session_state.get(state.LANGUAGE, DEFAULT_LANGUAGE)
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


LANGUAGE_PARAMETER = "lang"  # the address's query parameter that names the language


def language_of_address(parameters: Mapping[str, Any]) -> str:
    """The language the address names (``?lang=en``), else the default."""
    named = parameters.get(LANGUAGE_PARAMETER)
    return named if isinstance(named, str) and named in LANGUAGES else DEFAULT_LANGUAGE


def _(message: str) -> str:
    """Translate a message into the current language."""
    return translation(current_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message with a singular and a plural form."""
    return translation(current_language()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a message for translation without translating it now."""
    return message


def localized_language(row: Mapping[str, Any], field: str) -> str:
    """The language ``localized`` gives the field in: the current one, unless that version
    is empty and it falls back to the default language's."""
    language = current_language()
    return language if row.get(f"{field}_{language}") else DEFAULT_LANGUAGE


def localized(row: Mapping[str, Any], field: str) -> str:
    """The current language's version of a bilingual field (``name_nb`` / ``name_en``)."""
    value = row.get(f"{field}_{current_language()}") or row.get(f"{field}_{DEFAULT_LANGUAGE}")
    return str(value or "")
