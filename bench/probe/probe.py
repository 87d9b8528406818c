#!/usr/bin/env python3
"""Outside-in probe of a release `cchc` (issue 20): what a tester with loopback access
finds, as figures.

  python3 bench/probe/probe.py --binary target/release/cchc --workdir /tmp/probe

Stages (each prints its figures; the run fails with exit 1 on any leak, 5xx or loss):
  reads   every scoped demo account reads a sample of every other unit's dossiers, tasks,
          users, directives and reports, over the API and as pages; anything it may not
          list must answer 403/404 (a 200 is a leak);
  writes  the same accounts try to act on other units' dossiers, tasks and users; every
          try must be refused and nothing may change;
  bombs   hostile files and bodies at every upload endpoint (sparse and deflate-bomb
          workbooks, DOCX bombs, deep XML, oversized JSON and multipart, a slow-to-parse
          text); each must be refused with a 4xx quickly while the server stays up, and the
          peak memory of the server is reported;
  lookup  brute force of the public dossier look-up;
  crash   `kill -9` of the server under concurrent intake writers, then a restart: every
          dossier the server acknowledged (201) must be there.

Only the standard library is used. The demo database is generated once in --workdir and
copied for each stage that writes.
"""

import argparse
import concurrent.futures as cf
import http.cookiejar
import io
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile

PASSWORD = "demo"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, binary, db_path, demo=False):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ)
        env["CCHC_DATABASE_URL"] = f"sqlite://{db_path}?mode=rwc"
        env["CCHC_LISTEN"] = f"127.0.0.1:{self.port}"
        env.setdefault("RUST_LOG", "warn")
        args = [binary, "serve"] + (["--demo"] if demo else [])
        self.log = open(db_path + ".log", "ab")
        self.proc = subprocess.Popen(args, env=env, stdout=self.log, stderr=self.log)
        deadline = time.time() + 600
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"server exited with {self.proc.returncode}, see {db_path}.log")
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        return
            except Exception:
                time.sleep(0.3)
        raise SystemExit("server did not start")

    def rss_peak_mb(self):
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            return None
        return None

    def alive(self):
        try:
            with urllib.request.urlopen(self.base + "/healthz", timeout=5) as r:
                return r.status == 200
        except Exception:
            return False

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


