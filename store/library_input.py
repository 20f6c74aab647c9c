"""The input round: every participating library's facts and priorities.

The working group sends each library an input workbook (``tender_files.input_workbook``);
making it records the library as sent (``write_sent``), and so does marking it sent by
other means. The library answers with its facts (staff, branches, collections, today's
system, ...) and, for each category and each weighted requirement in force, an importance
from 0 (not needed) to 4 (essential) with a comment, and proposes new requirements in free
text. ``import_answer`` stores an answer all or nothing, logged. A library may answer
again: every answer is kept, numbered per library from 1, and the newest counts.

The working group accepts a proposal into the catalogue (through
``store.catalogue.write_catalogue``, with its checks and the freeze guard) or declines it
with a reason; both are stored and logged.

Read by the fit analysis: ``current_priorities`` and ``answered_libraries``.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import duckdb
import pandas as pd

from store import audit, catalogue, db
from store.errors import N_, InputRefused
from store.problems import LibraryInputRefused, Problem, sort_problems

ITEM_KINDS = ("category", "requirement")
# The importance scale, each value's meaning (message ids).
IMPORTANCE: dict[int, str] = {
    0: N_("not needed"),
    1: N_("nice to have"),
    2: N_("useful"),
    3: N_("important"),
    4: N_("essential"),
}
SHARED_CATALOGUE: dict[str, str] = {
    "today": N_("shares a catalogue today"),
    "wanted": N_("wants a shared catalogue"),
    "no": N_("no shared catalogue"),
}
# The facts a library gives, in the order asked: key, kind of value and label.
FACTS: tuple[tuple[str, str, str], ...] = (
    ("staff", "number", N_("Staff (full-time equivalents)")),
    ("branches", "count", N_("Branches")),
    ("mobile_library", "yes_no", N_("Runs a mobile library")),
    ("unstaffed_hours", "number", N_("Hours a week open without staff")),
    ("sami_collection", "yes_no", N_("Sámi collection")),
    ("kven_collection", "yes_no", N_("Kven collection")),
    ("finnish_collection", "yes_no", N_("Finnish collection")),
    ("russian_collection", "yes_no", N_("Russian collection")),
    ("school_libraries", "count", N_("School libraries served")),
    ("current_system", "text", N_("Library system today")),
    ("shared_catalogue", "shared", N_("Shared catalogue")),
)
FACT_KEYS = tuple(key for key, _, _ in FACTS)
STATUSES: dict[str, str] = {
    "not_sent": N_("not sent"),
    "sent": N_("sent"),
    "answered": N_("answered"),
}
PROPOSAL_STATUSES: dict[str, str] = {
    "open": N_("open"),
    "accepted": N_("accepted"),
    "declined": N_("declined"),
}
MAX_TEXT_LENGTH = 4000


@dataclass(frozen=True, kw_only=True)
class Placed:
    """Where a value was read from (sheet, row, column), to place a problem; empty when
    it was not read from a workbook."""

    sheet: str = ""
    row: int | None = None
    column: str = ""


@dataclass(frozen=True)
class Priority(Placed):
    """How important one category or weighted requirement is to the library (None: not
    answered) and its comment."""

    item_kind: str
    item_id: str
    importance: int | None
    comment: str = ""


@dataclass(frozen=True)
class Proposal(Placed):
    """A new requirement proposed in free text, in a category (empty: none named)."""

    text: str
    category_id: str = ""


@dataclass(frozen=True)
class LibraryAnswer:
    """One library's answer: its facts (``FACT_KEYS``; None where not given), its
    priorities and its proposals."""

    library_id: str
    facts: Mapping[str, Any] = field(default_factory=dict)
    priorities: Sequence[Priority] = ()
    proposals: Sequence[Proposal] = ()


@dataclass(frozen=True)
class ImportResult:
    """What an import stored."""

    library: str
    answer_number: int
    priorities: int
    proposals: int
    sha256: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _text(value: object) -> str:
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text).strip()


# --- reads -------------------------------------------------------------------------------

_NEWEST = (
    "SELECT library_id, max(answer_number) AS answer_number FROM library_answer GROUP BY library_id"
)


def current_priorities(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Each library's priorities from its newest answer only: ``library_id, item_kind
    ('category'|'requirement'), item_id, importance`` (int 0..4). Libraries that have not
    answered are absent, and so are items a library left blank."""
    frame = con.execute(
        "SELECT p.library_id, p.item_kind, p.item_id, p.importance FROM library_priority p"
        f" JOIN ({_NEWEST}) n USING (library_id, answer_number)"
        " ORDER BY p.library_id, p.item_kind, p.item_id"
    ).df()
    return frame.astype({"importance": "int64"})


