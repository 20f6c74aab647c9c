"""The cached DuckDB connection, cached reads and analyses, and writes for the pages.

One connection per database file lives in ``st.cache_resource``; every read runs on its
own cursor. ``cached`` turns any function that takes a connection first (a read from the
store, an analysis from ``analysis/``) into a cached one that takes the database path
instead. Its results are keyed by the path, the data version and the arguments. The data
version moves on with every change to the database, through the store or past it (see
``data_version``); writes through ``writer`` also clear the cached results at once.
"""

from __future__ import annotations

import functools
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

import duckdb
import streamlit as st

from analysis import library_fit as library_fit_analysis
from analysis import prices, ranking, rounds
from analysis import robustness as robustness_analysis
from analysis import stage as work_stage
from analysis.inputs import load_inputs
from scoring.procurement import PUBLISHED_METHOD
from scoring.smaa import DEFAULT_SAMPLES, DEFAULT_SEED, DEFAULT_WEIGHT_SAMPLING, SmaaResult
from scoring.stability import Stability
from scoring.stakeholders import GroupView
from store import access, audit, catalogue, freeze, libraries, opening, profiles, summary
from store import evaluation as ev
from store import offers as store_offers
from store import settings as store_settings
from store.db import default_db_path, open_database
from ui import labels, tables
from ui.i18n import current_language
from vendors import responses as vendor_responses

CACHE_TTL_SECONDS = 600

P = ParamSpec("P")
T = TypeVar("T")
Connection = duckdb.DuckDBPyConnection


def db_path() -> str:
    """The database file this app serves (``$BIBVALG_DB`` or data/bibvalg.duckdb)."""
    return _resolved(str(default_db_path()), os.getcwd())


@functools.lru_cache(maxsize=16)
def _resolved(path: str, folder: str) -> str:
    """``path``, relative to ``folder``, as an absolute path (asked for many times a run)."""
    return str((Path(folder) / path).resolve())


@st.cache_resource(show_spinner=False)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    return open_database(path)


@st.cache_resource(show_spinner=False)
def _versions() -> dict[str, int]:
    """A count per database file moved on by ``clear_caches`` (a restore, a release)."""
    return {}


