"""The command line's award commands: record (or withdraw) the award decision, and write
every bidder's score sheet and award letter, over the same functions as the Eksport page
(``analysis.award``, ``store.award``, ``vendors.award_files``). ``cli.build_parser`` adds
them."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from cli_tender import _database, _report, command


def _award_document(found: Any) -> dict[str, Any]:
    if found is None:
        return {"award": None}
    return {
        "award": found.id,
        "offer": found.offer_id,
        "leader": found.leader_offer_id,
        "chose_leader": found.chose_leader,
        "reason": found.reason,
        "decided_by": found.decided_by,
        "decided_at": found.decided_at,
    }


def cmd_award(args: argparse.Namespace) -> int:
    """record the award decision (or withdraw it)

    Record which offer is chosen, by whom, when and why. Usually the leader of the published
    ranking; another offer needs a reason that says why. An offer rejected at the mandatory
    screening is never chosen, and nothing is chosen before the published ranking exists. A new
    award replaces the one in force (withdrawn with the same reason).
    """
    from analysis.award import decide
    from store import award

    with _database(args) as con:
        if args.withdraw:
            award.withdraw(con, reason=args.reason, actor=args.actor)
            return _report(args, {"award": None, "withdrawn": True}, "The award is withdrawn.")
        if not args.offer:
            raise award.AwardRefused(award.NO_OFFER)
        decide(con, args.offer, reason=args.reason, actor=args.actor)
        found = award.current(con)
    assert found is not None
    note = "" if found.chose_leader else f" (the ranking's leader is {found.leader_offer_id})"
    return _report(args, _award_document(found), f"Awarded to {found.offer_id}{note}.")


def _sent_on(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a day (YYYY-MM-DD): {text!r}") from None


def cmd_export_letters(args: argparse.Namespace) -> int:
    """write every bidder's score sheet and award letter

    After the award: one folder OUT/<vendor id>/ per vendor, with each of its offers' score
    sheet (xlsx and PDF) and its award letter (PDF and docx), from the letter text saved on the
    Eksport page (else the draft).
    """
    from vendors.award_files import export_letters

    sent_on = args.sent or date.today()
    with _database(args) as con:
        written = export_letters(con, Path(args.out), args.lang, sent_on)
    document = {
        "sent": sent_on,
        "language": args.lang,
        "vendors": {vendor: [str(p) for p in paths] for vendor, paths in written.items()},
    }
    lines = [f"{vendor}: {', '.join(p.name for p in paths)}" for vendor, paths in written.items()]
    return _report(args, document, "\n".join(lines))


def add_commands(
    sub: Any, common: argparse.ArgumentParser, actor: argparse.ArgumentParser, languages: Any
) -> None:
    """The award commands, under ``sub``."""
    award = command(sub, "award", cmd_award, parents=[common, actor])
    award.add_argument("offer", nargs="?", metavar="OFFER_ID", help="the chosen offer")
    award.add_argument("--reason", default="", help="why (logged; always needed)")
    award.add_argument(
        "--withdraw", action="store_true", help="withdraw the award in force (with --reason)"
    )
    letters = command(sub, "export-letters", cmd_export_letters, parents=[common])
    letters.add_argument("--out", required=True, metavar="DIR", help="the folder to write in")
    letters.add_argument(
        "--lang", choices=languages, default="nb", help="language of the files (default: nb)"
    )
    letters.add_argument(
        "--sent",
        type=_sent_on,
        metavar="YYYY-MM-DD",
        help="the day the letters are sent (default: today); the standstill period counts from it",
    )
