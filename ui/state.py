"""Session-state keys, in one place. Set them with ``st.session_state.setdefault``."""

LANGUAGE = "language"
WEIGHT_PROFILE = "weight_profile"  # name of the profile loaded into the sliders
WEIGHTS_LOADED_FROM = "weights_loaded_from"  # profile the sliders were last filled from
DETAIL_OFFER = "detail_offer"
RANKING_FIGURE = "figure:"  # + a ranking chart's key: the figure it keeps between runs


def criterion_slider(criterion_id: str) -> str:
    """Key of the slider for an award criterion's weight."""
    return f"weight:criterion:{criterion_id}"


def category_slider(category_id: str) -> str:
    """Key of the slider for a category's weight."""
    return f"weight:category:{category_id}"


CLIMATE_JUSTIFICATION = "weight:climate_justification"
PROFILE_NAME_INPUT = "weight:profile_name"

# The price model form on the Pris page.
PRICE_MODEL_CHOICE = "price:model"
PRICE_RANGE_MIN = "price:range_min"
PRICE_RANGE_MAX = "price:range_max"
PRICE_LOG_MULTIPLE = "price:log_multiple"
PRICE_POINT_VALUE = "price:point_value"
PRICE_REASON = "price:reason"
PRICE_MESSAGE = "price:message"
PRICE_FORM_LOADED = "price:form_loaded"  # the settings the form was last filled from
# The robustness page.
ROBUSTNESS_PROFILE = "robustness:profile"
SMAA_SAMPLING = "robustness:sampling"  # uniform | dirichlet | box | groups
SMAA_CONCENTRATION = "robustness:concentration"  # K of dirichlet and groups
SMAA_BOX_PERCENT = "robustness:box_percent"  # P of box
SMAA_SAMPLES = "robustness:samples"
SMAA_SEED = "robustness:seed"
SMAA_SCORES = "robustness:score_sampling"  # also draw the evaluators' scores
SMAA_METHOD = "robustness:method"  # points (published) | topsis
LIBRARY_ORDER = "libraries:order"  # how the Bibliotek page orders its rows (ui.libraries.fit)
# Evaluation
EVALUATOR = "evaluator"  # the evaluator this session acts as (self-declared, see ui.identity)
SIGNED_IN = "identity:signed_in"  # the signed-in user as this run found them (ui.identity)
EVALUATION_SECTION = "evaluation:section"
SCORING_OFFER = "evaluation:scoring_offer"
SCORING_CATEGORY = "evaluation:scoring_category"
SCORING_PART = "evaluation:scoring_part"  # which part of a long category is shown (0, 1, …)
SCORING_JUMP = "evaluation:scoring_jump"  # the missing item chosen, to open it
SCORING_SAVED = "evaluation:scoring_saved"  # the requirement just saved, for the toast
SUBMIT_CONFIRM = "evaluation:submit_confirm"
CONSENSUS_REQUIREMENT = "evaluation:consensus_requirement"
CONSENSUS_MEDIAN_RANGE = "evaluation:consensus_median_range"  # accept the medians: spread
CONSENSUS_MEDIAN_REASON = "evaluation:consensus_median_reason"  # and its reason
SPREAD_MEASURE = "evaluation:spread_measure"
FREEZE_CONFIRM = "evaluation:freeze_confirm"
FREEZE_REASON = "evaluation:freeze_reason"
MODEL_CHANGE_REASON = "weight:model_change_reason"

# Audit log page
LOG_ACTORS = "log:actors"
LOG_ENTITIES = "log:entities"
LOG_ACTIONS = "log:actions"
LOG_DATES = "log:dates"
LOG_TEXT = "log:text"


def score_input(evaluator: str, offer: str, requirement: str) -> str:
    """Key of an evaluator's score widget for one offer and requirement."""
    return f"score:{evaluator}:{offer}:{requirement}"


def drawn_entry(evaluator: str, offer: str, requirement: str) -> str:
    """Key of the stored entry an evaluator's fields were drawn with: the value a save from
    them is based on (``{"score"|"outcome": ..., "reason": ...}`` or None)."""
    return f"drawn:{evaluator}:{offer}:{requirement}"


def reason_input(evaluator: str, offer: str, requirement: str) -> str:
    """Key of an evaluator's reason widget for one offer and requirement."""
    return f"reason:{evaluator}:{offer}:{requirement}"


