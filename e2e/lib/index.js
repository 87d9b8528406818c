'use strict';
// Everything a journey needs: `suite` (server + browser around a describe block, and
// `env.session(t, {user, viewport}, fn)`), the checks, and small helpers.

const { suite, VIEWPORTS, slug, screenshot, SHOTS } = require('./session');
const { overflow, describeOverflow } = require('./checks');
const { startServer, buildTemplate, freePort, binPath } = require('./server');
const { pdf } = require('./files');

/** "1.234" → 1234, "72,35" → 72.35, "–" → null. Vietnamese number format. */
function parseVn(text) {
  const t = String(text).replace(/\s+/g, '').replace(/%$/, '');
  if (!/^-?[\d.]+(,\d+)?$/.test(t)) return null;
  return Number(t.replace(/\./g, '').replace(',', '.'));
}

/** The first integer in a text ("1.234 nhiệm vụ." → 1234). */
function firstInt(text) {
  const m = String(text).match(/\d[\d.]*/);
  return m ? Number(m[0].replace(/\./g, '')) : null;
}

module.exports = {
  suite,
  VIEWPORTS,
  slug,
  screenshot,
  SHOTS,
  overflow,
  describeOverflow,
  startServer,
  buildTemplate,
  freePort,
  binPath,
  pdf,
  parseVn,
  firstInt,
};
