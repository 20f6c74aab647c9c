"""A vendor's answers from a filled-in requirement specification: checked, then stored whole.

``import_responses`` checks the workbook (``vendors.response_reader.read_responses``) before
anything is written. A refused file raises ``WorkbookRefused`` with every problem and leaves
the database as it was. An accepted file replaces the offer's earlier answers in one
transaction, and the audit log records what changed (old → new) with the file's SHA-256.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import duckdb
import pandas as pd

from store import audit, catalogue, db, opening, settings
from store import offers as store_offers
from store.errors import N_, UnknownOffer
from store.problems import WorkbookRefused
from vendors.response_reader import Answer, Limits, ParsedResponses, read_responses
from vendors.template import build_template, template_bytes

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
) -> TemplateExport:
    """The requirement specification for vendors, from the catalogue in force.

    The catalogue's state is recorded as a version first if it is not yet, so the version
    and fingerprint the file carries are in the database to compare answers against.
    """
    version = catalogue.ensure_recorded(con, actor=actor)
    show = show_weights_default(con) if show_weights is None else show_weights
    requirements = catalogue.requirements(con)
    workbook = build_template(
        requirements,
        catalogue.categories(con),
        version,
        show_weights=show,
        exported_at=exported_at,
    )
    return TemplateExport(
        data=template_bytes(workbook),
        file_name=f"kravspesifikasjon-v{version.version}.xlsx",
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
        data, catalogue.requirements(con), catalogue.current_version(con), limits=limits
    )


@dataclass(frozen=True)
class ImportResult:
    """What an accepted import did to one offer's answers."""

    offer_id: str
    file_name: str
    sha256: str
    catalogue_version: int
    answers: int
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def unchanged(self) -> int:
        """Answers that were already stored as they are now."""
        return self.answers - len(self.added) - len(self.changed)

    def as_dict(self) -> dict[str, Any]:
        """For a JSON document."""
        return {
            "offer": self.offer_id,
            "file": self.file_name,
            "sha256": self.sha256,
            "catalogue_version": self.catalogue_version,
            "answers": self.answers,
            "added": self.added,
            "changed": self.changed,
            "removed": self.removed,
            "unchanged": self.unchanged,
        }


def stored_answers(con: duckdb.DuckDBPyConnection, offer_id: str) -> dict[str, Answer]:
    """An offer's answers as stored, by requirement id."""
    rows = con.execute(
        "SELECT requirement_id, answer, comment, evidence, roadmap_date FROM response"
        " WHERE offer_id = ? ORDER BY requirement_id",
        [offer_id],
    ).fetchall()
    return {
        r[0]: Answer(
            requirement_id=r[0],
            answer=None if r[1] is None else int(r[1]),
            comment=r[2],
            evidence=r[3],
            roadmap_date=r[4],
        )
        for r in rows
    }


def write_answers(
    con: duckdb.DuckDBPyConnection,
    offer_id: str,
    parsed: ParsedResponses,
    *,
    actor: str,
    file_name: str = "",
    reason: str = "",
) -> ImportResult:
    """Replace an offer's answers with a clean workbook's, inside the caller's transaction.
    After the offers are opened this is a correction and needs a reason (OffersNotOpen)."""
    if not parsed.ok or parsed.marks is None:
        raise ValueError("only a workbook without problems can be written")
    opening.ensure_change_allowed(con, reason)
    old = stored_answers(con, offer_id)
    old_sha = con.execute(
        "SELECT any_value(file_sha256) FROM response WHERE offer_id = ?", [offer_id]
    ).fetchone()
    new = {a.requirement_id: a for a in parsed.answers}
    con.execute("DELETE FROM response WHERE offer_id = ?", [offer_id])
    if new:
        incoming = pd.DataFrame(
            {
                "requirement_id": [a.requirement_id for a in parsed.answers],
                "answer": pd.array([a.answer for a in parsed.answers], dtype="Int64"),
                "comment": [a.comment for a in parsed.answers],
                "evidence": [a.evidence for a in parsed.answers],
                "roadmap_date": [
                    a.roadmap_date.isoformat() if a.roadmap_date else None for a in parsed.answers
                ],
            }
        )
        con.register("incoming_answers", incoming)
        try:
            con.execute(
                "INSERT INTO response (offer_id, requirement_id, answer, comment, evidence,"
                " roadmap_date, file_sha256)"
                " SELECT ?, requirement_id, answer, comment, evidence,"
                " CAST(roadmap_date AS DATE), ? FROM incoming_answers",
                [offer_id, parsed.sha256],
            )
        finally:
            con.unregister("incoming_answers")
    added = [r for r in new if r not in old]
    changed = [r for r in new if r in old and old[r] != new[r]]
    removed = [r for r in old if r not in new]
    result = ImportResult(
        offer_id=offer_id,
        file_name=file_name,
        sha256=parsed.sha256,
        catalogue_version=parsed.marks.catalogue_version,
        answers=len(new),
        added=added,
        changed=changed,
        removed=removed,
    )
    audit.record(
        con,
        actor=actor,
        action="import",
        entity="response",
        entity_id=offer_id,
        old={
            "file_sha256": old_sha[0] if old_sha else None,
            "answers": {r: old[r].as_dict() for r in changed + removed},
        },
        new={
            "file": file_name,
            "file_sha256": parsed.sha256,
            "catalogue_version": parsed.marks.catalogue_version,
            "answers": {r: new[r].as_dict() for r in added + changed},
            "unchanged": result.unchanged,
        },
        reason=reason.strip() or f"Response workbook {file_name} (SHA-256 {parsed.sha256})",
    )
    return result


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
) -> ImportResult:
    """Check a vendor's workbook and, if it is clean, store its answers; all or nothing.

    Raises ``WorkbookRefused`` listing every problem (nothing written), or ``UnknownOffer``.
    """
    if offer_id not in set(store_offers.offers(con)["id"]):
        raise UnknownOffer(N_("There is no offer “{offer}”."), offer=offer_id)
    with db.transaction(con):
        parsed = check_workbook(con, data, limits=limits)
        if not parsed.ok:
            raise WorkbookRefused(
                N_("The file {file} was not imported: {count} problem(s) to fix."),
                parsed.problems,
                file=file_name or "–",
            )
        return write_answers(con, offer_id, parsed, actor=actor, file_name=file_name, reason=reason)
