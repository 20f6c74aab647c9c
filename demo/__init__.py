"""The fictional demo procurement, loaded from the readable files in ``demo/data/`` through
the functions a real tender uses (the catalogue and price schedule, vendors, offers,
evaluators and their declarations, libraries, the vendors' workbooks with answers and
prices).

Five invented vendors, five invented evaluators (one of whom has not scored yet), the
whole requirement catalogue and the participating libraries of Troms og Finnmark. No score
here describes a real product.
"""

from __future__ import annotations

import csv
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from demo.library_input import load_library_input
from store import audit, criteria, evaluators, language_results, offers
from store.db import transaction
from store.errors import N_
from store.libraries import (
    StakeholderGroup,
    check_library_list,
    write_libraries,
    write_stakeholder_group,
)
from store.problems import WorkbookRefused
from store.profiles import WeightProfile
from store.settings import write_setting
from tender_files.language_kit.protocol import check_ids
from vendors import responses

DEMO_DIR = Path(__file__).with_name("data")
RESPONSES_DIR = DEMO_DIR / "responses"  # one filled-in requirement specification per offer
DEMO_PROFILE = criteria.PUBLISHED_PROFILE_DEFAULT  # "Standard", made by the catalogue's load
DEMO_ACTOR = "demo"


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def read_csv(name: str) -> list[dict[str, str]]:
    """Rows of a demo CSV file, every text in NFC."""
    with (DEMO_DIR / name).open(encoding="utf-8", newline="") as handle:
        return [{k: _nfc(v or "") for k, v in row.items()} for row in csv.DictReader(handle)]


def read_toml(name: str) -> dict[str, Any]:
    """A demo TOML file."""
    with (DEMO_DIR / name).open("rb") as handle:
        return tomllib.load(handle)


