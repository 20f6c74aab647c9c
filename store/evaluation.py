"""Evaluators' scores and assessments, their submission, and the consensus.

Independence: every function that reads evaluators' scores or assessments takes the
*viewer* (the evaluator reading, or None for someone who is not one) and returns only the
viewer's own rows plus the rows of evaluators who have submitted. The rule is here, so it
holds whichever page, export or command asks. After submitting, an evaluator's scores and
assessments are visible to all and can no longer change.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from scoring.scales import MANDATORY_OUTCOMES, MAX_POINTS, MIN_POINTS
from store import audit, db
from store.errors import (
    N_,
    IncompleteScores,
    InvalidScore,
    NotDeclared,
    ScoresSubmitted,
    StaleValue,
    UnknownEvaluator,
    UnknownOffer,
    UnknownRequirement,
)
from store.evaluators import may_score

OUTCOMES = MANDATORY_OUTCOMES
MIN_SCORE, MAX_SCORE = MIN_POINTS, MAX_POINTS
# ``expected`` left out: the save does not check what it was based on (the CLI, the demo).
UNCHECKED: Any = object()
REFUSED_ACTION = "refused"
STALE_REASON = "Refused: changed since the page was drawn"


@dataclass(frozen=True)
class _Entries:
    """A table of entries, one value and its reason per offer and requirement: the
    evaluators' own (keyed by evaluator too) or the agreed ones. The table is named as the
    log names it."""

    entity: str
    field: str  # the value's column
    kind: str  # the requirements it holds: W (weighted) or M (mandatory)
    stamped: bool = True  # keeps when a row last changed


_SCORES = _Entries(entity="score", field="score", kind="W")
_ASSESSMENTS = _Entries(entity="mandatory_assessment", field="outcome", kind="M")
_CONSENSUS = _Entries(entity="consensus", field="score", kind="W")
_CHECKS = _Entries(entity="mandatory_check", field="outcome", kind="M", stamped=False)

_VISIBLE = (
    " (t.evaluator_id = ? OR t.evaluator_id IN (SELECT evaluator_id FROM evaluator_submission))"
)
_SUBMITTED = " t.evaluator_id IN (SELECT evaluator_id FROM evaluator_submission)"


def _visibility(viewer: str | None, submitted_only: bool) -> tuple[str, list[object]]:
    if submitted_only:
        return _SUBMITTED, []
    return _VISIBLE, [viewer]


def _own_entries(
    con: duckdb.DuckDBPyConnection, entries: _Entries, viewer: str | None, submitted_only: bool
) -> pd.DataFrame:
    where, params = _visibility(viewer, submitted_only)
    return con.execute(
        f"SELECT t.evaluator_id, t.offer_id, t.requirement_id, t.{entries.field}, t.reason,"
        f" t.updated_at FROM {entries.entity} t WHERE{where}"
        " ORDER BY t.evaluator_id, t.offer_id, t.requirement_id",
        params,
    ).df()


def scores(
    con: duckdb.DuckDBPyConnection, *, viewer: str | None, submitted_only: bool = False
) -> pd.DataFrame:
    """Evaluators' 0–10 scores the viewer may see: their own and every submitted one.

    ``submitted_only`` leaves out the viewer's own unsubmitted scores too (the consensus
    meeting works from submitted scores only).
    """
    return _own_entries(con, _SCORES, viewer, submitted_only)


def assessments(
    con: duckdb.DuckDBPyConnection, *, viewer: str | None, submitted_only: bool = False
) -> pd.DataFrame:
    """Evaluators' own assessments of mandatory requirements the viewer may see."""
    return _own_entries(con, _ASSESSMENTS, viewer, submitted_only)


