'use strict';
// One person at one browser: a fresh browser context (its own cookies) and page, the
// console errors and uncaught exceptions it collects, sign-in, navigation that checks the
// answer's status, the clean-page check, and a screenshot in target/e2e/ when the
// journey fails.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { describe, before, after } = require('node:test');
const { chromium } = require('playwright-core');

const { REPO, startServer } = require('./server');
const { overflow, describeOverflow } = require('./checks');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SHOTS = path.join(REPO, 'target', 'e2e');
const VIEWPORTS = {
  desktop: { width: 1366, height: 768 },
  phone: { width: 390, height: 844 },
};
const PASSWORD = 'demo';


/** A file name from a test's name: "Lãnh đạo: bảng điều hành" → "lanh-dao-bang-dieu-hanh". */
function slug(text) {
  return String(text)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 120);
}

async function screenshot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `${slug(name)}.png`);
  try {
    await page.screenshot({ path: file, fullPage: true, timeout: 15_000 });
    return file;
  } catch (e) {
    return `(no screenshot: ${e.message.split('\n')[0]})`;
  }
}

class Session {
  constructor(env, context, page, name) {
    this.env = env;
    this.context = context;
    this.page = page;
    this.name = name;
    this.errors = [];
    page.setDefaultTimeout(30_000);
    page.setDefaultNavigationTimeout(60_000);
    // The main document's own answer: its status is checked by goto() (and by follow()
    // and submit() when asked), so a page answered 4xx on purpose (a refused form, 422)
    // is not also counted as a failed resource.
    this.document = null;
    page.on('response', (r) => {
      if (r.request().isNavigationRequest() && r.frame() === page.mainFrame()) {
        this.document = { url: r.url(), status: r.status() };
      }
    });
    page.on('console', (m) => {
      if (m.type() === 'error') {
        const loc = m.location();
        const own = /^Failed to load resource: the server responded with a status of (\d+)/.exec(m.text());
        if (own && this.document && loc && loc.url === this.document.url && Number(own[1]) === this.document.status && own[1] < 500) return;
        this.errors.push(`console error on ${page.url()}: ${m.text()}${loc && loc.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
      }
    });
    page.on('pageerror', (e) => this.errors.push(`uncaught exception on ${page.url()}: ${e.message}`));
    page.on('response', (r) => {
      if (r.status() >= 500) this.errors.push(`${r.status()} from ${r.url()}`);
    });
    // Confirmations (data-confirm) are accepted as a person who meant to click would.
    page.on('dialog', (d) => d.accept().catch(() => {}));
  }

  url(p) {
    return new URL(p, this.env.baseURL).toString();
  }

  /** Opens a path and checks the answer's status (200 unless told). */
  async goto(p, { status = 200 } = {}) {
    const res = await this.page.goto(this.url(p), { waitUntil: 'load' });
    assert.ok(res, `no answer for ${p}`);
    assert.equal(res.status(), status, `GET ${p} answered ${res.status()}`);
    return res;
  }

  /** Signs in through the form at /dang-nhap and lands on the user's home page. */
  async login(user, password = PASSWORD) {
    await this.goto('/dang-nhap');
    await this.page.fill('input[name=username]', user);
    await this.page.fill('input[name=password]', password);
    await Promise.all([
      this.page.waitForURL((u) => !u.pathname.startsWith('/dang-nhap'), { waitUntil: 'load' }),
      this.page.click('form[action="/dang-nhap"] button[type=submit]'),
    ]);
    this.user = user;
  }

  /** The status of the page on screen (its main document's answer). */
  status() {
    return this.document ? this.document.status : null;
  }

  /**
   * Clicks something that leads to another page and waits for that page; with
   * `{status}`, checks the answer's status.
   */
  async follow(locator, { status } = {}) {
    const before = this.page.url();
    await Promise.all([
      this.page.waitForURL((u) => u.toString() !== before, { waitUntil: 'load' }),
      (typeof locator === 'string' ? this.page.locator(locator).first() : locator).click(),
    ]);
    if (status !== undefined) assert.equal(this.status(), status, `${this.page.url()} answered ${this.status()}`);
  }

  /**
   * Submits a form by clicking its button and waits for the page that answers; with
   * `{status}`, checks the answer's status (e.g. 422 for a refused form).
   */
  async submit(button, { status } = {}) {
    await Promise.all([
      this.page.waitForEvent('framenavigated', { predicate: (f) => f === this.page.mainFrame() }),
      (typeof button === 'string' ? this.page.locator(button).first() : button).click(),
    ]);
    await this.page.waitForLoadState('load');
    if (status !== undefined) assert.equal(this.status(), status, `${this.page.url()} answered ${this.status()}`);
  }

  /** The errors collected since the last call. */
  takeErrors() {
    const e = this.errors;
    this.errors = [];
    return e;
  }

  /** What is wrong with the page on screen: console errors so far, sideways scrolling. */
  async problems({ checkOverflow = true } = {}) {
    // Late errors (a script run after load, a failed fetch) get a moment to arrive.
    await this.page.waitForTimeout(150);
    const found = this.takeErrors();
    if (checkOverflow) {
      const o = await overflow(this.page);
      if (!o.ok) found.push(`horizontal overflow on ${this.page.url()} at ${o.innerWidth}px: ${describeOverflow(o)}`);
    }
    return found;
  }

  /** Asserts that the page has neither console errors nor horizontal overflow. */
  async assertClean(label = this.page.url(), opts) {
    const found = await this.problems(opts);
    if (found.length) assert.fail(`${label}:\n  ${found.join('\n  ')}`);
  }

  /** Text of the first element matching `selector`, whitespace collapsed. */
  async text(selector) {
    return (await this.page.locator(selector).first().innerText()).replace(/\s+/g, ' ').trim();
  }

  /** A screenshot of the page on screen, named after the test and `name`. */
  screenshot(name) {
    return screenshot(this.page, `${slug(this.name).slice(0, 40)}-${slug(name)}`);
  }
}

/**
 * A describe() block with its server and browser: starts the demo (from the template
 * database when run.js made one, else loading it) and Chromium before the tests, stops
 * both after. `E2E_BASE_URL` points the tests at a server already running instead
 * (for development; its data changes with every run).
 */
function suite(title, body) {
  describe(title, () => {
    const env = { baseURL: process.env.E2E_BASE_URL || null, server: null, browser: null };
    before(async () => {
      if (!env.baseURL) {
        env.server = await startServer();
        env.baseURL = env.server.baseURL;
      }
      env.browser = await chromium.launch({ executablePath: CHROMIUM });
    }, { timeout: 300_000 });
    after(async () => {
      if (env.browser) await env.browser.close();
      if (env.server) await env.server.stop();
    }, { timeout: 60_000 });

    /**
     * Runs `fn(session)` in a fresh context at the given viewport ("desktop" 1366×768 or
     * "phone" 390×844), signed in as `user` when given. A failure leaves a full-page
     * screenshot in target/e2e/ named after the test.
     */
    env.session = async (t, { user = null, viewport = 'desktop' } = {}, fn) => {
      const size = typeof viewport === 'string' ? VIEWPORTS[viewport] : viewport;
      const context = await env.browser.newContext({ viewport: size, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
      const page = await context.newPage();
      const s = new Session(env, context, page, t.name);
      try {
        if (user) await s.login(user);
        return await fn(s);
      } catch (err) {
        const shot = await screenshot(page, t.name);
        err.message = `${err.message}\n  page: ${page.url()}\n  screenshot: ${shot}`;
        throw err;
      } finally {
        await context.close();
      }
    };
    body(env);
  });
}

module.exports = { suite, Session, VIEWPORTS, slug, screenshot, SHOTS };