def import_demo_workbook(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """One offer's answers (the file is named after the offer) through the real importer."""
    parsed = responses.check_workbook(con, path.read_bytes())
    if not parsed.ok:
        raise WorkbookRefused(
            N_("The file {file} was not imported: {count} problem(s) to fix."),
            parsed.problems,
            file=path.name,
        )
    responses.write_answers(con, path.stem, parsed, actor=DEMO_ACTOR, file_name=path.name)


def load_demo(con: duckdb.DuckDBPyConnection) -> None:
    """Fill an empty, migrated database with the demo procurement, in one transaction."""
    model = read_toml("criteria.toml")
    vendors = read_toml("vendors.toml")["vendor"]
    with transaction(con):
        # The catalogue goes in as a real tender's does from a template: through the
        # store's own checks, each row logged, with the published profile's weights.
        criteria.write_template(
            con, catalogue_template(), actor=DEMO_ACTOR, reason="Demo catalogue"
        )
        for v in vendors:
            offers.write_vendor(
                con, v["id"], name=v["name"], profile_nb=v["profile_nb"],
                profile_en=v["profile_en"], actor=DEMO_ACTOR,
            )  # fmt: skip
            offers.write_offer(
                con, v["offer_id"], vendor=v["id"], product=v["product"], actor=DEMO_ACTOR
            )
        for path in sorted(RESPONSES_DIR.glob("*.xlsx")):
            import_demo_workbook(con, path)
        for e in read_csv("evaluators.csv"):
            evaluators.write_evaluator(
                con,
                e["id"],
                name=e["name"],
                role_nb=e["role_nb"],
                role_en=e["role_en"],
                actor=DEMO_ACTOR,
            )
            evaluators.write_declaration(
                con,
                evaluators.Declaration(
                    e["id"], date.fromisoformat(e["declared_on"]), not e["ties"], e["ties"]
                ),
                actor=DEMO_ACTOR,
            )
        load_evaluation(con)
        libraries_file = (DEMO_DIR / "libraries.csv").read_bytes()
        write_libraries(
            con,
            check_library_list(libraries_file, "libraries.csv"),
            actor=DEMO_ACTOR,
            file_name="libraries.csv",
        )
        settings = {
            k: str(v).lower() if isinstance(v, bool) else str(v)
            for k, v in model.get("settings", {}).items()
        }
        settings["demo"] = "true"
        for key, value in sorted(settings.items()):
            write_setting(con, key, value, actor=DEMO_ACTOR, reason="Demo procurement settings")
        audit.record(
            con, actor=DEMO_ACTOR, action="load", entity="demo_dataset",
            new={"directory": DEMO_DIR.name}, reason="Demo procurement (fictional)",
        )  # fmt: skip
        load_stakeholder_groups(con)
        load_library_input(con, read_csv("library_input.csv"), actor=DEMO_ACTOR)
        load_language_results(con)


def load_evaluation(con: duckdb.DuckDBPyConnection) -> None:
    """The evaluators' scores and assessments, their submissions and the consensus meeting's
    agreed values, in the caller's transaction. The demo's evaluators who have scored have
    also submitted, so everyone sees their scores and the consensus view is full. One
    evaluator has not started: try the scoring form as her.

    These 1,300 rows go in as rows, not through ``store.evaluation``'s savers one at a
    time: each save is checked and logged on its own (some ten statements), which made
    the demo take 38 s to build instead of 14 s, at every first start and in the tests.
    The load as a whole is logged (``demo_dataset``)."""
    con.executemany(
        "INSERT INTO score (evaluator_id, offer_id, requirement_id, score, reason)"
        " VALUES (?, ?, ?, ?, ?)",
        [
            (s["evaluator"], s["offer"], s["requirement"], float(s["score"]), s["reason"])
            for s in read_csv("scores.csv")
        ],
    )
    con.executemany(
        "INSERT INTO mandatory_assessment (evaluator_id, offer_id, requirement_id, outcome,"
        " reason) VALUES (?, ?, ?, ?, ?)",
        [
            (a["evaluator"], a["offer"], a["requirement"], a["outcome"], a["reason"])
            for a in read_csv("mandatory_assessments.csv")
        ],
    )
    scored = sorted({s["evaluator"] for s in read_csv("scores.csv")})
    con.executemany(
        "INSERT INTO evaluator_submission (evaluator_id, submitted_by) VALUES (?, ?)",
        [(e, DEMO_ACTOR) for e in scored],
    )
    con.executemany(
        "INSERT INTO consensus (offer_id, requirement_id, score, reason) VALUES (?, ?, ?, ?)",
        [
            (c["offer"], c["requirement"], float(c["score"]), c["reason"])
            for c in read_csv("consensus.csv")
        ],
    )
    con.executemany(
        "INSERT INTO mandatory_check (offer_id, requirement_id, outcome, reason)"
        " VALUES (?, ?, ?, ?)",
        [
            (c["offer"], c["requirement"], c["outcome"], c["reason"])
            for c in read_csv("mandatory_checks.csv")
        ],
    )


def load_language_results(con: duckdb.DuckDBPyConnection) -> None:
    """The language test kit's results for some of the demo's offers (others not tested
    yet), through the store as a real tender's are recorded, in the caller's transaction."""
    known = set(check_ids())
    by_offer: dict[str, dict[str, tuple[str, str]]] = {}
    for row in read_csv("language_results.csv"):
        by_offer.setdefault(row["offer"], {})[row["check"]] = (row["outcome"], row["note"])
    for offer, entries in by_offer.items():
        language_results.write_results(con, offer, entries, known_checks=known, actor=DEMO_ACTOR)


def _weighted_table(
    rows: Iterable[Mapping[str, Any]], columns: Sequence[str], keys: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """A weighted catalogue table from the demo's rows: ``columns``, each read by its own
    name or the key ``keys`` gives it (missing: ""), then the weight (blank: 0), not retired."""
    keys = keys or {}
    return pd.DataFrame(
        [
            {
                **{c: row.get(keys.get(c, c), "") for c in columns},
                "weight": float(row["weight"] or 0),
                "retired": False,
            }
            for row in rows
        ]
    )


def catalogue_template() -> dict[str, pd.DataFrame]:
    """The demo's award criteria, categories (with the demo's published weights),
    requirements and price lines, as the tables ``store.criteria.start_from_template``
    takes: a starting template for a real tender's catalogue."""
    model = read_toml("criteria.toml")
    return {
        "criteria": _weighted_table(
            model["criterion"], ["id", "name_nb", "name_en", "description_nb", "description_en"]
        ),
        "categories": _weighted_table(
            model["category"],
            ["id", "criterion_id", "name_nb", "name_en"],
            {"criterion_id": "criterion"},
        ),
        "requirements": _weighted_table(
            read_csv("requirements.csv"),
            ["id", "category_id", "kind", "text_nb", "text_en"],
            {"category_id": "category"},
        ),
        "price_lines": pd.DataFrame(read_csv("price_lines.csv")),
    }


def load_stakeholder_groups(con: duckdb.DuckDBPyConnection) -> None:
    """The library groups' weight profiles (``weight_profiles.toml``), in the caller's
    transaction."""
    for order, group in enumerate(read_toml("weight_profiles.toml")["group"]):
        write_stakeholder_group(
            con,
            StakeholderGroup(
                id=group["id"],
                profile_name=group["profile"],
                name_nb=group["name_nb"],
                name_en=group["name_en"],
                description_nb=group["description_nb"],
                description_en=group["description_en"],
                library_kind=group.get("library_kind"),
                sami_area=group.get("sami_area"),
                size_class=group.get("size_class"),
                sort_order=order,
            ),
            WeightProfile(
                name=group["profile"],
                criteria={k: float(v) for k, v in group["criteria"].items()},
                categories={k: float(v) for k, v in group["categories"].items()},
            ),
            actor=DEMO_ACTOR,
        )
