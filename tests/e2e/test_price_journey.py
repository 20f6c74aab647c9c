"""In a real browser: the Pris page draws the cost chart, and Metoder the methods' ranks."""

from __future__ import annotations

from tests.e2e.conftest import ARTIFACTS, BROWSER

pytestmark = BROWSER

CHART = ".js-plotly-plot"
READ_CHARTS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(
    plot => (plot.data || []).map(t => ({type: t.type, name: t.name || ''}))
)"""


def test_price_and_methods_pages_draw_their_charts(read_only_app_url, page):
    page.goto(read_only_app_url)
    page.wait_for_selector(CHART, timeout=60_000)

    page.get_by_role("link", name="Pris").click()
    page.get_by_role("heading", name="Samlet kostnad per leverandør").wait_for(timeout=30_000)
    page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot').length >= 3", timeout=30_000
    )
    charts = page.evaluate(READ_CHARTS)
    page.screenshot(path=str(ARTIFACTS / "price.png"), full_page=True)
    cost = charts[0]
    assert [t["name"] for t in cost if t["type"] == "bar"] == [
        "Engangs (implementering, migrering, opplæring)",
        "Årlig × 4 år (lisens, drift, brukerstøtte)",
        "Opsjoner (ikke poengsatt)",
    ]
    page.get_by_role("button", name="Fastsett").wait_for(timeout=30_000)

    page.get_by_role("link", name="Metoder").click()
    page.get_by_role("heading", name="Metoder").wait_for(timeout=30_000)
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.js-plotly-plot'))"
        ".some(p => p.data && p.data[0] && p.data[0].type === 'heatmap')",
        timeout=30_000,
    )
    page.screenshot(path=str(ARTIFACTS / "methods.png"), full_page=True)
    page.get_by_text("Den kunngjorte vektede summen av poeng avgjør").wait_for(timeout=30_000)
