"""Problems found in a file or an edit, each tied to where it is: sheet, row and column.

A problem carries an English message id with ``{placeholders}`` and their values, like the
errors in ``store.errors``, so the app and the CLI show it in the user's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from store.errors import N_, BibvalgError


@dataclass(frozen=True)
class Problem:
    """One thing wrong, and where: sheet name, row number (1-based) and column letter or name.

    ``sheet`` is empty for an edit made in the app and for the file as a whole; ``row`` is
    None and ``column`` empty where the problem belongs to no one row or column.
    """

    message: str
    params: dict[str, Any] = field(default_factory=dict)
    sheet: str = ""
    row: int | None = None
    column: str = ""

    def translated(self, language: str) -> str:
        """The message in a language of ``locales.LANGUAGES``."""
        from locales import gettext_for

        return gettext_for(language, self.message).format(**self.params)

    def location(self, language: str) -> str:
        """Where, in words: "Sheet “Krav”, row 7, column G" (empty for the whole file)."""
        from locales import gettext_for

        parts = []
        if self.sheet:
            parts.append(gettext_for(language, N_("sheet “{sheet}”")).format(sheet=self.sheet))
        if self.row is not None:
            parts.append(gettext_for(language, N_("row {row}")).format(row=self.row))
        if self.column:
            parts.append(gettext_for(language, N_("column {column}")).format(column=self.column))
        text = ", ".join(parts)
        return text[:1].upper() + text[1:]

    def line(self, language: str) -> str:
        """Location and message on one line, for the command line."""
        where = self.location(language)
        return f"{where}: {self.translated(language)}" if where else self.translated(language)

    def as_dict(self) -> dict[str, Any]:
        """For a JSON document: the place, and the message in both languages."""
        from locales import LANGUAGES

        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message_id": self.message,
            "params": {k: _plain(v) for k, v in self.params.items()},
            **{f"message_{lang}": self.translated(lang) for lang in LANGUAGES},
        }


def _plain(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """File-wide problems first, then by sheet, row and column (A..Z, then AA..)."""
    return sorted(
        problems,
        key=lambda p: (
            p.sheet != "" or p.row is not None,
            p.sheet,
            p.row if p.row is not None else -1,
            len(p.column),
            p.column,
        ),
    )


class ProblemsFound(BibvalgError):
    """Input refused for the problems listed in ``problems``; nothing was written."""

    def __init__(self, message: str, problems: Sequence[Problem], **params: Any) -> None:
        self.problems = list(problems)
        super().__init__(message, count=len(self.problems), **params)


class WorkbookRefused(ProblemsFound):
    """A vendor's response workbook that cannot be imported as it is."""


class CatalogueInvalid(ProblemsFound):
    """An edit of the requirement catalogue that cannot be saved as it is."""


class LibraryListRefused(ProblemsFound):
    """A list of participating libraries that cannot be imported as it is."""


class LibraryInputRefused(ProblemsFound):
    """A library's input workbook that cannot be imported as it is."""


class PriceScheduleInvalid(ProblemsFound):
    """An edit of the price schedule that cannot be saved as it is."""
