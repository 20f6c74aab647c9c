"""A large made-up tender in a database file, for timing the pages at scale.

The demo procurement grown to ``offers`` offers × ``requirements`` requirements ×
``evaluators`` evaluators: the vendors, offers and evaluators are added through the store
(logged, as a real tender's are); the catalogue's extra requirements, the answers, prices,
scores, assessments and agreed scores are bulk rows, random but seeded. Every evaluator has
scored everything; all but the first have submitted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from store import evaluators, offers
from store.db import connect, open_database, transaction

ACTOR = "bench"


@dataclass(frozen=True)
class TenderSize:
    """How many offers, requirements (mandatory or weighted) and evaluators."""

    offers: int
    requirements: int
    evaluators: int

    def describe(self) -> str:
        return (
            f"{self.offers} offers × {self.requirements} requirements × "
            f"{self.evaluators} evaluators"
        )


LARGE = TenderSize(offers=20, requirements=600, evaluators=8)
TINY = TenderSize(offers=7, requirements=80, evaluators=6)


def _grid(*columns: list[str]) -> pd.DataFrame:
    """Every combination of the values, one column per list, as ``c0``, ``c1``, …"""
    index = pd.MultiIndex.from_product(columns)
    return index.to_frame(index=False, name=[f"c{i}" for i in range(len(columns))])


def build_large_tender(path: Path, size: TenderSize = LARGE, seed: int = 15) -> None:
    """Write the demo grown to ``size`` into a new database file at ``path``."""
    rng = np.random.default_rng(seed)
    open_database(path).close()  # the demo, through its own loader
    con = connect(path)
    try:
        with transaction(con):
            _grow(con, size, rng)
    finally:
        con.close()


def _grow(con, size: TenderSize, rng: np.random.Generator) -> None:  # type: ignore[no-untyped-def]
    existing = con.execute("SELECT id FROM requirement ORDER BY sort_order").fetchall()
    categories = [r[0] for r in con.execute("SELECT id FROM category ORDER BY id").fetchall()]
    extra = size.requirements - len(existing)
    start = len(existing)
    new_requirements = pd.DataFrame(
        {
            "id": [f"GEN-{i:04d}" for i in range(extra)],
            "category_id": [categories[i % len(categories)] for i in range(extra)],
            "kind": ["M" if i % 3 == 0 else "W" for i in range(extra)],
            "text_nb": [f"Generert krav nummer {i} for måling av hastighet." for i in range(extra)],
            "text_en": [f"Generated requirement number {i} for timing." for i in range(extra)],
            "weight": [0.0 if i % 3 == 0 else float(rng.integers(1, 6)) for i in range(extra)],
            "retired": [False] * extra,
            "sort_order": list(range(start, start + extra)),
        }
    )
    _append(con, "requirement", new_requirements)

    have = [r[0] for r in con.execute("SELECT id FROM offer ORDER BY id").fetchall()]
    for i in range(size.offers - len(have)):
        vendor = f"bench-vendor-{i:02d}"
        offers.write_vendor(con, vendor, name=f"Målefirma {i:02d} AS", actor=ACTOR)
        offers.write_offer(con, f"{vendor}-1", vendor=vendor, product=f"Bibsys {i}", actor=ACTOR)
    offer_ids = [r[0] for r in con.execute("SELECT id FROM offer ORDER BY id").fetchall()]

    people = [r[0] for r in con.execute("SELECT id FROM evaluator ORDER BY id").fetchall()]
    for i in range(size.evaluators - len(people)):
        evaluator = f"bench-ev{i}"
        evaluators.write_evaluator(con, evaluator, name=f"Målar {i}", actor=ACTOR)
        evaluators.write_declaration(
            con, evaluators.Declaration(evaluator, date(2026, 1, 5), True), actor=ACTOR
        )
    people = [r[0] for r in con.execute("SELECT id FROM evaluator ORDER BY id").fetchall()]

    kinds = dict(con.execute("SELECT id, kind FROM requirement").fetchall())
    weighted = sorted(r for r, k in kinds.items() if k == "W")
    mandatory = sorted(r for r, k in kinds.items() if k == "M")
    lines = [r[0] for r in con.execute("SELECT id FROM price_line").fetchall()]

    answers = _grid(offer_ids, sorted(kinds))
    answers = pd.DataFrame(
        {
            "offer_id": answers["c0"],
            "round": 1,
            "requirement_id": answers["c1"],
            "answer": rng.integers(1, 4, size=len(answers)),
            "comment": "Standard funksjonalitet.",
            "evidence": "",
            "roadmap_date": pd.NaT,
            "file_sha256": "0" * 64,
            "imported_at": pd.Timestamp("2026-02-01"),
        }
    )
    prices = _grid(offer_ids, lines)
    prices = pd.DataFrame(
        {
            "offer_id": prices["c0"],
            "round": 1,
            "line_id": prices["c1"],
            "amount_nok": rng.integers(50, 2000, size=len(prices)) * 1000.0,
            "file_sha256": "0" * 64,
            "imported_at": pd.Timestamp("2026-02-01"),
        }
    )
    quality = dict(zip(offer_ids, rng.uniform(3, 8, size=len(offer_ids)), strict=True))
    agreed = _grid(offer_ids, weighted)
    agreed_scores = np.clip(
        np.round(agreed["c0"].map(quality) + rng.normal(0, 1.5, len(agreed))), 0, 10
    )
    consensus = pd.DataFrame(
        {
            "offer_id": agreed["c0"],
            "requirement_id": agreed["c1"],
            "score": agreed_scores,
            "reason": "Samlet vurdering.",
            "updated_at": pd.Timestamp("2026-03-01"),
        }
    )
    own = _grid(people, offer_ids, weighted)
    own_scores = np.clip(
        np.tile(agreed_scores.to_numpy(), len(people)) + rng.integers(-2, 3, len(own)), 0, 10
    )
    scores = pd.DataFrame(
        {
            "evaluator_id": own["c0"],
            "offer_id": own["c1"],
            "requirement_id": own["c2"],
            "score": own_scores.astype(float),
            "reason": "Vurdert.",
            "updated_at": pd.Timestamp("2026-02-15"),
        }
    )
    checked = _grid(offer_ids, mandatory)
    checks = pd.DataFrame(
        {
            "offer_id": checked["c0"],
            "requirement_id": checked["c1"],
            "outcome": "met",
            "reason": "Oppfylt.",
        }
    )
    assessed = _grid(people, offer_ids, mandatory)
    assessments = pd.DataFrame(
        {
            "evaluator_id": assessed["c0"],
            "offer_id": assessed["c1"],
            "requirement_id": assessed["c2"],
            "outcome": "met",
            "reason": "Oppfylt.",
            "updated_at": pd.Timestamp("2026-02-15"),
        }
    )
    for table, rows in (
        ("response", answers),
        ("offer_price", prices),
        ("consensus", consensus),
        ("score", scores),
        ("mandatory_check", checks),
        ("mandatory_assessment", assessments),
    ):
        con.execute(f"DELETE FROM {table}")
        _append(con, table, rows)
    con.execute("DELETE FROM evaluator_submission")
    con.executemany(
        "INSERT INTO evaluator_submission (evaluator_id, submitted_by) VALUES (?, ?)",
        [(e, ACTOR) for e in people if e != "bench-ev0"],
    )


def _append(con, table: str, rows: pd.DataFrame) -> None:  # type: ignore[no-untyped-def]
    con.register("bench_rows", rows)
    try:
        con.execute(f"INSERT INTO {table} SELECT * FROM bench_rows")
    finally:
        con.unregister("bench_rows")