def request(base, method, path, token=None, body=None, headers=None, opener=None, timeout=120):
    """(status, bytes, headers); never raises on HTTP errors."""
    h = dict(headers or {})
    data = None
    if body is not None:
        if isinstance(body, (bytes, bytearray)):
            data = bytes(body)
        else:
            data = json.dumps(body).encode()
            h.setdefault("Content-Type", "application/json")
    if token:
        h["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(base + path, data=data, method=method, headers=h)
    op = opener or urllib.request.build_opener(NoRedirect)
    try:
        with op.open(req, timeout=timeout) as r:
            return r.status, r.read(), r.headers
    except urllib.error.HTTPError as e:
        return e.code, e.read(), e.headers
    except (urllib.error.URLError, ConnectionError, TimeoutError, socket.timeout) as e:
        return 0, str(e).encode(), {}


def jget(base, path, token):
    s, b, _ = request(base, "GET", path, token)
    return s, (json.loads(b) if b and b[:1] in b"{[" else None)


def login(base, user, password=PASSWORD):
    s, b, _ = request(base, "POST", "/api/v1/auth/login", body={"username": user, "password": password})
    if s != 200:
        raise SystemExit(f"login {user}: {s} {b[:200]!r}")
    return json.loads(b)["token"]


def browser(base, user):
    """A cookie session through the login page; returns (opener, csrf)."""
    jar = http.cookiejar.CookieJar()
    op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    _, page, _ = request(base, "GET", "/dang-nhap", opener=op)
    csrf = re.search(rb'name="_csrf" value="([^"]+)"', page).group(1).decode()
    form = urllib.parse.urlencode({"_csrf": csrf, "username": user, "password": PASSWORD, "next": "/"})
    s, _, _ = request(base, "POST", "/dang-nhap", body=form.encode(), opener=op,
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    if s != 303:
        raise SystemExit(f"browser login {user}: {s}")
    _, home, _ = request(base, "GET", "/", opener=op)
    csrf = re.search(rb'name="_csrf" value="([^"]+)"', home)
    csrf = csrf.group(1).decode() if csrf else ""
    m = re.search(rb'name="csrf-token" content="([^"]+)"', home)
    if m:
        csrf = m.group(1).decode()
    return op, csrf


def all_ids(base, token, collection, cap=50_000):
    ids, offset = [], 0
    while offset < cap:
        s, v = jget(base, f"/api/v1/{collection}?limit=500&offset={offset}", token)
        if s != 200 or not v:
            break
        items = v.get("items", [])
        ids += [i["id"] for i in items if "id" in i]
        if len(items) < 500:
            break
        offset += 500
    return ids


def demo_users(repo):
    import csv
    with open(os.path.join(repo, "data", "demo", "users.csv"), encoding="utf-8") as f:
        return [r["username"] for r in csv.DictReader(f)]


def scoped_users(base, users):
    """The demo accounts whose scope is a unit's subtree (not the whole province)."""
    out = []
    for u in users:
        s, b, _ = request(base, "POST", "/api/v1/auth/login", body={"username": u, "password": PASSWORD})
        if s == 200 and json.loads(b)["user"]["scope"] == "subtree":
            out.append(u)
    return out


# ---------------------------------------------------------------- reads and writes

COLLECTIONS = {
    "dossiers": "/ho-so/{}",
    "tasks": "/nhiem-vu/{}",
    "users": "/nguoi-dung/{}",
    "directives": "/van-ban/{}",
    "reports": "/bao-cao/{}",
}


def stage_reads(base, users, sample, workers):
    admin = login(base, "admin")
    universe = {c: all_ids(base, admin, c) for c in COLLECTIONS}
    rnd = random.Random(20)
    picks = {c: rnd.sample(ids, min(sample, len(ids))) for c, ids in universe.items()}
    scoped = scoped_users(base, users)
    tokens = {u: login(base, u) for u in scoped}
    browsers = {u: browser(base, u)[0] for u in scoped}
    reads = leaks = errors = denied = allowed = 0
    lock = threading.Lock()
    findings = []

    def one(u, c, i, visible):
        nonlocal reads, leaks, errors, denied, allowed
        s_api, _, _ = request(base, "GET", f"/api/v1/{c}/{i}", tokens[u])
        s_page, _, _ = request(base, "GET", COLLECTIONS[c].format(i), opener=browsers[u])
        with lock:
            for where, s in (("api", s_api), ("page", s_page)):
                reads += 1
                if s >= 500 or s == 0:
                    errors += 1
                    findings.append(f"{u} {where} {c}/{i}: {s}")
                elif s == 200 and i not in visible:
                    leaks += 1
                    findings.append(f"LEAK {u} {where} {c}/{i}")
                elif s == 200:
                    allowed += 1
                elif s in (403, 404):
                    denied += 1

    with cf.ThreadPoolExecutor(workers) as ex:
        futs = []
        for u in scoped:
            for c in COLLECTIONS:
                visible = set(all_ids(base, tokens[u], c))
                for i in picks[c]:
                    futs.append(ex.submit(one, u, c, i, visible))
        for f in futs:
            f.result()
    print(f"reads: {reads} cross-unit reads by {len(scoped)} scoped accounts over "
          f"{sum(len(p) for p in picks.values())} objects (API + pages): {allowed} within scope, "
          f"{denied} refused (403/404), {leaks} leaks, {errors} server errors")
    for f in findings[:20]:
        print("   ", f)
    return leaks + errors


def stage_writes(base, users, per_user):
    admin = login(base, "admin")
    scoped = scoped_users(base, users)
    rnd = random.Random(21)
    tries = refused = accepted = errors = 0
    changed = []
    for u in scoped:
        t = login(base, u)
        for c, path, body in (
            ("dossiers", "/api/v1/dossiers/{}/events", {"event": "assign"}),
            ("tasks", "/api/v1/tasks/{}/reports", {"percent": 100, "note": "Đã xong"}),
            ("users", "/api/v1/users/{}/deactivate", {}),
        ):
            visible = set(all_ids(base, t, c))
            others = [i for i in all_ids(base, admin, c, cap=5_000) if i not in visible]
            for i in rnd.sample(others, min(per_user, len(others))):
                _, before = jget(base, f"/api/v1/{c}/{i}", admin)
                s, _, _ = request(base, "POST", path.format(i), t, body=body)
                _, after = jget(base, f"/api/v1/{c}/{i}", admin)
                tries += 1
                if s >= 500 or s == 0:
                    errors += 1
                elif s in (401, 403, 404):
                    refused += 1
                else:
                    accepted += 1
                    changed.append(f"{u} {c}/{i}: {s}")
                if before != after:
                    changed.append(f"{u} changed {c}/{i}")
    print(f"writes: {tries} cross-unit writes: {refused} refused, {accepted} accepted, "
          f"{errors} server errors, {len(changed)} objects changed")
    for c in changed[:20]:
        print("   ", c)
    return accepted + errors + len(changed)


# ---------------------------------------------------------------- hostile files

def xlsx(sheet_xml, dimension=None):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                   '</Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                   '</Relationships>')
        z.writestr("xl/workbook.xml",
                   '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                   '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                   '</Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return buf.getvalue()


SHEET_HEAD = '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def sparse_xlsx():
    return xlsx(SHEET_HEAD + '<dimension ref="A1:XFD1048576"/><sheetData>'
                '<row r="1"><c r="A1" t="inlineStr"><is><t>Mã TTHC</t></is></c></row>'
                '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
                '</sheetData></worksheet>')


def bomb_xlsx(mb):
    row = '<row><c t="inlineStr"><is><t>' + "A" * 1000 + "</t></is></c></row>"
    n = mb * 1024 * 1024 // len(row)
    return xlsx(SHEET_HEAD + "<sheetData>" + row * n + "</sheetData></worksheet>")


def docx(document_xml):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="xml" ContentType="application/xml"/></Types>')
        z.writestr("word/document.xml", document_xml)
    return buf.getvalue()


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def bomb_docx(mb):
    para = "<w:p><w:r><w:t>" + "Giao Sở Nội vụ chủ trì " * 40 + "</w:t></w:r></w:p>"
    n = mb * 1024 * 1024 // len(para.encode())
    return docx(f"<w:document {W}><w:body>" + para * n + "</w:body></w:document>")


def deep_docx(depth):
    return docx(f"<w:document {W}><w:body>" + "<w:p>" * depth + "x" + "</w:p>" * depth + "</w:body></w:document>")


def multipart(fields, files):
    boundary = "----cchcprobe" + str(random.randrange(10**9))
    out = io.BytesIO()
    for k, v in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode())
    for k, (name, data, ctype) in files.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"; filename="{name}"\r\n'
                  f"Content-Type: {ctype}\r\n\r\n".encode())
        out.write(data)
        out.write(b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def stage_bombs(server):
    base = server.base
    admin = login(base, "admin")
    op, csrf = browser(base, "sonoivu")
    aop, acsrf = browser(base, "admin")
    _, dirs = jget(base, "/api/v1/directives?limit=1", admin)
    did = dirs["items"][0]["id"]
    long_text = ("Giao Sở Nội vụ chủ trì, phối hợp các sở, ngành thực hiện nhiệm vụ; "
                 "hoàn thành trước ngày 30/8/2023. ") * 40_000
    files = [
        ("sparse workbook A1+XFD1048576", sparse_xlsx(), "x.xlsx", XLSX_TYPE),
        ("XLSX deflate bomb 120 MB", bomb_xlsx(120), "x.xlsx", XLSX_TYPE),
        ("DOCX deflate bomb 200 MB", bomb_docx(200), "x.docx", DOCX_TYPE),
        ("DOCX nested 100,000 deep", deep_docx(100_000), "x.docx", DOCX_TYPE),
        ("text 4 MB one paragraph", long_text.encode(), "x.txt", "text/plain"),
    ]
    targets = [
        ("POST /api/v1/procedures/import", lambda name, data, ctype: request(
            base, "POST", "/api/v1/procedures/import", admin, body=data, headers={"Content-Type": XLSX_TYPE})),
        ("POST /thu-tuc/nhap", lambda name, data, ctype: page_upload(base, aop, acsrf, "/thu-tuc/nhap", name, data, ctype)),
        ("POST /van-ban/nhap", lambda name, data, ctype: page_upload(base, op, csrf, "/van-ban/nhap", name, data, ctype)),
        (f"POST /van-ban/{did}/nhap-bang", lambda name, data, ctype: page_upload(
            base, op, csrf, f"/van-ban/{did}/nhap-bang", name, data, ctype)),
    ]
    tried = refused = errors = accepted = 0
    worst = 0.0
    for label, data, name, ctype in files:
        for tlabel, send in targets:
            t = time.time()
            s, body, _ = send(name, data, ctype)
            dt = time.time() - t
            worst = max(worst, dt)
            tried += 1
            up = server.alive()
            kind = "refused" if 400 <= s < 500 else ("ERROR" if s >= 500 or s == 0 else "accepted")
            if kind == "refused":
                refused += 1
            elif kind == "ERROR":
                errors += 1
            else:
                accepted += 1
            if not up:
                errors += 1
            msg = ""
            m = re.search(rb'"message":"([^"]+)"', body) or re.search(rb'class="alert"[^>]*>([^<]+)<', body)
            if m:
                msg = m.group(1).decode(errors="replace")[:90]
            print(f"   {label:32} → {tlabel:28} {s} in {dt:5.1f} s, {len(data)/1e6:5.2f} MB sent, "
                  f"peak {server.rss_peak_mb():4.0f} MB{'' if up else ', SERVER DOWN'}  {msg}")
            if not up:
                return errors
    # Oversized bodies: a JSON body over its 2 MB, and a multipart body announcing 160 MB
    # (the server must answer 413 from the headers and the first megabytes, not read it all).
    s1, _, _ = request(base, "POST", "/api/v1/directives", admin,
                       body={"number": "1/2026", "subject": "x" * (3 * 1024 * 1024)})
    s2 = oversized_upload(server.port, f"/api/v1/directives/{did}/files", admin, 160 * 1024 * 1024)
    for s in (s1, s2):
        tried += 1
        if 400 <= s < 500:
            refused += 1
        else:
            errors += 1
    print(f"bombs: {tried} hostile uploads: {refused} refused with 4xx, {accepted} accepted "
          f"(harmless once limited), {errors} server errors or outages; slowest answer {worst:.1f} s; "
          f"server peak memory {server.rss_peak_mb():.0f} MB; oversized JSON {s1}, multipart announcing 160 MB {s2}")
    return errors


def oversized_upload(port, path, token, announced):
    """Sends the headers of a multipart body of `announced` bytes and its first 4 MB, then
    reads the answer: the status, or 0 when none came within 30 s."""
    boundary = "----cchcprobe"
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {announced}\r\n\r\n"
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="big.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head)
        try:
            for _ in range(4):
                sock.sendall(b"%" * (1024 * 1024))
        except OSError:
            pass  # the server may answer and close before taking it all
        try:
            line = sock.recv(64).split(b"\r\n")[0]
            return int(line.split()[1])
        except (OSError, IndexError, ValueError):
            return 0


def page_upload(base, op, csrf, path, name, data, ctype):
    body, ct = multipart({"_csrf": csrf}, {"file": (name, data, ctype)})
    return request(base, "POST", path, body=body, opener=op, headers={"Content-Type": ct, "X-CSRF-Token": csrf})


# ---------------------------------------------------------------- public look-up

def stage_lookup(base):
    admin = login(base, "admin")
    _, v = jget(base, "/api/v1/dossiers?limit=1", admin)
    code = v["items"][0]["code"]
    statuses = {}
    for k in range(200):
        q = urllib.parse.urlencode({"ma": code, "so": f"{k:04d}"})
        s, _, _ = request(base, "GET", f"/tra-cuu?{q}")
        statuses[s] = statuses.get(s, 0) + 1
    print(f"lookup: 200 guesses at one dossier code from one address: {statuses} "
          f"(429 = refused by the throttle)")
    return statuses.get(500, 0)


# ---------------------------------------------------------------- kill -9

def stage_crash(binary, db_path, runs, writers, seconds):
    lost_total = acked_total = 0
    for run in range(runs):
        server = Server(binary, db_path)
        base = server.base
        tokens = [login(base, "motcua.tinh")]
        _, procs = jget(base, "/api/v1/procedures?limit=200", tokens[0])
        code = None
        for p in procs["items"]:
            s, _, _ = request(base, "POST", "/api/v1/dossiers", tokens[0],
                              body={"procedure": p["code"], "applicant_name": "Người thử", "applicant_phone": "0912345678"})
            if s == 201:
                code = p["code"]
                break
        if code is None:
            raise SystemExit("no procedure the province desk can receive")
        acked = []
        lock = threading.Lock()
        stop = threading.Event()

        def writer(w):
            k = 0
            while not stop.is_set():
                k += 1
                s, b, _ = request(base, "POST", "/api/v1/dossiers", tokens[0], timeout=10,
                                  body={"procedure": code, "applicant_name": f"Người nộp {run}-{w}-{k}",
                                        "applicant_phone": "0912345678"})
                if s == 201:
                    with lock:
                        acked.append(json.loads(b)["id"])

        threads = [threading.Thread(target=writer, args=(w,)) for w in range(writers)]
        for t in threads:
            t.start()
        time.sleep(seconds * (0.6 + 0.8 * random.random()))
        server.kill9()
        stop.set()
        for t in threads:
            t.join()
        server = Server(binary, db_path)
        admin = login(server.base, "admin")
        lost = 0
        with cf.ThreadPoolExecutor(8) as ex:
            for s in ex.map(lambda i: request(server.base, "GET", f"/api/v1/dossiers/{i}", admin)[0], acked):
                if s != 200:
                    lost += 1
        server.stop()
        print(f"   kill -9 run {run + 1}: {len(acked)} acknowledged intakes by {writers} writers, {lost} lost")
        lost_total += lost
        acked_total += len(acked)
    print(f"crash: {runs} kill -9 runs, {acked_total} acknowledged writes, {lost_total} lost")
    return lost_total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default="target/release/cchc")
    ap.add_argument("--workdir", default="/tmp/cchc-probe")
    ap.add_argument("--stages", default="reads,writes,bombs,lookup,crash")
    ap.add_argument("--sample", type=int, default=150, help="objects sampled per collection")
    ap.add_argument("--writes-per-user", type=int, default=4)
    ap.add_argument("--workers", type=int, default=16)
    ap.add_argument("--kill-runs", type=int, default=5)
    ap.add_argument("--writers", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=8.0)
    a = ap.parse_args()
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    binary = os.path.abspath(a.binary)
    os.makedirs(a.workdir, exist_ok=True)
    golden = os.path.join(a.workdir, "demo.db")
    if not os.path.exists(golden):
        t = time.time()
        s = Server(binary, golden, demo=True)
        s.stop()
        print(f"demo database generated in {time.time() - t:.0f} s")
    stages = a.stages.split(",")
    users = demo_users(repo)
    bad = 0

    def copy(name):
        p = os.path.join(a.workdir, name)
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(p + suffix):
                os.remove(p + suffix)
        shutil.copy(golden, p)
        return p

    if {"reads", "writes", "bombs", "lookup"} & set(stages):
        server = Server(binary, copy("probe.db"))
        try:
            if "reads" in stages:
                bad += stage_reads(server.base, users, a.sample, a.workers)
            if "writes" in stages:
                bad += stage_writes(server.base, users, a.writes_per_user)
            if "lookup" in stages:
                bad += stage_lookup(server.base)
            if "bombs" in stages:
                bad += stage_bombs(server)
        finally:
            server.stop()
    if "crash" in stages:
        bad += stage_crash(binary, copy("crash.db"), a.kill_runs, a.writers, a.seconds)
    print("probe:", "FAILED" if bad else "passed", f"({bad} problems)")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
