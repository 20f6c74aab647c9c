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

# Page "Krav": the catalogue editor and the requirement specification for vendors.
CATALOGUE_GENERATION = "catalogue:generation"  # bumped after a save or a discard
CATALOGUE_BASE = "catalogue:base"  # the table the current editor started from
CATALOGUE_BASE_VERSION = "catalogue:base_version"  # the catalogue version it was read at
CATALOGUE_BASE_IS_DRAFT = "catalogue:base_is_draft"  # the editor started from a kept edit
CATALOGUE_DRAFT = "catalogue:draft"  # the table as last edited, kept across page switches
CATALOGUE_MESSAGE = "catalogue:message"
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


def import_upload(generation: int) -> str:
    """Key of the file uploader for vendor workbooks."""
    return f"import:file:{generation}"
