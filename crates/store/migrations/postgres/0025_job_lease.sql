-- Several `cchc serve` nodes on one database (issue 26). Lock-step with the other
-- backend's 0025 file.
--
-- job_lease: one row per background job (reminders, occurrences, report periods, e-mail,
--   transfers of dissolved agencies, session purge). A node runs a job only while it holds
--   its lease: taken by one atomic upsert when the previous lease has expired, so two
--   nodes never run the same job at once, and a node that dies mid-run frees it by expiry.
-- dossier_outbox.claimed_by / claimed_until: a node claims a batch of pending rows for a
--   while before delivering them (on PostgreSQL with `for update skip locked`, so nodes
--   share the outbox without waiting on each other and never take the same row).
-- The pending index by dossier also orders by id: the claim takes, of each dossier, only
--   its earliest pending row, so a dossier's changes reach the portal in order.

create table job_lease (
    name text primary key,
    holder text not null,
    acquired_at timestamptz not null,
    expires_at timestamptz not null,
    runs bigint not null,
    finished_at timestamptz,
    last_error text
);

alter table dossier_outbox add column claimed_by text;
alter table dossier_outbox add column claimed_until timestamptz;
drop index dossier_outbox_dossier_pending_idx;
create index dossier_outbox_dossier_pending_idx on dossier_outbox(dossier_id, id) where sent_at is null;
