"""A vendor's answers and prices from a filled-in requirement specification: checked, then
stored whole, in a round.

``import_responses`` checks the workbook (``vendors.response_reader.read_responses``) before
anything is written. A refused file raises ``WorkbookRefused`` with every problem and leaves
the database as it was. An accepted file replaces the offer's answers and prices of that
round in one transaction, and the audit log records what changed (old → new) with the
file's SHA-256. ``preview_import`` says first what an import would change, and how many
scores already given rest on an answer that changes. A workbook exported for one offer is
refused for another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import duckdb

from store import catalogue, db, opening, price_schedule, settings
from store import offers as store_offers
from store import responses as store_responses
from store.errors import N_, UnknownOffer
from store.problems import Problem, WorkbookRefused
from vendors.response_reader import Limits, ParsedResponses, read_responses
from vendors.template import build_template, template_bytes
from vendors.workbook_layout import OfferMark

# The working group's choice: show requirement weights in the template ("true"/"false").
SHOW_WEIGHTS_SETTING = "template_show_weights"
SHOW_WEIGHTS_DEFAULT = True


def show_weights_default(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the template shows the weights, as the working group has chosen."""
    value = settings.settings(con).get(SHOW_WEIGHTS_SETTING)
    return SHOW_WEIGHTS_DEFAULT if value is None else value == "true"


def set_show_weights_default(con: duckdb.DuckDBPyConnection, show: bool, *, actor: str) -> None:
    """Record the working group's choice of showing weights in the template (logged)."""
    settings.set_setting(con, SHOW_WEIGHTS_SETTING, "true" if show else "false", actor=actor)


@dataclass(frozen=True)
class TemplateExport:
    """A requirement specification ready to send: the file and what it carries."""

    data: bytes
    file_name: str
    version: catalogue.CatalogueVersion
    show_weights: bool
    requirements: int

    def as_dict(self) -> dict[str, Any]:
        """For a JSON document."""
        return {
            "file_name": self.file_name,
            "catalogue_version": self.version.version,
            "fingerprint": self.version.fingerprint,
            "show_weights": self.show_weights,
            "requirements": self.requirements,
            "bytes": len(self.data),
        }


def export_template(
    con: duckdb.DuckDBPyConnection,
    *,
    actor: str,
    show_weights: bool | None = None,
    exported_at: datetime | None = None,
    offer_id: str | None = None,
) -> TemplateExport:
    """The requirement specification for vendors, from the catalogue in force, with the
    price schedule's sheet when the tender has one. With ``offer_id`` the workbook names
    the vendor and offer it is sent to, and is refused for any other.

    The catalogue's state is recorded as a version first if it is not yet, so the version
    and fingerprint the file carries are in the database to compare answers against.
    """
    mark = None
    if offer_id is not None:
        known = store_offers.offers(con).set_index("id")
        if offer_id not in known.index:
            raise UnknownOffer(N_("There is no offer “{offer}”."), offer=offer_id)
        row = known.loc[offer_id]
        mark = OfferMark(
            offer_id, str(row["vendor_id"]), str(row["vendor_name"]), str(row["product"])
        )
    version = catalogue.ensure_recorded(con, actor=actor)
    show = show_weights_default(con) if show_weights is None else show_weights
    requirements = catalogue.requirements(con)
    workbook = build_template(
        requirements,
        catalogue.categories(con),
        version,
        show_weights=show,
        exported_at=exported_at,
        price_lines=price_schedule.lines(con),
        offer=mark,
    )
    for_offer = f"-{offer_id}" if offer_id else ""
    return TemplateExport(
        data=template_bytes(workbook),
        file_name=f"kravspesifikasjon-v{version.version}{for_offer}.xlsx",
        version=version,
        show_weights=show,
        requirements=len(requirements),
    )


