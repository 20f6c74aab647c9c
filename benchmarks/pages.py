"""Every page's server-side time in AppTest, first visit and rerun, as a ratio to a page
that shows only a title, timed in the same run. Part of ``python cli.py bench``; alone:
``python -m benchmarks.pages [--tiny] [--demo-only | --large-only] [--json]``.

- *First visit*: the page opened in a session whose cached reads, analyses and figures
  were just forgotten (``ui.data.clear_caches``), as after a write; the connection stays
  open.
- *Rerun*: the same page run again with nothing changed (the median of several), which is
  what every click on a widget elsewhere on the page costs at least.

AppTest compiles the app and the page anew on every run, which a server does once (it keeps
the bytecode); here the compiled scripts are kept too, so that the figures are what the
server spends.

Each page is timed on the demo procurement and on a large generated tender
(``benchmarks.large_tender``: 20 offers × 600 requirements × 8 evaluators). The goal: every
rerun at most 20 times the title-only page on the demo, at most 40 times on the large one.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

DEMO_GOAL = 20.0
LARGE_GOAL = 40.0


@dataclass(frozen=True)
class View:
    """One page (or one section of it) as AppTest opens it."""

    name: str
    page: str
    section: str | None = None


VIEWS = (
    View("Oversikt", "overview"),
    View("Krav", "requirements"),
    View("Vekter", "weights"),
    View("Leverandører", "vendors"),
    View("Språk", "languages"),
    View("Innspill", "library_input"),
    View("Bibliotek", "libraries"),
    View("Evaluering · Poenggiving", "evaluation", "scoring"),
    View("Evaluering · Konsensusmøte", "evaluation", "consensus"),
    View("Evaluering · Uenighet", "evaluation", "disagreement"),
    View("Evaluering · Modell og frys", "evaluation", "model"),
    View("Pris", "price"),
    View("Metoder", "methods"),
    View("Robusthet", "robustness"),
    View("Eksport", "export"),
    View("Logg", "log"),
    View("Oppsett", "setup"),
)


@contextmanager
def _database(path: Path) -> Iterator[None]:
    """The app's database is ``path`` while the block runs."""
    from store.db import DB_ENV_VAR

    previous = os.environ.get(DB_ENV_VAR)
    os.environ[DB_ENV_VAR] = str(path)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(DB_ENV_VAR, None)
        else:
            os.environ[DB_ENV_VAR] = previous


@contextmanager
def _server_like() -> Iterator[None]:
    """AppTest keeping each script's bytecode between runs, as the server does; Streamlit's
    notes about running outside a server silenced."""
    import logging

    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test

    shared = ScriptCache()
    loggers = [
        logging.getLogger(name)
        for name in ["streamlit", *logging.root.manager.loggerDict]
        if name.startswith("streamlit")
    ]
    levels = [logger.level for logger in loggers]
    original = app_test.ScriptCache
    app_test.ScriptCache = lambda: shared  # type: ignore[assignment,misc,method-assign]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        app_test.ScriptCache = original  # type: ignore[misc]
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def title_rerun(reruns: int) -> float:
    """The median rerun of a page showing only a title, in seconds."""
    from streamlit.testing.v1 import AppTest

    title = AppTest.from_string("import streamlit as st\nst.title('Vekter')\n", default_timeout=120)
    title.run()
    return statistics.median(_timed(title.run) for _ in range(max(reruns, 3)))


def time_view(view: View, reruns: int, evaluator: str | None) -> dict[str, float]:
    """First visit and median rerun of one view, in seconds."""
    from streamlit.testing.v1 import AppTest

    from ui import data, state

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.session_state[state.LANGUAGE] = "nb"
    if evaluator is not None and view.section == "scoring":
        # Only the scoring form is timed as an evaluator: one who has not submitted yet
        # would not see the prices on the other pages (price-blind).
        at.session_state[state.EVALUATOR] = evaluator
    if view.section is not None:
        at.session_state[state.EVALUATION_SECTION] = view.section
    at.run()
    at.switch_page(f"pages/{view.page}.py")
    data.clear_caches(data.db_path())
    first = _timed(at.run)
    if at.exception:
        raise RuntimeError(f"{view.name} failed: {at.exception[0].value}")
    rerun = statistics.median(_timed(at.run) for _ in range(reruns))
    return {"first_s": first, "rerun_s": rerun}


