"""The command line's evaluation commands: an evaluator's offline scoring workbook out and
back in, submitting, and agreed scores and assessments taken from the evaluators' own where
they already agree. The same store functions as the Evaluering page; ``cli.build_parser``
adds them."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from cli_catalogue import stored_workbook
from cli_tender import _database, _group, _report, command, language_option


def cmd_scores_template(args: argparse.Namespace) -> int:
    """write an evaluator's scoring workbook (.xlsx)

    Write the workbook an evaluator scores in offline: every weighted requirement of every offer
    (score 0–10 and reason) and every mandatory requirement (met, not_met or material_deviation,
    and reason), filled in with what the evaluator has saved. Only after the offers are opened,
    and only for an evaluator who may score.
    """
    from store import offline_scores
    from tender_files.score_workbook import score_workbook_bytes

    with _database(args) as con:
        data = offline_scores.template_data(con, args.evaluator)
    out = Path(args.out)
    out.write_bytes(score_workbook_bytes(data))
    offers = len(data.offers)
    kinds = data.requirements["kind"]
    document = {
        "file": str(out),
        "evaluator": args.evaluator,
        "offers": offers,
        "scores": offers * int((kinds == "W").sum()),
        "assessments": offers * int((kinds == "M").sum()),
        "saved_scores": len(data.scores),
        "saved_assessments": len(data.assessments),
    }
    return _report(
        args,
        document,
        f"Wrote {out} for {args.evaluator}: {document['scores']} scores and "
        f"{document['assessments']} assessments over {offers} offers "
        f"({document['saved_scores']} and {document['saved_assessments']} filled in from "
        "what is saved).",
    )


def cmd_scores_import(args: argparse.Namespace) -> int:
    """save an evaluator's filled-in scoring workbook

    Check an evaluator's scoring workbook and, if nothing is wrong, save the scores and
    assessments changed in it. A file with any problem is refused whole: each problem on stderr
    with sheet, row and column, exit status 1, nothing changed. An empty cell deletes nothing.
    Does not submit.
    """
    from store import offline_scores
    from tender_files.score_workbook import read_score_workbook

    def store(con: Any, data: bytes, name: str) -> offline_scores.ImportResult:
        parsed = read_score_workbook(
            data, evaluator=args.evaluator, facts=offline_scores.tender_facts(con)
        )
        return offline_scores.import_entries(
            con,
            evaluator=args.evaluator,
            scores=parsed.scores,
            assessments=parsed.assessments,
            actor=args.actor or args.evaluator,
            file_name=name,
            sha256=parsed.sha256,
            found=parsed.problems,
        )

    result = stored_workbook(args, offline_scores.OfflineScoresRefused, store)
    if result is None:
        return 1
    path = Path(args.file)
    document = {"accepted": True, "file": str(path), **result.as_dict()}
    return _report(
        args,
        document,
        f"Imported {path.name} for {args.evaluator}: {result.scores_written} scores and "
        f"{result.assessments_written} assessments saved, {result.unchanged} unchanged, "
        f"{result.kept} kept as saved in bibvalg, {result.empty} still empty.",
    )


def cmd_submit(args: argparse.Namespace) -> int:
    """submit an evaluator's scores and assessments

    Submit an evaluator's scores and assessments: visible to all and locked from then on.
    Refused until every one is done, with a reason.
    """
    from store import evaluation

    with _database(args) as con:
        evaluation.submit(con, evaluator=args.evaluator, actor=args.actor or args.evaluator)
        done = evaluation.progress_of(con, args.evaluator)
    document = {
        "evaluator": args.evaluator,
        "submitted": done.submitted,
        "scores": done.scores_done,
        "assessments": done.assessments_done,
    }
    return _report(
        args,
        document,
        f"Submitted {args.evaluator}: {done.scores_done} scores and {done.assessments_done} "
        "assessments, now visible to all and locked.",
    )


def cmd_accept_median(args: argparse.Namespace) -> int:
    """agree where the evaluators already agree

    Where an offer and weighted requirement has no agreed score yet and at least two submitted
    scores lie within R points of each other (highest − lowest), set the agreed score to their
    median; where an offer and mandatory requirement has no agreed assessment yet and at least
    two evaluators submitted the same one, met or not met, set it as the agreed assessment. Each
    with the reason. Everything else, a material deviation too, is left for the meeting.
    """
    from store import evaluation

    with _database(args) as con:
        result = evaluation.accept_medians(
            con, max_range=args.max_range, reason=args.reason, actor=args.actor
        )
    document: dict[str, Any] = {"max_range": args.max_range, **result.as_dict()}
    return _report(
        args,
        document,
        f"Set {len(result.accepted)} agreed scores to the evaluators' median; "
        f"{result.remaining} remain for the meeting ({result.too_wide} spread wider than "
        f"{args.max_range:g} points, {result.too_few} with fewer than two submitted scores).\n"
        f"Set {len(result.outcomes)} agreed assessments where every evaluator gave the same; "
        f"{result.outcomes_remaining} remain for the meeting ({result.outcomes_split} "
        f"assessed differently, {result.outcomes_too_few} with fewer than two submitted "
        f"assessments, {result.outcomes_rejecting} material deviations).",
    )


def _points(text: str) -> float:
    try:
        return float(text.replace(",", "."))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"a number of points, not {text!r}") from exc


def add_commands(
    sub: Any, common: argparse.ArgumentParser, actor: argparse.ArgumentParser, languages: Any
) -> None:
    """The evaluation commands, under ``sub``."""
    evaluator = argparse.ArgumentParser(add_help=False)
    evaluator.add_argument("--evaluator", required=True, metavar="ID", help="the evaluator's id")
    evaluator.add_argument(
        "--actor", default=None, help="name written to the audit log (default: the evaluator)"
    )
    scores = _group(sub, "scores", "an evaluator's offline scoring workbook")
    template = command(scores, "template", cmd_scores_template, parents=[common, evaluator])
    template.add_argument("out", metavar="OUT.xlsx", help="the file to write")

    imp = command(
        scores, "import", cmd_scores_import, parents=[common, evaluator, language_option(languages)]
    )
    imp.add_argument("file", metavar="FILE.xlsx", help="the evaluator's workbook")

    command(sub, "submit", cmd_submit, parents=[common, evaluator])

    consensus = _group(sub, "consensus", "the agreed scores")
    median = command(consensus, "accept-median", cmd_accept_median, parents=[common, actor])
    median.add_argument(
        "--max-range", required=True, type=_points, metavar="R", help="points, 0 to 10"
    )
    median.add_argument("--reason", required=True, help="the agreed scores' reason (logged)")
