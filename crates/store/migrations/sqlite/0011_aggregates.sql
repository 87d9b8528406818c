-- Indicator aggregates (issue 7, "Speed at province scale"): what makes the 766 page's time
-- independent of history. Every dossier write updates, in its own transaction, the counters
-- of the one unit the dossier counts for, by day and rolled up by month, and keeps the
-- dossier's current contribution so that the next change applies as new minus old
-- (store::agg, domain::indicator::counters). Lock-step with postgres/0011_aggregates.sql.
--
-- dossier.unit_id: the unit a dossier counts for in indicators, fixed at intake: the
--   implementing agency of a provincial-level procedure (tthc.level = 'tinh') when it has
--   one, else the receiving desk (dossier.agency_id). Sums over a subtree never count a
--   dossier twice.
-- dossier.online_level: the procedure's online level at intake (toan_trinh, mot_phan, khong).
-- agg_dossier: each dossier's contribution (domain::indicator::counters::Contribution):
--   days as dates, flags as bits, verdict 1 early / 2 on time / 3 late.
-- agg_unit_day, agg_unit_month: the counters (domain::indicator::counters::Counter) of a
--   unit by local day, and by month (month = its first day).
-- agg_state: one row once the aggregates have been built from the dossier tables.
-- agg_dirty: dossiers whose aggregates are still to be brought up to date; the SQLite
--   group-commit path of transitions marks them in its transaction and store::agg::drain
--   applies them right after (and before any read of the aggregates).

alter table dossier add column unit_id integer references agency(id);
alter table dossier add column online_level text;
update dossier set unit_id = coalesce((select t.agency_id from tthc t where t.id = dossier.tthc_id and t.level = 'tinh'), agency_id),
    online_level = (select t.online_level from tthc t where t.id = dossier.tthc_id)
    where unit_id is null;
create index dossier_outbox_dossier_pending_idx on dossier_outbox(dossier_id) where sent_at is null;

create table agg_dossier (
    dossier_id integer primary key references dossier(id),
    unit_id integer not null references agency(id),
    received_day date,
    flags integer not null,
    end_day date,
    verdict integer,
    overdue_day date,
    finished_day date,
    returned_day date
);

create table agg_unit_day (
    unit_id integer not null references agency(id),
    day date not null,
    received integer not null,
    synced integer not null,
    online integer not null,
    full_online_eligible integer not null,
    full_online integer not null,
    digitised integer not null,
    payable integer not null,
    paid_online integer not null,
    finished_early integer not null,
    finished_on_time integer not null,
    finished_late integer not null,
    dissatisfied_not_late integer not null,
    open_in integer not null,
    open_out integer not null,
    overdue_in integer not null,
    overdue_out integer not null,
    result_documents integer not null,
    e_results integer not null,
    ratings integer not null,
    ratings_positive integer not null,
    primary key (unit_id, day)
);

create index agg_unit_day_day_idx on agg_unit_day(day);

create table agg_unit_month (
    unit_id integer not null references agency(id),
    month date not null,
    received integer not null,
    synced integer not null,
    online integer not null,
    full_online_eligible integer not null,
    full_online integer not null,
    digitised integer not null,
    payable integer not null,
    paid_online integer not null,
    finished_early integer not null,
    finished_on_time integer not null,
    finished_late integer not null,
    dissatisfied_not_late integer not null,
    open_in integer not null,
    open_out integer not null,
    overdue_in integer not null,
    overdue_out integer not null,
    result_documents integer not null,
    e_results integer not null,
    ratings integer not null,
    ratings_positive integer not null,
    primary key (unit_id, month)
);

create table agg_state (
    id integer primary key,
    rebuilt_at timestamp not null,
    dossiers integer not null
);

create table agg_dirty (
    dossier_id integer primary key
);