TINY_VIEWS = tuple(v for v in VIEWS if v.name in ("Oversikt", "Pris"))  # that it runs


def time_pages(
    path: Path, reruns: int, evaluator: str | None = None, views: tuple[View, ...] = VIEWS
) -> dict[str, Any]:
    """Each view on the database at ``path``: seconds and ratios to the title-only page."""
    with _database(path), _server_like():
        title = title_rerun(reruns)
        pages = {}
        for view in views:
            seconds = time_view(view, reruns, evaluator)
            pages[view.name] = {
                "first_ms": 1e3 * seconds["first_s"],
                "rerun_ms": 1e3 * seconds["rerun_s"],
                "first_vs_title": seconds["first_s"] / title,
                "rerun_vs_title": seconds["rerun_s"] / title,
            }
        # The title page again, after the pages: the machine's pace may have changed.
        title = statistics.median([title, title_rerun(reruns)])
    return {"title_rerun_ms": 1e3 * title, "pages": pages}


def bench_pages(
    *,
    tiny: bool = False,
    large: bool = True,
    demo: bool = True,
    say: Callable[[str], object] | None = None,
) -> dict[str, Any]:
    """Every page on the demo and (unless ``large`` is false) on the large tender; with
    ``tiny``, two pages on the demo only."""
    from benchmarks.large_tender import LARGE, build_large_tender
    from store.db import open_database

    say = say or (lambda _message: None)
    reruns = 2 if tiny else 5
    figures: dict[str, Any] = {"goals": {"demo": DEMO_GOAL, "large": LARGE_GOAL}}
    with tempfile.TemporaryDirectory() as folder:
        if demo:
            small = Path(folder) / "demo.duckdb"
            open_database(small).close()
            say("Every page on the demo …")
            figures["demo"] = time_pages(small, reruns, views=TINY_VIEWS if tiny else VIEWS)
        if large and not tiny:
            size = LARGE
            big = Path(folder) / "large.duckdb"
            say(f"Building a tender of {size.describe()} …")
            build_large_tender(big, size)
            say("Every page on the large tender …")
            figures["large"] = {"size": size.describe(), **time_pages(big, reruns, "bench-ev0")}
    return figures


def format_pages(figures: dict[str, Any]) -> str:
    """The page timings as a table."""
    runs = [(name, figures[name]) for name in ("demo", "large") if name in figures]
    head = f"{'Page':<30}" + "".join(
        f"{name + ' first':>14}{'×':>6}{name + ' rerun':>14}{'×':>6}" for name, _ in runs
    )
    lines = [
        "Pages in AppTest (ms, and × the title-only page; goal: rerun ≤ "
        f"{DEMO_GOAL:.0f}× on the demo, ≤ {LARGE_GOAL:.0f}× on the large tender):",
        head,
    ]
    for view in VIEWS:
        if view.name not in runs[0][1]["pages"]:
            continue
        row = f"{view.name:<30}"
        for _, run in runs:
            page = run["pages"][view.name]
            row += (
                f"{page['first_ms']:>14.0f}{page['first_vs_title']:>6.0f}"
                f"{page['rerun_ms']:>14.0f}{page['rerun_vs_title']:>6.0f}"
            )
        lines.append(row)
    lines.append(
        "title-only page rerun: "
        + ", ".join(f"{name} {run['title_rerun_ms']:.1f} ms" for name, run in runs)
    )
    if "large" in figures:
        lines.append(f"large tender: {figures['large']['size']}")
    return "\n".join(lines)


if __name__ == "__main__":
    import json
    import sys

    result = bench_pages(
        tiny="--tiny" in sys.argv,
        large="--demo-only" not in sys.argv,
        demo="--large-only" not in sys.argv,
        say=lambda message: print(message, file=sys.stderr),
    )
    if "--json" in sys.argv:
        print(json.dumps(result, indent=2))
    else:
        print(format_pages(result))
