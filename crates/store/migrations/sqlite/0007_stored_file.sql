-- Attached files (evidence of a progress report, a directive's signed copy, a dossier's
-- documents and result). Content is stored once per SHA-256 (content addressing) inside
-- the database, so a file is committed in the same transaction as the record that cites it
-- and a database backup holds everything. Lock-step with postgres/0007_stored_file.sql.

create table file_blob (
    sha256 text primary key,
    size integer not null,
    content blob not null
);

create table stored_file (
    id integer primary key,
    sha256 text not null references file_blob(sha256),
    name text not null,
    media_type text not null,
    size integer not null,
    owner_kind text not null,
    owner_id integer not null,
    digitized boolean not null,
    uploaded_by integer,
    uploaded_at timestamp not null
);
create index stored_file_owner_idx on stored_file(owner_kind, owner_id);
