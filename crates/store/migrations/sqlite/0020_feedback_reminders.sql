-- Reminders and escalations of phản ánh, kiến nghị on the task reminder schedule
-- (data/reminders.toml): a notification may concern a feedback instead of a task, and a
-- rule fires once per user, feedback and due date. The overdue list reads feedback by due
-- date. Lock-step with the other backend's 0020 file.

alter table notification add column feedback_id integer references feedback(id) on delete cascade;
create unique index notification_feedback_once_idx on notification(user_id, feedback_id, rule)
    where feedback_id is not null;
create index feedback_due_handled_idx on feedback(due_on, handled_at);
-- The 766 group 5 counts and the statistics read a subtree's feedback of a period: a
-- covering index keeps that read off the wide rows (texts, attachments' metadata).
create index feedback_facts_idx on feedback(agency_id, created_at, status, kind, due_on, handled_at, likes, dislikes, id);