def submissions(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every evaluator with when they submitted (NaT if not yet)."""
    return con.execute(
        "SELECT e.id AS evaluator_id, e.name, s.submitted_at, s.submitted_by"
        " FROM evaluator e LEFT JOIN evaluator_submission s ON s.evaluator_id = e.id"
        " ORDER BY e.name"
    ).df()


def is_submitted(con: duckdb.DuckDBPyConnection, evaluator: str) -> bool:
    """Whether an evaluator has submitted."""
    row = con.execute(
        "SELECT count(*) FROM evaluator_submission WHERE evaluator_id = ?", [evaluator]
    ).fetchone()
    return bool(row and row[0])


@dataclass(frozen=True)
class Progress:
    """How much of an evaluator's work is done. A score or an assessment counts as done
    when it has a written reason."""

    evaluator_id: str
    scores_done: int
    scores_total: int
    assessments_done: int
    assessments_total: int
    submitted: bool

    @property
    def done(self) -> int:
        return self.scores_done + self.assessments_done

    @property
    def total(self) -> int:
        return self.scores_total + self.assessments_total

    @property
    def complete(self) -> bool:
        return self.done == self.total

    @property
    def share(self) -> float:
        return self.done / self.total if self.total else 1.0


def progress(con: duckdb.DuckDBPyConnection) -> list[Progress]:
    """Every evaluator's progress: counts only, never a score, so anyone may see it."""
    offers = int(_scalar(con, "SELECT count(*) FROM offer"))
    weighted = int(_scalar(con, "SELECT count(*) FROM requirement WHERE NOT retired AND kind='W'"))
    mandatory = int(_scalar(con, "SELECT count(*) FROM requirement WHERE NOT retired AND kind='M'"))
    rows = con.execute(
        "SELECT e.id,"
        " (SELECT count(*) FROM score s JOIN requirement r ON r.id = s.requirement_id"
        "   JOIN offer o ON o.id = s.offer_id"
        "   WHERE s.evaluator_id = e.id AND r.kind = 'W' AND NOT r.retired"
        "   AND trim(s.reason) <> ''),"
        " (SELECT count(*) FROM mandatory_assessment a JOIN requirement r"
        "   ON r.id = a.requirement_id JOIN offer o ON o.id = a.offer_id"
        "   WHERE a.evaluator_id = e.id AND r.kind = 'M' AND NOT r.retired"
        "   AND trim(a.reason) <> ''),"
        " e.id IN (SELECT evaluator_id FROM evaluator_submission)"
        " FROM evaluator e ORDER BY e.name"
    ).fetchall()
    return [
        Progress(str(e), int(s), offers * weighted, int(a), offers * mandatory, bool(sub))
        for e, s, a, sub in rows
    ]


def progress_detail(con: duckdb.DuckDBPyConnection, evaluator: str) -> pd.DataFrame:
    """One evaluator's progress per offer and category: done and total (counts only).

    Done counts weighted requirements scored and mandatory ones assessed, with a reason.
    """
    return con.execute(
        "SELECT o.id AS offer_id, r.category_id,"
        " count(*) FILTER (WHERE trim(coalesce(s.reason, a.reason, '')) <> '') AS done,"
        " count(*) AS total"
        " FROM offer o CROSS JOIN requirement r"
        " LEFT JOIN score s ON r.kind = 'W' AND s.evaluator_id = ? AND s.offer_id = o.id"
        "  AND s.requirement_id = r.id"
        " LEFT JOIN mandatory_assessment a ON r.kind = 'M' AND a.evaluator_id = ?"
        "  AND a.offer_id = o.id AND a.requirement_id = r.id"
        " WHERE NOT r.retired AND r.kind IN ('W', 'M')"
        " GROUP BY o.id, r.category_id ORDER BY o.id, r.category_id",
        [evaluator, evaluator],
    ).df()


def progress_of(con: duckdb.DuckDBPyConnection, evaluator: str) -> Progress:
    """One evaluator's progress."""
    for item in progress(con):
        if item.evaluator_id == evaluator:
            return item
    raise UnknownEvaluator(N_("There is no evaluator with the id “{id}”."), id=evaluator)


def _scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> Any:
    row = con.execute(sql, params or []).fetchone()
    assert row is not None
    return row[0]


def _check_target(con: duckdb.DuckDBPyConnection, offer: str, requirement: str, kind: str) -> None:
    if not _scalar(con, "SELECT count(*) FROM offer WHERE id = ?", [offer]):
        raise UnknownOffer(N_("There is no offer with the id “{id}”."), id=offer)
    row = con.execute(
        "SELECT kind FROM requirement WHERE id = ? AND NOT retired", [requirement]
    ).fetchone()
    if row is None:
        raise UnknownRequirement(N_("There is no requirement “{id}”."), id=requirement)
    if row[0] != kind:
        message = (
            N_("{id} is not a weighted requirement; only weighted requirements are scored.")
            if kind == "W"
            else N_("{id} is not a mandatory requirement.")
        )
        raise InvalidScore(message, id=requirement)


def _check_evaluator_may_write(con: duckdb.DuckDBPyConnection, evaluator: str) -> None:
    if not _scalar(con, "SELECT count(*) FROM evaluator WHERE id = ?", [evaluator]):
        raise UnknownEvaluator(N_("There is no evaluator with the id “{id}”."), id=evaluator)
    if not may_score(con, evaluator):
        raise NotDeclared(
            N_(
                "{id} cannot score: an evaluator scores only while active and after "
                "declaring impartiality (no ties to any bidder, or the tie described)."
            ),
            id=evaluator,
        )
    if is_submitted(con, evaluator):
        raise ScoresSubmitted(
            N_(
                "{id} has submitted; the scores and assessments are locked. Changes are "
                "made in the consensus meeting."
            ),
            id=evaluator,
        )


def _check_score(value: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not (MIN_SCORE <= number <= MAX_SCORE):
        raise InvalidScore(N_("A score must be a number from 0 to 10, not {value}."), value=value)
    return number


def _is_stale(expected: Any, current: dict[str, Any] | None, field: str) -> bool:
    """Whether the value a save was based on differs from the one stored now."""
    if expected is UNCHECKED:
        return False
    if expected is None or current is None:
        return expected is not None or current is not None
    value = expected.get(field)
    if field == "score":
        try:
            value = float(value)
        except (TypeError, ValueError):
            return True
    return bool(
        value != current[field] or str(expected.get("reason") or "").strip() != current["reason"]
    )


def _save_entry(
    con: duckdb.DuckDBPyConnection,
    entries: _Entries,
    evaluator: str | None,
    offer: str,
    requirement: str,
    value: Any,
    reason: str,
    *,
    actor: str,
    expected: Any = UNCHECKED,
) -> bool:
    """Save a checked value and its reason for an offer and a requirement, logged: an
    evaluator's own, or the agreed one where ``evaluator`` is None. Returns False when
    nothing changed. A save based on an entry that has changed since (``expected``, see
    ``save_score``) is refused with ``StaleValue``, and the refused attempt is logged."""
    entity, field = entries.entity, entries.field
    keys = {"offer_id": offer, "requirement_id": requirement}
    entity_id = f"{offer}/{requirement}"
    if evaluator is not None:
        keys = {"evaluator_id": evaluator, **keys}
        entity_id = audit.evaluator_entity_id(evaluator, offer, requirement)
    with db.transaction(con):
        if evaluator is not None:
            _check_evaluator_may_write(con, evaluator)
        _check_target(con, offer, requirement, entries.kind)
        where = " AND ".join(f"{key} = ?" for key in keys)
        old = con.execute(
            f"SELECT {field}, reason FROM {entity} WHERE {where}", list(keys.values())
        ).fetchone()
        attempted = {field: value, "reason": reason}
        # Read back as the kind of value saved: a float score, an outcome's name.
        current = None if old is None else {field: type(value)(old[0]), "reason": old[1]}
        if current == attempted:
            return False
        stale = _is_stale(expected, current, field)
        if not stale:
            columns = [*keys, field, "reason"]
            marks = ["?"] * len(columns)
            if entries.stamped:
                columns.append("updated_at")
                marks.append("current_timestamp")
            con.execute(
                f"INSERT OR REPLACE INTO {entity} ({', '.join(columns)})"
                f" VALUES ({', '.join(marks)})",
                [*keys.values(), value, reason],
            )
        # A refused save is logged too: the attempt stays on record.
        audit.record(
            con,
            actor=actor,
            action=REFUSED_ACTION if stale else "create" if old is None else "update",
            entity=entity,
            entity_id=entity_id,
            old=current,
            new=attempted,
            reason=STALE_REASON if stale else "",
        )
    if stale:  # raised once the log entry is committed
        raise StaleValue(
            N_(
                "Not saved: this entry was changed elsewhere (in another window?) after the "
                "page was drawn. The newer value is shown; change it again if you still want to."
            ),
            current=current,
        )
    return True


@db.retry_on_conflict
def save_score(
    con: duckdb.DuckDBPyConnection,
    *,
    evaluator: str,
    offer: str,
    requirement: str,
    score: float,
    reason: str,
    actor: str,
    expected: Any = UNCHECKED,
) -> None:
    """Save one evaluator's score (0–10) and reason for a weighted requirement, logged.

    ``expected`` is what the caller's page showed when it was drawn: ``{"score": ...,
    "reason": ...}``, or None for nothing saved yet. If the stored entry has changed since
    (another window saved it), the save is refused with ``StaleValue`` carrying the stored
    entry, and the refused attempt is logged (action ``refused``).
    """
    number, reason = _check_score(score), reason.strip()
    _save_entry(
        con, _SCORES, evaluator, offer, requirement, number, reason, actor=actor, expected=expected
    )


@db.retry_on_conflict
def save_assessment(
    con: duckdb.DuckDBPyConnection,
    *,
    evaluator: str,
    offer: str,
    requirement: str,
    outcome: str,
    reason: str,
    actor: str,
    expected: Any = UNCHECKED,
) -> None:
    """Save one evaluator's assessment of a mandatory requirement, logged.

    ``expected`` (``{"outcome": ..., "reason": ...}`` or None) works as in ``save_score``.
    """
    if outcome not in OUTCOMES:
        raise InvalidScore(N_("Unknown assessment “{value}”."), value=outcome)
    reason = reason.strip()
    _save_entry(
        con,
        _ASSESSMENTS,
        evaluator,
        offer,
        requirement,
        outcome,
        reason,
        actor=actor,
        expected=expected,
    )


@db.retry_on_conflict
def submit(con: duckdb.DuckDBPyConnection, *, evaluator: str, actor: str) -> None:
    """Mark an evaluator's scores and assessments submitted: visible to all, locked.

    Refused (IncompleteScores) until every weighted requirement of every offer has a
    score and every mandatory requirement an assessment, each with a reason.
    """
    with db.transaction(con):
        _check_evaluator_may_write(con, evaluator)
        done = progress_of(con, evaluator)
        if not done.complete:
            raise IncompleteScores(
                N_(
                    "Not submitted: {missing} of {total} scores and assessments are still "
                    "missing or have no reason."
                ),
                missing=done.total - done.done,
                total=done.total,
            )
        con.execute(
            "INSERT INTO evaluator_submission (evaluator_id, submitted_by) VALUES (?, ?)",
            [evaluator, actor],
        )
        audit.record(
            con,
            actor=actor,
            action="submit",
            entity="evaluator_submission",
            entity_id=evaluator,
            new={"scores": done.scores_done, "assessments": done.assessments_done},
        )


# --- the consensus meeting ------------------------------------------------------------


@db.retry_on_conflict
def save_consensus(
    con: duckdb.DuckDBPyConnection,
    *,
    offer: str,
    requirement: str,
    score: float,
    reason: str,
    actor: str,
) -> bool:
    """Save the agreed score and its reason for one offer and weighted requirement.

    The ranking uses it. Returns False when nothing changed.
    """
    number = _check_score(score)
    reason = reason.strip()
    if not reason:
        raise InvalidScore(N_("An agreed score needs a reason."))
    return _save_entry(con, _CONSENSUS, None, offer, requirement, number, reason, actor=actor)


@db.retry_on_conflict
def save_mandatory_check(
    con: duckdb.DuckDBPyConnection,
    *,
    offer: str,
    requirement: str,
    outcome: str,
    reason: str,
    actor: str,
) -> bool:
    """Save the agreed assessment of a mandatory requirement (used for screening).

    Returns False when nothing changed.
    """
    if outcome not in OUTCOMES:
        raise InvalidScore(N_("Unknown assessment “{value}”."), value=outcome)
    reason = reason.strip()
    if not reason:
        raise InvalidScore(N_("An agreed assessment needs a reason."))
    return _save_entry(con, _CHECKS, None, offer, requirement, outcome, reason, actor=actor)


def evaluators(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Evaluators by name."""
    return con.execute("SELECT * FROM evaluator ORDER BY name").df()


def consensus(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Agreed scores per offer and weighted requirement."""
    return con.execute("SELECT * FROM consensus ORDER BY offer_id, requirement_id").df()


def mandatory_checks(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Assessments of the mandatory requirements."""
    return con.execute("SELECT * FROM mandatory_check ORDER BY offer_id, requirement_id").df()


def evaluator_scores(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Each evaluator's own 0–10 score per offer and weighted requirement, for the
    evaluators who have submitted: a draft never moves a figure that others see."""
    frame = scores(con, viewer=None, submitted_only=True)
    columns = ["evaluator_id", "offer_id", "requirement_id", "score"]
    return (
        frame[columns]
        .sort_values(["offer_id", "requirement_id", "evaluator_id"])
        .reset_index(drop=True)
    )
