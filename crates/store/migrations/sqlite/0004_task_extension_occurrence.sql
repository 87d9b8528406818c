-- Extensions of task deadlines (the original stays visible) and the period of a recurring
-- task's occurrence. Lock-step with the other backend's 0004 file.

create table task_extension (
    id integer primary key,
    task_id integer not null references task(id) on delete cascade,
    agency_id integer not null references agency(id),
    requested_by integer,
    requested_at timestamp not null,
    reason text not null,
    old_deadline date,
    new_deadline date not null,
    decision text not null,
    decided_by integer,
    decided_at timestamp,
    decision_note text
);
create index task_extension_task_idx on task_extension(task_id);

alter table task add column period text;
create unique index task_occurrence_idx on task(parent_id, period);
