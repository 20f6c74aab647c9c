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

Under pricing of quality the price points themselves depend on the weights
(k = quality weight / (10 · price weight · V)). Each total is then
10 · Σ_quality w_j · points_j + 100 · p − q · (P_e − P_b) / V, where p is the price
column's weight and q the other columns' together; both are straight lines in t, so the
totals are straight lines too, but only on the open range 0 < t < 1: where p reaches 0
price plays no part at all, and where q reaches 0 offers are ordered by offered price
alone, and the model jumps there (a non-negative line that is 0 inside the range is 0
everywhere, so these are the only places). The lines are therefore taken through the
published model's exact totals at t = 1/4 and t = 3/4 and the crossings found on them as
above; the ends 0 and 100 % are then checked with the published model itself, and an
offer that is first there (or just beside a chosen share of 0 or 100 %) is recorded as
overtaking at exactly 0 or 1. Within the range, every weight but price keeps the order of
evaluated prices, so under this model only the ends can change the winner.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scoring.ranks import TIE_DECIMALS, dense_ranks
from scoring.smaa import DecisionModel

# Slopes closer to zero than this are parallel lines: no crossing.
PARALLEL = 1e-12
# Crossings this close to 0 or 100 % are at the end: a tie there, not an overtaking.
AT_THE_END = 1e-9
# Where the lines are taken when the model jumps at the ends (pricing of quality).
INSIDE = (0.25, 0.75)


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
        at = set(self.overtakes.values())
        down = self.current - self.low if self.low > 0 or 0.0 in at else np.inf
        up = self.high - self.current if self.high < 1 or 1.0 in at else np.inf
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


def _end_lines(
    model: DecisionModel, chosen: np.ndarray, movable: list[tuple[int, int, int]]
) -> tuple[np.ndarray, np.ndarray]:
    """Each offer's line at t = 0 and t = 1, for every movable weight: (K, n) each."""
    if not movable:
        return np.zeros((0, len(model.alternatives))), np.zeros((0, len(model.alternatives)))
    if model.price_term is None:
        ends = np.array([_moved(chosen, s, e, k, t) for k, s, e in movable for t in (0.0, 1.0)])
        scores = _line_scores(model, ends.reshape(-1, len(chosen)))
        return scores[0::2], scores[1::2]
    first, second = INSIDE
    inside = np.array([_moved(chosen, s, e, k, t) for k, s, e in movable for t in (first, second)])
    scores = model.scores(inside.reshape(-1, len(chosen)))
    a, b = scores[0::2], scores[1::2]
    slope = (b - a) / (second - first)
    return a - first * slope, b + (1.0 - second) * slope


def _ahead_at_the_ends(
    model: DecisionModel,
    chosen: np.ndarray,
    bounds: tuple[int, int, int],
    winner: int,
    lead_zero: np.ndarray,
    lead_one: np.ndarray,
    low: float,
    high: float,
) -> tuple[float, float, dict[int, float]]:
    """Pricing of quality: who is first at exactly 0 or 100 %, or just beside a chosen
    share at an end, where the lines do not hold."""
    node, start, stop = bounds
    current = float(chosen[node])
    ahead: dict[int, float] = {}
    at_ends = model.scores(np.array([_moved(chosen, start, stop, node, t) for t in (0.0, 1.0)]))
    for end, reached in ((0.0, low <= 0.0), (1.0, high >= 1.0)):
        if not reached or abs(current - end) <= AT_THE_END:
            continue
        row = np.round(at_ends[int(end)], TIE_DECIMALS)
        for other in np.flatnonzero(row > row[winner]):
            ahead[int(other)] = end
    for end in (0.0, 1.0):
        if abs(current - end) > AT_THE_END:
            continue
        # The chosen share is an end: is the winner still first just inside the range?
        lead = lead_zero if end == 0.0 else lead_one
        slope = lead_one - lead_zero
        toward = slope if end == 0.0 else -slope
        scale = np.maximum(1.0, np.abs(lead))
        behind = np.where(np.abs(lead) > 10.0**-TIE_DECIMALS * scale, lead < 0, toward < 0)
        behind[winner] = False
        for other in np.flatnonzero(behind):
            ahead[int(other)] = end
        if behind.any():
            low = high = current
    return low, high, ahead


def weight_stability(model: DecisionModel) -> Stability:
    """Stability intervals for every weight that can move (groups of two or more)."""
    chosen = model.normalised(model.chosen)
    if model.price_term is None:
        current_scores = _line_scores(model, chosen[None, :])[0]
    else:
        current_scores = model.scores(chosen[None, :])[0]
    ranks = dense_ranks(current_scores)
    first = [i for i in range(len(ranks)) if ranks[i] == 1]
    winner = first[0]

    movable = [
        (node, start, stop)
        for start, stop in model.bounds
        if stop - start >= 2
        for node in range(start, stop)
    ]
    zeros, ones = _end_lines(model, chosen, movable)

    nodes: list[NodeStability] = []
    for index, (node, start, stop) in enumerate(movable):
        at_zero, at_one = zeros[index], ones[index]
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
            if not AT_THE_END < crossing < 1.0 - AT_THE_END:  # a tie at 0 or 100 % is no overtaking
                continue
            overtakes[name] = float(crossing)
            if slope > 0:  # the winner's lead grows with the weight: b leads below t*
                low = max(low, crossing)
            else:
                high = min(high, crossing)
        if model.price_term is not None:
            low, high, ahead = _ahead_at_the_ends(
                model, chosen, (node, start, stop), winner, lead_zero, lead_one, low, high
            )
            if low == high and ahead:  # overtaken at once: later crossings do not count
                overtakes = {}
            for other, end in ahead.items():
                overtakes[model.alternatives[other]] = end
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
