"""What the overview counts."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb


@dataclass(frozen=True)
class Counts:
    """What the overview counts."""

    requirements: int
    mandatory: int
    weighted: int
    offers: int
    evaluators: int
    libraries: int


def counts(con: duckdb.DuckDBPyConnection) -> Counts:
    """Numbers of requirements (by kind), offers, evaluators and libraries."""
    row = con.execute(
        "SELECT"
        " (SELECT count(*) FROM requirement WHERE NOT retired),"
        " (SELECT count(*) FROM requirement WHERE NOT retired AND kind = 'M'),"
        " (SELECT count(*) FROM requirement WHERE NOT retired AND kind = 'W'),"
        " (SELECT count(*) FROM offer),"
        " (SELECT count(*) FROM evaluator),"
        " (SELECT count(*) FROM library)"
    ).fetchone()
    assert row is not None
    return Counts(*(int(v) for v in row))
