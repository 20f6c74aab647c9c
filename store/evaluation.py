"""Evaluators' scores and assessments, their submission, and the consensus.

Independence: every function that reads evaluators' scores or assessments takes the
*viewer* (the evaluator reading, or None for someone who is not one) and returns only the
viewer's own rows plus the rows of evaluators who have submitted. The rule is here, so it
holds whichever page, export or command asks. After submitting, an evaluator's scores and
assessments are visible to all and can no longer change.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from scoring.agreement import MIN_SCORES_FOR_MEDIAN, median_agreement, unanimous_outcomes
from scoring.scales import (
    MANDATORY_OUTCOMES,
    MATERIAL_DEVIATION,
    MAX_POINTS,
    MET,
    MIN_POINTS,
    NOT_MET,
)
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
# Each outcome's label for people (message ids, translated where they are shown).
OUTCOME_NAMES = {
    MET: N_("Met"),
    NOT_MET: N_("Not met (not material)"),
    MATERIAL_DEVIATION: N_("Material deviation"),
}
MIN_SCORE, MAX_SCORE = MIN_POINTS, MAX_POINTS
# ``expected`` left out: the save does not check what it was based on (the CLI, the demo).
UNCHECKED: Any = object()
REFUSED_ACTION = "refused"
STALE_REASON = "Refused: changed since the page was drawn"

_VISIBLE = (
    " (t.evaluator_id = ? OR t.evaluator_id IN (SELECT evaluator_id FROM evaluator_submission))"
)
_SUBMITTED = " t.evaluator_id IN (SELECT evaluator_id FROM evaluator_submission)"


def _visibility(viewer: str | None, submitted_only: bool) -> tuple[str, list[object]]:
    if submitted_only:
        return _SUBMITTED, []
    return _VISIBLE, [viewer]


def scores(
    con: duckdb.DuckDBPyConnection, *, viewer: str | None, submitted_only: bool = False
) -> pd.DataFrame:
    """Evaluators' 0–10 scores the viewer may see: their own and every submitted one.

    ``submitted_only`` leaves out the viewer's own unsubmitted scores too (the consensus
    meeting works from submitted scores only).
    """
    where, params = _visibility(viewer, submitted_only)
    return con.execute(
        "SELECT t.evaluator_id, t.offer_id, t.requirement_id, t.score, t.reason, t.updated_at"
        f" FROM score t WHERE{where} ORDER BY t.evaluator_id, t.offer_id, t.requirement_id",
        params,
    ).df()


def assessments(
    con: duckdb.DuckDBPyConnection, *, viewer: str | None, submitted_only: bool = False
) -> pd.DataFrame:
    """Evaluators' own assessments of mandatory requirements the viewer may see."""
    where, params = _visibility(viewer, submitted_only)
    return con.execute(
        "SELECT t.evaluator_id, t.offer_id, t.requirement_id, t.outcome, t.reason, t.updated_at"
        f" FROM mandatory_assessment t WHERE{where}"
        " ORDER BY t.evaluator_id, t.offer_id, t.requirement_id",
        params,
    ).df()


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


