-- Hồ sơ TTHC: dossiers received at a one-stop desk or online, their transitions (the
-- control sheet, Mẫu 05/06), supplementation and payment pauses, and the outbox of state
-- changes to synchronise with the national portal (QĐ 31/2021/QĐ-TTg Điều 30 k3).
-- Lock-step with postgres/0010_dossier.sql.

-- Columns of dossier:
-- agency_id: the desk that received it (a service centre or an agency's one-stop unit).
-- handling_agency_id: the agency working on it now (the current step's owner).
-- channel (KenhThucHien): 1 desk, 2 online, 3 public post.
-- status: national status code 1-10 (domain::dossier::DossierStatus).
-- appointment_at, rescheduled_at, due_at: NgayHenTra as issued on Mẫu 01 (never moved), the new date of an apology letter,
-- and the deadline in force now (the appointment shifted by pauses).
-- target_at: provincial shorter target for online dossiers (CV 6486 item 1).
-- regime: NĐ 61/2018 (nd61) or NĐ 118/2025 (nd118), by reception date.
-- dossier_event.closed_step_due_at: the due time of the step the event closes, to judge it on the control sheet.

create table dossier (
    id integer primary key,
    code text not null,
    tthc_id integer not null references tthc(id),
    agency_id integer not null references agency(id),
    handling_agency_id integer references agency(id),
    assignee_id integer references app_user(id),
    channel integer not null,
    status integer not null,
    applicant_name text not null,
    applicant_id_no text,
    applicant_phone text,
    applicant_email text,
    applicant_address text,
    submitted_at timestamp not null,
    received_at timestamp,
    appointment_at timestamp,
    rescheduled_at timestamp,
    due_at timestamp,
    target_at timestamp,
    finished_at timestamp,
    returned_at timestamp,
    stopped_at timestamp,
    withdrawn_at timestamp,
    supplement_count integer not null,
    step_seq integer not null,
    step_due_at timestamp,
    fee_amount integer,
    paid_at timestamp,
    paid_online boolean not null,
    rating integer,
    digitized boolean not null,
    e_result boolean not null,
    result_code text,
    delay_reason text,
    delay_agency_id integer references agency(id),
    delay_user_id integer references app_user(id),
    regime text not null,
    idempotency_key text,
    search_text text not null,
    created_at timestamp not null,
    updated_at timestamp not null
);
create unique index dossier_code_idx on dossier(code);
create unique index dossier_idem_idx on dossier(idempotency_key);
create index dossier_agency_idx on dossier(agency_id, status, due_at);
create index dossier_handling_idx on dossier(handling_agency_id, status, due_at);
create index dossier_received_idx on dossier(received_at);
create index dossier_tthc_idx on dossier(tthc_id);

create table dossier_event (
    id integer primary key,
    dossier_id integer not null references dossier(id),
    kind text not null,
    from_status integer,
    to_status integer not null,
    at timestamp not null,
    user_id integer references app_user(id),
    agency_id integer references agency(id),
    to_agency_id integer references agency(id),
    to_user_id integer references app_user(id),
    step_seq integer,
    step_name text,
    closed_step_due_at timestamp,
    note text not null
);
create index dossier_event_dossier_idx on dossier_event(dossier_id, id);

create table dossier_pause (
    id integer primary key,
    dossier_id integer not null references dossier(id),
    kind text not null,
    started_at timestamp not null,
    ended_at timestamp,
    reason text not null
);
create index dossier_pause_dossier_idx on dossier_pause(dossier_id);

create table dossier_outbox (
    id integer primary key,
    dossier_id integer not null references dossier(id),
    event_id integer references dossier_event(id),
    payload text not null,
    created_at timestamp not null,
    sent_at timestamp,
    attempts integer not null,
    last_error text
);
create index dossier_outbox_pending_idx on dossier_outbox(sent_at, id);

create table dossier_seq (
    agency_id integer not null references agency(id),
    day date not null,
    last integer not null,
    primary key (agency_id, day)
);
