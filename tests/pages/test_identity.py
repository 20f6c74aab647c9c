"""Who is acting: local mode with its banner on every page, and with sign-in configured the
sign-in button alone, the signed-in person in the sidebar instead of the evaluator choice,
nobody let in who is not on the list, and a removed person out at their next step."""

from __future__ import annotations

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from store import access, audit
from store.db import open_database
from tests.pages.test_pages import ROOT
from ui import state

ADMIN = "admin@tffk.no"
MARIT = "marit@kommune.no"
STEERING = "styret@tffk.no"
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
    finally:
        con.close()


def opened(at: AppTest, page: str | None = None) -> AppTest:
    at.run()
    if page is not None:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("page", sorted(p.name for p in (ROOT / "pages").glob("*.py")))
def test_local_mode_says_so_on_every_page(demo_db, page):
    at = opened(app(sign_in=False), f"pages/{page}")
    assert [i.value for i in at.info if LOCAL_MODE in i.value] != []
    assert at.sidebar.selectbox(key=state.EVALUATOR) is not None


def test_not_signed_in_shows_the_sign_in_button_and_nothing_else(demo_db):
    at = opened(app())
    assert [b.label for b in at.button] == ["Logg inn"]
    assert not at.title and not at.info and not at.markdown
    with pytest.raises(KeyError):
        at.sidebar.selectbox(key=state.EVALUATOR)


def test_signed_in_the_person_replaces_the_choice_and_acts_as_themselves(demo_db):
    people(demo_db)
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


def test_someone_not_on_the_list_is_not_let_in(demo_db):
    people(demo_db)
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


def test_sign_in_before_anyone_is_admin_warns_that_everything_is_open(demo_db):
    at = opened(app(signed_in_as=STEERING))
    assert any("administrator" in w.value for w in at.warning)


def test_roles_enforced_without_sign_in_warn_that_changes_are_refused(demo_db):
    people(demo_db)
    at = opened(app(sign_in=False))
    assert not [i for i in at.info if LOCAL_MODE in i.value]
    assert any("--actor" in w.value for w in at.warning)


def tabs(at: AppTest) -> list[str]:
    return [t.label for t in at.tabs]


def test_people_and_roles_on_setup_for_the_admin_only(demo_db):
    people(demo_db)
    assert "Personer og roller" not in tabs(opened(app(signed_in_as=STEERING), "pages/setup.py"))
    at = opened(app(signed_in_as=ADMIN), "pages/setup.py")
    assert "Personer og roller" in tabs(at)
    assert STEERING in at.dataframe[-1].value["E-post"].tolist()


def test_people_and_roles_in_local_mode_with_a_note_and_every_change_logged(demo_db):
    at = opened(app(sign_in=False), "pages/setup.py")
    assert any("Lokal modus: ingen har rollen administrator" in i.value for i in at.info)
    form = [t for t in at.text_input if t.label.startswith("E-post")][0]
    form.set_value(STEERING)
    [t for t in at.text_input if t.label == "Fullt navn"][0].set_value("Sigrun Styre")
    [m for m in at.multiselect if m.label == "Roller"][0].set_value([access.STEERING_GROUP])
    [b for b in at.button if b.label == "Legg til personen"][0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Personen er lagt til." in [s.value for s in at.success]
    con = open_database(demo_db)
    try:
        assert access.roles_of(con, STEERING) == {access.STEERING_GROUP}
        assert not access.is_enforced(con)
    finally:
        con.close()


def test_a_steering_group_member_is_refused_on_the_pages_with_a_message(demo_db):
    people(demo_db)
    at = opened(app(signed_in_as=STEERING), "pages/weights.py")
    at.button(key="weights:save").click().run()
    assert not at.exception
    assert any("kan ikke endre" in e.value and "Arbeidsgruppe" in e.value for e in at.error)

    # The requirement specification: the working group's choice stays as it was, and an
    # unrecorded catalogue version (the download would record it) gives a note instead.
    at.switch_page("pages/requirements.py").run()
    shown = at.toggle(key=state.TEMPLATE_SHOW_WEIGHTS).value
    at.toggle(key=state.TEMPLATE_SHOW_WEIGHTS).set_value(not shown).run()
    assert not at.exception
    assert at.toggle(key=state.TEMPLATE_SHOW_WEIGHTS).value == shown
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