def outcome_input(evaluator: str, offer: str, requirement: str) -> str:
    """Key of an evaluator's assessment widget for one offer and mandatory requirement."""
    return f"outcome:{evaluator}:{offer}:{requirement}"


def consensus_score_input(requirement: str, offer: str) -> str:
    """Key of the agreed-score widget in the consensus meeting."""
    return f"consensus:score:{requirement}:{offer}"


def consensus_reason_input(requirement: str, offer: str) -> str:
    """Key of the agreed-reason widget in the consensus meeting."""
    return f"consensus:reason:{requirement}:{offer}"


SCORING_MESSAGE = "evaluation:scoring_message"
CONSENSUS_MESSAGE = "evaluation:consensus_message"
FREEZE_MESSAGE = "evaluation:freeze_message"
# Page "Krav": the catalogue editor and the requirement specification for vendors.
CATALOGUE_GENERATION = "catalogue:generation"  # bumped after a save or a discard
CATALOGUE_BASE = "catalogue:base"  # the table the current editor started from
CATALOGUE_BASE_VERSION = "catalogue:base_version"  # the catalogue version it was read at
CATALOGUE_BASE_IS_DRAFT = "catalogue:base_is_draft"  # the editor started from a kept edit
CATALOGUE_DRAFT = "catalogue:draft"  # the table as last edited, kept across page switches
CATALOGUE_MESSAGE = "catalogue:message"
REQUIREMENT_FORM_CHOICE = "requirement_form:choice"  # the requirement the form edits (its id)
REQUIREMENT_FORM_MESSAGE = "requirement_form:message"  # the outcome of its last save


SETUP_TAB = "setup:tab"  # the open tab of Oppsett (its label)
INPUT_TAB = "input:tab"  # the open tab of Innspill (its label)


# The award criteria and categories on the Oppsett page; ``table`` is "criteria" or
# "categories", each with its own editor, kept edit and message, as on the Krav page.


def setup_tree_generation(table: str) -> str:
    """Bumped after a save or a discard of that table."""
    return f"setup:{table}:generation"


def setup_tree_editor(table: str, generation: int, language: str) -> str:
    """Key of the ``st.data_editor`` of that table."""
    return f"setup:{table}:editor:{generation}:{language}"


def setup_tree_base(table: str) -> str:
    """The table the current editor started from."""
    return f"setup:{table}:base"


def setup_tree_draft(table: str) -> str:
    """The table as last edited, kept across reruns and page switches until saved."""
    return f"setup:{table}:draft"


def setup_tree_message(table: str) -> str:
    """What the last save said, shown once after the rerun."""
    return f"setup:{table}:message"


def setup_tree_reason(table: str, generation: int) -> str:
    """Key of the reason field of that table's save."""
    return f"setup:{table}:reason:{generation}"


TEMPLATE_SHOW_WEIGHTS = "template:show_weights"


def catalogue_editor(generation: int, language: str) -> str:
    """Key of the catalogue editor; a new key starts a new editor from the kept draft."""
    return f"catalogue:editor:{generation}:{language}"


def catalogue_reason(generation: int) -> str:
    """Key of the reason field that goes with one round of edits."""
    return f"catalogue:reason:{generation}"


# Page "Leverandører": importing a vendor's filled-in requirement specification.
IMPORT_OFFER = "import:offer"
IMPORT_GENERATION = "import:generation"  # bumped after an accepted file, to clear the upload
IMPORT_MESSAGE = "import:message"
IMPORT_PENDING = "import:pending"  # a checked file waiting for the user to confirm it
IMPORT_ROUND = "import:round"
IMPORT_REASON = "import:reason"


def import_upload(generation: int) -> str:
    """Key of the file uploader for vendor workbooks."""
    return f"import:file:{generation}"


STEERING_REPORT = "overview:steering_report"  # (what it was made of, the PDF's bytes)

# Page "Språk": the language shown in the matrix, and the result form.
LANGUAGES_MATRIX_LANGUAGE = "languages:matrix_language"
LANGUAGES_OFFER = "languages:offer"
LANGUAGES_CHECK = "languages:check"
LANGUAGES_OUTCOME = "languages:outcome"
LANGUAGES_NOTE = "languages:note"
LANGUAGES_MESSAGE = "languages:message"
