"""The catalogue: fingerprint, versions, and saving edits through the one function."""

from __future__ import annotations

import hashlib
import json
import unicodedata

import pandas as pd
import pytest

from store import catalogue
from store.problems import CatalogueInvalid
from tests.dbdump import dump, refused_unchanged


def frame(rows):
    return pd.DataFrame(
        rows, columns=["id", "category_id", "kind", "text_nb", "text_en", "weight", "retired"]
    )


def test_fingerprint_is_the_sha256_of_the_documented_canonical_form():
    reqs = frame(
        [
            ("B-1", "CAT", "W", "Bør ha ŋ", "Should have ŋ", 3.0, False),
            ("A-1", "LANG", "M", "Skal ha á", "Shall have á", 0.0, False),
            ("C-1", "LANG", "M", "Utgått", "Retired", 0.0, True),
        ]
    )
    # By hand: requirements in force, sorted by id, as [id, category, kind, nb, en].
    canonical = (
        '{"format":"bibvalg-catalogue-1","requirements":'
        '[["A-1","LANG","M","Skal ha á","Shall have á"],'
        '["B-1","CAT","W","Bør ha ŋ","Should have ŋ"]]}'
    )
    assert catalogue.fingerprint(reqs) == hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def test_fingerprint_ignores_weights_order_and_normal_form_but_not_texts():
    reqs = frame(
        [
            ("A-1", "LANG", "M", "Skal ha á", "Shall have á", 0.0, False),
            ("B-1", "CAT", "W", "Bør", "Should", 3.0, False),
        ]
    )
    base = catalogue.fingerprint(reqs)
    reweighted = reqs.assign(weight=[0.0, 9.0])
    reordered = reqs.iloc[::-1]
    decomposed = reqs.assign(text_nb=[unicodedata.normalize("NFD", t) for t in reqs["text_nb"]])
    assert catalogue.fingerprint(reweighted) == base
    assert catalogue.fingerprint(reordered) == base
    assert catalogue.fingerprint(decomposed) == base
    assert catalogue.fingerprint(reqs.assign(text_en=["Shall have a", "Should"])) != base
    assert catalogue.fingerprint(reqs.assign(kind=["M", "I"])) != base
    assert catalogue.fingerprint(reqs.assign(retired=[False, True])) != base


def test_the_demo_catalogue_is_recorded_as_a_version_when_loaded(con):
    version = catalogue.current_version(con)
    assert version.recorded and version.version >= 1
    assert version.fingerprint == catalogue.fingerprint(catalogue.requirements(con))


def test_saving_edits_adds_changes_retires_and_logs_old_and_new(con):
    before = catalogue.editable(con)
    start = catalogue.current_version(con)
    edited = before.copy()
    first = edited.index[0]
    edited.loc[first, "text_en"] = "Changed English text"
    edited.loc[edited["id"] == "LANG-04", "weight"] = 5.0
    edited.loc[edited["id"] == "FORM-02", "retired"] = True
    new_row = frame([("LANG-99", "LANG", "W", "Nytt krav", "New requirement", 1.5, False)])
    edited = pd.concat([edited, new_row], ignore_index=True)

    result = catalogue.save_catalogue(con, edited, actor="tester", reason="Høring")

    assert result.version is not None and result.version.version == start.version + 1
    assert sorted((c.action, c.requirement_id) for c in result.changes) == sorted(
        [
            ("add", "LANG-99"),
            ("retire", "FORM-02"),
            ("update", "LANG-04"),
            ("update", before.loc[first, "id"]),
        ]
    )
    saved = catalogue.editable(con).set_index("id")
    assert saved.loc[before.loc[first, "id"], "text_en"] == "Changed English text"
    assert saved.loc["LANG-04", "weight"] == 5.0
    assert bool(saved.loc["FORM-02", "retired"])
    assert saved.loc["LANG-99", "text_nb"] == "Nytt krav"
    assert "FORM-02" not in set(catalogue.requirements(con)["id"])  # retired: out of force

    log = con.execute(
        "SELECT action, entity_id, old_value, new_value, reason FROM audit_log"
        " WHERE entity = 'requirement' AND actor = 'tester' ORDER BY id"
    ).fetchall()
    assert [(a, e) for a, e, *_ in log] == [(c.action, c.requirement_id) for c in result.changes]
    lang04 = next(r for r in log if r[1] == "LANG-04")
    assert json.loads(lang04[2])["weight"] == 3.0 and json.loads(lang04[3])["weight"] == 5.0
    assert lang04[4] == "Høring"
    added = next(r for r in log if r[1] == "LANG-99")
    assert added[2] is None
    versions = catalogue.versions(con)
    assert versions.iloc[0]["version"] == start.version + 1
    assert versions.iloc[0]["saved_by"] == "tester"


def test_a_weight_change_is_a_new_version_with_the_same_fingerprint(con):
    start = catalogue.current_version(con)
    edited = catalogue.editable(con)
    edited.loc[edited["id"] == "LANG-04", "weight"] = 7.0
    result = catalogue.save_catalogue(con, edited, actor="tester")
    assert result.version.version == start.version + 1
    assert result.version.fingerprint == start.fingerprint


