-- Periodic reports of the units (báo cáo định kỳ): one row per template, unit and period
-- with its typed values and lifecycle; the closing of a template's period; and the
-- revisions that freeze a report's numbers (the snapshot at closing, then corrections).
-- Lock-step with the other backend's 0013_unit_report.sql.

create table unit_report (
    id integer primary key,
    template_code text not null,
    template_version text not null,
    agency_id integer not null references agency(id),
    period text not null,
    period_from date not null,
    period_to date not null,
    due_on date not null,
    status text not null,
    typed_json text not null,
    task_id integer references task(id),
    created_by integer,
    created_at timestamp not null,
    updated_at timestamp not null,
    submitted_by integer,
    submitted_at timestamp,
    decided_by integer,
    decided_at timestamp,
    return_reason text
);
create unique index unit_report_key_idx on unit_report(template_code, period, agency_id);
create index unit_report_agency_idx on unit_report(agency_id);
create index unit_report_task_idx on unit_report(task_id);

create table report_period_close (
    id integer primary key,
    template_code text not null,
    period text not null,
    closed_at timestamp not null,
    closed_by integer
);
create unique index report_period_close_key_idx on report_period_close(template_code, period);

create table unit_report_revision (
    id integer primary key,
    report_id integer not null references unit_report(id),
    revision integer not null,
    kind text not null,
    as_of timestamp not null,
    snapshot_json text not null,
    note text,
    created_by integer,
    created_at timestamp not null
);
create unique index unit_report_revision_key_idx on unit_report_revision(report_id, revision);
