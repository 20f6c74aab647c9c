"""What the audit log's entries are about (entities) and what was done (actions): every
name bibvalg writes, with its label for people. ``audit.record`` refuses any other name,
so a new kind of entry is added here, with its label, or not at all.

The labels are message ids (``N_``); the pages translate them.
"""

from __future__ import annotations

from store.errors import N_

ENTITIES: dict[str, str] = {
    "score": N_("Evaluator's score"),
    "mandatory_assessment": N_("Evaluator's assessment"),
    "evaluator_submission": N_("Submission"),
    "consensus": N_("Agreed score"),
    "mandatory_check": N_("Agreed assessment"),
    "evaluation_model": N_("Evaluation model"),
    "weight_profile": N_("Weight profile"),
    "setting": N_("Setting"),
    "demo_dataset": N_("Demo data"),
    "stakeholder_group": N_("Library group"),
    "catalogue": N_("Requirement catalogue"),
    "requirement": N_("Requirement"),
    "response": N_("Vendor's answers"),
    "evaluator": N_("Evaluator"),
    "impartiality_declaration": N_("Declaration of impartiality"),
    "vendor": N_("Vendor"),
    "offer": N_("Offer"),
    "library": N_("Library"),
    "tender": N_("Tender"),
    "offer_opening": N_("Opening of the offers"),
    "award_criterion": N_("Award criterion"),
    "category": N_("Category"),
    "price_line": N_("Price line"),
    "price": N_("Vendor's prices"),
    "score_workbook": N_("Evaluator's scoring workbook"),
    "person": N_("Person"),
    "person_role": N_("Person's role"),
    "database": N_("Database"),
    "award": N_("Award decision"),
    "award_letter": N_("Award letter"),
    "library_input": N_("Library's input"),
    "language_result": N_("Language test result"),
}

ACTIONS: dict[str, str] = {
    "create": N_("created"),
    "update": N_("changed"),
    "submit": N_("submitted"),
    "freeze": N_("frozen"),
    "change_after_freeze": N_("changed after the freeze"),
    "load": N_("loaded"),
    "version": N_("new version"),
    "add": N_("added"),
    "retire": N_("retired"),
    "reinstate": N_("reinstated"),
    "import": N_("imported"),
    "declare": N_("declared"),
    "reopen": N_("reopened"),
    "open": N_("opened"),
    "refused": N_("refused: changed meanwhile"),
    "accept_median": N_("set to the evaluators' median"),
    "remove": N_("removed"),
    "grant": N_("granted"),
    "revoke": N_("revoked"),
    "backup": N_("backed up"),
    "restore": N_("restored from a backup"),
    "withdraw": N_("withdrawn"),
    "send": N_("sent"),
    "accept": N_("accepted"),
    "decline": N_("declined"),
}


def check(entity: str, action: str) -> None:
    """Refuse a name that has no home here (a programming error, not a user's)."""
    if entity not in ENTITIES:
        raise ValueError(f"unknown audit-log entity {entity!r}: add it to store.audit_names")
    if action not in ACTIONS:
        raise ValueError(f"unknown audit-log action {action!r}: add it to store.audit_names")
