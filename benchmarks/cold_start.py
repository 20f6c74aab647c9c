"""Wall time of a cold `make run` to the first chart in a real browser.

Clones this repository into a temporary folder (no virtual environment, no database),
starts `make run` there, and polls with Chromium until the overview's ranking chart is
drawn. Prints the seconds. Run: .venv/bin/python benchmarks/cold_start.py
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Error, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
PORT = int(os.environ.get("PORT", "8611"))
CHROMIUM = "/usr/bin/chromium"


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        clone = Path(tmp) / "bibvalg"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        env = {k: v for k, v in os.environ.items() if k != "BIBVALG_DB"}
        started = time.monotonic()
        server = subprocess.Popen(
            ["make", "run", f"PORT={PORT}"],
            cwd=clone,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path=CHROMIUM,
                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
                )
                page = browser.new_page()
                while True:
                    if server.poll() is not None:
                        print("make run exited early", file=sys.stderr)
                        return 1
                    try:
                        page.goto(f"http://127.0.0.1:{PORT}", timeout=5_000)
                        page.wait_for_selector(".js-plotly-plot", timeout=120_000)
                        break
                    except Error:
                        time.sleep(1)
                seconds = time.monotonic() - started
                browser.close()
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    print(f"cold make run to first chart: {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
