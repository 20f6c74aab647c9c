"""The requirement catalogue: its versions, its fingerprint, and the one way to save an edit.

Every edit of the catalogue, from the page "Krav" or from code, is saved through
``save_catalogue``: it validates, writes, logs every changed requirement (old → new) and
records a new catalogue version, all in one transaction.

The fingerprint is the SHA-256 of a canonical serialisation of what a vendor answers to:
the id, category, kind and Norwegian and English text of every requirement in force
(retired ones left out), sorted by id. Weights and the order of the rows do not count:
changing a weight does not change the question a vendor answered, so it does not outdate
a response workbook. Every save still gets a new version number.
"""

from __future__ import annotations

import hashlib
import json
import math
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import duckdb
import pandas as pd

from store import audit, db, freeze
from store.errors import (
    N_,
)
from store.problems import CatalogueInvalid, Problem

FINGERPRINT_FORMAT = "bibvalg-catalogue-1"
FINGERPRINT_FIELDS = ("id", "category_id", "kind", "text_nb", "text_en")
EDIT_COLUMNS = ("id", "category_id", "kind", "text_nb", "text_en", "weight", "retired")
TEXT_COLUMNS = ("id", "category_id", "kind", "text_nb", "text_en")
KINDS = ("M", "W", "I")
# A row of the saved catalogue left out of an edit: its row is the saved catalogue's.
MISSING_MESSAGE = N_(
    "Requirement {id} is missing. A requirement cannot be deleted or renamed: retire it, "
    "and add a new one."
)
MAX_ID_LENGTH = 40
MAX_TEXT_LENGTH = 4000


def nfc(value: Any) -> str:
    """Text in Unicode NFC without surrounding white space; None and NaN become ""."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if value is pd.NA or value is pd.NaT:
        return ""
    return unicodedata.normalize("NFC", str(value)).strip()


def fingerprint(requirements: pd.DataFrame) -> str:
    """SHA-256 (hex) of what vendors answer to, for the requirements not retired."""
    rows = requirements
    if "retired" in rows.columns:
        rows = rows[~rows["retired"].fillna(False).astype(bool)]
    canonical = sorted([nfc(r[f]) for f in FINGERPRINT_FIELDS] for r in rows.to_dict("records"))
    payload = json.dumps(
        {"format": FINGERPRINT_FORMAT, "requirements": canonical},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


# --- versions ------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogueVersion:
    """A catalogue version; ``saved_at`` is None while the catalogue's state is unrecorded."""

    version: int
    fingerprint: str
    saved_at: datetime | None = None
    saved_by: str = ""
    reason: str = ""

    @property
    def recorded(self) -> bool:
        """Whether this version is in the database's list of versions."""
        return self.saved_at is not None


