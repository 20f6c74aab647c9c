"""Exceptions named after what went wrong."""


class BibvalgError(Exception):
    """Base class for errors the user can act on."""


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
