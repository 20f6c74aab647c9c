"""In a real browser: choose who you are, score one requirement, see it saved as you go."""

from __future__ import annotations

import time

from tests.e2e.conftest import ARTIFACTS, BROWSER, act
from tests.pages.test_pages import demo_rows, vendor_names

pytestmark = BROWSER


def wait_for_text(page, text, seconds=60.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if page.get_by_text(text).count():
            return
        time.sleep(0.25)
    page.screenshot(path=str(ARTIFACTS / "scoring-missing-text.png"), full_page=True)
    raise AssertionError(f"never shown: {text}")


def test_an_evaluator_scores_and_the_score_is_saved_on_leaving_the_field(app_url, page):
    scored = sum(r["kind"] in ("W", "M") for r in demo_rows("requirements.csv"))
    total = scored * len(vendor_names())
    page.goto(app_url)
    page.get_by_role("link", name="Evaluering").click()
    page.get_by_role("heading", name="Evaluering").wait_for(timeout=60_000)
    page.get_by_role("combobox", name="Jeg er").click()
    page.get_by_role("option", name="Marit Johansen Somby").click()
    page.get_by_role("heading", name="Poengene til Marit Johansen Somby").wait_for(timeout=30_000)
    wait_for_text(page, f"0 av {total} ferdig")

    # Leaving a field runs the app again; the next field is filled once that run has ended,
    # as on a busy machine a field filled mid-run can be drawn anew under the typing.
    score = page.get_by_label("Poeng (0–10)").first
    score.fill("7")
    act(page, lambda: score.press("Tab"), timeout=60_000)
    reason = page.get_by_label("Begrunnelse").nth(3)  # LANG-04, after LANG-01–03
    reason.fill("Foldingen for đ, ŋ og ŧ fungerer etter oppsett.")
    act(page, lambda: reason.press("Tab"), timeout=60_000)
    # The count is read back from the database after each save: 1 done means both the
    # score and its reason were stored.
    wait_for_text(page, f"1 av {total} ferdig")
    page.screenshot(path=str(ARTIFACTS / "scoring-saved.png"), full_page=True)
