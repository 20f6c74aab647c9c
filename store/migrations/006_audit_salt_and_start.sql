-- Secrecy and a fixed start for the audit log's hash chain.
--
-- salt: a random value per entry, included in the entry's hash. While an entry is hidden
-- (an evaluator's unsubmitted score or assessment) its salt is hidden with it, so its
-- value cannot be confirmed by hashing guesses against the next entry's link or the
-- chain's head. Entries written before this migration have no salt and keep the old rule.
ALTER TABLE audit_log ADD COLUMN salt VARCHAR;

-- What the log held before its hash chain began (databases from before schema version 3):
-- how many unsealed entries, the last of their ids, and a SHA-256 digest of their content.
-- An unsealed entry that is not one of these, or one of these changed, is a forgery.
CREATE TABLE audit_chain_start (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    legacy_entries BIGINT  NOT NULL,
    legacy_last_id BIGINT  NOT NULL,
    legacy_digest  VARCHAR NOT NULL
);
INSERT INTO audit_chain_start
SELECT 1, count(*), coalesce(max(id), 0),
       sha256(coalesce(string_agg(
           CAST(json_array(id, CAST(logged_at AS VARCHAR), actor, action, entity, entity_id,
                           old_value, new_value, reason) AS VARCHAR),
           chr(10) ORDER BY id), ''))
FROM audit_log
WHERE entry_hash IS NULL
  AND id < coalesce((SELECT min(id) FROM audit_log WHERE entry_hash IS NOT NULL),
                    9223372036854775807);
