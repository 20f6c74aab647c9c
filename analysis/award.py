"""The award decision against the published ranking: what it stands on, and recording it.

``standing`` reads the published ranking (``analysis.ranking.published``) and the stage of
the consensus; ``decide`` records a decision in one transaction with the ranking read
inside it (``store.award`` checks and logs; it also withdraws a decision and keeps the
letters' texts).
"""

from __future__ import annotations

import duckdb

from analysis.ranking import published
from analysis.stage import stage
from store import award as store_award
from store.db import in_own_transaction


def standing(con: duckdb.DuckDBPyConnection) -> store_award.Standing:
    """The published ranking's leaders and rejected offers; no leaders while there is no
    ranking, or agreed scores or assessments are missing."""
    result = published(con)
    consensus = next(s for s in stage(con).steps if s.key == "consensus")
    if result.evaluation is None or consensus.missing:
        return store_award.Standing(leaders=())
    ranks = result.evaluation.rank
    return store_award.Standing(
        leaders=tuple(str(o) for o in ranks.index if ranks[o] == 1),
        rejected=tuple(str(o) for o in result.evaluation.rejected),
    )


def write_decision(con: duckdb.DuckDBPyConnection, offer: str, *, reason: str, actor: str) -> int:
    """Record the award of ``offer`` inside the caller's transaction (see ``store.award``)."""
    return store_award.write_award(con, offer, reason=reason, standing=standing(con), actor=actor)


decide = in_own_transaction(write_decision)
