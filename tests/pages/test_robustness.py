"""The robustness page and the overview's sentence, checked against the published model."""

from __future__ import annotations

import tomllib

import numpy as np
import pytest

from analysis.inputs import load_inputs, profile_weights
from scoring.procurement import Weights, evaluate
from scoring.smaa import DEFAULT_SAMPLES, DEFAULT_SEED, DecisionModel, smaa
from store import profiles as store_profiles
from tests.dbdump import plain
from tests.pages.test_pages import DEMO, array, chart, open_page, vendor_names
from ui import state

PAGE = "pages/robustness.py"


def read_demo(demo_db):
    with plain(demo_db) as con:
        inputs = load_inputs(con)
        published = store_profiles.published_profile_name(con)
        profiles = {
            n: profile_weights(store_profiles.load_profile(con, n))
            for n in store_profiles.profile_names(con)
        }
        groups = con.execute(
            "SELECT name_nb, profile_name FROM stakeholder_group ORDER BY sort_order"
        ).fetchall()
    return inputs, profiles[published], profiles, groups


def node_names_nb() -> dict[str, tuple[str, str]]:
    """Row label on the chart -> (kind, id), from the demo's criteria file."""
    model = tomllib.loads((DEMO / "criteria.toml").read_text(encoding="utf-8"))
    criteria = {c["id"]: c["name_nb"] for c in model["criterion"]}
    out = {name: ("criterion", cid) for cid, name in criteria.items()}
    for cat in model["category"]:
        out[f"{criteria[cat['criterion']]} – {cat['name_nb']}"] = ("category", cat["id"])
    return out


def moved(weights: Weights, inputs, kind: str, node: str, share: float) -> Weights:
    """The weights with one node at ``share`` of its level, the others in proportion."""
    if kind == "criterion":
        level = {k: float(v) for k, v in weights.criteria.items()}
    else:
        parent = inputs.tree.categories.set_index("id").loc[node, "criterion_id"]
        ids = inputs.tree.categories.loc[inputs.tree.categories["criterion_id"] == parent, "id"]
        level = {k: float(weights.categories.get(k, 0.0)) for k in ids}
    rest = sum(v for k, v in level.items() if k != node)
    new = {k: (share if k == node else v / rest * (1 - share)) for k, v in level.items()}
    if kind == "criterion":
        return Weights(criteria=new, categories=weights.categories)
    return Weights(criteria=weights.criteria, categories={**weights.categories, **new})


def winner(inputs, weights) -> str:
    rank = evaluate(inputs, weights).rank
    return str(rank.sort_values(kind="stable").index[0])


def test_the_tornado_bars_end_where_the_published_model_changes_winner(read_only_demo_db):
    at = open_page(PAGE)
    inputs, weights, _, _ = read_demo(read_only_demo_db)
    first = winner(inputs, weights)
    tornado = chart(at, 0)["data"]
    bars = tornado[0]
    labels = node_names_nb()
    lows, widths = array(bars["base"]), array(bars["x"])
    assert len(bars["y"]) >= 8
    for label, low, width in zip(bars["y"], lows / 100, widths / 100, strict=True):
        kind, node = labels[label]
        high = low + width
        for edge, outside in ((low, low - 0.003), (high, high + 0.003)):
            if 0.003 < edge < 0.997:
                assert winner(inputs, moved(weights, inputs, kind, node, outside)) != first, label
                inside = edge + 0.003 if edge == low else edge - 0.003
                assert winner(inputs, moved(weights, inputs, kind, node, inside)) == first, label
    # The most sensitive weight is on top: its nearest edge is the closest to its weight now.
    current = array(tornado[1]["x"]) / 100
    margins = [
        min(c - lo if lo > 0 else np.inf, lo + w - c if lo + w < 1 else np.inf)
        for c, lo, w in zip(current, lows / 100, widths / 100, strict=True)
    ]
    assert margins[0] == min(margins)


def test_fixed_weights_make_the_published_winner_first_in_every_draw(read_only_demo_db):
    at = open_page(PAGE)
    at.selectbox(key=state.SMAA_SAMPLING).set_value("box").run()
    at.number_input(key=state.SMAA_BOX_PERCENT).set_value(0).run()
    assert not at.exception
    inputs, weights, _, _ = read_demo(read_only_demo_db)
    published = evaluate(inputs, weights).rank
    bars = [t for t in chart(at, 1)["data"] if t["type"] == "bar"]
    names = vendor_names()
    for offer, rank in published.items():
        row = bars[0]["y"].index(names[offer])
        shares = [array(t["x"])[row] for t in bars]
        assert sum(shares) == pytest.approx(100.0, abs=0.05)
        assert shares[rank - 1] == 100.0
    assert any("fast på de valgte vektene" in c.value for c in at.caption)


def test_samples_and_seed_are_shown_with_the_figure_and_change_it(read_only_demo_db):
    at = open_page(PAGE)
    captions = " ".join(c.value for c in at.caption).replace("\xa0", " ")
    assert f"{DEFAULT_SAMPLES:,}".replace(",", " ") + " trekninger, frø 1" in captions
    before = chart(at, 1)["data"]
    at.number_input(key=state.SMAA_SAMPLES).set_value(2_000)
    at.number_input(key=state.SMAA_SEED).set_value(7).run()
    captions = " ".join(c.value for c in at.caption).replace("\xa0", " ")
    assert "2 000 trekninger, frø 7" in captions
    assert chart(at, 1)["data"] != before


