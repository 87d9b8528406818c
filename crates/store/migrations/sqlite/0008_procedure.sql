-- Thủ tục hành chính (TTHC): the published catalog and each procedure's internal process
-- (quy trình nội bộ / liên thông). Named `tthc*` because PROCEDURE is an SQL keyword.
-- Lock-step with postgres/0008_procedure.sql.

create table tthc (
    id integer primary key,
    -- Mã TTHC on the national database, e.g. 1.001234 or a local 1.001234.H38.
    code text not null,
    name text not null,
    field text not null,
    -- domain::procedure::ProcedureLevel as text (tinh, xa, ...).
    level text not null,
    -- Cơ quan thực hiện as published, and the registry agency it matched (if one did).
    agency_text text not null,
    agency_id integer references agency(id),
    -- Legal time limit: the published words and, when they could be read, the working
    -- limit ('days' or 'hours' and the amount).
    limit_text text not null,
    limit_unit text,
    limit_amount integer,
    -- Provincial shorter target for online dossiers in working minutes (6486 item 1);
    -- null = the intake policy's default reduction.
    online_limit_minutes integer,
    fee_text text not null,
    -- domain::procedure::OnlineLevel as text.
    online_level text not null,
    internal boolean not null,
    result_type text,
    source text not null,
    active boolean not null,
    search_text text not null,
    created_at timestamp not null,
    updated_at timestamp not null
);
create unique index tthc_code_idx on tthc(code);

create table tthc_step (
    id integer primary key,
    tthc_id integer not null references tthc(id) on delete cascade,
    seq integer not null,
    name text not null,
    -- Who acts: one of the role names of domain::org::Role (mot_cua, chuyen_vien, lanh_dao_don_vi).
    role text not null,
    -- A fixed agency for a liên thông step; null = the agency handling the dossier.
    agency_id integer references agency(id),
    -- Allotted working minutes for the step.
    minutes integer not null
);
create unique index tthc_step_seq_idx on tthc_step(tthc_id, seq);
