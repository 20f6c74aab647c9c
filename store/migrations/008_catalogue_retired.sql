-- Award criteria and categories are edited like the requirements: never deleted, retired
-- instead, so that a retired one keeps its history (its log entries, old weight profiles).
ALTER TABLE award_criterion ADD COLUMN retired BOOLEAN DEFAULT false;
ALTER TABLE category ADD COLUMN retired BOOLEAN DEFAULT false;
