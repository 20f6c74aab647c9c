"""The participating libraries and the library groups (stakeholder groups).

A stakeholder group is a set of participating libraries (public libraries, school
libraries, libraries in the Sámi administrative area, small libraries, ...) with the
weight profile that speaks for it. Its members are the libraries that match every filter
the group sets (kind, Sámi administrative area, size class).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import duckdb
import pandas as pd

from scoring.price import (
    LibraryCounts,
)
from store import audit
from store.db import in_own_transaction, retry_on_conflict, transaction
from store.errors import (
    N_,
    InvalidWeights,
)
from store.library_list import COLUMNS, LIBRARY_KINDS, SIZE_CLASSES, read_library_list
from store.problems import LibraryListRefused
from store.profiles import WeightProfile, write_profile


@dataclass(frozen=True)
class StakeholderGroup:
    """A group of libraries and the name of the weight profile that speaks for it."""

    id: str
    profile_name: str
    name_nb: str
    name_en: str
    description_nb: str = ""
    description_en: str = ""
    library_kind: str | None = None
    sami_area: bool | None = None
    size_class: str | None = None
    sort_order: int = 0


def stakeholder_groups(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every stakeholder group, in order, with ``libraries``: how many libraries it has."""
    return con.execute(
        "SELECT g.*, ("
        "  SELECT count(*) FROM library l"
        "  WHERE (g.library_kind IS NULL OR l.kind = g.library_kind)"
        "    AND (g.sami_area IS NULL OR l.sami_area = g.sami_area)"
        "    AND (g.size_class IS NULL OR l.size_class = g.size_class)"
        ") AS libraries"
        " FROM stakeholder_group g ORDER BY g.sort_order, g.id"
    ).df()


def _validate_group(group: StakeholderGroup) -> None:
    if not group.id.strip() or not group.name_nb.strip() or not group.name_en.strip():
        raise InvalidWeights(N_("A stakeholder group needs an id and a name in nb and en."))
    if group.library_kind is not None and group.library_kind not in LIBRARY_KINDS:
        raise InvalidWeights(N_("Unknown library kind: {kind}."), kind=group.library_kind)
    if group.size_class is not None and group.size_class not in SIZE_CLASSES:
        raise InvalidWeights(N_("Unknown size class: {size}."), size=group.size_class)


def write_stakeholder_group(
    con: duckdb.DuckDBPyConnection,
    group: StakeholderGroup,
    profile: WeightProfile,
    *,
    actor: str,
    reason: str = "",
) -> None:
    """Create or replace a group and its weight profile, logged, inside the caller's
    transaction (``save_stakeholder_group``: in its own).

    If the group's profile is the published one, the freeze rules of ``write_profile``
    apply: after the freeze the change needs a reason."""
    _validate_group(group)
    if profile.name != group.profile_name:
        raise InvalidWeights(
            N_("The group's profile is “{expected}”, not “{given}”."),
            expected=group.profile_name,
            given=profile.name,
        )
    write_profile(con, profile, actor=actor, reason=reason)
    old = con.execute("SELECT * FROM stakeholder_group WHERE id = ?", [group.id]).df()
    con.execute("DELETE FROM stakeholder_group WHERE id = ?", [group.id])
    con.execute(
        "INSERT INTO stakeholder_group (id, profile_name, name_nb, name_en, description_nb,"
        " description_en, library_kind, sami_area, size_class, sort_order)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            group.id,
            group.profile_name,
            group.name_nb,
            group.name_en,
            group.description_nb,
            group.description_en,
            group.library_kind,
            group.sami_area,
            group.size_class,
            group.sort_order,
        ],
    )
    audit.record(
        con, actor=actor, action="create" if old.empty else "update", entity="stakeholder_group",
        entity_id=group.id,
        old=None if old.empty else old.iloc[0].to_dict(), new=asdict(group),
    )  # fmt: skip


save_stakeholder_group = in_own_transaction(write_stakeholder_group)


def libraries(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Participating libraries."""
    return con.execute("SELECT * FROM library ORDER BY region DESC, name").df()


def library(con: duckdb.DuckDBPyConnection, library_id: str) -> dict[str, Any] | None:
    """One participating library's row, or None if there is none with that id."""
    found = con.execute("SELECT * FROM library WHERE id = ?", [library_id]).df()
    return None if found.empty else found.iloc[0].to_dict()


def library_ids(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The participating libraries' ids, in order."""
    return [str(r[0]) for r in con.execute("SELECT id FROM library ORDER BY id").fetchall()]


def library_counts(con: duckdb.DuckDBPyConnection) -> LibraryCounts:
    """Libraries, their branches and the school libraries they serve, counted."""
    row = con.execute(
        "SELECT count(*), coalesce(sum(branches), 0), coalesce(sum(school_libraries), 0)"
        " FROM library"
    ).fetchone()
    assert row is not None
    return LibraryCounts(*(int(v) for v in row))


def check_library_list(data: bytes, file_name: str = "") -> list[dict[str, Any]]:
    """The clean rows of a library list, or LibraryListRefused with every problem."""
    parsed = read_library_list(data, file_name)
    if not parsed.ok:
        raise LibraryListRefused(
            N_("The library list was not imported: {count} problem(s) to fix."), parsed.problems
        )
    return parsed.rows


def write_libraries(
    con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]], *, actor: str, file_name: str = ""
) -> dict[str, list[str]]:
    """Add or update the libraries by id inside the caller's transaction, logged; libraries
    already stored but not in the rows stay. Returns the ids added, changed and unchanged."""
    ids: dict[str, list[str]] = {"added": [], "changed": [], "unchanged": []}
    marks = ", ".join("?" * len(COLUMNS))
    for record in rows:
        old = con.execute(
            f"SELECT {', '.join(COLUMNS)} FROM library WHERE id = ?", [record["id"]]
        ).fetchone()
        new = tuple(record[c] for c in COLUMNS)
        if old is not None and tuple(old) == new:
            ids["unchanged"].append(record["id"])
            continue
        con.execute(
            f"INSERT OR REPLACE INTO library ({', '.join(COLUMNS)}) VALUES ({marks})", list(new)
        )
        ids["added" if old is None else "changed"].append(record["id"])
    audit.record(
        con, actor=actor, action="import", entity="library", entity_id=file_name,
        new={"added": ids["added"], "changed": ids["changed"]},
    )  # fmt: skip
    return ids


@retry_on_conflict
def import_libraries(
    con: duckdb.DuckDBPyConnection, data: bytes, *, actor: str, file_name: str = ""
) -> dict[str, list[str]]:
    """Import the list of participating libraries from a CSV file or workbook (the columns
    of the county's survey list): every row is checked first, and a list with any problem
    is refused whole (LibraryListRefused, listing the problems by row and column). Returns
    the ids added, changed and unchanged."""
    rows = check_library_list(data, file_name)
    with transaction(con):
        return write_libraries(con, rows, actor=actor, file_name=file_name)
