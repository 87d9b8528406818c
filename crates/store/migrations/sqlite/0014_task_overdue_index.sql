-- The task side of the monthly overdue list (CV 6486/UBND-KSTT mục 3) at province scale:
-- the candidates are read from one covering index (deadline, submission, lead, and the
-- columns a reason comes from), and the last progress report before the cut-off is found
-- by walking one covering index down from the newest report of the task.
create index task_overdue_idx on task(deadline, submitted_on, lead_agency_id, lead_text, return_reason);
drop index task_deadline_idx;
create index task_report_last_idx on task_report(task_id, id, kind, created_at);
drop index task_report_task_idx;
