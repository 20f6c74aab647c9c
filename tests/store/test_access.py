"""People, roles and the one check every change passes (store.access).

While nobody holds the role admin the database runs in local mode (everything allowed);
once someone does, each change is checked against the acting person's roles where it is
written, and a refused change leaves the database exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pytest
from babel.messages.pofile import read_po

from analysis import award as award_analysis
from locales import gettext_for
from store import (
    access,
    audit,
    audit_names,
    award,
    catalogue,
    evaluation,
    evaluators,
    freeze,
    libraries,
    offers,
    opening,
    profiles,
    settings,
)
from store.errors import InvalidRegistration, NotAllowed
from tests.dbdump import dump
from vendors import responses

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "demo" / "data"

ADMIN = "admin@tffk.no"
WORKING_GROUP = "arbeidsgruppa@tffk.no"
STEERING = "styret@tffk.no"
OBSERVER = "observator@tffk.no"
MARIT = "marit@kommune.no"  # the evaluator marit, who has not scored yet
RISTEN = "risten@kommune.no"  # the evaluator risten, who has submitted
STRANGER = "ukjent@example.no"  # signed in somewhere, on nobody's list


def with_people(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """The demo with a list of people: the first admin granted in local mode, the rest by
    that admin."""
    access.add_person(con, ADMIN, name="Aslak Admin", actor="oppsett")
    access.grant(con, ADMIN, access.ADMIN, actor="oppsett")
    for email, name, evaluator, role in [
        (WORKING_GROUP, "Kari Arbeidsgruppe", None, access.WORKING_GROUP),
        (STEERING, "Sigrun Styre", None, access.STEERING_GROUP),
        (OBSERVER, "Ola Observatør", None, access.OBSERVER),
        (MARIT, "Marit Johansen Somby", "marit", access.EVALUATOR),
        (RISTEN, "Risten Márjá Eira", "risten", access.EVALUATOR),
    ]:
        access.add_person(con, email, name=name, evaluator=evaluator, actor=ADMIN)
        access.grant(con, email, role, actor=ADMIN)
    return con


@pytest.fixture
def people(con):
    return with_people(con)


# --- the table ------------------------------------------------------------------------


@pytest.mark.parametrize("entity", list(audit_names.ENTITIES))
@pytest.mark.parametrize("action", list(audit_names.ACTIONS))
def test_every_entity_and_action_the_log_knows_has_a_rule(entity, action):
    """A new kind of entry cannot come without saying who may write it."""
    allowed = access.allowed_roles(entity, action)
    assert allowed <= set(access.ROLES)
    assert access.ADMIN in allowed
    assert not allowed & {access.STEERING_GROUP, access.OBSERVER}


def test_the_table_has_no_rule_for_an_entity_the_log_does_not_know():
    assert set(access.PERMISSIONS) == set(audit_names.ENTITIES)
    assert {e for e, _a in access.ACTION_PERMISSIONS} <= set(audit_names.ENTITIES)
    assert {a for _e, a in access.ACTION_PERMISSIONS} <= set(audit_names.ACTIONS)
    assert set(access.OWN_EVALUATOR) <= set(audit_names.ENTITIES)


@pytest.mark.parametrize("label", list(access.ROLES.values()))
def test_every_role_has_a_norwegian_name(label):
    with (ROOT / "locales" / "nb" / "LC_MESSAGES" / "bibvalg.po").open("rb") as handle:
        entry = read_po(handle, locale="nb").get(label)
    assert entry is not None and entry.string


# --- local mode -----------------------------------------------------------------------


def test_the_demo_runs_in_local_mode(con):
    assert not access.is_enforced(con)
    assert access.people(con).empty
    settings.set_setting(con, "tender_name", "Prøve", actor="app")
    evaluation.save_score(
        con, evaluator="marit", offer="cuovga-1", requirement="LANG-04", score=7,
        reason="Godt", actor="app",
    )  # fmt: skip
    assert settings.settings(con)["tender_name"] == "Prøve"


def test_people_without_an_admin_leave_local_mode_on(con):
    access.add_person(con, STEERING, name="Sigrun Styre", actor="app")
    access.grant(con, STEERING, access.STEERING_GROUP, actor="app")
    assert not access.is_enforced(con)
    settings.set_setting(con, "tender_name", "Prøve", actor=STEERING)


def test_the_first_admin_switches_enforcement_on(con):
    access.add_person(con, ADMIN, name="Aslak Admin", actor="app")
    access.grant(con, ADMIN, access.ADMIN, actor="app")
    assert access.is_enforced(con)
    with pytest.raises(NotAllowed):
        settings.set_setting(con, "tender_name", "Prøve", actor="app")
    settings.set_setting(con, "tender_name", "Prøve", actor=ADMIN)
    log = audit.entries(con)
    assert log[log["entity"] == "person_role"]["actor"].tolist() == ["app"]


# --- changes refused, and what they leave ---------------------------------------------


@dataclass(frozen=True)
class Change:
    """A real write function of the store, as someone would call it."""

    name: str
    run: Callable[[duckdb.DuckDBPyConnection, str], object]
    allowed: str  # a person whose roles allow it
    refused: tuple[str, ...] = (STEERING, OBSERVER, STRANGER, MARIT)
    prepare: Callable[[duckdb.DuckDBPyConnection], object] | None = None


def _score(evaluator: str) -> Callable[[duckdb.DuckDBPyConnection, str], object]:
    def run(con: duckdb.DuckDBPyConnection, actor: str) -> object:
        return evaluation.save_score(
            con, evaluator=evaluator, offer="cuovga-1", requirement="LANG-04", score=6,
            reason="Støtter nordsamisk fullt ut", actor=actor,
        )  # fmt: skip

    return run


def _catalogue(con: duckdb.DuckDBPyConnection, actor: str) -> object:
    edited = catalogue.editable(con)
    edited.loc[1, "text_en"] = edited.loc[1, "text_en"] + " (revised)"
    return catalogue.save_catalogue(con, edited, actor=actor)


def _profile(con: duckdb.DuckDBPyConnection, actor: str) -> object:
    standard = profiles.load_profile(con, "Standard")
    other = profiles.WeightProfile("Hva om", standard.criteria, standard.categories)
    return profiles.save_profile(con, other, actor=actor)


def _import(con: duckdb.DuckDBPyConnection, actor: str) -> object:
    data = (DEMO / "responses" / "cuovga-1.xlsx").read_bytes()
    return responses.import_responses(
        con, "cuovga-1", data, actor=actor, file_name="cuovga-1.xlsx", reason="Ny fil"
    )


def _libraries(con: duckdb.DuckDBPyConnection, actor: str) -> object:
    return libraries.import_libraries(
        con, (DEMO / "libraries.csv").read_bytes(), actor=actor, file_name="libraries.csv"
    )


def _declaration(evaluator: str) -> Callable[[duckdb.DuckDBPyConnection, str], object]:
    def run(con: duckdb.DuckDBPyConnection, actor: str) -> object:
        return evaluators.declare_impartiality(
            con, evaluators.Declaration(evaluator, date.today(), True), actor=actor
        )

    return run


def _freeze(con: duckdb.DuckDBPyConnection) -> object:
    return freeze.freeze_model(con, actor=ADMIN)


def _fill_in_marit(con: duckdb.DuckDBPyConnection) -> None:
    """Marit's every score and assessment, as the other evaluators gave them, so she can
    submit (written as the admin)."""
    for table, column, save in [
        ("score", "score", evaluation.save_score),
        ("mandatory_assessment", "outcome", evaluation.save_assessment),
    ]:
        copied = con.execute(
            "SELECT DISTINCT ON (offer_id, requirement_id) offer_id, requirement_id,"
            f" {column}, reason FROM {table} ORDER BY ALL"
        ).fetchall()
        for offer, requirement, value, reason in copied:
            save(
                con, evaluator="marit", offer=offer, requirement=requirement,
                reason=reason, actor=ADMIN, **{column: value},
            )  # fmt: skip


def _award(con: duckdb.DuckDBPyConnection, actor: str = ADMIN) -> object:
    return award_analysis.decide(con, "nordlys-1", reason="Først i rangeringen", actor=actor)


CHANGES = [
    Change("own score", _score("marit"), MARIT, (STEERING, OBSERVER, STRANGER, WORKING_GROUP)),
    Change("another's score", _score("marit"), ADMIN, (RISTEN, WORKING_GROUP, STEERING)),
    Change(
        "submit",
        lambda con, actor: evaluation.submit(con, evaluator="marit", actor=actor),
        MARIT,
        (RISTEN, WORKING_GROUP, STEERING, OBSERVER),
        prepare=_fill_in_marit,
    ),
    Change("own declaration", _declaration("marit"), MARIT, (RISTEN, STEERING, OBSERVER)),
    Change("a declaration", _declaration("siiri"), WORKING_GROUP),
    Change("catalogue", _catalogue, WORKING_GROUP),
    Change(
        "vendor",
        lambda con, actor: offers.add_vendor(con, "ny", name="Ny leverandør", actor=actor),
        WORKING_GROUP,
    ),
    Change("freeze", lambda con, actor: freeze.freeze_model(con, actor=actor), WORKING_GROUP),
    Change("profile", _profile, WORKING_GROUP),
    Change(
        "open offers",
        lambda con, actor: opening.open_offers(con, actor=actor),
        WORKING_GROUP,
        prepare=_freeze,
    ),
    Change("import responses", _import, WORKING_GROUP),
    Change(
        "consensus",
        lambda con, actor: evaluation.save_consensus(
            con, offer="cuovga-1", requirement="LANG-04", score=9, reason="Enige", actor=actor
        ),
        WORKING_GROUP,
    ),
    Change(
        "accept medians",
        lambda con, actor: evaluation.accept_medians(
            con, max_range=10, reason="Enige uten møte", actor=actor
        ),
        WORKING_GROUP,
        prepare=lambda con: con.execute("DELETE FROM consensus"),
    ),
    Change(
        "setting",
        lambda con, actor: settings.set_setting(con, "tender_name", "Nytt", actor=actor),
        WORKING_GROUP,
    ),
    Change("libraries", _libraries, WORKING_GROUP),
    Change(
        "evaluator",
        lambda con, actor: evaluators.add_evaluator(con, "ny", name="Ny Evaluator", actor=actor),
        WORKING_GROUP,
    ),
    Change("award", _award, WORKING_GROUP),
    Change(
        "withdraw the award",
        lambda con, actor: award.withdraw(con, reason="Feil tilbud", actor=actor),
        WORKING_GROUP,
        prepare=_award,
    ),
    Change(
        "award letter",
        lambda con, actor: award.save_letter_text(con, "tindra", "nb", "Tekst", actor=actor),
        WORKING_GROUP,
        prepare=_award,
    ),
    Change(
        "person",
        lambda con, actor: access.add_person(con, "ny@tffk.no", name="Ny", actor=actor),
        ADMIN,
        (WORKING_GROUP, STEERING, OBSERVER, STRANGER, MARIT),
    ),
    Change(
        "role",
        lambda con, actor: access.grant(con, STEERING, access.WORKING_GROUP, actor=actor),
        ADMIN,
        (WORKING_GROUP, STEERING, OBSERVER, STRANGER, MARIT),
    ),
]


@pytest.mark.parametrize("change", CHANGES, ids=[c.name for c in CHANGES])
def test_a_change_is_refused_to_every_role_that_may_not_and_leaves_nothing(people, change):
    if change.prepare is not None:
        change.prepare(people)
    before = dump(people)
    for actor in change.refused:
        with pytest.raises(NotAllowed) as refused:
            change.run(people, actor)
        assert actor in str(refused.value)
        assert dump(people) == before, actor
    change.run(people, change.allowed)
    assert dump(people) != before
    assert audit.entries(people)["actor"].iloc[-1] == change.allowed
    assert audit.verify(people).intact


def test_an_evaluator_may_not_write_another_evaluators_score(people):
    before = dump(people)
    with pytest.raises(NotAllowed) as refused:
        _score("marit")(people, RISTEN)
    assert "marit" in str(refused.value) and "risten@" in str(refused.value)
    assert "«marit»" in refused.value.translated("nb")
    assert dump(people) == before


def test_a_refusal_names_the_roles_needed_in_the_users_language(people):
    with pytest.raises(NotAllowed) as refused:
        settings.set_setting(people, "tender_name", "Nytt", actor=STEERING)
    assert "Admin, Working group" in str(refused.value)
    norwegian = refused.value.translated("nb")
    assert gettext_for("nb", "Working group") in norwegian
    assert gettext_for("nb", "Setting") in norwegian
    with pytest.raises(NotAllowed) as refused:
        settings.set_setting(people, "tender_name", "Nytt", actor=STRANGER)
    assert STRANGER in refused.value.translated("nb")


def test_the_published_profile_is_the_working_groups_to_save(people):
    standard = profiles.load_profile(people, "Standard")
    before = dump(people)
    for actor in (STEERING, MARIT, "app"):
        with pytest.raises(NotAllowed):
            profiles.save_profile(people, standard, actor=actor, reason="")
        assert dump(people) == before
    changed = profiles.WeightProfile(
        "Standard", {**standard.criteria, "price": 35.0}, standard.categories,
        climate_justification="Klimakrav er dekket av kvalifikasjonskravene.",
    )  # fmt: skip
    profiles.save_profile(people, changed, actor=WORKING_GROUP)
    assert profiles.load_profile(people, "Standard").criteria["price"] == 35.0


# --- managing people ------------------------------------------------------------------


def test_people_and_their_roles_are_listed_and_logged(people):
    table = access.people(people).set_index("id")
    assert table.loc[MARIT, "evaluator_id"] == "marit"
    assert table.loc[ADMIN, "roles"] == [access.ADMIN]
    access.grant(people, WORKING_GROUP, access.STEERING_GROUP, actor=ADMIN)
    assert access.roles_of(people, WORKING_GROUP.upper()) == {
        access.WORKING_GROUP,
        access.STEERING_GROUP,
    }
    assert not access.grant(people, WORKING_GROUP, access.STEERING_GROUP, actor=ADMIN)
    assert access.revoke(people, WORKING_GROUP, access.STEERING_GROUP, actor=ADMIN)
    log = audit.entries(people)
    mine = log[log["entity_id"] == f"{WORKING_GROUP}/{access.STEERING_GROUP}"]
    assert mine["action"].tolist() == ["grant", "revoke"]


def test_a_removed_person_loses_every_role_at_once(people):
    access.remove_person(people, MARIT, actor=ADMIN, reason="Sluttet")
    assert access.roles_of(people, MARIT) == frozenset()
    assert MARIT not in set(access.people(people)["id"])
    found = access.person(people, MARIT)
    assert found is not None and found.removed
    with pytest.raises(NotAllowed):
        _score("marit")(people, MARIT)
    access.add_person(people, MARIT, name="Marit", evaluator="marit", actor=ADMIN)
    assert access.roles_of(people, MARIT) == frozenset()


@pytest.mark.parametrize(
    "attempt",
    [
        lambda con: access.add_person(con, "ikke-epost", name="X", actor=ADMIN),
        lambda con: access.add_person(con, "x@tffk.no", name=" ", actor=ADMIN),
        lambda con: access.add_person(con, STEERING, name="Igjen", actor=ADMIN),
        lambda con: access.add_person(con, "x@tffk.no", name="X", evaluator="marit", actor=ADMIN),
        lambda con: access.grant(con, STEERING, "superuser", actor=ADMIN),
        lambda con: access.grant(con, STEERING, access.EVALUATOR, actor=ADMIN),
        lambda con: access.grant(con, "ingen@tffk.no", access.OBSERVER, actor=ADMIN),
        lambda con: access.revoke(con, ADMIN, access.ADMIN, actor=ADMIN),
        lambda con: access.remove_person(con, ADMIN, actor=ADMIN),
    ],
    ids=[
        "not an e-mail",
        "no name",
        "twice",
        "evaluator bound already",
        "unknown role",
        "evaluator role without an evaluator",
        "unknown person",
        "the last admin's role",
        "the last admin",
    ],
)
def test_what_cannot_be_done_to_people_is_refused_and_leaves_nothing(people, attempt):
    before = dump(people)
    with pytest.raises(InvalidRegistration):
        attempt(people)
    assert dump(people) == before


def test_an_admin_does_not_demote_or_remove_themselves(people):
    access.grant(people, WORKING_GROUP, access.ADMIN, actor=ADMIN)
    before = dump(people)
    with pytest.raises(InvalidRegistration, match="another admin"):
        access.revoke(people, ADMIN, access.ADMIN, actor=ADMIN)
    with pytest.raises(InvalidRegistration, match="another admin"):
        access.remove_person(people, ADMIN, actor=ADMIN)
    assert dump(people) == before
    access.revoke(people, ADMIN, access.ADMIN, actor=WORKING_GROUP)
    assert access.roles_of(people, ADMIN) == frozenset()
    assert access.is_enforced(people)
