"""The published weights worked out by hand, straight from the tables, for tests that check
the ranking and the points at stake against independent arithmetic."""

from __future__ import annotations

import duckdb

from store import profiles


def published_shares(
    con: duckdb.DuckDBPyConnection,
) -> tuple[dict[str, float], dict[str, float]]:
    """The award criteria's normalised shares, and each weighted requirement's share of the
    total: the product of the normalised weights along criterion → category → requirement."""
    weights = profiles.load_profile(con, profiles.published_profile_name(con))
    criteria = {c: w / sum(weights.criteria.values()) for c, w in weights.criteria.items()}
    categories = con.execute("SELECT id, criterion_id FROM category WHERE NOT retired").fetchall()
    requirements = con.execute(
        "SELECT id, category_id, weight FROM requirement WHERE kind = 'W' AND NOT retired"
    ).fetchall()
    found = {}
    for category, criterion in categories:
        siblings = [c for c, k in categories if k == criterion]
        share = weights.categories[category] / sum(weights.categories[c] for c in siblings)
        own = [(r, w) for r, c, w in requirements if c == category]
        for requirement, weight in own:
            found[requirement] = criteria[criterion] * share * weight / sum(w for _, w in own)
    return criteria, found
