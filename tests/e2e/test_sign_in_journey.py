"""In a real browser, signed in through a real OpenID Connect provider on loopback.

The provider is ``oidc-provider-mock``, run by the test on a free port; the app reads its
``[auth]`` section from a secrets file of the test's own (``--secrets.files``), never from
the repository's ``.streamlit``. On the demo with a list of people: a member of the
steering group sees the ranking, finds no control that changes anything on any page, and
is refused by the store when a change is made anyway in their name; the evaluator Marit,
who has not submitted, sees no prices; signing out brings back the sign-in button.
"""

from __future__ import annotations

import re
import secrets
import shutil
from collections import defaultdict
from collections.abc import Iterator
from contextlib import ExitStack, closing
from dataclasses import dataclass
from pathlib import Path

import pytest

from store import access, settings
from store.db import connect
from store.errors import NotAllowed
from tests.dbdump import dump_file, rows
from tests.e2e.conftest import ARTIFACTS, BROWSER, SETTLED, act, free_port, serve
from tests.pages.test_pages import vendor_names
from tests.store.test_access import MARIT, STEERING, with_people

pytestmark = [*BROWSER, pytest.mark.timeout(600)]  # a busy machine is slow
oidc_provider_mock = pytest.importorskip(
    "oidc_provider_mock", reason="the oidc-provider-mock package is not installed"
)

WAIT = 120_000  # ms: a page's first run, on two cores shared with other work
NAMES = {STEERING: "Sigrun Styre", MARIT: "Marit Johansen Somby"}  # as with_people lists them
# A button whose accessible name starts a word with one of these changes something: the
# change verbs, and the other labels bibvalg's buttons of change begin with (Fastsett:
# publish the price model; Registrer: a vendor, an offer, a declaration; Utfør: retire,
# reopen, grant, revoke; Les inn: the catalogue workbook; Start fra: the demo catalogue).
CHANGE_VERBS = [
    "Lagre",
    "Importer",
    "Last opp",
    "Frys",
    "Send inn",
    "Åpne tilbudene",
    "Legg til",
    "Slett",
    "Fjern",
    "Godta",
    "Publiser",
    "Fastsett",
    "Registrer",
    "Utfør",
    "Les inn",
    "Start fra",
]
CHANGE_BUTTON = re.compile(
    r"(^|[\s(/–-])(" + "|".join(re.escape(v) for v in CHANGE_VERBS) + ")", re.IGNORECASE
)
NAVIGATION = "[data-testid=stSidebarNav]"
# The labels of buttons, without the names of their icons.
BUTTON_LABELS = """buttons => buttons.map(button => {
    const copy = button.cloneNode(true);
    copy.querySelectorAll('[data-testid=stIconMaterial]').forEach(icon => icon.remove());
    return copy.textContent.trim();
})"""
# The text of every text node in the page's main area, one string each.
TEXT_NODES = """() => {
    const walker = document.createTreeWalker(
        document.querySelector('[data-testid=stMain]'), NodeFilter.SHOW_TEXT);
    const texts = [];
    while (walker.nextNode()) texts.push(walker.currentNode.data);
    return texts;
}"""


@dataclass
class SignInServer:
    """The app served with sign-in on its own database, and the provider it trusts."""

    url: str
    db: Path
    totals: set[int]  # the sums of what the vendors offered that the Pris page shows
    prices: set[int]  # those and every line's amount (see offered_prices)
    _stack: ExitStack

    def stop(self) -> None:
        """Stop the app (and the provider), so the test may open the database itself."""
        self._stack.close()


def _secrets(path: Path, *, app_port: int, provider_port: int) -> Path:
    path.write_text(
        "[auth]\n"
        f'redirect_uri = "http://localhost:{app_port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_urlsafe(32)}"\n'
        'client_id = "bibvalg-test"\n'
        f'client_secret = "{secrets.token_urlsafe(16)}"\n'
        f'server_metadata_url = "http://localhost:{provider_port}'
        '/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def server(
    chromium_path: Path, demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SignInServer]:
    """One app server for the module: the demo with a list of people (roles enforced),
    signed in through the provider, which offers each person on the list by e-mail."""
    folder = tmp_path_factory.mktemp("sign-in")
    db = folder / "sign-in.duckdb"
    shutil.copy(demo_db_template, db)
    with closing(connect(db)) as con:
        with_people(con)
    totals, prices = offered_prices(db)
    users = [oidc_provider_mock.User(sub=email, claims={"email": email}) for email in NAMES]
    stack = ExitStack()
    with stack:
        provider = stack.enter_context(oidc_provider_mock.run_server_in_thread(user_claims=users))
        app_port = free_port()
        secrets_file = _secrets(
            folder / "secrets.toml", app_port=app_port, provider_port=provider.server_port
        )
        url = stack.enter_context(
            serve(
                db,
                folder / "server.log",
                port=app_port,
                host="localhost",  # the address the provider sends the browser back to
                flags=["--secrets.files", str(secrets_file)],
            )
        )
        yield SignInServer(url=url, db=db, totals=totals, prices=prices, _stack=stack)


