"""Weight stability: how far one weight can move before the winner changes.

One weight at a time (an award criterion, or a category within its award criterion) moves
from 0 to 100 % of its group; the other weights of the same group keep their proportions
and share what is left (if they are all 0, they share it equally). Weights in other groups
stay as chosen.

For the published model (a weighted sum) every offer's total is then a straight line in
the moving weight t: total(t) = (1 − t) · total(0) + t · total(1). Offer b overtakes the
winner w where the lines cross, at

    t* = (Y_w − Y_b) / ((Y_w − Y_b) − (X_w − X_b)),   Y = total(0), X = total(1),

and the winner stays the winner on the interval between the nearest crossings below and
above the chosen weight (ties count as staying: a tie shares rank 1; lines that only
meet at 0 or 100 % are a tie there, not an overtaking). The same holds for
the weighted sum of a plain decision problem, whose scores are the same lines divided by
one positive number common to all alternatives.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scoring.batch import dense_ranks
from scoring.smaa import DecisionModel

# Slopes closer to zero than this are parallel lines: no crossing.
PARALLEL = 1e-12


@dataclass(frozen=True)
class NodeStability:
    """One weight's stability interval and the weights at which others overtake."""

    node: str
    kind: str  # "criterion" or "category"
    parent: str  # the award criterion of a category; "" for a criterion
    current: float  # the chosen share within its group, 0–1
    low: float  # the winner stays first for shares in [low, high]
    high: float
    overtakes: dict[str, float]  # other alternative -> share where it would overtake

    @property
    def margin(self) -> float:
        """How far the share can move, the nearer way, before the winner changes."""
        down = self.current - self.low if self.low > 0 else np.inf
        up = self.high - self.current if self.high < 1 else np.inf
        return float(min(down, up))


@dataclass(frozen=True)
class Stability:
    """The winner under the chosen weights and every weight's stability interval."""

    winner: str
    tied_winners: tuple[str, ...]
    nodes: tuple[NodeStability, ...]

    def most_sensitive_first(self) -> list[NodeStability]:
        """The weights ordered by how little they can move before the winner changes."""
        return sorted(self.nodes, key=lambda s: (s.margin, -(s.high - s.low)))


def _moved(chosen: np.ndarray, start: int, stop: int, node: int, share: float) -> np.ndarray:
    """The chosen shares with one node set to ``share``, its group-mates in proportion."""
    out = chosen.copy()
    others = [k for k in range(start, stop) if k != node]
    rest = chosen[others].sum()
    out[others] = (
        chosen[others] / rest * (1.0 - share) if rest > 0 else (1.0 - share) / max(len(others), 1)
    )
    out[node] = share
    return out


def _line_scores(model: DecisionModel, nodes: np.ndarray) -> np.ndarray:
    """Scores that are linear in the weights: the weighted sum before any division."""
    if model.method == "topsis":
        raise ValueError("weight stability is computed for the weighted sum")
    scorer = model.scorer
    product = model.leaves(nodes) @ scorer.operand
    return product[:, : scorer.n]


def weight_stability(model: DecisionModel) -> Stability:
    """Stability intervals for every weight that can move (groups of two or more)."""
    chosen = model.normalised(model.chosen)
    current_scores = _line_scores(model, chosen[None, :])[0]
    ranks = dense_ranks(current_scores)
    first = [i for i in range(len(ranks)) if ranks[i] == 1]
    winner = first[0]

    movable = [
        (node, start, stop)
        for start, stop in model.bounds
        if stop - start >= 2
        for node in range(start, stop)
    ]
    ends = np.array(
        [_moved(chosen, s, e, k, share) for k, s, e in movable for share in (0.0, 1.0)]
    ).reshape(-1, len(chosen))
    scores = _line_scores(model, ends) if len(ends) else np.zeros((0, len(ranks)))

    nodes: list[NodeStability] = []
    for index, (node, _, _) in enumerate(movable):
        at_zero, at_one = scores[2 * index], scores[2 * index + 1]
        lead_zero = at_zero[winner] - at_zero
        lead_one = at_one[winner] - at_one
        low, high = 0.0, 1.0
        overtakes: dict[str, float] = {}
        for other, name in enumerate(model.alternatives):
            if other == winner:
                continue
            slope = lead_one[other] - lead_zero[other]
            if abs(slope) <= PARALLEL * max(1.0, abs(lead_zero[other])):
                continue
            crossing = -lead_zero[other] / slope
            if not 0.0 < crossing < 1.0:  # a tie at 0 or 100 % is no overtaking
                continue
            overtakes[name] = float(crossing)
            if slope > 0:  # the winner's lead grows with the weight: b leads below t*
                low = max(low, crossing)
            else:
                high = min(high, crossing)
        nodes.append(
            NodeStability(
                node=model.node_names[node],
                kind=model.node_kinds[node],
                parent=model.node_parents[node] if model.node_parents else "",
                current=float(chosen[node]),
                low=float(low),
                high=float(high),
                overtakes=overtakes,
            )
        )
    return Stability(
        winner=model.alternatives[winner],
        tied_winners=tuple(model.alternatives[i] for i in first),
        nodes=tuple(nodes),
    )
