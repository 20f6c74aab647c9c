-- Evaluation: independent scoring, submission, per-evaluator mandatory assessments,
-- the fingerprint history of the evaluation model and the audit log's hash chain.

-- Each evaluator's own assessment of a mandatory requirement, before the agreed one
-- (mandatory_check) is settled in the consensus meeting.
CREATE TABLE mandatory_assessment (
    evaluator_id   VARCHAR NOT NULL,
    offer_id       VARCHAR NOT NULL,
    requirement_id VARCHAR NOT NULL,
    outcome        VARCHAR NOT NULL CHECK (outcome IN ('met', 'not_met', 'material_deviation')),
    reason         VARCHAR NOT NULL DEFAULT '',
    updated_at     TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (evaluator_id, offer_id, requirement_id)
);

-- An evaluator's scores and assessments stay hidden from the other evaluators until the
-- evaluator submits them; after that they are visible to all and can no longer change.
CREATE TABLE evaluator_submission (
    evaluator_id VARCHAR PRIMARY KEY,
    submitted_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    submitted_by VARCHAR NOT NULL
);

-- Scores that existed before this migration were visible to everyone already: their
-- evaluators count as submitted.
INSERT INTO evaluator_submission (evaluator_id, submitted_by)
SELECT DISTINCT evaluator_id, 'migration' FROM score;

-- Every fingerprint the evaluation model has had since it was frozen: the freeze itself,
-- then one row per change made with a reason. model_json is the canonical JSON hashed.
CREATE SEQUENCE model_fingerprint_id START 1;
CREATE TABLE model_fingerprint (
    id          BIGINT PRIMARY KEY DEFAULT nextval('model_fingerprint_id'),
    fingerprint VARCHAR NOT NULL,
    recorded_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    actor       VARCHAR NOT NULL,
    event       VARCHAR NOT NULL CHECK (event IN ('freeze', 'change')),
    reason      VARCHAR NOT NULL DEFAULT '',
    model_json  VARCHAR NOT NULL
);

-- The audit log's hash chain: each entry carries the hash of the entry before it and its
-- own hash over its content and that link. audit_head holds the newest link; every new
-- entry updates it, so two writers at once cannot fork the chain (the second one fails).
-- Entries written before this migration carry no hash.
ALTER TABLE audit_log ADD COLUMN prev_hash VARCHAR;
ALTER TABLE audit_log ADD COLUMN entry_hash VARCHAR;
CREATE TABLE audit_head (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    last_id   BIGINT NOT NULL,
    last_hash VARCHAR NOT NULL
);
