"""Who may change what: the people of a shared installation, their roles, and the one check
every change passes.

A person is known by the e-mail address the sign-in gives (lower-case). Roles: admin,
working group, evaluator (bound to the evaluator they are), steering group, observer; a
person may hold several. ``check`` is called by ``audit.record`` for every entry, inside
the transaction of the change it records, so a refusal (``NotAllowed``) rolls the change
back with it: the rule holds whichever page, command or script makes the change.

Local mode: while nobody holds the role admin (the demo, a fresh install on one machine),
everything is allowed, as before roles existed. Granting the first admin switches
enforcement on; from then on an actor who is not a person on the list may change nothing,
and the last admin cannot be removed (that would switch it off again).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from store import audit, audit_names
from store.db import in_own_transaction
from store.errors import N_, InvalidRegistration, NotAllowed, UnknownEvaluator

ADMIN = "admin"
WORKING_GROUP = "working_group"
EVALUATOR = "evaluator"
STEERING_GROUP = "steering_group"
OBSERVER = "observer"
# Each role's label for people (message ids, translated where they are shown), in order.
ROLES: dict[str, str] = {
    ADMIN: N_("Admin"),
    WORKING_GROUP: N_("Working group"),
    EVALUATOR: N_("Evaluator"),
    STEERING_GROUP: N_("Steering group"),
    OBSERVER: N_("Observer"),
}

_ADMIN = frozenset({ADMIN})
_WORKING_GROUP = frozenset({ADMIN, WORKING_GROUP})
_OWN_EVALUATOR = frozenset({ADMIN, EVALUATOR})
_WORKING_GROUP_OR_OWN = frozenset({ADMIN, WORKING_GROUP, EVALUATOR})

# Who may write each kind of audit-log entry (``audit_names.ENTITIES``), and so make the
# change it records. Steering group and observers write nothing. Every entity has a rule;
# tests/store/test_access.py checks that a new entity cannot come without one.
PERMISSIONS: dict[str, frozenset[str]] = {
    # An evaluator's own work: only for the evaluator the person is (``OWN_EVALUATOR``).
    "score": _OWN_EVALUATOR,
    "mandatory_assessment": _OWN_EVALUATOR,
    "score_workbook": _OWN_EVALUATOR,
    "impartiality_declaration": _WORKING_GROUP_OR_OWN,
    # Reopening a submission; submitting is the evaluator's own (``ACTION_PERMISSIONS``).
    "evaluator_submission": _WORKING_GROUP,
    # The working group's: the tender, the model, the bidders and the meeting.
    "consensus": _WORKING_GROUP,
    "mandatory_check": _WORKING_GROUP,
    "evaluation_model": _WORKING_GROUP,
    "weight_profile": _WORKING_GROUP,
    "setting": _WORKING_GROUP,
    "tender": _WORKING_GROUP,
    "stakeholder_group": _WORKING_GROUP,
    "catalogue": _WORKING_GROUP,
    "requirement": _WORKING_GROUP,
    "award_criterion": _WORKING_GROUP,
    "category": _WORKING_GROUP,
    "price_line": _WORKING_GROUP,
    "response": _WORKING_GROUP,
    "price": _WORKING_GROUP,
    "vendor": _WORKING_GROUP,
    "offer": _WORKING_GROUP,
    "offer_opening": _WORKING_GROUP,
    "library": _WORKING_GROUP,
    "library_input": _WORKING_GROUP,  # the input round: requests, answers, proposals
    "evaluator": _WORKING_GROUP,
    # The award: the steering group decides in its meeting, the working group records the
    # decision and edits the letters (the steering group's role changes nothing).
    "award": _WORKING_GROUP,
    "award_letter": _WORKING_GROUP,
    # The language test kit run in the vendors' demo systems.
    "language_result": _WORKING_GROUP,
    # The admin's alone.
    "demo_dataset": _ADMIN,
    "person": _ADMIN,
    "person_role": _ADMIN,
    "database": _ADMIN,  # its backup and restore
}
# Who may take the steering group's report away (a read, so not in the log): the steering
# group, the working group and admins; not observers or evaluators as such.
REPORT_READERS = frozenset({ADMIN, WORKING_GROUP, STEERING_GROUP})
# Where an action has a rule of its own, it takes the place of the entity's.
ACTION_PERMISSIONS: dict[tuple[str, str], frozenset[str]] = {
    ("evaluator_submission", "submit"): _OWN_EVALUATOR,
}
# Entities whose entries name their evaluator first in ``entity_id`` ("evaluator" or
# "evaluator/offer/requirement"); the role evaluator writes them only for its own.
OWN_EVALUATOR = (
    "score",
    "mandatory_assessment",
    "score_workbook",
    "impartiality_declaration",
    "evaluator_submission",
)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")


def allowed_roles(entity: str, action: str) -> frozenset[str]:
    """The roles that may write an entry of this entity and action (KeyError: no rule)."""
    return ACTION_PERMISSIONS.get((entity, action), PERMISSIONS[entity])


def person_id(email: str) -> str:
    """An e-mail address as a person's id: trimmed, lower-case."""
    return unicodedata.normalize("NFC", str(email or "")).strip().lower()


