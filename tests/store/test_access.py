"""People, roles and the one check every change passes (store.access).

While nobody holds the role admin the database runs in local mode (everything allowed);
once someone does, each change is checked against the acting person's roles where it is
written, and a refused change leaves the database exactly as it was.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import shutil
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from babel.messages.pofile import read_po

from analysis import award as award_analysis
from demo import catalogue_template
from locales import gettext_for
from store import (
    access,
    audit,
    audit_names,
    award,
    backup,
    catalogue,
    criteria,
    db,
    evaluation,
    evaluators,
    freeze,
    language_results,
    libraries,
    library_input,
    offers,
    offline_scores,
    opening,
    price_schedule,
    profiles,
    settings,
    tender,
)
from store import responses as store_responses
from store.db import connect
from store.errors import InvalidRegistration, NotAllowed
from tender_files import catalogue_workbook, input_workbook
from tests.dbdump import dump, refused_unchanged
from tests.vendors import xlsx
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


@pytest.fixture(scope="session")
def people_template(demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo with its people, built once (as ``demo_db_template``) and copied per test."""
    path = tmp_path_factory.mktemp("people") / "people.duckdb"
    shutil.copy(demo_db_template, path)
    with closing(connect(path)) as connection:
        with_people(connection)
    return path


@pytest.fixture
def people(people_template: Path, tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    path = tmp_path / "people.duckdb"
    shutil.copy(people_template, path)
    with closing(connect(path)) as connection:
        yield connection


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

    function: Callable[..., object]  # the function of the data layer it calls
    run: Callable[[duckdb.DuckDBPyConnection, str], object]
    allowed: str  # a person whose roles allow it
    refused: tuple[str, ...] = (STEERING, OBSERVER, STRANGER, MARIT)
    prepare: Callable[[duckdb.DuckDBPyConnection], object] | None = None
    name: str = ""  # the test's id where the function's own name does not say enough

    def __str__(self) -> str:
        return self.name or _public_name(self.function).rsplit(".", 1)[-1]


def _score(evaluator: str) -> Callable[[duckdb.DuckDBPyConnection, str], object]:
    def run(con: duckdb.DuckDBPyConnection, actor: str) -> object:
        return evaluation.save_score(
            con, evaluator=evaluator, offer="cuovga-1", requirement="LANG-04", score=6,
            reason="Støtter nordsamisk fullt ut", actor=actor,
        )  # fmt: skip

    return run


def _revised(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    edited = catalogue.editable(con)
    edited.loc[1, "text_en"] = edited.loc[1, "text_en"] + " (revised)"
    return edited


def _catalogue(con: duckdb.DuckDBPyConnection, actor: str) -> object:
    return catalogue.save_catalogue(con, _revised(con), actor=actor)


def _catalogue_written(con: duckdb.DuckDBPyConnection, actor: str) -> object:
    return catalogue.write_catalogue(con, _revised(con), actor=actor)


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
    """Marit's every score and assessment, as risten gave them, so she can submit (copied
    past the store: only the state they leave matters here)."""
    for table in ("score", "mandatory_assessment"):
        con.execute(
            f"INSERT INTO {table} SELECT * REPLACE ('marit' AS evaluator_id)"
            f" FROM {table} WHERE evaluator_id = 'risten'"
        )


def _award(con: duckdb.DuckDBPyConnection, actor: str = ADMIN) -> object:
    return award_analysis.decide(con, "nordlys-1", reason="Først i rangeringen", actor=actor)


Run = Callable[[duckdb.DuckDBPyConnection, str], object]
ADMIN_ONLY = (WORKING_GROUP, STEERING, OBSERVER, STRANGER, MARIT)
MARITS_OWN = (STEERING, OBSERVER, STRANGER, WORKING_GROUP, RISTEN)


def _inside(run: Run) -> Run:
    """A function that works inside the caller's transaction, called so (its contract):
    a refusal rolls the whole transaction back."""

    def inside(con: duckdb.DuckDBPyConnection, actor: str) -> object:
        with db.transaction(con):
            return run(con, actor)

    return inside


CHANGES = [
    Change(
        evaluation.save_score,
        _score("marit"),
        MARIT,
        (STEERING, OBSERVER, STRANGER, WORKING_GROUP),
        name="own score",
    ),
    Change(
        evaluation.save_score,
        _score("marit"),
        ADMIN,
        (RISTEN, WORKING_GROUP, STEERING),
        name="another's score",
    ),
    Change(
        evaluation.submit,
        lambda con, actor: evaluation.submit(con, evaluator="marit", actor=actor),
        MARIT,
        (RISTEN, WORKING_GROUP, STEERING, OBSERVER),
        prepare=_fill_in_marit,
    ),
    Change(
        evaluators.declare_impartiality,
        _declaration("marit"),
        MARIT,
        (RISTEN, STEERING, OBSERVER),
        name="own declaration",
    ),
    Change(
        evaluators.declare_impartiality, _declaration("siiri"), WORKING_GROUP, name="a declaration"
    ),
    Change(catalogue.save_catalogue, _catalogue, WORKING_GROUP, name="catalogue"),
    Change(
        offers.add_vendor,
        lambda con, actor: offers.add_vendor(con, "ny", name="Ny leverandør", actor=actor),
        WORKING_GROUP,
        name="vendor",
    ),
    Change(
        freeze.freeze_model,
        lambda con, actor: freeze.freeze_model(con, actor=actor),
        WORKING_GROUP,
        name="freeze",
    ),
    Change(profiles.save_profile, _profile, WORKING_GROUP, name="profile"),
    Change(
        opening.open_offers,
        lambda con, actor: opening.open_offers(con, actor=actor),
        WORKING_GROUP,
        prepare=_freeze,
        name="open offers",
    ),
    Change(responses.import_responses, _import, WORKING_GROUP, name="import responses"),
    Change(
        evaluation.save_consensus,
        lambda con, actor: evaluation.save_consensus(
            con, offer="cuovga-1", requirement="LANG-04", score=9, reason="Enige", actor=actor
        ),
        WORKING_GROUP,
        name="consensus",
    ),
    Change(
        evaluation.accept_medians,
        lambda con, actor: evaluation.accept_medians(
            con, max_range=10, reason="Enige uten møte", actor=actor
        ),
        WORKING_GROUP,
        prepare=lambda con: con.execute("DELETE FROM consensus"),
        name="accept medians",
    ),
    Change(
        settings.set_setting,
        lambda con, actor: settings.set_setting(con, "tender_name", "Nytt", actor=actor),
        WORKING_GROUP,
        name="setting",
    ),
    Change(libraries.import_libraries, _libraries, WORKING_GROUP, name="libraries"),
    Change(
        evaluators.add_evaluator,
        lambda con, actor: evaluators.add_evaluator(con, "ny", name="Ny Evaluator", actor=actor),
        WORKING_GROUP,
        name="evaluator",
    ),
    Change(award.write_award, _award, WORKING_GROUP, name="award"),
    Change(
        award.withdraw,
        lambda con, actor: award.withdraw(con, reason="Feil tilbud", actor=actor),
        WORKING_GROUP,
        prepare=_award,
        name="withdraw the award",
    ),
    Change(
        award.write_withdrawal,
        _inside(lambda con, actor: award.write_withdrawal(con, reason="Feil tilbud", actor=actor)),
        WORKING_GROUP,
        prepare=_award,
        name="withdraw the award, inside a transaction",
    ),
    Change(
        award.write_letter_text,
        _inside(
            lambda con, actor: award.write_letter_text(con, "tindra", "nb", "Tekst", actor=actor)
        ),
        WORKING_GROUP,
        prepare=_award,
        name="award letter, inside a transaction",
    ),
    Change(
        backup.make_backup,
        lambda con, actor: backup.make_backup(con, actor=actor, file_name="kopi.zip"),
        ADMIN,
        (WORKING_GROUP, STEERING, OBSERVER, STRANGER, MARIT),
        name="backup",
    ),
    Change(
        award.save_letter_text,
        lambda con, actor: award.save_letter_text(con, "tindra", "nb", "Tekst", actor=actor),
        WORKING_GROUP,
        prepare=_award,
        name="award letter",
    ),
    Change(
        access.add_person,
        lambda con, actor: access.add_person(con, "ny@tffk.no", name="Ny", actor=actor),
        ADMIN,
        (WORKING_GROUP, STEERING, OBSERVER, STRANGER, MARIT),
        name="person",
    ),
    Change(
        access.grant,
        lambda con, actor: access.grant(con, STEERING, access.WORKING_GROUP, actor=actor),
        ADMIN,
        (WORKING_GROUP, STEERING, OBSERVER, STRANGER, MARIT),
        name="role",
    ),
]


# --- every other function that changes data, one case each --------------------------


def _requirement_revised(con: duckdb.DuckDBPyConnection) -> catalogue.Change:
    """LANG-04 with its English text revised, as a validated change."""
    frame = catalogue.editable(con)
    old = frame[frame["id"] == "LANG-04"].to_dict("records")[0]
    return catalogue.Change("update", "LANG-04", old, {**old, "text_en": old["text_en"] + " (ny)"})


def _criteria_renamed(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The award criteria with one renamed; the weights as they are (environment 30 %)."""
    edited = criteria.editable_criteria(con)
    edited.loc[edited["id"] == "quality", "name_en"] = "Quality of the system"
    return edited


def _categories_renamed(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    edited = criteria.editable_categories(con)
    edited.loc[edited.index[0], "name_en"] = edited.loc[edited.index[0], "name_en"] + " (ny)"
    return edited


def _schedule_revised(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    edited = price_schedule.editable(con)
    edited.loc[1, "text_en"] = edited.loc[1, "text_en"] + " (revised)"
    return edited


def _catalogue_tables_revised(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    return {**catalogue_workbook.catalogue_tables(con), "criteria": _criteria_renamed(con)}


def _catalogue_workbook_revised(con: duckdb.DuckDBPyConnection) -> bytes:
    workbook = xlsx.open_workbook(catalogue_workbook.export_catalogue(con))
    sheet = workbook["Kriterier – Criteria"]
    column = next(cell.column for cell in sheet[1] if cell.value == "Name (English)")
    sheet.cell(row=2, column=column).value = "Renamed"
    return xlsx.to_bytes(workbook)


def _what_if(con: duckdb.DuckDBPyConnection) -> profiles.WeightProfile:
    standard = profiles.load_profile(con, "Standard")
    return profiles.WeightProfile("Hva om", standard.criteria, standard.categories)


def _group(con: duckdb.DuckDBPyConnection) -> tuple[libraries.StakeholderGroup, object]:
    return libraries.StakeholderGroup("ny", "Hva om", "Ny gruppe", "New group"), _what_if(con)


def _libraries_renamed(con: duckdb.DuckDBPyConnection) -> list[dict[str, object]]:
    rows = libraries.check_library_list((DEMO / "libraries.csv").read_bytes(), "libraries.csv")
    return [{**rows[0], "name": f"{rows[0]['name']} (ny)"}, *rows[1:]]


def _responses(con: duckdb.DuckDBPyConnection) -> object:
    return responses.check_workbook(con, (DEMO / "responses" / "cuovga-1.xlsx").read_bytes())


def _round_written(con: duckdb.DuckDBPyConnection, actor: str) -> object:
    parsed = responses.check_workbook(con, (DEMO / "responses" / "cuovga-1.xlsx").read_bytes())
    assert parsed.marks is not None
    return store_responses.write_round(
        con, "cuovga-1", parsed.answers, parsed.prices, round_number=1, sha256=parsed.sha256,
        catalogue_version=parsed.marks.catalogue_version, actor=actor, reason="Ny fil",
    )  # fmt: skip


def _unrecorded(con: duckdb.DuckDBPyConnection) -> None:
    """The catalogue changed since its last recorded version (edited past the app)."""
    con.execute("UPDATE requirement SET text_en = text_en || ' (ny)' WHERE id = 'LANG-04'")


def _empty_catalogue(con: duckdb.DuckDBPyConnection) -> None:
    """No criteria, categories, requirements or price lines: what a template starts."""
    for table in ("requirement", "category", "award_criterion", "price_line"):
        con.execute(f"DELETE FROM {table}")


def _contract_years_changed(con: duckdb.DuckDBPyConnection) -> None:
    """A change to the frozen model, made past the store (the caller's part)."""
    con.execute("UPDATE setting SET value = '5' WHERE key = 'contract_years'")


def _model_changed(con: duckdb.DuckDBPyConnection, actor: str) -> object:
    with db.transaction(con), freeze.model_change(con, actor=actor, reason="Rettet"):
        _contract_years_changed(con)
    return None


def _recorded_model_change(con: duckdb.DuckDBPyConnection, actor: str) -> object:
    _contract_years_changed(con)
    return freeze.record_model_change(con, actor=actor, reason="Rettet")


def _offline_score(con: duckdb.DuckDBPyConnection, actor: str) -> object:
    entry = offline_scores.Entry("cuovga-1", "LANG-04", 6.0, "Godt", None, "")
    return offline_scores.import_entries(
        con, evaluator="marit", scores=[entry], assessments=[], actor=actor
    )


def _opened(con: duckdb.DuckDBPyConnection) -> None:
    """The model frozen and the offers opened: evaluators may score offline."""
    freeze.freeze_model(con, actor=ADMIN)
    opening.open_offers(con, actor=ADMIN)


def _new_vendor(con: duckdb.DuckDBPyConnection) -> None:
    offers.add_vendor(con, "ny", name="Ny leverandør", actor=ADMIN)


def _price_model(con: duckdb.DuckDBPyConnection, actor: str) -> object:
    parameters = settings.price_parameters(con)
    return settings.save_price_model(con, "proportional", parameters, actor=actor, reason="Ny")


def _person(write: Callable[..., object]) -> Run:
    return lambda con, actor: write(con, "ny@tffk.no", name="Ny", actor=actor)


def _grant(write: Callable[..., object]) -> Run:
    return lambda con, actor: write(con, STEERING, access.WORKING_GROUP, actor=actor)


def _revoke(write: Callable[..., object]) -> Run:
    return lambda con, actor: write(con, RISTEN, access.EVALUATOR, actor=actor)


def _removal(write: Callable[..., object]) -> Run:
    return lambda con, actor: write(con, RISTEN, actor=actor, reason="Sluttet")


def _assessment(write: Callable[..., object]) -> Run:
    return lambda con, actor: write(
        con, evaluator="marit", offer="cuovga-1", requirement="LANG-01", outcome="met",
        reason="Oppfylt", actor=actor,
    )  # fmt: skip


def _mandatory_check(write: Callable[..., object]) -> Run:
    return lambda con, actor: write(
        con, offer="cuovga-1", requirement="LANG-01", outcome="not_met", reason="Ikke oppfylt",
        actor=actor,
    )  # fmt: skip


def _vendor(write: Callable[..., object]) -> Run:
    return lambda con, actor: write(con, "ny", name="Ny leverandør", actor=actor)


def _offer(write: Callable[..., object]) -> Run:
    return lambda con, actor: write(con, "ny-1", vendor="ny", product="Ny", actor=actor)


CHANGES += [
    # store.access: the people, the admin's alone
    Change(
        access.write_person,
        _inside(_person(access.write_person)),
        ADMIN,
        ADMIN_ONLY,
    ),
    Change(access.write_grant, _inside(_grant(access.write_grant)), ADMIN, ADMIN_ONLY),
    Change(access.revoke, _revoke(access.revoke), ADMIN, ADMIN_ONLY),
    Change(
        access.write_revoke,
        _inside(_revoke(access.write_revoke)),
        ADMIN,
        ADMIN_ONLY,
    ),
    Change(access.remove_person, _removal(access.remove_person), ADMIN, ADMIN_ONLY),
    Change(
        access.write_removal,
        _inside(_removal(access.write_removal)),
        ADMIN,
        ADMIN_ONLY,
    ),
    # store.audit
    Change(
        audit.record,
        _inside(
            lambda con, actor: audit.record(
                con,
                actor=actor,
                action="update",
                entity="setting",
                entity_id="tender_name",
                new="Nytt",
            )
        ),
        WORKING_GROUP,
    ),  # fmt: skip
    # store.catalogue
    Change(
        catalogue.record_version,
        _inside(lambda con, actor: catalogue.record_version(con, actor=actor, reason="Ny")),
        WORKING_GROUP,
    ),
    Change(
        catalogue.ensure_recorded,
        lambda con, actor: catalogue.ensure_recorded(con, actor=actor),
        WORKING_GROUP,
        prepare=_unrecorded,
    ),
    Change(
        catalogue.write_rows,
        _inside(
            lambda con, actor: catalogue.write_rows(
                con,
                entity="requirement",
                columns=catalogue.EDIT_COLUMNS,
                changes=[_requirement_revised(con)],
                actor=actor,
            )
        ),
        WORKING_GROUP,
    ),  # fmt: skip
    Change(
        catalogue.write_requirements,
        _inside(
            lambda con, actor: catalogue.write_requirements(
                con, [_requirement_revised(con)], actor=actor
            )
        ),
        WORKING_GROUP,
    ),  # fmt: skip
    # store.criteria
    Change(
        criteria.save_model,
        lambda con, actor: criteria.save_model(con, criteria=_criteria_renamed(con), actor=actor),
        WORKING_GROUP,
    ),
    Change(
        criteria.write_model,
        _inside(
            lambda con, actor: criteria.write_model(
                con, criteria=_criteria_renamed(con), actor=actor
            )
        ),
        WORKING_GROUP,
    ),  # fmt: skip
    Change(
        criteria.save_criteria,
        lambda con, actor: criteria.save_criteria(con, _criteria_renamed(con), actor=actor),
        WORKING_GROUP,
    ),
    Change(
        criteria.save_categories,
        lambda con, actor: criteria.save_categories(con, _categories_renamed(con), actor=actor),
        WORKING_GROUP,
    ),
    Change(
        criteria.start_from_template,
        lambda con, actor: criteria.start_from_template(con, catalogue_template(), actor=actor),
        WORKING_GROUP,
        prepare=_empty_catalogue,
    ),
    Change(
        criteria.write_template,
        _inside(lambda con, actor: criteria.write_template(con, catalogue_template(), actor=actor)),
        WORKING_GROUP,
        prepare=_empty_catalogue,
    ),
    Change(
        criteria.import_model,
        lambda con, actor: criteria.import_model(con, _catalogue_tables_revised(con), actor=actor),
        WORKING_GROUP,
    ),
    Change(
        catalogue_workbook.import_catalogue,
        lambda con, actor: catalogue_workbook.import_catalogue(
            con, _catalogue_workbook_revised(con), actor=actor, file_name="katalog.xlsx"
        ),
        WORKING_GROUP,
    ),
    # store.evaluation
    Change(
        evaluation.write_score,
        _inside(
            lambda con, actor: evaluation.write_score(
                con,
                evaluator="marit",
                offer="cuovga-1",
                requirement="LANG-04",
                score=6,
                reason="Godt",
                actor=actor,
            )
        ),
        MARIT,
        MARITS_OWN,
    ),  # fmt: skip
    Change(
        evaluation.save_assessment,
        _assessment(evaluation.save_assessment),
        MARIT,
        MARITS_OWN,
    ),
    Change(
        evaluation.write_assessment,
        _inside(_assessment(evaluation.write_assessment)),
        MARIT,
        MARITS_OWN,
    ),
    Change(
        evaluation.write_consensus,
        _inside(
            lambda con, actor: evaluation.write_consensus(
                con, offer="cuovga-1", requirement="LANG-04", score=9, reason="Enige", actor=actor
            )
        ),
        WORKING_GROUP,
    ),  # fmt: skip
    Change(
        evaluation.save_mandatory_check,
        _mandatory_check(evaluation.save_mandatory_check),
        WORKING_GROUP,
    ),
    Change(
        evaluation.write_mandatory_check,
        _inside(_mandatory_check(evaluation.write_mandatory_check)),
        WORKING_GROUP,
    ),
    Change(
        offline_scores.import_entries,
        _offline_score,
        MARIT,
        MARITS_OWN,
        prepare=_opened,
    ),
    # store.evaluators
    Change(
        evaluators.write_evaluator,
        _inside(lambda con, actor: evaluators.write_evaluator(con, "ny", name="Ny", actor=actor)),
        WORKING_GROUP,
    ),
    Change(
        evaluators.retire_evaluator,
        lambda con, actor: evaluators.retire_evaluator(con, "siiri", reason="Sluttet", actor=actor),
        WORKING_GROUP,
    ),
    Change(
        evaluators.write_declaration,
        _inside(
            lambda con, actor: evaluators.write_declaration(
                con, evaluators.Declaration("siiri", date.today(), True), actor=actor
            )
        ),
        WORKING_GROUP,
    ),  # fmt: skip
    Change(
        evaluators.reopen_submission,
        lambda con, actor: evaluators.reopen_submission(con, "risten", reason="Feil", actor=actor),
        WORKING_GROUP,
        (STEERING, OBSERVER, STRANGER, MARIT, RISTEN),
    ),
    # store.freeze
    Change(freeze.model_change, _model_changed, WORKING_GROUP, prepare=_freeze),
    Change(
        freeze.record_model_change,
        _inside(_recorded_model_change),
        WORKING_GROUP,
        prepare=_freeze,
    ),
    # store.libraries
    Change(
        libraries.save_stakeholder_group,
        lambda con, actor: libraries.save_stakeholder_group(con, *_group(con), actor=actor),
        WORKING_GROUP,
    ),
    Change(
        libraries.write_stakeholder_group,
        _inside(
            lambda con, actor: libraries.write_stakeholder_group(con, *_group(con), actor=actor)
        ),
        WORKING_GROUP,
    ),  # fmt: skip
    Change(
        libraries.write_libraries,
        _inside(
            lambda con, actor: libraries.write_libraries(con, _libraries_renamed(con), actor=actor)
        ),
        WORKING_GROUP,
    ),  # fmt: skip
    # store.offers
    Change(offers.write_vendor, _inside(_vendor(offers.write_vendor)), WORKING_GROUP),
    Change(offers.add_offer, _offer(offers.add_offer), WORKING_GROUP, prepare=_new_vendor),
    Change(
        offers.write_offer,
        _inside(_offer(offers.write_offer)),
        WORKING_GROUP,
        prepare=_new_vendor,
    ),
    # store.price_schedule
    Change(
        price_schedule.save_schedule,
        lambda con, actor: price_schedule.save_schedule(con, _schedule_revised(con), actor=actor),
        WORKING_GROUP,
    ),
    Change(
        price_schedule.write_schedule,
        _inside(
            lambda con, actor: price_schedule.write_schedule(
                con, _schedule_revised(con), actor=actor
            )
        ),
        WORKING_GROUP,
    ),  # fmt: skip
    # store.profiles
    Change(
        profiles.write_profile,
        _inside(lambda con, actor: profiles.write_profile(con, _what_if(con), actor=actor)),
        WORKING_GROUP,
    ),
    # store.settings and store.tender
    Change(
        settings.write_setting,
        _inside(lambda con, actor: settings.write_setting(con, "tender_name", "Nytt", actor=actor)),
        WORKING_GROUP,
    ),
    Change(settings.save_price_model, _price_model, WORKING_GROUP),
    Change(
        tender.save_tender,
        lambda con, actor: tender.save_tender(
            con, replace(tender.tender(con), name="Nytt anbud"), actor=actor
        ),
        WORKING_GROUP,
    ),
    # vendors.responses
    Change(
        responses.set_show_weights_default,
        lambda con, actor: responses.set_show_weights_default(con, False, actor=actor),
        WORKING_GROUP,
    ),
    Change(
        responses.export_template,
        lambda con, actor: responses.export_template(con, actor=actor),
        WORKING_GROUP,
        prepare=_unrecorded,
    ),
    Change(
        responses.write_answers,
        _inside(
            lambda con, actor: responses.write_answers(
                con, "cuovga-1", _responses(con), actor=actor, reason="Ny fil"
            )
        ),
        WORKING_GROUP,
    ),
    # store.responses: what the workbook brought, stored in a round
    Change(
        store_responses.write_round,
        _inside(_round_written),
        WORKING_GROUP,
    ),
]  # fmt: skip


def _library_answer(con: duckdb.DuckDBPyConnection, actor: str) -> object:
    answer = library_input.LibraryAnswer(
        "tromso-folkebibliotek",
        {"staff": 12.5},
        [library_input.Priority("category", "LANG", 4, "Viktig")],
        [library_input.Proposal("Lånekort på nordsamisk", "LANG")],
    )
    return library_input.import_answer(con, answer, actor=actor, file_name="tromso.xlsx")


_MADE: dict[str, bytes] = {}


def _input_template(con: duckdb.DuckDBPyConnection) -> None:
    """A library's input workbook, made (and the library recorded as sent) beforehand."""
    _MADE["hasvik"] = input_workbook.make_template(con, "hasvik-folkebibliotek", actor=ADMIN)


def _proposed(con: duckdb.DuckDBPyConnection) -> object:
    return _library_answer(con, ADMIN)


def _accept(write: Callable[..., object]) -> Run:
    new = {"id": "LANG-90", "category_id": "LANG", "kind": "W", "text_nb": "Lånekort på "
           "nordsamisk", "text_en": "Library card in Northern Sámi", "weight": 1}  # fmt: skip
    return lambda con, actor: write(con, 1, new, actor=actor)


CHANGES += [
    # store.library_input: the input round, the working group's
    Change(
        library_input.mark_sent,
        lambda con, actor: library_input.mark_sent(con, ["alta-folkebibliotek"], actor=actor),
        WORKING_GROUP,
    ),
    Change(
        library_input.write_sent,
        _inside(
            lambda con, actor: library_input.write_sent(con, ["alta-folkebibliotek"], actor=actor)
        ),
        WORKING_GROUP,
    ),
    Change(library_input.import_answer, _library_answer, WORKING_GROUP),
    Change(
        library_input.write_answer,
        _inside(
            lambda con, actor: library_input.write_answer(
                con,
                library_input.LibraryAnswer("alta-folkebibliotek", {"staff": 3.0}),
                actor=actor,
            )
        ),
        WORKING_GROUP,
    ),  # fmt: skip
    Change(
        input_workbook.make_template,
        lambda con, actor: input_workbook.make_template(con, "alta-folkebibliotek", actor=actor),
        WORKING_GROUP,
    ),
    Change(
        input_workbook.make_all_templates,
        lambda con, actor: input_workbook.make_all_templates(con, actor=actor),
        WORKING_GROUP,
    ),
    Change(
        input_workbook.import_input_file,
        lambda con, actor: input_workbook.import_input_file(con, _MADE["hasvik"], actor=actor),
        WORKING_GROUP,
        prepare=_input_template,
    ),
    Change(
        library_input.decline_proposal,
        lambda con, actor: library_input.decline_proposal(con, 1, reason="Dekket", actor=actor),
        WORKING_GROUP,
        prepare=_proposed,
    ),
    Change(
        library_input.write_decline,
        _inside(lambda con, actor: library_input.write_decline(con, 1, reason="Nei", actor=actor)),
        WORKING_GROUP,
        prepare=_proposed,
    ),
    Change(
        library_input.accept_proposal,
        _accept(library_input.accept_proposal),
        WORKING_GROUP,
        prepare=_proposed,
    ),
    Change(
        library_input.write_acceptance,
        _inside(_accept(library_input.write_acceptance)),
        WORKING_GROUP,
        prepare=_proposed,
    ),
    Change(
        catalogue.write_catalogue,
        _inside(_catalogue_written),
        WORKING_GROUP,
    ),
]


def _language_result(write: Callable[..., object]) -> Run:
    return lambda con, actor: write(
        con, "cuovga-1", {"sme-exact": ("fail", "Fant også den foldede posten")},
        known_checks={"sme-exact"}, actor=actor,
    )  # fmt: skip


CHANGES += [
    # store.language_results: the working group's record of the language test kit
    Change(
        language_results.record_results,
        _language_result(language_results.record_results), WORKING_GROUP,
    ),
    Change(
        language_results.write_results,
        _inside(_language_result(language_results.write_results)), WORKING_GROUP,
    ),
]  # fmt: skip


# Functions of the data layer that take an actor but change nothing.
READ_ONLY = {
    access.roles_of,  # reads an actor's roles
    access.check,  # the check itself: raises or returns, writes nothing
    audit.entry_hash,  # a hash of an entry's fields
    # Writes a new database file, not the open one: the roles asked are those of the
    # restored database, and a refusal leaves no file (tests/store/test_backup.py,
    # test_a_backup_is_the_admins_where_roles_are_enforced).
    backup.restore_backup,
}
DATA_PACKAGES = ("store", "vendors", "tender_files")


def _public_name(function: Callable[..., object]) -> str:
    """``module.name`` under which its module defines a function (re-exports not counted;
    ``add_vendor = in_own_transaction(write_vendor)`` is a name of its own)."""
    module = importlib.import_module(inspect.unwrap(function).__module__)
    names = [n for n, value in vars(module).items() if value is function]
    assert len(names) == 1, (function, names)
    return f"{module.__name__}.{names[0]}"


def _functions_taking_an_actor() -> set[str]:
    found = set()
    for package in DATA_PACKAGES:
        path = importlib.import_module(package).__path__
        for info in pkgutil.iter_modules(path, f"{package}."):
            module = importlib.import_module(info.name)
            for name, value in vars(module).items():
                if name.startswith("_") or inspect.isclass(value) or not callable(value):
                    continue
                if getattr(inspect.unwrap(value), "__module__", None) != module.__name__:
                    continue  # imported from elsewhere
                if "actor" in inspect.signature(value).parameters:
                    found.add(f"{module.__name__}.{name}")
    return found


def test_every_function_that_changes_data_has_a_refusal_case():
    """A new function that changes data, without a case in ``CHANGES``, fails here."""
    discovered = _functions_taking_an_actor()
    read_only = {_public_name(f) for f in READ_ONLY}
    assert read_only <= discovered, "READ_ONLY names a function that takes no actor"
    covered = {_public_name(c.function) for c in CHANGES}
    missing = sorted(discovered - read_only - covered)
    assert not missing, "no refusal case in CHANGES for: " + ", ".join(missing)
    assert covered <= discovered - read_only


@pytest.mark.parametrize("change", CHANGES, ids=[str(c) for c in CHANGES])
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
    with refused_unchanged(people, InvalidRegistration):
        attempt(people)


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


def test_the_log_names_actors_by_the_people_and_evaluators_tables(con):
    con.execute("INSERT INTO person (id, name) VALUES ('kari@example.no', 'Kari Nordmann')")
    con.execute(
        "INSERT INTO person (id, name, evaluator_id) VALUES ('marit', 'Marit J. Somby', 'marit')"
    )
    names = access.actor_names(con)
    assert names["kari@example.no"] == "Kari Nordmann"
    assert names["risten"] == "Risten Márjá Eira"  # an evaluator's id, local mode
    assert names["marit"] == "Marit J. Somby"  # the person's name wins
    assert "demo" not in names
