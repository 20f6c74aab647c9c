"""Page pieces used on more than one page."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeAlias

import pandas as pd
import streamlit as st

from analysis.ranking import Published
from scoring.fingerprint import short
from scoring.procurement import Evaluation, ProcurementInputs
from store.evaluation import OUTCOMES
from store.freeze import ModelStatus
from ui import charts, data, identity, labels, numbers, state, tables
from ui.i18n import _, current_language, localized
from ui.text import plain


def stop_unless_ready(start: Published) -> Evaluation:
    """The published ranking; explain and stop the page when there is nothing to rank yet
    (a new, empty tender, or offers still without their prices)."""
    waiting = start.unpriced
    if start.evaluation is None and waiting:
        st.info(
            _(
                "{count} offer(s) have no prices yet ({offers}). The ranking appears here when "
                "every offer's workbook with its prices is imported."
            ).format(count=len(waiting), offers=", ".join(waiting))
        )
        st.stop()
    stop_unless(start.evaluation is not None)
    assert start.evaluation is not None
    return start.evaluation


def stop_if_prices_hidden(title: str | None = None) -> None:
    """Explain and stop the page while this session may not see prices (price-blind),
    under the page's ``title`` if it is not shown yet."""
    if identity.prices_hidden():
        if title:
            st.title(title)
        st.info(
            _(
                "Prices are hidden until you have submitted your quality scores: this tender "
                "is evaluated price-blind, so that quality is scored without knowing the "
                "price. When you have submitted your scores (Evaluation → Scoring), the "
                "prices, price points and the total ranking appear here."
            ),
            icon=":material/visibility_off:",
        )
        st.stop()


def stop_unless(ready: bool) -> None:
    """Explain and stop the page unless there are offers and a published weight profile."""
    if not ready:
        st.info(
            _(
                "This tender has no offers or no published weight profile yet. When the "
                "catalogue, the weights and the vendors' answers are in, the ranking appears here."
            )
        )
        st.stop()


def profile_choice(key: str, names: list[str], published: str) -> str:
    """A weight profile chosen in a select box kept in the session, the published first."""
    if st.session_state.get(key) not in names:
        st.session_state[key] = published
    choice = st.selectbox(
        _("Weight profile"),
        names,
        key=key,
        persist_state="session",
        format_func=lambda n: _("{name} (published)").format(name=n) if n == published else n,
        placeholder=_("Choose an option"),
    )
    return str(choice)


def outcome_choice(container: Any, label: str, outcome: object, **options: Any) -> None:
    """A choice among the assessments in ``container``, showing ``outcome`` if it is one."""
    container.selectbox(
        label,
        OUTCOMES,
        index=OUTCOMES.index(outcome) if outcome in OUTCOMES else None,
        format_func=tables.outcome_names().__getitem__,
        placeholder=_("Choose"),
        **options,
    )


def confirmed_button(
    confirmation: str,
    confirm_key: str,
    label: str,
    *,
    key: str,
    on_click: Callable[..., None],
    args: tuple[Any, ...] = (),
    ready: bool = True,
) -> None:
    """A box to tick that confirms ``confirmation``, and a primary button that works once
    it is ticked (and the work is ``ready``)."""
    st.checkbox(confirmation, key=confirm_key)
    st.button(
        label,
        type="primary",
        key=key,
        on_click=on_click,
        args=args,
        disabled=not (ready and st.session_state.get(confirm_key)),
    )


# Plotly's own toolbar is left out: on a narrow screen it covers the legends, and the
# numbers are in a table beside every chart (Streamlit's toolbar still offers full screen).
CHART_CONFIG = {"displaylogo": False, "displayModeBar": False}


# A table, or how to make it.
Numbers: TypeAlias = pd.DataFrame | Callable[[], pd.DataFrame]


def chart(
    figure: object,
    key: str,
    *,
    summary: str | None = None,
    numbers: Numbers | None = None,
    column_config: Mapping[str, Any] | None = None,
) -> None:
    """A plotly figure, full width, keyed; above it the ``summary`` (one sentence on what it
    shows), below it its ``numbers`` as a table one click away."""
    if summary:
        st.markdown(summary)
    st.plotly_chart(figure, key=key, width="stretch", config=CHART_CONFIG, theme=None)
    if numbers is not None:
        numbers_behind(numbers, key, column_config)


def numbers_behind(
    frame: Numbers, key: str, column_config: Mapping[str, Any] | None = None
) -> None:
    """A chart's numbers as a table in an expander, for those who cannot read the chart.
    The table is made and drawn only while the expander is open (opening it runs the page
    again), so that a page of many charts stays quick."""
    with folded(_("The numbers behind the chart"), f"{key}:numbers") as shown:
        if shown:
            table(frame() if callable(frame) else frame, column_config)


@contextmanager
def folded(label: str, key: str) -> Iterator[bool]:
    """An expander whose content is made only while it is open: inside it, whether it is
    open (opening or closing it runs the page again). For what is costly to draw."""
    expander = st.expander(label, key=key, on_change="rerun")
    with expander:
        yield bool(expander.open)


