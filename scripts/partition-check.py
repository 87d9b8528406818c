#!/usr/bin/env python3
"""Partitioning of the large tables by province and by year, tested on generated data
(issue 26, docs/scale.md §3).

    scripts/partition-check.py [--url postgres://postgres@127.0.0.1:5461/cchc] [--provinces 3]

On a PostgreSQL database that holds the demo province (e.g. the one `scripts/cluster.py up`
loads), builds in schema `part` the planned layout — `dossier` and `agg_unit_month`
partitioned by `province_id` (list) then by year (range on `created_at` / `month`),
with the same indexes as the live tables — and fills it with the demo province copied
as N provinces (ids moved apart). Then it asks PostgreSQL for the plans of the queries of
the overdue list (the open dossiers due before the cut, and the ended ones late from the
period's start: `store::overdue::candidates`) and of the 766 page (the month sums of
`store::agg`), each with the `province_id` condition the store would add, and checks:

- every plan reads only the partitions of the asked province (pruning by province), and
  the 766 sums only the asked year's partition;
- each query returns the same rows as on the live, unpartitioned table (the copy of
  province 1 is the live data);

and prints the partitions read and the times beside the unpartitioned table's, measured in
the same run. Exit 1 when a check fails. The live tables are not touched.
"""

import argparse
import json
import re
import subprocess
import sys
import time

YEARS = range(2019, 2031)


def psql(url, sql):
    r = subprocess.run(["psql", url, "-qAtX", "-v", "ON_ERROR_STOP=1", "-c", sql],
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"psql failed: {r.stderr.strip()}\n{sql[:400]}")
    return r.stdout.strip()


def build(url, provinces):
    cols = psql(url, "select string_agg(column_name, ', ' order by ordinal_position) from information_schema.columns "
                     "where table_schema = 'public' and table_name = 'dossier'")
    month_cols = psql(url, "select string_agg(column_name, ', ' order by ordinal_position) from information_schema.columns "
                           "where table_schema = 'public' and table_name = 'agg_unit_month'")
    idx = psql(url, "select string_agg(indexdef, E'\\n') from pg_indexes where schemaname = 'public' "
                    "and tablename = 'dossier' and indexdef not like 'CREATE UNIQUE%'").splitlines()
    stmts = ["drop schema if exists part cascade", "create schema part",
             "create table part.dossier (like public.dossier including defaults, province_id int not null) "
             "partition by list (province_id)",
             "create table part.agg_unit_month (like public.agg_unit_month including defaults, province_id int not null) "
             "partition by list (province_id)"]
    for p in range(1, provinces + 1):
        stmts.append(f"create table part.dossier_p{p} partition of part.dossier for values in ({p}) "
                     f"partition by range (created_at)")
        stmts.append(f"create table part.agg_unit_month_p{p} partition of part.agg_unit_month for values in ({p}) "
                     f"partition by range (month)")
        for y in YEARS:
            stmts.append(f"create table part.dossier_p{p}_y{y} partition of part.dossier_p{p} "
                         f"for values from ('{y}-01-01') to ('{y + 1}-01-01')")
            stmts.append(f"create table part.agg_unit_month_p{p}_y{y} partition of part.agg_unit_month_p{p} "
                         f"for values from ('{y}-01-01') to ('{y + 1}-01-01')")
    # The live indexes, on the partitioned table (PostgreSQL creates them on every
    # partition); unique keys must hold the partition key: (province_id, id), (province_id, code).
    for d in idx:
        d = re.sub(r"CREATE INDEX (\w+) ON public\.dossier", r"CREATE INDEX part_\1 ON part.dossier", d)
        stmts.append(d)
    stmts += [
        "create unique index part_dossier_pkey on part.dossier (province_id, id, created_at)",
        "create unique index part_agg_month_pkey on part.agg_unit_month (province_id, unit_id, month)",
    ]
    offset = 100_000_000
    for p in range(1, provinces + 1):
        shift = (p - 1) * offset
        sel = cols.replace("id, ", f"id + {shift}, ", 1) if cols.startswith("id, ") else cols
        stmts.append(f"insert into part.dossier ({cols}, province_id) select {sel}, {p} from public.dossier")
        stmts.append(f"insert into part.agg_unit_month ({month_cols}, province_id) "
                     f"select {month_cols.replace('unit_id', f'unit_id + {shift}', 1)}, {p} from public.agg_unit_month")
    stmts.append("analyze part.dossier")
    stmts.append("analyze part.agg_unit_month")
    t = time.time()
    psql(url, ";\n".join(stmts))
    return time.time() - t


