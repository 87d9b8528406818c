#!/usr/bin/env python3
"""The province's 766 dossier facts computed by DuckDB from an export of the same data —
what an analyst would otherwise do (issue 7, "Speed at province scale").

    python3 bench/duckdb_766.py DIR NOW FROM:TO [FROM:TO ...]

DIR holds dossiers.csv and pauses.csv as `cchc bench indicators` writes them
(store::indicator::export_csv; local times UTC+07:00). Each FROM:TO is a period of local
days (inclusive, YYYY-MM-DD). Prints one JSON line for the load, then one per period with
the query time and the facts, named as in domain::indicator::UnitPeriodFacts, and the
overdue dossiers of the period's list (judged at the period's end, or at NOW, a local time
YYYY-MM-DDTHH:MM:SS.ffffff, when the period is not over) by kind and responsible unit.

The rules are those of the full scan (web::routes::indicator::unit_period_facts_full_scan,
domain::dossier::classify_766 without a legal limit; QĐ 766/QĐ-TTg indicator 2.1, domain.md
§5): the end is the first terminal time by priority finished > returned > stopped >
withdrawn; unfinished dossiers are judged at the period end, or at the start of a
supplementation request still open then; more than one request makes a dossier late; with a
NgayHenTra, late means after it and early means on an earlier day.

The overdue rule is that of domain::overdue::dossier_overdue over the same columns as
store::overdue::candidates (6486/UBND-KSTT mục 3): unfinished at the cut-off with its deadline
in force before it (not stopped or withdrawn, not waiting for a supplement requested before
it), or finished within the period after that deadline.
"""

import json
import sys
import time
from datetime import date, timedelta

import duckdb

QUERY = """
with pop as (
    select d.*, coalesce(finished_at, returned_at, stopped_at, withdrawn_at) as t_end
    from d
    where status <> 3 and received_at is not null and received_at < $e
      and (coalesce(finished_at, returned_at, stopped_at, withdrawn_at, $s) >= $s
           or (returned_at >= $s and returned_at < $e))
),
x as (
    select pop.*,
        (t_end is not null and t_end < $e) as finished,
        case when t_end is not null and t_end < $e then t_end
             else coalesce((select min(p.started_at) from p
                            where p.dossier_id = pop.id and p.started_at <= $pe
                              and (p.ended_at is null or p.ended_at > $pe)), $pe)
        end as jend
    from pop
),
y as (
    select x.*, (select count(*) from p where p.dossier_id = x.id and p.started_at <= x.jend) as reqs
    from x
),
v as (
    select y.*,
        case when t_end is not null and t_end < $s then null
             when reqs > 1 then 'late'
             when appointment_at is null then null
             when jend > appointment_at then 'late'
             when finished and cast(jend as date) < cast(appointment_at as date) then 'early'
             else 'on_time'
        end as verdict,
        (received_at >= $s and received_at < $e) as received_now
    from y
)
select
    count(*) filter (where received_now) as dossiers_received,
    count(*) filter (where received_now and synced) as synced_dossiers,
    count(*) filter (where received_now and channel = 2) as online_dossiers,
    count(*) filter (where received_now and online_level = 'toan_trinh') as full_online_eligible_dossiers,
    count(*) filter (where received_now and online_level = 'toan_trinh' and channel = 2) as full_online_dossiers,
    count(*) filter (where received_now and digitized and (finished_at is null or e_result)) as digitised_dossiers,
    count(*) filter (where received_now and fee_amount > 0) as payable_dossiers,
    count(*) filter (where received_now and fee_amount > 0 and paid_online) as paid_online,
    count(*) filter (where finished and verdict = 'early') as finished_early,
    count(*) filter (where finished and verdict = 'on_time') as finished_on_time,
    count(*) filter (where finished and verdict = 'late') as finished_late,
    count(*) filter (where not finished and verdict = 'on_time') as unfinished_on_time_at_period_end,
    count(*) filter (where not finished and verdict = 'late') as unfinished_overdue_at_period_end,
    count(*) filter (where finished and verdict in ('early', 'on_time') and rating = 1) as dossiers_dissatisfied_not_late,
    count(*) filter (where finished_at >= $s and finished_at < $e) as dossiers_needing_result_document,
    count(*) filter (where finished_at >= $s and finished_at < $e and e_result) as e_results,
    count(*) filter (where returned_at >= $s and returned_at < $e and rating is not null) as ratings_total,
    count(*) filter (where returned_at >= $s and returned_at < $e and rating >= 2) as ratings_positive
from v
"""


