-- The people who may use a shared installation and their roles. A person is known by the
-- e-mail address the sign-in gives (lower-case); an evaluator's person names the evaluator
-- they are. A removed person stays on record (the log names them) but holds no role.
-- While nobody holds the role admin, the database is in local mode: everything is allowed.
CREATE TABLE person (
    id           VARCHAR PRIMARY KEY,
    name         VARCHAR NOT NULL,
    evaluator_id VARCHAR,
    removed      BOOLEAN NOT NULL DEFAULT false,
    created_at   TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE person_role (
    person_id VARCHAR NOT NULL,
    role      VARCHAR NOT NULL
        CHECK (role IN ('admin', 'working_group', 'evaluator', 'steering_group', 'observer')),
    PRIMARY KEY (person_id, role)
);
