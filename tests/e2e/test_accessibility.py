"""In a real browser: axe-core on every page and every section and tab, in Norwegian and in
English, as anyone in local mode (who may do everything, so every tab is shown); the page's
language and title follow the interface language and the page."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from contextlib import suppress
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from locales import gettext_for
from tests.e2e.conftest import BROWSER, SETTLED, act, only

pytestmark = BROWSER


def app_pages() -> list[tuple[str, str, str]]:
    """Every page in the sidebar's order, read from app.py's PAGES (so a new page is
    scanned too): its address and its title in nb and in en."""
    tree = ast.parse((Path(__file__).parents[2] / "app.py").read_text(encoding="utf-8"))
    listed = next(
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "PAGES"
    )
    pages = []
    for row in listed.elts:  # type: ignore[attr-defined]
        title = row.elts[1].args[0].value  # _("Title")
        pages.append((row.elts[3].value, gettext_for("nb", title), title))
    return pages


PAGES = app_pages()
# The sections of Evaluering (buttons) and the tabs of Oppsett, by language.
SECTIONS = {
    "nb": ["Poenggiving", "Konsensusmøte", "Uenighet", "Modell og frys"],
    "en": ["Scoring", "Consensus meeting", "Disagreement", "Model and freeze"],
}
TABS = {
    "nb": [
        "Konkurransen",
        "Bibliotek",
        "Evaluatorer",
        "Leverandører og tilbud",
        "Tildelingskriterier",
        "Prisskjema",
        "Personer og roller",
        "Sikkerhetskopi og data",
    ],
    "en": [
        "The tender",
        "Libraries",
        "Evaluators",
        "Vendors and offers",
        "Award criteria",
        "Price schedule",
        "People and roles",
        "Backup and data",
    ],
}
# The tabs of Innspill, as the page names them (the working group sees all four).
INPUT_TABS = ("Who has answered", "What the libraries said", "Proposed requirements", "Workbooks")
TABS_OF = {
    "oppsett": TABS,
    "innspill": {language: [gettext_for(language, t) for t in INPUT_TABS] for language in TABS},
}
SERIOUS = {"serious", "critical"}


def wait(page: Any) -> None:
    page.wait_for_function(SETTLED, timeout=180_000)
    page.wait_for_timeout(300)  # the charts and grids draw just after the run ends


def choose_language(page: Any, language: str, heading: str) -> None:
    """Choose the interface language in the sidebar; wait for the page's ``heading`` in it."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    name = {"nb": "Norsk bokmål", "en": "English"}[language]
    box = page.get_by_role("combobox", name="Språk / Language")
    option = page.get_by_role("option", name=name, exact=True)
    shown = page.get_by_role("heading", name=heading, exact=True)
    for _attempt in range(4):
        # A box drawn again as it is clicked may stay shut, or take no choice: then again.
        if page.get_by_role("listbox").count() == 0:
            only(box, 120).click(timeout=120_000)
        with suppress(PlaywrightTimeout):
            option.wait_for(timeout=20_000)
            act(page, partial(option.click, timeout=60_000), timeout=180_000)
            shown.wait_for(timeout=60_000)
            return
    raise AssertionError(f"the interface did not change to {name}")


def open_page(page: Any, title: str) -> None:
    # The link's name begins with its icon's ligature (Streamlit's own markup).
    link = only(page.get_by_role("link", name=re.compile(rf"(^|\s){re.escape(title)}$")), 120)
    act(page, partial(link.click, timeout=120_000), timeout=180_000)
    # The page's own heading begins with its name.
    heading = page.get_by_role("heading", level=1, name=re.compile(rf"^{re.escape(title)}"))
    heading.first.wait_for(timeout=180_000)
    wait(page)


def show(page: Any, role: str, name: str) -> None:
    """Open a section (``radio``) or a tab of the page, unless it is open already: a click on
    the open one starts no run. Opening one runs the page again, which draws only it."""
    control = only(page.get_by_role(role, name=name, exact=True), 120)
    opened = "aria-checked" if role == "radio" else "aria-selected"
    if control.get_attribute(opened) != "true":
        act(page, partial(control.click, timeout=120_000), timeout=180_000)
        wait(page)


def views(page: Any, language: str) -> Iterator[str]:
    """Open every page and every section and tab in turn, naming each when it is shown."""
    column = 1 if language == "nb" else 2
    for row in PAGES:
        title = row[column]
        open_page(page, title)
        if row[0] == "evaluering":
            for section in SECTIONS[language]:
                show(page, "radio", section)
                yield f"{title} / {section}"
        elif row[0] in TABS_OF:
            for tab in TABS_OF[row[0]][language]:
                show(page, "tab", tab)
                yield f"{title} / {tab}"
        else:
            yield title


