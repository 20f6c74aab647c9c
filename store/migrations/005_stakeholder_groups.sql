-- Stakeholder groups among the participating libraries (public, school, Sámi administrative
-- area, small libraries, ...), each with the weight profile that speaks for it.
-- Members are the libraries matching every filter that is set (NULL: no filter).
CREATE TABLE stakeholder_group (
    id             VARCHAR PRIMARY KEY,
    profile_name   VARCHAR NOT NULL,
    name_nb        VARCHAR NOT NULL,
    name_en        VARCHAR NOT NULL,
    description_nb VARCHAR NOT NULL DEFAULT '',
    description_en VARCHAR NOT NULL DEFAULT '',
    library_kind   VARCHAR CHECK (library_kind IN ('public', 'school', 'mobile')),
    sami_area      BOOLEAN,
    size_class     VARCHAR CHECK (size_class IN ('small', 'medium', 'large')),
    sort_order     INTEGER NOT NULL DEFAULT 0
);
