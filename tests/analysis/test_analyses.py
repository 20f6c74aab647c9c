"""The analyses both faces call, on the demo procurement and on an empty tender."""

from __future__ import annotations

import pytest

from analysis import prices, ranking, robustness
from scoring.ranks import dense_rank
from store.db import connect


def test_an_empty_tender_has_nothing_to_rank():
    con = connect(":memory:")
    start = ranking.published(con)
    assert not start.ready and start.evaluation is None and start.weights is None
    with pytest.raises(ranking.NothingToRank):
        ranking.rank_procurement(con)
    with pytest.raises(ranking.NothingToRank):
        robustness.smaa_document(con, samples=100)


def test_the_published_ranking_is_dense_and_names_every_rejected_offer(con):
    document = ranking.rank_procurement(con)
    start = ranking.published(con)
    assert start.evaluation is not None
    # Ranks follow the scores: 1 for the highest, ties share (scikit-criteria's dense ranks).
    assert document["ranks"] == dense_rank(document["scores"]).tolist()
    assert document["profile"] == start.profile
    assert {r["offer"] for r in document["rejected"]} == set(start.evaluation.rejected)
    offered = set(document["alternatives"]) | set(start.evaluation.rejected)
    assert offered == set(start.inputs.offers["id"])


def test_fixed_weights_put_every_offer_at_its_published_rank_in_every_draw(con):
    data = robustness.load(con)
    published = ranking.published(con).evaluation
    assert published is not None
    result = robustness.run_smaa(data, sampling="box:0", samples=200, seed=1)
    for offer, rank in published.rank.items():
        row = result.alternatives.index(offer)
        assert result.rank_acceptability[row, rank - 1] == 1.0


def test_drawing_around_groups_needs_groups(con):
    con.execute("DELETE FROM stakeholder_group")
    with pytest.raises(robustness.NoGroups):
        robustness.run_smaa(robustness.load(con), sampling="groups:50", samples=100)


def test_only_the_batch_engines_methods_are_offered_for_smaa():
    assert robustness.SMAA_METHODS == ("wsm", "topsis")


def test_the_price_comparison_adds_up(con):
    analysis = prices.price_analysis(con)
    costs = analysis.evaluation.costs
    totals = [costs.at[o, "total"] for o in analysis.order]
    assert totals == sorted(totals)  # cheapest first
    for _offer, row in costs.iterrows():
        assert row["total"] == pytest.approx(
            row["one_time"] + row["yearly"] * analysis.contract_years
        )
    assert analysis.per_library is not None
    split = analysis.per_library
    for offer in analysis.order:
        assert split.at[offer, "per_library"] * analysis.counts.libraries == pytest.approx(
            costs.at[offer, "total"]
        )
        assert split.at[offer, "per_service_point_year"] * analysis.counts.service_points * (
            analysis.contract_years
        ) == pytest.approx(costs.at[offer, "total"])
