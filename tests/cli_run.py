"""The command line run in this process (faster than a subprocess), as ``cli.main`` runs it."""

from __future__ import annotations

from cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """``cli.main(argv)``: its exit status, and what it printed on stdout and stderr."""
    status = main(list(argv))
    out = capsys.readouterr()
    return status, out.out, out.err
