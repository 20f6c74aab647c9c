"""Refresh the catalogues from locales/bibvalg.pot, keeping every translation made so far.

Run through `make messages`: it extracts the messages first, then calls this. New messages
get an empty msgstr in nb (fill them in); messages no longer in the code are dropped. It
lists the Norwegian messages still to translate.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).parent
LANGUAGES = ("nb", "en")


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _translated(string: str | tuple[str, ...]) -> bool:
    """Whether a msgstr (or every form of a plural msgstr) is filled in."""
    forms = string if isinstance(string, tuple | list) else (string,)
    return bool(forms) and all(forms)


def refresh(template: Catalog, language: str) -> list[str]:
    """Rewrite one language's .po from the template; return the untranslated ids."""
    path = ROOT / language / "LC_MESSAGES" / "bibvalg.po"
    old = (
        {m.id: m.string for m in read(path, language) if m.id and _translated(m.string)}
        if path.exists()
        else {}
    )
    catalog = Catalog(locale=language, domain="bibvalg", project="bibvalg", charset="utf-8")
    missing = []
    for message in template:
        if not message.id:
            continue
        string = old.get(message.id, "")
        catalog.add(message.id, string, flags=message.flags)
        if not _translated(string):
            missing.append(str(message.id))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, sort_output=True, omit_header=False)
    return missing


def main() -> int:
    template = read(ROOT / "bibvalg.pot")
    missing = refresh(template, "nb")
    refresh(template, "en")  # English msgids are their own translation
    for message_id in missing:
        print(f"nb: untranslated: {message_id}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
