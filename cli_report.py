"""The command line's report for the steering group: ``export-report OUT.pdf``, the same
PDF the overview offers. ``cli.build_parser`` adds it."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from cli_progress import for_command
from cli_tender import command, language_option

# What the progress line says during each step of ``steering_report.make``.
STEPS = {
    "gather": ("ranking, SMAA, groups", 0.05),
    "charts": ("drawing charts", 0.4),
    "pdf": ("typesetting", 0.9),
}


def cmd_export_report(args: argparse.Namespace) -> int:
    """write the steering group's report (PDF)

    Write the steering group's report as one PDF (PDF/UA-1): the tender and its stage, the
    ranking, the mandatory screening, the price models, the methods, weight stability, SMAA
    (10,000 samples, seed 1), the library groups, the evaluators' disagreement, the model's
    fingerprint and its changes in the log. Charts are drawn with the system's Chromium; without
    it the report holds their tables only.
    """
    from store.db import open_database
    from tender_files import chart_images, steering_report

    out = Path(args.out)
    started = time.monotonic()
    con = open_database(Path(args.db))
    try:
        with for_command(args, "report") as progress:
            made = steering_report.make(
                con, args.lang, progress=lambda step: progress.step(*STEPS[step])
            )
    finally:
        con.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(made)
    charts = chart_images.available()
    summary = {
        "file": str(out),
        "bytes": len(made),
        "language": args.lang,
        "samples": steering_report.REPORT_SAMPLES,
        "seed": steering_report.REPORT_SEED,
        "charts": charts,
        "seconds": round(time.monotonic() - started, 1),
    }
    if args.json:
        json.dump(summary, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif not args.quiet:
        note = "" if charts else f" (no charts: {chart_images.CHROMIUM} is not installed)"
        print(f"Wrote {out}: {len(made):,} bytes in {summary['seconds']} s{note}.")
    return 0


def add_commands(sub: Any, common: argparse.ArgumentParser, languages: Any) -> None:
    """The report's command, under ``sub``."""
    parser = command(
        sub, "export-report", cmd_export_report, parents=[common, language_option(languages)]
    )
    parser.add_argument("out", metavar="OUT.pdf", help="the PDF file to write")
