"""An evaluator's scores and assessments made offline, in a workbook, stored all at once.

The workbook (``tender_files.score_workbook``) is made for one evaluator after the offers
are opened: every weighted requirement of every offer to score 0–10 and every mandatory
requirement to assess, each pre-filled with what that evaluator has saved. Each row
carries, in locked hidden cells, the value it was made with, so an import knows what the
evaluator changed in the workbook and what has changed in bibvalg since.

Importing is all or nothing (``import_entries``), in one transaction: any problem in the
file, or any row changed both in the workbook and in bibvalg since the workbook was made,
refuses the whole file (``OfflineScoresRefused``, every problem with sheet, row and column)
and leaves the database as it was. It writes only that evaluator's own scores and
assessments, through ``store.evaluation``'s own writers and checks, each logged as a save
in the app is, followed by one entry for the file (entity ``score_workbook``). It refuses
an evaluator who may not score: unknown, retired, without a declaration of impartiality,
or submitted already.

What a row's cells mean:

- **Empty score (or assessment): not scored yet.** It never deletes what is stored: where
  bibvalg holds a value (saved in the app, or cleared in the workbook), that value is kept
  and counted as ``kept``. Nothing in bibvalg deletes a score; a stored score is changed by
  writing another.
- **As the workbook was made** (the evaluator did not touch it): nothing is written, and a
  value saved in bibvalg since is kept.
- **Changed in the workbook**: written, unless bibvalg's value has changed since the
  workbook was made too; then the row is a problem (which of the two is meant is the
  evaluator's to say), and nothing is imported.
- A reason without a score or an assessment is a problem: the reason would be lost.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import duckdb
import pandas as pd

from store import audit, catalogue, db, evaluation, opening
from store.errors import N_, OffersNotOpen
from store.problems import Problem, ProblemsFound, sort_problems

SCORE, ASSESSMENT = "W", "M"  # the requirement kind each sheet holds
Value = tuple[float | str, str]  # a score or an outcome, and its reason


class OfflineScoresRefused(ProblemsFound):
    """An evaluator's scoring workbook that cannot be imported as it is; nothing written."""


@dataclass(frozen=True)
class Entry:
    """One row of an evaluator's workbook: the value and reason typed in, and those it was
    made with. ``value`` is a score (float) on the scores sheet and an outcome (one of
    ``store.evaluation.OUTCOMES``) on the mandatory sheet; None is an empty cell.
    ``sheet``, ``row`` and ``column`` (the value's) place a problem."""

    offer: str
    requirement: str
    value: float | str | None
    reason: str
    exported_value: float | str | None
    exported_reason: str
    sheet: str = ""
    row: int | None = None
    column: str = ""


@dataclass(frozen=True)
class TemplateData:
    """What an evaluator's workbook is made from: the offers (id, vendor_name, product),
    the requirements in force that are scored or assessed (catalogue order, with
    ``category_name_nb``/``_en``), the vendors' answers, and the evaluator's own scores and
    assessments."""

    evaluator_id: str
    evaluator_name: str
    offers: pd.DataFrame
    requirements: pd.DataFrame
    responses: pd.DataFrame
    scores: pd.DataFrame
    assessments: pd.DataFrame


@dataclass(frozen=True)
class TenderFacts:
    """What the reader checks a workbook's rows against: the offers and the kind of each
    requirement in force."""

    offers: frozenset[str]
    kinds: dict[str, str]


@dataclass(frozen=True)
class ImportResult:
    """What an import did. ``kept``: rows left empty or as made where bibvalg holds a
    value, which is kept; ``empty``: rows left empty with nothing stored."""

    evaluator: str
    sha256: str
    scores_written: int = 0
    assessments_written: int = 0
    unchanged: int = 0
    kept: int = 0
    empty: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _check_opened(con: duckdb.DuckDBPyConnection) -> None:
    if not opening.is_opened(con):
        raise OffersNotOpen(
            N_(
                "The offers are not opened yet: evaluators score after the opening, so "
                "there is nothing to score offline."
            )
        )


def tender_facts(con: duckdb.DuckDBPyConnection) -> TenderFacts:
    """The offers and the requirements in force, for checking a workbook's rows."""
    offers = frozenset(r[0] for r in con.execute("SELECT id FROM offer").fetchall())
    kinds = dict(con.execute("SELECT id, kind FROM requirement WHERE NOT retired").fetchall())
    return TenderFacts(offers, {str(k): str(v) for k, v in kinds.items()})


def template_data(con: duckdb.DuckDBPyConnection, evaluator: str) -> TemplateData:
    """Everything an evaluator's workbook holds. Refused before the offers are opened and
    for an evaluator who may not score now (``evaluation.check_may_write``)."""
    _check_opened(con)
    evaluation.check_may_write(con, evaluator)
    row = con.execute("SELECT name FROM evaluator WHERE id = ?", [evaluator]).fetchone()
    assert row is not None  # checked above
    offers = con.execute(
        "SELECT o.id, o.product, v.name AS vendor_name FROM offer o"
        " JOIN vendor v ON v.id = o.vendor_id ORDER BY v.name, o.id"
    ).df()
    requirements = catalogue.requirements(con)
    requirements = requirements[requirements["kind"].isin([SCORE, ASSESSMENT])]
    names = catalogue.categories(con, include_retired=True).set_index("id")
    requirements = requirements.assign(
        category_name_nb=requirements["category_id"].map(names["name_nb"]).fillna(""),
        category_name_en=requirements["category_id"].map(names["name_en"]).fillna(""),
    ).reset_index(drop=True)
    responses = con.execute(
        "SELECT offer_id, requirement_id, answer, comment, evidence FROM response"
    ).df()
    scores = evaluation.scores(con, viewer=evaluator)
    assessments = evaluation.assessments(con, viewer=evaluator)
    return TemplateData(
        evaluator_id=evaluator,
        evaluator_name=str(row[0]),
        offers=offers,
        requirements=requirements,
        responses=responses,
        scores=scores[scores["evaluator_id"] == evaluator].reset_index(drop=True),
        assessments=assessments[assessments["evaluator_id"] == evaluator].reset_index(drop=True),
    )


