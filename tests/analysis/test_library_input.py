"""What the libraries said, on a hand-built round: counts per importance, means, and the
groups' disagreement, each checked against values worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.library_input import disagreement, distribution
from ui.library_input import figures

LIBRARIES = pd.DataFrame(
    {
        "id": ["a", "b", "c", "d"],
        "kind": ["public", "public", "school", "mobile"],
        "sami_area": [True, False, False, False],
        "size_class": ["small", "large", "small", "small"],
        "region": ["Troms", "Finnmark", "Troms", "Troms"],
    }
)
# Each item's importance by library (d did not rate LANG).
RATED = {
    ("requirement", "INT-03"): {"a": 1, "b": 2, "c": 4, "d": 3},
    ("category", "LANG"): {"a": 4, "b": 4, "c": 3},
}
PRIORITIES = pd.DataFrame(
    [
        (library, kind, item, importance)
        for (kind, item), by_library in RATED.items()
        for library, importance in by_library.items()
    ],
    columns=["library_id", "item_kind", "item_id", "importance"],
)


def test_the_distribution_overall_and_by_kind():
    overall = distribution(PRIORITIES, LIBRARIES).set_index("item_id")
    assert overall.loc["INT-03", ["n_0", "n_1", "n_2", "n_3", "n_4"]].tolist() == [0, 1, 1, 1, 1]
    assert overall.loc["INT-03", "answers"] == 4
    assert overall.loc["INT-03", "mean"] == 2.5  # (1 + 2 + 4 + 3) / 4
    assert overall.loc["LANG", "mean"] == 11 / 3
    by_kind = distribution(PRIORITIES, LIBRARIES, "kind")
    int03 = by_kind[by_kind["item_id"] == "INT-03"].set_index("kind")
    assert int03["mean"].to_dict() == {"mobile": 3.0, "public": 1.5, "school": 4.0}
    assert int03.loc["public", ["n_1", "n_2", "answers"]].tolist() == [1, 1, 2]


def test_the_groups_that_disagree_most_come_first():
    table = disagreement(PRIORITIES, LIBRARIES, "kind")
    assert table["item_id"].tolist() == ["INT-03", "LANG"]
    first = table.iloc[0]
    assert first["spread"] == 2.5  # school 4.0 - public 1.5
    assert (first["high_group"], first["low_group"]) == ("school", "public")
    assert table.iloc[1]["spread"] == 1.0  # public 4.0 - school 3.0; no mobile answer
    by_region = disagreement(PRIORITIES, LIBRARIES, "region").set_index("item_id")
    # Troms (1 + 4 + 3) / 3 = 8/3, Finnmark 2.
    assert by_region.loc["INT-03", "spread"] == pytest.approx(8 / 3 - 2)
    assert by_region.loc["INT-03", "high_group"] == "Troms"


def test_no_answers_give_empty_tables_and_the_figures_show_the_counts():
    empty = PRIORITIES.iloc[:0]
    assert distribution(empty, LIBRARIES).empty and disagreement(empty, LIBRARIES, "kind").empty
    one = distribution(PRIORITIES, LIBRARIES, "kind")
    one = one[one["item_id"] == "INT-03"]
    levels = {v: str(v) for v in range(5)}
    fig = figures.importance_figure(one, list(one["kind"]), levels)
    assert [list(bar.x) for bar in fig.data] == [list(one[f"n_{v}"]) for v in range(5)]
    status = pd.DataFrame(
        {"region": ["Troms", "Troms", "Finnmark"], "status": ["answered", "sent", "answered"]}
    )
    counts = figures.status_by_region(status).set_index("region")
    assert counts.loc["Troms"].tolist() == [1, 1, 0]
    assert counts.loc["Finnmark"].tolist() == [1, 0, 0]
