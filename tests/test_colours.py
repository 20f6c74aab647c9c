"""Colour arithmetic (ui/colours.py) and the charts' colours: contrast of every text, and
offers that colour-blind readers can tell apart."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from ui import charts, colours
from ui.i18n import speaking


def test_contrast_matches_wcag_s_published_values():
    assert colours.contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert colours.contrast("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    # #767676 is the lightest grey that reaches 4.5:1 on white; #777777 just misses it.
    assert colours.contrast("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)
    assert colours.contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    # White on the amber the totals used to be written on: the 2.82:1 that was reported.
    assert colours.contrast("#FFFFFF", "#D08C1F") == pytest.approx(2.82, abs=0.01)


def test_lab_of_white_and_pure_red():
    np.testing.assert_allclose(colours.lab("#FFFFFF"), [100.0, 0.0, 0.0], atol=0.01)
    np.testing.assert_allclose(colours.lab("#FF0000"), [53.24, 80.09, 67.20], atol=0.1)


@pytest.mark.parametrize("background", ["#FFFFFF", "#000000", "#D08C1F", "#009E73", "#777777"])
def test_the_text_colour_chosen_for_any_fill_reads_at_4_5_to_1(background):
    assert colours.contrast(colours.text_colour(background), background) >= 4.5


def test_the_simulation_leaves_grey_alone_and_merges_red_and_green():
    for vision in ("protanopia", "deuteranopia"):
        assert colours.simulate("#808080", vision) == "#808080"
        # Red and green, far apart in normal vision, come close without red or green cones.
        normal = colours.distance("#D62728", "#2CA02C")
        seen = colours.distance("#D62728", "#2CA02C", vision)
        assert normal > 60 and seen < normal / 3
    # Blue and orange stay apart for both.
    assert colours.distance("#0072B2", "#E69F00", "deuteranopia") > 40


@pytest.mark.parametrize("vision", ["normal", "protanopia", "deuteranopia"])
def test_every_two_offer_colours_stay_apart(vision):
    for a, b in itertools.combinations(charts.OFFER_COLOURS, 2):
        assert colours.distance(a, b, vision) >= charts.OFFER_MIN_DISTANCE, (a, b, vision)


def test_offer_colours_follow_the_offers_order_not_the_chart():
    everyone = {"a": "A", "b": "B", "c": "C"}
    ranks = pd.DataFrame({"m": [1, 2]}, index=["c", "a"])  # b is left out, c drawn first
    fig = charts.rank_lines_figure(ranks, everyone, {"m": "M"}, axis_title="R")
    drawn = {t.meta["offer"]: t.line.color for t in fig.data}
    assert drawn == {"a": charts.OFFER_COLOURS[0], "c": charts.OFFER_COLOURS[2]}
    symbols = {t.meta["offer"]: t.marker.symbol for t in fig.data}
    assert symbols["a"] != symbols["c"]  # not colour alone


def _interpolate(scale: list[list[object]], at: float) -> str:
    """A colour scale's colour at ``at`` (0–1), interpolated in RGB as plotly does."""
    for (low, first), (high, second) in itertools.pairwise(scale):
        if float(low) <= at <= float(high):  # type: ignore[arg-type]
            t = (at - float(low)) / (float(high) - float(low))  # type: ignore[arg-type]
            mixed = (1 - t) * colours.rgb(str(first)) + t * colours.rgb(str(second))
            return colours.hex_colour(mixed.tolist())
    raise ValueError(at)


def test_every_chart_text_reads_at_4_5_to_1():
    costs = pd.DataFrame(
        {
            "one_time": [1000.0],
            "yearly_total": [2000.0],
            "total": [3000.0],
            "options": [0.0],
        },
        index=["a"],
    )
    cost = charts.cost_figure(
        costs, {"a": "A"}, {"one_time": "1", "yearly_total": "2"}, axis_title="kr"
    )
    total = next(t for t in cost.data if t.type == "scatter")
    assert colours.contrast(total.textfont.color, charts.COST_COLOURS["yearly_total"]) >= 4.5
    shares = charts.stacked_share_figure(
        [[0.5, 0.3, 0.2]], ["row"], ["x", "y", "z"], charts.OFFER_COLOURS[:3], axis_title="%"
    )
    for bar in shares.data:
        assert colours.contrast(bar.insidetextfont.color, bar.marker.color) >= 4.5
    acceptability = charts.rank_acceptability_figure(
        [[0.2] * 6], ["A"], [str(r) for r in range(6)], axis_title="%"
    )
    for bar in acceptability.data:
        assert colours.contrast(bar.insidetextfont.color, bar.marker.color) >= 4.5
    tau = charts.tau_heatmap_figure(pd.DataFrame([[1.0]]), {}, colour_title="τ")
    for at in np.linspace(0, 1, 21):
        cell = _interpolate(charts.TAU_COLOURS, float(at))
        assert colours.contrast(tau.data[0].textfont.color, cell) >= 4.5, cell
    template = charts.HOUSE_TEMPLATE.layout
    assert colours.contrast(template.font.color, template.paper_bgcolor) >= 4.5
    assert colours.contrast(template.hoverlabel.font.color, template.hoverlabel.bgcolor) >= 4.5


@pytest.mark.parametrize(("language", "separators"), [("nb", ",\u00a0"), ("en", ".,")])
def test_every_chart_writes_numbers_in_the_language(language, separators):
    with speaking(language):
        figures = [
            charts.cost_figure(
                pd.DataFrame(
                    {
                        "one_time": [10_000_000.0],
                        "yearly_total": [370_000.0],
                        "total": [10_370_000.0],
                    },
                    index=["a"],
                ),
                {"a": "A"},
                {"one_time": "1", "yearly_total": "2"},
                axis_title="kr",
            ),
            charts.rank_lines_figure(
                pd.DataFrame({"m": [1]}, index=["a"]), {"a": "A"}, {"m": "M"}, axis_title="R"
            ),
            charts.agreement_figure({"c": 0.5}, {"c": "C"}, axis_title="W"),
        ]
    for figure in figures:
        assert figure.layout.separators == separators
    cost = figures[0]
    assert cost.layout.xaxis.tickformat == ",d"  # grouped digits, never "10M"
    total = next(t for t in cost.data if t.type == "scatter")
    expected = {"nb": "10\u00a0370\u00a0000", "en": "10,370,000"}[language]
    assert list(total.text) == [expected]


def test_offers_as_segments_keep_their_colour_under_their_own_pattern():
    everyone = {"a": "A", "b": "B", "c": "C"}
    fig = charts.offer_share_figure([[0.5, 0.5]], ["row"], ["c", "a"], everyone, axis_title="%")
    assert [t.name for t in fig.data] == ["C", "A"]
    assert [t.marker.color for t in fig.data] == [charts.OFFER_COLOURS[2], charts.OFFER_COLOURS[0]]
    # The pattern is drawn over the colour, not instead of it, and differs per offer.
    assert all(t.marker.pattern.fillmode == "overlay" for t in fig.data)
    assert fig.data[0].marker.pattern.shape != fig.data[1].marker.pattern.shape
