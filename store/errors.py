"""Exceptions named after what went wrong.

Each carries an English message id with ``{placeholders}`` and their values, so the app
and the CLI can show it in the user's language (see ``locales``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def N_(message: str) -> str:
    """Mark a message for the catalogue; it is translated where it is shown."""
    return message


class BibvalgError(Exception):
    """Base class for errors the user can act on."""

    def __init__(self, message: str, **params: Any) -> None:
        self.message = message
        self.params = params
        super().__init__(message.format(**params))

    def translated(self, language: str) -> str:
        """The message in a language of ``locales.LANGUAGES``."""
        from locales import gettext_for

        return gettext_for(language, self.message).format(**self.params)


class UnknownRequirement(BibvalgError):
    """A requirement id that the catalogue does not hold."""


class UnknownOffer(BibvalgError):
    """An offer id that the database does not hold."""


class UnknownProfile(BibvalgError):
    """A weight profile name that the database does not hold."""


class InvalidWeights(BibvalgError):
    """Weights that are negative, unknown or otherwise unusable."""


class SchemaTooNew(BibvalgError):
    """The database was written by a newer version of bibvalg."""


class InvalidSetting(BibvalgError):
    """A procurement setting that cannot be used."""


class UnknownSetting(BibvalgError):
    """A setting key that bibvalg does not know (a typo, most likely)."""


class InvalidPriceSettings(BibvalgError):
    """A price model or price-model setting that cannot be used."""


class UnknownEvaluator(BibvalgError):
    """An evaluator id that the database does not hold."""


class InvalidScore(BibvalgError):
    """A score, assessment or reason that cannot be stored as given."""


class ScoresSubmitted(BibvalgError):
    """The evaluator has submitted; their scores and assessments can no longer change."""


class IncompleteScores(BibvalgError):
    """A submission refused because scores, assessments or reasons are missing."""


class ModelFrozen(BibvalgError):
    """A change to the frozen evaluation model without a reason."""


class ModelAlreadyFrozen(BibvalgError):
    """The evaluation model is frozen already; it is frozen only once."""


class AuditLogIsAppendOnly(BibvalgError):
    """A statement that would change or remove audit-log entries."""


class InvalidRegistration(BibvalgError):
    """A vendor, offer, evaluator or tender setting that cannot be registered as given."""


class NotDeclared(BibvalgError):
    """An evaluator who has not declared impartiality, or is retired, tried to score."""


class OffersNotOpen(BibvalgError):
    """Offers opened before the freeze, twice, or changed after opening without a reason."""


class InvalidAnchor(BibvalgError):
    """An anchor of the audit log that is not a head hash, optionally with a count."""


class DatabaseInUse(BibvalgError):
    """Another program holds the database file (DuckDB lets one process open it at a time)."""


class WriteConflict(BibvalgError):
    """A save kept colliding with other saves made at the same moment and was given up."""


class AwardRefused(BibvalgError):
    """An award decision, its withdrawal or a letter that cannot be recorded as asked."""


class InputRefused(BibvalgError):
    """A request to a library, or a decision on a library's proposal, that cannot be
    recorded as given (an unknown library or proposal, a decision without a reason)."""


class StaleValue(BibvalgError):
    """A save based on a value that has changed since the page was drawn.

    ``current`` is the value stored now (or None if there is none), to show instead.
    """

    def __init__(self, message: str, *, current: Any = None, **params: Any) -> None:
        super().__init__(message, **params)
        self.current = current


class NotAllowed(BibvalgError):
    """A change that the acting person's roles do not allow, or by someone who is not on
    the tender's list of people, while roles are enforced (``store.access``).

    ``labels`` are parameters whose values are message ids (the thing changed, the roles
    that may change it): each is translated where the message is shown, a list joined with
    commas.
    """

    def __init__(
        self, message: str, *, labels: Mapping[str, Sequence[str]] | None = None, **params: Any
    ) -> None:
        self.labels = {key: tuple(values) for key, values in (labels or {}).items()}
        english = {key: ", ".join(values) for key, values in self.labels.items()}
        super().__init__(message, **params, **english)
        self.params = params

    def translated(self, language: str) -> str:
        from locales import gettext_for

        shown = {
            key: ", ".join(gettext_for(language, value) for value in values)
            for key, values in self.labels.items()
        }
        return gettext_for(language, self.message).format(**self.params, **shown)
