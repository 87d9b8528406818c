-- Kiểm tra công tác CCHC (domain::inspection): yearly plans, inspections (planned or
-- surprise) of one unit with their team, findings and the remediation task each finding
-- gets when the conclusion is issued. Lock-step with the other backend's 0023 file.
--
-- inspection.kind: ke_hoach | dot_xuat; status: du_kien | dang_kiem_tra | da_ket_luan |
--   da_dong. directive_id: the conclusion notice (thông báo kết luận), registered as a
--   directive so that the remediation tasks have it as their source document.
-- inspection_member: a user of the registry, or a person from outside (external_name).
-- inspection_finding.kind: domain::inspection::FINDING_KINDS; task_id: its remediation.

create table inspection_plan (
    id integer primary key,
    year integer not null,
    decision_number text not null,
    decision_date date not null,
    title text not null,
    created_by integer references app_user(id),
    created_at timestamp not null
);
create unique index inspection_plan_number_idx on inspection_plan(year, decision_number);

create table inspection (
    id integer primary key,
    plan_id integer references inspection_plan(id),
    kind text not null,
    decision_number text not null,
    decision_date date not null,
    target_agency_id integer not null references agency(id),
    subjects text not null default '',
    planned_month integer,
    start_on date,
    end_on date,
    status text not null,
    conclusion_number text,
    conclusion_date date,
    conclusion_text text,
    directive_id integer references directive(id),
    created_by integer references app_user(id),
    created_at timestamp not null,
    updated_at timestamp not null
);
create index inspection_target_idx on inspection(target_agency_id, decision_date);

create table inspection_member (
    id integer primary key,
    inspection_id integer not null references inspection(id) on delete cascade,
    user_id integer references app_user(id),
    external_name text,
    role text not null
);
create index inspection_member_user_idx on inspection_member(user_id, inspection_id);

create table inspection_finding (
    id integer primary key,
    inspection_id integer not null references inspection(id) on delete cascade,
    seq integer not null,
    kind text not null,
    content text not null,
    responsible_agency_id integer not null references agency(id),
    responsible_person text,
    remediation boolean not null,
    deadline date,
    task_id integer references task(id),
    created_at timestamp not null
);
create unique index inspection_finding_seq_idx on inspection_finding(inspection_id, seq);
