-- A real tender: vendors carry their organisation number and a contact; evaluators can be
-- retired; each evaluator declares impartiality before scoring, and every declaration is
-- kept; a reopened submission is recorded.
ALTER TABLE vendor ADD COLUMN org_number VARCHAR DEFAULT '';
ALTER TABLE vendor ADD COLUMN contact VARCHAR DEFAULT '';
ALTER TABLE evaluator ADD COLUMN retired BOOLEAN DEFAULT false;

CREATE SEQUENCE impartiality_declaration_id START 1;
CREATE TABLE impartiality_declaration (
    id           BIGINT PRIMARY KEY DEFAULT nextval('impartiality_declaration_id'),
    evaluator_id VARCHAR NOT NULL,
    declared_on  DATE NOT NULL,
    no_ties      BOOLEAN NOT NULL,
    ties         VARCHAR NOT NULL DEFAULT '',
    recorded_by  VARCHAR NOT NULL,
    recorded_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- Opening the offers of a round: who and when. Refused until the evaluation model is
-- frozen; afterwards an offer's answers change only through a correction with a reason.
CREATE TABLE offer_opening (
    round     INTEGER PRIMARY KEY,
    opened_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    opened_by VARCHAR NOT NULL
);
