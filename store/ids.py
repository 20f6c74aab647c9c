"""The ids bibvalg gives vendors, offers, evaluators and libraries: short, lower-case, and
safe in a file name, a URL and a spreadsheet cell."""

from __future__ import annotations

import re

from store.errors import N_, InvalidRegistration

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,59}$")


def check_id(identifier: str) -> str:
    """An id as bibvalg stores it: lower-case letters, digits, '.', '_' or '-', at most 60."""
    if not ID_PATTERN.match(identifier or ""):
        raise InvalidRegistration(
            N_(
                "“{id}” cannot be an id: use lower-case letters a–z, digits, “.”, “_” or “-”, "
                "at most 60 characters, starting with a letter or digit."
            ),
            id=identifier,
        )
    return identifier
