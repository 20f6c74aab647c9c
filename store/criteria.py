"""Award criteria and categories: added, renamed, re-weighted and retired, never deleted.

They are edited as the requirement catalogue is (``store.catalogue.save_catalogue``): a
function takes the whole edited table, lists every problem (row, column) before anything
is written, writes all or nothing, logs every change (old → new) and goes through the
freeze guard. ``save_model`` takes criteria, categories and requirements together (the
catalogue workbook, the demo template); ``save_criteria`` and ``save_categories`` take one
table and leave the others as they are.

**Weights.** The weight of an award criterion or a category is not a column of its own: it
lives in the weight profiles. Re-weighting one here means changing its weight in the
*published* profile (the one the published model ranks with); the other profiles (library
groups, saved what-ifs) keep theirs. A tender without a published profile gets one, named
``PUBLISHED_PROFILE_DEFAULT``, at its first save. Criteria weights are any numbers, zero or
more (the model uses their shares); category weights are shares within their criterion.

**Retiring.** A retired criterion or category stays in the database with its weights and
its log entries, and can be reinstated; it leaves the criterion tree the model ranks with
(``store.catalogue.criteria`` and ``categories`` leave it out). A criterion can be retired
only when none of its categories is in force, a category only when none of its
requirements is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import duckdb
import pandas as pd

from store import audit, catalogue, db, freeze, price_schedule
from store.catalogue import MAX_TEXT_LENGTH, nfc
from store.errors import N_, BibvalgError
from store.problems import CatalogueInvalid, Problem
from store.profiles import (
    WeightProfile,
    climate_share_among,
    load_profile,
    published_profile_name,
    require_climate_justification,
    write_profile,
)
from store.settings import PUBLISHED_PROFILE_KEY, write_setting

CRITERION_COLUMNS = (
    "id",
    "name_nb",
    "name_en",
    "description_nb",
    "description_en",
    "weight",
    "retired",
)
CATEGORY_COLUMNS = ("id", "criterion_id", "name_nb", "name_en", "weight", "retired")
CRITERION_TEXTS = ("id", "name_nb", "name_en", "description_nb", "description_en")
CATEGORY_TEXTS = ("id", "criterion_id", "name_nb", "name_en")
MAX_NAME_LENGTH = 200
PUBLISHED_PROFILE_DEFAULT = "Standard"
TABLES = ("criteria", "categories", "requirements")
MISSING_CRITERION = N_(
    "Award criterion {id} is missing. An award criterion cannot be deleted or given another "
    "id: retire it, and add a new one."
)
MISSING_CATEGORY = N_(
    "Category {id} is missing. A category cannot be deleted or given another id: retire it, "
    "and add a new one."
)
# Problems whose row is a row of the saved tables, not of the edit.
MISSING_MESSAGES = frozenset({MISSING_CRITERION, MISSING_CATEGORY, catalogue.MISSING_MESSAGE})


# --- reading -------------------------------------------------------------------------


def _published_weights(con: duckdb.DuckDBPyConnection) -> WeightProfile | None:
    name = published_profile_name(con)
    if not name:
        return None
    try:
        return load_profile(con, name)
    except Exception:  # UnknownProfile: a setting naming a profile that is gone
        return None


def _numbered(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.reset_index(drop=True).set_axis(pd.RangeIndex(1, len(frame) + 1))


def _editable(
    frame: pd.DataFrame, weights: Mapping[str, float], columns: Sequence[str]
) -> pd.DataFrame:
    """``frame``'s ``columns``, each row with its weight from ``weights`` (0 where it has
    none) and whether retired as a bool; rows numbered from 1."""
    frame["weight"] = [float(weights.get(i, 0.0)) for i in frame["id"]]
    frame["retired"] = frame["retired"].fillna(False).astype(bool)
    return _numbered(frame[list(columns)])


def editable_criteria(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every award criterion, retired ones too, in display order, with its weight in the
    published profile: the columns one may edit, rows numbered from 1."""
    profile = _published_weights(con)
    weights = profile.criteria if profile else {}
    return _editable(catalogue.criteria(con, include_retired=True), weights, CRITERION_COLUMNS)


