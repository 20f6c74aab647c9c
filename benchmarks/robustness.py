"""Benchmarks of the robustness analyses, run by ``python cli.py bench [--json] [--tiny]``.

Figures (the keys of the JSON document):

- ``smaa_speedup_vs_skcriteria``: SMAA-2 over 20,000 weight samples on 10 offers × 300
  criteria with the batch engine, against running scikit-criteria's weighted-sum pipeline
  one sample at a time (a few hundred samples timed, scaled to all of them);
- ``smaa_vs_numpy_floor``: the batch engine's time over the bare numpy floor, one matrix
  product and one argsort over the same arrays, timed in the same run;
- ``rerun_ms`` and ``rerun_vs_title_page``: the median AppTest rerun of the weights page
  after a weight change on the demo data, and its ratio to the rerun of a page showing
  only a title; ``rerun_breakdown_ms`` says where the time goes (this part alone:
  ``python -m benchmarks.robustness [--tiny]``);
- ``scale_growth``: the time to rank 50 offers × 2,000 requirements × 10 evaluators
  (from the evaluators' scores to rank acceptabilities with score draws) over the time
  for half as many requirements;
- ``cli_help_vs_bare_python``: the wall time of ``python cli.py --help`` over that of
  ``python -c pass``, the best of several fresh processes each (aim: at most 10);
- ``pages``: every page's first visit and rerun in AppTest, over a title-only page, on the
  demo and on a large generated tender (``benchmarks.pages``; with ``--tiny``, two pages on
  the demo).

Engine and floor are timed as the best of several runs, interleaved, with numpy's BLAS
held to one thread: on a small shared machine a second BLAS thread mostly waits for a
core, which makes timings of small matrix products erratic for both.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scoring.methods import Problem, skcriteria_pipeline
from scoring.procurement import CriterionTree, ProcurementInputs, Weights
from scoring.smaa import (
    DecisionModel,
    WeightSampling,
    acceptability_from_nodes,
    confidence_factors,
    sample_nodes,
    smaa,
)

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Sizes:
    """How big each benchmark is."""

    samples: int = 20_000
    offers: int = 10
    criteria: int = 300
    skcriteria_samples: int = 300
    repeats: int = 7
    reruns: int = 15
    scale_offers: int = 50
    scale_requirements: int = 2_000
    scale_evaluators: int = 10
    scale_samples: int = 200


FULL = Sizes()
TINY = Sizes(
    samples=2_000,
    offers=5,
    criteria=30,
    skcriteria_samples=10,
    repeats=2,
    reruns=2,
    scale_offers=5,
    scale_requirements=100,
    scale_evaluators=3,
    scale_samples=20,
)


def best_of(run: Callable[[], object], repeats: int) -> float:
    """The fastest of several runs, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


@contextmanager
def _one_blas_thread() -> Iterator[None]:
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        yield
        return
    with threadpool_limits(limits=1, user_api="blas"):
        yield


# --- SMAA: the batch engine against scikit-criteria and the numpy floor ------------------


