"""Where the work stands: the tender's steps from the specification to the ranking, what
each still lacks, and how far each evaluator has come (counts only, never a score).

The steps, in order: the specification (award criteria, requirements, published weights),
the vendors' offers registered, the evaluation model frozen, the offers opened, the
scoring (every active evaluator submitted), the consensus (every offer agreed on every
weighted and mandatory requirement), and the ranking ready (prices for every offer).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb

from store import evaluation, freeze, opening, summary
from store.errors import N_

STEPS = ("specification", "offers", "frozen", "opened", "scoring", "consensus", "ranking")
STEP_NAMES = {
    "specification": N_("Specification"),
    "offers": N_("Offers registered"),
    "frozen": N_("Model frozen"),
    "opened": N_("Offers opened"),
    "scoring": N_("Scoring"),
    "consensus": N_("Consensus"),
    "ranking": N_("Ranking ready"),
}


@dataclass(frozen=True)
class Missing:
    """One thing a step still lacks: a message id and its values."""

    message: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Step:
    key: str
    done: bool
    missing: list[Missing]


@dataclass(frozen=True)
class Stage:
    steps: list[Step]
    evaluators: list[evaluation.Progress]

    @property
    def current(self) -> Step | None:
        """The first step not done (None when everything is)."""
        return next((s for s in self.steps if not s.done), None)

    def to_dict(self) -> dict[str, Any]:
        current = self.current
        return {
            "stage": current.key if current else "done",
            "steps": [
                {
                    "step": s.key,
                    "done": s.done,
                    "missing": [{"message": m.message, "params": m.params} for m in s.missing],
                }
                for s in self.steps
            ],
            "evaluators": [
                {
                    "evaluator": p.evaluator_id,
                    "done": p.done,
                    "total": p.total,
                    "submitted": p.submitted,
                }
                for p in self.evaluators
            ],
        }


def stage(con: duckdb.DuckDBPyConnection) -> Stage:
    """Every step with what it lacks, and each active evaluator's progress."""
    opened = opening.is_opened(con)
    waiting = opening.last_opened(con) + 1 if opened else 1
    counts = summary.work_counts(con, waiting)
    missing: dict[str, list[Missing]] = {key: [] for key in STEPS}
    if not counts.criteria:
        missing["specification"].append(Missing(N_("No award criteria yet.")))
    if not counts.weighted + counts.mandatory:
        missing["specification"].append(Missing(N_("No requirements yet.")))
    if not counts.published_profile:
        missing["specification"].append(Missing(N_("No published weight profile yet.")))
    offers = counts.offers
    if not offers:
        missing["offers"].append(Missing(N_("No offers registered yet.")))
    if offers and counts.offers_without_answers:
        missing["offers"].append(
            Missing(
                N_("{count} offer(s) without the vendor's answers."),
                {"count": counts.offers_without_answers},
            )
        )
    if freeze.frozen(con) is None:
        missing["frozen"].append(Missing(N_("The evaluation model is not frozen.")))
    if not opened:
        missing["opened"].append(Missing(N_("The offers are not opened.")))
    elif counts.received_not_opened:
        missing["opened"].append(
            Missing(
                N_("{count} offer(s) of round {round} received and not yet opened."),
                {"count": counts.received_not_opened, "round": waiting},
            )
        )

    progress = [p for p in evaluation.progress(con) if p.evaluator_id in counts.active_evaluators]
    if not counts.active_evaluators:
        missing["scoring"].append(Missing(N_("No evaluators yet.")))
    if counts.undeclared:
        missing["scoring"].append(
            Missing(
                N_("{count} evaluator(s) without a declaration of impartiality."),
                {"count": counts.undeclared},
            )
        )
    for p in progress:
        if not p.submitted:
            missing["scoring"].append(
                Missing(
                    N_("{evaluator} has not submitted ({done} of {total} done)."),
                    {"evaluator": p.evaluator_id, "done": p.done, "total": p.total},
                )
            )
    to_agree = offers * (counts.weighted + counts.mandatory)
    if not offers:
        missing["consensus"].append(Missing(N_("No offers registered yet.")))
    elif counts.agreed < to_agree:
        missing["consensus"].append(
            Missing(
                N_("{count} agreed score(s) or assessment(s) missing."),
                {"count": to_agree - counts.agreed},
            )
        )
    if counts.offers_without_prices:
        missing["ranking"].append(
            Missing(N_("{count} offer(s) without prices."), {"count": counts.offers_without_prices})
        )
    steps: list[Step] = []
    before_done = True
    for key in STEPS:
        done = before_done and not missing[key]
        if key == "ranking":
            done = done and not missing["consensus"]
        steps.append(Step(key, done, missing[key]))
        before_done = before_done and done
    return Stage(steps, progress)