def editable_categories(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every category, retired ones too, in display order, with its weight (within its
    award criterion) in the published profile; rows numbered from 1."""
    profile = _published_weights(con)
    weights = profile.categories if profile else {}
    frame = catalogue.categories(con, include_retired=True)
    return _editable(frame, weights, CATEGORY_COLUMNS)


def is_empty(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the catalogue holds nothing yet: no criterion, category or requirement."""
    row = con.execute(
        "SELECT (SELECT count(*) FROM award_criterion) + (SELECT count(*) FROM category)"
        " + (SELECT count(*) FROM requirement)"
    ).fetchone()
    return not row or int(row[0]) == 0


# --- checking ------------------------------------------------------------------------


def _normalise(
    edited: pd.DataFrame, columns: tuple[str, ...], texts: tuple[str, ...]
) -> pd.DataFrame:
    missing = [c for c in columns if c not in edited.columns]
    if missing:
        raise ValueError(f"the edited table lacks the columns {missing}")
    return pd.DataFrame(
        {
            **{c: [nfc(v) for v in edited[c]] for c in texts},
            "weight": [
                w if (w := catalogue._number(v)) is not None else v
                for v in edited["weight"].tolist()
            ],
            "retired": [catalogue.flag(v) for v in edited["retired"].tolist()],
        },
        columns=list(columns),
    )


def normalise_criteria(edited: pd.DataFrame) -> pd.DataFrame:
    """An edited criteria table as plain values (texts in NFC, trimmed; flags as bool)."""
    return _normalise(edited, CRITERION_COLUMNS, CRITERION_TEXTS)


def normalise_categories(edited: pd.DataFrame) -> pd.DataFrame:
    """An edited categories table as plain values."""
    return _normalise(edited, CATEGORY_COLUMNS, CATEGORY_TEXTS)


def _check_rows(
    after: pd.DataFrame,
    before: pd.DataFrame,
    *,
    what: str,
    names: tuple[str, ...],
    optional: tuple[str, ...] = (),
) -> list[Problem]:
    """What the two tables share: ids, names, weights, and no row left out."""

    def check(row: dict[str, Any], problem: catalogue.NoteProblem) -> None:
        for column in names:
            if not row[column]:
                problem(column, N_("The name is empty."))
            elif len(row[column]) > MAX_NAME_LENGTH:
                problem(
                    column,
                    N_("The name is longer than {limit} characters."),
                    limit=MAX_NAME_LENGTH,
                )
        for column in optional:
            if len(row[column]) > MAX_TEXT_LENGTH:
                problem(
                    column, N_("The text is longer than {limit} characters."), limit=MAX_TEXT_LENGTH
                )

    return catalogue.check_rows(
        after,
        before,
        missing_id=N_("Every row needs an id."),
        missing_row=MISSING_CRITERION if what == "criteria" else MISSING_CATEGORY,
        check=check,
    )


def _retired_ids(frame: pd.DataFrame) -> set[str]:
    return {str(r["id"]) for r in frame.to_dict("records") if bool(r["retired"])}


def _in_force(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[~frame["retired"].astype(bool)] if len(frame) else frame


def check_model(
    before: dict[str, pd.DataFrame], after: dict[str, pd.DataFrame]
) -> dict[str, list[Problem]]:
    """Every problem with an edit of the criterion tree, per table (``TABLES``); rows are
    numbered from 1 in each table, columns named by key. ``after`` holds normalised
    tables (``requirements`` normalised by ``store.catalogue.normalise``)."""
    crit_before, crit_after = before["criteria"], after["criteria"]
    cat_before, cat_after = before["categories"], after["categories"]
    req_before, req_after = before["requirements"], after["requirements"]
    found: dict[str, list[Problem]] = {t: [] for t in TABLES}

    found["criteria"] = _check_rows(
        crit_after,
        crit_before,
        what="criteria",
        names=("name_nb", "name_en"),
        optional=("description_nb", "description_en"),
    )
    weights = [w for w in _in_force(crit_after)["weight"] if isinstance(w, float)]
    if len(_in_force(crit_after)) and weights and sum(weights) <= 0:
        found["criteria"].append(
            Problem(
                N_("At least one award criterion in force must weigh more than zero."),
                column="weight",
            )
        )

    found["categories"] = _check_rows(
        cat_after, cat_before, what="categories", names=("name_nb", "name_en")
    )
    criterion_ids = {str(i) for i in crit_after["id"]}
    retired_criteria = _retired_ids(crit_after)
    already_retired_criteria = retired_criteria & _retired_ids(crit_before)
    crit_rows = {str(i): n for n, i in enumerate(crit_after["id"], start=1)}
    for number, row in enumerate(cat_after.to_dict("records"), start=1):
        parent = row["criterion_id"]
        if parent not in criterion_ids:
            found["categories"].append(
                Problem(
                    N_("There is no award criterion “{criterion}”."),
                    {"criterion": parent},
                    row=number,
                    column="criterion_id",
                )
            )
        elif not row["retired"] and parent in already_retired_criteria:
            found["categories"].append(
                Problem(
                    N_(
                        "The award criterion “{criterion}” is retired: a category in force "
                        "cannot belong to it."
                    ),
                    {"criterion": parent},
                    row=number,
                    column="criterion_id",
                )
            )
    in_force_cats = _in_force(cat_after)
    for criterion in sorted(retired_criteria - already_retired_criteria):
        held = [str(c) for c in in_force_cats[in_force_cats["criterion_id"] == criterion]["id"]]
        if held:
            found["criteria"].append(
                Problem(
                    N_(
                        "Award criterion {id} still has categories in force ({categories}): "
                        "retire them, or move them to another award criterion, first."
                    ),
                    {"id": criterion, "categories": ", ".join(held)},
                    row=crit_rows[criterion],
                    column="retired",
                )
            )
    for criterion, group in in_force_cats.groupby("criterion_id", sort=False):
        weights = [w for w in group["weight"] if isinstance(w, float)]
        if len(weights) == len(group) and sum(weights) <= 0:
            first = int(cat_after.index.get_loc(group.index[0])) + 1
            found["categories"].append(
                Problem(
                    N_(
                        "The categories of award criterion {criterion} all weigh zero; at "
                        "least one must weigh more."
                    ),
                    {"criterion": criterion},
                    row=first,
                    column="weight",
                )
            )

    retired_categories = _retired_ids(cat_after)
    already_retired_categories = retired_categories & _retired_ids(cat_before)
    found["requirements"] = catalogue.validate(
        req_before,
        req_after,
        {str(i) for i in cat_after["id"]},
        retired_categories=already_retired_categories,
    )
    cat_rows = {str(i): n for n, i in enumerate(cat_after["id"], start=1)}
    in_force_reqs = req_after[~req_after["retired"].astype(bool)] if len(req_after) else req_after
    for category in sorted(retired_categories - already_retired_categories):
        held = [str(r) for r in in_force_reqs[in_force_reqs["category_id"] == category]["id"]]
        if held:
            shown = ", ".join(held[:5]) + (" …" if len(held) > 5 else "")
            found["categories"].append(
                Problem(
                    N_(
                        "Category {id} still has {count} requirement(s) in force ({requirements}): "
                        "retire them, or move them to another category, first."
                    ),
                    {"id": category, "count": len(held), "requirements": shown},
                    row=cat_rows[category],
                    column="retired",
                )
            )
    return found


# --- saving --------------------------------------------------------------------------


@dataclass(frozen=True)
class NodeChange:
    """One award criterion or category added or changed: ``old`` is None for a new one."""

    entity: str  # "award_criterion" or "category"
    action: str  # "add", "update", "retire" or "reinstate"
    node_id: str
    old: dict[str, Any] | None
    new: dict[str, Any]


@dataclass(frozen=True)
class ModelSaveResult:
    """What a save did; empty lists when nothing changed."""

    criteria: list[NodeChange] = field(default_factory=list)
    categories: list[NodeChange] = field(default_factory=list)
    requirements: list[catalogue.Change] = field(default_factory=list)
    version: catalogue.CatalogueVersion | None = None
    price_lines: list[price_schedule.Change] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.criteria or self.categories or self.requirements or self.price_lines)

    def counts(self) -> dict[str, int]:
        return {
            "criteria": len(self.criteria),
            "categories": len(self.categories),
            "requirements": len(self.requirements),
            "price_lines": len(self.price_lines),
        }


def _plain(row: dict[str, Any], texts: tuple[str, ...]) -> dict[str, Any]:
    return {
        **{c: str(row[c]) for c in texts},
        "weight": float(row["weight"]),
        "retired": bool(row["retired"]),
    }


def _diff(
    before: pd.DataFrame, after: pd.DataFrame, texts: tuple[str, ...], entity: str
) -> list[NodeChange]:
    old_rows = {r["id"]: _plain(r, texts) for r in before.to_dict("records")}
    changes = []
    for row in after.to_dict("records"):
        new = _plain(row, texts)
        old = old_rows.get(row["id"])
        if old is None:
            changes.append(NodeChange(entity, "add", row["id"], None, new))
        elif old != new:
            changed = {k for k in new if new[k] != old[k]}
            action = (
                ("retire" if new["retired"] else "reinstate")
                if changed == {"retired"}
                else "update"
            )
            changes.append(NodeChange(entity, action, row["id"], old, new))
    return changes


def _current(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    return {
        "criteria": editable_criteria(con),
        "categories": editable_categories(con),
        "requirements": catalogue.editable(con),
    }


def _write_nodes(
    con: duckdb.DuckDBPyConnection,
    entity: str,
    columns: tuple[str, ...],
    changes: list[NodeChange],
    *,
    actor: str,
    reason: str,
) -> None:
    """Criteria or categories written: the table stores every column but the weight (the
    weights are the published profile's)."""
    stored = [c for c in columns if c != "weight"]
    catalogue.write_rows(
        con, entity=entity, columns=stored, changes=changes, actor=actor, reason=reason
    )


def _weights_after(
    con: duckdb.DuckDBPyConnection,
    criteria_after: pd.DataFrame,
    categories_after: pd.DataFrame,
    climate_justification: str | None,
) -> WeightProfile | None:
    """The published profile with the weights the tables give (and ``climate_justification``
    where one is given, else the profile's own), or None where they change nothing.
    Refused (InvalidWeights) where climate and environment would weigh under 30 % of the
    award criteria in force without a justification (FOA § 7-9), as on the Weights page."""
    current = _published_weights(con)
    crit = {str(r["id"]): float(r["weight"]) for r in criteria_after.to_dict("records")}
    cats = {str(r["id"]): float(r["weight"]) for r in categories_after.to_dict("records")}
    if current is not None:
        if {**current.criteria, **crit} == current.criteria and {
            **current.categories,
            **cats,
        } == current.categories:
            return None
        profile = WeightProfile(
            name=current.name,
            criteria={**current.criteria, **crit},
            categories={**current.categories, **cats},
            climate_justification=current.climate_justification,
            description=current.description,
        )
    elif crit:
        name = published_profile_name(con) or PUBLISHED_PROFILE_DEFAULT
        profile = WeightProfile(name=name, criteria=crit, categories=cats)
    else:
        return None
    if climate_justification is not None:
        profile = replace(profile, climate_justification=climate_justification.strip())
    share = climate_share_among(profile.criteria, set(_in_force(criteria_after)["id"]))
    require_climate_justification(share, profile.climate_justification)
    return profile


def _write_weights(
    con: duckdb.DuckDBPyConnection, profile: WeightProfile | None, *, actor: str, reason: str
) -> None:
    """The published profile with its new weights (``_weights_after``), logged by the
    profile; the setting that names it, where it is new."""
    if profile is None:
        return
    write_profile(con, profile, actor=actor, reason=reason)
    if published_profile_name(con) != profile.name:
        write_setting(con, PUBLISHED_PROFILE_KEY, profile.name, actor=actor, reason=reason)


def _proposed(
    before: dict[str, pd.DataFrame],
    criteria: pd.DataFrame | None,
    categories: pd.DataFrame | None,
    requirements: pd.DataFrame | None,
) -> dict[str, pd.DataFrame]:
    return {
        "criteria": normalise_criteria(before["criteria"] if criteria is None else criteria),
        "categories": normalise_categories(
            before["categories"] if categories is None else categories
        ),
        "requirements": catalogue.normalise(
            before["requirements"] if requirements is None else requirements
        ),
    }


def check_tables(
    con: duckdb.DuckDBPyConnection, tables: dict[str, pd.DataFrame]
) -> dict[str, list[Problem]]:
    """Every problem ``save_model`` would find with these tables now, per table; writes
    nothing."""
    before = _current(con)
    return check_model(
        before,
        _proposed(
            before, tables.get("criteria"), tables.get("categories"), tables.get("requirements")
        ),
    )


def write_model(
    con: duckdb.DuckDBPyConnection,
    *,
    criteria: pd.DataFrame | None = None,
    categories: pd.DataFrame | None = None,
    requirements: pd.DataFrame | None = None,
    actor: str,
    reason: str = "",
    climate_justification: str | None = None,
) -> ModelSaveResult:
    """Save edited tables of the criterion tree, inside the caller's transaction
    (``save_model``: in its own): the one way criteria and categories change.

    Each table given holds every row (``CRITERION_COLUMNS``, ``CATEGORY_COLUMNS``,
    ``catalogue.EDIT_COLUMNS``) as the ``editable_…`` functions return them, with changes
    made and rows added; a table not given stays as it is. Rows are matched by id; none may
    be left out (retire it instead). Every problem in every table is found first; on any,
    nothing is written and ``ModelInvalid`` lists them, per table too. Otherwise, in one
    transaction, every added or changed row is written and logged (old → new), the
    published profile's weights are updated (logged as a profile change), a new catalogue
    version is recorded if a requirement changed, and after the freeze the change needs a
    reason (``ModelFrozen``) and adds the model's new fingerprint to its history, once.
    Weights that put climate and environment under 30 % need ``climate_justification``
    (or one the published profile has already): FOA § 7-9.
    """
    before = _current(con)
    after = _proposed(before, criteria, categories, requirements)
    found = check_model(before, after)
    problems = [p for t in TABLES for p in found[t]]
    if problems:
        raise ModelInvalid(
            N_("The catalogue was not saved: {count} problem(s) to fix."), problems, found
        )
    crit_changes = _diff(before["criteria"], after["criteria"], CRITERION_TEXTS, "award_criterion")
    cat_changes = _diff(before["categories"], after["categories"], CATEGORY_TEXTS, "category")
    req_changes = catalogue.diff(before["requirements"], after["requirements"])
    if not (crit_changes or cat_changes or req_changes):
        return ModelSaveResult()
    freeze.ensure_model_change_allowed(con, reason)
    weights = _weights_after(con, after["criteria"], after["categories"], climate_justification)
    _write_nodes(
        con, "award_criterion", CRITERION_COLUMNS, crit_changes, actor=actor, reason=reason
    )
    _write_nodes(con, "category", CATEGORY_COLUMNS, cat_changes, actor=actor, reason=reason)
    version = None
    if req_changes:
        catalogue.write_requirements(con, req_changes, actor=actor, reason=reason)
        version = catalogue.record_version(con, actor=actor, reason=reason)
    # The published profile last: it records the model's new fingerprint once, whole.
    _write_weights(con, weights, actor=actor, reason=reason)
    freeze.record_model_change(con, actor=actor, reason=reason)
    return ModelSaveResult(crit_changes, cat_changes, req_changes, version)


save_model = db.in_own_transaction(write_model)


def write_template(
    con: duckdb.DuckDBPyConnection,
    tables: dict[str, pd.DataFrame],
    *,
    actor: str,
    reason: str = "",
    climate_justification: str | None = None,
) -> ModelSaveResult:
    """A template's criteria, categories and requirements (``TABLES``), and its price lines
    where ``tables`` has "price_lines", written inside the caller's transaction (as
    ``write_model`` writes them)."""
    result = write_model(
        con,
        **{t: tables[t] for t in TABLES},
        actor=actor,
        reason=reason,
        climate_justification=climate_justification,
    )
    if "price_lines" not in tables:
        return result
    lines = price_schedule.write_schedule(con, tables["price_lines"], actor=actor, reason=reason)
    return replace(result, price_lines=lines)


def save_criteria(
    con: duckdb.DuckDBPyConnection,
    edited: pd.DataFrame,
    *,
    actor: str,
    reason: str = "",
    climate_justification: str | None = None,
) -> ModelSaveResult:
    """Save an edited table of award criteria (``editable_criteria`` with changes)."""
    return save_model(
        con,
        criteria=edited,
        actor=actor,
        reason=reason,
        climate_justification=climate_justification,
    )


def save_categories(
    con: duckdb.DuckDBPyConnection, edited: pd.DataFrame, *, actor: str, reason: str = ""
) -> ModelSaveResult:
    """Save an edited table of categories (``editable_categories`` with changes)."""
    return save_model(con, categories=edited, actor=actor, reason=reason)


class ModelInvalid(CatalogueInvalid):
    """An edit of the criterion tree that cannot be saved; ``by_table`` holds the problems
    of each table (``TABLES``), rows numbered within it."""

    def __init__(
        self, message: str, problems: list[Problem], by_table: dict[str, list[Problem]]
    ) -> None:
        self.by_table = by_table
        super().__init__(message, problems)


@db.retry_on_conflict
def start_from_template(
    con: duckdb.DuckDBPyConnection,
    template: dict[str, pd.DataFrame],
    *,
    actor: str,
    reason: str = "",
) -> ModelSaveResult:
    """Fill an empty catalogue from a template (the demo's, or a workbook's tables), price
    lines too where it has them; refused (``CatalogueNotEmpty``) once the catalogue holds
    anything."""
    with db.transaction(con):
        if not is_empty(con):
            raise CatalogueNotEmpty(
                N_(
                    "The catalogue is not empty: a template can only start an empty one. "
                    "Import a catalogue workbook to change it whole."
                )
            )
        return write_template(con, template, actor=actor, reason=reason)


class CatalogueNotEmpty(BibvalgError):
    """A template offered to a catalogue that already holds something."""


@db.retry_on_conflict
def import_model(
    con: duckdb.DuckDBPyConnection,
    tables: dict[str, pd.DataFrame],
    *,
    actor: str,
    reason: str = "",
    source: dict[str, Any] | None = None,
    climate_justification: str | None = None,
) -> ModelSaveResult:
    """Make the whole catalogue what ``tables`` say (criteria, categories and requirements
    from a catalogue file, and the price schedule where ``tables`` has "price_lines"), through
    ``write_model`` and ``store.price_schedule.write_schedule``, in one transaction; when
    anything changed, the import itself is logged too, with ``source`` (file name and
    SHA-256)."""
    with db.transaction(con):
        result = write_template(
            con, tables, actor=actor, reason=reason, climate_justification=climate_justification
        )
        if result.changed:
            audit.record(
                con, actor=actor, action="import", entity="catalogue",
                entity_id=str((source or {}).get("file", "")),
                new={**(source or {}), **result.counts()}, reason=reason,
            )  # fmt: skip
    return result