def test_any_unicode_is_accepted_and_stored_in_nfc(con):
    edited = catalogue.editable(con)
    nfd_sami = unicodedata.normalize("NFD", "Sámi čđŋšŧž: Kárášjohka, Guovdageaidnu")
    cyrillic = "Поиск не путает й и и; ё ≠ е"
    edited.loc[edited["id"] == "LANG-11", "text_nb"] = "  " + nfd_sami + " "
    edited.loc[edited["id"] == "LANG-11", "text_en"] = cyrillic
    catalogue.save_catalogue(con, edited, actor="tester")
    row = con.execute("SELECT text_nb, text_en FROM requirement WHERE id = 'LANG-11'").fetchone()
    assert row == (unicodedata.normalize("NFC", nfd_sami), cyrillic)
    assert row[0] != nfd_sami.strip()  # it really was decomposed before


def test_saving_nothing_new_records_no_version(con):
    before = dump(con)
    result = catalogue.save_catalogue(con, catalogue.editable(con), actor="tester")
    assert result.changes == [] and result.version is None
    assert dump(con) == before


def problems_of(con, edited):
    with refused_unchanged(con, CatalogueInvalid) as caught:
        catalogue.save_catalogue(con, edited, actor="tester")
    return {(p.message, p.row, p.column) for p in caught.value.problems}, caught.value


def test_duplicate_ids_negative_weights_and_unknown_parents_are_refused(con):
    edited = catalogue.editable(con)
    extra = frame(
        [
            ("lang-01", "LANG", "W", "Dublett", "Duplicate", 1.0, False),
            ("NEW-2", "NOPE", "W", "Ukjent kategori", "Unknown category", 1.0, False),
            ("NEW-3", "LANG", "X", "Rar type", "Odd type", -2.0, False),
            ("", "LANG", "W", "", "No id", 1.0, False),
        ]
    )
    edited = pd.concat([edited, extra], ignore_index=True)
    n = len(catalogue.editable(con))
    found, error = problems_of(con, edited)
    assert ("The id “{id}” is used more than once (also in row {other}).", n + 1, "id") in found
    assert ("There is no category “{category}”.", n + 2, "category_id") in found
    assert ("The type must be M, W or I, not “{kind}”.", n + 3, "kind") in found
    assert (
        "The weight must be a number, zero or more, not “{weight}”.",
        n + 3,
        "weight",
    ) in found
    assert ("Every requirement needs an id.", n + 4, "id") in found
    assert ("The Norwegian text is empty.", n + 4, "text_nb") in found
    assert len(error.problems) == 6
    duplicate = next(p for p in error.problems if p.column == "id" and p.row == n + 1)
    assert duplicate.translated("nb") == "ID-en «lang-01» er brukt mer enn én gang (også i rad 1)."


def test_a_requirement_cannot_be_deleted_or_renamed(con):
    edited = catalogue.editable(con)
    edited.loc[edited.index[1], "id"] = "LANG-02-NEW"
    found, _ = problems_of(con, edited)
    assert any(m.startswith("Requirement {id} is missing.") and r == 2 for m, r, _ in found)
    found, _ = problems_of(con, catalogue.editable(con).iloc[1:])
    assert any(m.startswith("Requirement {id} is missing.") for m, _, _ in found)


def test_an_edit_begun_before_someone_else_saved_is_refused(con):
    began = catalogue.current_version(con).version
    theirs = catalogue.editable(con)
    theirs.loc[theirs["id"] == "CAT-05", "weight"] = 4.0
    catalogue.save_catalogue(con, theirs, actor="colleague")
    mine = catalogue.editable(con)
    mine.loc[mine["id"] == "CAT-06", "weight"] = 2.0
    before = dump(con)
    with pytest.raises(CatalogueInvalid) as caught:
        catalogue.save_catalogue(con, mine, actor="tester", based_on=began)
    assert "someone else" in caught.value.problems[0].translated("en")
    assert dump(con) == before


def test_a_catalogue_edit_after_the_freeze_needs_a_reason_and_is_recorded(con):
    from store import freeze
    from store.errors import ModelFrozen

    freeze.freeze_model(con, actor="working group")
    table = catalogue.editable(con)
    table.loc[table["id"] == "LANG-04", "weight"] = 1.0
    before = freeze.history(con)
    with pytest.raises(ModelFrozen):
        catalogue.save_catalogue(con, table, actor="tester")
    assert len(freeze.history(con)) == len(before)
    assert catalogue.editable(con).set_index("id").at["LANG-04", "weight"] != 1.0

    catalogue.save_catalogue(con, table, actor="tester", reason="Agreed in the steering group")
    assert catalogue.editable(con).set_index("id").at["LANG-04", "weight"] == 1.0
    history = freeze.history(con)
    assert len(history) == len(before) + 1
    assert history.iloc[-1]["reason"] == "Agreed in the steering group"
    assert freeze.status(con).state == "changed"