def newest_priorities(
    con: duckdb.DuckDBPyConnection, library: str
) -> dict[tuple[str, str], tuple[int, str]]:
    """One library's priorities from its newest answer: importance and comment by
    ``(item_kind, item_id)``; empty before it has answered."""
    rows = con.execute(
        "SELECT p.item_kind, p.item_id, p.importance, p.comment FROM library_priority p"
        f" JOIN ({_NEWEST}) n USING (library_id, answer_number) WHERE p.library_id = ?",
        [library],
    ).fetchall()
    return {(str(k), str(i)): (int(v), str(c)) for k, i, v, c in rows}


def current_comments(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The comments of each library's newest answer: ``library_id, item_kind, item_id,
    importance, comment``, where the comment is not empty."""
    return con.execute(
        "SELECT p.library_id, p.item_kind, p.item_id, p.importance, p.comment"
        f" FROM library_priority p JOIN ({_NEWEST}) n USING (library_id, answer_number)"
        " WHERE p.comment <> '' ORDER BY p.item_kind, p.item_id, p.library_id"
    ).df()


def answered_libraries(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The newest answer of every library that has answered: ``library_id, answered_at,
    answer_number``."""
    return con.execute(
        "SELECT a.library_id, a.answered_at, a.answer_number FROM library_answer a"
        f" JOIN ({_NEWEST}) n USING (library_id, answer_number) ORDER BY a.library_id"
    ).df()


def answers(con: duckdb.DuckDBPyConnection, library: str | None = None) -> pd.DataFrame:
    """Every answer kept (of one library, or all), with its facts, newest last."""
    where, params = ("WHERE library_id = ?", [library]) if library else ("", [])
    return con.execute(
        f"SELECT * FROM library_answer {where} ORDER BY library_id, answer_number", params
    ).df()


def current_facts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The facts of each library's newest answer: ``library_id``, then ``FACT_KEYS``."""
    return con.execute(
        f"SELECT a.library_id, {', '.join('a.' + k for k in FACT_KEYS)} FROM library_answer a"
        f" JOIN ({_NEWEST}) n USING (library_id, answer_number) ORDER BY a.library_id"
    ).df()


def input_status(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every library with where its input stands: ``library_id, name, kind, region,
    sami_area, size_class, status`` ('not_sent', 'sent' or 'answered'), ``sent_at`` (the
    last time sent), ``answered_at`` (the newest answer) and ``answers`` (how many), in
    region and name order."""
    frame = con.execute(
        "SELECT l.id AS library_id, l.name, l.kind, l.region, l.sami_area, l.size_class,"
        " s.sent_at, a.answered_at, coalesce(a.answers, 0) AS answers"
        " FROM library l"
        " LEFT JOIN (SELECT library_id, max(sent_at) AS sent_at FROM library_input_sent"
        "  GROUP BY library_id) s ON s.library_id = l.id"
        " LEFT JOIN (SELECT library_id, max(answered_at) AS answered_at, count(*) AS answers"
        "  FROM library_answer GROUP BY library_id) a ON a.library_id = l.id"
        " ORDER BY l.region, l.name, l.id"
    ).df()
    frame.insert(
        6,
        "status",
        [
            "answered" if n > 0 else ("sent" if not pd.isna(sent) else "not_sent")
            for n, sent in zip(frame["answers"], frame["sent_at"], strict=True)
        ],
    )
    return frame.astype({"answers": "int64"})


def not_heard_from(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """The libraries that have not answered, by region: region → library ids."""
    return waiting_by_region(input_status(con))


def waiting_by_region(status: pd.DataFrame) -> dict[str, list[str]]:
    """The libraries of an ``input_status`` table that have not answered, by region."""
    waiting = status[status["status"] != "answered"]
    return {
        str(region): group["library_id"].tolist()
        for region, group in waiting.groupby("region", sort=True)
    }


def proposals(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The proposals to decide on and those decided, by id. A library that answers again
    loses none of its open proposals; only one it repeats word for word (case and outer
    spaces aside) is shown once: the decided one, or else the newest."""
    return con.execute(
        "SELECT p.* FROM library_proposal p"
        " WHERE p.status <> 'open' OR NOT EXISTS ("
        "  SELECT 1 FROM library_proposal q WHERE q.library_id = p.library_id"
        "  AND q.id <> p.id AND lower(trim(q.text)) = lower(trim(p.text))"
        "  AND (q.status <> 'open' OR q.answer_number > p.answer_number))"
        " ORDER BY p.id"
    ).df()


def template_items(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """What a library rates, in catalogue order: every category in force (``item_kind``
    'category'), each followed by its weighted requirements in force ('requirement'), with
    ``item_id, category_id, text_nb, text_en``."""
    return con.execute(
        "SELECT item_kind, item_id, category_id, text_nb, text_en FROM ("
        " SELECT 'category' AS item_kind, c.id AS item_id, c.id AS category_id,"
        "  c.name_nb AS text_nb, c.name_en AS text_en, a.sort_order AS s1,"
        "  c.sort_order AS s2, 0 AS part, 0 AS s3"
        " FROM category c JOIN award_criterion a ON a.id = c.criterion_id"
        " WHERE NOT coalesce(c.retired, false) AND NOT coalesce(a.retired, false)"
        " UNION ALL"
        " SELECT 'requirement', r.id, r.category_id, r.text_nb, r.text_en, a.sort_order,"
        "  c.sort_order, 1, r.sort_order"
        " FROM requirement r JOIN category c ON c.id = r.category_id"
        " JOIN award_criterion a ON a.id = c.criterion_id"
        " WHERE NOT r.retired AND r.kind = 'W'"
        ") ORDER BY s1, s2, category_id, part, s3, item_id"
    ).df()


# --- checks ------------------------------------------------------------------------------


def _check_library(con: duckdb.DuckDBPyConnection, library: str) -> None:
    if con.execute("SELECT 1 FROM library WHERE id = ?", [library]).fetchone() is None:
        raise InputRefused(N_("There is no participating library “{id}”."), id=library)


def fact_problem(key: str, value: Any) -> Problem | None:
    """What is wrong with a fact's value (as ``import_answer`` stores it), or None."""
    kind = next(k for name, k, _ in FACTS if name == key)
    if value is None:
        return None
    if kind in ("number", "count"):
        number_ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not number_ok or not math.isfinite(value) or value < 0:
            return Problem(N_("Write a number of 0 or more, not “{value}”."), {"value": value})
        if kind == "count" and float(value) != int(value):
            return Problem(N_("Write a whole number, not “{value}”."), {"value": value})
    elif kind == "yes_no" and not isinstance(value, bool):
        return Problem(N_("Answer yes or no, not “{value}”."), {"value": value})
    elif kind == "shared" and value not in SHARED_CATALOGUE:
        return Problem(N_("Choose today, wanted or no, not “{value}”."), {"value": value})
    elif kind == "text" and (not isinstance(value, str) or len(value) > MAX_TEXT_LENGTH):
        return Problem(N_("The text is too long or not a text."))
    return None


def _placed(where: Placed, message: str, params: dict[str, Any] | None = None) -> Problem:
    """A problem at the cell a priority's or a proposal's value was read from."""
    return Problem(message, params or {}, where.sheet, where.row, where.column)


def _priority_problems(p: Priority) -> list[Problem]:
    found = []
    if p.importance is not None and (
        isinstance(p.importance, bool)
        or not isinstance(p.importance, int)
        or p.importance not in IMPORTANCE
    ):
        found.append(
            _placed(
                p,
                N_("The importance must be a whole number from 0 to 4, not “{value}”."),
                {"value": p.importance},
            )
        )
    if len(p.comment) > MAX_TEXT_LENGTH:
        found.append(_placed(p, N_("The comment is too long.")))
    return found


def _problems(con: duckdb.DuckDBPyConnection, answer: LibraryAnswer) -> list[Problem]:
    """Every problem with an answer, checked against the catalogue in force."""
    found: list[Problem] = []
    for key, value in answer.facts.items():
        if key not in FACT_KEYS:
            raise ValueError(f"unknown fact {key!r}")
        problem = fact_problem(key, value)
        if problem is not None:
            found.append(problem)
    items = template_items(con)
    known = set(zip(items["item_kind"], items["item_id"], strict=True))
    seen: set[tuple[str, str]] = set()
    for p in answer.priorities:
        item = (p.item_kind, p.item_id)
        if item not in known:
            message = N_("“{id}” is not a category or weighted requirement in force.")
            found.append(_placed(p, message, {"id": p.item_id}))
        elif item in seen:
            found.append(_placed(p, N_("“{id}” is answered twice."), {"id": p.item_id}))
        seen.add(item)
        found.extend(_priority_problems(p))
    categories = set(items.loc[items["item_kind"] == "category", "item_id"])
    for proposal in answer.proposals:
        if proposal.category_id and proposal.category_id not in categories:
            message = N_("The category “{id}” is not in force.")
            found.append(_placed(proposal, message, {"id": proposal.category_id}))
        if not _text(proposal.text) or len(proposal.text) > MAX_TEXT_LENGTH:
            message = N_("A proposal needs a text (at most 4000 characters).")
            found.append(_placed(proposal, message))
    return found


# --- writes ------------------------------------------------------------------------------


def write_sent(
    con: duckdb.DuckDBPyConnection,
    libraries: Sequence[str],
    *,
    actor: str,
    how: str = "marked",
) -> int:
    """Record the libraries as sent the input workbook, inside the caller's transaction
    (``mark_sent``: in its own), logged; ``how`` is 'template' (a workbook was made) or
    'marked'. Returns how many were recorded."""
    if how not in ("template", "marked"):
        raise ValueError(f"unknown way of sending {how!r}")
    for library in libraries:
        _check_library(con, library)
        con.execute(
            "INSERT INTO library_input_sent (library_id, sent_by, how) VALUES (?, ?, ?)",
            [library, actor, how],
        )
        audit.record(
            con, actor=actor, action="send", entity="library_input", entity_id=library,
            new={"how": how},
        )  # fmt: skip
    return len(libraries)


mark_sent = db.in_own_transaction(write_sent)


def write_answer(
    con: duckdb.DuckDBPyConnection,
    answer: LibraryAnswer,
    *,
    actor: str,
    file_name: str = "",
    sha256: str = "",
    found: Sequence[Problem] = (),
    answered_at: datetime | None = None,
) -> ImportResult:
    """Store a library's answer as its newest inside the caller's transaction, logged
    (``import_answer``: in its own, all or nothing).

    ``found`` are the problems the reader found in the file; with any, or any found here
    (an unknown item, an importance not 0–4, a bad fact), ``LibraryInputRefused`` lists them
    all and nothing is written. Earlier answers stay as they were. ``answered_at`` (default:
    now) is when the library answered, where the file says so (the demo's answers)."""
    _check_library(con, answer.library_id)
    listed = [*found, *_problems(con, answer)]
    if listed:
        raise LibraryInputRefused(
            N_("The file {file} was not imported: {count} problem(s) to fix."),
            sort_problems(listed),
            file=file_name or "?",
        )
    row = con.execute(
        "SELECT coalesce(max(answer_number), 0) + 1 FROM library_answer WHERE library_id = ?",
        [answer.library_id],
    ).fetchone()
    number = int(row[0]) if row else 1
    facts = {k: answer.facts.get(k) for k in FACT_KEYS}
    facts["current_system"] = _text(facts["current_system"])
    con.execute(
        "INSERT INTO library_answer (library_id, answer_number, answered_at, imported_by,"
        f" file_name, sha256, {', '.join(FACT_KEYS)})"
        f" VALUES (?, ?, coalesce(?, current_timestamp), {', '.join('?' * (3 + len(FACT_KEYS)))})",
        [
            answer.library_id,
            number,
            answered_at or datetime.now(),
            actor,
            file_name,
            sha256,
            *facts.values(),
        ],
    )
    rated = [p for p in answer.priorities if p.importance is not None]
    if rated:  # one statement: many single inserts are slow
        con.execute(
            "INSERT INTO library_priority VALUES "
            + ", ".join(["(?, ?, ?, ?, ?, ?)"] * len(rated)),
            [
                value
                for p in rated
                for value in (answer.library_id, number, p.item_kind, p.item_id, p.importance,
                              _text(p.comment))
            ],
        )  # fmt: skip
    next_id = con.execute("SELECT coalesce(max(id), 0) FROM library_proposal").fetchone()
    first = int(next_id[0]) + 1 if next_id else 1
    for offset, proposal in enumerate(answer.proposals):
        con.execute(
            "INSERT INTO library_proposal (id, library_id, answer_number, category_id, text)"
            " VALUES (?, ?, ?, ?, ?)",
            [first + offset, answer.library_id, number, proposal.category_id,
             _text(proposal.text)],
        )  # fmt: skip
    result = ImportResult(answer.library_id, number, len(rated), len(answer.proposals), sha256)
    audit.record(
        con, actor=actor, action="import", entity="library_input", entity_id=answer.library_id,
        new={"file": file_name, **result.as_dict(), "facts": facts},
    )  # fmt: skip
    return result


import_answer = db.in_own_transaction(write_answer)


def _open_proposal(con: duckdb.DuckDBPyConnection, proposal: int) -> dict[str, Any]:
    found = con.execute("SELECT * FROM library_proposal WHERE id = ?", [proposal]).df()
    if found.empty:
        raise InputRefused(N_("There is no proposal number {id}."), id=proposal)
    row = found.iloc[0].to_dict()
    if row["status"] != "open":
        raise InputRefused(N_("Proposal number {id} is decided already."), id=proposal)
    return row


def write_decline(
    con: duckdb.DuckDBPyConnection, proposal: int, *, reason: str, actor: str
) -> None:
    """Decline a library's proposal with a reason, inside the caller's transaction
    (``decline_proposal``: in its own), logged."""
    reason = _text(reason)
    if not reason:
        raise InputRefused(N_("Say why the proposal is declined: the reason is kept and logged."))
    row = _open_proposal(con, proposal)
    con.execute(
        "UPDATE library_proposal SET status = 'declined', decided_by = ?,"
        " decided_at = current_timestamp, reason = ? WHERE id = ?",
        [actor, reason, proposal],
    )
    audit.record(
        con, actor=actor, action="decline", entity="library_input",
        entity_id=f"{row['library_id']}/{proposal}", old={"status": "open"},
        new={"status": "declined", "text": row["text"]}, reason=reason,
    )  # fmt: skip


decline_proposal = db.in_own_transaction(write_decline)


def write_acceptance(
    con: duckdb.DuckDBPyConnection,
    proposal: int,
    requirement: Mapping[str, Any],
    *,
    actor: str,
    reason: str = "",
) -> str:
    """Accept a library's proposal as a new requirement of the catalogue, inside the
    caller's transaction (``accept_proposal``: in its own), logged. ``requirement`` holds
    ``id, category_id, kind, text_nb, text_en, weight``; it is added through
    ``catalogue.write_catalogue`` with every check of the catalogue editor (CatalogueInvalid)
    and the freeze guard (after the freeze it needs ``reason``). Returns its id."""
    row = _open_proposal(con, proposal)
    edited = catalogue.editable(con)
    added = {c: requirement.get(c, "") for c in catalogue.EDIT_COLUMNS}
    added["retired"] = False
    edited.loc[len(edited) + 1] = added
    catalogue.write_catalogue(con, edited, actor=actor, reason=reason)
    rid = catalogue.nfc(added["id"])
    con.execute(
        "UPDATE library_proposal SET status = 'accepted', requirement_id = ?, decided_by = ?,"
        " decided_at = current_timestamp, reason = ? WHERE id = ?",
        [rid, actor, _text(reason), proposal],
    )
    audit.record(
        con, actor=actor, action="accept", entity="library_input",
        entity_id=f"{row['library_id']}/{proposal}", old={"status": "open"},
        new={"status": "accepted", "requirement": rid, "text": row["text"]},
        reason=_text(reason),
    )  # fmt: skip
    return rid


accept_proposal = db.in_own_transaction(write_acceptance)