def findings(page: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as shown: rule, impact and
    the elements it finds."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page)
    return [
        {
            "rule": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "targets": [str(node["target"]) for node in violation["nodes"]],
        }
        for violation in result.response["violations"]
        if violation["impact"] in SERIOUS
    ]


def audit(page: Any, url: str, language: str) -> dict[str, list[dict[str, Any]]]:
    """Every view's serious findings, the app served at ``url``, in ``language``."""
    page.goto(url)
    page.get_by_role("heading", name=PAGES[0][1], exact=True).wait_for(timeout=120_000)
    wait(page)
    if language != "nb":
        choose_language(page, language, PAGES[0][1 if language == "nb" else 2])
        wait(page)
    return {view: findings(page) for view in views(page, language)}


@pytest.mark.timeout(2400)  # 24 views, each a run of the app and a scan; slow on a busy machine
@pytest.mark.parametrize("language", ["nb", "en"])
def test_no_serious_accessibility_finding_on_any_page(read_only_app_url, page, language):
    found = audit(page, read_only_app_url, language)
    tabs = sum(len(by_language[language]) for by_language in TABS_OF.values())
    assert len(found) == len(PAGES) - 1 - len(TABS_OF) + len(SECTIONS[language]) + tabs
    # Streamlit 1.67 itself causes no serious finding on these pages (README, "Universal
    # design", lists what it does wrong beyond axe's reach), so every finding is bibvalg's.
    assert {view: items for view, items in found.items() if items} == {}


def declares(page: Any, language: str, title: str) -> bool:
    """Whether the page comes to declare ``language`` and ``title``. The script that declares
    the language runs just after the page is drawn, so a new page holds Streamlit's "en" for
    a moment: wait up to ten seconds for it."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    declared = (
        f"() => document.documentElement.lang === {language!r} && document.title === {title!r}"
    )
    with suppress(PlaywrightTimeout):
        page.wait_for_function(declared, timeout=10_000)
    return page.evaluate("() => [document.documentElement.lang, document.title]") == [
        language,
        title,
    ]


def test_the_page_language_and_title_follow_the_interface_and_the_page(read_only_app_url, page):
    page.goto(read_only_app_url)
    page.get_by_role("heading", name="Oversikt", exact=True).wait_for(timeout=180_000)
    wait(page)
    assert declares(page, "nb", "Oversikt · bibvalg")
    open_page(page, "Pris")
    assert declares(page, "nb", "Pris · bibvalg")
    choose_language(page, "en", "Price")
    assert declares(page, "en", "Price · bibvalg")
    open_page(page, "Methods")
    assert declares(page, "en", "Methods · bibvalg")


# Whether the page itself scrolls sideways (a heatmap may scroll inside its own box), and
# what of the main area is cut off at its right edge.
OVERFLOW = """() => {
    // A table, a heatmap or the row of tabs may scroll sideways inside its own box (WCAG
    // allows it for content laid out in two dimensions): what is there is not lost.
    const inScrollingBox = (e, main) => {
        for (let box = e.parentElement; box && box !== main; box = box.parentElement) {
            const style = getComputedStyle(box).overflowX;
            if ((style === 'auto' || style === 'scroll') && box.scrollWidth > box.clientWidth)
                return true;
        }
        return false;
    };
    const main = document.querySelector('[data-testid=stMain]');
    const edge = main.getBoundingClientRect().right + 1;
    const cut = [...main.querySelectorAll('p, h1, h2, h3, label, button, [role=tab]')]
        .filter(e => e.offsetParent !== null && e.getBoundingClientRect().right > edge)
        .filter(e => e.innerText.trim() !== '' && !inScrollingBox(e, main))
        .map(e => e.tagName + ': ' + e.innerText.slice(0, 40));
    return [document.documentElement.scrollWidth > window.innerWidth + 1, cut];
}"""
SIDEBAR_SHOWN = """() => {
    const bar = document.querySelector('[data-testid=stSidebar]');
    return bar !== null && getComputedStyle(bar).display !== 'none';
}"""


@pytest.mark.timeout(1800)
def test_every_page_reflows_at_200_percent_and_at_375_px_and_prints_without_the_sidebar(
    read_only_app_url, page
):
    """WCAG 1.4.10: at 200 % zoom of a 1280 px screen (640 CSS px) and on a 375 px phone
    nothing is cut off and the page does not scroll sideways; printed, the sidebar is gone."""
    page.goto(read_only_app_url)
    page.get_by_role("heading", name=PAGES[0][1], exact=True).wait_for(timeout=120_000)
    wait(page)
    found = {}
    for _address, title, _en in PAGES:
        page.set_viewport_size({"width": 1400, "height": 1100})
        open_page(page, title)
        for width in (640, 375):
            page.set_viewport_size({"width": width, "height": 900})
            page.wait_for_timeout(400)  # the layout follows the new width
            scrolls, cut = page.evaluate(OVERFLOW)
            if scrolls or cut:
                found[f"{title} at {width} px"] = {"scrolls sideways": scrolls, "cut off": cut}
        page.emulate_media(media="print")
        if page.evaluate(SIDEBAR_SHOWN):
            found[f"{title} printed"] = {"sidebar": True}
        page.emulate_media(media="screen")
    assert found == {}
