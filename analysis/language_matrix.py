"""What works in each offer for each minority language: the language matrix, the offers
compared on the language dimension alone, and the ranking under the Sámi administrative
area's weights.

A matrix cell (offer × language × aspect) gathers its evidence from two places: the agreed
scores and assessments of the LANG requirements that speak to that aspect (``REQUIREMENTS``)
and the language test kit's results for the checks of that language and aspect (``KINDS``).
Each piece of evidence says works, partly or fails; the cell works when all of it does,
fails when all of it fails, is partly met when it is mixed, and is unknown without evidence.
The functions below ``cells`` are pure: tables in, tables out.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from analysis.inputs import load_inputs, profile_weights
from scoring.procurement import Evaluation, ProcurementInputs, evaluate
from scoring.scales import MET
from store import language_results, libraries, profiles
from store.errors import N_

SAMI = ("sme", "smj", "sma", "smn", "sms")
LANGUAGES = (*SAMI, "fkv", "fin", "rus")
LATIN = tuple(code for code in LANGUAGES if code != "rus")
CATEGORY = "LANG"

ASPECTS: dict[str, str] = {
    "storage": N_("Storage"),
    "exact": N_("Exact-letter search"),
    "folding": N_("Search folding"),
    "collation": N_("Collation"),
    "codes": N_("Language codes and limits"),
    "interface": N_("Public interface"),
    "notices": N_("Notices"),
    "labels": N_("Spine labels"),
}
# The LANG requirements that speak to each aspect, per language.
REQUIREMENTS: dict[str, dict[str, tuple[str, ...]]] = {
    "storage": dict.fromkeys(LANGUAGES, ("LANG-01", "LANG-02")),
    "exact": {**dict.fromkeys(LATIN, ("LANG-03",)), "rus": ("LANG-11",)},
    "folding": dict.fromkeys(LATIN, ("LANG-04",)),
    "collation": {"sme": ("LANG-05",), "smj": ("LANG-06",), "sma": ("LANG-06",)},
    "codes": dict.fromkeys(LANGUAGES, ("LANG-07", "LANG-08")),
    "interface": dict.fromkeys(LANGUAGES, ("LANG-09",)),
    "notices": dict.fromkeys(LANGUAGES, ("LANG-10",)),
    "labels": dict.fromkeys(SAMI, ("LANG-13",)),
}
# The kinds of the kit's checks (``tender_files.language_kit.protocol``) behind each aspect.
KINDS: dict[str, tuple[str, ...]] = {
    "storage": ("display", "nfd"),
    "exact": ("exact",),
    "folding": ("folded",),
    "collation": ("sort",),
    "codes": ("code",),
    "interface": (),
    "notices": (),
    "labels": ("label",),
}
WORKS, PARTLY, FAILS, UNKNOWN, NOT_APPLICABLE = "works", "partly", "fails", "unknown", "n/a"
STATUSES: dict[str, str] = {
    WORKS: N_("Works"),
    PARTLY: N_("Partly"),
    FAILS: N_("Fails"),
    UNKNOWN: N_("No evidence yet"),
    NOT_APPLICABLE: N_("Not asked"),
}
# An agreed score of a weighted requirement (0–10) counts as working from WORKS_FROM and
# as partly working from PARTLY_FROM; below that it fails.
WORKS_FROM = 7.0
PARTLY_FROM = 4.0
COLUMNS = [
    "offer_id", "language", "aspect", "status", "requirements", "checks", "passed", "failed",
    "notes", "untested",
]  # fmt: skip


def score_verdict(score: float) -> str:
    """What an agreed score (0–10) says: works, partly or fails."""
    if score >= WORKS_FROM:
        return WORKS
    return PARTLY if score >= PARTLY_FROM else FAILS


def assessment_verdict(outcome: str) -> str:
    """What an agreed assessment of a mandatory requirement says: met works, else fails."""
    return WORKS if outcome == MET else FAILS


def combine(verdicts: list[str], *, asked: bool = True) -> str:
    """A cell's status from its pieces of evidence (see the module's docstring)."""
    if not verdicts:
        return UNKNOWN if asked else NOT_APPLICABLE
    found = set(verdicts)
    if found == {WORKS}:
        return WORKS
    if found == {FAILS}:
        return FAILS
    return PARTLY


@dataclass(frozen=True)
class Evidence:
    """One requirement's agreed value in a cell: a score (W) or an assessment (M)."""

    requirement: str
    kind: str  # "W" or "M"
    value: float | str  # the agreed score, or met / not_met / material_deviation

    @property
    def verdict(self) -> str:
        """What this evidence says."""
        if isinstance(self.value, str):
            return assessment_verdict(self.value)
        return score_verdict(float(self.value))


def _lookup(table: pd.DataFrame, key: str, value: str) -> dict[tuple[str, str], object]:
    """``(offer_id, key) -> value`` of a table."""
    return {
        (str(o), str(k)): v for o, k, v in table[["offer_id", key, value]].itertuples(index=False)
    }


def _kit_verdict(outcome: object) -> str:
    return WORKS if outcome == language_results.PASS else FAILS


