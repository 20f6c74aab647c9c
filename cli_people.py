"""The command line's people commands: the people of a shared installation and their roles,
over the same functions as the Oppsett page's tab *People and roles* (``store.access``).
``cli.build_parser`` adds them.

The first admin can be granted by anyone (the database is in local mode until then); from
then on ``--actor`` must name a person whose roles allow the change: an admin here.
"""

from __future__ import annotations

import argparse
from typing import Any

from cli_tender import _database, _group, _report, command

# store.access.ROLES, kept here so that `cli.py --help` starts without DuckDB;
# tests/test_cli_people.py checks that they agree.
ROLE_NAMES = ("admin", "working_group", "evaluator", "steering_group", "observer")


def _person_document(person: Any) -> dict[str, Any]:
    return {
        "id": person.id,
        "name": person.name,
        "evaluator": person.evaluator_id,
        "removed": person.removed,
        "roles": [r for r in ROLE_NAMES if r in person.roles],
    }


def cmd_people_list(args: argparse.Namespace) -> int:
    """list the people and their roles

    The people on the list with their roles and the evaluator each is, and whether roles are
    enforced (someone holds admin) or the database is in local mode.
    """
    from store import access

    with _database(args) as con:
        table = access.people(con, include_removed=args.all)
        enforced = access.is_enforced(con)
    rows = [
        {
            "id": r["id"],
            "name": r["name"],
            "evaluator": r["evaluator_id"] if isinstance(r["evaluator_id"], str) else None,
            "removed": bool(r["removed"]),
            "roles": list(r["roles"]),
        }
        for r in table.to_dict("records")
    ]
    lines = [
        f"{r['id']:<32} {r['name']:<28} {','.join(r['roles']) or '-'}"
        + (f"  evaluator {r['evaluator']}" if r["evaluator"] else "")
        + ("  (removed)" if r["removed"] else "")
        for r in rows
    ]
    mode = "roles enforced" if enforced else "local mode: nobody holds admin, everything allowed"
    return _report(args, {"enforced": enforced, "people": rows}, "\n".join([*lines, f"({mode})"]))


def cmd_people_add(args: argparse.Namespace) -> int:
    """add a person

    Add a person by the e-mail address they sign in with, with the roles given. Granting the
    first admin switches enforcement on.
    """
    from store import access

    with _database(args) as con:
        key = access.add_person(
            con,
            args.email,
            name=args.name,
            evaluator=args.evaluator,
            roles=args.role or [],
            actor=args.actor,
        )
        person = access.person(con, key)
    assert person is not None
    return _report(args, _person_document(person), f"Added {key}.")


def cmd_people_grant(args: argparse.Namespace) -> int:
    from store import access

    with _database(args) as con:
        change = access.grant if args.people_command == "grant" else access.revoke
        changed = change(con, args.email, args.role, actor=args.actor)
        person = access.person(con, args.email)
    assert person is not None
    done = "granted" if args.people_command == "grant" else "revoked"
    text = f"{args.role} {done}." if changed else "Nothing to change: it was so already."
    return _report(args, {**_person_document(person), "changed": changed}, text)


def cmd_people_remove(args: argparse.Namespace) -> int:
    """remove a person

    Remove a person: every role taken back; they stay on record as removed.
    """
    from store import access

    with _database(args) as con:
        access.remove_person(con, args.email, actor=args.actor, reason=args.reason)
        person = access.person(con, args.email)
    assert person is not None
    return _report(args, _person_document(person), f"Removed {person.id}: no role left.")


def add_commands(sub: Any, common: argparse.ArgumentParser, actor: argparse.ArgumentParser) -> None:
    """The people commands, under ``sub``."""
    people = _group(sub, "people", "the people who may use a shared installation, and roles")
    listed = command(people, "list", cmd_people_list, parents=[common])
    listed.add_argument("--all", action="store_true", help="removed people too")

    add = command(people, "add", cmd_people_add, parents=[common, actor])
    add.add_argument("email", metavar="EMAIL")
    add.add_argument("--name", required=True)
    add.add_argument("--evaluator", metavar="ID", help="the evaluator this person is")
    add.add_argument(
        "--role", action="append", choices=ROLE_NAMES, help="a role to grant (repeatable)"
    )

    for name, verb in (("grant", "grant a role"), ("revoke", "take a role back")):
        parser = command(
            people,
            name,
            cmd_people_grant,
            parents=[common, actor],
            help=verb,
            description=verb.capitalize() + ".",
        )
        parser.add_argument("email", metavar="EMAIL")
        parser.add_argument("role", choices=ROLE_NAMES)

    remove = command(people, "remove", cmd_people_remove, parents=[common, actor])
    remove.add_argument("email", metavar="EMAIL")
    remove.add_argument("--reason", default="", help="why (logged)")