def _same_text(a: str | None, b: str | None) -> bool:
    """Whether two reasons read the same: Unicode NFC, line breaks as "\\n", trimmed."""

    def plain(text: str | None) -> str:
        value = str(text or "").replace("\r\n", "\n").replace("\r", "\n")
        return unicodedata.normalize("NFC", value).strip()

    return plain(a) == plain(b)


def _same(a: Value | None, b: Value | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a[0] == b[0] and _same_text(a[1], b[1])


def _stored(
    con: duckdb.DuckDBPyConnection, evaluator: str, kind: str
) -> dict[tuple[str, str], Value]:
    if kind == SCORE:
        rows = con.execute(
            "SELECT offer_id, requirement_id, score, reason FROM score WHERE evaluator_id = ?",
            [evaluator],
        ).fetchall()
        return {(o, r): (float(v), str(t)) for o, r, v, t in rows}
    rows = con.execute(
        "SELECT offer_id, requirement_id, outcome, reason FROM mandatory_assessment"
        " WHERE evaluator_id = ?",
        [evaluator],
    ).fetchall()
    return {(o, r): (str(v), str(t)) for o, r, v, t in rows}


@dataclass
class _Plan:
    """What an import will do, decided before anything is written."""

    writes: list[tuple[str, Entry]]
    conflicts: list[Problem]
    unchanged: int = 0
    kept: int = 0
    empty: int = 0


def _plan(
    con: duckdb.DuckDBPyConnection,
    evaluator: str,
    sheets: Sequence[tuple[str, Sequence[Entry]]],
) -> _Plan:
    plan = _Plan(writes=[], conflicts=[])
    for kind, entries in sheets:
        stored = _stored(con, evaluator, kind)
        for entry in entries:
            now = stored.get((entry.offer, entry.requirement))
            if entry.value is None:
                plan.empty += now is None
                plan.kept += now is not None
                continue
            typed: Value = (entry.value, entry.reason)
            made: Value | None = (
                None
                if entry.exported_value is None
                else (entry.exported_value, entry.exported_reason)
            )
            if _same(typed, now):
                plan.unchanged += 1
            elif _same(typed, made):
                plan.kept += 1  # not touched in the workbook; bibvalg's newer value stays
            elif _same(made, now):
                plan.writes.append((kind, entry))
            else:
                plan.conflicts.append(_conflict(entry, now))
    return plan


def _conflict(entry: Entry, now: Value | None) -> Problem:
    if now is None:
        message = N_(
            "This was changed here, and what bibvalg held when the workbook was made is no "
            "longer there. Make a new workbook, or put back the value it was made with."
        )
        params: dict[str, Any] = {}
    else:
        message = N_(
            "This was changed both here and in bibvalg since the workbook was made (bibvalg "
            "now holds {stored}). Make a new workbook, or put back the value it was made with."
        )
        params = {"stored": _shown(now[0])}
    return Problem(message, params, sheet=entry.sheet, row=entry.row, column=entry.column)


def _shown(value: float | str) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return value


@db.retry_on_conflict
def import_entries(
    con: duckdb.DuckDBPyConnection,
    *,
    evaluator: str,
    scores: Sequence[Entry],
    assessments: Sequence[Entry],
    actor: str,
    file_name: str = "",
    sha256: str = "",
    found: Sequence[Problem] = (),
) -> ImportResult:
    """Store an evaluator's workbook, all or nothing (see the module's docstring).

    ``found`` are the problems the reader found in the file; with any, or with any row
    changed on both sides, ``OfflineScoresRefused`` lists them all and nothing is written.
    The evaluator is checked first (``evaluation.check_may_write``), so a refused
    evaluator's file is refused with that error.
    """
    with db.transaction(con):
        evaluation.check_may_write(con, evaluator)
        _check_opened(con)
        for entry in scores:
            if entry.value is not None:
                evaluation.check_score(entry.value)
        for entry in assessments:
            if entry.value is not None:
                evaluation.check_outcome(entry.value)
        plan = _plan(con, evaluator, [(SCORE, scores), (ASSESSMENT, assessments)])
        listed = [*found, *plan.conflicts]
        if listed:
            raise OfflineScoresRefused(
                N_("The file {file} was not imported: {count} problem(s) to fix."),
                sort_problems(listed),
                file=file_name or "?",
            )
        for kind, entry in plan.writes:
            target = {
                "evaluator": evaluator,
                "offer": entry.offer,
                "requirement": entry.requirement,
                "reason": entry.reason,
                "actor": actor,
            }
            if kind == SCORE:
                evaluation.write_score(con, score=float(entry.value or 0), **target)
            else:
                evaluation.write_assessment(con, outcome=str(entry.value), **target)
        result = ImportResult(
            evaluator=evaluator,
            sha256=sha256,
            scores_written=sum(kind == SCORE for kind, _ in plan.writes),
            assessments_written=sum(kind == ASSESSMENT for kind, _ in plan.writes),
            unchanged=plan.unchanged,
            kept=plan.kept,
            empty=plan.empty,
        )
        if plan.writes:
            new = {k: v for k, v in result.as_dict().items() if k != "evaluator"}
            audit.record(
                con, actor=actor, action="import", entity="score_workbook", entity_id=evaluator,
                new={"file": file_name, **new},
            )  # fmt: skip
    return result
