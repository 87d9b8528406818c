-- The monthly overdue list (CV 6486/UBND-KSTT item 3): partial indexes that find the
-- dossiers overdue in a period without reading the whole history.
-- Lock-step with the other backend's 0012_overdue_index.sql.

-- Dossiers still being worked on, by deadline in force: those due before the cut-off.
create index dossier_open_due_idx on dossier(due_at) where status in (1, 2, 4, 5, 6);

-- Dossiers finished after their deadline, by finishing time: those finished late in the
-- period, and those finished after it that were open and late at its end.
create index dossier_late_finish_idx on dossier(finished_at, due_at) where finished_at > due_at;

-- Dossiers stopped or withdrawn after their deadline (open and late until then).
create index dossier_late_stop_idx on dossier(stopped_at, due_at) where stopped_at > due_at;
create index dossier_late_withdraw_idx on dossier(withdrawn_at, due_at) where withdrawn_at > due_at;
