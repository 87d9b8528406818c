-- Directives (văn bản chỉ đạo), the documents they cite, and the tasks they assign with
-- lead and supporting agencies, progress reports and verification.
-- Lock-step with the other backend's 0003_directive_task.sql.

create table directive (
    id integer primary key,
    number text not null,
    doc_type text not null,
    issuer text not null,
    place text,
    issued_on date not null,
    subject text not null,
    signer_name text,
    signer_title text,
    signer_authority text,
    recipients_json text not null,
    search_text text not null,
    created_by integer,
    created_at timestamp not null,
    updated_at timestamp not null
);
create unique index directive_issuer_number_idx on directive(issuer, number, issued_on);

create table directive_citation (
    id integer primary key,
    directive_id integer not null references directive(id) on delete cascade,
    cited_number text not null,
    cited_directive_id integer references directive(id),
    relation text not null
);
create index directive_citation_directive_idx on directive_citation(directive_id);

create table task (
    id integer primary key,
    directive_id integer not null references directive(id),
    parent_id integer references task(id),
    item_ref text,
    content text not null,
    lead_agency_id integer references agency(id),
    lead_text text,
    deadline date,
    original_deadline date,
    deadline_text text,
    recurrence text,
    percent integer not null,
    submitted_on date,
    verified boolean not null,
    verified_by integer,
    verified_at timestamp,
    return_reason text,
    search_text text not null,
    created_at timestamp not null,
    updated_at timestamp not null
);
create index task_directive_idx on task(directive_id);
create index task_lead_idx on task(lead_agency_id);
create index task_deadline_idx on task(deadline);

create table task_support (
    task_id integer not null references task(id) on delete cascade,
    agency_id integer not null references agency(id),
    primary key (task_id, agency_id)
);
create index task_support_agency_idx on task_support(agency_id);

create table task_report (
    id integer primary key,
    task_id integer not null references task(id) on delete cascade,
    agency_id integer not null references agency(id),
    user_id integer,
    kind text not null,
    percent integer,
    note text not null,
    created_at timestamp not null
);
create index task_report_task_idx on task_report(task_id);
