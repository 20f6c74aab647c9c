"""The overview says how close the decision is: the lead in points, worked out by hand from
the consensus scores, weights and prices; the methods that would put another offer first,
as the Methods page shows them; nothing of it for a price-blind evaluator."""

from __future__ import annotations

from tests.dbdump import plain
from tests.pages.test_pages import open_page, vendor_names
from tests.tender_files.test_steering_report import _hand_total
from ui import state


def test_the_lead_in_points_is_the_hand_computed_difference(read_only_demo_db):
    with plain(read_only_demo_db) as con:
        offers = [o for (o,) in con.execute("SELECT id FROM offer").fetchall()]
        rejected = {
            o
            for (o,) in con.execute(
                "SELECT offer_id FROM mandatory_check WHERE outcome = 'material_deviation'"
            ).fetchall()
        }
        totals = {o: _hand_total(con, o) for o in offers if o not in rejected}
    first, second = sorted(totals, key=totals.get, reverse=True)[:2]
    gap = f"{totals[first] - totals[second]:.2f}".replace(".", ",")
    names = vendor_names()

    at = open_page("pages/overview.py")
    assert "Hvor jevnt er det?" in [h.value for h in at.subheader]
    sentence = (
        f"**{names[first]}** leder foran **{names[second]}** med **{gap} poeng** av de 100 "
        "den publiserte modellen gir."
    )
    assert sentence in [m.value for m in at.markdown]


def test_the_methods_named_are_those_the_methods_page_ranks_differently(read_only_demo_db):
    at = open_page("pages/overview.py")
    assert not [d for d in at.dataframe if "Førsteplass" in d.value.columns]  # folded away
    at.session_state["overview:all"] = True  # the expander opened
    at.run()
    table = next(d.value for d in at.dataframe if "Førsteplass" in d.value.columns)
    methods = table[table["Analyse"] == "Metode"]
    first_by_method = dict(zip(methods["Variant"], methods["Førsteplass"], strict=True))
    said = next(m.value for m in at.markdown if "kommer først" in m.value)

    at.switch_page("pages/methods.py").run()
    ranks = at.dataframe[0].value
    expected = {
        method: ranks.loc[ranks[method] == 1, "Leverandør"].iloc[0]
        for method in ranks.columns
        if method != "Leverandør"
    }
    assert first_by_method == expected
    leader = expected[next(iter(expected))]  # the published weighted sum comes first
    others = [f"{m} ({v})" for m, v in expected.items() if v != leader]
    assert others  # on the demo, some methods put Tindra first
    for other in others:
        assert other in said


def test_a_price_blind_evaluator_sees_nothing_of_it(read_only_demo_db):
    at = open_page("pages/overview.py")
    at.sidebar.selectbox(key=state.EVALUATOR).set_value("marit").run()
    assert not at.exception
    assert "Hvor jevnt er det?" not in [h.value for h in at.subheader]
    assert not any("poeng av de 100" in m.value for m in at.markdown)
