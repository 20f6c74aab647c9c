-- The price schedule (prisskjema): the working group defines the lines every vendor prices,
-- in NOK excluding VAT; each offer's amounts are kept per round, as are its answers, so a
-- competition with negotiation keeps its initial, revised and final offers side by side.
CREATE TABLE price_line (
    id         VARCHAR PRIMARY KEY,
    kind       VARCHAR NOT NULL CHECK (kind IN ('one_time', 'yearly')),
    is_option  BOOLEAN NOT NULL DEFAULT false,
    text_nb    VARCHAR NOT NULL,
    text_en    VARCHAR NOT NULL,
    mandatory  BOOLEAN NOT NULL DEFAULT true,
    retired    BOOLEAN NOT NULL DEFAULT false,
    sort_order INTEGER NOT NULL
);

CREATE TABLE offer_price (
    offer_id    VARCHAR NOT NULL,
    round       INTEGER NOT NULL CHECK (round >= 1),
    line_id     VARCHAR NOT NULL,
    amount_nok  DOUBLE  NOT NULL CHECK (amount_nok >= 0),
    file_sha256 VARCHAR,
    imported_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (offer_id, round, line_id)
);

-- The offers' own price lines become the schedule's lines (one per distinct text, kind and
-- option flag, none mandatory) and their amounts the first round's.
INSERT INTO price_line (id, kind, is_option, text_nb, text_en, mandatory, sort_order)
SELECT 'p' || CAST(n AS VARCHAR), kind, is_option, item_nb, item_en, false, n
FROM (
    SELECT item_nb, item_en, kind, is_option,
           row_number() OVER (ORDER BY min(offer_id), min(line_no)) AS n
    FROM price_offer
    GROUP BY item_nb, item_en, kind, is_option
);

INSERT INTO offer_price (offer_id, round, line_id, amount_nok)
SELECT p.offer_id, 1, l.id, sum(p.amount_nok)
FROM price_offer p
JOIN price_line l
  ON l.text_nb = p.item_nb AND l.text_en = p.item_en
 AND l.kind = p.kind AND l.is_option = p.is_option
GROUP BY p.offer_id, l.id;

DROP TABLE price_offer;

-- The vendors' answers, per round.
CREATE TABLE response_by_round (
    offer_id       VARCHAR NOT NULL,
    round          INTEGER NOT NULL CHECK (round >= 1),
    requirement_id VARCHAR NOT NULL,
    answer         INTEGER CHECK (answer BETWEEN 0 AND 3),
    comment        VARCHAR NOT NULL DEFAULT '',
    evidence       VARCHAR NOT NULL DEFAULT '',
    roadmap_date   DATE,
    file_sha256    VARCHAR,
    imported_at    TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (offer_id, round, requirement_id)
);

INSERT INTO response_by_round
SELECT offer_id, 1, requirement_id, answer, comment, evidence, roadmap_date, file_sha256,
       imported_at
FROM response;

DROP TABLE response;
ALTER TABLE response_by_round RENAME TO response;
