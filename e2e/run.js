#!/usr/bin/env node
'use strict';
// Runs the browser journeys: loads the demo province once into a template database, then
// `node --test` over tests/*.test.js one file at a time, each file serving its own copy
// of that database. Arguments are passed to node --test (e.g. a file name to run one
// journey: `node run.js tests/leader.test.js`). Exit status: node --test's.

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { buildTemplate } = require('./lib/server');

async function main() {
  const args = process.argv.slice(2);
  const files = args.filter((a) => !a.startsWith('-'));
  const flags = args.filter((a) => a.startsWith('-'));
  const tests = files.length
    ? files
    : fs.readdirSync(path.join(__dirname, 'tests')).filter((f) => f.endsWith('.test.js')).sort().map((f) => path.join('tests', f));

  let template = process.env.E2E_TEMPLATE_DB;
  let made = null;
  if (!template && !process.env.E2E_BASE_URL) {
    const started = Date.now();
    process.stdout.write('e2e: loading the demo province into a template database… ');
    template = made = await buildTemplate();
    console.log(`${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  const code = await new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--test', '--test-concurrency=1', '--test-reporter=spec', ...flags, ...tests],
      { cwd: __dirname, stdio: 'inherit', env: { ...process.env, ...(template ? { E2E_TEMPLATE_DB: template } : {}) } },
    );
    const forward = (sig) => child.kill(sig);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (c, sig) => resolve(c ?? (sig ? 1 : 0)));
  });
  if (made) fs.rmSync(path.dirname(made), { recursive: true, force: true });
  process.exit(code);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
