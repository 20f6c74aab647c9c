"""The Bibliotek page: the groups' weights from the input round and each offer's fit with
each library, in Norwegian and English, checked against the demo database directly."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from tests.dbdump import plain
from tests.pages.test_pages import DEMO, array, chart, open_page, vendor_names
from ui import state

PAGE = "pages/libraries.py"


def demo_libraries() -> dict[str, str]:
    with (DEMO / "libraries.csv").open(encoding="utf-8") as f:
        return {row["id"]: row["name"] for row in csv.DictReader(f)}


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_page_shows_a_heatmap_of_every_library_and_offer_with_its_numbers(
    read_only_demo_db, language
):
    at = open_page(PAGE, language)
    assert at.title[0].value == {"nb": "Bibliotek", "en": "Libraries"}[language]
    heatmap = chart(at, 1)["data"][0]
    libraries = demo_libraries()
    assert sorted(heatmap["y"]) == sorted(libraries.values())
    with plain(read_only_demo_db) as con:
        eligible = {
            r[0]
            for r in con.execute(
                "SELECT DISTINCT offer_id FROM consensus"
                " WHERE offer_id NOT IN (SELECT offer_id FROM mandatory_check"
                "  WHERE outcome = 'material_deviation')"
            ).fetchall()
        }
    names = vendor_names()
    assert sorted(heatmap["x"]) == sorted(names[o] for o in eligible)
    z = array(heatmap["z"])
    assert z.shape == (len(libraries), len(eligible))
    assert ((z >= 0) & (z <= 100)).all()
    # The table beside the heatmap holds the same numbers, row for row.
    library_column = {"nb": "Bibliotek", "en": "Library"}[language]
    weights_column = {"nb": "Vekter", "en": "Weights"}[language]
    (numbers,) = [d.value for d in at.dataframe if weights_column in d.value.columns]
    assert numbers[library_column].tolist() == heatmap["y"]
    for j, offer in enumerate(heatmap["x"]):
        assert np.allclose(numbers[offer].to_numpy(dtype=float), z[:, j], atol=0.05)
    # The choices table: each offer's average and lowest fit are the heatmap's column
    # mean and minimum; the first choices add up to at least the number of libraries.
    offer_col, average_col, lowest_col, first_col = {
        "nb": ("Tilbud", "Gjennomsnittlig samsvar", "Laveste samsvar", "Bibliotek med det først"),
        "en": ("Offer", "Average fit", "Lowest fit", "Libraries with it first"),
    }[language]
    (choices,) = [d.value for d in at.dataframe if average_col in d.value.columns]
    for row in choices.to_dict("records"):
        j = heatmap["x"].index(row[offer_col])
        assert row[average_col] == pytest.approx(z[:, j].mean(), abs=0.05)
        assert row[lowest_col] == pytest.approx(z[:, j].min(), abs=0.05)
        firsts = sum(1 for i in range(len(z)) if z[i, j] >= z[i].max() - 1e-6)
        assert row[first_col] == firsts
    # The sentence names the offer with the highest average and the max-min choice.
    best_average = heatmap["x"][int(np.argmax(z.mean(axis=0)))]
    best_worst = heatmap["x"][int(np.argmax(z.min(axis=0)))]
    sentence = next(
        m.value for m in at.markdown if best_average in m.value and "max-min" in m.value
    )
    assert best_worst in sentence.split("max-min", 1)[1]


def test_rows_sorted_by_group_follow_the_groups_order(read_only_demo_db):
    at = open_page(PAGE, "nb")
    at.radio(key=state.LIBRARY_ORDER).set_value("name").run()
    assert not at.exception
    by_name = chart(at, 1)["data"][0]["y"]
    assert by_name == sorted(by_name)
    at.radio(key=state.LIBRARY_ORDER).set_value("group").run()
    (table,) = [d.value for d in at.dataframe if "Vekter" in d.value.columns]
    with plain(read_only_demo_db) as con:
        order = [
            r[0]
            for r in con.execute(
                "SELECT name_nb FROM stakeholder_group ORDER BY sort_order, id"
            ).fetchall()
        ]
    seen = [g for g in dict.fromkeys(table["Bibliotekgruppe"]) if g != "–"]
    assert seen == [g for g in order if g in seen]


def test_a_library_s_fit_follows_its_own_answers(read_only_demo_db):
    """One library that answered, computed from the database by the rule the page states:
    category importance over the sum of the quality categories', requirement importance
    over its category's sum (a blank counts 2), times the consensus points, × 10."""
    at = open_page(PAGE, "nb")
    heatmap = chart(at, 1)["data"][0]
    with plain(read_only_demo_db) as con:
        library, name = con.execute(
            "SELECT id, name FROM library WHERE id IN (SELECT library_id FROM library_priority)"
            " ORDER BY id LIMIT 1"
        ).fetchone()
        rated = {
            item: float(importance)
            for item, importance in con.execute(
                "SELECT item_id, importance FROM library_priority WHERE library_id = ?"
                " AND answer_number = (SELECT max(answer_number) FROM library_answer"
                "  WHERE library_id = ?)",
                [library, library],
            ).fetchall()
        }
        requirements = con.execute(
            "SELECT r.id, r.category_id FROM requirement r JOIN category c"
            " ON c.id = r.category_id WHERE r.kind = 'W' AND NOT r.retired"
            " AND c.criterion_id = 'quality'"
        ).fetchall()
        points = {
            (offer, requirement): float(score)
            for offer, requirement, score in con.execute(
                "SELECT offer_id, requirement_id, score FROM consensus"
            ).fetchall()
        }
    categories = sorted({c for _, c in requirements})
    category_total = sum(rated.get(c, 2.0) for c in categories)
    within_total = {
        c: sum(rated.get(r, 2.0) for r, rc in requirements if rc == c) for c in categories
    }
    share = {
        r: rated.get(c, 2.0) / category_total * rated.get(r, 2.0) / within_total[c]
        for r, c in requirements
    }
    assert sum(share.values()) == pytest.approx(1.0)
    offers = {v: k for k, v in vendor_names().items()}
    row = heatmap["y"].index(name)
    z = array(heatmap["z"])
    for j, vendor in enumerate(heatmap["x"]):
        expected = 10 * sum(s * points.get((offers[vendor], r), 0.0) for r, s in share.items())
        assert z[row, j] == pytest.approx(expected), vendor


def test_the_categories_shares_are_drawn_when_their_expander_is_opened(read_only_demo_db):
    at = open_page(PAGE, "nb")
    assert not [d for d in at.dataframe if "Kategori" in d.value.columns]
    at.session_state["libraries_categories:open"] = True
    at.run()
    (shares,) = [d.value for d in at.dataframe if "Kategori" in d.value.columns]
    # Each column shares out the whole quality weight: 100 %, give or take the rounding.
    for column in shares.columns.drop("Kategori"):
        assert shares[column].sum() == pytest.approx(100, abs=0.05 * len(shares))
