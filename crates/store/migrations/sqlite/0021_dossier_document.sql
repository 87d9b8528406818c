-- The documents a desk ticked on the checklist at intake (thành phần hồ sơ đã nhận): the
-- published list of the procedure as it stood then (seq, case, name, copies), so that the
-- receipt (Mẫu 01) lists the documents received, not uploaded file names. Nothing outside
-- the published list is ever stored here (NĐ 61/2018 Điều 5; CV 6486/UBND-KSTT mục 2).
-- Lock-step with the other backend's 0021 file.

create table dossier_document (
    id integer primary key,
    dossier_id integer not null references dossier(id) on delete cascade,
    seq integer not null,
    case_name text,
    name text not null,
    copies text not null default ''
);
create unique index dossier_document_seq_idx on dossier_document(dossier_id, seq);