def partitions_read(plan):
    names = set()

    def walk(n):
        if "Relation Name" in n:
            names.add(n["Relation Name"])
        for c in n.get("Plans", []):
            walk(c)
    walk(plan["Plan"])
    return names


def explain(url, sql):
    out = psql(url, f"explain (analyze, format json, timing off) {sql}")
    plan = json.loads(out)[0]
    return plan, plan["Execution Time"]


def rows(url, sql):
    return psql(url, f"select md5(string_agg(t::text, ',' order by t::text)), count(*) from ({sql}) t")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", default="postgres://postgres@127.0.0.1:5461/cchc")
    ap.add_argument("--provinces", type=int, default=3)
    a = ap.parse_args()
    url = a.url
    n = int(psql(url, "select count(*) from public.dossier"))
    secs = build(url, a.provinces)
    total = int(psql(url, "select count(*) from part.dossier"))
    print(f"built part.dossier: {total:,} rows ({a.provinces} provinces × {n:,}), "
          f"{len(YEARS)} years each, in {secs:.1f} s")
    cut = psql(url, "select to_char(max(received_at), 'YYYY-MM-DD') from public.dossier")
    year = cut[:4]
    start = f"{year}-{cut[5:7]}-01"
    # The overdue list's two parts (store::overdue: OPEN and ENDED), province 2 (not the
    # live copy: its ids are moved), then the 766 page's month sums for the cut's year.
    open_q = ("select h.id, h.code, h.status, h.due_at from {t} h "
              "where h.status in (1, 2, 4, 5, 6) and h.due_at < '{cut}' {p}")
    ended_q = ("select id from {t} where finished_at > due_at and finished_at >= '{start}' and due_at < '{cut}' {p} "
               "union select id from {t} where stopped_at > due_at and stopped_at >= '{cut}' and due_at < '{cut}' {p} "
               "union select id from {t} where withdrawn_at > due_at and withdrawn_at >= '{cut}' and due_at < '{cut}' {p}")
    month_q = ("select x.month, sum(x.received) as received, sum(x.synced) as synced from {t} x "
               "where x.month >= '{year}-01-01' and x.month <= '{year}-12-01' {p} group by x.month")
    checks = []
    print(f"\n{'query':34} {'partitions read':>16} {'partitioned':>12} {'live table':>11}")
    for name, q, table, live, prov, expect in [
        ("overdue list: open, due < cut", open_q, "part.dossier", "public.dossier", 2, r"^dossier_p2_y\d+$"),
        ("overdue list: ended late", ended_q, "part.dossier", "public.dossier", 2, r"^dossier_p2_y\d+$"),
        ("766 page: month sums of a year", month_q, "part.agg_unit_month", "public.agg_unit_month", 2,
         rf"^agg_unit_month_p2_y{year}$"),
    ]:
        cond = f"and province_id = {prov}"
        part_sql = q.format(t=table, cut=cut, start=start, year=year, p=cond)
        live_sql = q.format(t=live, cut=cut, start=start, year=year, p="")
        plan, ms = explain(url, part_sql)
        _, live_ms = explain(url, live_sql)
        read = partitions_read(plan)
        ok_prune = bool(read) and all(re.match(expect, r) for r in read)
        # Same answer as the live table: province 1 is the live data itself.
        p1_sql = q.format(t=table, cut=cut, start=start, year=year, p="and province_id = 1")
        same = rows(url, p1_sql) == rows(url, live_sql)
        print(f"{name:34} {len(read):>16} {ms:>10.1f} ms {live_ms:>8.1f} ms")
        print(f"    read: {', '.join(sorted(read))}")
        checks.append((f"{name}: only province {prov}'s partitions" + (" of the year" if "766" in name else ""), ok_prune))
        checks.append((f"{name}: same rows as the live table", same))
    print()
    for c, ok in checks:
        print(("PASS " if ok else "FAIL ") + c)
    psql(url, "drop schema part cascade")
    sys.exit(0 if all(ok for _, ok in checks) else 1)


if __name__ == "__main__":
    main()
