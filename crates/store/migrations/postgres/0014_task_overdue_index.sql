-- The task side of the monthly overdue list (CV 6486/UBND-KSTT mục 3) at province scale:
-- candidates by deadline, submission and lead; the last progress report before the
-- cut-off found by walking one index down from the newest report of the task. (SQLite's
-- index also carries the free-text columns a reason comes from; a PostgreSQL B-tree entry
-- has a size limit that free text could pass, so they stay out of it here.)
create index task_overdue_idx on task(deadline, submitted_on, lead_agency_id);
drop index task_deadline_idx;
create index task_report_last_idx on task_report(task_id, id, kind, created_at);
drop index task_report_task_idx;
