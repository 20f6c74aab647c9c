-- The award decision: which offer is chosen, by whom, when and why, with the leader of the
-- published ranking at that moment. A decision is withdrawn (never deleted) with a reason;
-- at most one is in force: the newest not withdrawn. Ids are numbered from the table (no
-- sequence: a refused decision must leave the database exactly as it was).
CREATE TABLE award (
    id                BIGINT PRIMARY KEY,
    offer_id          VARCHAR NOT NULL,
    leader_offer_id   VARCHAR NOT NULL,
    reason            VARCHAR NOT NULL,
    decided_by        VARCHAR NOT NULL,
    decided_at        TIMESTAMP NOT NULL DEFAULT current_timestamp,
    withdrawn_by      VARCHAR,
    withdrawn_at      TIMESTAMP,
    withdrawal_reason VARCHAR
);

-- The award letter to each vendor as the working group edited it, per award and language.
CREATE TABLE award_letter (
    award_id  BIGINT NOT NULL,
    vendor_id VARCHAR NOT NULL,
    language  VARCHAR NOT NULL,
    body      VARCHAR NOT NULL,
    saved_by  VARCHAR NOT NULL,
    saved_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (award_id, vendor_id, language)
);
