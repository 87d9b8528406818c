#!/usr/bin/env python3
"""A local cluster of cchc (issue 26), started by one command, and its tests.

    scripts/cluster.py up [--nodes N]   primary + streaming replica (scripts/pg-replica.sh),
                                        pgbouncer in front of the primary, N `cchc serve`
                                        nodes (default 3), HAProxy in front of the nodes
    scripts/cluster.py down             stop everything
    scripts/cluster.py destroy          stop everything and delete its files
    scripts/cluster.py test             a fresh cluster, load through the balancer, one node
                                        killed mid-load; checks what must hold (below)
    scripts/cluster.py bench            requests/s through the balancer with 1, 2, 3 nodes

Layout (loopback only): HAProxy 127.0.0.1:8100 → nodes 8101–810N (health checks on
/healthz every 500 ms) → pgbouncer 127.0.0.1:6441 (session pooling) → PostgreSQL primary
5461; the nodes' heavy reads go to the replica 5462 (--read-database). Files, logs and
the portal's JSON lines under $CCHC_CLUSTER_DIR (default /tmp/cchc-cluster). The binary is
$CCHC_BIN, or target/release/cchc, or target/debug/cchc. Needs the Debian packages
postgresql, haproxy and pgbouncer (and wrk for bench); run as root or as a user that may
run PostgreSQL.

What `test` checks, after killing one node with SIGKILL while 8 clients work:
- no request lost beyond those in flight on the killed node: failures ≤ the clients, and
  every failure began before the balancer took the node out;
- the browser session made before the kill still works after it (sessions live in the
  database, not in a node);
- no portal message sent twice: every outbox row appears at most once in the JSON lines
  written by all nodes;
- no reminder sent twice and each hourly job ran once: no duplicate notification, every
  job lease taken once;
- no period frozen twice: three leaders closing the same period through the balancer at
  once get one success and two refusals.
"""

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ROOT = Path(os.environ.get("CCHC_CLUSTER_DIR", "/tmp/cchc-cluster"))
LB_PORT = 8100
NODE_PORT = 8100  # node i listens on NODE_PORT + i
BOUNCER_PORT = 6441
PRIMARY_PORT = 5461
REPLICA_PORT = 5462
DB = "cchc"
PASSWORD = "demo"
PG_ENV = {
    "CCHC_PG_DIR": str(ROOT / "pg"),
    "CCHC_PG_PRIMARY_PORT": str(PRIMARY_PORT),
    "CCHC_PG_REPLICA_PORT": str(REPLICA_PORT),
}


def log(*a):
    print("[cluster]", *a, flush=True)


def binary():
    if os.environ.get("CCHC_BIN"):
        return os.environ["CCHC_BIN"]
    for b in ("target/release/cchc", "target/debug/cchc"):
        if (REPO / b).exists():
            return str(REPO / b)
    sys.exit("no cchc binary: cargo build --release -p cchc (or set CCHC_BIN)")


def as_postgres(cmd):
    return (["runuser", "-u", "postgres", "--"] + cmd) if os.geteuid() == 0 else cmd


def psql(port, sql, db="postgres"):
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", db, "-qAtc", sql],
        check=True, capture_output=True, text=True)
    return out.stdout.strip()


def pg_replica(cmd):
    subprocess.run([str(REPO / "scripts/pg-replica.sh"), cmd], check=True,
                   env={**os.environ, **PG_ENV}, stdout=subprocess.DEVNULL)


