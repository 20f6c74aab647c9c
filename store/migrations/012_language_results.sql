-- The language test kit's results: per offer and check of the kit's protocol, whether it
-- passed in the vendor's demo system, failed, or needs a note, with who recorded it and when.
-- A new result for the same offer and check replaces the old one; the log keeps them all.
CREATE TABLE language_result (
    offer_id    VARCHAR NOT NULL,
    check_id    VARCHAR NOT NULL,
    outcome     VARCHAR NOT NULL CHECK (outcome IN ('pass', 'fail', 'note')),
    note        VARCHAR NOT NULL DEFAULT '',
    recorded_by VARCHAR NOT NULL,
    recorded_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (offer_id, check_id)
);