def tab_sections(sections: list[tuple[str, Callable[[], None]]], key: str) -> None:
    """Tabs of which only the open one is drawn: choosing another runs the page again, and
    the open tab is kept in ``st.session_state[key]`` (its label). Its place is kept too,
    so that the same tab stays open when the interface language changes its label. For
    pages of many forms."""
    names = [label for label, _draw in sections]
    place = st.session_state.get(f"{key}:place")
    if st.session_state.get(key) not in names and place is not None and place < len(names):
        st.session_state[key] = names[place]  # the same tab, in the other language
    tabs = st.tabs(names, key=key, on_change="rerun")
    for number, (tab, (_label, draw_section)) in enumerate(zip(tabs, sections, strict=True)):
        if tab.open:
            st.session_state[f"{key}:place"] = number
            with tab:
                draw_section()


def table(
    frame: pd.DataFrame,
    column_config: Mapping[str, Any] | None = None,
    decimals: Mapping[str, int] | None = None,
) -> None:
    """A table without its index, full width: numbers as the interface language writes
    them (with ``decimals`` per column where given), "–" where there is no value."""
    draw(numbers.prepared(frame, decimals), column_config)


def explained(helps: Mapping[str, str]) -> dict[str, Any]:
    """A table's ``column_config`` that explains each column (heading -> explanation), shown
    when one points at the heading; the column's kind follows its values."""
    return {heading: st.column_config.Column(help=text) for heading, text in helps.items()}


def draw(ready: numbers.Prepared, column_config: Mapping[str, Any] | None = None) -> None:
    """A table ``numbers.prepared`` made ready (``table`` without that work)."""
    st.dataframe(
        numbers.drawable(ready),
        hide_index=True,
        placeholder=numbers.EMPTY,
        width="stretch",
        column_config=column_config,
    )


def table_downloads(
    frame: pd.DataFrame, name: str, *, key: str, decimals: Mapping[str, int] | None = None
) -> None:
    """Buttons that download ``frame`` as CSV (in the interface language's convention) and
    as an Excel workbook (numbers kept as numbers), the files named ``name``. Each file is
    made when its button is pressed."""
    csv_column, xlsx_column, _spacer = st.columns([1, 1, 3])
    language = current_language()
    csv_column.download_button(
        _("Download as CSV"),
        data=lambda: numbers.csv_bytes(frame, language),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"{key}:csv",
        icon=":material/download:",
    )
    xlsx_column.download_button(
        _("Download as Excel"),
        data=lambda: numbers.xlsx_bytes(frame, name, decimals),
        file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}:xlsx",
        icon=":material/download:",
    )


def pick(label: str, choices: Mapping[Any, str], *, where: Any = st, **options: Any) -> Any:
    """A select box over ``choices`` (each value -> the name shown), in ``where`` (a column
    or the page), with the placeholder in the interface language."""
    return where.selectbox(
        label,
        list(choices),
        format_func=choices.__getitem__,
        placeholder=_("Choose an option"),
        **options,
    )


def kept_chart(
    key: str,
    build: Callable[[], object],
    *depends: Hashable,
    summary: str | None = None,
    numbers: Numbers | None = None,
) -> None:
    """``chart(build(), key, ...)`` with the figure built once per data version, language and
    whatever else it ``depends`` on (``data.kept``), not at every run."""
    chart(data.kept(build, key, *depends), key, summary=summary, numbers=numbers)


def kept_table(
    key: str,
    build: Callable[[], pd.DataFrame],
    column_config: Mapping[str, Any] | None = None,
    *depends: Hashable,
    decimals: Mapping[str, int] | Callable[[pd.DataFrame], Mapping[str, int]] | None = None,
) -> pd.DataFrame:
    """``table(build(), column_config, decimals)``, the table shaped and made ready to show
    once per data version, language and ``depends`` (``data.kept``); returns it.
    ``decimals`` may be worked out from the table (a function of it)."""

    def shaped() -> tuple[pd.DataFrame, numbers.Prepared]:
        frame = build()
        places = decimals(frame) if callable(decimals) else decimals
        return frame, numbers.prepared(frame, places)

    frame, ready = data.kept(shaped, key, *depends)
    draw(ready, column_config)
    return frame


def labelled_table(
    frame: pd.DataFrame,
    headings: Mapping[str, str],
    column_config: Mapping[str, Any] | None = None,
    decimals: Mapping[str, int] | None = None,
) -> None:
    """``table`` with the columns renamed by ``headings`` (column -> heading)."""
    table(frame.rename(columns=headings), column_config, decimals)


