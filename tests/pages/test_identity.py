"""Who is acting: local mode with its banner on every page, and with sign-in configured the
sign-in button alone, the signed-in person in the sidebar instead of the evaluator choice,
nobody let in who is not on the list, and a removed person out at their next step."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from store import access, audit, settings
from store.db import open_database
from tests.dbdump import shared_read_only
from tests.pages.test_pages import ROOT, every_tab, open_tab
from ui import state

ADMIN = "admin@tffk.no"
MARIT = "marit@kommune.no"
STEERING = "styret@tffk.no"
WORKING_GROUP = "arbeidsgruppa@tffk.no"
OBSERVER = "observator@tffk.no"
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-cookie-secret-long-enough-for-the-test-0123456789",
    "client_id": "bibvalg",
    "client_secret": "secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
LOCAL_MODE = "Lokal modus"


def app(*, signed_in_as: str | None = None, sign_in: bool = True) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state[state.LANGUAGE] = "nb"
    if sign_in:
        at.secrets["auth"] = AUTH
        at.user = (
            {"is_logged_in": True, "email": signed_in_as.upper(), "name": "Fra innloggingen"}
            if signed_in_as
            else {"is_logged_in": False}
        )
    return at


def people(path) -> None:
    con = open_database(path)
    try:
        access.add_person(con, ADMIN, name="Aslak Admin", roles=[access.ADMIN], actor="oppsett")
        access.add_person(
            con, MARIT, name="Marit", evaluator="marit", roles=[access.EVALUATOR], actor=ADMIN
        )
        access.add_person(
            con, STEERING, name="Sigrun Styre", roles=[access.STEERING_GROUP], actor=ADMIN
        )
        access.add_person(
            con, WORKING_GROUP, name="Kari Arbeid", roles=[access.WORKING_GROUP], actor=ADMIN
        )
        access.add_person(
            con, OBSERVER, name="Ola Observatør", roles=[access.OBSERVER], actor=ADMIN
        )
    finally:
        con.close()


@pytest.fixture(scope="module")
def _people_db(demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("people") / "people.duckdb"
    shutil.copy(demo_db_template, path)
    people(path)
    return path


@pytest.fixture
def people_db(_people_db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The demo with its list of people, shared by the tests that only read it."""
    with shared_read_only(_people_db, monkeypatch) as path:
        yield path


def opened(at: AppTest, page: str | None = None) -> AppTest:
    at.run()
    if page is not None:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("page", sorted(p.name for p in (ROOT / "pages").glob("*.py")))
def test_local_mode_says_so_on_every_page(read_only_demo_db, page):
    at = opened(app(sign_in=False), f"pages/{page}")
    assert [i.value for i in at.info if LOCAL_MODE in i.value] != []
    assert at.sidebar.selectbox(key=state.EVALUATOR) is not None


def test_not_signed_in_shows_the_sign_in_button_and_nothing_else(read_only_demo_db):
    at = opened(app())
    assert [b.label for b in at.button] == ["Logg inn"]
    assert not at.title and not at.info and not at.markdown
    with pytest.raises(KeyError):
        at.sidebar.selectbox(key=state.EVALUATOR)


def test_signed_in_the_person_replaces_the_choice_and_acts_as_themselves(people_db):
    at = opened(app(signed_in_as=MARIT), "pages/evaluation.py")
    assert not [i for i in at.info if LOCAL_MODE in i.value]
    sidebar = [m.value for m in at.sidebar.markdown]
    assert any("Marit" in m and MARIT in m for m in sidebar)
    assert "Logg ut" in [b.label for b in at.sidebar.button]
    with pytest.raises(KeyError):
        at.sidebar.selectbox(key=state.EVALUATOR)
    assert any("Gir poeng som Marit Johansen Somby" in c.value for c in at.sidebar.caption)
    user = at.session_state[state.SIGNED_IN]
    assert (user.email, user.person.evaluator_id) == (MARIT, "marit")


def test_someone_not_on_the_list_is_not_let_in(people_db):
    at = opened(app(signed_in_as="ukjent@example.no"))
    assert any("ukjent@example.no" in e.value for e in at.error)
    assert [b.label for b in at.button] == ["Logg ut"]
    assert not at.title


def test_a_removed_person_loses_access_at_the_next_step(demo_db):
    people(demo_db)
    at = opened(app(signed_in_as=STEERING))
    assert at.title
    con = open_database(demo_db)
    try:
        access.remove_person(con, STEERING, actor=ADMIN, reason="Ute av styringsgruppa")
    finally:
        con.close()
    at.run()
    assert any(STEERING in e.value for e in at.error)
    assert not at.title


def test_sign_in_before_anyone_is_admin_warns_that_everything_is_open(read_only_demo_db):
    at = opened(app(signed_in_as=STEERING))
    assert any("administrator" in w.value for w in at.warning)


def test_roles_enforced_without_sign_in_warn_that_changes_are_refused(people_db):
    at = opened(app(sign_in=False))
    assert not [i for i in at.info if LOCAL_MODE in i.value]
    assert any("--actor" in w.value for w in at.warning)


def tabs(at: AppTest) -> list[str]:
    return [t.label for t in at.tabs]


def test_people_and_roles_on_setup_for_the_admin_only(people_db):
    assert "Personer og roller" not in tabs(
        opened(app(signed_in_as=WORKING_GROUP), "pages/setup.py")
    )
    at = opened(app(signed_in_as=ADMIN), "pages/setup.py")
    assert "Personer og roller" in tabs(at)
    open_tab(at, state.SETUP_TAB, "Personer og roller")
    assert STEERING in at.dataframe[-1].value["E-post"].tolist()


