"""What the Pris and Metoder pages compute, timed on the demo procurement.

Remove-one-bidder recomputes only the price column for each bidder taken out; this prints
its time against re-running the whole published model for every case, as a ratio, and the
time of every method side by side. Run: .venv/bin/python benchmarks/price_analysis.py
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.inputs import load_inputs, published_weights  # noqa: E402
from benchmarks.robustness import best_of  # noqa: E402
from scoring.methods import METHODS  # noqa: E402
from scoring.price import PRICE_MODELS  # noqa: E402
from scoring.price_comparison import compare_price_models, remove_one_bidder  # noqa: E402
from scoring.procurement import evaluate, method_ranks, with_price_model  # noqa: E402
from store.db import open_database  # noqa: E402

REPEATS = 5


def main() -> int:
    con = open_database(":memory:")
    inputs = load_inputs(con)
    weights = published_weights(con)
    con.close()

    def naive_removals() -> None:
        for model in PRICE_MODELS:
            full = evaluate(with_price_model(inputs, model), weights)
            for removed in full.matrix.index:
                lines = inputs.price_lines[inputs.price_lines["offer_id"] != removed]
                offers = inputs.offers[inputs.offers["id"] != removed]
                evaluate(
                    replace(with_price_model(inputs, model), price_lines=lines, offers=offers),
                    weights,
                )

    fast = best_of(lambda: remove_one_bidder(inputs, weights), REPEATS)
    naive = best_of(naive_removals, REPEATS)
    compare = best_of(lambda: compare_price_models(inputs, weights), REPEATS)
    evaluation = evaluate(inputs, weights)
    methods = best_of(lambda: method_ranks(evaluation, list(METHODS)), REPEATS)
    print(f"remove one bidder, every model: {fast * 1000:.0f} ms")
    print(f"  the same by re-running the whole model: {naive * 1000:.0f} ms")
    print(f"  ratio (whole model / price column only): {naive / fast:.1f}")
    print(f"every price model side by side: {compare * 1000:.0f} ms")
    print(f"every method side by side: {methods * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
