"""Session-state keys, in one place. Set them with ``st.session_state.setdefault``."""

LANGUAGE = "language"
WEIGHT_PROFILE = "weight_profile"  # name of the profile loaded into the sliders
WEIGHTS_LOADED_FROM = "weights_loaded_from"  # profile the sliders were last filled from
DETAIL_OFFER = "detail_offer"


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
