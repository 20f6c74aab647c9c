"""The cached DuckDB connection and cached reads for the pages.

One connection per database file lives in ``st.cache_resource``; every read runs on its
own cursor. Cached reads are cleared after every write.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import pandas as pd
import streamlit as st

from analysis.inputs import load_inputs
from scoring.price import LibraryCounts, PriceParameters
from scoring.procurement import ProcurementInputs
from store import (
    audit,
    catalogue,
    evaluation,
    freeze,
    libraries,
    profiles,
    summary,
)
from store import evaluation as ev
from store import (
    offers as store_offers,
)
from store import (
    settings as store_settings,
)
from store.db import default_db_path, open_database
from vendors import responses as vendor_responses

CACHE_TTL_SECONDS = 600


def db_path() -> str:
    """The database file this app serves (``$BIBVALG_DB`` or data/bibvalg.duckdb)."""
    return str(default_db_path().resolve())


@st.cache_resource(show_spinner=False)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    return open_database(path)


@contextmanager
def cursor() -> Iterator[duckdb.DuckDBPyConnection]:
    """A fresh cursor on the app's database, closed afterwards."""
    cur = _connection(db_path()).cursor()
    try:
        yield cur
    finally:
        cur.close()


def clear_caches() -> None:
    """Forget cached reads; call after every write."""
    st.cache_data.clear()


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=4, show_spinner=False)
def inputs(path: str) -> ProcurementInputs:
    """Everything the published model needs."""
    with cursor() as cur:
        return load_inputs(cur)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=4, show_spinner=False)
def counts(path: str) -> summary.Counts:
    """Numbers for the overview."""
    with cursor() as cur:
        return summary.counts(cur)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=4, show_spinner=False)
def settings(path: str) -> dict[str, str]:
    """Procurement settings."""
    with cursor() as cur:
        return store_settings.settings(cur)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=4, show_spinner=False)
def profile_names(path: str) -> list[str]:
    """Saved weight profiles, the published one first."""
    with cursor() as cur:
        return profiles.profile_names(cur)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=16, show_spinner=False)
def profile(path: str, name: str) -> profiles.WeightProfile:
    """One saved weight profile."""
    with cursor() as cur:
        return profiles.load_profile(cur, name)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=4, show_spinner=False)
def responses(path: str) -> pd.DataFrame:
    """Vendors' own answers."""
    with cursor() as cur:
        return store_offers.responses(cur)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=4, show_spinner=False)
def offers(path: str) -> pd.DataFrame:
    """Offers with vendor names."""
    with cursor() as cur:
        return store_offers.offers(cur)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=4, show_spinner=False)
def library_counts(path: str) -> LibraryCounts:
    """Libraries, branches and school libraries, counted."""
    with cursor() as cur:
        return libraries.library_counts(cur)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=4, show_spinner=False)
def price_setting_history(path: str) -> pd.DataFrame:
    """Logged changes to the price model and its settings, newest first."""
    with cursor() as cur:
        return store_settings.price_setting_history(cur)


def save_price_model(
    model: str, parameters: PriceParameters, *, actor: str, reason: str
) -> list[str]:
    """Publish a price model and its settings, logged, and forget cached reads."""
    with cursor() as cur:
        changed = store_settings.save_price_model(
            cur, model, parameters, actor=actor, reason=reason
        )
    clear_caches()
    return changed


def save_profile(weight_profile: profiles.WeightProfile, *, actor: str, reason: str = "") -> None:
    """Save a weight profile and forget cached reads."""
    with cursor() as cur:
        profiles.save_profile(cur, weight_profile, actor=actor, reason=reason)
    clear_caches()


# --- evaluation: every read of scores takes the viewer ---------------------------------


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=4, show_spinner=False)
def evaluators(path: str) -> pd.DataFrame:
    """Evaluators by name."""
    with cursor() as cur:
        return evaluation.evaluators(cur)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=16, show_spinner=False)
def scores(path: str, viewer: str | None, submitted_only: bool = False) -> pd.DataFrame:
    """Evaluators' scores the viewer may see (their own, and every submitted one)."""
    with cursor() as cur:
        return ev.scores(cur, viewer=viewer, submitted_only=submitted_only)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=16, show_spinner=False)
def assessments(path: str, viewer: str | None, submitted_only: bool = False) -> pd.DataFrame:
    """Evaluators' mandatory assessments the viewer may see."""
    with cursor() as cur:
        return ev.assessments(cur, viewer=viewer, submitted_only=submitted_only)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=4, show_spinner=False)
def progress(path: str) -> list[ev.Progress]:
    """Every evaluator's progress (counts only)."""
    with cursor() as cur:
        return ev.progress(cur)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=4, show_spinner=False)
def submissions(path: str) -> pd.DataFrame:
    """Who has submitted, and when."""
    with cursor() as cur:
        return ev.submissions(cur)


def save_score(
    evaluator: str,
    offer: str,
    requirement: str,
    score: float,
    reason: str,
    *,
    actor: str,
    expected: object = ev.UNCHECKED,
) -> None:
    """Save one of the evaluator's scores; ``expected`` is the entry the form was drawn
    with (a changed one refuses the save with StaleValue)."""
    try:
        with cursor() as cur:
            ev.save_score(
                cur,
                evaluator=evaluator,
                offer=offer,
                requirement=requirement,
                score=score,
                reason=reason,
                actor=actor,
                expected=expected,
            )
    finally:
        clear_caches()


def save_assessment(
    evaluator: str,
    offer: str,
    requirement: str,
    outcome: str,
    reason: str,
    *,
    actor: str,
    expected: object = ev.UNCHECKED,
) -> None:
    """Save one of the evaluator's mandatory assessments."""
    try:
        with cursor() as cur:
            ev.save_assessment(
                cur,
                evaluator=evaluator,
                offer=offer,
                requirement=requirement,
                outcome=outcome,
                reason=reason,
                actor=actor,
                expected=expected,
            )
    finally:
        clear_caches()


