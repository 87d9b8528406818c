-- Legal calendar: the yearly government decisions (days off, swaps, make-up working days)
-- as rows an administrator can add or correct, and the versions of the calendar they
-- produced. Lock-step with ../postgres/0002_calendar.sql.

create table calendar_entry (
    id integer primary key,
    day date not null,
    kind text not null,
    name text not null,
    decided_by text not null,
    confirmed boolean not null,
    source text not null,
    active boolean not null,
    created_at timestamp not null,
    updated_at timestamp not null
);
create index calendar_entry_day_idx on calendar_entry(day);

create table calendar_version (
    id integer primary key,
    version text not null,
    reason text not null,
    username text,
    created_at timestamp not null
);