def sign_in(page, server: SignInServer, email: str) -> None:  # type: ignore[no-untyped-def]
    """Sign in as ``email``: the app's button, the provider's page, and back in the app."""
    page.set_default_timeout(WAIT)
    page.goto(server.url)
    page.get_by_role("button", name="Logg inn").click()
    page.get_by_role("button", name=email, exact=True).click()  # on the provider's page
    page.get_by_text(f"Innlogget som {NAMES[email]} ({email})").wait_for()
    page.wait_for_function(SETTLED, timeout=WAIT)


def go_to(page, title: str) -> None:  # type: ignore[no-untyped-def]
    """Open the page ``title`` from the sidebar's navigation and wait until it is drawn."""
    link = page.locator(NAVIGATION).get_by_role("link", name=title, exact=True)
    # The app changes page without loading a new document; do not wait for one.
    act(page, lambda: link.click(no_wait_after=True), timeout=WAIT)
    page.get_by_role("heading", name=title, exact=True).wait_for()
    page.wait_for_function(SETTLED, timeout=WAIT)


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"sign-in-{name}.png"), full_page=True)


def change_controls(page) -> list[str]:  # type: ignore[no-untyped-def]
    """What the page holds, drawn or in a tab or expander not open, that would change
    something: a file upload, or a button named with a change verb."""
    found = [f"file upload {n + 1}" for n in range(page.locator("input[type=file]").count())]
    buttons = page.get_by_role("button", name=CHANGE_BUTTON, include_hidden=True)
    return found + [f"button {name!r}" for name in buttons.evaluate_all(BUTTON_LABELS)]


def numbers_shown(page) -> set[int]:  # type: ignore[no-untyped-def]
    """Every whole number in the page's main area, in any text node (the charts' labels
    and the tables' cells too), its digits grouped with spaces or not."""
    found: set[int] = set()
    for text in page.evaluate(TEXT_NODES):
        joined = re.sub(r"(?<=\d)[\s\u00a0\u202f](?=\d{3}(\D|$))", "", text)
        found.update(int(n) for n in re.findall(r"\d+", joined))
    return found


def offered_prices(db: Path) -> tuple[set[int], set[int]]:
    """What the demo's vendors offered, read from the database file: per offer, the sums
    of its one-time lines, of its yearly lines, the yearly ones times the contract years,
    the total of the two that gives points, and the options' total (one-time plus yearly
    times the years); and those together with every single line's amount. Only amounts
    of 10 000 kroner or more, which no count or score on a page reaches."""
    lines = rows(
        db,
        "SELECT p.offer_id, l.kind, l.is_option, p.amount_nok"
        " FROM offer_price p JOIN price_line l ON l.id = p.line_id",
    )
    years = int(rows(db, "SELECT value FROM setting WHERE key = 'contract_years'")[0][0])
    sums: defaultdict[tuple[str, str, bool], float] = defaultdict(float)
    for offer, kind, is_option, amount in lines:
        sums[offer, kind, bool(is_option)] += amount
    totals = set()
    for offer in {offer for offer, *_ in lines}:
        one_time, yearly = sums[offer, "one_time", False], sums[offer, "yearly", False]
        options = sums[offer, "one_time", True] + years * sums[offer, "yearly", True]
        totals |= {one_time, yearly, years * yearly, one_time + years * yearly, options}
    large = {round(t) for t in totals if t >= 10_000}
    return large, large | {round(a) for *_, a in lines if a >= 10_000}


def ranked_vendors(page) -> list[str]:  # type: ignore[no-untyped-def]
    """The vendors the overview shows with a rank ("1. Nordlys Konsortiedata AB"), in
    the order of their ranks."""
    vendors = set(vendor_names().values())
    ranked = {}
    for text in page.evaluate(TEXT_NODES):
        if (match := re.fullmatch(r"(\d+)\. (.+)", text.strip())) and match[2] in vendors:
            ranked[int(match[1])] = match[2]
    return [ranked[rank] for rank in sorted(ranked)]


