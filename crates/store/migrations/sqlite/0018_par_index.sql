-- Chỉ số cải cách hành chính (PAR INDEX) of the province's units (issue 21): criteria
-- sets as versioned JSON (checked by domain::par), yearly rounds, one scorecard per unit
-- and round, one row per scored item, evidence, and the frozen snapshot of a published
-- round. Lock-step with the other backend's 0018_par_index.sql.

create table par_set (
    id integer primary key,
    code text not null,
    version integer not null,
    title text not null,
    unit_kind text not null,
    applies_from_year integer not null,
    definition_json text not null,
    origin text not null,
    demo boolean not null default false,
    created_by integer,
    created_at timestamp not null
);
create unique index par_set_code_version_idx on par_set(code, version);

create table par_round (
    id integer primary key,
    year integer not null,
    title text not null,
    status text not null,
    self_due_on date not null,
    appraisal_due_on date not null,
    demo boolean not null default false,
    opened_by integer,
    opened_at timestamp not null,
    published_by integer,
    published_at timestamp,
    decision text,
    directive_id integer references directive(id),
    snapshot_json text,
    updated_at timestamp not null
);
create unique index par_round_year_idx on par_round(year);

create table par_card (
    id integer primary key,
    round_id integer not null references par_round(id),
    agency_id integer not null references agency(id),
    set_id integer not null references par_set(id),
    unit_kind text not null,
    status text not null,
    submitted_by integer,
    submitted_at timestamp,
    returned_by integer,
    returned_at timestamp,
    return_reason text,
    return_count integer not null default 0,
    appraised_by integer,
    appraised_at timestamp,
    snapshot_json text,
    updated_at timestamp not null
);
create unique index par_card_round_agency_idx on par_card(round_id, agency_id);
create index par_card_agency_idx on par_card(agency_id);

create table par_score (
    card_id integer not null references par_card(id),
    code text not null,
    self_value text,
    self_score integer,
    self_note text,
    appraised_score integer,
    appraisal_reason text,
    appraised_by integer,
    appraised_at timestamp,
    survey_score integer,
    not_applicable boolean not null default false,
    updated_by integer,
    updated_at timestamp not null,
    primary key (card_id, code)
);

create table par_evidence (
    id integer primary key,
    card_id integer not null references par_card(id),
    code text not null,
    kind text not null,
    file_id integer references stored_file(id),
    url text,
    ref_id integer,
    label text not null,
    created_by integer,
    created_at timestamp not null
);
create index par_evidence_card_idx on par_evidence(card_id, code);
