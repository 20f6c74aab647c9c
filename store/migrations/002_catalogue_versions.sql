-- Every saved edit of the requirement catalogue gets a version number, with the
-- fingerprint (SHA-256) of what vendors answer to: ids, categories, kinds and texts of the
-- requirements in force. A response workbook carries the version and fingerprint it was
-- made from, so an answer to an outdated catalogue is caught on import.
CREATE TABLE catalogue_version (
    version     INTEGER PRIMARY KEY,
    fingerprint VARCHAR NOT NULL,
    saved_at    TIMESTAMP NOT NULL DEFAULT current_timestamp,
    saved_by    VARCHAR NOT NULL,
    reason      VARCHAR NOT NULL DEFAULT ''
);
