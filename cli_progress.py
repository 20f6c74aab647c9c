"""A one-line progress bar on stderr for the command line's slow commands.

It draws only when stderr is a terminal and ``--quiet`` is not given, so piped output and
scripts see nothing of it; the line is erased when the work is done. Standard library
only: importing it costs nothing.
"""

from __future__ import annotations

import sys
import threading
import time
from types import TracebackType
from typing import Any, TextIO

BAR_WIDTH = 24
REDRAW_EVERY_S = 0.1
TICK_EVERY_S = 0.5  # the seconds go on counting while the work reports nothing


class Progress:
    """Usable as a context manager; call it with the share done (0–1) as work goes on.

    Without a share, the line shows the label, ``…`` and the seconds so far: work whose
    length is not known (an import, one large ELECTRE II ranking). A background thread
    redraws the line twice a second, so the seconds count on while one long step runs.
    """

    def __init__(self, label: str, *, quiet: bool = False, stream: TextIO | None = None):
        self.stream = sys.stderr if stream is None else stream
        self.enabled = not quiet and is_terminal(self.stream)
        self.label = label
        self.fraction: float | None = None
        self._started = time.monotonic()
        self._drawn_at = 0.0
        self._width = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def __enter__(self) -> Progress:
        self._started = time.monotonic()
        self._draw()
        if self.enabled:
            self._ticker = threading.Thread(target=self._tick, daemon=True)
            self._ticker.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def __call__(self, fraction: float) -> None:
        """Report the share of the work done; redraws at most ten times a second."""
        self.fraction = min(1.0, max(0.0, float(fraction)))
        if time.monotonic() - self._drawn_at >= REDRAW_EVERY_S or self.fraction >= 1.0:
            self._draw()

    def step(self, label: str, fraction: float | None = None) -> None:
        """Start the next part of the work under a new label."""
        self.label = label
        self.fraction = fraction
        self._draw()

    def line(self) -> str:
        """The text drawn: label, bar, percentage and seconds so far."""
        seconds = time.monotonic() - self._started
        if self.fraction is None:
            return f"{self.label.rstrip(' .…')} … {seconds:.0f} s"
        filled = round(BAR_WIDTH * self.fraction)
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        return f"{self.label} [{bar}] {100 * self.fraction:3.0f}% {seconds:.0f} s"

    def close(self) -> None:
        """Stop the ticking and erase the line."""
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
            self._ticker = None
        with self._lock:
            if self.enabled and self._width:
                self.stream.write("\r" + " " * self._width + "\r")
                self.stream.flush()
                self._width = 0

    def _tick(self) -> None:
        while not self._stop.wait(TICK_EVERY_S):
            self._draw()

    def _draw(self) -> None:
        if not self.enabled:
            return
        with self._lock:
            if self._stop.is_set():
                return
            text = self.line()
            padding = " " * max(0, self._width - len(text))
            self.stream.write("\r" + text + padding)
            self.stream.flush()
            self._width = max(self._width, len(text))
            self._drawn_at = time.monotonic()


def is_terminal(stream: TextIO) -> bool:
    """Whether a stream is a terminal (not a pipe, a file or a test's capture)."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def for_command(args: Any, label: str) -> Progress:
    """A command's progress line on stderr, unless --quiet, stderr is not a terminal, or the
    --json document goes to a pipe or a file (a script is reading)."""
    piped_json = bool(getattr(args, "json", False)) and not is_terminal(sys.stdout)
    return Progress(label, quiet=bool(getattr(args, "quiet", False)) or piped_json)
