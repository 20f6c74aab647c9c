"""A second process that holds a database file, as the app holds it while it runs."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_HOLD = """
import sys, duckdb
con = duckdb.connect(sys.argv[1])
print("holding", flush=True)
sys.stdin.read()
con.close()
"""


@contextmanager
def held_by_another_process(path: Path) -> Iterator[None]:
    """Keep ``path`` open in another process (DuckDB's file lock) until the block ends."""
    process = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.strip() == "holding", f"the holding process did not start: {line!r}"
        yield
    finally:
        if process.stdin is not None:
            process.stdin.close()
        process.wait(timeout=30)