@dataclass(frozen=True)
class Person:
    """A person on the list, with the roles they hold."""

    id: str
    name: str
    evaluator_id: str | None
    removed: bool
    roles: frozenset[str]


def person(con: duckdb.DuckDBPyConnection, email: str) -> Person | None:
    """The person with this e-mail address (removed ones too), or None."""
    key = person_id(email)
    row = con.execute(
        "SELECT id, name, evaluator_id, removed FROM person WHERE id = ?", [key]
    ).fetchone()
    if row is None:
        return None
    return Person(str(row[0]), str(row[1]), row[2], bool(row[3]), roles_of(con, key))


def roles_of(con: duckdb.DuckDBPyConnection, actor: str) -> frozenset[str]:
    """The roles an actor holds: none for someone who is not a person, or was removed."""
    rows = con.execute(
        "SELECT r.role FROM person_role r JOIN person p ON p.id = r.person_id"
        " WHERE p.id = ? AND NOT p.removed",
        [person_id(actor)],
    ).fetchall()
    return frozenset(str(r[0]) for r in rows)


def is_enforced(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether roles are enforced: some person (not removed) holds the role admin. A
    database without one runs in local mode, where everything is allowed."""
    return _admins(con) > 0


def _admins(con: duckdb.DuckDBPyConnection, *, besides: str = "") -> int:
    row = con.execute(
        "SELECT count(*) FROM person_role r JOIN person p ON p.id = r.person_id"
        " WHERE r.role = ? AND NOT p.removed AND p.id <> ?",
        [ADMIN, besides],
    ).fetchone()
    return int(row[0]) if row else 0


def people(con: duckdb.DuckDBPyConnection, *, include_removed: bool = False) -> pd.DataFrame:
    """Every person with their roles (a list, in the order of ``ROLES``), by name."""
    table = con.execute(
        "SELECT p.id, p.name, p.evaluator_id, p.removed, p.created_at,"
        " list(r.role) FILTER (WHERE r.role IS NOT NULL) AS roles"
        " FROM person p LEFT JOIN person_role r ON r.person_id = p.id"
        f"{'' if include_removed else ' WHERE NOT p.removed'}"
        " GROUP BY ALL ORDER BY p.name, p.id"
    ).df()
    order = list(ROLES)
    table["roles"] = [sorted(r if r is not None else [], key=order.index) for r in table["roles"]]
    return table


def actor_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Who the audit log's actors are: each evaluator's id and each person's e-mail address
    (removed people too: the log still names them) -> their name. Where both are known,
    the person's name is kept."""
    rows = con.execute(
        "SELECT id, name, 0 AS kind FROM evaluator"
        " UNION ALL SELECT id, name, 1 AS kind FROM person ORDER BY kind"
    ).fetchall()
    return {str(key): str(name) for key, name, _kind in rows}


# --- the check ------------------------------------------------------------------------

NOT_A_PERSON = N_(
    "“{actor}” is not on this tender's list of people, so may change nothing here. "
    "Changing “{what}” takes one of these roles: {roles}."
)
ROLE_NEEDED = N_("{actor} may not change “{what}”: that takes one of these roles: {roles}.")
OWN_ONLY = N_("{actor} may change “{what}” only for the evaluator they are, not for “{evaluator}”.")


def evaluator_named(entity: str, entity_id: str) -> str | None:
    """The evaluator an entry is about, for the entities in ``OWN_EVALUATOR``."""
    if entity not in OWN_EVALUATOR:
        return None
    return entity_id.split(audit.ENTITY_ID_SEPARATOR, 1)[0] or None


def _granting_admin(entity: str, action: str, new: Any) -> str:
    """The person being made admin by this entry, if it is that."""
    granting = entity == "person_role" and action == "grant" and isinstance(new, Mapping)
    if granting and new.get("role") == ADMIN:
        return str(new.get("person", ""))
    return ""


def check(
    con: duckdb.DuckDBPyConnection,
    entity: str,
    action: str,
    *,
    actor: str,
    entity_id: str = "",
    new: Any = None,
) -> None:
    """Refuse (NotAllowed) an ``action`` on an ``entity`` the actor's roles do not allow,
    while roles are enforced. Called by ``audit.record`` inside the change's transaction,
    after the change: the state it reads is the one the change leaves, except that the
    grant of the first admin is judged by the state before it (local mode: allowed)."""
    needed = allowed_roles(entity, action)
    granted = _granting_admin(entity, action, new)
    if _admins(con, besides=granted) == 0:
        return
    what = audit_names.ENTITIES[entity]
    labels = {"what": (what,), "roles": tuple(ROLES[r] for r in ROLES if r in needed)}
    key = person_id(actor)
    row = con.execute(
        "SELECT evaluator_id FROM person WHERE id = ? AND NOT removed", [key]
    ).fetchone()
    if row is None:
        raise NotAllowed(NOT_A_PERSON, labels=labels, actor=actor)
    held = roles_of(con, key)
    if held & (needed - {EVALUATOR}):
        return
    if EVALUATOR in needed and EVALUATOR in held:
        named = evaluator_named(entity, entity_id)
        if named is not None and row[0] == named:
            return
        raise NotAllowed(
            OWN_ONLY, labels={"what": (what,)}, actor=actor, evaluator=named or entity_id
        )
    raise NotAllowed(ROLE_NEEDED, labels=labels, actor=actor)


# --- managing people ----------------------------------------------------------------------


def _text(value: object) -> str:
    return unicodedata.normalize("NFC", str(value or "")).strip()


def _require_person(con: duckdb.DuckDBPyConnection, key: str) -> Person:
    found = person(con, key)
    if found is None or found.removed:
        raise InvalidRegistration(N_("There is no person “{id}” on the list."), id=key)
    return found


def _refuse_own(con: duckdb.DuckDBPyConnection, key: str, actor: str) -> None:
    """An admin does not take their own admin role away, or remove themselves: another
    admin does (so that nobody locks themselves out by a slip)."""
    if person_id(actor) == key and is_enforced(con):
        raise InvalidRegistration(
            N_("You cannot take your own admin role away or remove yourself: ask another admin.")
        )


def _refuse_last_admin(con: duckdb.DuckDBPyConnection, key: str) -> None:
    if ADMIN in roles_of(con, key) and _admins(con, besides=key) == 0:
        raise InvalidRegistration(
            N_(
                "{id} is the last admin: make someone else admin first. Without an admin "
                "the database would fall back to local mode, where anyone may change "
                "anything."
            ),
            id=key,
        )


def write_person(
    con: duckdb.DuckDBPyConnection,
    email: str,
    *,
    name: str,
    evaluator: str | None = None,
    roles: Sequence[str] = (),
    actor: str,
) -> str:
    """Add a person inside the caller's transaction, logged (``add_person``: in its own);
    a removed person is taken back. ``evaluator`` binds the person to the evaluator they
    are; ``roles`` are granted at once. Returns the person's id."""
    key = person_id(email)
    if not _EMAIL.match(key):
        raise InvalidRegistration(
            N_("“{id}” is not an e-mail address: a person is known by the one they sign in with."),
            id=email,
        )
    name = _text(name)
    if not name:
        raise InvalidRegistration(N_("A person needs a name."))
    evaluator = _text(evaluator) or None
    if evaluator is not None:
        if con.execute("SELECT 1 FROM evaluator WHERE id = ?", [evaluator]).fetchone() is None:
            raise UnknownEvaluator(N_("There is no evaluator with the id “{id}”."), id=evaluator)
        bound = con.execute(
            "SELECT id FROM person WHERE evaluator_id = ? AND NOT removed AND id <> ?",
            [evaluator, key],
        ).fetchone()
        if bound is not None:
            raise InvalidRegistration(
                N_("The evaluator “{evaluator}” is bound to {person} already."),
                evaluator=evaluator,
                person=bound[0],
            )
    existing = person(con, key)
    if existing is not None and not existing.removed:
        raise InvalidRegistration(N_("{id} is on the list already."), id=key)
    new = {"name": name, "evaluator": evaluator}
    if existing is None:
        con.execute(
            "INSERT INTO person (id, name, evaluator_id) VALUES (?, ?, ?)", [key, name, evaluator]
        )
    else:
        con.execute(
            "UPDATE person SET name = ?, evaluator_id = ?, removed = false WHERE id = ?",
            [name, evaluator, key],
        )
    audit.record(
        con, actor=actor, action="add" if existing is None else "reinstate", entity="person",
        entity_id=key,
        old=None if existing is None else {"name": existing.name, "removed": True}, new=new,
    )  # fmt: skip
    for role in roles:
        write_grant(con, key, role, actor=actor)
    return key


add_person = in_own_transaction(write_person)


def _log_role(
    con: duckdb.DuckDBPyConnection, action: str, key: str, role: str, *, actor: str
) -> None:
    """Log a role granted (the role as the new value) or revoked (as the old one)."""
    held = {"person": key, "role": role}
    granted = action == "grant"
    audit.record(
        con, actor=actor, action="grant" if granted else "revoke", entity="person_role",
        entity_id=f"{key}/{role}",
        old=None if granted else held, new=held if granted else None,
    )  # fmt: skip


def write_grant(con: duckdb.DuckDBPyConnection, email: str, role: str, *, actor: str) -> bool:
    """Grant a role inside the caller's transaction, logged (``grant``: in its own); False
    when the person holds it already."""
    if role not in ROLES:
        raise InvalidRegistration(
            N_("Unknown role “{role}”; the roles are {roles}."), role=role, roles=", ".join(ROLES)
        )
    found = _require_person(con, email)
    if role in found.roles:
        return False
    if role == EVALUATOR and not found.evaluator_id:
        raise InvalidRegistration(
            N_("{id} is not bound to an evaluator: add the person with the evaluator they are."),
            id=found.id,
        )
    con.execute("INSERT INTO person_role (person_id, role) VALUES (?, ?)", [found.id, role])
    _log_role(con, "grant", found.id, role, actor=actor)
    return True


grant = in_own_transaction(write_grant)


def write_revoke(con: duckdb.DuckDBPyConnection, email: str, role: str, *, actor: str) -> bool:
    """Take a role back inside the caller's transaction, logged (``revoke``: in its own);
    False when the person does not hold it. The last admin keeps the role."""
    found = _require_person(con, email)
    if role not in found.roles:
        return False
    if role == ADMIN:
        _refuse_last_admin(con, found.id)
        _refuse_own(con, found.id, actor)
    con.execute("DELETE FROM person_role WHERE person_id = ? AND role = ?", [found.id, role])
    _log_role(con, "revoke", found.id, role, actor=actor)
    return True


revoke = in_own_transaction(write_revoke)


def write_removal(
    con: duckdb.DuckDBPyConnection, email: str, *, actor: str, reason: str = ""
) -> None:
    """Remove a person inside the caller's transaction, logged (``remove_person``: in its
    own): every role taken back, the person kept on record as removed. Signed in, they lose
    access at their next step. The last admin cannot be removed."""
    found = _require_person(con, email)
    _refuse_last_admin(con, found.id)
    _refuse_own(con, found.id, actor)
    con.execute("DELETE FROM person_role WHERE person_id = ?", [found.id])
    con.execute("UPDATE person SET removed = true WHERE id = ?", [found.id])
    audit.record(
        con, actor=actor, action="remove", entity="person", entity_id=found.id,
        old={"name": found.name, "roles": [r for r in ROLES if r in found.roles]},
        new={"removed": True}, reason=_text(reason),
    )  # fmt: skip


remove_person = in_own_transaction(write_removal)
