"""The functions the pages call to shape what they show, and the cache helper, checked
without a running page (translations fall back to Norwegian Bokmål)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import prices
from scoring.procurement import CriterionTree, WeightTree
from scoring.stakeholders import GroupView
from ui import price as price_tables
from ui import robustness
from ui import weights as sliders


def test_the_sampling_specification_follows_the_choices():
    assert robustness.sampling_spec("uniform", 50, 20) == "uniform"
    assert robustness.sampling_spec("box", 50, 20.0) == "box:20"
    assert robustness.sampling_spec("dirichlet", 75.0, 20) == "dirichlet:75"
    assert robustness.sampling_spec("groups", 10, 20) == "groups:10"
    assert robustness.sampling_kinds(False) == ["dirichlet", "box", "uniform"]
    assert "groups" in robustness.sampling_kinds(True)


def test_offers_follow_the_ranking_and_shares_end_with_all_groups_together():
    rank = pd.Series({"b": 2, "a": 1, "c": 3})
    assert robustness.offers_in_order(rank, ["c", "a"]) == ["a", "c"]

    def view(group: str, first: dict[str, float]) -> GroupView:
        return GroupView(group, pd.Series(dtype=float), rank, "a", 1, pd.Series(first))

    class Mixture:
        def first_rank(self, offer: str) -> float:
            return {"a": 0.7, "c": 0.3}[offer]

    views = [view("g1", {"a": 0.9, "c": 0.1}), view("g2", {"a": 0.4})]
    shares = robustness.first_rank_shares(views, Mixture(), ["a", "c"])  # type: ignore[arg-type]
    assert shares == [[0.9, 0.1], [0.4, 0.0], [0.7, 0.3]]


def test_categories_are_grouped_under_their_criterion_in_catalogue_order():
    tree = CriterionTree(
        criteria=pd.DataFrame({"id": ["quality", "price"]}),
        categories=pd.DataFrame(
            {"id": ["LANG", "CAT", "X"], "criterion_id": ["quality", "quality", "ghost"]}
        ),
        requirements=pd.DataFrame(columns=["id", "category_id", "kind", "weight"]),
    )
    assert sliders.categories_by_criterion(WeightTree.of(tree)) == {
        "quality": ["LANG", "CAT"],
        "price": [],
    }


def test_the_shares_caption_is_in_per_cent():
    caption = sliders.shares_caption({"q": 0.4, "p": 0.6}, {"q": "Kvalitet", "p": "Pris"})
    assert caption.endswith("Kvalitet 40 % · Pris 60 %")


def test_the_price_tables_show_the_analysis_in_the_order_it_gives(con):
    analysis = prices.price_analysis(con)
    names = price_tables.vendor_names(analysis)
    costs = price_tables.cost_table(analysis, names)
    # Cheapest first, and the scored total is one-time plus yearly × years.
    totals = costs.iloc[:, 4].tolist()
    assert totals == sorted(totals)
    years = analysis.contract_years
    assert (costs.iloc[:, 1] + costs.iloc[:, 2] * years).tolist() == pytest.approx(totals)
    assert costs.iloc[:, 3].tolist() == pytest.approx((costs.iloc[:, 2] * years).tolist())
    for offer in analysis.evaluation.rejected:
        assert names[offer].endswith("(avvist)")
    split = price_tables.per_library_table(analysis, names)
    libraries = analysis.counts.libraries
    expected = [round(t / libraries) for t in totals]
    assert split.iloc[:, 1].tolist() == pytest.approx(expected, abs=0.5)
    models = price_tables.models_table(analysis.published_model)
    assert models.iloc[:, 3].tolist().count("✓") == 1


def test_the_steps_of_pricing_quality_subtract_the_value_of_quality(con):
    con.execute("INSERT OR REPLACE INTO setting VALUES ('quality_point_value_nok', '100000')")
    analysis = prices.price_analysis(con)
    assert analysis.quality_steps is not None
    steps = price_tables.quality_steps_table(analysis, price_tables.vendor_names(analysis))
    assert (steps["P_e"] - steps["V · Q_e"]).tolist() == pytest.approx(
        steps["E = P_e − V · Q_e"].tolist(), abs=1.0
    )


def test_a_removal_check_is_told_in_order(con):
    analysis = prices.price_analysis(con)
    table = price_tables.removal_checks_table(
        analysis.removals, price_tables.vendor_names(analysis)
    )
    assert len(table) == len(analysis.removals)
    if analysis.removal_summary is not None:
        summary = price_tables.removal_summary_table(analysis.removal_summary)
        assert summary.iloc[:, 1].sum() == len(analysis.removals)


def test_a_cached_analysis_runs_once_per_data_version_and_each_keeps_its_own(read_only_demo_db):
    from ui import data

    calls: list[tuple[str, int]] = []

    def double(con, x: int) -> int:
        calls.append(("double", x))
        return 2 * int(con.execute("SELECT ?", [x]).fetchone()[0])

    def triple(con, x: int) -> int:
        calls.append(("triple", x))
        return 3 * x

    twice, thrice = data.cached(double), data.cached(triple)
    path = str(read_only_demo_db)
    assert twice(path, 3) == 6 and twice(path, 3) == 6
    assert thrice(path, 3) == 9  # same arguments, another analysis: not the cached 6
    assert calls == [("double", 3), ("triple", 3)]
    data.clear_caches(path)  # what every write does
    assert twice(path, 3) == 6
    assert calls[-1] == ("double", 3) and len(calls) == 3


def test_a_kept_figure_is_built_once_and_again_after_any_change(demo_db):
    from tests.dbdump import raw_edit
    from ui import data

    built: list[int] = []

    def build() -> list[int]:
        built.append(1)
        return [len(built)]

    path = str(demo_db)
    first = data.kept(build, "test_kept", path=path)
    assert data.kept(build, "test_kept", path=path) is first and built == [1]
    assert data.kept(build, "test_kept", "other choice", path=path) == [2]
    raw_edit(demo_db, "UPDATE setting SET value = 'EUR' WHERE key = 'currency'")
    assert data.kept(build, "test_kept", path=path) == [3]  # edited past the app: built anew


def test_a_charts_numbers_are_a_table_with_named_rows_and_columns():
    from ui.tables import labelled_matrix

    matrix = pd.DataFrame({"a": [1.234, 2.0], "b": [0.5, None]}, index=["o1", "o2"])
    table = labelled_matrix(matrix, "Offer", {"o1": "First AS"}, {"a": "Quality"}, digits=1)
    assert list(table.columns) == ["Offer", "Quality", "b"]
    assert table["Offer"].tolist() == ["First AS", "o2"]
    assert table["Quality"].tolist() == [1.2, 2.0]
    assert table["b"].iloc[0] == 0.5 and pd.isna(table["b"].iloc[1])


def test_two_offers_from_one_vendor_never_share_a_label():
    from ui.labels import offer_labels

    offers = pd.DataFrame(
        {
            "id": ["a-1", "a-2", "b-1", "c-1", "c-2"],
            "vendor_name": ["Alfa AS", "Alfa AS", "Beta AS", "Gamma AS", "Gamma AS"],
            "product": ["Bib", "Bib Pluss", "Bib", "Kat", "Kat"],
        }
    )
    assert offer_labels(offers) == {
        "a-1": "Alfa AS (Bib)",
        "a-2": "Alfa AS (Bib Pluss)",
        "b-1": "Beta AS",
        "c-1": "Gamma AS (c-1)",
        "c-2": "Gamma AS (c-2)",
    }