def bench_smaa(sizes: Sizes) -> dict[str, Any]:
    """Speed-up over scikit-criteria one sample at a time, and distance from the floor."""
    import skcriteria as skc

    rng = np.random.default_rng(20240901)
    n, m, size = sizes.offers, sizes.criteria, sizes.samples
    matrix = rng.uniform(0.0, 10.0, size=(n, m))
    problem = Problem(
        tuple(f"offer-{i}" for i in range(n)),
        tuple(f"req-{j}" for j in range(m)),
        matrix,
        np.ones(m),
        ("max",) * m,
    )
    model = DecisionModel.from_problem(problem, "wsm")

    draw_start = time.perf_counter()
    nodes = sample_nodes(model, WeightSampling.parse("uniform"), size, np.random.default_rng(1))
    draw_seconds = time.perf_counter() - draw_start
    model.scorer  # noqa: B018 - prepare the matrix once, as smaa() does, before timing

    def engine() -> None:
        _, central = acceptability_from_nodes(model, nodes)
        confidence_factors(model, central, size, np.random.default_rng(2))

    transposed = np.ascontiguousarray(matrix.T)

    def floor() -> None:
        np.argsort(nodes @ transposed, axis=1)

    engine_times, floor_times = [], []
    for _ in range(sizes.repeats):  # interleaved: both see the same machine
        engine_times.append(best_of(engine, 1))
        floor_times.append(best_of(floor, 1))
    engine_seconds, floor_seconds = min(engine_times), min(floor_times)

    # Where the engine's time goes, on the same arrays.
    scores_seconds = best_of(lambda: model.scores(nodes), sizes.repeats)

    # scikit-criteria, one sample at a time, on the first samples.
    pipeline = skcriteria_pipeline("wsm")
    checked = nodes[: sizes.skcriteria_samples]
    theirs_scores, theirs_ranks = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        for weights in checked:
            dm = skc.mkdm(matrix=matrix, objectives=[max] * m, weights=weights)
            result = pipeline.evaluate(dm)
            theirs_scores.append(result.e_.score)
            theirs_ranks.append(result.rank_)
        loop_seconds = time.perf_counter() - start
    per_sample = loop_seconds / len(checked)
    from scoring.batch import dense_ranks

    ours = model.scores(checked)
    difference = float(np.abs(ours - np.array(theirs_scores)).max())
    ranks_equal = bool((dense_ranks(ours) == np.array(theirs_ranks)).all())
    return {
        "smaa_speedup_vs_skcriteria": per_sample * size / engine_seconds,
        "smaa_vs_numpy_floor": engine_seconds / floor_seconds,
        "smaa": {
            "samples": size,
            "offers": n,
            "criteria": m,
            "engine_ms": 1e3 * engine_seconds,
            "numpy_floor_ms": 1e3 * floor_seconds,
            "engine_split_ms": {
                "scores (one matrix product)": 1e3 * scores_seconds,
                "ranks, counts and central weights": 1e3 * max(engine_seconds - scores_seconds, 0),
            },
            "drawing_weights_ms": 1e3 * draw_seconds,
            "skcriteria_ms_per_sample": 1e3 * per_sample,
            "skcriteria_samples_timed": len(checked),
            "skcriteria_estimated_s": per_sample * size,
            "checked_samples": len(checked),
            "max_score_difference": difference,
            "ranks_equal": ranks_equal,
        },
    }


# --- growth with the number of requirements ----------------------------------------------


def synthetic_procurement(
    offers: int, requirements: int, evaluators: int, seed: int = 7
) -> tuple[ProcurementInputs, Weights, pd.DataFrame]:
    """A made-up procurement: ten quality categories, climate, price; random scores."""
    rng = np.random.default_rng(seed)
    categories = [f"Q{k}" for k in range(10)] + ["ENV"]
    req_ids = [f"R{j:05d}" for j in range(requirements)]
    tree = CriterionTree(
        criteria=pd.DataFrame({"id": ["quality", "price", "environment"]}),
        categories=pd.DataFrame(
            {"id": categories, "criterion_id": ["quality"] * 10 + ["environment"]}
        ),
        requirements=pd.DataFrame(
            {
                "id": req_ids,
                "category_id": [categories[j % len(categories)] for j in range(requirements)],
                "kind": ["W"] * requirements,
                "weight": rng.integers(1, 6, size=requirements).astype(float),
            }
        ),
    )
    offer_ids = [f"offer-{i:02d}" for i in range(offers)]
    quality = rng.uniform(3.0, 8.0, size=offers)  # some offers are better throughout
    center = np.clip(np.round(quality[:, None] + rng.normal(0, 1.5, (offers, requirements))), 0, 10)
    noise = rng.integers(-2, 3, size=(evaluators, offers, requirements))
    own = np.clip(center[None, :, :] + noise, 0, 10)
    e_idx, o_idx, r_idx = np.indices(own.shape).reshape(3, -1)
    scores = pd.DataFrame(
        {
            "evaluator_id": np.array([f"ev{e}" for e in range(evaluators)])[e_idx],
            "offer_id": np.array(offer_ids)[o_idx],
            "requirement_id": np.array(req_ids)[r_idx],
            "score": own.reshape(-1),
        }
    )
    o2, r2 = np.indices(center.shape).reshape(2, -1)
    inputs = ProcurementInputs(
        tree=tree,
        offers=pd.DataFrame({"id": offer_ids, "vendor_name": offer_ids, "product": ["p"] * offers}),
        consensus=pd.DataFrame(
            {
                "offer_id": np.array(offer_ids)[o2],
                "requirement_id": np.array(req_ids)[r2],
                "score": center.reshape(-1),
            }
        ),
        checks=pd.DataFrame(columns=["offer_id", "requirement_id", "outcome", "reason"]),
        price_lines=pd.DataFrame(
            {
                "offer_id": offer_ids,
                "kind": ["one_time"] * offers,
                "amount_nok": rng.uniform(5e6, 9e6, size=offers),
                "is_option": [False] * offers,
            }
        ),
        contract_years=4,
    )
    weights = Weights(
        criteria={"quality": 40, "price": 30, "environment": 30},
        categories={c: 1.0 for c in categories},
    )
    return inputs, weights, scores