def submit(evaluator: str, *, actor: str) -> None:
    """Submit an evaluator's scores."""
    with cursor() as cur:
        ev.submit(cur, evaluator=evaluator, actor=actor)
    clear_caches()


def save_consensus(offer: str, requirement: str, score: float, reason: str, *, actor: str) -> bool:
    """Save an agreed score; True if it changed."""
    with cursor() as cur:
        changed = ev.save_consensus(
            cur, offer=offer, requirement=requirement, score=score, reason=reason, actor=actor
        )
    clear_caches()
    return changed


def save_mandatory_check(
    offer: str, requirement: str, outcome: str, reason: str, *, actor: str
) -> bool:
    """Save an agreed mandatory assessment; True if it changed."""
    with cursor() as cur:
        changed = ev.save_mandatory_check(
            cur, offer=offer, requirement=requirement, outcome=outcome, reason=reason, actor=actor
        )
    clear_caches()
    return changed


# --- the evaluation model and the audit log --------------------------------------------


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=4, show_spinner=False)
def model_status(path: str) -> freeze.ModelStatus:
    """The model's fingerprint against the frozen one."""
    with cursor() as cur:
        return freeze.status(cur)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=4, show_spinner=False)
def model_history(path: str) -> pd.DataFrame:
    """Every recorded fingerprint."""
    with cursor() as cur:
        return freeze.history(cur)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=4, show_spinner=False)
def model_json(path: str) -> str:
    """The canonical JSON of the model as it is now."""
    with cursor() as cur:
        return freeze.model_json(cur)


def freeze_model(*, actor: str, reason: str) -> str:
    """Freeze the evaluation model."""
    with cursor() as cur:
        value = freeze.freeze_model(cur, actor=actor, reason=reason)
    clear_caches()
    return value


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=16, show_spinner=False)
def audit_entries(path: str, viewer: str | None, where: audit.LogFilter) -> pd.DataFrame:
    """Audit-log entries as the viewer may see them."""
    with cursor() as cur:
        return audit.entries(cur, viewer=viewer, where=where)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=4, show_spinner=False)
def audit_choices(path: str) -> dict[str, list[str]]:
    """Actors, entities and actions found in the log."""
    with cursor() as cur:
        return audit.distinct_values(cur)


def audit_verification(path: str) -> audit.ChainReport:
    """The hash chain checked end to end (never cached: it is the check)."""
    with cursor() as cur:
        return audit.verify(cur)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=16, show_spinner=False)
def progress_detail(path: str, evaluator: str) -> pd.DataFrame:
    """One evaluator's progress per offer and category (counts only)."""
    with cursor() as cur:
        return ev.progress_detail(cur, evaluator)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=4, show_spinner=False)
def catalogue_table(path: str) -> pd.DataFrame:
    """Every requirement, retired ones too, as the catalogue editor shows them."""
    with cursor() as cur:
        return catalogue.editable(cur)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=4, show_spinner=False)
def catalogue_version(path: str) -> catalogue.CatalogueVersion:
    """The catalogue's current version and fingerprint."""
    with cursor() as cur:
        return catalogue.current_version(cur)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=4, show_spinner=False)
def catalogue_versions(path: str) -> pd.DataFrame:
    """Every recorded catalogue version, newest first."""
    with cursor() as cur:
        return catalogue.versions(cur)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=4, show_spinner=False)
def categories(path: str) -> pd.DataFrame:
    """Categories with their names."""
    with cursor() as cur:
        return catalogue.categories(cur)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=4, show_spinner=False)
def show_weights_default(path: str) -> bool:
    """The working group's choice: weights shown in the requirement specification or not."""
    with cursor() as cur:
        return vendor_responses.show_weights_default(cur)


def template(path: str, show_weights: bool, *, actor: str) -> vendor_responses.TemplateExport:
    """The requirement specification for vendors. The catalogue version it carries is
    recorded first if it is not yet (a write, so outside the cache, clearing it)."""
    with cursor() as cur:
        recorded_before = catalogue.current_version(cur).recorded
        version = catalogue.ensure_recorded(cur, actor=actor)
    if not recorded_before:
        clear_caches()
    return _template(path, show_weights, version.version, actor=actor)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=4, show_spinner=False)
def _template(
    path: str, show_weights: bool, version: int, *, actor: str
) -> vendor_responses.TemplateExport:
    with cursor() as cur:
        return vendor_responses.export_template(cur, actor=actor, show_weights=show_weights)


def save_catalogue(
    edited: pd.DataFrame, *, actor: str, reason: str, based_on: int | None
) -> catalogue.SaveResult:
    """Save an edit of the catalogue and forget cached reads."""
    try:
        with cursor() as cur:
            return catalogue.save_catalogue(
                cur, edited, actor=actor, reason=reason, based_on=based_on
            )
    finally:
        clear_caches()


def set_show_weights_default(show: bool, *, actor: str) -> None:
    """Record whether the requirement specification shows weights, and forget cached reads."""
    with cursor() as cur:
        vendor_responses.set_show_weights_default(cur, show, actor=actor)
    clear_caches()


def import_responses(
    offer_id: str, content: bytes, *, file_name: str, actor: str
) -> vendor_responses.ImportResult:
    """Check and import a vendor's workbook; forget cached reads if it was stored."""
    with cursor() as cur:
        result = vendor_responses.import_responses(
            cur, offer_id, content, actor=actor, file_name=file_name
        )
    clear_caches()
    return result
