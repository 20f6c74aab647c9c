"""The translation helper every visible string goes through.

``_("English text")`` returns the text in the language chosen in the sidebar.
``N_`` marks a string for the catalogue where it is translated later.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from locales import DEFAULT_LANGUAGE, LANGUAGES, translation
from ui import state


def current_language() -> str:
    """The language chosen in the sidebar (Norwegian Bokmål until one is chosen)."""
    language = st.session_state.get(state.LANGUAGE, DEFAULT_LANGUAGE)
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def _(message: str) -> str:
    """Translate a message into the current language."""
    return translation(current_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message with a singular and a plural form."""
    return translation(current_language()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a message for translation without translating it now."""
    return message


def localized(row: Mapping[str, Any], field: str) -> str:
    """The current language's version of a bilingual field (``name_nb`` / ``name_en``)."""
    value = row.get(f"{field}_{current_language()}") or row.get(f"{field}_{DEFAULT_LANGUAGE}")
    return str(value or "")