def bench_scale(sizes: Sizes) -> dict[str, Any]:
    """Ranking time with score draws at R and R/2 requirements: the growth should be linear."""
    runs: dict[int, Callable[[], None]] = {}
    for requirements in (sizes.scale_requirements // 2, sizes.scale_requirements):
        inputs, weights, scores = synthetic_procurement(
            sizes.scale_offers, requirements, sizes.scale_evaluators
        )

        def rank(
            inputs: ProcurementInputs = inputs,
            weights: Weights = weights,
            scores: pd.DataFrame = scores,
        ) -> None:
            model = DecisionModel.from_procurement(inputs, weights, evaluator_scores=scores)
            smaa(model, "dirichlet:50", samples=sizes.scale_samples, seed=1, score_sampling=True)

        runs[requirements] = rank
    timings = {r: float("inf") for r in runs}
    for _ in range(max(2, min(5, sizes.repeats))):  # interleaved: both see the same machine
        for requirements, run in runs.items():
            timings[requirements] = min(timings[requirements], best_of(run, 1))
    small, large = sorted(timings)
    return {
        "scale_growth": timings[large] / timings[small],
        "scale": {
            "offers": sizes.scale_offers,
            "evaluators": sizes.scale_evaluators,
            "samples": sizes.scale_samples,
            "what": "evaluators' scores (long table) -> decision model -> SMAA-2 with weight "
            "and score draws -> confidence factors",
            "ms": {str(r): 1e3 * t for r, t in sorted(timings.items())},
        },
    }


# --- the weights page in AppTest -----------------------------------------------------------


class _Timers:
    """Wall time spent inside patched functions, by category, outermost calls only."""

    def __init__(self) -> None:
        self.totals: dict[str, float] = {}
        self.local = threading.local()

    def wrap(self, category: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            depth = getattr(self.local, "depth", 0)
            self.local.depth = depth + 1
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.local.depth = depth
                if depth == 0:
                    spent = time.perf_counter() - start
                    self.totals[category] = self.totals.get(category, 0.0) + spent

        return timed


@contextmanager
def _instrumented(timers: _Timers) -> Iterator[None]:
    import streamlit

    import scoring.procurement
    import ui.charts
    import ui.data
    import ui.tables

    targets: list[tuple[object, str, str]] = [
        *[
            (ui.data, name, "data access")
            for name in (
                "inputs",
                "settings",
                "profile_names",
                "profile",
                "counts",
                "offers",
                "published",
                "prepared",
                "model_status",
            )
        ],
        *[
            (scoring.procurement, name, "scoring")
            for name in (
                "evaluate",
                "evaluate_prepared",
                "criterion_shares",
                "category_shares",
                "climate_rule_broken",
                "climate_share",
            )
        ],
        (ui.tables, "topsis_ranks", "scoring"),
        (ui.charts, "ranking_figure", "figures"),
        (ui.charts, "refill_ranking_figure", "figures"),
        (streamlit, "plotly_chart", "figures"),
        (streamlit, "dataframe", "tables"),
    ]
    originals = [(obj, name, getattr(obj, name)) for obj, name, _ in targets]
    try:
        for obj, name, category in targets:
            setattr(obj, name, timers.wrap(category, getattr(obj, name)))
        yield
    finally:
        for obj, name, original in originals:
            setattr(obj, name, original)


def bench_rerun(sizes: Sizes) -> dict[str, Any]:
    """Median rerun of the weights page after a weight change, against a title-only page."""
    from streamlit.testing.v1 import AppTest

    from store.db import DB_ENV_VAR, open_database
    from ui import state

    previous = os.environ.get(DB_ENV_VAR)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.duckdb"
        open_database(path).close()
        os.environ[DB_ENV_VAR] = str(path)
        try:
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
            at.session_state[state.LANGUAGE] = "nb"
            at.run()
            at.switch_page("pages/weights.py").run()
            slider = state.criterion_slider("price")
            for value in (35, 30):  # warm the caches
                at.slider(key=slider).set_value(value).run()
            timers = _Timers()
            reruns, splits = [], []
            with _instrumented(timers):
                for i in range(sizes.reruns):
                    at.slider(key=slider).set_value(25 + 10 * (i % 2))
                    timers.totals = {}
                    start = time.perf_counter()
                    at.run()
                    reruns.append(time.perf_counter() - start)
                    splits.append(dict(timers.totals))
            if at.exception:
                raise RuntimeError(f"the weights page failed: {at.exception[0].value}")

            title = AppTest.from_string("import streamlit as st\nst.title('Vekter')\n")
            title.run()
            titles = []
            for _ in range(sizes.reruns):
                start = time.perf_counter()
                title.run()
                titles.append(time.perf_counter() - start)
        finally:
            if previous is None:
                os.environ.pop(DB_ENV_VAR, None)
            else:
                os.environ[DB_ENV_VAR] = previous

    median = statistics.median(reruns)
    categories = ["data access", "scoring", "figures", "tables"]
    breakdown = {c: 1e3 * statistics.median(s.get(c, 0.0) for s in splits) for c in categories}
    breakdown["Streamlit and the rest"] = max(1e3 * median - sum(breakdown.values()), 0.0)
    return {
        "rerun_ms": 1e3 * median,
        "rerun_vs_title_page": median / statistics.median(titles),
        "rerun_breakdown_ms": breakdown,
        "title_page_rerun_ms": 1e3 * statistics.median(titles),
        "reruns": sizes.reruns,
    }


# --- start-up: `cli.py --help` against a bare interpreter -----------------------------------


def bench_startup(sizes: Sizes) -> dict[str, Any]:
    """Wall time of `python cli.py --help` over `python -c pass`, each the best of several
    runs in a fresh process: what the command line costs before any command runs."""
    import subprocess
    import sys

    def launch(*args: str) -> Callable[[], object]:
        def run() -> object:
            return subprocess.run(
                [sys.executable, *args], cwd=ROOT, capture_output=True, check=True
            )

        return run

    bare = best_of(launch("-c", "pass"), sizes.repeats)
    help_ = best_of(launch("cli.py", "--help"), sizes.repeats)
    return {
        "startup": {"bare_python_ms": 1000 * bare, "cli_help_ms": 1000 * help_},
        "cli_help_vs_bare_python": help_ / bare,
    }


# --- all of it ------------------------------------------------------------------------------


def run_benchmarks(
    *,
    tiny: bool = False,
    pages_only: bool = False,
    progress: Callable[[str], object] | None = None,
) -> dict[str, Any]:
    """Every benchmark (or the pages' alone); returns the figures."""
    from benchmarks.pages import bench_pages

    sizes = TINY if tiny else FULL
    say = progress or (lambda _message: None)
    figures: dict[str, Any] = {"sizes": "tiny" if tiny else "full", "blas_threads": 1}
    started = time.perf_counter()
    with _one_blas_thread():
        figures["pages"] = bench_pages(tiny=tiny, say=say)
        if pages_only:
            figures["total_s"] = time.perf_counter() - started
            return figures
        say("SMAA: batch engine, numpy floor, scikit-criteria one sample at a time …")
        figures.update(bench_smaa(sizes))
        say("Growth with the number of requirements …")
        figures.update(bench_scale(sizes))
        say("The weights page in AppTest …")
        figures.update(bench_rerun(sizes))
        say("Start-up of `cli.py --help` …")
        figures.update(bench_startup(sizes))
    figures["cpu_count"] = os.cpu_count()
    figures["total_s"] = time.perf_counter() - started
    return figures


def format_report(figures: dict[str, Any]) -> str:
    """The figures as lines to read."""
    from benchmarks.pages import format_pages

    if "smaa" not in figures:  # the pages alone
        return format_pages(figures["pages"]) + f"\n({figures['total_s']:.0f} s in all)"
    smaa_part, scale = figures["smaa"], figures["scale"]
    lines = [
        f"SMAA-2, {smaa_part['samples']:,} weight samples on {smaa_part['offers']} offers × "
        f"{smaa_part['criteria']} criteria:",
        f"  batch engine {smaa_part['engine_ms']:.1f} ms, numpy floor "
        f"{smaa_part['numpy_floor_ms']:.1f} ms  -> smaa_vs_numpy_floor "
        f"{figures['smaa_vs_numpy_floor']:.2f}",
        f"  scikit-criteria {smaa_part['skcriteria_ms_per_sample']:.2f} ms per sample "
        f"({smaa_part['skcriteria_samples_timed']} timed), "
        f"{smaa_part['skcriteria_estimated_s']:.0f} s for all  -> smaa_speedup_vs_skcriteria "
        f"{figures['smaa_speedup_vs_skcriteria']:,.0f}",
        f"  agreement on {smaa_part['checked_samples']} samples: ranks equal "
        f"{smaa_part['ranks_equal']}, largest score difference "
        f"{smaa_part['max_score_difference']:.1e}",
        "  engine time: "
        + ", ".join(f"{k} {v:.1f} ms" for k, v in smaa_part["engine_split_ms"].items())
        + f"; drawing the weights {smaa_part['drawing_weights_ms']:.1f} ms",
        f"Ranking {scale['offers']} offers × requirements × {scale['evaluators']} evaluators "
        f"with {scale['samples']} score draws: "
        + ", ".join(f"{r} requirements {ms:.0f} ms" for r, ms in scale["ms"].items())
        + f"  -> scale_growth {figures['scale_growth']:.2f}",
        f"Weights page rerun after a weight change: median {figures['rerun_ms']:.0f} ms over "
        f"{figures['reruns']} reruns; title-only page {figures['title_page_rerun_ms']:.1f} ms"
        f"  -> rerun_vs_title_page {figures['rerun_vs_title_page']:.1f}",
        "  where the time goes: "
        + ", ".join(f"{k} {v:.0f} ms" for k, v in figures["rerun_breakdown_ms"].items()),
        f"`python cli.py --help` {figures['startup']['cli_help_ms']:.0f} ms, bare "
        f"`python -c pass` {figures['startup']['bare_python_ms']:.0f} ms"
        f"  -> cli_help_vs_bare_python {figures['cli_help_vs_bare_python']:.1f}",
        format_pages(figures["pages"]),
        f"({figures['cpu_count']} cores, BLAS held to {figures['blas_threads']} thread; "
        f"{figures['total_s']:.0f} s in all)",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    # ``python -m benchmarks.robustness [--tiny]``: the weights page's rerun alone.
    import json
    import sys

    with _one_blas_thread():
        rerun = bench_rerun(TINY if "--tiny" in sys.argv else FULL)
    print(json.dumps(rerun, indent=2))