def ranking_chart(
    evaluation: Evaluation,
    inputs: ProcurementInputs,
    *,
    key: str,
    names: labels.TreeLabels | None = None,
) -> None:
    """The stacked bar chart of total points, best on top.

    The figure is kept in the session: while the parts, their labels, the offers and the
    language stay, a rerun (a slider moved) only puts the new points into it.
    """
    if evaluation.total.empty:
        st.info(_("No offer is left to rank."))
        return
    if names is None:
        part_labels, part_criterion = labels.parts(inputs.tree)
    else:
        part_labels, part_criterion = names.parts, names.part_criterion
    offer_labels = labels.offer_labels(inputs.offers)
    axis_title = _("Points (0–100)")
    drawn_of = (
        tuple(part_labels.items()),
        tuple(part_criterion.items()),
        tuple(evaluation.contributions.columns),
        tuple(evaluation.total.index),
        axis_title,
    )
    kept = st.session_state.get(state.RANKING_FIGURE + key)
    if kept is not None and kept[0] == drawn_of:
        figure = kept[1]
        charts.refill_ranking_figure(
            figure,
            evaluation.contributions,
            evaluation.total,
            evaluation.rank,
            offer_labels,
            part_labels,
            format_number=labels.number,
        )
    else:
        figure = charts.ranking_figure(
            evaluation.contributions,
            evaluation.total,
            evaluation.rank,
            offer_labels,
            part_labels,
            part_criterion,
            axis_title=axis_title,
            format_number=labels.number,
        )
        st.session_state[state.RANKING_FIGURE + key] = (drawn_of, figure)
    st.plotly_chart(figure, key=key, width="stretch", config=CHART_CONFIG, theme=None)
    numbers_behind(
        lambda: tables.labelled_matrix(
            evaluation.contributions.loc[evaluation.total.index].assign(
                **{_("Total"): evaluation.total}
            ),
            _("Offer"),
            offer_labels,
            part_labels,
        ),
        key,
    )


def ranking_table(
    evaluation: Evaluation, inputs: ProcurementInputs, *, kept_as: str | None = None
) -> None:
    """Rank, vendor, points and price; TOPSIS beside it as a check. With ``kept_as`` (for
    an evaluation that follows from the data alone) the table is shaped once per data
    version and language, under that key."""
    if evaluation.total.empty:
        return
    decimals = {_("Points"): 1, _("Total cost (NOK)"): 0}

    def shaped() -> numbers.Prepared:
        return numbers.prepared(tables.ranking_table(evaluation, inputs), decimals)

    draw(data.kept(shaped, kept_as) if kept_as else shaped())
    st.caption(
        _(
            "The published model is the weighted sum of points; it decides. TOPSIS, on the "
            "same points and weights, is shown only to see whether the result is robust."
        )
    )


def rejected_offers(evaluation: Evaluation, inputs: ProcurementInputs) -> None:
    """Offers rejected for a material deviation from a mandatory requirement, and why."""
    if not evaluation.rejected:
        st.success(_("Every offer meets the mandatory requirements."))
        return
    names = labels.offer_labels(inputs.offers)
    texts = {r["id"]: localized(r, "text") for r in inputs.tree.requirements.to_dict("records")}
    for offer in evaluation.rejected:
        lines = [
            f"- **{req}** {plain(texts.get(req, ''))}  \n  {_('Assessment')}: {plain(reason)}"
            for req, reason in evaluation.screening.loc[offer, "reasons"]
        ]
        st.error(
            _("**{vendor}** is rejected: material deviation from a mandatory requirement.").format(
                vendor=plain(names.get(offer, offer))
            )
            + "\n\n"
            + "\n".join(lines)
        )


def model_status_note(status: ModelStatus) -> None:
    """The model's fingerprint and whether it matches the frozen one, in one box."""
    current = short(status.current)
    if status.freeze is None:
        st.info(
            _(
                "Evaluation model: fingerprint `{current}`. Not frozen yet: freeze it on the "
                "Evaluation page before the offers are opened."
            ).format(current=current),
            icon=":material/lock_open:",
        )
        return
    frozen_at = status.freeze.frozen_at.strftime("%Y-%m-%d %H:%M")
    if status.state == "matches":
        st.success(
            _(
                "Evaluation model: fingerprint `{current}` matches the one frozen on {date} "
                "by {who}."
            ).format(current=current, date=frozen_at, who=plain(status.freeze.frozen_by)),
            icon=":material/lock:",
        )
    elif status.state == "changed":
        st.warning(
            _(
                "Evaluation model: fingerprint `{current}` differs from the one frozen on "
                "{date} (`{frozen}`). It was changed {count} times after the freeze, each "
                "time with a logged reason."
            ).format(
                current=current,
                date=frozen_at,
                frozen=short(status.freeze.fingerprint),
                count=status.changes,
            ),
            icon=":material/history:",
        )
    else:
        st.error(
            _(
                "Evaluation model: fingerprint `{current}` matches neither the frozen one "
                "(`{frozen}`) nor any change recorded since. The model was changed outside "
                "bibvalg."
            ).format(current=current, frozen=short(status.freeze.fingerprint)),
            icon=":material/gpp_bad:",
        )
