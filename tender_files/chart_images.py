"""Plotly figures as PNG images, offline: kaleido drives the system's Chromium.

kaleido 1.x starts a browser through ``choreographer``. It is given the browser's path
(``CHROMIUM``) rather than left to look for one, and never asked to fetch Chrome: where the
browser is absent, ``available`` says so and the caller makes its file without images.
plotly.js comes from the plotly package and MathJax is switched off, so nothing is loaded
from the network.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
WIDTH = 820  # CSS pixels, about the page's width at a legible size; drawn at twice that
SCALE = 2
DEFAULT_HEIGHT = 420


@dataclass(frozen=True)
class Chart:
    """A figure to draw, by the file name it gets."""

    name: str  # e.g. "ranking.png"
    figure: Any  # plotly.graph_objects.Figure


def available(browser: Path | None = None) -> bool:
    """Whether the browser the images are drawn with (default ``CHROMIUM``) is installed."""
    path = browser or CHROMIUM
    return path.is_file() and os.access(path, os.X_OK)


def _plotly_js() -> Path:
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def _options(figure: Any) -> dict[str, Any]:
    height = figure.layout.height or DEFAULT_HEIGHT
    return {"format": "png", "width": WIDTH, "height": int(height), "scale": SCALE}


class Drawer:
    """Chromium started at once, in a thread of its own, so that it starts while the caller
    computes what to draw; ``draw`` then waits for it. Use it as a context manager: on
    leaving, the browser is closed, whether or not anything was drawn."""

    def __init__(self, browser: Path | None = None) -> None:
        self._browser = browser or CHROMIUM
        self._charts: Future[Sequence[Chart]] = Future()
        self._images: Future[dict[str, bytes]] = Future()
        self._thread = threading.Thread(target=self._run, name="chart-images", daemon=True)

    def __enter__(self) -> Drawer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if not self._charts.done():
            self._charts.set_result([])
        self._thread.join()

    def draw(self, charts: Sequence[Chart]) -> dict[str, bytes]:
        """Every chart as PNG bytes, by name (once per ``Drawer``)."""
        self._charts.set_result(charts)
        return self._images.result()

    def _run(self) -> None:
        try:
            self._images.set_result(asyncio.run(self._session()))
        except BaseException as exc:  # handed to the caller of draw
            self._images.set_exception(exc)

    async def _session(self) -> dict[str, bytes]:
        import kaleido

        images: dict[str, bytes] = {}
        async with kaleido.Kaleido(
            n=1, path=str(self._browser), plotlyjs=str(_plotly_js()), mathjax=False
        ) as engine:
            for chart in await asyncio.wrap_future(self._charts):
                images[chart.name] = await engine.calc_fig(
                    chart.figure, opts=_options(chart.figure)
                )
        return images


def draw(charts: Sequence[Chart], browser: Path | None = None) -> Mapping[str, bytes]:
    """Every chart as PNG bytes, by name, drawn in one browser session (default browser:
    ``CHROMIUM``)."""
    if not charts:
        return {}
    with Drawer(browser) as drawer:
        return drawer.draw(charts)