def test_letting_the_scores_vary_is_said_beside_the_figure(read_only_demo_db):
    at = open_page(PAGE)
    at.checkbox(key=state.SMAA_SCORES).check().run()
    assert not at.exception
    assert any("Evaluatorenes poeng trekkes også" in c.value for c in at.caption)
    # The rows still add up to 100 % with the scores drawn as well.
    bars = [t for t in chart(at, 1)["data"] if t["type"] == "bar"]
    totals = sum(array(t["x"]) for t in bars)
    np.testing.assert_allclose(totals, 100.0, atol=0.05)


def groups_own_weights(demo_db, weights: Weights, profiles, groups) -> dict[str, Weights]:
    """Each group's weights as the page should take them: where any of its libraries
    answered the input round, the published criteria with the quality categories weighed
    by the mean importance the group's libraries gave each (newest answers; 2 where none
    rated it); else its hand-set profile."""
    with plain(demo_db) as con:
        means = con.execute(
            "WITH newest AS (SELECT library_id, max(answer_number) AS n FROM library_answer"
            "  GROUP BY library_id),"
            " rated AS (SELECT p.library_id, p.item_id, p.importance FROM library_priority p"
            "  JOIN newest ON p.library_id = newest.library_id AND p.answer_number = newest.n"
            "  WHERE p.item_kind = 'category')"
            " SELECT g.name_nb, r.item_id, avg(r.importance) FROM stakeholder_group g"
            " JOIN library l ON (g.library_kind IS NULL OR l.kind = g.library_kind)"
            "  AND (g.sami_area IS NULL OR l.sami_area = g.sami_area)"
            "  AND (g.size_class IS NULL OR l.size_class = g.size_class)"
            " JOIN rated r ON r.library_id = l.id GROUP BY g.name_nb, r.item_id"
        ).fetchall()
    model = tomllib.loads((DEMO / "criteria.toml").read_text(encoding="utf-8"))
    quality = [c["id"] for c in model["category"] if c["criterion"] == "quality"]
    out = {}
    for name, profile in groups:
        mean = {item: float(value) for group, item, value in means if group == name}
        if not mean:
            out[name] = profiles[profile]
            continue
        importance = {c: mean.get(c, 2.0) for c in quality}
        total = sum(importance.values())
        out[name] = Weights(
            criteria=weights.criteria,
            categories={**weights.categories, **{c: v / total for c, v in importance.items()}},
        )
    return out


def test_each_library_groups_winner_is_the_published_model_under_its_weights(read_only_demo_db):
    at = open_page(PAGE)
    inputs, weights, profiles, groups = read_demo(read_only_demo_db)
    own = groups_own_weights(read_only_demo_db, weights, profiles, groups)
    assert len(own) == len(groups)
    overall = winner(inputs, weights)
    names = vendor_names()
    table = next(d.value for d in at.dataframe if "Bibliotekgruppe" in d.value.columns)
    assert table["Bibliotekgruppe"].tolist() == [name for name, _ in groups]
    for (name, _profile), row in zip(groups, table.to_dict("records"), strict=True):
        theirs = winner(inputs, own[name])
        assert row["Først med gruppens vekter"] == names[theirs], name
        assert row["Holder"] == ("✓" if theirs == overall else "✗"), name
    ranks = next(d.value for d in at.dataframe if "Plass med «Standard»" in d.value.columns)
    for name, _profile in groups:
        expected = evaluate(inputs, own[name]).rank
        got = dict(zip(ranks["Tilbud"], ranks[name], strict=True))
        assert got == {names[o]: int(r) for o, r in expected.items()}, name
    held = sum(winner(inputs, own[name]) == overall for name, _ in groups)
    # The page says which groups are weighed by their libraries' answers.
    answered = [name for name, profile in groups if own[name] is not profiles[profile]]
    assert answered, "the demo's libraries have answered the input round"
    caption = next(c.value for c in at.caption if "innspillsrunden" in c.value)
    assert caption.startswith(
        "Vekter fra bibliotekenes svar i innspillsrunden: " + ", ".join(answered) + "."
    )
    assert any(f"er først for {held} av {len(groups)}" in m.value for m in at.markdown)


def test_the_overview_sentence_is_the_default_smaa_run(read_only_demo_db):
    at = open_page("pages/overview.py")
    inputs, weights, _, _ = read_demo(read_only_demo_db)
    with plain(read_only_demo_db) as con:
        scores = con.execute(
            "SELECT * FROM score"
            " WHERE evaluator_id IN (SELECT evaluator_id FROM evaluator_submission)"
        ).df()
    model = DecisionModel.from_procurement(inputs, weights, evaluator_scores=scores)
    result = smaa(model, samples=DEFAULT_SAMPLES, seed=DEFAULT_SEED)
    first = winner(inputs, weights)
    share = round(100 * result.first_rank(first))
    sentence = f"**{vendor_names()[first]}** vinner i **{share} %** av plausible vektinger."
    assert sentence in [m.value for m in at.markdown]
    caption = " ".join(c.value for c in at.caption).replace("\xa0", " ")
    assert "10 000 trekninger, frø 1" in caption


def test_another_profile_is_analysed_under_its_own_weights(read_only_demo_db):
    at = open_page(PAGE)
    inputs, _, profiles, groups = read_demo(read_only_demo_db)
    # The winner under each profile is the published model's, not a sample's: few samples
    # are enough for the page's robustness figures.
    at.number_input(key=state.SMAA_SAMPLES).set_value(1_000)
    for _name, profile in groups:
        at.selectbox(key=state.ROBUSTNESS_PROFILE).set_value(profile).run()
        assert not at.exception
        expected = vendor_names()[winner(inputs, profiles[profile])]
        assert at.markdown[0].value.startswith(f"Med disse vektene vinner **{expected}**")
