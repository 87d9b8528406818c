-- In-app notifications: task reminders and escalations (data/reminders.toml), with the
-- day each was read and e-mailed. Lock-step with the other backend's 0005 file.

create table notification (
    id integer primary key,
    user_id integer not null references app_user(id) on delete cascade,
    task_id integer references task(id) on delete cascade,
    kind text not null,
    rule text not null,
    title text not null,
    body text not null,
    link text not null,
    created_at timestamp not null,
    read_at timestamp,
    emailed_at timestamp
);
-- A rule fires once per user and task, whichever node runs the job.
create unique index notification_once_idx on notification(user_id, task_id, rule);
create index notification_user_read_idx on notification(user_id, read_at);
-- The e-mail job reads the notifications not yet sent.
create index notification_unsent_idx on notification(id) where emailed_at is null;