def call(method, url, body=None, headers=None, opener=None, timeout=30):
    """(status, body text, headers); status 0 when the connection failed."""
    data = None
    h = dict(headers or {})
    if body is not None:
        if isinstance(body, dict) and h.get("Content-Type") == "application/x-www-form-urlencoded":
            data = urllib.parse.urlencode(body).encode()
        else:
            data = json.dumps(body).encode()
            h.setdefault("Content-Type", "application/json")
    req = urllib.request.Request(url, data=data, headers=h, method=method)
    op = opener or urllib.request.build_opener(NoRedirect)
    try:
        with op.open(req, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8", "replace"), r.headers
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace"), e.headers
    except Exception as e:  # refused, reset, timeout
        return 0, str(e), {}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


def wait_healthy(port, seconds):
    end = time.time() + seconds
    while time.time() < end:
        s, _, _ = call("GET", f"http://127.0.0.1:{port}/healthz", timeout=2)
        if s == 200:
            return True
        time.sleep(0.3)
    return False


def pid_alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


def read_pid(path):
    try:
        return int(Path(path).read_text().strip())
    except (OSError, ValueError):
        return None


# ---------------------------------------------------------------- the pieces


def start_pgbouncer():
    d = ROOT / "pgbouncer"
    d.mkdir(parents=True, exist_ok=True)
    (d / "users.txt").write_text('"postgres" ""\n')
    (d / "pgbouncer.ini").write_text(f"""[databases]
{DB} = host=127.0.0.1 port={PRIMARY_PORT} dbname={DB}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {BOUNCER_PORT}
unix_socket_dir =
auth_type = trust
auth_file = {d}/users.txt
; Session pooling: the nodes' driver (sqlx) prepares statements, which transaction
; pooling in pgbouncer 1.18 does not carry across server connections.
pool_mode = session
max_client_conn = 1000
default_pool_size = 60
; The driver's start-up options (jit = off is set on the server instead).
ignore_startup_parameters = extra_float_digits,options
logfile = {d}/pgbouncer.log
pidfile = {d}/pgbouncer.pid
""")
    if os.geteuid() == 0:
        shutil.chown(d, "postgres")
        for f in d.iterdir():
            shutil.chown(f, "postgres")
    pid = read_pid(d / "pgbouncer.pid")
    if pid and pid_alive(pid):
        return
    subprocess.run(as_postgres(["pgbouncer", "-d", str(d / "pgbouncer.ini")]), check=True)
    for _ in range(50):
        try:
            psql(BOUNCER_PORT, "select 1", db=DB)
            return
        except subprocess.CalledProcessError:
            time.sleep(0.2)
    sys.exit("pgbouncer did not answer")


def node_env(i):
    return {
        **os.environ,
        "CCHC_NODE_ID": f"node{i}",
        "CCHC_LISTEN": f"127.0.0.1:{NODE_PORT + i}",
        "CCHC_DATABASE_URL": f"postgres://postgres@127.0.0.1:{BOUNCER_PORT}/{DB}",
        "CCHC_READ_DATABASE_URL": f"postgres://postgres@127.0.0.1:{REPLICA_PORT}/{DB}",
        "CCHC_SYNC_DIR": str(ROOT / "sync"),
        "CCHC_SYNC_INTERVAL_SECS": "2",
        "CCHC_JOBS_INTERVAL_SECS": "5",
        "CCHC_TRUSTED_PROXIES": "127.0.0.1",
        "CCHC_LOG_FORMAT": "text",
        "RUST_LOG": os.environ.get("RUST_LOG", "warn"),
    }


def start_node(i, demo=False):
    pidf = ROOT / f"node{i}.pid"
    pid = read_pid(pidf)
    if pid and pid_alive(pid):
        return
    cmd = [binary(), "serve"] + (["--demo", "--demo-password", PASSWORD] if demo else [])
    out = open(ROOT / f"node{i}.log", "ab")
    p = subprocess.Popen(cmd, env=node_env(i), stdout=out, stderr=out, start_new_session=True)
    pidf.write_text(str(p.pid))


def stop_node(i, sig=signal.SIGTERM):
    pid = read_pid(ROOT / f"node{i}.pid")
    if pid and pid_alive(pid):
        os.kill(pid, sig)
        for _ in range(100):
            if not pid_alive(pid):
                break
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass
            time.sleep(0.1)
    (ROOT / f"node{i}.pid").unlink(missing_ok=True)


def start_haproxy(nodes):
    servers = "\n".join(
        f"    server node{i} 127.0.0.1:{NODE_PORT + i} check" for i in range(1, nodes + 1))
    cfg = ROOT / "haproxy.cfg"
    cfg.write_text(f"""global
    maxconn 4000
    pidfile {ROOT}/haproxy.pid

defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    # A request that could not reach a node (refused: the node is down and the health
    # check has not noticed yet) goes to another. Requests a node had received are not
    # replayed: a write may have been done.
    retries 3
    option redispatch 1
    retry-on conn-failure
    option forwardfor

frontend cchc
    bind 127.0.0.1:{LB_PORT}
    default_backend nodes

backend nodes
    balance roundrobin
    option httpchk GET /healthz
    http-check expect status 200
    default-server inter 500ms fall 1 rise 2
    http-response set-header X-Served-By %s
{servers}
""")
    pid = read_pid(ROOT / "haproxy.pid")
    if pid and pid_alive(pid):
        # Reload with the new list of servers.
        subprocess.run(["haproxy", "-f", str(cfg), "-D", "-sf", str(pid)], check=True)
    else:
        subprocess.run(["haproxy", "-f", str(cfg), "-D"], check=True)


def up(nodes=3):
    ROOT.mkdir(parents=True, exist_ok=True)
    (ROOT / "sync").mkdir(exist_ok=True)
    pg_replica("up")
    if psql(PRIMARY_PORT, f"select count(*) from pg_database where datname = '{DB}'") == "0":
        psql(PRIMARY_PORT, f"create database {DB}")
    start_pgbouncer()
    t = time.time()
    # The first node migrates and loads the demo province (once: an empty database).
    start_node(1, demo=True)
    if not wait_healthy(NODE_PORT + 1, 900):
        sys.exit(f"node1 did not start: see {ROOT}/node1.log")
    log(f"node1 ready in {time.time() - t:.0f} s (migrations, demo)")
    for i in range(2, nodes + 1):
        start_node(i)
    for i in range(2, nodes + 1):
        if not wait_healthy(NODE_PORT + i, 120):
            sys.exit(f"node{i} did not start: see {ROOT}/node{i}.log")
    start_haproxy(nodes)
    if not wait_healthy(LB_PORT, 30):
        sys.exit("the balancer does not answer")
    log(f"up: http://127.0.0.1:{LB_PORT} → {nodes} nodes; pgbouncer {BOUNCER_PORT} → primary "
        f"{PRIMARY_PORT}; replica {REPLICA_PORT}")


def down():
    for i in range(1, 10):
        stop_node(i)
    pid = read_pid(ROOT / "haproxy.pid")
    if pid and pid_alive(pid):
        os.kill(pid, signal.SIGTERM)
    pid = read_pid(ROOT / "pgbouncer" / "pgbouncer.pid")
    if pid and pid_alive(pid):
        os.kill(pid, signal.SIGTERM)
    if (ROOT / "pg").exists():
        pg_replica("down")


def destroy():
    down()
    if (ROOT / "pg").exists():
        pg_replica("destroy")
    shutil.rmtree(ROOT, ignore_errors=True)


# ---------------------------------------------------------------- sessions


def api_login(base, user):
    s, body, _ = call("POST", f"{base}/api/v1/auth/login", {"username": user, "password": PASSWORD})
    assert s == 200, f"login {user}: {s} {body[:200]}"
    return json.loads(body)["token"]


def browser_login(base, user):
    jar = http.cookiejar.CookieJar()
    op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    s, page, _ = call("GET", f"{base}/dang-nhap", opener=op)
    csrf = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
    s, _, _ = call("POST", f"{base}/dang-nhap",
                   {"_csrf": csrf, "username": user, "password": PASSWORD, "next": "/"},
                   headers={"Content-Type": "application/x-www-form-urlencoded"}, opener=op)
    assert s == 303, f"browser login {user}: {s}"
    return op


# ---------------------------------------------------------------- test


def test():
    destroy()
    try:
        return run_test()
    finally:
        down()


def run_test():
    up(3)
    base = f"http://127.0.0.1:{LB_PORT}"
    desk = api_login(base, "motcua.tinh")
    leader = browser_login(base, "vanphong")
    s, procs, _ = call("GET", f"{base}/api/v1/procedures?level=tinh&limit=500",
                       headers={"Authorization": f"Bearer {desk}"})
    proc = next(p["code"] for p in json.loads(procs)["items"] if p["limit_unit"] == "days")

    results = []  # (start, end, method, path, status, node)
    lock = threading.Lock()
    stop_at = time.time() + 24
    kill_at = time.time() + 8
    pages = ["/", "/ho-so", "/nhiem-vu", "/dieu-hanh", "/chi-so"]

    def worker(w):
        n = 0
        while time.time() < stop_at:
            n += 1
            t0 = time.time()
            if n % 5 == 0:
                s, body, h = call("POST", f"{base}/api/v1/dossiers",
                                  {"procedure": proc, "applicant_name": f"Người thử {w}-{n}",
                                   "applicant_phone": "0900000000"},
                                  headers={"Authorization": f"Bearer {desk}"})
                method, path, ok = "POST", "/api/v1/dossiers", s == 201
            elif w == 0:
                # The browser session of before the kill.
                path = pages[n % len(pages)]
                s, body, h = call("GET", base + path, opener=leader)
                method, ok = "GET", s == 200
            else:
                path = "/api/v1/dossiers?limit=20"
                s, body, h = call("GET", base + path, headers={"Authorization": f"Bearer {desk}"})
                method, ok = "GET", s == 200
            with lock:
                results.append((t0, time.time(), method, path, s, h.get("X-Served-By", "") if h else "", ok))

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    time.sleep(max(0, kill_at - time.time()))
    killed_at = time.time()
    stop_node(2, signal.SIGKILL)
    log("node2 killed (SIGKILL)")
    # Three leaders close the same period through the balancer at once.
    closed = psql(PRIMARY_PORT, "select period from report_period_close where template_code = 'TTHC-THANG'", db=DB).split()
    today = time.strftime("%Y-%m")
    period = next(f"{y}-{m:02d}" for y in (2026, 2025) for m in range(1, 13)
                  if f"{y}-{m:02d}" not in closed and f"{y}-{m:02d}" <= today)
    tokens = [api_login(base, "vanphong") for _ in range(3)]
    answers = []

    def close(tok):
        s, body, _ = call("POST", f"{base}/api/v1/reports/periods/close",
                          {"template": "TTHC-THANG", "period": period},
                          headers={"Authorization": f"Bearer {tok}"}, timeout=120)
        answers.append(s)

    cl = [threading.Thread(target=close, args=(t,)) for t in tokens]
    for t in cl:
        t.start()
    for t in cl + threads:
        t.join()
    # Let the surviving nodes deliver the outbox and run their jobs.
    time.sleep(8)

    failures = [r for r in results if not r[6]]
    by_node = {}
    for r in results:
        by_node[r[5]] = by_node.get(r[5], 0) + 1
    # The balancer notices a dead node within one check (500 ms) plus the check's time.
    late = [r for r in failures if r[0] > killed_at + 2.0]
    session_after = [r for r in results if r[2] == "GET" and r[3] in pages and r[0] > killed_at + 2.0]
    session_ok = session_after and all(r[4] == 200 for r in session_after)
    lines = []
    for f in (ROOT / "sync").glob("*.jsonl"):
        lines += [json.loads(x)["outbox_id"] for x in f.read_text().splitlines() if x.strip()]
    dup_sync = len(lines) - len(set(lines))
    dup_notes = int(psql(PRIMARY_PORT, "select count(*) from (select 1 from notification group by user_id, "
                         "coalesce(task_id, 0), coalesce(dossier_id, 0), rule having count(*) > 1) d", db=DB))
    leases = psql(PRIMARY_PORT, "select name || '=' || runs from job_lease order by name", db=DB).split()
    leases_once = all(x.endswith("=1") for x in leases) and len(leases) >= 6
    frozen = int(psql(PRIMARY_PORT, f"select count(*) from report_period_close where template_code = 'TTHC-THANG' "
                      f"and period = '{period}'", db=DB))
    summary = {
        "requests": len(results),
        "by_node": by_node,
        "failures": len(failures),
        "failures_after_detection": len(late),
        "failure_statuses": sorted({r[4] for r in failures}),
        "session_pages_after_kill": len(session_after),
        "session_survived": bool(session_ok),
        "portal_rows_written": len(lines),
        "portal_rows_written_twice": dup_sync,
        "duplicate_notifications": dup_notes,
        "job_leases": leases,
        "close_answers": sorted(answers),
        "period_closings": frozen,
    }
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    checks = {
        "no request lost beyond those in flight on the killed node": len(failures) <= 8 and not late,
        "the session survives": bool(session_ok),
        "no portal message sent twice": dup_sync == 0 and len(lines) > 0,
        "no reminder sent twice": dup_notes == 0,
        "each job ran once": leases_once,
        "no period frozen twice": frozen == 1 and sorted(answers) == [200, 409, 409],
        "the killed node served before the kill": by_node.get("node2", 0) > 0,
    }
    for k, v in checks.items():
        log(("PASS " if v else "FAIL ") + k)
    return 0 if all(checks.values()) else 1


# ---------------------------------------------------------------- bench


def wrk(url, token, seconds):
    out = subprocess.run(["wrk", "-t2", "-c32", f"-d{seconds}s", "-H", f"Authorization: Bearer {token}", url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = re.search(r"Latency\s+([\d.]+\w+)", out).group(1)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, lat, int(non2xx.group(1)) if non2xx else 0


def bench():
    if not (ROOT / "node1.pid").exists():
        up(3)
    base = f"http://127.0.0.1:{LB_PORT}"
    token = api_login(base, "admin")
    seconds = int(os.environ.get("CCHC_BENCH_SECONDS", "15"))
    rows = []
    path = "/api/v1/dossiers?limit=20"
    direct = f"http://127.0.0.1:{NODE_PORT + 1}{path}"
    # Warm-up (caches, the replica's pages), not counted; then the baseline of the same
    # run: one node directly, without the balancer, measured first and again last.
    wrk(direct, token, 5)
    rps, lat, bad = wrk(direct, token, seconds)
    rows.append(("1 node, direct (no balancer)", rps, lat, bad))
    for n in (1, 2, 3):
        for i in range(1, 4):
            (start_node(i) if i <= n else stop_node(i))
        for i in range(1, n + 1):
            wait_healthy(NODE_PORT + i, 60)
        start_haproxy(n)
        time.sleep(2)
        rps, lat, bad = wrk(base + path, token, seconds)
        rows.append((f"{n} node(s) via HAProxy", rps, lat, bad))
    rps, lat, bad = wrk(direct, token, seconds)
    rows.append(("1 node, direct, again", rps, lat, bad))
    print(f"\nGET {path} (admin: the whole province), wrk -t2 -c32 -d{seconds}s, {os.cpu_count()} cores")
    print(f"{'setup':32} {'req/s':>8} {'mean latency':>13} {'non-2xx':>8}")
    for name, rps, lat, bad in rows:
        print(f"{name:32} {rps:8.0f} {lat:>13} {bad:8d}")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=["up", "down", "destroy", "test", "bench"])
    ap.add_argument("--nodes", type=int, default=3)
    a = ap.parse_args()
    if a.command == "up":
        up(a.nodes)
    elif a.command == "down":
        down()
    elif a.command == "destroy":
        destroy()
    elif a.command == "test":
        sys.exit(test())
    elif a.command == "bench":
        sys.exit(bench())


if __name__ == "__main__":
    main()
