-- Phản ánh, kiến nghị (PAKN) of citizens and businesses (issue 22): one row per feedback
-- with its sender (personal data: never on a public page), the agency whose queue holds
-- it (null: not yet determined, handled by the Văn phòng UBND – KSTT), its state and due
-- dates (working days, domain::feedback::TimeLimits), the answer and its published
-- (redacted) text, the sender's rating; one row per step. Lock-step with the other
-- backend's 0019_feedback.sql. search_text: folded (no diacritics, lower case) title and
-- content, the staff search; public_search: folded code, title and published texts, the
-- public search of published answers.

create table feedback (
    id integer primary key,
    code text not null,
    kind text not null,
    agency_id integer references agency(id),
    procedure_code text,
    dossier_code text,
    title text not null,
    content text not null,
    search_text text not null,
    sender_name text not null,
    sender_phone text not null,
    sender_email text,
    sender_address text,
    status text not null,
    received_at timestamp not null,
    triage_due_on date not null,
    supplement_due_on date not null,
    due_on date not null,
    publish_due_on date,
    handled_at timestamp,
    assigned_to integer references app_user(id),
    supplement_request text,
    supplement_count integer not null default 0,
    reject_reason text,
    answer text,
    answered_by integer references app_user(id),
    approved_by integer references app_user(id),
    approved_at timestamp,
    public_title text,
    public_content text,
    public_answer text,
    public_search text,
    published_at timestamp,
    parent_id integer references feedback(id),
    merged_into integer references feedback(id),
    likes integer not null default 0,
    dislikes integer not null default 0,
    rated_at timestamp,
    track_failures integer not null default 0,
    track_locked_until timestamp,
    demo boolean not null default false,
    created_at timestamp not null,
    updated_at timestamp not null
);
create unique index feedback_code_idx on feedback(code);
create index feedback_agency_status_idx on feedback(agency_id, status);
create index feedback_status_due_idx on feedback(status, due_on);
create index feedback_phone_idx on feedback(sender_phone, created_at);
create index feedback_published_idx on feedback(published_at);
create index feedback_parent_idx on feedback(parent_id);

create table feedback_event (
    id integer primary key,
    feedback_id integer not null references feedback(id),
    action text not null,
    from_status text,
    to_status text not null,
    agency_id integer references agency(id),
    note text,
    actor_id integer references app_user(id),
    at timestamp not null
);
create index feedback_event_feedback_idx on feedback_event(feedback_id, id);