def _file_state(path: str) -> tuple[int, int] | None:
    """When a file was last changed and its size (None if there is none)."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_mtime_ns, found.st_size


DataVersion = tuple[int, int, tuple[int, int] | None, tuple[int, int] | None]


def data_version(path: str) -> DataVersion:
    """A token that changes whenever the database changes, whoever changes it.

    - every change this process makes goes through ``store.audit.record``, which moves
      ``audit.changes_logged(path)`` on;
    - a change made past the store (a plain DuckDB connection to the file, in this process
      or, while the app's connection is released, another) is committed to the file's
      write-ahead log, or by a checkpoint to the file itself: either moves that file's
      modification time and size.

    Reads are cached under this token, so the next run after any change reads afresh.
    """
    return (
        audit.changes_logged(_resolved(path, os.getcwd())),
        _versions().get(path, 0),
        _file_state(path),
        _file_state(path + ".wal"),
    )


@contextmanager
def cursor(path: str | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A fresh cursor on the app's database (or the one at ``path``), closed afterwards."""
    cur = _connection(path or db_path()).cursor()
    try:
        yield cur
    finally:
        cur.close()


def release(path: str | None = None) -> None:
    """Close the app's connection to its database (or the one at ``path``), before the file
    is replaced; the next read opens the new file."""
    key = path or db_path()
    _connection(key).close()
    _connection.clear()
    clear_caches(key)


def clear_caches(path: str | None = None) -> None:
    """Forget cached reads (the data version moves on with every change anyway; this frees
    the memory at once, and covers a file replaced whole, as a restore does)."""
    versions = _versions()
    key = path or db_path()
    versions[key] = versions.get(key, 0) + 1
    st.cache_data.clear()
    for shared in _SHARED:
        shared.clear()
    with _kept_lock:
        _kept().clear()


_SHARED: list[Any] = []  # the caches of ``cached(..., shared=True)``, cleared with the rest


def cached(
    read: Callable[Concatenate[Connection, P], T], *, max_entries: int = 4, shared: bool = False
) -> Callable[Concatenate[str, P], T]:
    """``read(connection, *args)`` as a cached ``f(path, *args)``.

    Cached with ``st.cache_data`` (a time to live and at most ``max_entries`` results),
    keyed by the path, the data version and the arguments. ``st.cache_data`` hands out a
    copy on every call; with ``shared`` the result itself is kept and handed out
    (``st.cache_resource``), which saves copying a large analysis at every run: only for
    results that no page changes.
    """

    def run(path: str, version: DataVersion, *args: P.args, **kwargs: P.kwargs) -> T:
        with cursor(path) as cur:
            return read(cur, *args, **kwargs)

    # Streamlit tells cached functions apart by module and qualified name.
    run.__qualname__ = f"cached.{read.__module__}.{read.__qualname__}"
    run.__doc__ = read.__doc__
    cache = st.cache_resource if shared else st.cache_data
    cached_run = cache(ttl=CACHE_TTL_SECONDS, max_entries=max_entries, show_spinner=False)(run)
    if shared:
        _SHARED.append(cached_run)

    def call(path: str, *args: P.args, **kwargs: P.kwargs) -> T:
        return cached_run(path, data_version(path), *args, **kwargs)

    call.__doc__ = read.__doc__
    return call


# Figures and tables of every page, both languages and a few sessions' choices fit at once.
KEPT_ENTRIES = 256
_kept_lock = threading.Lock()


@st.cache_resource(show_spinner=False)
def _kept() -> OrderedDict[Hashable, Any]:
    """Objects built once per data version and language (``kept``), the newest last."""
    return OrderedDict()


def kept(build: Callable[[], T], *key: Hashable, path: str | None = None) -> T:
    """``build()`` once per data version and interface language, then the very same object
    on every run: for a figure or table made from cached data, which would otherwise be
    built anew at each click. ``key`` names what is built and every choice it depends on
    besides the data and the language (a chart's key, the profile shown). The object is
    shared by every session, so nothing may change it; at most ``KEPT_ENTRIES`` are kept."""
    where = path or db_path()
    full = (key, where, data_version(where), current_language())
    found = _kept()
    with _kept_lock:
        if full in found:
            found.move_to_end(full)
            return found[full]  # type: ignore[no-any-return]
    made = build()
    with _kept_lock:
        found[full] = made
        while len(found) > KEPT_ENTRIES:
            found.popitem(last=False)
    return made


def writer(change: Callable[Concatenate[Connection, P], T]) -> Callable[P, T]:
    """``change(connection, *args)`` on the app's database, then the caches cleared
    (also when the change is refused: it may have read stale data)."""

    def call(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            with cursor() as cur:
                return change(cur, *args, **kwargs)
        finally:
            clear_caches()

    call.__doc__ = change.__doc__
    return call


# --- reads ------------------------------------------------------------------------------

# The procurement's inputs and its long tables (every answer, score and assessment) are
# kept, not copied: no page changes them, and on a large tender copying them at every run
# cost more than the rest of the run.
inputs = cached(load_inputs, shared=True)
counts = cached(summary.counts)
settings = cached(store_settings.settings)
roles_enforced = cached(access.is_enforced)
stage = cached(work_stage.stage)
profile_names = cached(profiles.profile_names)
profile = cached(profiles.load_profile, max_entries=16)
responses = cached(store_offers.responses, shared=True)
offers = cached(store_offers.offers)
library_counts = cached(libraries.library_counts)
stakeholder_groups = cached(libraries.stakeholder_groups)
price_setting_history = cached(store_settings.price_setting_history)
scores = cached(ev.scores, max_entries=16, shared=True)
assessments = cached(ev.assessments, max_entries=16, shared=True)
progress = cached(ev.progress)
progress_detail = cached(ev.progress_detail, max_entries=16)
still_missing = cached(ev.still_missing, max_entries=16)
submissions = cached(ev.submissions)
model_status = cached(freeze.status)
model_history = cached(freeze.history)
model_json = cached(freeze.model_json)
audit_entries = cached(audit.entries, max_entries=16)
audit_choices = cached(audit.distinct_values)
catalogue_table = cached(catalogue.editable)
catalogue_version = cached(catalogue.current_version)
catalogue_versions = cached(catalogue.versions)
categories = cached(catalogue.categories)
show_weights_default = cached(vendor_responses.show_weights_default)
_template = cached(vendor_responses.export_template)

# --- analyses ---------------------------------------------------------------------------

# The analyses the pages read at every run, large on a large tender (library fit: a row
# per library): kept, not copied.
published = cached(ranking.published, shared=True)
prepared = cached(ranking.prepared, shared=True)
profile_evaluation = cached(ranking.profile_evaluation, max_entries=16, shared=True)
price_analysis = cached(prices.price_analysis, shared=True)
round_comparison = cached(rounds.compare_rounds)
opening_status = cached(opening.status)
library_fit = cached(library_fit_analysis.library_fit, shared=True)


def _smaa(
    con: Connection,
    profile: str,
    sampling: str = DEFAULT_WEIGHT_SAMPLING,
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    score_sampling: bool = False,
    method: str = PUBLISHED_METHOD,
) -> SmaaResult:
    """SMAA-2 on the procurement (see ``analysis.robustness.run_smaa``)."""
    return robustness_analysis.run_smaa(
        robustness_analysis.load(con), profile, sampling, samples, seed, score_sampling, method
    )


def _stability(con: Connection, profile: str) -> Stability:
    """Weight stability under a profile (see ``analysis.robustness.stability``)."""
    return robustness_analysis.stability(robustness_analysis.load(con), profile)


def _group_views(
    con: Connection, profile: str, concentration: float, samples: int, seed: int
) -> tuple[str, list[GroupView]]:
    """The library groups' views (see ``analysis.robustness.group_views``)."""
    return robustness_analysis.group_views(
        robustness_analysis.load(con), profile, concentration, samples, seed
    )


def _tree_labels(con: Connection, language: str) -> labels.TreeLabels:
    """The criterion tree's names in a language (the current one: it keys the cache)."""
    return labels.tree_labels(load_inputs(con).tree)


def _evaluator_names(con: Connection) -> dict[str, str]:
    """Evaluator id -> name (read on every page, for the sidebar)."""
    return tables.evaluator_names(ev.evaluators(con))


tree_labels = cached(_tree_labels, max_entries=8)
evaluator_names = cached(_evaluator_names)
smaa_run = cached(_smaa, max_entries=32, shared=True)
stability_run = cached(_stability, max_entries=16, shared=True)
group_views = cached(_group_views, max_entries=16, shared=True)


def audit_verification(path: str) -> audit.ChainReport:
    """The hash chain checked end to end (never cached: it is the check)."""
    with cursor(path) as cur:
        return audit.verify(cur)


# --- writes -----------------------------------------------------------------------------

save_price_model = writer(store_settings.save_price_model)
save_profile = writer(profiles.save_profile)
save_score = writer(ev.save_score)
save_assessment = writer(ev.save_assessment)
submit = writer(ev.submit)
save_consensus = writer(ev.save_consensus)
accept_medians = writer(ev.accept_medians)
save_mandatory_check = writer(ev.save_mandatory_check)
freeze_model = writer(freeze.freeze_model)
save_catalogue = writer(catalogue.save_catalogue)
set_show_weights_default = writer(vendor_responses.set_show_weights_default)
import_responses = writer(vendor_responses.import_responses)
open_offers = writer(opening.open_offers)


def preview_import(
    path: str, offer: str, payload: bytes, *, file_name: str, round_number: int
) -> vendor_responses.ImportResult:
    """What importing a workbook would change (never cached: it reads the file)."""
    with cursor(path) as cur:
        return vendor_responses.preview_import(
            cur, offer, payload, file_name=file_name, round_number=round_number
        )


def template(
    path: str, show_weights: bool, *, actor: str, offer_id: str | None = None
) -> vendor_responses.TemplateExport:
    """The requirement specification for vendors (for one offer, if given). The catalogue
    version it carries is recorded first if it is not yet (a write, so outside the cache,
    clearing it)."""
    if not catalogue_version(path).recorded:
        with cursor(path) as cur:
            catalogue.ensure_recorded(cur, actor=actor)
        clear_caches(path)
    return _template(path, actor=actor, show_weights=show_weights, offer_id=offer_id)