def test_the_steering_group_signs_in_and_sees_the_ranking_and_the_prices(server, page):
    sign_in(page, server, STEERING)
    page.get_by_role("heading", name="Oversikt").wait_for()
    page.get_by_text("Roller: Styringsgruppe").wait_for()
    page.wait_for_selector(".js-plotly-plot")
    shot(page, "steering-overview")
    ranked = ranked_vendors(page)
    # Every vendor of the demo is ranked, or named below the ranking as rejected.
    shown = page.locator("[data-testid=stMain]").inner_text()
    vendors = set(vendor_names().values())
    rejected = {name for name in vendors if f"{name} er avvist" in shown}
    assert len(ranked) >= 2
    assert set(ranked) | rejected == vendors
    assert not set(ranked) & rejected
    # The steering group sees the prices: the check that finds none for an evaluator
    # who has not submitted finds every one here.
    go_to(page, "Pris")
    page.wait_for_selector(".js-plotly-plot")
    shot(page, "steering-price")
    assert server.totals <= numbers_shown(page)


def test_the_steering_group_finds_nothing_to_change_on_any_page(server, page):
    sign_in(page, server, STEERING)
    links = page.locator(NAVIGATION).get_by_role("link").all_inner_texts()
    titles = [text.split("\n")[-1].strip() for text in links]  # after the icon's name
    assert {"Oversikt", "Krav", "Evaluering", "Pris", "Logg"} <= set(titles)  # and more
    found: dict[str, list[str]] = {}
    for title in titles:
        go_to(page, title)
        # A page in sections (Evaluering) draws one section at a time: visit each.
        sections = page.locator("[data-testid=stMain] [data-testid=stButtonGroup]")
        choices = sections.get_by_role("radio")
        for number in range(choices.count()) or [None]:
            where = title
            if number is not None:
                choice = choices.nth(number)
                where = f"{title} – {choice.inner_text().strip()}"
                act(page, choice.click, timeout=WAIT)
            shot(page, f"steering-{where.lower().replace(' – ', '-').replace(' ', '-')}")
            if controls := change_controls(page):
                found[where] = controls
    assert not found, "\n".join(f"{where}: {', '.join(c)}" for where, c in found.items())


def test_an_evaluator_who_has_not_submitted_sees_no_prices(server, page):
    sign_in(page, server, MARIT)
    page.get_by_text("Roller: Evaluator").wait_for()
    # On the overview, the note stands after the place of the ranking: once it is drawn,
    # so would the ranking be.
    page.get_by_text("Prisene er skjult").wait_for()
    page.wait_for_function(SETTLED, timeout=WAIT)
    shot(page, "evaluator-overview")
    ranked = ranked_vendors(page)  # the check that finds the steering group's ranking
    go_to(page, "Pris")
    shot(page, "evaluator-price")
    price = page.locator("[data-testid=stMain]").inner_text()
    assert ranked == []
    assert "Prisene er skjult" in price
    assert not server.prices & numbers_shown(page)


def test_signing_out_brings_back_the_sign_in_button(server, page):
    sign_in(page, server, MARIT)
    # Signed in, Marit scores as the evaluator her person on the list is bound to.
    page.get_by_text(f"Gir poeng som {NAMES[MARIT]}").wait_for()
    page.locator("[data-testid=stSidebar]").get_by_role("button", name="Logg ut").click()
    # The provider is asked to end its session too (its end_session_endpoint), and sends
    # the browser back to the app.
    page.get_by_role("button", name="End session").click()
    page.get_by_role("button", name="Logg inn").wait_for()
    shot(page, "signed-out")
    assert page.get_by_text("Innlogget som").count() == 0
    assert page.locator(NAVIGATION).count() == 0
    page.goto(server.url)  # and the sign-in is gone for good, not only from this page
    page.get_by_role("button", name="Logg inn").wait_for()
    assert page.get_by_text("Innlogget som").count() == 0


def test_the_store_refuses_a_change_in_the_steering_groups_name(server):
    """The identity the app signed in above, calling the store's write functions on the
    app's own database file: each is refused, and the file is exactly as it was."""
    server.stop()  # the app holds the file while it runs
    before = dump_file(server.db)
    with closing(connect(server.db)) as con:
        with pytest.raises(NotAllowed):
            settings.set_setting(con, "tender_name", "Endret av styringsgruppa", actor=STEERING)
        with pytest.raises(NotAllowed):
            access.grant(con, STEERING, access.WORKING_GROUP, actor=STEERING)
    assert dump_file(server.db) == before
