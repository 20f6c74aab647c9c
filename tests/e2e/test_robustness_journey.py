"""In a real browser: the robustness page draws its charts and follows a new seed."""

from __future__ import annotations

import time

from tests.e2e.conftest import ARTIFACTS, BROWSER

pytestmark = BROWSER

COUNT_CHARTS = "() => document.querySelectorAll('.js-plotly-plot').length"
# The SMAA chart is the second plot on the page; its first trace is rank 1.
READ_FIRST_RANKS = """() => {
    const plot = document.querySelectorAll('.js-plotly-plot')[1];
    if (!plot || !plot.data) return null;
    return Array.from(plot.data[0].x);
}"""


def test_the_robustness_page_draws_its_charts_and_follows_the_seed(read_only_app_url, page):
    page.goto(read_only_app_url)
    page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    page.get_by_role("link", name="Robusthet").click()
    page.get_by_role("heading", name="Robusthet").wait_for(timeout=30_000)
    page.wait_for_function(f"({COUNT_CHARTS})() >= 3", timeout=60_000)
    assert page.get_by_text("trekninger, frø 1;", exact=False).first.is_visible()
    before = page.evaluate(READ_FIRST_RANKS)
    assert before and abs(sum(before) - 100.0) < 0.1  # first place is shared out in full

    seed = page.get_by_label("Frø (seed)")
    seed.fill("7")
    seed.press("Enter")
    page.get_by_text("trekninger, frø 7;", exact=False).first.wait_for(timeout=30_000)
    deadline = time.monotonic() + 30
    after = before
    while after == before and time.monotonic() < deadline:
        time.sleep(0.25)
        after = page.evaluate(READ_FIRST_RANKS)
    page.screenshot(path=str(ARTIFACTS / "robustness.png"), full_page=True)
    assert after != before and abs(sum(after) - 100.0) < 0.1
