"""The scales of the evaluation, each in one place.

- Points: every weighted requirement, and price, gets points from ``MIN_POINTS`` to
  ``MAX_POINTS`` (0–10); an evaluator's score and the agreed score use the same scale.
- Totals: the weighted sum of points is shown on ``TOTAL_POINTS`` (0–100), so a total is
  ``POINTS_TO_TOTAL`` × the weighted sum of points when the weights add up to 1.
- The vendor's own answer to a requirement: ``MIN_ANSWER``–``MAX_ANSWER`` (0–3).
- A mandatory requirement is assessed as one of ``MANDATORY_OUTCOMES``, from the least to
  the most serious; only ``REJECTING_OUTCOME`` rejects an offer.
"""

from __future__ import annotations

MIN_POINTS = 0.0
MAX_POINTS = 10.0
TOTAL_POINTS = 100.0
POINTS_TO_TOTAL = TOTAL_POINTS / MAX_POINTS

MIN_ANSWER = 0
MAX_ANSWER = 3
ANSWERS = tuple(range(MIN_ANSWER, MAX_ANSWER + 1))

MET = "met"
NOT_MET = "not_met"
MATERIAL_DEVIATION = "material_deviation"
MANDATORY_OUTCOMES = (MET, NOT_MET, MATERIAL_DEVIATION)  # least to most serious
REJECTING_OUTCOME = MATERIAL_DEVIATION


def model_scales() -> dict[str, object]:
    """The scales as the evaluation model's fingerprint records them."""
    return {
        "evaluator_score": {"min": 0, "max": MAX_POINTS},
        "consensus_score": {"min": 0, "max": MAX_POINTS},
        "total_points": {"min": 0, "max": TOTAL_POINTS},
        "vendor_answer": {"min": MIN_ANSWER, "max": MAX_ANSWER},
        "mandatory_outcomes": list(MANDATORY_OUTCOMES),
        "rejecting_outcome": REJECTING_OUTCOME,
    }
