"""A real app server and a real Chromium for the browser journeys.

Chromium comes from Debian (apt-get install chromium); where it is absent these tests
skip and say so. Screenshots are kept in test-artifacts/.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import pytest

from store.db import connect
from tests.dbdump import file_states

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("BIBVALG_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# The app has finished a run and removed what the run did not draw again.
SETTLED = """() => document.querySelector(
    '[data-testid=stApp][data-test-script-state=notRunning]'
) && !document.querySelector('[data-testid=stElementContainer][data-stale=true]')"""
# Counts the changes of the app's run state (running, not running, …) from now on.
WATCH_RUNS = """() => {
    if (window.bibvalgRuns !== undefined) return;
    window.bibvalgRuns = 0;
    new MutationObserver(changes => { window.bibvalgRuns += changes.length; }).observe(
        document.querySelector('[data-testid=stApp]'),
        {attributes: true, attributeFilter: ['data-test-script-state']},
    );
}"""


def only(locator: Any, seconds: float = 30.0) -> Any:
    """The locator once it finds one element: a widget drawn again is briefly there twice,
    the old one until the app has finished drawing the new one."""
    deadline = time.monotonic() + seconds
    while locator.count() != 1:
        if time.monotonic() > deadline:
            raise AssertionError(f"not one but {locator.count()}: {locator}")
        time.sleep(0.1)
    return locator


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_healthy(url: str, process: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app server exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"the app server did not answer at {url} within {seconds} s")


def act(page: Any, action: Callable[[], object], *, timeout: float, rerun: bool = True) -> None:
    """Do ``action`` on the page. Where it makes the app run again (``rerun``), wait until
    that run has begun and ended and the page holds only what it drew (``timeout`` in ms);
    an action that starts no run within 5 s goes on at once."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    # A control clicked while a run is still drawing may be one about to be replaced, and
    # its click lost: act only on a page at rest.
    page.wait_for_function(SETTLED, timeout=timeout)
    page.evaluate(WATCH_RUNS)
    before = page.evaluate("() => window.bibvalgRuns")
    action()
    if not rerun:
        return
    with suppress(PlaywrightTimeout):
        page.wait_for_function(f"() => window.bibvalgRuns > {before}", timeout=5_000)
    page.wait_for_function(SETTLED, timeout=timeout)


# Every browser journey is marked so: it needs Chromium, and the journeys run one at a time
# on one worker, beside the other tests (``make test`` runs pytest-xdist with ``--dist
# loadgroup``): two app servers and two browsers at once on a small machine make every step
# slow. A module mark is read when the test is collected, before pytest-xdist groups it.
BROWSER = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}; install it with apt-get install chromium")
    pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    return CHROMIUM


@contextmanager
def serve(
    db: Path,
    log: Path | None = None,
    *,
    port: int | None = None,
    host: str = "127.0.0.1",
    flags: Sequence[str] = (),
) -> Iterator[str]:
    """The app served on the database ``db`` until the block ends, at ``http://host:port``
    (a free port unless one is given); the server's output goes to ``log`` where one is
    given, and ``flags`` are added to ``streamlit run``."""
    port = port if port is not None else free_port()
    env = {**os.environ, "BIBVALG_DB": str(db)}
    if "--secrets.files" not in flags:
        # No sign-in unless a test asks for it, whatever .streamlit/secrets.toml holds here.
        no_secrets = db.parent / "no-secrets.toml"
        no_secrets.write_text("", encoding="utf-8")
        flags = (*flags, "--secrets.files", str(no_secrets))
    with open(log if log is not None else os.devnull, "wb") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.port",
                str(port),
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
                *flags,
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        url = f"http://{host}:{port}"
        try:
            _wait_until_healthy(url, process, seconds=90)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def app_url(chromium_path: Path, demo_db_template: Path, tmp_path: Path) -> Iterator[str]:
    """The app served on a free port, on a private copy of the demo database."""
    db = tmp_path / "e2e.duckdb"
    shutil.copy(demo_db_template, db)
    with serve(db) as url:
        yield url


@pytest.fixture(scope="session")
def _shared_app(
    chromium_path: Path, demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    db = tmp_path_factory.mktemp("shared-app") / "e2e.duckdb"
    shutil.copy(demo_db_template, db)
    with serve(db) as url:
        yield url, db


@pytest.fixture
def read_only_app_url(_shared_app: tuple[str, Path]) -> Iterator[str]:
    """The app served on a copy of the demo database that the browser tests which only look
    share, so the server works the demo's analyses out once for all of them. A test that
    changes the database fails here: such a test takes ``app_url``."""
    url, db = _shared_app
    before = file_states(db)
    yield url
    assert file_states(db) == before, (
        "the test changed the shared demo database: a test that changes data takes app_url"
    )


@pytest.fixture
def empty_app_url(chromium_path: Path, tmp_path: Path) -> Iterator[str]:
    """The app served on a free port, on a freshly migrated, empty database: a real tender
    before anything is set up. The server's output is kept in ``server.log`` beside it."""
    db = tmp_path / "empty.duckdb"
    connect(db).close()
    with serve(db, tmp_path / "server.log") as url:
        yield url


@pytest.fixture
def page(chromium_path: Path):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1100}, locale="nb-NO")
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()
