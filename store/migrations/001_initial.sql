-- The evaluation model: award criteria -> categories -> requirements.
CREATE TABLE award_criterion (
    id             VARCHAR PRIMARY KEY,
    name_nb        VARCHAR NOT NULL,
    name_en        VARCHAR NOT NULL,
    description_nb VARCHAR NOT NULL DEFAULT '',
    description_en VARCHAR NOT NULL DEFAULT '',
    sort_order     INTEGER NOT NULL
);

CREATE TABLE category (
    id           VARCHAR PRIMARY KEY,
    criterion_id VARCHAR NOT NULL,
    name_nb      VARCHAR NOT NULL,
    name_en      VARCHAR NOT NULL,
    sort_order   INTEGER NOT NULL
);

-- weight: the requirement's weight within its category (weighted requirements only).
CREATE TABLE requirement (
    id          VARCHAR PRIMARY KEY,
    category_id VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL CHECK (kind IN ('M', 'W', 'I')),
    text_nb     VARCHAR NOT NULL,
    text_en     VARCHAR NOT NULL,
    weight      DOUBLE  NOT NULL DEFAULT 0 CHECK (weight >= 0),
    retired     BOOLEAN NOT NULL DEFAULT false,
    sort_order  INTEGER NOT NULL
);

-- Who bids, and what they offer.
CREATE TABLE vendor (
    id         VARCHAR PRIMARY KEY,
    name       VARCHAR NOT NULL,
    profile_nb VARCHAR NOT NULL DEFAULT '',
    profile_en VARCHAR NOT NULL DEFAULT ''
);

CREATE TABLE offer (
    id        VARCHAR PRIMARY KEY,
    vendor_id VARCHAR NOT NULL,
    product   VARCHAR NOT NULL
);

-- The vendor's own answer on the 0-3 scale, as imported from its workbook.
CREATE TABLE response (
    offer_id       VARCHAR NOT NULL,
    requirement_id VARCHAR NOT NULL,
    answer         INTEGER CHECK (answer BETWEEN 0 AND 3),
    comment        VARCHAR NOT NULL DEFAULT '',
    evidence       VARCHAR NOT NULL DEFAULT '',
    roadmap_date   DATE,
    file_sha256    VARCHAR,
    imported_at    TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (offer_id, requirement_id)
);

CREATE TABLE evaluator (
    id      VARCHAR PRIMARY KEY,
    name    VARCHAR NOT NULL,
    role_nb VARCHAR NOT NULL DEFAULT '',
    role_en VARCHAR NOT NULL DEFAULT ''
);

-- Each evaluator's own 0-10 score per offer and weighted requirement.
CREATE TABLE score (
    evaluator_id   VARCHAR NOT NULL,
    offer_id       VARCHAR NOT NULL,
    requirement_id VARCHAR NOT NULL,
    score          DOUBLE  NOT NULL CHECK (score BETWEEN 0 AND 10),
    reason         VARCHAR NOT NULL DEFAULT '',
    updated_at     TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (evaluator_id, offer_id, requirement_id)
);

-- The score agreed in the consensus meeting: what the ranking uses.
CREATE TABLE consensus (
    offer_id       VARCHAR NOT NULL,
    requirement_id VARCHAR NOT NULL,
    score          DOUBLE  NOT NULL CHECK (score BETWEEN 0 AND 10),
    reason         VARCHAR NOT NULL DEFAULT '',
    updated_at     TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (offer_id, requirement_id)
);

CREATE TABLE mandatory_check (
    offer_id       VARCHAR NOT NULL,
    requirement_id VARCHAR NOT NULL,
    outcome        VARCHAR NOT NULL CHECK (outcome IN ('met', 'not_met', 'material_deviation')),
    reason         VARCHAR NOT NULL DEFAULT '',
    PRIMARY KEY (offer_id, requirement_id)
);

-- Price lines of an offer: one-time or yearly amounts; options are shown apart.
CREATE TABLE price_offer (
    offer_id   VARCHAR NOT NULL,
    line_no    INTEGER NOT NULL,
    item_nb    VARCHAR NOT NULL,
    item_en    VARCHAR NOT NULL,
    kind       VARCHAR NOT NULL CHECK (kind IN ('one_time', 'yearly')),
    amount_nok DOUBLE  NOT NULL CHECK (amount_nok >= 0),
    is_option  BOOLEAN NOT NULL DEFAULT false,
    PRIMARY KEY (offer_id, line_no)
);

CREATE TABLE library (
    id               VARCHAR PRIMARY KEY,
    name             VARCHAR NOT NULL,
    sami_name        VARCHAR NOT NULL DEFAULT '',
    kind             VARCHAR NOT NULL CHECK (kind IN ('public', 'school', 'mobile')),
    municipality     VARCHAR NOT NULL,
    region           VARCHAR NOT NULL,
    sami_area        BOOLEAN NOT NULL DEFAULT false,
    kven             BOOLEAN NOT NULL DEFAULT false,
    size_class       VARCHAR NOT NULL CHECK (size_class IN ('small', 'medium', 'large')),
    branches         INTEGER NOT NULL DEFAULT 1 CHECK (branches >= 0),
    school_libraries INTEGER NOT NULL DEFAULT 0 CHECK (school_libraries >= 0)
);

-- Named sets of weights for award criteria and categories.
CREATE TABLE weight_profile (
    name                  VARCHAR PRIMARY KEY,
    description           VARCHAR NOT NULL DEFAULT '',
    climate_justification VARCHAR NOT NULL DEFAULT '',
    updated_at            TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE weight_profile_item (
    profile_name VARCHAR NOT NULL,
    node_kind    VARCHAR NOT NULL CHECK (node_kind IN ('criterion', 'category')),
    node_id      VARCHAR NOT NULL,
    weight       DOUBLE  NOT NULL CHECK (weight >= 0),
    PRIMARY KEY (profile_name, node_kind, node_id)
);

-- Procurement settings: contract years, price model, the published weight profile, ...
CREATE TABLE setting (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

CREATE TABLE model_freeze (
    id          INTEGER PRIMARY KEY,
    fingerprint VARCHAR NOT NULL,
    frozen_at   TIMESTAMP NOT NULL DEFAULT current_timestamp,
    frozen_by   VARCHAR NOT NULL,
    reason      VARCHAR NOT NULL DEFAULT ''
);

-- Append-only: who changed what, when, from what to what, and why.
CREATE SEQUENCE audit_log_id START 1;
CREATE TABLE audit_log (
    id        BIGINT PRIMARY KEY DEFAULT nextval('audit_log_id'),
    logged_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    actor     VARCHAR NOT NULL,
    action    VARCHAR NOT NULL,
    entity    VARCHAR NOT NULL,
    entity_id VARCHAR NOT NULL DEFAULT '',
    old_value VARCHAR,
    new_value VARCHAR,
    reason    VARCHAR NOT NULL DEFAULT ''
);
