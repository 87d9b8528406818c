-- Thủ tục hành chính (TTHC): the published catalog, each procedure's internal process
-- (quy trình nội bộ / liên thông), its publication decisions (quyết định công bố) and its
-- compliance cost sheets (chi phí tuân thủ). Named `tthc*` because PROCEDURE is an SQL
-- keyword. Lock-step with postgres/0008_procedure.sql.
--
-- tthc columns:
--   code: Mã TTHC on the national database, e.g. 1.001234 or a local 1.001234.H38.
--   level: domain::procedure::ProcedureLevel as text (tinh, huyen, xa, lien_thong).
--   agency_text / agency_id: Cơ quan thực hiện as published, and the registry agency it
--     matched (if one did).
--   limit_text / limit_unit / limit_amount: the legal time limit as published and, when it
--     could be read as working time, its unit ('days' or 'hours') and amount.
--   online_limit_minutes: the provincial shorter target for online dossiers in working
--     minutes (CV 6486/UBND-KSTT item 1); null = the intake policy's default reduction.
--   online_level: domain::procedure::OnlineLevel as text (toan_trinh, mot_phan, khong).
--   documents: thành phần hồ sơ, one per line; result_type: kết quả; legal_basis: căn cứ pháp lý.
--   search_text: code, name, field and agency folded without diacritics (domain::text::fold_vi).

create table tthc (
    id integer primary key,
    code text not null,
    name text not null,
    field text not null,
    level text not null,
    agency_text text not null,
    agency_id integer references agency(id),
    limit_text text not null,
    limit_unit text,
    limit_amount integer,
    online_limit_minutes integer,
    fee_text text not null,
    online_level text not null,
    internal boolean not null,
    result_type text,
    source text not null,
    active boolean not null,
    search_text text not null,
    created_at timestamp not null,
    updated_at timestamp not null,
    documents text not null default '',
    legal_basis text not null default ''
);
create unique index tthc_code_idx on tthc(code);

-- One step of the internal process. role: one of the role names of domain::org::Role
-- (mot_cua, chuyen_vien, lanh_dao_don_vi); agency_id: a fixed agency for a liên thông step,
-- null = the agency handling the dossier; minutes: allotted working minutes.
create table tthc_step (
    id integer primary key,
    tthc_id integer not null references tthc(id) on delete cascade,
    seq integer not null,
    name text not null,
    role text not null,
    agency_id integer references agency(id),
    minutes integer not null
);
create unique index tthc_step_seq_idx on tthc_step(tthc_id, seq);

-- A version of a procedure as published by a quyết định công bố. kind: new | amended |
-- replaced | abolished (domain::procedure::publication::DecisionKind); law_effective_date:
-- the day the legal document that sets the procedure takes effect (the công bố deadline
-- counts back from it); effective_date: the day the decision itself takes effect.
create table tthc_version (
    id integer primary key,
    tthc_id integer not null references tthc(id) on delete cascade,
    kind text not null,
    decision_number text not null,
    decision_date date not null,
    effective_date date not null,
    law_effective_date date,
    note text not null default '',
    created_at timestamp not null
);
create index tthc_version_tthc_idx on tthc_version(tthc_id, decision_date);

-- Compliance cost sheet (TT 02/2017/TT-VPCP Điều 27) of a procedure in one phase:
-- baseline (before the simplification plan) or after. items_json: [{"label","amount_vnd"}].
create table tthc_cost (
    id integer primary key,
    tthc_id integer not null references tthc(id) on delete cascade,
    phase text not null,
    items_json text not null,
    fees_vnd integer not null,
    times_per_year integer not null,
    subjects_per_year integer not null,
    note text not null default '',
    updated_at timestamp not null
);
create unique index tthc_cost_phase_idx on tthc_cost(tthc_id, phase);

-- How many working days before the legal document takes effect a quyết định công bố must
-- be issued, by publishing level (ministry | province) and date of the rule: a number a
-- decree can change, so it is data (domain::procedure::publication).
create table tthc_publication_rule (
    id integer primary key,
    publisher text not null,
    valid_from date not null,
    lead_working_days integer not null,
    basis text not null
);
insert into tthc_publication_rule (publisher, valid_from, lead_working_days, basis) values
    ('ministry', '2013-07-01', 20, 'Nghị định 63/2010/NĐ-CP Điều 15 khoản 1, sửa đổi bởi Nghị định 48/2013/NĐ-CP Điều 1 khoản 5'),
    ('province', '2013-07-01', 5, 'Nghị định 63/2010/NĐ-CP Điều 15 khoản 1, sửa đổi bởi Nghị định 48/2013/NĐ-CP Điều 1 khoản 5');
