"""In a real browser: open the app, move a category weight, watch the ranking chart follow."""

from __future__ import annotations

import time

from tests.e2e.conftest import ARTIFACTS, BROWSER

pytestmark = BROWSER

CHART = ".js-plotly-plot"
# The traces of the first chart on the page: name, bar labels and segment lengths.
READ_CHART = """() => {
    const plot = document.querySelector('.js-plotly-plot');
    if (!plot || !plot.data) return null;
    return plot.data.filter(t => t.type === 'bar').map(t => ({
        name: t.name, y: Array.from(t.y), x: Array.from(t.x)
    }));
}"""


def segment(traces, name):
    trace = next(t for t in traces if t["name"] == name)
    return dict(zip(trace["y"], trace["x"], strict=True))


def wait_for_change(page, before, seconds=30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        now = page.evaluate(READ_CHART)
        if now and now != before:
            return now
        time.sleep(0.25)
    page.screenshot(path=str(ARTIFACTS / "weights-unchanged.png"), full_page=True)
    raise AssertionError("the ranking chart did not change")


def test_moving_a_category_weight_changes_the_ranking_chart(read_only_app_url, page):
    started = time.monotonic()
    page.goto(read_only_app_url)
    page.wait_for_selector(CHART, timeout=60_000)
    first_chart_seconds = time.monotonic() - started
    assert page.get_by_role("heading", name="Oversikt").is_visible()

    page.get_by_role("link", name="Vekter").click()
    page.get_by_role("heading", name="Vekter").wait_for(timeout=30_000)
    page.get_by_role("slider", name="Minoritetsspråk").wait_for(timeout=30_000)
    page.wait_for_selector(CHART, timeout=30_000)

    before = page.evaluate(READ_CHART)
    lang_before = segment(before, "Kvalitet – Minoritetsspråk")
    page.screenshot(path=str(ARTIFACTS / "weights-before.png"), full_page=True)

    slider = page.get_by_role("slider", name="Minoritetsspråk")
    assert slider.input_value() == "25"
    slider.focus()
    slider.press("End")  # all the way: 100

    after = wait_for_change(page, before)
    page.screenshot(path=str(ARTIFACTS / "weights-after.png"), full_page=True)
    assert slider.input_value() == "100"

    # LANG now carries 100/(100+75) of quality instead of 25/100: every LANG segment grows.
    lang_after = segment(after, "Kvalitet – Minoritetsspråk")
    labels = lambda d: {k.split(". ", 1)[1]: v for k, v in d.items()}  # noqa: E731
    grown = labels(lang_after)
    for vendor, points in labels(lang_before).items():
        assert grown[vendor] > points
    print(f"first chart after {first_chart_seconds:.1f} s")
