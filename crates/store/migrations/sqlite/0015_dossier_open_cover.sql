-- The dossier side of the monthly overdue list (CV 6486/UBND-KSTT mục 3) at province
-- scale: nearly every candidate is an open dossier, and reading its columns from the
-- table cost one page of the dossier table per candidate. The partial index of the open
-- dossiers now carries every column the list judges, sorts and counts by, so the
-- candidates are read from the index alone.
drop index dossier_open_due_idx;
create index dossier_open_due_idx on dossier(due_at, id, code, status, delay_agency_id,
    handling_agency_id, agency_id, received_at, finished_at, stopped_at, withdrawn_at,
    delay_reason) where status in (1, 2, 4, 5, 6);
