"""Message catalogues (gettext .po files) and the translations built from them.

Message ids are English; ``nb/LC_MESSAGES/bibvalg.po`` holds Norwegian Bokmål, the default.
The .po files are compiled in memory when first used, so there is no build step.
"""

from __future__ import annotations

import gettext
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DOMAIN = "bibvalg"
LOCALE_DIR = Path(__file__).parent
LANGUAGES: dict[str, str] = {"nb": "Norsk bokmål", "en": "English"}
DEFAULT_LANGUAGE = "nb"


def catalogue_path(language: str) -> Path:
    """Where the .po file of a language lives."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=len(LANGUAGES))
def translation(language: str) -> gettext.NullTranslations:
    """The gettext translation for a language; English msgids are their own translation."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; choose one of {', '.join(LANGUAGES)}")
    path = catalogue_path(language)
    if not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def gettext_for(language: str, message: str) -> str:
    """One message in one language."""
    return translation(language).gettext(message)