def matrix(
    offers: list[str],
    requirements: pd.DataFrame,
    consensus: pd.DataFrame,
    assessments: pd.DataFrame,
    checks: pd.DataFrame,
    results: pd.DataFrame,
) -> pd.DataFrame:
    """The language matrix, one row per offer, language and aspect (``COLUMNS``).

    ``requirements``: id, kind (the catalogue; a LANG requirement missing from it gives no
    evidence); ``consensus``: offer_id, requirement_id, score; ``assessments``: offer_id,
    requirement_id, outcome (the agreed ones); ``checks``: id, language, kind (the kit's
    protocol); ``results``: offer_id, check_id, outcome (pass, fail, note).

    ``requirements`` in a row is the list of ``Evidence``; ``checks`` the ids of the kit's
    checks for the cell, of which ``passed``, ``failed``, ``notes`` and ``untested`` count.
    """
    kinds = dict(zip(requirements["id"], requirements["kind"], strict=True))
    scores = _lookup(consensus, "requirement_id", "score")
    agreed = _lookup(assessments, "requirement_id", "outcome")
    outcome = _lookup(results, "check_id", "outcome")
    rows = []
    for offer in offers:
        for language in LANGUAGES:
            for aspect in ASPECTS:
                ids = [r for r in REQUIREMENTS[aspect].get(language, ()) if r in kinds]
                evidence = []
                for rid in ids:
                    kind = str(kinds[rid])
                    value = (scores if kind == "W" else agreed).get((offer, rid))
                    if value is not None:
                        agreed_value = float(value) if kind == "W" else str(value)  # type: ignore[arg-type]
                        evidence.append(Evidence(rid, kind, agreed_value))
                cell_checks = checks[
                    (checks["language"] == language) & checks["kind"].isin(KINDS[aspect])
                ]["id"].tolist()
                seen = [outcome[(offer, c)] for c in cell_checks if (offer, c) in outcome]
                verdicts = [e.verdict for e in evidence]
                verdicts += [_kit_verdict(o) for o in seen if o != language_results.NOTE]
                rows.append(
                    {
                        "offer_id": offer,
                        "language": language,
                        "aspect": aspect,
                        "status": combine(verdicts, asked=bool(ids or cell_checks)),
                        "requirements": evidence,
                        "checks": cell_checks,
                        "passed": seen.count(language_results.PASS),
                        "failed": seen.count(language_results.FAIL),
                        "notes": seen.count(language_results.NOTE),
                        "untested": len(cell_checks) - len(seen),
                    }
                )
    return pd.DataFrame(rows, columns=COLUMNS)


def language_scores(
    offers: list[str],
    requirements: pd.DataFrame,
    consensus: pd.DataFrame,
    assessments: pd.DataFrame,
    results: pd.DataFrame,
    check_count: int,
) -> pd.DataFrame:
    """The offers on the language dimension alone, indexed by offer: ``points``, the
    weighted mean of the agreed scores of the LANG category's weighted requirements (0–10,
    by their weights within the category); ``mandatory_not_met``, how many of its mandatory
    requirements are agreed not met (or a material deviation); ``passed`` and ``tested``, of
    the kit's ``check_count`` checks."""
    lang = requirements[requirements["category_id"] == CATEGORY]
    weighted = lang[lang["kind"] == "W"].set_index("id")["weight"].astype(float)
    mandatory = set(lang[lang["kind"] == "M"]["id"])
    rows = []
    for offer in offers:
        own = consensus[consensus["offer_id"] == offer].set_index("requirement_id")["score"]
        scored = weighted[weighted.index.isin(own.index) & (weighted > 0)]
        points = (
            float((own[scored.index].astype(float) * scored).sum() / scored.sum())
            if scored.sum() > 0
            else float("nan")
        )
        checks = assessments[
            (assessments["offer_id"] == offer) & assessments["requirement_id"].isin(mandatory)
        ]
        seen = results[results["offer_id"] == offer]["outcome"]
        rows.append(
            {
                "offer_id": offer,
                "points": points,
                "mandatory_not_met": int((checks["outcome"] != MET).sum()),
                "passed": int((seen == language_results.PASS).sum()),
                "tested": int(len(seen)),
                "checks": check_count,
            }
        )
    return pd.DataFrame(rows).set_index("offer_id")


# --- read from the database -----------------------------------------------------------


@dataclass(frozen=True)
class LanguageView:
    """What the page Languages shows: the matrix and the offers' language scores."""

    offers: pd.DataFrame  # id, vendor_name, product
    matrix: pd.DataFrame
    scores: pd.DataFrame
    results: pd.DataFrame  # every stored result, with who recorded it and when


def language_view(con: duckdb.DuckDBPyConnection, checks: pd.DataFrame) -> LanguageView:
    """The matrix and the language scores from the database, for the kit's ``checks`` (id,
    language, kind)."""
    inputs = load_inputs(con)
    results = language_results.results(con)
    offers = [str(o) for o in inputs.offers["id"]]
    reqs = inputs.tree.requirements
    return LanguageView(
        inputs.offers,
        matrix(offers, reqs, inputs.consensus, inputs.checks, checks, results),
        language_scores(offers, reqs, inputs.consensus, inputs.checks, results, len(checks)),
        results,
    )


def sami_area_profile(con: duckdb.DuckDBPyConnection) -> str | None:
    """The weight profile of the library group of the Sámi administrative area (the first
    group that takes the Sámi area's libraries), or None without one."""
    groups = libraries.stakeholder_groups(con)
    found = groups[groups["sami_area"].fillna(False).astype(bool)]
    return str(found["profile_name"].iloc[0]) if not found.empty else None


def sami_area_ranking(
    con: duckdb.DuckDBPyConnection,
) -> tuple[str, Evaluation, ProcurementInputs] | None:
    """The published model under the Sámi administrative area's weights: the profile's
    name, the evaluation and its inputs; None without such a group or while an offer has no
    prices."""
    name = sami_area_profile(con)
    inputs = load_inputs(con)
    priced = set(inputs.price_lines["offer_id"])
    if name is None or inputs.offers.empty or not set(inputs.offers["id"]) <= priced:
        return None
    return name, evaluate(inputs, profile_weights(profiles.load_profile(con, name))), inputs