def versions(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every recorded version, newest first."""
    return con.execute("SELECT * FROM catalogue_version ORDER BY version DESC").df()


def latest_recorded(con: duckdb.DuckDBPyConnection) -> CatalogueVersion | None:
    """The newest recorded version, if any."""
    row = con.execute(
        "SELECT version, fingerprint, saved_at, saved_by, reason FROM catalogue_version"
        " ORDER BY version DESC LIMIT 1"
    ).fetchone()
    return CatalogueVersion(*row) if row else None


def current_fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """The fingerprint of the catalogue as the database holds it now."""
    return fingerprint(requirements(con))


def current_version(con: duckdb.DuckDBPyConnection) -> CatalogueVersion:
    """The catalogue now: the newest recorded version, or, if the requirements were changed
    without being recorded (loaded by a migration or by older code), the next number,
    not yet recorded."""
    live = current_fingerprint(con)
    latest = latest_recorded(con)
    if latest is not None and latest.fingerprint == live:
        return latest
    return CatalogueVersion(version=(latest.version if latest else 0) + 1, fingerprint=live)


def record_version(
    con: duckdb.DuckDBPyConnection, *, actor: str, reason: str = ""
) -> CatalogueVersion:
    """Record the catalogue as it is now as a new version, inside the caller's transaction."""
    latest = latest_recorded(con)
    number = (latest.version if latest else 0) + 1
    live = current_fingerprint(con)
    con.execute(
        "INSERT INTO catalogue_version (version, fingerprint, saved_by, reason)"
        " VALUES (?, ?, ?, ?)",
        [number, live, actor, reason],
    )
    audit.record(
        con, actor=actor, action="version", entity="catalogue", entity_id=str(number),
        old={"version": latest.version, "fingerprint": latest.fingerprint} if latest else None,
        new={"version": number, "fingerprint": live}, reason=reason,
    )  # fmt: skip
    recorded = latest_recorded(con)
    assert recorded is not None
    return recorded


@db.retry_on_conflict
def ensure_recorded(con: duckdb.DuckDBPyConnection, *, actor: str) -> CatalogueVersion:
    """The current version, recorded first if it is not yet (before a template goes out)."""
    version = current_version(con)
    if version.recorded:
        return version
    with db.transaction(con):
        version = current_version(con)
        if version.recorded:
            return version
        return record_version(con, actor=actor, reason="Catalogue state recorded")


# --- editing -------------------------------------------------------------------------


def editable(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every requirement, retired ones too, in catalogue order: the columns one may edit.

    Rows are numbered from 1, as problems found by ``validate`` number them.
    """
    frame = requirements(con, include_retired=True)[list(EDIT_COLUMNS)]
    return frame.set_axis(pd.RangeIndex(1, len(frame) + 1))


def _number(value: Any) -> float | None:
    """A weight as a float; None where it is not a finite number. Blank counts as 0."""
    if value is None or value is pd.NA or (isinstance(value, str) and not value.strip()):
        return 0.0
    if isinstance(value, bool):
        return None
    try:
        number = float(str(value).replace(",", ".")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        return None
    if math.isnan(number):
        return 0.0
    return number if math.isfinite(number) else None


def flag(value: Any) -> bool:
    """A flag cell as a bool: blank is false; text is true for true, 1, yes or ja."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return False
    if isinstance(value, str):
        return value.strip().lower() in {"true", "1", "yes", "ja"}
    return bool(value)


def normalise(edited: pd.DataFrame) -> pd.DataFrame:
    """The edit as plain values: texts in NFC and trimmed, kinds upper-case, flags as bool.

    Weights that are not numbers are kept as given, for ``validate`` to name them.
    """
    missing = [c for c in EDIT_COLUMNS if c not in edited.columns]
    if missing:
        raise ValueError(f"the edited catalogue lacks the columns {missing}")
    out = pd.DataFrame(
        {
            **{c: [nfc(v) for v in edited[c]] for c in TEXT_COLUMNS},
            "weight": [
                w if (w := _number(v)) is not None else v for v in edited["weight"].tolist()
            ],
            "retired": [flag(v) for v in edited["retired"].tolist()],
        }
    )
    out["kind"] = [str(k).upper() for k in out["kind"]]
    return out


def id_problems(rid: str, number: int, first_row: dict[str, int], missing: str) -> list[Problem]:
    """What is wrong with the id in row ``number``: missing (``missing`` says so), too long
    or holding spaces, or used in an earlier row (``first_row``, ids seen so far by their
    case-folded form, is filled in here)."""
    if not rid:
        return [Problem(missing, row=number, column="id")]
    if len(rid) > MAX_ID_LENGTH or any(ch.isspace() for ch in rid):
        message = N_("The id “{id}” may hold no spaces and at most {limit} characters.")
        return [Problem(message, {"id": rid, "limit": MAX_ID_LENGTH}, row=number, column="id")]
    if rid.casefold() in first_row:
        message = N_("The id “{id}” is used more than once (also in row {other}).")
        params = {"id": rid, "other": first_row[rid.casefold()]}
        return [Problem(message, params, row=number, column="id")]
    first_row[rid.casefold()] = number
    return []


# Notes a problem in one column of the row being checked: (column, message, **params).
NoteProblem = Callable[..., None]


def check_rows(
    after: pd.DataFrame,
    before: pd.DataFrame,
    *,
    missing_id: str,
    missing_row: str,
    check: Callable[[dict[str, Any], NoteProblem], None],
) -> list[Problem]:
    """Problems with an edited table (``after`` normalised), rows numbered from 1 as shown:
    each row's id (``missing_id`` when it has none), what ``check`` finds in the row (given
    the row and a function that notes a problem in one of its columns), its weight; then
    the rows of ``before`` left out (``missing_row``, numbered as in ``before``)."""
    problems: list[Problem] = []
    first_row: dict[str, int] = {}
    for number, row in enumerate(after.to_dict("records"), start=1):

        def problem(column: str, message: str, _row: int = number, **params: Any) -> None:
            problems.append(Problem(message, params, row=_row, column=column))

        problems.extend(id_problems(row["id"], number, first_row, missing_id))
        check(row, problem)
        weight = row["weight"]
        if not isinstance(weight, float) or weight < 0:
            problem(
                "weight",
                N_("The weight must be a number, zero or more, not “{weight}”."),
                weight=weight,
            )
    kept = {str(i).casefold() for i in after["id"]}
    for number, rid in enumerate(before["id"], start=1):
        if str(rid).casefold() not in kept:
            problems.append(Problem(missing_row, {"id": rid}, row=number, column="id"))
    return problems


def validate(
    before: pd.DataFrame,
    after: pd.DataFrame,
    category_ids: set[str],
    retired_categories: set[str] | frozenset[str] = frozenset(),
) -> list[Problem]:
    """Problems with an edit (``after`` normalised); rows are numbered from 1 as shown.

    ``category_ids`` are every category, retired ones too; a requirement in force may not
    belong to one of ``retired_categories``."""

    def check(row: dict[str, Any], problem: NoteProblem) -> None:
        if row["category_id"] not in category_ids:
            problem(
                "category_id",
                N_("There is no category “{category}”."),
                category=row["category_id"],
            )
        elif row["category_id"] in retired_categories and not row["retired"]:
            problem(
                "category_id",
                N_(
                    "The category “{category}” is retired: a requirement in force cannot "
                    "belong to it."
                ),
                category=row["category_id"],
            )
        if row["kind"] not in KINDS:
            problem("kind", N_("The type must be M, W or I, not “{kind}”."), kind=row["kind"])
        for column, message in (
            ("text_nb", N_("The Norwegian text is empty.")),
            ("text_en", N_("The English text is empty.")),
        ):
            if not row[column]:
                problem(column, message)
            elif len(row[column]) > MAX_TEXT_LENGTH:
                problem(
                    column,
                    N_("The text is longer than {limit} characters."),
                    limit=MAX_TEXT_LENGTH,
                )

    return check_rows(
        after,
        before,
        missing_id=N_("Every requirement needs an id."),
        missing_row=MISSING_MESSAGE,
        check=check,
    )


@dataclass(frozen=True)
class Change:
    """One row of a catalogue table (a requirement, a price line) added or changed: ``old``
    is None for a new one."""

    action: str  # "add", "update", "retire" or "reinstate"
    id: str
    old: dict[str, Any] | None
    new: dict[str, Any]

    @property
    def requirement_id(self) -> str:
        """The id, read as a requirement's."""
        return self.id

    @property
    def line_id(self) -> str:
        """The id, read as a price line's."""
        return self.id


def diff(before: pd.DataFrame, after: pd.DataFrame) -> list[Change]:
    """The requirements added or changed from ``before`` to a valid, normalised ``after``,
    in the order of after."""
    return row_changes(before, after, EDIT_COLUMNS, _plain)


def row_changes(
    before: pd.DataFrame,
    after: pd.DataFrame,
    columns: Sequence[str],
    plain: Callable[[dict[str, Any]], dict[str, Any]],
) -> list[Change]:
    """The rows added or changed from ``before`` to a valid, normalised ``after`` (both with
    ``columns``, keyed by ``id`` and with a ``retired`` flag), in the order of after: each
    as a ``Change`` with the rows made ``plain``, ``old`` None for a new one.
    The action is "add", "update", or "retire" or "reinstate" where only ``retired``
    changed."""
    old_rows = {r["id"]: r for r in before[list(columns)].to_dict("records")}
    changes: list[Change] = []
    for row in after[list(columns)].to_dict("records"):
        new = plain(row)
        if row["id"] not in old_rows:
            changes.append(Change("add", row["id"], None, new))
            continue
        old = plain(old_rows[row["id"]])
        if old == new:
            continue
        changed = {k for k in new if new[k] != old[k]}
        if changed == {"retired"}:
            action = "retire" if new["retired"] else "reinstate"
        else:
            action = "update"
        changes.append(Change(action, row["id"], old, new))
    return changes


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    return {
        **{c: str(row[c]) for c in TEXT_COLUMNS},
        "weight": float(row["weight"]),
        "retired": bool(row["retired"]),
    }


@dataclass(frozen=True)
class SaveResult:
    """What a save did: the changes and the new version (None when nothing changed)."""

    changes: list[Change]
    version: CatalogueVersion | None


def pending_changes(con: duckdb.DuckDBPyConnection, edited: pd.DataFrame) -> list[Change]:
    """The changes an edit would make if saved now (empty if it is invalid or unchanged)."""
    before = editable(con)
    after = normalise(edited)
    if validate(before, after, *_category_sets(con)):
        return []
    return diff(before, after)


def write_catalogue(
    con: duckdb.DuckDBPyConnection,
    edited: pd.DataFrame,
    *,
    actor: str,
    reason: str = "",
    based_on: int | None = None,
) -> SaveResult:
    """Save an edited catalogue: the one function through which every catalogue edit goes,
    inside the caller's transaction (``save_catalogue``: in its own; accepting a library's
    proposal adds its requirement so, together with the decision).

    ``edited`` holds every requirement (the columns of ``EDIT_COLUMNS``), as ``editable``
    returns them with any changes made and rows added. Requirements are matched by id; none
    may be left out (retire one instead). Texts are stored in NFC. On any problem nothing is
    written and ``CatalogueInvalid`` lists them all. Otherwise, in one transaction, every
    added or changed requirement is written and logged (old → new), and a new catalogue
    version is recorded.

    ``based_on`` is the catalogue version the edit started from; if the catalogue has been
    saved since (by someone else), the edit is refused rather than undoing their changes.

    After the evaluation model is frozen, an edit needs a reason (``ModelFrozen``); it is
    then logged and the model's new fingerprint is added to its history.
    """
    now = current_version(con)
    if based_on is not None and now.version != based_on:
        raise CatalogueInvalid(
            N_("The catalogue was not saved: {count} problem(s) to fix."),
            [
                Problem(
                    N_(
                        "The catalogue has been saved by someone else since you began "
                        "(it is now version {current}; you began from version {began}). "
                        "Discard your edit and make it again on the current catalogue."
                    ),
                    {"current": now.version, "began": based_on},
                )
            ],
        )
    before = editable(con)
    after = normalise(edited)
    problems = validate(before, after, *_category_sets(con))
    if problems:
        raise CatalogueInvalid(
            N_("The catalogue was not saved: {count} problem(s) to fix."), problems
        )
    changes = diff(before, after)
    if not changes:
        return SaveResult(changes=[], version=None)
    freeze.ensure_model_change_allowed(con, reason)
    write_requirements(con, changes, actor=actor, reason=reason)
    version = record_version(con, actor=actor, reason=reason)
    freeze.record_model_change(con, actor=actor, reason=reason)
    return SaveResult(changes=changes, version=version)


save_catalogue = db.in_own_transaction(write_catalogue)


def _category_sets(con: duckdb.DuckDBPyConnection) -> tuple[set[str], set[str]]:
    """Every category's id, and the retired ones'."""
    every = categories(con, include_retired=True)
    return set(every["id"]), set(every[every["retired"].fillna(False).astype(bool)]["id"])


class RowChange(Protocol):
    """A row of a catalogue table added (``old`` None) or changed; ``new`` holds its id."""

    @property
    def action(self) -> str: ...

    @property
    def old(self) -> dict[str, Any] | None: ...

    @property
    def new(self) -> dict[str, Any]: ...


def write_rows(
    con: duckdb.DuckDBPyConnection,
    *,
    entity: str,
    columns: Sequence[str],
    changes: Sequence[RowChange],
    actor: str,
    reason: str = "",
) -> None:
    """Write validated changes to the catalogue table ``entity`` (named as the log names
    it) inside the caller's transaction, each logged: a new row after the others, a changed
    one in place. ``columns`` are what the table stores of a row, the id first."""
    next_order = int(
        con.execute(f"SELECT coalesce(max(sort_order), -1) + 1 FROM {entity}").fetchone()[0]  # type: ignore[index]
    )
    for change in changes:
        values = [change.new[c] for c in columns]
        if change.old is None:
            con.execute(
                f"INSERT INTO {entity} ({', '.join(columns)}, sort_order)"
                f" VALUES ({', '.join('?' * (len(columns) + 1))})",
                [*values, next_order],
            )
            next_order += 1
        else:
            assignments = ", ".join(f"{c} = ?" for c in columns[1:])
            con.execute(f"UPDATE {entity} SET {assignments} WHERE id = ?", [*values[1:], values[0]])
        audit.record(
            con, actor=actor, action=change.action, entity=entity, entity_id=values[0],
            old=change.old, new=change.new, reason=reason,
        )  # fmt: skip


def write_requirements(
    con: duckdb.DuckDBPyConnection, changes: list[Change], *, actor: str, reason: str = ""
) -> None:
    """Write and log validated changes inside the caller's transaction (no version, no
    freeze guard: the caller does both)."""
    write_rows(
        con,
        entity="requirement",
        columns=EDIT_COLUMNS,
        changes=changes,
        actor=actor,
        reason=reason,
    )


def criteria(con: duckdb.DuckDBPyConnection, *, include_retired: bool = False) -> pd.DataFrame:
    """Award criteria in display order; retired ones (out of the model) only if asked for."""
    where = "" if include_retired else "WHERE NOT coalesce(retired, false)"
    return con.execute(f"SELECT * FROM award_criterion {where} ORDER BY sort_order, id").df()


def categories(con: duckdb.DuckDBPyConnection, *, include_retired: bool = False) -> pd.DataFrame:
    """Categories in display order, with their award criterion; retired ones (out of the
    model) only if asked for."""
    where = (
        ""
        if include_retired
        else "WHERE NOT coalesce(c.retired, false) AND NOT coalesce(a.retired, false)"
    )
    return con.execute(
        "SELECT c.* FROM category c JOIN award_criterion a ON a.id = c.criterion_id"
        f" {where} ORDER BY a.sort_order, c.sort_order, c.id"
    ).df()


def requirements(con: duckdb.DuckDBPyConnection, *, include_retired: bool = False) -> pd.DataFrame:
    """Requirements in catalogue order (retired ones only if asked for)."""
    where = "" if include_retired else "WHERE NOT r.retired"
    return con.execute(
        "SELECT r.* FROM requirement r"
        " JOIN category c ON c.id = r.category_id"
        " JOIN award_criterion a ON a.id = c.criterion_id"
        f" {where} ORDER BY a.sort_order, c.sort_order, r.sort_order, r.id"
    ).df()