def resolve_offer(con: duckdb.DuckDBPyConnection, vendor_or_offer: str) -> str:
    """The offer meant by a vendor id (a vendor with one offer) or an offer id."""
    offers = store_offers.offers(con)
    if vendor_or_offer in set(offers["id"]):
        return vendor_or_offer
    own = offers.loc[offers["vendor_id"] == vendor_or_offer, "id"].tolist()
    if len(own) == 1:
        return str(own[0])
    if own:
        raise UnknownOffer(
            N_("The vendor {vendor} has several offers ({offers}); name the offer instead."),
            vendor=vendor_or_offer,
            offers=", ".join(own),
        )
    raise UnknownOffer(
        N_("There is no vendor or offer “{name}”. Known: {known}."),
        name=vendor_or_offer,
        known=", ".join(sorted(set(offers["vendor_id"]))) or "–",
    )


def check_workbook(
    con: duckdb.DuckDBPyConnection, data: bytes, *, limits: Limits | None = None
) -> ParsedResponses:
    """Read and check a workbook against the catalogue in force; write nothing."""
    return read_responses(
        data,
        catalogue.requirements(con),
        catalogue.current_version(con),
        limits=limits,
        price_lines=price_schedule.lines(con),
    )


@dataclass(frozen=True)
class ImportResult:
    """What an import does (or, previewed, would do) to one offer's answers and prices in
    a round, compared with what stood before: that round's earlier file, or else the
    offer's latest earlier round. ``scores_resting`` counts the scores and assessments
    already given (evaluators' own and agreed) on a requirement whose answer changes."""

    offer_id: str
    file_name: str
    sha256: str
    catalogue_version: int
    answers: int
    round: int = opening.FIRST_ROUND
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    prices: int = 0
    prices_added: list[str] = field(default_factory=list)
    prices_changed: dict[str, tuple[float, float]] = field(default_factory=dict)
    prices_removed: list[str] = field(default_factory=list)
    scores_resting: int = 0
    replaces: bool = False  # the round held this offer's answers already

    @property
    def unchanged(self) -> int:
        """Answers that were already stored as they are now."""
        return self.answers - len(self.added) - len(self.changed)

    @property
    def changes_anything(self) -> bool:
        return bool(
            self.added
            or self.changed
            or self.removed
            or self.prices_added
            or self.prices_changed
            or self.prices_removed
        )

    def as_dict(self) -> dict[str, Any]:
        """For a JSON document."""
        return {
            "offer": self.offer_id,
            "round": self.round,
            "file": self.file_name,
            "sha256": self.sha256,
            "catalogue_version": self.catalogue_version,
            "answers": self.answers,
            "added": self.added,
            "changed": self.changed,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "prices": self.prices,
            "prices_added": self.prices_added,
            "prices_changed": {k: list(v) for k, v in self.prices_changed.items()},
            "prices_removed": self.prices_removed,
            "scores_resting_on_changed_answers": self.scores_resting,
            "replaces": self.replaces,
        }


def _result(
    changes: store_responses.RoundChanges, offer_id: str, parsed: ParsedResponses, file_name: str
) -> ImportResult:
    assert parsed.marks is not None
    return ImportResult(
        offer_id=offer_id,
        file_name=file_name,
        sha256=parsed.sha256,
        catalogue_version=parsed.marks.catalogue_version,
        answers=len(parsed.answers),
        round=changes.round,
        added=changes.added,
        changed=changes.changed,
        removed=changes.removed,
        prices=len({p.line_id for p in parsed.prices}),
        prices_added=changes.prices_added,
        prices_changed=changes.prices_changed,
        prices_removed=changes.prices_removed,
        scores_resting=changes.scores_resting,
        replaces=changes.replaces,
    )


def compare(
    con: duckdb.DuckDBPyConnection,
    offer_id: str,
    parsed: ParsedResponses,
    *,
    round_number: int,
    file_name: str = "",
) -> ImportResult:
    """What storing a clean workbook in a round would change; writes nothing."""
    if parsed.marks is None:
        raise ValueError("only a workbook without problems can be compared")
    changes = store_responses.compare(con, offer_id, parsed.answers, parsed.prices, round_number)
    return _result(changes, offer_id, parsed, file_name)


