-- The dossier side of the monthly overdue list (CV 6486/UBND-KSTT mục 3) at province
-- scale: the partial index of the open dossiers carries the columns the list judges,
-- sorts and counts by. (SQLite's index also carries the free-text delay reason; a
-- PostgreSQL B-tree entry has a size limit that free text could pass, so it stays out.)
drop index dossier_open_due_idx;
create index dossier_open_due_idx on dossier(due_at, id, code, status, delay_agency_id,
    handling_agency_id, agency_id, received_at, finished_at, stopped_at, withdrawn_at)
    where status in (1, 2, 4, 5, 6);
