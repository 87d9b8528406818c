'use strict';
// The app under test: `cchc serve --demo` on a free loopback port, with a fresh SQLite
// file in a temporary folder (and run from that folder, so that no cchc.toml of the
// checkout is read and nothing is written beside it).
//
// Loading the demo province takes a minute or more on 2 cores, so `run.js` loads it once
// into a template database (E2E_TEMPLATE_DB) and every test file serves its own copy of
// it: each file starts from the same clean demo and may change it as it likes. A test
// file run on its own without E2E_TEMPLATE_DB loads the demo itself (slower).

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..', '..');

/** The binary under test: $CCHC_BIN, else target/debug/cchc of the checkout. */
function binPath() {
  const bin = process.env.CCHC_BIN || path.join(process.env.CARGO_TARGET_DIR || path.join(REPO, 'target'), 'debug', 'cchc');
  if (!fs.existsSync(bin)) {
    throw new Error(`the cchc binary is missing: ${bin} (build it with \`cargo build -p cchc\`, or set CCHC_BIN)`);
  }
  return bin;
}

/** A loopback port nobody listens on right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A test process that dies or is interrupted must not leave its servers behind.
const live = new Map(); // child process → its temporary folder
function killAll() {
  for (const [child, dir] of live) {
    try { child.kill('SIGKILL'); } catch { /* already gone */ }
    try { fs.rmSync(dir, { recursive: true, force: true }); } catch { /* best effort */ }
  }
}
process.on('exit', killAll);
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
function onSignal(sig) {
  killAll();
  // Then the signal's usual effect, unless someone else handles it (run.js forwards it).
  if (process.listenerCount(sig) === 1) {
    process.removeListener(sig, onSignal);
    process.kill(process.pid, sig);
  }
}
function track(child, dir) {
  if (live.size === 0) for (const sig of SIGNALS) process.on(sig, onSignal);
  live.set(child, dir);
  child.on('exit', () => {
    live.delete(child);
    if (live.size === 0) for (const sig of SIGNALS) process.removeListener(sig, onSignal);
  });
}

function tail(file, lines = 40) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Serves the demo. `db`: a database file to copy (with its -wal/-shm) into the temporary
 * folder before starting; without it the demo is loaded into a new file.
 * Returns { baseURL, dir, dbFile, log, stop() }.
 */
async function startServer({ db = process.env.E2E_TEMPLATE_DB, timeoutMs = 240_000 } = {}) {
  const bin = binPath();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-e2e-'));
  const dbFile = path.join(dir, 'd.db');
  if (db) {
    for (const suffix of ['', '-wal', '-shm']) {
      if (fs.existsSync(db + suffix)) fs.copyFileSync(db + suffix, dbFile + suffix);
    }
  }
  const log = path.join(dir, 'server.log');
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const baseURL = `http://127.0.0.1:${port}`;
    const out = fs.openSync(log, 'a');
    const child = spawn(bin, ['serve', '--demo'], {
      cwd: dir,
      env: {
        ...process.env,
        CCHC_DATABASE_URL: `sqlite://${dbFile}?mode=rwc`,
        CCHC_LISTEN: `127.0.0.1:${port}`,
        CCHC_SYNC_DIR: path.join(dir, 'sync'),
        CCHC_LOG: process.env.CCHC_LOG || 'warn',
      },
      stdio: ['ignore', out, out],
    });
    fs.closeSync(out);
    track(child, dir);
    let exited = null;
    child.on('exit', (code, signal) => {
      exited = { code, signal };
    });
    const deadline = Date.now() + timeoutMs;
    while (!exited && Date.now() < deadline) {
      try {
        const res = await fetch(`${baseURL}/healthz`, { signal: AbortSignal.timeout(2000) });
        if (res.ok) {
          return {
            baseURL,
            dir,
            dbFile,
            log,
            child,
            async stop({ keep = false } = {}) {
              await stopChild(child, () => exited);
              if (!keep) fs.rmSync(dir, { recursive: true, force: true });
            },
          };
        }
      } catch {
        /* not listening yet */
      }
      await sleep(500);
    }
    if (exited && attempt < 3 && /address already in use|Address in use|os error 98/i.test(tail(log))) {
      continue; // somebody took the port between our probe and the bind: try another
    }
    await stopChild(child, () => exited);
    throw new Error(`cchc did not answer on ${baseURL}/healthz (${exited ? `exited ${JSON.stringify(exited)}` : 'timeout'}); log ${log}:\n${tail(log)}`);
  }
}

async function stopChild(child, exited) {
  if (exited()) return;
  child.kill('SIGTERM');
  for (let i = 0; i < 100 && !exited(); i++) await sleep(100);
  if (!exited()) {
    child.kill('SIGKILL');
    for (let i = 0; i < 50 && !exited(); i++) await sleep(100);
  }
}

/**
 * Loads the demo once into `<dir>/d.db` and stops the server (a clean stop checkpoints
 * the WAL), for startServer({db}) to copy. Returns the database file's path.
 */
async function buildTemplate() {
  const srv = await startServer({ db: null });
  await srv.stop({ keep: true });
  return srv.dbFile;
}

module.exports = { REPO, binPath, freePort, startServer, buildTemplate };