def _refuse_other_offer(parsed: ParsedResponses, offer_id: str, file_name: str) -> None:
    marks = parsed.marks
    if marks is not None and marks.offer_id and marks.offer_id != offer_id:
        raise WorkbookRefused(
            N_("The file {file} was not imported: {count} problem(s) to fix."),
            [
                Problem(
                    N_(
                        "This workbook was sent to {vendor} for offer {sent_to}; it cannot be "
                        "imported for offer {offer}."
                    ),
                    {"vendor": marks.vendor_id, "sent_to": marks.offer_id, "offer": offer_id},
                )
            ],
            file=file_name or "–",
        )


def write_answers(
    con: duckdb.DuckDBPyConnection,
    offer_id: str,
    parsed: ParsedResponses,
    *,
    actor: str,
    file_name: str = "",
    reason: str = "",
    round_number: int | None = None,
) -> ImportResult:
    """Replace an offer's answers and prices in a round (default: the current) with a
    clean workbook's, inside the caller's transaction (``store.responses.write_round``).
    Into an opened round this is a correction and needs a reason (``OffersNotOpen``)."""
    if not parsed.ok or parsed.marks is None:
        raise ValueError("only a workbook without problems can be written")
    number = opening.current_round(con) if round_number is None else round_number
    _refuse_other_offer(parsed, offer_id, file_name)
    changes = store_responses.write_round(
        con, offer_id, parsed.answers, parsed.prices, round_number=number,
        sha256=parsed.sha256, catalogue_version=parsed.marks.catalogue_version,
        actor=actor, file_name=file_name, reason=reason,
    )  # fmt: skip
    return _result(changes, offer_id, parsed, file_name)


def _checked(
    con: duckdb.DuckDBPyConnection,
    offer_id: str,
    data: bytes,
    file_name: str,
    limits: Limits | None,
) -> ParsedResponses:
    if offer_id not in set(store_offers.offers(con)["id"]):
        raise UnknownOffer(N_("There is no offer “{offer}”."), offer=offer_id)
    parsed = check_workbook(con, data, limits=limits)
    if not parsed.ok:
        raise WorkbookRefused(
            N_("The file {file} was not imported: {count} problem(s) to fix."),
            parsed.problems,
            file=file_name or "–",
        )
    _refuse_other_offer(parsed, offer_id, file_name)
    return parsed


def preview_import(
    con: duckdb.DuckDBPyConnection,
    offer_id: str,
    data: bytes,
    *,
    file_name: str = "",
    limits: Limits | None = None,
    round_number: int | None = None,
) -> ImportResult:
    """What importing a workbook would change, checked as the import checks it; writes
    nothing. Raises as ``import_responses`` does for a refused file."""
    parsed = _checked(con, offer_id, data, file_name, limits)
    number = opening.current_round(con) if round_number is None else round_number
    return compare(con, offer_id, parsed, round_number=number, file_name=file_name)


@db.retry_on_conflict
def import_responses(
    con: duckdb.DuckDBPyConnection,
    offer_id: str,
    data: bytes,
    *,
    actor: str,
    file_name: str = "",
    limits: Limits | None = None,
    reason: str = "",
    round_number: int | None = None,
) -> ImportResult:
    """Check a vendor's workbook and, if it is clean, store its answers and prices in a
    round (default: the current); all or nothing.

    Raises ``WorkbookRefused`` listing every problem (nothing written), ``UnknownOffer``,
    or ``OffersNotOpen`` for a round that takes no offers now or a correction without a
    reason.
    """
    with db.transaction(con):
        parsed = _checked(con, offer_id, data, file_name, limits)
        return write_answers(
            con,
            offer_id,
            parsed,
            actor=actor,
            file_name=file_name,
            reason=reason,
            round_number=round_number,
        )