OVERDUE = """
with o as (
    select d.unit_id,
        case
            when d.finished_at is not null and d.finished_at < $c then
                case when d.finished_at >= $s and d.finished_at > d.due_at then 'finished_late' end
            when coalesce(d.stopped_at, d.withdrawn_at) < $c then null
            when d.status = 5 and (select max(p.started_at) from p
                                   where p.dossier_id = d.id and p.ended_at is null) < $c then null
            when d.due_at < $c then 'unfinished'
        end as kind
    from d
    where d.status <> 3 and d.due_at is not null and d.received_at < $c
)
select kind, unit_id, count(*) as n from o where kind is not null group by kind, unit_id
"""


def main() -> None:
    folder, now, periods = sys.argv[1], sys.argv[2], sys.argv[3:]
    con = duckdb.connect()
    t0 = time.perf_counter()
    ts = "timestamp"
    con.execute(
        f"""create table d as select * from read_csv('{folder}/dossiers.csv', header = true,
        columns = {{'id': 'bigint', 'status': 'integer', 'channel': 'integer',
        'received_at': '{ts}', 'appointment_at': '{ts}', 'finished_at': '{ts}',
        'returned_at': '{ts}', 'stopped_at': '{ts}', 'withdrawn_at': '{ts}',
        'digitized': 'boolean', 'e_result': 'boolean', 'fee_amount': 'bigint',
        'paid_online': 'boolean', 'rating': 'integer', 'online_level': 'varchar',
        'synced': 'boolean', 'due_at': '{ts}', 'unit_id': 'bigint'}})"""
    )
    con.execute(
        f"""create table p as select * from read_csv('{folder}/pauses.csv', header = true,
        columns = {{'dossier_id': 'bigint', 'started_at': '{ts}', 'ended_at': '{ts}'}})"""
    )
    n = con.execute("select count(*) from d").fetchone()[0]
    print(json.dumps({"load_secs": time.perf_counter() - t0, "dossiers": n}), flush=True)
    for period in periods:
        a, b = period.split(":")
        start = date.fromisoformat(a)
        end = date.fromisoformat(b) + timedelta(days=1)
        params = {
            "s": f"{start} 00:00:00",
            "e": f"{end} 00:00:00",
            "pe": f"{end - timedelta(days=1)} 23:59:59.999999",
        }
        q = QUERY.replace("$pe", "cast($pe as timestamp)").replace("$s", "cast($s as timestamp)").replace(
            "$e", "cast($e as timestamp)"
        )
        t1 = time.perf_counter()
        cur = con.execute(q, params)
        row = cur.fetchone()
        secs = time.perf_counter() - t1
        names = [c[0] for c in cur.description]
        cut = min(f"{end}T00:00:00", now).replace("T", " ")
        q = OVERDUE.replace("$s", "cast($s as timestamp)").replace("$c", "cast($c as timestamp)")
        t2 = time.perf_counter()
        rows = con.execute(q, {"s": params["s"], "c": cut}).fetchall()
        overdue_secs = time.perf_counter() - t2
        overdue = {"unfinished": 0, "finished_late": 0, "units": {}}
        for kind, unit, n in rows:
            overdue[kind] += n
            overdue["units"][str(unit)] = overdue["units"].get(str(unit), 0) + n
        print(
            json.dumps(
                {
                    "period": period,
                    "query_secs": secs,
                    "facts": dict(zip(names, row)),
                    "overdue_secs": overdue_secs,
                    "overdue": overdue,
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
