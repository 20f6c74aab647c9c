"""The command line's input round: the libraries' input workbooks out and back in, who has
answered, what they said, and the working group's decisions on the proposed requirements.
The same functions as the Innspill page; ``cli.build_parser`` adds them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from cli_catalogue import read_workbook
from cli_tender import _database, _group, _print_json, _report, command, language_option


def cmd_input_template(args: argparse.Namespace) -> int:
    """write a library's input workbook (.xlsx), or every library's (.zip)

    Write the workbook a library answers the input round in: its facts and, for every category
    and weighted requirement, an importance from 0 (not needed) to 4 (essential) with a comment,
    and proposed new requirements. With --all, every participating library's workbook in one
    zip. Each library is recorded as sent.
    """
    from store import libraries
    from tender_files import input_workbook

    out = Path(args.out)
    with _database(args) as con:
        if args.all:
            data = input_workbook.make_all_templates(con, actor=args.actor)
            count = libraries.library_counts(con).libraries
        else:
            data = input_workbook.make_template(con, args.library, actor=args.actor)
            count = 1
    out.write_bytes(data)
    document = {"file": str(out), "library": args.library, "libraries": count}
    what = f"{count} libraries" if args.all else args.library
    return _report(args, document, f"Wrote {out} for {what}, recorded as sent.")


def cmd_input_import(args: argparse.Namespace) -> int:
    """store libraries' filled-in input workbooks

    Check each workbook and store it as that library's newest answer, or refuse it whole: each
    problem on stderr with sheet, row and column, nothing changed for that file. Every file is
    tried; the exit status is 1 if any was refused. A library may answer again: the newer
    answer counts and both are kept.
    """
    from store.problems import LibraryInputRefused
    from tender_files import input_workbook

    results: list[dict[str, Any]] = []
    refused = 0
    with _database(args) as con:
        for name in args.files:
            path = Path(name)
            data = read_workbook(path)
            if data is None:
                refused += 1
                results.append({"file": str(path), "accepted": False, "problems": []})
                continue
            try:
                result = input_workbook.import_input_file(
                    con, data, actor=args.actor, file_name=path.name, library=args.library
                )
            except LibraryInputRefused as error:
                refused += 1
                for problem in error.problems:
                    print(f"{path.name}: {problem.line(args.lang)}", file=sys.stderr)
                print(f"error: {error.translated(args.lang)}", file=sys.stderr)
                problems = [p.as_dict() for p in error.problems]
                results.append({"file": str(path), "accepted": False, "problems": problems})
                continue
            results.append({"file": str(path), "accepted": True, **result.as_dict()})
    if args.json:
        _print_json({"imported": len(results) - refused, "refused": refused, "files": results})
    elif not args.quiet:
        for r in results:
            if r["accepted"]:
                print(
                    f"Imported {Path(r['file']).name} for {r['library']}: answer "
                    f"{r['answer_number']}, {r['priorities']} priorities, "
                    f"{r['proposals']} proposals."
                )
    return 1 if refused else 0


def cmd_input_status(args: argparse.Namespace) -> int:
    """who has answered the input round

    Every participating library with its status (not_sent, sent, answered), when it was last
    sent, when it answered and how many answers it has given; then the libraries not yet heard
    from, by region.
    """
    from store import library_input

    with _database(args) as con:
        status = library_input.input_status(con)
        waiting = library_input.not_heard_from(con)
    rows = [
        {
            "library": r["library_id"],
            "name": r["name"],
            "region": r["region"],
            "status": r["status"],
            "sent_at": _when(r["sent_at"]),
            "answered_at": _when(r["answered_at"]),
            "answers": int(r["answers"]),
        }
        for r in status.to_dict("records")
    ]
    counts = status["status"].value_counts().to_dict()
    document = {
        "libraries": rows,
        "counts": {s: int(counts.get(s, 0)) for s in ("not_sent", "sent", "answered")},
        "not_heard_from": waiting,
    }
    lines = [f"{r['library']}: {r['status']} {r['answered_at'] or r['sent_at'] or ''}".rstrip()
             for r in rows]  # fmt: skip
    lines += [f"Not heard from in {region}: {', '.join(ids)}" for region, ids in waiting.items()]
    return _report(args, document, "\n".join(lines))


def _missing(value: Any) -> bool:
    import pandas as pd

    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _when(value: Any) -> str | None:
    import pandas as pd

    if _missing(value):
        return None
    return pd.Timestamp(value).isoformat(sep=" ", timespec="seconds")


def cmd_input_mark_sent(args: argparse.Namespace) -> int:
    """record that libraries were sent the input workbook by other means"""
    from store import library_input

    with _database(args) as con:
        count = library_input.mark_sent(con, args.libraries, actor=args.actor)
    return _report(args, {"marked": args.libraries}, f"Marked {count} libraries as sent.")


def cmd_input_results(args: argparse.Namespace) -> int:
    """what the libraries said

    Per category and weighted requirement, how many libraries gave each importance (0–4) and
    the mean, overall and per library group (--by kind, sami_area, size_class or region), and
    the items on which the groups disagree most (the spread between the highest and lowest
    group mean).
    """
    from analysis import library_input as analysis

    with _database(args) as con:
        said = analysis.said(con, args.by)
    document = {
        "answered": said.answered,
        "libraries": said.libraries,
        "by": args.by,
        "overall": said.overall.to_dict("records"),
        "by_group": said.by_group.to_dict("records"),
        "disagreement": said.disagreement.to_dict("records"),
    }
    top = said.disagreement.head(10)
    lines = [f"{said.answered} of {said.libraries} libraries have answered."]
    lines += [
        f"{r['item_id']}: {r['spread']:.2f} ({r['high_group']} {r['high_mean']:.2f}, "
        f"{r['low_group']} {r['low_mean']:.2f})"
        for r in top.to_dict("records")
    ]
    return _report(args, document, "\n".join(lines))


def cmd_input_proposals(args: argparse.Namespace) -> int:
    """the proposed new requirements and the decisions on them"""
    from store import library_input

    with _database(args) as con:
        table = library_input.proposals(con)
    rows = [
        {k: None if _missing(v) else v for k, v in r.items()}
        | {"id": int(r["id"]), "answer_number": int(r["answer_number"])}
        | {"decided_at": _when(r["decided_at"])}
        for r in table.to_dict("records")
    ]
    lines = [f"{r['id']} [{r['status']}] {r['library_id']} {r['category_id']}: {r['text']}"
             for r in rows]  # fmt: skip
    return _report(args, {"proposals": rows}, "\n".join(lines) or "No proposals.")


def cmd_input_decline(args: argparse.Namespace) -> int:
    """decline a proposed requirement, with a reason"""
    from store import library_input

    with _database(args) as con:
        library_input.decline_proposal(con, args.proposal, reason=args.reason, actor=args.actor)
    document = {"proposal": args.proposal, "status": "declined", "reason": args.reason}
    return _report(args, document, f"Declined proposal {args.proposal}.")


def cmd_input_accept(args: argparse.Namespace) -> int:
    """accept a proposed requirement into the catalogue

    Add the proposal to the catalogue as a new requirement, through the catalogue's own checks
    and, after the freeze, with --reason; the decision and the requirement are logged.
    """
    from store import library_input

    requirement = {
        "id": args.id, "category_id": args.category, "kind": args.kind,
        "text_nb": args.text_nb, "text_en": args.text_en, "weight": args.weight,
    }  # fmt: skip
    with _database(args) as con:
        rid = library_input.accept_proposal(
            con, args.proposal, requirement, actor=args.actor, reason=args.reason
        )
    document = {"proposal": args.proposal, "status": "accepted", "requirement": rid}
    return _report(args, document, f"Accepted proposal {args.proposal} as {rid}.")


def add_commands(
    sub: Any, common: argparse.ArgumentParser, actor: argparse.ArgumentParser, languages: Any
) -> None:
    """The input round's commands, under ``sub``."""
    group = _group(sub, "input", "the libraries' input round")
    template = command(group, "template", cmd_input_template, parents=[common, actor])
    which = template.add_mutually_exclusive_group(required=True)
    which.add_argument("--library", metavar="ID", help="the library's id")
    which.add_argument("--all", action="store_true", help="every library's, in one zip")
    template.add_argument("out", metavar="OUT", help="the file to write (.xlsx, or .zip)")

    imp = command(
        group, "import", cmd_input_import, parents=[common, actor, language_option(languages)]
    )
    imp.add_argument("files", nargs="+", metavar="FILE.xlsx", help="the libraries' workbooks")
    imp.add_argument("--library", metavar="ID", help="refuse a workbook made for another library")

    command(group, "status", cmd_input_status, parents=[common])
    marked = command(group, "mark-sent", cmd_input_mark_sent, parents=[common, actor])
    marked.add_argument("libraries", nargs="+", metavar="ID", help="the libraries' ids")

    results = command(group, "results", cmd_input_results, parents=[common])
    results.add_argument(
        "--by", choices=("kind", "sami_area", "size_class", "region"), default="kind",
        help="the library groups to compare (default: kind)",
    )  # fmt: skip
    command(group, "proposals", cmd_input_proposals, parents=[common])
    decline = command(group, "decline", cmd_input_decline, parents=[common, actor])
    decline.add_argument("proposal", type=int, metavar="N", help="the proposal's number")
    decline.add_argument("--reason", required=True, help="why (kept and logged)")
    accept = command(group, "accept", cmd_input_accept, parents=[common, actor])
    accept.add_argument("proposal", type=int, metavar="N", help="the proposal's number")
    accept.add_argument("--id", required=True, help="the new requirement's id")
    accept.add_argument("--category", required=True, help="its category's id")
    accept.add_argument("--kind", choices=("M", "W", "I"), default="W", help="default: W")
    accept.add_argument("--text-nb", required=True, help="its text in Norwegian Bokmål")
    accept.add_argument("--text-en", required=True, help="its text in English")
    accept.add_argument("--weight", type=float, default=1.0, help="within its category")
    accept.add_argument("--reason", default="", help="needed after the freeze (logged)")