def others_still_scoring(con: duckdb.DuckDBPyConnection, evaluator: str) -> bool:
    """Whether an evaluator in force other than ``evaluator`` has not submitted yet."""
    row = con.execute(
        "SELECT count(*) FROM evaluator e WHERE NOT coalesce(e.retired, false)"
        " AND e.id <> ? AND e.id NOT IN (SELECT evaluator_id FROM evaluator_submission)",
        [evaluator],
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


# Every offer with every weighted and mandatory requirement in force, with one evaluator's
# score or assessment (parameters: the evaluator, twice).
_EVALUATOR_ENTRIES = (
    " FROM offer o CROSS JOIN requirement r"
    " LEFT JOIN score s ON r.kind = 'W' AND s.evaluator_id = ? AND s.offer_id = o.id"
    "  AND s.requirement_id = r.id"
    " LEFT JOIN mandatory_assessment a ON r.kind = 'M' AND a.evaluator_id = ?"
    "  AND a.offer_id = o.id AND a.requirement_id = r.id"
    " WHERE NOT r.retired AND r.kind IN ('W', 'M')"
)


def progress_detail(con: duckdb.DuckDBPyConnection, evaluator: str) -> pd.DataFrame:
    """One evaluator's progress per offer and category: done and total (counts only).

    Done counts weighted requirements scored and mandatory ones assessed, with a reason.
    """
    return con.execute(
        "SELECT o.id AS offer_id, r.category_id,"
        " count(*) FILTER (WHERE trim(coalesce(s.reason, a.reason, '')) <> '') AS done,"
        " count(*) AS total"
        + _EVALUATOR_ENTRIES
        + " GROUP BY o.id, r.category_id ORDER BY o.id, r.category_id",
        [evaluator, evaluator],
    ).df()


def still_missing(con: duckdb.DuckDBPyConnection, evaluator: str) -> pd.DataFrame:
    """What one evaluator has still to do before submitting: each offer and weighted
    requirement without a score, or mandatory requirement without an assessment, with a
    reason (offer_id, requirement_id, category_id, kind); ``progress_detail`` counts them."""
    return con.execute(
        "SELECT o.id AS offer_id, r.id AS requirement_id, r.category_id, r.kind"
        + _EVALUATOR_ENTRIES
        + "  AND trim(coalesce(s.reason, a.reason, '')) = ''"
        " ORDER BY o.id, r.category_id, r.id",
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


def check_may_write(con: duckdb.DuckDBPyConnection, evaluator: str) -> None:
    """Refuse an unknown evaluator, one who may not score (retired, or no declaration of
    impartiality) and one who has submitted."""
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


def check_score(value: Any) -> float:
    """A score as a number from 0 to 10, or InvalidScore."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not (MIN_SCORE <= number <= MAX_SCORE):
        raise InvalidScore(N_("A score must be a number from 0 to 10, not {value}."), value=value)
    return number


def check_outcome(outcome: Any) -> str:
    """An assessment's outcome, one of ``OUTCOMES``, or InvalidScore."""
    if outcome not in OUTCOMES:
        raise InvalidScore(N_("Unknown assessment “{value}”."), value=outcome)
    return str(outcome)


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


def _refuse_stale(
    con: duckdb.DuckDBPyConnection,
    *,
    entity: str,
    entity_id: str,
    current: dict[str, Any] | None,
    attempted: dict[str, Any],
    actor: str,
) -> StaleValue:
    """Log a refused save (the attempt stays on record) and return the error to raise once
    the log entry is committed."""
    audit.record(
        con, actor=actor, action=REFUSED_ACTION, entity=entity, entity_id=entity_id,
        old=current, new=attempted, reason=STALE_REASON,
    )  # fmt: skip
    return StaleValue(
        N_(
            "Not saved: this entry was changed elsewhere (in another window?) after the page "
            "was drawn. The newer value is shown; change it again if you still want to."
        ),
        current=current,
    )


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
    number = check_score(score)
    key = (evaluator, offer, requirement)
    _save_entry(
        con, evaluator, lambda: _write_entry(con, _SCORE, key, number, reason, actor, expected)
    )


def write_score(
    con: duckdb.DuckDBPyConnection,
    *,
    evaluator: str,
    offer: str,
    requirement: str,
    score: float,
    reason: str,
    actor: str,
    expected: Any = UNCHECKED,
) -> StaleValue | None:
    """``save_score`` inside the caller's transaction, once the caller has checked that the
    evaluator may write (``check_may_write``) and the score (``check_score``). Returns the
    error to raise once the transaction is committed when the entry was stale (its refusal
    is logged), else None."""
    return _write_entry(
        con, _SCORE, (evaluator, offer, requirement), score, reason, actor, expected
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
    check_outcome(outcome)
    key = (evaluator, offer, requirement)
    _save_entry(
        con,
        evaluator,
        lambda: _write_entry(con, _ASSESSMENT, key, outcome, reason, actor, expected),
    )


def write_assessment(
    con: duckdb.DuckDBPyConnection,
    *,
    evaluator: str,
    offer: str,
    requirement: str,
    outcome: str,
    reason: str,
    actor: str,
    expected: Any = UNCHECKED,
) -> StaleValue | None:
    """``save_assessment`` inside the caller's transaction, as ``write_score`` is
    ``save_score``'s: the caller checks the evaluator and the outcome first."""
    return _write_entry(
        con, _ASSESSMENT, (evaluator, offer, requirement), outcome, reason, actor, expected
    )


@dataclass(frozen=True)
class _Entry:
    """Where an evaluator's own value for an offer and requirement is kept: the table (named
    as the audit log's entity), the kind of requirement, the value's column, and how the
    stored value is read back."""

    entity: str
    kind: str
    column: str
    read: Callable[[Any], Any]


_SCORE = _Entry(entity="score", kind="W", column="score", read=float)
_ASSESSMENT = _Entry(entity="mandatory_assessment", kind="M", column="outcome", read=str)


def _save_entry(
    con: duckdb.DuckDBPyConnection, evaluator: str, write: Callable[[], StaleValue | None]
) -> None:
    """``save_score`` and ``save_assessment`` once the value is checked: ``write`` (the
    entry's ``_write_entry``) in its own transaction, for an evaluator who may write; a
    stale entry's refusal is logged and then raised."""
    with db.transaction(con):
        check_may_write(con, evaluator)
        stale = write()
    if stale is not None:
        raise stale


def _write_entry(
    con: duckdb.DuckDBPyConnection,
    entry: _Entry,
    key: tuple[str, str, str],
    value: Any,
    reason: str,
    actor: str,
    expected: Any,
) -> StaleValue | None:
    """``write_score`` and ``write_assessment``: an evaluator's value and reason for an offer
    and requirement (``key``), logged; or, where ``expected`` is stale, refused and logged."""
    evaluator, offer, requirement = key
    entity, column = entry.entity, entry.column
    reason = reason.strip()
    _check_target(con, offer, requirement, entry.kind)
    old = con.execute(
        f"SELECT {column}, reason FROM {entity}"
        " WHERE evaluator_id = ? AND offer_id = ? AND requirement_id = ?",
        [evaluator, offer, requirement],
    ).fetchone()
    current = None if old is None else {column: entry.read(old[0]), "reason": old[1]}
    new = {column: value, "reason": reason}
    if current == new:
        return None
    entity_id = audit.evaluator_entity_id(evaluator, offer, requirement)
    if _is_stale(expected, current, column):
        return _refuse_stale(
            con, entity=entity, entity_id=entity_id, current=current, attempted=new, actor=actor
        )
    con.execute(
        f"INSERT OR REPLACE INTO {entity}"
        f" (evaluator_id, offer_id, requirement_id, {column}, reason, updated_at)"
        " VALUES (?, ?, ?, ?, ?, current_timestamp)",
        [evaluator, offer, requirement, value, reason],
    )
    audit.record(
        con, actor=actor, action="create" if old is None else "update", entity=entity,
        entity_id=entity_id,
        old=current, new=new,
    )  # fmt: skip
    return None


@db.retry_on_conflict
def submit(con: duckdb.DuckDBPyConnection, *, evaluator: str, actor: str) -> None:
    """Mark an evaluator's scores and assessments submitted: visible to all, locked.

    Refused (IncompleteScores) until every weighted requirement of every offer has a
    score and every mandatory requirement an assessment, each with a reason.
    """
    with db.transaction(con):
        check_may_write(con, evaluator)
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
            con, actor=actor, action="submit", entity="evaluator_submission", entity_id=evaluator,
            new={"scores": done.scores_done, "assessments": done.assessments_done},
        )  # fmt: skip


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
    number = check_score(score)
    reason = _agreed_reason(reason)
    with db.transaction(con):
        return write_consensus(
            con, offer=offer, requirement=requirement, score=number, reason=reason, actor=actor
        )


def _agreed_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise InvalidScore(N_("An agreed score needs a reason."))
    return reason


def write_consensus(
    con: duckdb.DuckDBPyConnection,
    *,
    offer: str,
    requirement: str,
    score: float,
    reason: str,
    actor: str,
    log_reason: str = "",
) -> bool:
    """``save_consensus`` inside the caller's transaction, for a score and reason already
    checked; ``log_reason`` goes to the audit log's reason. Returns False when nothing
    changed."""
    return _write_agreed(
        con,
        "consensus",
        offer=offer,
        requirement=requirement,
        value=score,
        reason=reason,
        actor=actor,
        log_reason=log_reason,
    )


# What each table of agreed values holds: the requirement kind, the value's column, and
# whether the row keeps the time of its last change.
_AGREED = {"consensus": ("W", "score", True), "mandatory_check": ("M", "outcome", False)}


def _write_agreed(
    con: duckdb.DuckDBPyConnection,
    table: str,
    *,
    offer: str,
    requirement: str,
    value: float | str,
    reason: str,
    actor: str,
    log_reason: str,
) -> bool:
    """Store one agreed score (``consensus``) or assessment (``mandatory_check``) and log
    it, unless it is stored already; False when nothing changed."""
    kind, field, stamped = _AGREED[table]
    _check_target(con, offer, requirement, kind)
    row = con.execute(
        f"SELECT {field}, reason FROM {table} WHERE offer_id = ? AND requirement_id = ?",
        [offer, requirement],
    ).fetchone()
    old = None if row is None else {field: row[0], "reason": row[1]}
    if old is not None and field == "score":
        old[field] = float(old[field])
    new = {field: value, "reason": reason}
    if old == new:
        return False
    stamp = (", updated_at", ", current_timestamp") if stamped else ("", "")
    con.execute(
        f"INSERT OR REPLACE INTO {table} (offer_id, requirement_id, {field}, reason{stamp[0]})"
        f" VALUES (?, ?, ?, ?{stamp[1]})",
        [offer, requirement, value, reason],
    )
    audit.record(
        con, actor=actor, action="create" if old is None else "update", entity=table,
        entity_id=f"{offer}/{requirement}",
        old=old, new=new, reason=log_reason,
    )  # fmt: skip
    return True


@dataclass(frozen=True)
class MedianAcceptance:
    """What ``accept_medians`` did: the agreed scores it set (offer, requirement, score) and
    how many pairs still have no agreed score, by why; and the agreed assessments of
    mandatory requirements it set (offer, requirement, outcome) and how many are left."""

    accepted: tuple[tuple[str, str, float], ...]
    too_wide: int  # two or more submitted scores, spread wider than allowed
    too_few: int  # fewer submitted scores than ``MIN_SCORES_FOR_MEDIAN``
    outcomes: tuple[tuple[str, str, str], ...]
    outcomes_split: int  # the submitted assessments differ
    outcomes_too_few: int  # fewer submitted assessments than ``MIN_SCORES_FOR_MEDIAN``
    outcomes_rejecting: int  # every evaluator found a material deviation

    @property
    def remaining(self) -> int:
        return self.too_wide + self.too_few

    @property
    def outcomes_remaining(self) -> int:
        return self.outcomes_split + self.outcomes_too_few + self.outcomes_rejecting

    def counts(self) -> dict[str, Any]:
        """The counts, without the pairs: what the audit log's summary entry records."""
        return {
            "set": len(self.accepted),
            "remaining": self.remaining,
            "too_wide": self.too_wide,
            "too_few": self.too_few,
            "assessments": {
                "set": len(self.outcomes),
                "remaining": self.outcomes_remaining,
                "split": self.outcomes_split,
                "too_few": self.outcomes_too_few,
                "material_deviation": self.outcomes_rejecting,
            },
        }

    def as_dict(self) -> dict[str, Any]:
        counts = self.counts()
        return {
            **counts,
            "accepted": [
                {"offer": offer, "requirement": requirement, "score": score}
                for offer, requirement, score in self.accepted
            ],
            "assessments": {
                **counts["assessments"],
                "accepted": [
                    {"offer": offer, "requirement": requirement, "outcome": outcome}
                    for offer, requirement, outcome in self.outcomes
                ],
            },
        }


@db.retry_on_conflict
def accept_medians(
    con: duckdb.DuckDBPyConnection, *, max_range: float, reason: str, actor: str
) -> MedianAcceptance:
    """Agree, without a meeting, wherever the submitted scores and assessments already agree.

    For every offer and weighted requirement in force that has no agreed score yet and at
    least ``MIN_SCORES_FOR_MEDIAN`` submitted scores lying within ``max_range`` points of
    each other (highest − lowest), the agreed score becomes their median; the rule is
    ``scoring.agreement.median_agreement``. For every offer and mandatory requirement in
    force that has no agreed assessment yet and at least as many submitted assessments, all
    the same and none a material deviation, the agreed assessment becomes that outcome; the
    rule is ``scoring.agreement.unanimous_outcomes``. Each with ``reason`` (also the audit
    log's reason). Only submitted scores and assessments count. All in one transaction;
    everything else is left for the meeting.
    """
    try:
        spread = float(max_range)
    except (TypeError, ValueError):
        spread = math.nan
    if not (0 <= spread <= MAX_SCORE):
        raise InvalidScore(
            N_("The largest spread accepted must be from 0 to 10 points, not {value}."),
            value=max_range,
        )
    reason = _agreed_reason(reason)
    with db.transaction(con):
        accepted = _accept_scores(con, spread, reason, actor)
        outcomes = _accept_outcomes(con, reason, actor)
        result = MedianAcceptance(
            accepted=accepted.pairs,
            too_wide=accepted.too_wide,
            too_few=accepted.too_few,
            outcomes=outcomes.pairs,
            outcomes_split=outcomes.split,
            outcomes_too_few=outcomes.too_few,
            outcomes_rejecting=outcomes.rejecting,
        )
        if result.accepted or result.outcomes:
            audit.record(
                con, actor=actor, action="accept_median", entity="consensus",
                new={"max_range": spread, **result.counts()}, reason=reason,
            )  # fmt: skip
    return result


def _not_agreed(con: duckdb.DuckDBPyConnection, table: str) -> pd.DataFrame:
    """Every offer with every requirement in force of ``table``'s kind (``_AGREED``) that
    has no agreed value in ``table`` yet (offer_id, requirement_id)."""
    kind = _AGREED[table][0]
    return con.execute(
        "SELECT o.id AS offer_id, r.id AS requirement_id FROM offer o CROSS JOIN requirement r"
        f" WHERE r.kind = ? AND NOT r.retired AND NOT EXISTS (SELECT 1 FROM {table} c"
        "  WHERE c.offer_id = o.id AND c.requirement_id = r.id)"
        " ORDER BY o.id, r.id",
        [kind],
    ).df()


@dataclass(frozen=True)
class _Scores:
    pairs: tuple[tuple[str, str, float], ...]
    too_wide: int
    too_few: int


def _accept_scores(
    con: duckdb.DuckDBPyConnection, spread: float, reason: str, actor: str
) -> _Scores:
    """``accept_medians``'s weighted requirements, inside its transaction."""
    open_pairs = _not_agreed(con, "consensus")
    submitted = scores(con, viewer=None, submitted_only=True)
    table = median_agreement(submitted, open_pairs, spread)
    accepted = []
    for row in table[table["accepted"]].itertuples(index=False):
        median = float(row.median)
        write_consensus(
            con,
            offer=str(row.offer_id),
            requirement=str(row.requirement_id),
            score=median,
            reason=reason,
            actor=actor,
            log_reason=reason,
        )
        accepted.append((str(row.offer_id), str(row.requirement_id), median))
    rest = table[~table["accepted"]]
    return _Scores(
        pairs=tuple(accepted),
        too_wide=int((rest["n"] >= MIN_SCORES_FOR_MEDIAN).sum()),
        too_few=int((rest["n"] < MIN_SCORES_FOR_MEDIAN).sum()),
    )


@dataclass(frozen=True)
class _Outcomes:
    pairs: tuple[tuple[str, str, str], ...]
    split: int
    too_few: int
    rejecting: int


def _accept_outcomes(con: duckdb.DuckDBPyConnection, reason: str, actor: str) -> _Outcomes:
    """``accept_medians``'s mandatory requirements, inside its transaction."""
    open_pairs = _not_agreed(con, "mandatory_check")
    submitted = assessments(con, viewer=None, submitted_only=True)
    table = unanimous_outcomes(submitted, open_pairs)
    chosen = []
    for row in table[table["accepted"]].itertuples(index=False):
        write_mandatory_check(
            con,
            offer=str(row.offer_id),
            requirement=str(row.requirement_id),
            outcome=str(row.outcome),
            reason=reason,
            actor=actor,
            log_reason=reason,
        )
        chosen.append((str(row.offer_id), str(row.requirement_id), str(row.outcome)))
    rest = table[~table["accepted"]]
    enough = rest["n"] >= MIN_SCORES_FOR_MEDIAN
    return _Outcomes(
        pairs=tuple(chosen),
        split=int((enough & rest["outcome"].isna()).sum()),
        too_few=int((~enough).sum()),
        rejecting=int((enough & rest["outcome"].notna()).sum()),
    )


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
    check_outcome(outcome)
    reason = reason.strip()
    if not reason:
        raise InvalidScore(N_("An agreed assessment needs a reason."))
    with db.transaction(con):
        return write_mandatory_check(
            con, offer=offer, requirement=requirement, outcome=outcome, reason=reason, actor=actor
        )


def write_mandatory_check(
    con: duckdb.DuckDBPyConnection,
    *,
    offer: str,
    requirement: str,
    outcome: str,
    reason: str,
    actor: str,
    log_reason: str = "",
) -> bool:
    """``save_mandatory_check`` inside the caller's transaction, for an outcome and reason
    already checked, as ``write_consensus`` is ``save_consensus``'s; ``log_reason`` goes to
    the audit log's reason. Returns False when nothing changed."""
    return _write_agreed(
        con,
        "mandatory_check",
        offer=offer,
        requirement=requirement,
        value=outcome,
        reason=reason,
        actor=actor,
        log_reason=log_reason,
    )


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
