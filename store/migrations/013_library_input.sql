-- The libraries' input round: each participating library's facts and priorities, as it
-- answered in its input workbook. A library may answer again: every answer is kept
-- (numbered per library from 1) and the newest counts. Nothing here is deleted.

-- A workbook made for a library (how = 'template') or the working group's note that the
-- request went out by other means (how = 'marked').
CREATE TABLE library_input_sent (
    library_id VARCHAR NOT NULL,
    sent_at    TIMESTAMP NOT NULL DEFAULT current_timestamp,
    sent_by    VARCHAR NOT NULL,
    how        VARCHAR NOT NULL CHECK (how IN ('template', 'marked'))
);

-- One imported answer: the library's facts as it gave them, and the file it came in.
CREATE TABLE library_answer (
    library_id         VARCHAR NOT NULL,
    answer_number      INTEGER NOT NULL CHECK (answer_number >= 1),
    answered_at        TIMESTAMP NOT NULL DEFAULT current_timestamp,
    imported_by        VARCHAR NOT NULL,
    file_name          VARCHAR NOT NULL DEFAULT '',
    sha256             VARCHAR NOT NULL DEFAULT '',
    staff              DOUBLE CHECK (staff >= 0),             -- full-time equivalents
    branches           INTEGER CHECK (branches >= 0),
    mobile_library     BOOLEAN,
    unstaffed_hours    DOUBLE CHECK (unstaffed_hours >= 0),   -- open without staff, hours a week
    sami_collection    BOOLEAN,
    kven_collection    BOOLEAN,
    finnish_collection BOOLEAN,
    russian_collection BOOLEAN,
    school_libraries   INTEGER CHECK (school_libraries >= 0), -- school libraries it serves
    current_system     VARCHAR NOT NULL DEFAULT '',
    shared_catalogue   VARCHAR CHECK (shared_catalogue IN ('today', 'wanted', 'no')),
    PRIMARY KEY (library_id, answer_number)
);

-- How important a category or a weighted requirement is to the library in one answer:
-- 0 not needed, 1 nice to have, 2 useful, 3 important, 4 essential. Items left blank have
-- no row.
CREATE TABLE library_priority (
    library_id    VARCHAR NOT NULL,
    answer_number INTEGER NOT NULL,
    item_kind     VARCHAR NOT NULL CHECK (item_kind IN ('category', 'requirement')),
    item_id       VARCHAR NOT NULL,
    importance    INTEGER NOT NULL CHECK (importance BETWEEN 0 AND 4),
    comment       VARCHAR NOT NULL DEFAULT '',
    PRIMARY KEY (library_id, answer_number, item_kind, item_id)
);

-- A new requirement a library proposed in free text, and the working group's decision:
-- accepted into the catalogue (as requirement_id) or declined with a reason.
CREATE TABLE library_proposal (
    id             BIGINT PRIMARY KEY,
    library_id     VARCHAR NOT NULL,
    answer_number  INTEGER NOT NULL,
    category_id    VARCHAR NOT NULL DEFAULT '',
    text           VARCHAR NOT NULL,
    status         VARCHAR NOT NULL DEFAULT 'open'
                   CHECK (status IN ('open', 'accepted', 'declined')),
    requirement_id VARCHAR,
    decided_by     VARCHAR,
    decided_at     TIMESTAMP,
    reason         VARCHAR NOT NULL DEFAULT ''
);