PAGES = sorted(p.stem for p in (ROOT / "pages").glob("*.py"))
# Labels (in Norwegian) of the controls that change data; none may meet a reader.
CHANGE_WORDS = (
    "lagre", "importer", "last opp", "frys", "send inn", "åpne tilbud", "legg til",
    "slett", "fjern", "godta", "publiser", "registrer", "kontroller filen",
)  # fmt: skip


def change_controls(at: AppTest) -> list[str]:
    """The controls on the page that would change data: buttons with a change word, file
    uploads and editable tables."""
    found = [b.label for b in at.button if any(w in b.label.lower() for w in CHANGE_WORDS)]
    found += ["file_uploader"] * len(at.get("file_uploader"))
    return found


def test_the_steering_group_reads_every_page_but_setup_and_meets_no_control_that_changes(
    people_db,
):
    at = opened(app(signed_in_as=STEERING))
    assert at.session_state[state.SIGNED_IN].roles == {access.STEERING_GROUP}
    for page in PAGES:
        if page == "setup":
            with pytest.raises(ValueError, match="navigation page"):
                at.switch_page(f"pages/{page}.py")
            continue
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert at.title, page
        for tab in every_tab(at, page):
            assert change_controls(at) == [], (page, tab)
    # The same pages for the working group hold the controls the steering group lacks.
    worker = opened(app(signed_in_as=WORKING_GROUP), "pages/weights.py")
    assert "Lagre" in [b.label for b in worker.button]


def test_an_observer_reads_the_rankings_only(people_db):
    at = opened(app(signed_in_as=OBSERVER))
    assert any("Rangering" in s.value for s in at.subheader)
    for page in PAGES:
        if page in ("overview", "methods", "robustness"):
            at.switch_page(f"pages/{page}.py").run()
            assert not at.exception and at.title, page
            assert change_controls(at) == [], page
        else:
            with pytest.raises(ValueError, match="navigation page"):
                at.switch_page(f"pages/{page}.py")


PRICE_PAGES = ["overview", "weights", "price", "methods", "robustness"]
PRICES_HIDDEN = "Prisene er skjult"


def hidden_prices(at: AppTest) -> bool:
    return any(PRICES_HIDDEN in i.value for i in at.info)


@pytest.mark.parametrize("page", PRICE_PAGES)
def test_an_evaluator_who_has_not_submitted_sees_no_prices(people_db, page):
    at = opened(app(signed_in_as=MARIT), f"pages/{page}.py")
    assert hidden_prices(at)
    assert not at.get("plotly_chart")
    shown = " ".join(m.value for m in [*at.markdown, *at.caption, *at.metric])
    assert "MNOK" not in shown and "NOK" not in shown
    # The working group sees them all along.
    assert not hidden_prices(opened(app(signed_in_as=WORKING_GROUP), f"pages/{page}.py"))


def test_prices_appear_for_an_evaluator_once_submitted_or_when_the_tender_is_not_blind(demo_db):
    people(demo_db)
    con = open_database(demo_db)
    try:
        # risten has submitted in the demo: bind a person to her.
        access.add_person(
            con, "risten@kommune.no", name="Risten", evaluator="risten",
            roles=[access.EVALUATOR], actor=ADMIN,
        )  # fmt: skip
    finally:
        con.close()
    assert not hidden_prices(opened(app(signed_in_as="risten@kommune.no"), "pages/price.py"))
    assert hidden_prices(opened(app(signed_in_as=MARIT), "pages/price.py"))
    con = open_database(demo_db)
    try:
        settings.set_setting(con, "price_blind", "false", actor=WORKING_GROUP)
    finally:
        con.close()
    assert not hidden_prices(opened(app(signed_in_as=MARIT), "pages/price.py"))


def test_the_log_leaves_out_the_prices_for_a_price_blind_evaluator(people_db):
    at = opened(app(signed_in_as=MARIT), "pages/log.py")
    shown = at.dataframe[0].value
    assert len(shown) > 0
    assert not shown.astype(str).apply(lambda c: c.str.contains("amounts")).any().any()
    worker = opened(app(signed_in_as=WORKING_GROUP), "pages/log.py")
    assert (
        worker.dataframe[0].value.astype(str).apply(lambda c: c.str.contains("amounts")).any().any()
    )


def test_in_local_mode_the_evaluator_chosen_scores_price_blind_too(read_only_demo_db):
    at = opened(app(sign_in=False))
    at.sidebar.selectbox(key=state.EVALUATOR).set_value("marit").run()
    at.switch_page("pages/price.py").run()
    assert hidden_prices(at)
    at.sidebar.selectbox(key=state.EVALUATOR).set_value("").run()
    assert not hidden_prices(at)


def test_the_download_that_would_record_a_version_gives_a_reader_a_note(demo_db):
    people(demo_db)
    at = opened(app(signed_in_as=STEERING), "pages/requirements.py")
    raw = duckdb.connect(str(demo_db))
    try:
        raw.execute("UPDATE requirement SET text_en = text_en || '.' WHERE id = 'LANG-01'")
    finally:
        raw.close()
    at.run()
    assert not at.exception
    assert any("ikke registrert" in i.value for i in at.info)
    con = open_database(demo_db)
    try:
        entries = audit.entries(con)
        assert not (entries["actor"] == STEERING).any()
    finally:
        con.close()
